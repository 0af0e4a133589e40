"""The interviewer's voice takes the echo canceller's route in a real (headless) Chromium.

Chromium cancels echo only for audio that comes out of a peer connection, so the page
plays the voice through a loopback RTCPeerConnection pair (static/playback.js). Here a
fake interview speaks a tone again and again; the page must report the loopback route
and the tone must come out of the loopback's received track. Whether the canceller then
removes it from the microphone cannot be seen headless (the fake microphone has no
acoustic path); docs/benchmarks.md, Browser, says so.
"""

from __future__ import annotations

import time
import types

import numpy as np
import pytest

from voice_interviewer.web import chromium

pytestmark = pytest.mark.skipif(chromium.find_chromium() is None,
                                reason="needs chromium and chromedriver (scripts/install_chromium.sh)")
selenium = pytest.importorskip("selenium", reason="pip install selenium (the test extra)")


def speaking_until_stopped(run_opts, echo=print, front_end=None):
    tone = (np.sin(np.arange(8000) * 2 * np.pi * 440 / 16000) * 8000).astype(np.int16)
    deadline = time.monotonic() + 40
    while not front_end.controls.stopped and time.monotonic() < deadline:
        front_end.sink.play(tone, 16000)
        time.sleep(0.3)
    return types.SimpleNamespace(session_dir=None, status="interrupted")


def test_the_voice_comes_out_of_the_loopback(tmp_path):
    from tests.test_web_server import Running
    from voice_interviewer.web.server import ServeOptions

    server = Running(ServeOptions(data_dir=tmp_path, open_browser=False), run=speaking_until_stopped)
    driver = chromium.launch()
    try:
        driver.get(f"http://127.0.0.1:{server.port}/?token={server.server.token}&start=drill&count=1&llm=none"
                   "&random=1&timeline=1")
        t0, marks = time.monotonic(), {}
        while time.monotonic() - t0 < 30:
            timeline = driver.execute_script("return window.viTimeline || []")
            marks = {e["what"]: e for e in timeline if e["what"] in ("playback", "audible")}
            route = marks.get("playback", {}).get("route")
            if route == "direct" or (route == "loopback" and "audible" in marks):
                break
            time.sleep(0.2)
        print(f"\nplayback: {marks}")
        assert marks.get("playback", {}).get("route") == "loopback", marks
        assert "audible" in marks, marks  # the tone came out of the peer connection
        driver.find_element("id", "stop").click()
        driver.switch_to.alert.accept()
    finally:
        driver.quit()
        server.close()
