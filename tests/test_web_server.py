"""The browser server over real sockets, with a fake interview behind it:
the gate on every request, no file outside the data folder, and the page's
socket driving a session (events out, audio both ways, buttons in)."""

from __future__ import annotations

import asyncio
import http.client
import json
import os
import threading
import time
import types
from pathlib import Path

import numpy as np
import pytest
from websockets.asyncio.client import connect
from websockets.exceptions import InvalidStatus

from voice_interviewer.bus import SessionBus
from voice_interviewer.events import (CandidateTurn, FollowUpWithdrawn, LineSaid, ListeningStarted, QuestionStarted,
                                      SessionEnded, SpeechActivity)
from voice_interviewer.web.audio_bridge import parse_audio_message
from voice_interviewer.web.server import ServeOptions, WebServer


def _session(root: Path, name: str) -> Path:
    folder = root / name
    (folder / "audio").mkdir(parents=True)
    (folder / "meta.json").write_text(json.dumps({"mode": "drill", "status": "completed", "started_at": "2026-11-23T10:00:00+00:00"}))
    line = {"t": 1.0, "wall": 0, "type": "interviewer_said", "kind": "question", "question_id": "q1", "text": "Why?",
            "start": 0.0, "end": 1.0, "audio": "audio/0001-interviewer.wav"}
    (folder / "events.jsonl").write_text(json.dumps(line) + "\n")
    (folder / "audio" / "0001-interviewer.wav").write_bytes(b"RIFF....WAVEfmt ")
    return folder


class Running:
    """A WebServer on its own loop and thread, for plain blocking HTTP calls from the test."""

    def __init__(self, options: ServeOptions, run=None):
        self.loop = asyncio.new_event_loop()
        self.server = WebServer(options, run=run, echo=lambda line: None)
        ready = threading.Event()

        def main():
            asyncio.set_event_loop(self.loop)
            self.loop.run_until_complete(self.server.start())
            ready.set()
            self.loop.run_forever()

        self.thread = threading.Thread(target=main, daemon=True)
        self.thread.start()
        assert ready.wait(10)
        self.port = self.server.port

    def get(self, path: str, host: str | None = None, headers: dict | None = None, method: str = "GET"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        conn.putrequest(method, path, skip_host=True)
        conn.putheader("Host", host or f"127.0.0.1:{self.port}")
        for k, v in (headers or {}).items():
            conn.putheader(k, v)
        conn.endheaders()
        r = conn.getresponse()
        return r.status, dict(r.getheaders()), r.read()

    def close(self):
        asyncio.run_coroutine_threadsafe(self.server.close(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)


@pytest.fixture()
def data(tmp_path):
    root = tmp_path / "sessions"
    _session(root, "20261123-100000-drill")
    (tmp_path / "outside.wav").write_bytes(b"RIFF secret")
    os.symlink(tmp_path / "outside.wav", root / "20261123-100000-drill" / "audio" / "escape.wav")
    os.symlink(tmp_path, root / "20261123-100001-drill")  # a "session" that is really the folder above
    return root


@pytest.fixture()
def server(data):
    s = Running(ServeOptions(data_dir=data, open_browser=False))
    yield s
    s.close()


def test_the_page_needs_the_token_and_then_keeps_it_in_a_cookie(server):
    token = server.server.token
    assert server.get("/")[0] == 403
    assert server.get("/?token=wrong")[0] == 403
    status, headers, body = server.get(f"/?token={token}")
    assert status == 200 and b"voice-interviewer" in body
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    cookie = headers["Set-Cookie"].split(";")[0]
    assert server.get("/static/app.js", headers={"Cookie": cookie})[0] == 200
    assert server.get("/api/config", headers={"Cookie": cookie})[0] == 200
    assert server.get("/static/app.js")[0] == 403


def test_wrong_host_is_refused_even_with_the_token(server):
    token = server.server.token
    assert server.get(f"/?token={token}", host="attacker.example")[0] == 421
    assert server.get(f"/?token={token}", host=f"attacker.example:{server.port}")[0] == 421
    assert server.get(f"/?token={token}", host=f"localhost:{server.port}")[0] == 200


def test_only_get(server):
    assert server.get(f"/?token={server.server.token}", method="DELETE")[0] in (400, 405)


@pytest.mark.parametrize("path", [
    "/static/../server.py", "/static/%2e%2e/server.py", "/static/..%2fserver.py", "/static/security.py",
    "/files/20261123-100000-drill/../../outside.wav", "/files/20261123-100000-drill/%2e%2e/%2e%2e/outside.wav",
    "/files/20261123-100000-drill/%252e%252e/outside.wav", "/files/20261123-100000-drill/audio/escape.wav",
    "/files/20261123-100000-drill/meta.json", "/files/..%2f..%2foutside.wav", "/files/20261123-100001-drill/outside.wav",
    "/files/%2Fetc/passwd", "/report/..", "/report/%2e%2e", "/report/latest", "/api/sessions/..%2F..",
    "/api/sessions/20261123-100001-drill", "/etc/passwd", "//etc/passwd",
])
def test_nothing_outside_the_data_folder_or_the_static_files(server, path):
    status, _, body = server.get(path, headers={"Cookie": f"vi_token_{server.port}={server.server.token}"})
    assert status in (400, 404), (path, status)
    assert b"secret" not in body and b"import" not in body


def test_session_list_replay_and_audio(server):
    cookie = {"Cookie": f"vi_token_{server.port}={server.server.token}"}
    status, _, body = server.get("/api/sessions", headers=cookie)
    assert [s["name"] for s in json.loads(body)] == ["20261123-100000-drill"]  # the symlinked one is not listed
    replay = json.loads(server.get("/api/sessions/20261123-100000-drill", headers=cookie)[2])
    assert replay["turns"][0]["text"] == "Why?"
    status, headers, body = server.get(replay["turns"][0]["audio"], headers=cookie)
    assert status == 200 and headers["Content-Type"] == "audio/wav" and body.startswith(b"RIFF")
    status, headers, body = server.get("/report/20261123-100000-drill", headers=cookie)
    assert status == 200 and b"<html" in body.lower() and "script-src" not in headers["Content-Security-Policy"]


def test_replay_marks_a_withdrawn_follow_up(server, data):
    # the candidate cut into the first follow-up and went on (as test_take_back.py records it); the second stood
    folder = _session(data, "20261123-110000-drill")
    said = [LineSaid(kind="question", question_id="q1", text="What is overfitting?"),
            LineSaid(kind="follow_up", question_id="q1", text="Why noise?"),
            FollowUpWithdrawn(question_id="q1", text="Why noise?", heard_s=0.4),
            CandidateTurn(question_id="q1", text="and it fits the noise too"),
            LineSaid(kind="follow_up", question_id="q1", text="How would you spot it?"),
            CandidateTurn(kind="follow_up_answer", question_id="q1", text="A validation set.")]
    (folder / "events.jsonl").write_text("".join(json.dumps(e.to_dict()) + "\n" for e in said))
    cookie = {"Cookie": f"vi_token_{server.port}={server.server.token}"}
    turns = json.loads(server.get("/api/sessions/20261123-110000-drill", headers=cookie)[2])["turns"]
    assert [(t["text"], t["withdrawn_s"]) for t in turns] == [
        ("What is overfitting?", None), ("Why noise?", 0.4), ("and it fits the noise too", None),
        ("How would you spot it?", None), ("A validation set.", None)]  # what app.js strikes out


# --- the socket -----------------------------------------------------------------------------------------


def _fake_run(calls: dict):
    """Stands in for runner.run_interview: the same signature, a tiny scripted session."""

    def run(opts, echo=print, front_end=None):
        calls["opts"], calls["front_end"] = opts, front_end
        bus = SessionBus(time.monotonic)
        for handler in front_end.subscribers:
            bus.subscribe(handler)
        echo("loading speech models...")
        bus.publish(QuestionStarted(question_id="q1", number=1, of=1, time_box_s=30))
        echo("interviewer: What is overfitting?")  # the terminal's line: the page captions the event, not this
        bus.publish(SpeechActivity(speaker="interviewer", active=True, text="What is overfitting?"))
        calls["play"] = front_end.sink.play(np.full(8000, 1000, np.int16), 16000)
        bus.publish(SpeechActivity(speaker="interviewer", active=False))
        bus.publish(LineSaid(kind="question", question_id="q1", text="What is overfitting?"))
        bus.publish(ListeningStarted(question_id="q1", time_box_s=30))
        frames = front_end.source.frames()
        calls["frames"] = [next(frames) for _ in range(3)]
        deadline = time.monotonic() + 5
        while not front_end.controls.take_end_turn() and time.monotonic() < deadline:
            time.sleep(0.01)
        bus.publish(CandidateTurn(question_id="q1", text="It memorises noise.", end_reason="done"))
        # the candidate went on 0.4 s into the follow-up: the page must hear it was taken back
        bus.publish(LineSaid(kind="follow_up", question_id="q1", text="Why noise?", heard_s=0.4))
        bus.publish(FollowUpWithdrawn(question_id="q1", text="Why noise?", heard_s=0.4))
        while not front_end.controls.stopped and time.monotonic() < deadline:
            time.sleep(0.01)
        bus.publish(SessionEnded(status="interrupted"))
        return types.SimpleNamespace(session_dir="/tmp/x/20261123-120000-drill", status="interrupted")

    return run


async def _talk(port: int, token: str, origin: str | None = None):
    return await connect(f"ws://127.0.0.1:{port}/ws", origin=origin or f"http://127.0.0.1:{port}",
                         additional_headers={"Cookie": f"vi_token_{port}={token}"}, open_timeout=5)


def test_socket_refuses_other_origins_and_missing_tokens(data):
    s = Running(ServeOptions(data_dir=data, open_browser=False))
    try:
        async def attempt(origin, token):
            try:
                ws = await _talk(s.port, token, origin)
            except InvalidStatus as exc:
                return exc.response.status_code
            await ws.close()
            return 101

        assert asyncio.run(attempt("http://evil.example", s.server.token)) == 403
        assert asyncio.run(attempt(f"http://127.0.0.1:{s.port + 1}", s.server.token)) == 403
        assert asyncio.run(attempt(None, "wrong")) == 403
        assert asyncio.run(attempt(None, s.server.token)) == 101
    finally:
        s.close()


def drive_page(s: "Running", options: dict, react, timeout_s: float = 20) -> list:
    """Play the page over the socket: start a session with `options`, acknowledge the interviewer's audio
    as played, hand every other message to `await react(ws, msg)` until "finished"; then stop the server.
    Returns what the page saw (JSON messages, and ("audio", rate, samples) per line played)."""
    async def page():
        ws = await _talk(s.port, s.server.token)
        seen = []
        await ws.send(json.dumps({"type": "start", "options": options}))
        async for message in ws:
            if isinstance(message, bytes):  # the interviewer's voice: "play" it, then say so
                play_id, rate, pcm = parse_audio_message(message)
                seen.append(("audio", rate, len(pcm)))
                await ws.send(json.dumps({"type": "played", "id": play_id, "played_s": len(pcm) / rate}))
                continue
            msg = json.loads(message)
            seen.append(msg)
            if msg["type"] == "finished":
                break
            await react(ws, msg)
        await ws.close()
        return seen

    try:
        return asyncio.run(asyncio.wait_for(page(), timeout_s))
    finally:
        s.close()


def test_a_session_through_the_socket(data):
    calls: dict = {}
    s = Running(ServeOptions(data_dir=data, open_browser=False), run=_fake_run(calls))

    async def answer_then_stop(ws, msg):
        if msg["type"] == "event" and msg["event"]["type"] == "listening_started":
            await ws.send(np.zeros(480 * 3 + 100, np.int16).tobytes())  # 3 frames and a bit
            await ws.send(json.dumps({"type": "done"}))
        if msg["type"] == "event" and msg["event"]["type"] == "candidate_turn":
            await ws.send(json.dumps({"type": "stop"}))

    seen = drive_page(s, {"mode": "drill", "count": 1, "llm": "none", "seconds": 30, "random": True}, answer_then_stop)
    events = [m["event"]["type"] for m in seen if isinstance(m, dict) and m["type"] == "event"]
    assert events == ["question_started", "speech_activity", "speech_activity", "interviewer_said", "listening_started",
                      "candidate_turn", "interviewer_said", "follow_up_withdrawn", "session_ended"]
    withdrawn = next(m["event"] for m in seen if isinstance(m, dict) and m.get("event", {}).get("type") == "follow_up_withdrawn")
    assert (withdrawn["question_id"], withdrawn["text"], withdrawn["heard_s"]) == ("q1", "Why noise?", 0.4)  # what app.js reads
    starts = [m["event"] for m in seen if isinstance(m, dict) and m["type"] == "event"
              and m["event"]["type"] == "speech_activity" and m["event"]["active"]]
    assert starts[0]["text"] == "What is overfitting?" and starts[0]["speaker"] == "interviewer"
    question = next(m["event"] for m in seen if isinstance(m, dict) and m.get("event", {}).get("type") == "question_started")
    assert question["coding"] is False  # q1 is no coding problem: the page keeps its editor hidden
    assert ("audio", 16000, 8000) in seen
    assert calls["play"].played_s == 0.5 and not calls["play"].interrupted
    assert len(calls["frames"]) == 3 and all(len(f) == 960 for f in calls["frames"])
    assert calls["front_end"].name == "browser"
    assert calls["opts"].mode == "drill" and calls["opts"].count == 1 and calls["opts"].llm == "none"
    logs = [m["text"] for m in seen if isinstance(m, dict) and m["type"] == "log"]
    assert "interviewer: What is overfitting?" in logs
    finished = [m for m in seen if isinstance(m, dict) and m["type"] == "finished"][0]
    assert finished["session"] == "20261123-120000-drill" and finished["error"] is None


def test_bad_options_are_explained_not_run(data):
    calls: dict = {}
    s = Running(ServeOptions(data_dir=data, open_browser=False), run=_fake_run(calls))

    async def page():
        ws = await _talk(s.port, s.server.token)
        await ws.recv()  # hello
        await ws.send(json.dumps({"type": "start", "options": {"mode": "drill", "count": 999}}))
        msg = json.loads(await ws.recv())
        await ws.send(json.dumps({"type": "start", "options": {"mode": "drill", "llm": "gpt-9"}}))
        msg2 = json.loads(await ws.recv())
        await ws.close()
        return msg, msg2

    try:
        msg, msg2 = asyncio.run(asyncio.wait_for(page(), 10))
    finally:
        s.close()
    assert msg["type"] == "error" and "count" in msg["message"] and "between 1 and 30" in msg["hint"]
    assert msg2["type"] == "error" and "gpt-9" in msg2["message"]
    assert "opts" not in calls
