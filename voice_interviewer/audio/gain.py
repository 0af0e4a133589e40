"""A digital gain stage for quiet microphones, before speech detection and Whisper.

A laptop microphone far from the mouth can deliver speech peaking near
-50 dBFS; detectors tuned on normal levels then call it silence. The stage
tracks the loudest recent frame (instant rise, slow fall) and the background
level, and raises the signal so speech peaks near `target_peak_dbfs`, but
never by more than `max_gain_db` and never so much that the background rises
above `max_noise_dbfs` (amplified hiss must not look like speech). Gain moves
smoothly from frame to frame (no steps, no clicks) and only ever amplifies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voice_interviewer.audio.clip import FRAME_MS, AudioClip

_FRAME_S = FRAME_MS / 1000


@dataclass(frozen=True)
class GainSettings:
    target_peak_dbfs: float = -6.0
    max_gain_db: float = 40.0
    max_noise_dbfs: float = -50.0  # the background may be raised up to here, no further
    peak_fall_db_per_s: float = 1.0  # how fast the remembered peak forgets a loud moment
    floor_rise_db_per_s: float = 0.5
    step_db: float = 0.5  # the most the gain moves per 30 ms frame


def _db(x: float) -> float:
    return 20.0 * np.log10(max(x, 1.0) / 32768.0)


class AutoGain:
    """process(30 ms int16 frame) -> the same frame, raised; `gain_db` says by how much."""

    def __init__(self, settings: GainSettings = GainSettings()):
        self.s = settings
        self.reset()

    def reset(self) -> None:
        self._peak: float | None = None
        self._floor: float | None = None
        self.gain_db = 0.0

    def prime(self, samples: np.ndarray) -> None:
        """Start from a whole recording's own levels (its loud and its quiet frames)."""
        frames = np.asarray(samples, np.int16)[: len(samples) // 480 * 480].reshape(-1, 480).astype(np.float32)
        if not len(frames):
            return
        peaks = np.abs(frames).max(axis=1)
        rms = np.sqrt((frames ** 2).mean(axis=1))
        self._peak = _db(float(np.percentile(peaks, 99)))
        self._floor = _db(float(np.percentile(rms, 10)))
        self.gain_db = self._wanted()

    def _wanted(self) -> float:
        s = self.s
        g = min(s.max_gain_db, s.target_peak_dbfs - self._peak, s.max_noise_dbfs - self._floor)
        return max(0.0, g)

    def _track(self, peak_db: float, rms_db: float) -> None:
        s = self.s
        self._peak = peak_db if self._peak is None else max(peak_db, self._peak - s.peak_fall_db_per_s * _FRAME_S)
        self._floor = rms_db if self._floor is None or rms_db < self._floor else self._floor + s.floor_rise_db_per_s * _FRAME_S

    def process(self, frame: bytes) -> bytes:
        pcm = np.frombuffer(frame, "<i2").astype(np.float32)
        self._track(_db(float(np.abs(pcm).max(initial=0.0))), _db(float(np.sqrt(np.mean(pcm * pcm))) if len(pcm) else 0.0))
        start = self.gain_db
        wanted = self._wanted()
        end = start + float(np.clip(wanted - start, -self.s.step_db * 4, self.s.step_db))  # falls faster than it rises
        self.gain_db = end
        if start == 0.0 and end == 0.0:
            return frame
        ramp = 10.0 ** (np.linspace(start, end, len(pcm), dtype=np.float32) / 20.0)  # smooth within the frame
        return np.clip(pcm * ramp, -32768, 32767).astype("<i2").tobytes()

    def process_clip(self, clip: AudioClip) -> AudioClip:
        """A whole recording at once (files): primed on its own levels, then frame by frame."""
        self.prime(clip.samples)
        out = b"".join(self.process(f) for f in clip.frames())
        samples = np.frombuffer(out, "<i2")[: len(clip.samples)].astype(np.int16)
        notes = clip.notes + ((f"raised by {self.gain_db:.0f} dB (quiet recording)",) if self.gain_db >= 1 else ())
        return AudioClip(samples, clip.source, notes)
