"""Echo cancellation, barge-in and the turn's onset, in a simulated room (no sound server needed)."""

import threading

import numpy as np
import pytest

from tests.conftest import load
from voice_interviewer.audio.edge import EdgeProcessor, EdgeSettings
from voice_interviewer.audio.echo import MicCleaner
from voice_interviewer.audio.virtual import VirtualAudioDevice
from voice_interviewer.listening.listener import Listener
from voice_interviewer.listening.silero import SileroDetector
from voice_interviewer.listening.turns import TurnSettings
from voice_interviewer.listening.wer import word_error_rate

LINE = "asr/coqui-tts-ljspeech/wavs/LJ001-0001.wav"  # ~9.7 s: the interviewer's line
JFK = "asr/openai-whisper/jfk.flac"
SHORT = TurnSettings(think_timeout_s=3.0, end_silence_s=1.5)


def _edge(mode="speaker"):
    return EdgeProcessor(MicCleaner(), SileroDetector(), EdgeSettings(mode=mode))


def test_full_level_echo_300ms_opens_no_turn_with_the_canceller(stt, testdata):
    line = load(testdata, LINE)
    dev = VirtualAudioDevice([None], echo_delay_s=0.3, echo_gain=1.0, edge=_edge())
    played = dev.play(line.samples, 16000)
    dev.flush()
    heard = Listener(stt).listen(dev.frames(), SHORT, lockstep=True)
    assert not played.interrupted  # its own voice is not taken for a barge-in
    assert heard.end_reason == "no_answer" and heard.transcript.text == ""


def test_without_the_canceller_the_echo_tail_opens_a_turn(stt, testdata):
    """What the live test showed: flushing the mic is not enough with a 300 ms echo path."""
    line = load(testdata, LINE)
    dev = VirtualAudioDevice([None], echo_delay_s=0.3, edge=_edge("headphones"))
    dev.play(line.samples, 16000)
    dev.flush()
    heard = Listener(stt).listen(dev.frames(), SHORT, lockstep=True)
    assert heard.first_word_s is not None and heard.first_word_s < 0.3


def test_barge_in_stops_playback_fast_and_keeps_the_onset(stt, testdata):
    line, answer = load(testdata, LINE), load(testdata, JFK)
    dev = VirtualAudioDevice([answer], echo_delay_s=0.3, barge_in_s=2.0, edge=_edge())
    played = dev.play(line.samples, 16000)
    onset = 2.0 + 0.34  # jfk.flac starts speaking 0.34 s in
    assert played.interrupted
    assert onset < played.played_s <= onset + 0.3  # stopped within 300 ms of the candidate's first sound
    assert dev.play(line.samples, 16000).interrupted  # the rest of the line is not played over them
    dev.flush()
    heard = Listener(stt, end_of_turn=None).listen(dev.frames(), TurnSettings(end_silence_s=2.0), lockstep=True)
    assert heard.first_word_s is not None and heard.first_word_s < 1.2  # the onset was kept, not flushed
    assert "fellow americans" in heard.transcript.text.lower()  # the words said over the interviewer
    assert word_error_rate("my fellow Americans ask not what your country can do for you ask what you can do "
                           "for your country", heard.transcript.text) < 0.35


def test_headphones_mode_has_no_barge_in(testdata):
    line, answer = load(testdata, LINE), load(testdata, JFK)
    dev = VirtualAudioDevice([answer], barge_in_s=2.0, edge=_edge("headphones"))
    assert not dev.play(line.samples, 16000).interrupted


def test_listen_joins_the_stt_thread_when_anything_goes_wrong(stt):
    def broken_frames():
        yield bytes(960)
        raise RuntimeError("the microphone went away")

    before = {t.ident for t in threading.enumerate()}
    with pytest.raises(RuntimeError):
        Listener(stt, end_of_turn=None).listen(broken_frames(), SHORT)
    assert not [t for t in threading.enumerate() if t.name == "stt" and t.ident not in before]
