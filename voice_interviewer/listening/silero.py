"""Frame-level speech detection with Silero VAD (ONNX, run by onnxruntime).

Silero looks at 32 ms windows (512 samples at 16 kHz, with the previous 64
samples as context) and keeps a recurrent state. Our frames are 30 ms, so
samples are buffered and each frame takes the probability of the latest
window. A hysteresis (on above `on`, off below `off`) keeps words whole.
Silero is trained on noisy audio: it ignores hum, fans and rumble that an
energy detector calls speech, and it does not depend on the input level.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voice_interviewer.audio.clip import FRAME_BYTES, SAMPLE_RATE, AudioClip
from voice_interviewer.models import store as model_store

_WINDOW = 512
_CONTEXT = 64


@dataclass(frozen=True)
class SileroSettings:
    on: float = 0.5  # probability that starts speech
    off: float = 0.35  # probability under which speech stops
    threads: int = 1


def _session(path: str, threads: int):
    import onnxruntime as ort

    so = ort.SessionOptions()
    so.inter_op_num_threads = 1
    so.intra_op_num_threads = threads
    so.log_severity_level = 3
    return ort.InferenceSession(path, sess_options=so, providers=["CPUExecutionProvider"])


class SileroDetector:
    """Same shape as vad.SpeechDetector: is_speech(30 ms frame), reset(), prime(clip), label_clip(clip)."""

    def __init__(self, settings: SileroSettings = SileroSettings(), model_path=None):
        self.settings = settings
        folder = model_store.resolve("silero-vad", explicit=model_path, progress=False)
        self._session = _session(str(folder / "silero_vad.onnx"), settings.threads)
        self.reset()

    def reset(self, floor_dbfs: float | None = None) -> None:
        self._state = np.zeros((2, 1, 128), np.float32)
        self._context = np.zeros(_CONTEXT, np.float32)
        self._buffer = np.zeros(0, np.float32)
        self._speaking = False
        self.probability = 0.0

    def prime(self, clip: AudioClip) -> None:
        self.reset()  # Silero needs no background level: a clean start is enough

    @property
    def noise_floor_dbfs(self) -> float | None:
        return None

    def _window(self, x: np.ndarray) -> float:
        inp = np.concatenate([self._context, x]).reshape(1, -1)
        out, self._state = self._session.run(None, {"input": inp, "state": self._state,
                                                    "sr": np.array(SAMPLE_RATE, np.int64)})
        self._context = x[-_CONTEXT:]
        return float(out.reshape(-1)[0])

    def is_speech(self, frame: bytes) -> bool:
        if len(frame) != FRAME_BYTES:
            raise ValueError(f"expected a 30 ms frame of {FRAME_BYTES} bytes, got {len(frame)}")
        self._buffer = np.concatenate([self._buffer, np.frombuffer(frame, "<i2").astype(np.float32) / 32768.0])
        while len(self._buffer) >= _WINDOW:
            self.probability = self._window(self._buffer[:_WINDOW])
            self._buffer = self._buffer[_WINDOW:]
        s = self.settings
        self._speaking = self.probability >= (s.off if self._speaking else s.on)
        return self._speaking

    def label_clip(self, clip: AudioClip) -> list[bool]:
        self.prime(clip)
        return [self.is_speech(f) for f in clip.frames()]
