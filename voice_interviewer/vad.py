"""Frame-level speech detection: webrtcvad plus an energy gate.

webrtcvad alone fires on many noises (clicks, fans, music); the energy gate
rejects frames far below speech level, and the turn detector then asks for
several voiced frames in a row before it believes a turn has started.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import webrtcvad

from voice_interviewer.audio.clip import FRAME_BYTES, SAMPLE_RATE, AudioClip


@dataclass(frozen=True)
class VadSettings:
    aggressiveness: int = 3  # 0 (lenient) .. 3 (strict); 3 keeps noise out best
    min_dbfs: float = -55.0  # frames quieter than this are never speech


class SpeechDetector:
    def __init__(self, settings: VadSettings = VadSettings()):
        self.settings = settings
        self._vad = webrtcvad.Vad(settings.aggressiveness)

    def is_speech(self, frame: bytes) -> bool:
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"expected a 30 ms frame of {FRAME_BYTES} bytes, got {len(frame)}")
        if frame_dbfs(frame) < self.settings.min_dbfs:
            return False
        return self._vad.is_speech(frame, SAMPLE_RATE)

    def label_clip(self, clip: AudioClip) -> list[bool]:
        return [self.is_speech(f) for f in clip.frames()]


def frame_dbfs(frame: bytes) -> float:
    pcm = np.frombuffer(frame, "<i2").astype(np.float32)
    rms = float(np.sqrt(np.mean(pcm * pcm))) if len(pcm) else 0.0
    return 20.0 * np.log10(max(rms, 1e-3) / 32768.0)
