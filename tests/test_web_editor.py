"""The browser's code editor, server side: BrowserCodeEditor on its own (a fake page), then
through the real socket with a fake coding round behind it."""

from __future__ import annotations

import json
import threading
import time
import types

from voice_interviewer.bus import SessionBus
from voice_interviewer.events import CodeRun, QuestionStarted, SessionEnded
from voice_interviewer.interfaces import CodeEditor
from voice_interviewer.web import editor as editor_mod
from voice_interviewer.web.editor import BrowserCodeEditor
from voice_interviewer.web.server import ServeOptions


class Clock:
    def __init__(self):
        self.t = 100.0

    def __call__(self):
        return self.t


def _editor():
    posted, clock = [], Clock()
    return BrowserCodeEditor(lambda text: posted.append(json.loads(text)), clock), posted, clock


def test_it_is_a_code_editor_and_open_sends_the_starter():
    ed, posted, _ = _editor()
    assert isinstance(ed, CodeEditor)
    ed.open("top-k-titles", "def top_k(events, k):\n    pass\n")
    assert posted == [{"type": "editor_open", "problem_id": "top-k-titles", "starter": "def top_k(events, k):\n    pass\n"}]
    assert ed.current() == "def top_k(events, k):\n    pass\n" and ed.last_edit is None
    ed.close()
    ed.close()  # twice: one message only
    assert posted[1:] == [{"type": "editor_close"}]


def test_current_follows_the_page_and_ignores_other_problems():
    ed, _, clock = _editor()
    ed.open("p1", "starter")
    assert ed.on_code({"type": "code", "problem_id": "p1", "code": "x = 1"}) is None
    assert ed.current() == "x = 1" and ed.last_edit == clock.t
    ed.on_code({"type": "code", "problem_id": "old", "code": "stale"})
    ed.on_code({"type": "code", "problem_id": "p1", "code": 42})
    assert ed.current() == "x = 1"
    ed.close()
    ed.on_code({"type": "code", "problem_id": "p1", "code": "after the round"})
    assert ed.current() == "x = 1"


def test_run_requests_once_per_press_and_not_faster_than_the_interval():
    ed, _, clock = _editor()
    ed.open("p1", "")
    assert not ed.take_run_request()
    ed.on_code({"problem_id": "p1", "code": "a", "run": True})
    assert ed.current() == "a" and ed.take_run_request() and not ed.take_run_request()
    clock.t += 0.5
    ed.on_code({"problem_id": "p1", "code": "b", "run": True})  # a double click
    assert ed.current() == "b" and not ed.take_run_request()
    clock.t += editor_mod.MIN_RUN_INTERVAL_S
    ed.on_code({"problem_id": "p1", "code": "c", "run": True})
    assert ed.wait_run_request(0.01) and not ed.wait_run_request(0.01)


def test_a_run_wakes_a_waiting_round():
    ed, _, _ = _editor()
    ed.open("p1", "")
    got = []
    waiter = threading.Thread(target=lambda: got.append(ed.wait_run_request(5)))
    waiter.start()
    time.sleep(0.05)
    ed.on_code({"problem_id": "p1", "code": "print(1)", "run": True})
    waiter.join(5)
    assert got == [True]


def test_code_snapshots_reach_the_page_without_the_code():
    from voice_interviewer.events import CodeSnapshot
    from voice_interviewer.web.relay import event_message

    msg = event_message(CodeSnapshot(question_id="p1", code="x = 1\n" * 1000, reason="run"))
    assert msg["event"]["type"] == "code_snapshot" and msg["event"]["reason"] == "run" and "code" not in msg["event"]


def test_size_and_rate_limits():
    ed, _, clock = _editor()
    ed.open("p1", "ok")
    error = ed.on_code({"problem_id": "p1", "code": "x" * (editor_mod.MAX_CODE_CHARS + 1)})
    assert error and "characters" in error and ed.current() == "ok"
    for i in range(editor_mod.MAX_MESSAGES_PER_S + 5):
        ed.on_code({"problem_id": "p1", "code": f"v{i}"})
    assert ed.current() == f"v{editor_mod.MAX_MESSAGES_PER_S - 1}" and ed.dropped == 6
    clock.t += 1.0
    ed.on_code({"problem_id": "p1", "code": "later"})
    assert ed.current() == "later"


# --- through the socket ------------------------------------------------------------------------------


def _coding_round(calls: dict):
    """A fake run_interview holding a coding round against the front end's editor."""

    def run(opts, echo=print, front_end=None):
        bus = SessionBus(time.monotonic)
        for handler in front_end.subscribers:
            bus.subscribe(handler)
        editor = front_end.editor
        bus.publish(QuestionStarted(question_id="top-k-titles", number=1, of=1))
        editor.open("top-k-titles", "def f():\n    pass\n")
        calls["asked"] = editor.wait_run_request(10)
        calls["code"] = editor.current()
        bus.publish(CodeRun(question_id="top-k-titles", passed=3, total=5, summary="Two cases fail."))
        editor.close()
        while not front_end.controls.stopped:
            time.sleep(0.01)
        bus.publish(SessionEnded(status="interrupted"))
        return types.SimpleNamespace(session_dir="/tmp/x/20261123-120000-drill", status="interrupted")

    return run


def test_a_coding_round_through_the_socket(tmp_path):
    from tests.test_web_server import Running, drive_page

    calls: dict = {}
    s = Running(ServeOptions(data_dir=tmp_path, open_browser=False), run=_coding_round(calls))

    async def type_run_and_stop(ws, msg):
        if msg["type"] == "editor_open":
            big = {"type": "code", "problem_id": "top-k-titles", "code": "x" * 70_000}
            await ws.send(json.dumps(big))
            await ws.send(json.dumps({"type": "code", "problem_id": "top-k-titles", "code": "def f():\n    return 1\n",
                                      "run": True}))
        if msg["type"] == "editor_close":
            await ws.send(json.dumps({"type": "stop"}))

    seen = drive_page(s, {"mode": "drill", "count": 1, "llm": "none", "random": True}, type_run_and_stop)
    assert calls == {"asked": True, "code": "def f():\n    return 1\n"}
    question = next(m["event"] for m in seen if m["type"] == "event" and m["event"]["type"] == "question_started")
    assert question["coding"] is True  # a real problem id: the page fetches its editor now
    opened = next(m for m in seen if m["type"] == "editor_open")
    assert opened["starter"] == "def f():\n    pass\n"
    assert any(m["type"] == "error" and "characters" in m["message"] for m in seen)
    run = next(m["event"] for m in seen if m["type"] == "event" and m["event"]["type"] == "code_run")
    assert (run["passed"], run["total"], run["summary"]) == (3, 5, "Two cases fail.")
