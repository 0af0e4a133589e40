"""Where the first word really began: the speech detector's onset, moved back to the first sustained
rise above the room's noise floor.

A speech detector opens the turn once it is sure, which can be a soft syllable or two late (Silero:
up to 0.5 s on Piper answers). Whisper's first-word time is no cure: it is often clamped to the start
of the audio it was given, which includes the 0.5 s pre-roll, so it reads 0.5 s early just as often.
The waveform itself says when the voice rose out of the noise.
"""

from __future__ import annotations

import numpy as np

from voice_interviewer.audio.clip import SAMPLE_RATE

STEP_S = 0.01  # 10 ms frames: finer than a syllable
RISE_DB = 12.0  # above the floor: a breath or a click stays under it, a voiced syllable clears it
HOLD_FRAMES = 3  # 30 ms above it, so one click does not count
FLOOR_DBFS = -70.0  # a floor measured in digital silence would make any dither look like speech


def refine_onset(samples: np.ndarray, onset_s: float, look_back_s: float = 0.5) -> float:
    """The onset moved back to where the level first rose RISE_DB above the floor (measured in the
    half-second before the look-back window) and stayed there; the detector's own onset otherwise."""
    step = int(SAMPLE_RATE * STEP_S)
    at = int(round(onset_s / STEP_S))
    first = max(0, at - int(round(look_back_s / STEP_S)))
    start = max(0, first - 50)
    if first - start < 10 or at * step > len(samples):
        return onset_s
    # Only the second before the onset is read (not the whole turn): this runs while the reply waits.
    db = _frame_db(samples[start * step: at * step])
    threshold = max(float(np.percentile(db[: first - start], 50)), FLOOR_DBFS) + RISE_DB
    loud = db[first - start:] > threshold
    for i in range(len(loud) - HOLD_FRAMES + 1):
        if loud[i:i + HOLD_FRAMES].all() and loud[i:].mean() > 0.6:  # rises and mostly stays up to the onset
            return round((first + i) * STEP_S, 3)
    return onset_s


def _frame_db(samples: np.ndarray) -> np.ndarray:
    step = int(SAMPLE_RATE * STEP_S)
    n = len(samples) // step
    if n == 0:
        return np.zeros(0)
    frames = np.asarray(samples[: n * step], np.float64).reshape(n, step) / 32768.0
    return 20 * np.log10(np.sqrt((frames ** 2).mean(axis=1)) + 1e-9)
