"""The interview's real coding round held through the page, in a real (headless) Chromium.

Real models, the real CodingRound and sandbox; the page's editor is the session's
CodeEditor. The candidate answers the approach questions with a recording (Chromium's
fake microphone), puts a naive solution in the editor and presses "Run tests"; the
round must run the hidden tests on the page's code and the page must show the result.
About two to three minutes on a 2-core machine.
"""

from __future__ import annotations

import inspect
import os
import time
from pathlib import Path

import pytest

from voice_interviewer.web import chromium

PROBLEM = "top-k-titles"


def _has_coding_round() -> bool:
    try:
        from voice_interviewer.interviewer import coding_round  # noqa: F401
        from voice_interviewer.runner import run_interview
    except ImportError:
        return False
    return "plan" in inspect.signature(run_interview).parameters


pytestmark = [
    pytest.mark.skipif(chromium.find_chromium() is None,
                       reason="needs chromium and chromedriver (scripts/install_chromium.sh)"),
    pytest.mark.skipif(not _has_coding_round(), reason="this version has no coding round"),
]
selenium = pytest.importorskip("selenium", reason="pip install selenium (the test extra)")


def one_coding_problem(opts, echo=print, front_end=None):
    """run_interview with a plan of one coding problem (the page's own start options otherwise)."""
    from voice_interviewer.bank.questions import problem_question
    from voice_interviewer.coding.spec import get_problem
    from voice_interviewer.interviewer.planning import PlannedQuestion
    from voice_interviewer.runner import run_interview

    problem = get_problem(PROBLEM)
    plan = [PlannedQuestion(problem_question(problem), "Technical phone screen", 600, problem=problem)]
    return run_interview(opts, echo=echo, front_end=front_end, plan=plan)


def test_the_real_coding_round_runs_the_code_typed_in_the_page(tmp_path, testdata):
    from tests.test_web_browser import answer_wav
    from tests.test_web_server import Running
    from voice_interviewer.coding.spec import get_problem
    from voice_interviewer.web.server import ServeOptions

    shots = Path(os.environ.get("VI_WEB_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    answer_wav(testdata, tmp_path / "answer.wav")
    naive = get_problem(PROBLEM).source("naive")
    server = Running(ServeOptions(data_dir=tmp_path / "sessions", open_browser=False), run=one_coding_problem)
    driver = chromium.launch(mic_wav=tmp_path / "answer.wav")
    try:
        driver.get(f"http://127.0.0.1:{server.port}/?token={server.server.token}&start=drill&count=1&llm=none"
                   "&random=1&mic=turn&timeline=1")
        t0, result, pasted = time.monotonic(), "", False
        while time.monotonic() - t0 < 420 and "tests passed" not in result:
            time.sleep(1)
            opened = driver.execute_script("const cm = document.querySelector('.CodeMirror');"
                                           "return !!cm && cm.CodeMirror.getValue().includes('def ')")
            if opened and not pasted:
                # pasted, as a candidate might; a press before the round is ready waits for it
                driver.execute_script("const cm = document.querySelector('.CodeMirror').CodeMirror;"
                                      "cm.setValue(arguments[0]); cm.focus();", naive)
                driver.find_element("id", "run-tests").click()
                driver.save_screenshot(str(shots / "coding-1-code.png"))
                pasted = True
            result = driver.execute_script("const r = document.getElementById('run-result');"
                                           "return r.hidden ? '' : r.textContent")
        said = driver.execute_script("return (window.viTimeline || []).filter(e => e.what === 'event' &&"
                                     " e.type === 'interviewer_said').map(e => e.event.text)")
        time.sleep(2)
        driver.save_screenshot(str(shots / "coding-2-result.png"))
        errors = [e["message"] for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    finally:
        driver.quit()
        server.close()

    assert "tests passed" in result, (result, said)
    assert "too slow" in result or "scaling" in result.lower(), result  # the naive version fails the scale test
    assert any("running the tests" in s.lower() for s in said), said
    assert not errors, errors
