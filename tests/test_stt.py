"""Speech-to-text on real speech: text, word timings, prompting, silence, incremental decoding."""

import numpy as np
import pytest

from tests.conftest import load
from voice_interviewer.audio.clip import SAMPLE_RATE, AudioClip
from voice_interviewer.listening.wer import word_error_rate
from voice_interviewer.listening.stt import transcribe_clip, vocabulary_prompt

JFK = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."


def test_jfk_incremental_matches_reference(stt, testdata):
    t = transcribe_clip(stt, load(testdata, "asr/openai-whisper/jfk.flac"))
    assert word_error_rate(JFK, t.text) < 0.2
    words = t.words
    assert len(words) >= 18
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
    assert 0 <= words[0].start and words[-1].end <= 11.2


def test_read_speech_from_manifest(stt, testdata):
    rows = [r.split("\t") for r in (testdata / "asr/manifest.tsv").read_text().splitlines()[1:]]
    row = next(r for r in rows if r[0].endswith("LJ001-0001.wav"))
    t = transcribe_clip(stt, load(testdata, "asr/" + row[0]))
    assert word_error_rate(row[1], t.text) < 0.25


def test_one_shot_and_incremental_agree(stt, testdata):
    clip = load(testdata, "asr/coqui-tts-ljspeech/wavs/LJ001-0005.wav")
    inc = transcribe_clip(stt, clip, incremental=True)
    one = transcribe_clip(stt, clip, incremental=False)
    assert word_error_rate(one.text, inc.text) < 0.2


def test_silence_sends_nothing_to_whisper(stt):
    t = transcribe_clip(stt, AudioClip(np.zeros(SAMPLE_RATE * 5, np.int16)))
    assert t.text == "" and "no speech detected" in t.notes


def test_vocabulary_prompt_is_passed():
    assert "XGBoost" in vocabulary_prompt(["XGBoost", "AUC"])
    assert vocabulary_prompt(None) is None
    assert "Um," in vocabulary_prompt(None, keep_fillers=True)  # the disfluent style that keeps fillers
