"""Frame-level speech detection: webrtcvad behind an adaptive noise floor.

webrtcvad alone calls almost every frame of a fan, hum or rumble "speech"
(94-100% of frames on the speechbrain noise clips). A frame only counts as
speech when webrtcvad says so AND it stands `margin_db` above the background
level, which is tracked as a floor that drops at once to any quieter frame
and creeps up slowly (`floor_rise_db` per frame), so steady noise can never
climb above it while the gaps between words keep pulling it back down.
Measured choices are in docs/benchmarks.md (bench_vad).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import webrtcvad

from voice_interviewer.audio.clip import FRAME_BYTES, SAMPLE_RATE, AudioClip


@dataclass(frozen=True)
class VadSettings:
    # Measured (docs/benchmarks.md, bench_vad): with the adaptive floor doing the noise work,
    # aggressiveness 2 and no absolute level gate score best on the labelled speech
    # (frame F1 0.836 vs 0.746 for 3 with a -60 dBFS gate) and open no more turns on noise.
    aggressiveness: int = 2  # 0 (lenient) .. 3 (strict)
    margin_db: float = 12.0  # how far above the background speech must stand
    floor_rise_db: float = 0.015  # per 30 ms frame: 0.5 dB/s
    min_dbfs: float = -100.0  # an absolute floor; effectively off (the adaptive one decides)


class SpeechDetector:
    def __init__(self, settings: VadSettings = VadSettings()):
        self.settings = settings
        self._vad = webrtcvad.Vad(settings.aggressiveness)
        self._floor: float | None = None

    def reset(self, floor_dbfs: float | None = None) -> None:
        self._floor = floor_dbfs

    def prime(self, clip: AudioClip) -> None:
        """Start the floor at the clip's own background level (its 10th-percentile frame).

        A live stream starts in silence, so its first frame is a fair floor; a file may
        start mid-sentence, and a floor taken from speech would reject the first words.
        """
        levels = [frame_dbfs(f) for f in clip.frames()]
        self.reset(float(np.percentile(levels, 10)) if levels else None)

    @property
    def noise_floor_dbfs(self) -> float | None:
        return self._floor

    def is_speech(self, frame: bytes) -> bool:
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"expected a 30 ms frame of {FRAME_BYTES} bytes, got {len(frame)}")
        level = frame_dbfs(frame)
        s = self.settings
        if self._floor is None or level < self._floor:
            self._floor = level
        else:
            self._floor += s.floor_rise_db
        if level < s.min_dbfs or level < self._floor + s.margin_db:
            return False
        return self._vad.is_speech(frame, SAMPLE_RATE)

    def label_clip(self, clip: AudioClip) -> list[bool]:
        self.prime(clip)
        return [self.is_speech(f) for f in clip.frames()]


def frame_dbfs(frame: bytes) -> float:
    pcm = np.frombuffer(frame, "<i2").astype(np.float32)
    rms = float(np.sqrt(np.mean(pcm * pcm))) if len(pcm) else 0.0
    return 20.0 * np.log10(max(rms, 1e-3) / 32768.0)


def default_detector():
    """The detector that measured best (docs/benchmarks.md, "Real rooms"): Silero VAD, or
    webrtcvad with the adaptive floor when the Silero model is not installed."""
    try:
        from voice_interviewer.listening.silero import SileroDetector

        return SileroDetector()
    except Exception as exc:  # model package missing or onnxruntime broken: still usable
        import logging

        logging.getLogger(__name__).warning("Silero VAD unavailable (%s); using webrtcvad", exc)
        return SpeechDetector()
