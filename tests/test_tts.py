"""Text-to-speech: the interview vocabulary normaliser and a real round trip through Whisper."""

import numpy as np
import pytest

from voice_interviewer.audio.clip import resample
from voice_interviewer.listening.wer import word_error_rate
from voice_interviewer.speaking.tts_text import normalize_for_speech, split_sentences


@pytest.mark.parametrize("text, spoken", [
    ("L1 or L2?", "L one or L two?"),
    ("AUC vs ROC", "A U C versus R O C"),
    ("an A/B test", "an A B test"),
    ("a p-value of 0.05", "a p value of zero point zero five"),
    ("k-NN and XGBoost", "k nearest neighbours and X G Boost"),
    ("1% of users", "one percent of users"),
    ("it costs $500", "it costs five hundred dollars"),
    ("$2M budget", "two million dollars budget"),
    ("PR-AUC and F1", "P R A U C and F one"),
    ("1,200 users", "one thousand two hundred users"),
])
def test_normaliser(text, spoken):
    assert normalize_for_speech(text) == spoken


def test_sentence_split():
    assert split_sentences("First one. Second? Third!") == ["First one.", "Second?", "Third!"]


def test_round_trip_through_whisper(tts, stt):
    text = "How would you choose a decision threshold when false positives are expensive?"
    pieces = list(tts.stream(text))
    audio = np.concatenate([p.samples for p in pieces])
    heard = stt.transcribe(resample(audio, tts.rate), prompt=None)
    assert word_error_rate(text, " ".join(s.text for s in heard)) < 0.25


def test_streams_one_piece_per_sentence_and_caches(tts):
    text = "Thanks. Let's move on to the next question."
    first = list(tts.stream(text))
    assert [p.text for p in first] == ["Thanks.", "Let's move on to the next question."]
    assert all(p.duration_s > 0.3 for p in first)
    again = list(tts.stream(text))
    assert all(np.shares_memory(a.samples, b.samples) for a, b in zip(first, again))  # from the phrase cache


def test_the_first_sentence_starts_at_its_first_sound(tts):
    from voice_interviewer.speaking.tts import trim_lead_in

    pieces = list(tts.stream("Why would you pick recall here? Think of the costs."))
    first = np.abs(pieces[0].samples.astype(np.int32))
    assert np.argmax(first > first.max() * 0.01) <= 0.025 * tts.rate  # sound within 25 ms
    later = list(tts.stream("Okay. Think of the costs."))[1]  # later sentences keep their own lead-in
    assert len(pieces[1].samples) == len(later.samples) > len(trim_lead_in(later.samples, tts.rate))
    quiet_start = np.concatenate([np.zeros(8000, np.int16), np.full(100, 3000, np.int16)])
    assert len(trim_lead_in(quiet_start, 16000)) == 100 + 320
    assert len(trim_lead_in(np.zeros(50, np.int16), 16000)) == 50  # silence stays silence
