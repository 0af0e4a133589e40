"""The one audio type that travels between stages, and sample-rate conversion."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterator

import numpy as np

SAMPLE_RATE = 16_000
FRAME_MS = 30
FRAME_SAMPLES = SAMPLE_RATE * FRAME_MS // 1000
FRAME_BYTES = FRAME_SAMPLES * 2


@dataclass(frozen=True, eq=False)
class AudioClip:
    """16 kHz mono int16 samples, where they came from, and what was done to them."""

    samples: np.ndarray
    source: str = ""
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE

    def frames(self) -> Iterator[bytes]:
        """30 ms frames; the last partial frame is padded with silence."""
        pcm = self.samples
        pad = (-len(pcm)) % FRAME_SAMPLES
        if pad:
            pcm = np.concatenate([pcm, np.zeros(pad, dtype=np.int16)])
        data = pcm.astype("<i2").tobytes()
        for i in range(0, len(data), FRAME_BYTES):
            yield data[i : i + FRAME_BYTES]


def to_int16(audio: np.ndarray) -> np.ndarray:
    """Float in [-1, 1] or any integer array to int16, clipping instead of wrapping."""
    if audio.dtype == np.int16:
        return audio
    if np.issubdtype(audio.dtype, np.floating):
        return (np.clip(audio, -1.0, 1.0) * 32767.0).astype(np.int16)
    return np.clip(audio, -32768, 32767).astype(np.int16)


def resample(audio: np.ndarray, rate_in: int, rate_out: int = SAMPLE_RATE) -> np.ndarray:
    """Mono int16 resampling with FFmpeg's resampler (through PyAV, a faster-whisper dependency)."""
    audio = to_int16(audio)
    if rate_in == rate_out or len(audio) == 0:
        return audio
    import av

    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate_out)
    frame = av.AudioFrame.from_ndarray(audio.reshape(1, -1), format="s16", layout="mono")
    frame.sample_rate = rate_in
    parts = [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    parts += [f.to_ndarray().reshape(-1) for f in resampler.resample(None)]
    return np.concatenate(parts).astype(np.int16) if parts else np.zeros(0, np.int16)


def frames_to_samples(frames: list[bytes]) -> np.ndarray:
    return np.frombuffer(b"".join(frames), dtype="<i2").astype(np.int16)
