"""The live path's wiring, on fakes (no model, no sound server): device check first, flush after a
barge-in, --patience, and the listener's account of each turn in the record."""

from __future__ import annotations

import time

import numpy as np
import pytest

from tests.fakes import FakeEmbedder, ScriptedChannel
from voice_interviewer import events as ev
from voice_interviewer.bank.questions import load_bank
from voice_interviewer.bus import SessionBus
from voice_interviewer.errors import AudioDeviceError
from voice_interviewer.interfaces import PlayResult
from voice_interviewer.interviewer.channels import AudioChannel
from voice_interviewer.interviewer.interview import Interview, InterviewSettings
from voice_interviewer.interviewer.phrasing import Phraser
from voice_interviewer.interviewer.planning import PlannedQuestion
from voice_interviewer.interviewer.policy import PolicySettings
from voice_interviewer.listening.listener import HeardAnswer
from voice_interviewer.listening.stt import Segment, Transcript


class _Source:
    def __init__(self, keeps_onset: bool):
        self.flush_keeps_onset, self.flushes = keeps_onset, 0

    def frames(self):
        return iter(())

    def flush(self):
        self.flushes += 1


class _CutInSink:
    def play(self, samples, rate):
        return PlayResult(0.5, interrupted=True)


class _Voice:
    rate = 16000

    def stream(self, text):
        yield type("Piece", (), {"samples": np.ones(16000, np.int16), "rate": 16000})()


class _Listener:
    def listen(self, frames, settings, prompt, **kw):
        return HeardAnswer(Transcript("", (), "tiny.en"), np.zeros(0, np.int16), "no_answer", None, None, 0.0, 0.0)


@pytest.mark.parametrize("keeps_onset,flushes", [(True, 1), (False, 0)])
def test_after_a_barge_in_only_a_source_that_keeps_the_onset_is_flushed(keeps_onset, flushes):
    """The duplex device hands the interruption's first words on at flush(); a plain source would lose them."""
    source = _Source(keeps_onset)
    channel = AudioChannel(source, _CutInSink(), _Voice(), _Listener(), lockstep=False, echo=lambda *_: None)
    try:
        assert channel.say("A long question.").heard_s is not None
        channel.hear(None, None)
    finally:
        channel.close()
    assert source.flushes == flushes


class _Heard(ScriptedChannel):
    """Answers with the end-of-turn detail a live listener gives, and keeps each turn's settings."""

    def __init__(self, answers):
        super().__init__(answers)
        self.settings = []

    def hear(self, settings, prompt, on_partial=None, controls=None):
        self.settings.append(settings)
        if not self.answers:
            return super().hear(settings, prompt, on_partial, controls)
        text = self.answers.pop(0)
        return HeardAnswer(Transcript(text, (Segment(text, 0.5, 3.0),), "tiny.en"), np.ones(1600, np.int16), "silence",
                           0.5, 3.0, 6.2, 0.01, time.perf_counter(), end_detail="patience 3.2 s (p=0.41)",
                           complete_prob=0.4123, gain_db=12.34)


def _run(channel, patience):
    bus, seen = SessionBus(time.monotonic), []
    bus.subscribe(seen.append)
    settings = InterviewSettings(mode="drill", small_talk=False, speculate=False, answer_patience_s=patience,
                                 policy=PolicySettings(max_follow_ups=0))
    Interview(channel, Phraser(None), FakeEmbedder(), bus, lambda *a: None, settings, time.monotonic).run(
        [PlannedQuestion(load_bank().get("mlf-bias-variance"), "drill", 60)], None, None)
    return seen


@pytest.mark.parametrize("patience,unfinished", [(1.0, 3.2), (2.5, 3.2), (5.0, 5.0)])
def test_patience_sets_the_silence_window_and_never_shortens_an_unfinished_answer(patience, unfinished):
    channel = _Heard(["Bias is underfitting."])
    _run(channel, patience)
    assert channel.settings[0].end_silence_s == patience
    assert channel.settings[0].unfinished_silence_s == unfinished


def test_the_turn_record_keeps_why_it_ended_the_model_verdict_and_the_gain():
    turn = next(e for e in _run(_Heard(["Bias is underfitting."]), 2.5) if isinstance(e, ev.CandidateTurn))
    assert turn.end_detail == "patience 3.2 s (p=0.41)" and turn.complete_prob == 0.4123 and turn.gain_db == 12.3


def test_a_live_session_without_audio_devices_stops_before_any_model_loads(monkeypatch, tmp_path):
    from voice_interviewer.audio import devices
    from voice_interviewer.runner import RunOptions, run_interview
    from voice_interviewer.session import InterviewSession

    monkeypatch.setattr(devices, "audio_check", lambda **kw: devices.AudioCheck(False, (), ("No microphone found: plug one in",)))

    def no_models(self):
        raise AssertionError("speech models were loaded before the audio check")

    monkeypatch.setattr(InterviewSession, "_speech_models", no_models)
    with pytest.raises(AudioDeviceError, match="No microphone found"):
        run_interview(RunOptions(mode="drill", count=1, llm="none", data_root=tmp_path), echo=lambda *_: None)


def test_mic_check_runs_before_the_duplex_stream_takes_the_microphone(monkeypatch, tmp_path):
    from voice_interviewer.audio import devices, duplex, mic_check
    from voice_interviewer.runner import RunOptions, run_interview

    order = []
    monkeypatch.setattr(devices, "audio_check", lambda **kw: devices.AudioCheck(True, (), ()))
    monkeypatch.setattr(mic_check, "run_mic_check", lambda seconds: order.append(("mic", seconds)))

    def opened(mode):
        order.append(("duplex", mode))
        raise AudioDeviceError("stop here", "")

    monkeypatch.setattr(duplex, "open_duplex", opened)
    with pytest.raises(AudioDeviceError, match="stop here"):
        run_interview(RunOptions(mode="drill", count=1, llm="none", data_root=tmp_path, mic_check=True,
                                 headphones=True), echo=lambda *_: None)
    assert order == [("mic", 4.0), ("duplex", "headphones")]
