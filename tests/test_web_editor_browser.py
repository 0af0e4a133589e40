"""The coding round's editor in a real (headless) Chromium.

The interview behind the page is a fake coding round (no models), written only
against the CodeEditor protocol and the CodeRun event, as the real round is: it
opens a problem, waits for the candidate's "Run tests", reads the code and
publishes a result. The page is real: CodeMirror loaded on demand, typing with
the keyboard (auto-indentation), the debounced code messages, the run button,
the result panel. Screenshots go to $VI_WEB_SCREENSHOTS (default: tmp folder).
"""

from __future__ import annotations

import os
import time
import types
from pathlib import Path

import pytest

from voice_interviewer.web import chromium

pytestmark = pytest.mark.skipif(chromium.find_chromium() is None,
                                reason="needs chromium and chromedriver (scripts/install_chromium.sh)")
selenium = pytest.importorskip("selenium", reason="pip install selenium (the test extra)")

PROBLEM = "top-k-titles"
STARTER = 'def top_k(events, k):\n    """The k titles watched most, most watched first."""\n'
QUESTION = "Given a stream of watch events, return the k most watched titles."
SUMMARY = "Four of six pass; have a look at what happens when k is larger than the number of titles."


def coding_round(calls: dict):
    """A fake run_interview: one coding problem, one run of the tests."""

    def run(opts, echo=print, front_end=None):
        from voice_interviewer.bus import SessionBus
        from voice_interviewer.events import (CodeRun, LineSaid, ListeningStarted, QuestionStarted, SessionEnded,
                                              SpeechActivity)

        bus = SessionBus(time.monotonic)
        for handler in front_end.subscribers:
            bus.subscribe(handler)

        def say(text, kind):
            bus.publish(SpeechActivity(speaker="interviewer", active=True, text=text))
            bus.publish(SpeechActivity(speaker="interviewer", active=False))
            bus.publish(LineSaid(kind=kind, question_id=PROBLEM, text=text))

        bus.publish(QuestionStarted(question_id=PROBLEM, stage="technical-phone-screen", number=1, of=1, time_box_s=900))
        say(QUESTION, "question")
        front_end.editor.open(PROBLEM, STARTER)
        bus.publish(ListeningStarted(question_id=PROBLEM, time_box_s=900))
        calls["asked"] = front_end.editor.wait_run_request(90)
        calls["code"] = front_end.editor.current()
        bus.publish(CodeRun(question_id=PROBLEM, passed=4, total=6, complexity="as expected (n log k)",
                            shown_failures=("top_k([('a', 1)], 3): expected ['a'], got an IndexError",),
                            summary=SUMMARY))
        say(SUMMARY, "follow_up")
        while not front_end.controls.stopped:
            time.sleep(0.05)
        front_end.editor.close()
        bus.publish(SessionEnded(status="interrupted"))
        return types.SimpleNamespace(session_dir=None, status="interrupted")

    return run


def wait_for(driver, script: str, timeout: float = 30):
    t0 = time.monotonic()
    while time.monotonic() - t0 < timeout:
        value = driver.execute_script(script)
        if value:
            return value
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for: {script}")


def test_typing_and_running_code_in_the_page(tmp_path):
    from tests.test_web_server import Running
    from voice_interviewer.web.server import ServeOptions

    shots = Path(os.environ.get("VI_WEB_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    calls: dict = {}
    server = Running(ServeOptions(data_dir=tmp_path / "sessions", open_browser=False), run=coding_round(calls))
    driver = chromium.launch()
    try:
        driver.get(f"http://127.0.0.1:{server.port}/?token={server.server.token}&start=drill&count=1&llm=none&random=1")
        wait_for(driver, "return !document.getElementById('code-card').hidden && !!document.querySelector('.CodeMirror')")
        wait_for(driver, "return document.querySelector('.CodeMirror').CodeMirror.getValue().startsWith('def top_k')")
        page = driver.execute_script("""return {
            keywords: [...document.querySelectorAll('.CodeMirror .cm-keyword')].map(s => s.textContent),
            focused: !!document.activeElement.closest('.CodeMirror'),
            caption: document.querySelector('#captions li.int').textContent,
            question: document.getElementById('q-text').textContent}""")
        assert "def" in page["keywords"], page  # Python highlighted
        assert page["focused"]  # the candidate can type at once
        assert QUESTION in page["caption"] and page["question"] == QUESTION  # captioned from SpeechActivity

        # Typed as a person would: CodeMirror indents after a colon and keeps the block's indentation.
        keys = driver.switch_to.active_element
        keys.send_keys("counts = {}\nfor title, _ in events:\ncounts[title] = counts.get(title, 0) + 1")
        code = driver.execute_script("return document.querySelector('.CodeMirror').CodeMirror.getValue()")
        assert "    for title, _ in events:\n        counts[title]" in code, code
        wait_for(driver, "return document.getElementById('code-saved').textContent === 'saved'", 5)
        assert server.server._editor.current() == code  # sent 500 ms after typing stopped, before any run
        driver.save_screenshot(str(shots / "editor-1-code.png"))

        # Tab indents inside the editor, so Esc is the keyboard's way out: to the Run tests button.
        from selenium.webdriver.common.keys import Keys

        keys.send_keys(Keys.ESCAPE)
        assert driver.switch_to.active_element.get_attribute("id") == "run-tests"
        driver.switch_to.active_element.send_keys(Keys.ENTER)
        result = wait_for(driver, "const r = document.getElementById('run-result');"
                                  "return !r.hidden && r.textContent.includes('tests passed') && r.textContent")
        assert calls["asked"] and calls["code"] == code
        assert "4 / 6 tests passed" in result and SUMMARY in result and "IndexError" in result
        time.sleep(0.3)
        driver.save_screenshot(str(shots / "editor-2-run-result.png"))
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors  # no CSP refusal of CodeMirror, no script error

        driver.execute_script("window.scrollTo(0, 0)")  # the result scrolled the page: End session is at the top
        driver.find_element("id", "stop").click()
        driver.switch_to.alert.accept()
        wait_for(driver, "return document.getElementById('code-card').hidden")
    finally:
        driver.quit()
        server.close()
