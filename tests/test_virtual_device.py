"""The virtual sound card feeding real recordings through VAD, turn detection and STT."""

import numpy as np
import pytest

from tests.conftest import load
from voice_interviewer.audio.virtual import VirtualAudioDevice
from voice_interviewer.listening.listener import Listener
from voice_interviewer.selfcheck import run_selfcheck
from voice_interviewer.listening.wer import word_error_rate
from voice_interviewer.listening.turns import TurnSettings

JFK = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."


def test_recorded_answer_through_the_whole_listening_path(stt, testdata):
    answer = load(testdata, "asr/openai-whisper/jfk.flac")
    dev = VirtualAudioDevice([answer], think_s=3.0)
    dev.play(np.zeros(8000, np.int16), 16000)  # the interviewer's (silent) question
    dev.flush()
    # patience only: JFK's rhetorical pause after "Americans" sounds finished to Smart Turn (p=0.98)
    heard = Listener(stt, end_of_turn=None).listen(dev.frames(), TurnSettings(end_silence_s=2.0))
    assert heard.end_reason == "silence"
    assert word_error_rate(JFK, heard.transcript.text) < 0.2
    assert heard.first_word_s == pytest.approx(3.0, abs=0.5)  # the thinking pause
    assert heard.speech_end_s < heard.decided_s
    assert heard.decided_s - heard.speech_end_s == pytest.approx(2.0, abs=0.1)


def test_done_phrase_ends_the_turn_early(stt, tts):
    said = tts.synthesize("Bias is error from wrong assumptions. That's my answer.")
    from voice_interviewer.audio.clip import AudioClip, resample

    dev = VirtualAudioDevice([AudioClip(resample(said.samples, said.rate))], think_s=0.5)
    dev.flush()
    heard = Listener(stt).listen(dev.frames(), TurnSettings(end_silence_s=8.0), lockstep=True)
    assert heard.end_reason == "done"
    assert heard.decided_s < heard.speech_end_s + 8.0


def test_silent_candidate_gets_no_answer(stt):
    dev = VirtualAudioDevice([None])
    dev.flush()
    heard = Listener(stt).listen(dev.frames(), TurnSettings(think_timeout_s=4))
    assert heard.end_reason == "no_answer" and heard.transcript.text == ""


def test_recording_keeps_both_sides_on_one_timeline(testdata):
    answer = load(testdata, "asr/coqui-tts-ljspeech/wavs/LJ001-0002.wav")
    dev = VirtualAudioDevice([answer], think_s=1.0)
    dev.play(np.full(16000, 1000, np.int16), 16000)
    dev.flush()
    frames = dev.frames()
    for _ in range(150):
        next(frames)
    assert len(dev.recording("interviewer")) == 16000
    cand = dev.recording("candidate")
    first = np.flatnonzero(cand)[0] / 16000
    assert first == pytest.approx(2.0, abs=0.05)  # 1 s question + 1 s thinking


def test_selfcheck_speaks_hears_and_transcribes():
    result = run_selfcheck("Tell me how you would detect training serving skew.")
    assert result.passed, result.report()
