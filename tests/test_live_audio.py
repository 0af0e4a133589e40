"""The real sounddevice/PortAudio path, through a userspace PulseAudio with null sinks.

paplay into "micfeed" is the candidate speaking into the microphone; "speaker" is where the
interviewer's voice goes; module-loopback from speaker.monitor into micfeed is a room echo.
Skips, saying why, where the server cannot start (../shared/live-audio/rig.sh; packages:
scripts/install_live_audio.sh).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from tests.conftest import load
from voice_interviewer.audio.files import write_wav
from voice_interviewer.listening.listener import Listener
from voice_interviewer.listening.turns import TurnSettings
from voice_interviewer.listening.wer import word_error_rate

RIG = Path(__file__).resolve().parents[2] / "shared" / "live-audio" / "rig.sh"
JFK_TEXT = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."
PULSE_VARS = ("XDG_RUNTIME_DIR", "PULSE_RUNTIME_PATH", "PULSE_STATE_PATH", "PULSE_SERVER", "PULSE_COOKIE",
              "XDG_CONFIG_HOME")


def _rig_env(folder: str) -> dict:
    out = subprocess.run(["bash", str(RIG), "env", folder], capture_output=True, text=True, check=True).stdout
    env = {}
    for line in out.splitlines():
        key, _, value = line.removeprefix("export ").partition("=")
        if key in PULSE_VARS:  # not the program's home and cache: the session's models stay where they are
            env[key] = value
    return env


@pytest.fixture(scope="module", params=[48000, 44100], ids=["48k", "44k1"])
def rig(request):
    if not RIG.exists():
        pytest.skip(f"live-audio rig not found at {RIG}")
    if not shutil.which("pulseaudio") or not shutil.which("paplay"):
        pytest.skip("PulseAudio not installed (run scripts/install_live_audio.sh as root)")
    folder = tempfile.mkdtemp(prefix="vi-rig-", dir="/tmp")
    start = subprocess.run(["bash", str(RIG), "start", folder, str(request.param)], capture_output=True, text=True,
                           timeout=120)
    if start.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.skip(f"PulseAudio could not start: {start.stderr.strip()[-300:]}")
    saved = {k: os.environ.get(k) for k in PULSE_VARS}
    os.environ.update(_rig_env(folder))
    env = dict(os.environ)
    # a low-latency reader on the speaker: a null sink without one runs in ~2 s blocks
    reader = subprocess.Popen(["parec", "-d", "speaker.monitor", "--latency-msec=20", "--raw"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    from voice_interviewer.audio.devices import rescan

    rescan()
    try:
        yield {"dir": folder, "env": env, "rate": request.param}
    finally:
        reader.terminate()
        reader.wait(timeout=5)
        subprocess.run(["bash", str(RIG), "stop", folder], capture_output=True, timeout=30)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        rescan()
        shutil.rmtree(folder, ignore_errors=True)


def _speak_into_mic(rig, samples: np.ndarray, delay_s: float = 0.0) -> threading.Thread:
    path = write_wav(Path(rig["dir"]) / f"say-{time.monotonic_ns()}.wav", samples)

    def run():
        time.sleep(delay_s)
        subprocess.run(["paplay", "-d", "micfeed", str(path)], env=rig["env"], timeout=60)

    t = threading.Thread(target=run, daemon=True)
    t.start()
    return t


@contextlib.contextmanager
def _room_echo(rig):
    """The interviewer's voice looped back into the microphone 300 ms late at full level (48 kHz rig only)."""
    if rig["rate"] != 48000:
        pytest.skip("echo is checked at 48 kHz only (keeps the suite short)")
    loop = subprocess.run(["pactl", "load-module", "module-loopback", "source=speaker.monitor", "sink=micfeed",
                           "latency_msec=300"], capture_output=True, text=True, env=rig["env"], timeout=30)
    if loop.returncode != 0:
        pytest.skip(f"module-loopback unavailable: {loop.stderr.strip()}")
    try:
        yield
    finally:
        subprocess.run(["pactl", "unload-module", loop.stdout.strip()], env=rig["env"], timeout=30)


def _duplex(mode):
    from voice_interviewer.audio.duplex import open_duplex

    return open_duplex(mode)


def test_devices_are_listed_through_the_server(rig):
    from voice_interviewer.audio.devices import audio_check

    check = audio_check()
    assert check.ok, check.summary()


def test_answer_spoken_into_the_mic_is_heard_and_transcribed(rig, stt, testdata):
    audio = _duplex("speaker")
    try:
        audio.flush()
        _speak_into_mic(rig, load(testdata, "asr/openai-whisper/jfk.flac").samples, delay_s=0.5)
        heard = Listener(stt, end_of_turn=None).listen(audio.frames(), TurnSettings(think_timeout_s=8, end_silence_s=2.0))
    finally:
        audio.close()
    assert word_error_rate(JFK_TEXT, heard.transcript.text) < 0.25, heard.transcript.text


def test_no_self_hearing_with_a_300ms_full_level_echo(rig, stt, testdata):
    """A fresh canceller (a session's first line) with the interviewer's voice looped back 300 ms late."""
    with _room_echo(rig):
        audio = _duplex("speaker")
        try:
            line = load(testdata, "asr/coqui-tts-ljspeech/wavs/LJ001-0001.wav")
            played = audio.play(line.samples[: 16000 * 5], 16000)
            audio.flush()
            heard = Listener(stt).listen(audio.frames(), TurnSettings(think_timeout_s=2.0, end_silence_s=1.5))
        finally:
            audio.close()
    assert not played.interrupted, "its own voice was taken for the candidate cutting in"
    assert heard.end_reason == "no_answer", heard.transcript.text


def test_the_line_after_a_barge_in_does_not_hear_itself(rig, stt, testdata):
    """A stopped line throws away what the speaker's device still held; the canceller's reference must
    lose it too, or every later echo comes 0.2 s before its reference and the next line, at full
    level, stops itself or is heard as an answer (seen live: 8 of 10 lines)."""
    with _room_echo(rig):
        audio = _duplex("speaker")
        try:
            line = load(testdata, "asr/coqui-tts-ljspeech/wavs/LJ001-0001.wav").samples
            audio.play(line[: 16000 * 4], 16000)  # the intro
            audio.flush()
            speaking = _speak_into_mic(rig, load(testdata, "asr/openai-whisper/jfk.flac").samples[: 16000 * 4], 1.5)
            cut = audio.play(line, 16000)
            speaking.join(timeout=60)
            time.sleep(1.0)
            audio.flush()  # the candidate's words go; the next line is said to a silent candidate
            nxt = audio.play(load(testdata, "asr/coqui-tts-ljspeech/wavs/LJ001-0003.wav").samples, 16000)
            audio.flush()
            heard = Listener(stt).listen(audio.frames(), TurnSettings(think_timeout_s=2.0, end_silence_s=1.5))
        finally:
            audio.close()
    assert cut.interrupted, "the candidate spoke and the line played on"
    assert not nxt.interrupted, f"the next line stopped itself at {nxt.played_s:.2f} s"
    assert heard.end_reason == "no_answer", heard.transcript.text


def test_barge_in_stops_playback(rig, stt, testdata):
    if rig["rate"] != 48000:
        pytest.skip("barge-in is checked at 48 kHz only (keeps the suite short)")
    audio = _duplex("speaker")
    try:
        line = load(testdata, "asr/coqui-tts-ljspeech/wavs/LJ001-0001.wav")
        answer = load(testdata, "asr/openai-whisper/jfk.flac").samples
        audio.play(line.samples[: 16000 * 4], 16000)  # the intro: a fresh canceller takes no barge-in for 3 s
        audio.flush()
        t0 = time.monotonic()
        speaking = _speak_into_mic(rig, answer, delay_s=1.5)
        played = audio.play(line.samples, 16000)
        stopped = time.monotonic() - t0
    finally:
        audio.close()
    speaking.join(timeout=60)  # the answer plays on after the stop: it must not reach the next test's mic
    onset = 1.5 + 0.34  # jfk.flac's first sound
    line_s = len(line.samples) / 16000
    # Functional check only: the line was cut short once the candidate spoke. How fast it stops is a
    # figure for scripts/bench_real_rooms.py (docs/benchmarks.md), not a pass/fail bound on a shared CPU.
    assert played.interrupted, "the candidate spoke and the line played on"
    assert played.played_s < line_s - 2.0 and stopped < line_s, (
        f"stopped {stopped - onset:.2f} s after the candidate's onset, {played.played_s:.1f} s of a {line_s:.1f} s line")


def test_live_drill_hears_a_spoken_answer_and_follows_up(rig, testdata, tmp_path):
    """The terminal's live path end to end: audio check, duplex audio (speaker mode), the real models,
    a drill question answered by paplay into the microphone, the follow-up said through the speaker."""
    if rig["rate"] != 48000:
        pytest.skip("the whole session runs at 48 kHz only (keeps the suite short)")
    from voice_interviewer.events import ListeningStarted
    from voice_interviewer.runner import RunOptions, run_interview
    from voice_interviewer.session import FrontEnd
    from voice_interviewer.sessions.store import load_session

    answer = load(testdata, "asr/openai-whisper/jfk.flac").samples  # off topic: a key point is surely missed

    speaking: list[threading.Thread] = []

    def candidate(event) -> None:  # answers each turn, unless still answering (a withdrawn line's continuation)
        if isinstance(event, ListeningStarted) and not any(t.is_alive() for t in speaking):
            speaking.append(_speak_into_mic(rig, answer, delay_s=0.5))

    opts = RunOptions(mode="drill", question_ids=("mlf-bias-variance",), seconds=40, llm="none", data_root=tmp_path)
    result = run_interview(opts, echo=lambda *_: None, front_end=FrontEnd(subscribers=(candidate,)))
    session = load_session(result.session_dir, check_audio=False)
    turns = [e for e in session.events if e.TYPE == "candidate_turn"]
    said = [e for e in session.events if e.TYPE == "interviewer_said"]
    assert result.status == "completed", result.status
    assert turns and word_error_rate(JFK_TEXT, turns[0].text) < 0.3, [t.text for t in turns]
    assert turns[0].end_detail and turns[0].gain_db is not None  # the listener's own account of the turn's end
    assert [s.kind for s in said if s.kind != "intro"][:2] == ["question", "follow_up"], [(s.kind, s.text) for s in said]
