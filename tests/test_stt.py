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


class _Seg:
    def __init__(self, text, word_ends=()):
        self.text, self.words = text, [type("W", (), {"end": e})() for e in word_ends]


def test_decoding_stops_once_the_words_reach_the_end_of_the_chunk():
    """With word times on, faster-whisper decodes the chunk's trailing pause again (slow, and it makes
    words up); the segments generator is not read past the chunk's last words."""
    from voice_interviewer.listening.stt import _first_pass

    def segments():
        yield _Seg("in the early middle ages.", (0.4, 1.2, 1.9))
        raise AssertionError("the second decode must not run")

    assert [s.text for s in _first_pass(segments(), audio_s=2.2)] == ["in the early middle ages."]
    more = [_Seg("one", (0.5,)), _Seg("two", (3.0,)), _Seg("three", (5.8,))]  # speech to the end: all kept
    assert len(_first_pass(iter(more), audio_s=6.0)) == 3


def test_more_words_than_anyone_can_say_are_dropped():
    from voice_interviewer.listening.stt import max_tokens, too_many_words

    leak = [_Seg("The Gudenburg or 42 line Bible."), _Seg("The Gudenburg or 42 line Bible.")]
    assert too_many_words(leak, audio_s=0.21)
    assert not too_many_words([_Seg("Yes, exactly.")], audio_s=0.4)
    assert not too_many_words([_Seg(" ".join(["word"] * 20))], audio_s=4.0)  # 5 words a second: fast, real
    assert max_tokens(0.2) < 20 and max_tokens(4.0) >= 4 * 5 * 2 and max_tokens(60.0) <= 440
