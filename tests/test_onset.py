"""The first word's time: the detector's onset moved back to where the voice rose out of the noise."""

import numpy as np
import pytest

from voice_interviewer.listening.onset import refine_onset

RATE = 16000


def _noise(seconds, dbfs, rng):
    return rng.normal(0, 32768 * 10 ** (dbfs / 20), int(seconds * RATE))


def _voice(seconds, dbfs):
    t = np.arange(int(seconds * RATE)) / RATE
    return 32768 * 10 ** (dbfs / 20) * np.sqrt(2) * np.sin(2 * np.pi * 180 * t)


def _clip(*parts):
    return np.clip(np.concatenate(parts), -32768, 32767).astype(np.int16)


def test_a_soft_first_syllable_the_detector_missed_is_found():
    rng = np.random.default_rng(0)
    audio = _clip(_noise(1.0, -70, rng), _voice(0.3, -45) + _noise(0.3, -70, rng), _voice(1.0, -20))
    assert refine_onset(audio, onset_s=1.35) == pytest.approx(1.0, abs=0.03)


def test_a_click_before_the_voice_is_not_the_first_word():
    rng = np.random.default_rng(1)
    click = _voice(0.01, -20)
    audio = _clip(_noise(0.9, -70, rng), click, _noise(0.29, -70, rng), _voice(1.0, -25))
    assert refine_onset(audio, onset_s=1.25) == pytest.approx(1.2, abs=0.03)


def test_speech_that_starts_at_the_onset_keeps_it_and_a_short_clip_is_left_alone():
    rng = np.random.default_rng(2)
    audio = _clip(_noise(1.0, -60, rng), _voice(1.0, -25))
    assert refine_onset(audio, onset_s=1.0) == pytest.approx(1.0, abs=0.02)
    assert refine_onset(audio[:1600], onset_s=0.05) == 0.05  # no room to measure a floor: unchanged
