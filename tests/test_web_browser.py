"""A whole one-question drill held in a real (headless) Chromium, with the real models.

The candidate is a real recording (two LJSpeech sentences, 20 s, public domain)
fed to Chromium's fake microphone. The page is opened with ?start=drill... so no
click is needed; it opens its microphone at each turn (mic=turn), so the
recording starts when the candidate's turn does. We check: the answer is heard
and transcribed, the follow-up is spoken back into the page, the report shows.
Screenshots of each stage go to $VI_WEB_SCREENSHOTS (default: the test's tmp folder).
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pytest

from voice_interviewer.web import chromium
from voice_interviewer.web.live import runner_accepts_front_end

pytestmark = [
    pytest.mark.skipif(chromium.find_chromium() is None,
                       reason="needs chromium and chromedriver (apt-get install chromium chromium-driver)"),
    pytest.mark.skipif(not runner_accepts_front_end(), reason="runner.run_interview does not take front_end yet"),
]
selenium = pytest.importorskip("selenium", reason="pip install selenium (the test extra)")

QUESTION = "mlf-overfitting-underfitting"
CLIPS = ("asr/coqui-tts-ljspeech/wavs/LJ001-0001.wav", "asr/coqui-tts-ljspeech/wavs/LJ001-0003.wav")
LEAD_S, PAUSE_S, TAIL_S = 0.6, 0.7, 8.0


def answer_wav(testdata: Path, out: Path, clips: tuple[str, ...] = CLIPS) -> float:
    """Writes the fake microphone's file (the clips with short pauses); returns where the speech ends in it (s)."""
    from voice_interviewer.audio.files import load_audio, write_wav

    loaded = [load_audio(testdata / c) for c in clips]
    silence = lambda s: np.zeros(int(16000 * s), np.int16)  # noqa: E731
    parts = [silence(LEAD_S)]
    for clip in loaded:
        parts += [clip.samples, silence(PAUSE_S)]
    parts.pop()
    speech_end = sum(len(p) for p in parts[:-1]) / 16000 + last_voice_s(loaded[-1])
    write_wav(out, np.concatenate(parts + [silence(TAIL_S)]), 16000)
    return speech_end


def last_voice_s(clip) -> float:
    """Where the last voiced 30 ms frame of a clip ends (recordings end with some silence)."""
    from voice_interviewer.listening.vad import SpeechDetector

    voiced = [i for i, v in enumerate(SpeechDetector().label_clip(clip)) if v]
    return (voiced[-1] + 1) * 0.03 if voiced else 0.0


def reply_gap(timeline: list[dict], speech_end_s: float) -> float | None:
    """Seconds from the end of the candidate's speech (as the page sent it) to the first
    interviewer audio arriving in the page afterwards."""
    opened = next((e for e in timeline if e["what"] == "mic_open"), None)
    if opened is None:
        return None
    target = opened["samples"] + speech_end_s * 16000
    sent = next((e for e in timeline if e["what"] == "mic" and e["samples"] >= target), None)
    if sent is None:
        return None
    heard = next((e for e in timeline if e["what"] == "audio_in" and e["t"] > sent["t"]), None)
    return (heard["t"] - sent["t"]) / 1000 if heard else None


def run_drill(server_port: int, token: str, wav: Path, shots: Path, question: str = QUESTION,
              timeout_s: float = 300) -> dict:
    """Drives one drill in Chromium; returns what the page showed and its timeline."""
    driver = chromium.launch(mic_wav=wav)
    try:
        driver.get(f"http://127.0.0.1:{server_port}/?token={token}&start=drill&questions={question}"
                   "&llm=none&seconds=60&mic=turn&timeline=1")
        stages, t0 = set(), time.monotonic()
        while time.monotonic() - t0 < timeout_s:
            time.sleep(0.5)
            stage = driver.execute_script("""
                const tl = window.viTimeline || [];
                const types = tl.filter(e => e.what === 'event').map(e => e.type);
                if (!document.getElementById('view-done').hidden) return 'done';
                if (types.includes('candidate_turn') && tl.some(e => e.what === 'audio_in' &&
                    e.t > tl.find(x => x.type === 'candidate_turn').t)) return 'follow-up';
                if (document.getElementById('partial').textContent) return 'answering';
                if (types.includes('interviewer_said')) return 'question';
                return null;""")
            if stage and stage not in stages:
                stages.add(stage)
                if stage == "done":
                    time.sleep(3)  # the report is rendered in its frame
                driver.save_screenshot(str(shots / f"web-{len(stages)}-{stage}.png"))
            if stage == "done":
                break
        page = driver.execute_script("""return {
            timeline: window.viTimeline,
            captions: [...document.querySelectorAll('#captions li')].map(li => [li.className, li.textContent]),
            question: document.getElementById('q-text').textContent}""")
        driver.switch_to.frame(driver.find_element("id", "report"))
        page["report"] = driver.find_element("tag name", "body").text
        driver.switch_to.default_content()
        page["stages"] = sorted(stages)
        page["console"] = [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]
        return page
    finally:
        driver.quit()


def test_a_one_question_drill_in_the_browser(tmp_path, testdata):
    from tests.test_web_server import Running
    from voice_interviewer.web.server import ServeOptions

    shots = Path(os.environ.get("VI_WEB_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    speech_end = answer_wav(testdata, tmp_path / "answer.wav")
    server = Running(ServeOptions(data_dir=tmp_path / "sessions", open_browser=False))
    try:
        page = run_drill(server.port, server.server.token, tmp_path / "answer.wav", shots)
    finally:
        server.close()

    assert page["stages"] == ["answering", "done", "follow-up", "question"], page["stages"]
    kinds = [c[0] for c in page["captions"]]
    assert "you" in kinds and kinds.count("int") >= 3  # intro, question, follow-up (and the wrap-up)
    answer = next(text for kind, text in page["captions"] if kind == "you").lower()
    assert "printing" in answer and ("chinese" in answer or "wood" in answer), answer
    events = [e for e in page["timeline"] if e["what"] == "event"]
    said = [e["event"] for e in events if e["type"] == "interviewer_said"]
    assert any(s["kind"] in ("follow_up", "challenge") for s in said), [s["kind"] for s in said]
    assert "Mock interview report" in page["report"] or "MOCK INTERVIEW REPORT" in page["report"]
    assert not [m for m in page["console"] if "Content Security Policy" not in m], page["console"]

    route = [(e["what"], e.get("route") or e.get("ms")) for e in page["timeline"] if e["what"] in ("playback", "audible")]
    print(f"\nplayback route and each line's delay to audible output (ms): {route}")
    gap = reply_gap(page["timeline"], speech_end)
    follow = next(s for s in said if s["kind"] in ("follow_up", "challenge"))
    print(f"\nreply gap through the browser: {gap:.2f} s (server-side gap_s {(follow.get('latency') or {}).get('gap_s')})")
    assert gap is not None and 0 < gap < 15

    session = next((tmp_path / "sessions").iterdir())
    meta = json.loads((session / "meta.json").read_text())
    assert meta["front_end"] == "browser" and meta["candidate"] == "browser microphone"
