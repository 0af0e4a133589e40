"""A resampler that lives as long as the stream it converts.

A resampler made fresh for every block starts each block from silence and
drops its filter tail at the end: a click at every block edge. One
StreamResampler per stream keeps the filter state between blocks, so a
stream cut into blocks comes out the same as if it had been converted whole.
"""

from __future__ import annotations

import numpy as np

from voice_interviewer.audio.clip import to_int16


class StreamResampler:
    """Mono int16 in at rate_in, mono int16 out at rate_out, block by block, state kept."""

    def __init__(self, rate_in: int, rate_out: int):
        self.rate_in, self.rate_out = int(rate_in), int(rate_out)
        self._av = None
        self._pts = 0
        if self.rate_in != self.rate_out:
            import av  # FFmpeg's resampler through PyAV (a faster-whisper dependency)

            self._av = av
            self._resampler = av.AudioResampler(format="s16", layout="mono", rate=self.rate_out)

    def process(self, block: np.ndarray) -> np.ndarray:
        block = to_int16(np.asarray(block).reshape(-1))
        if self._av is None or len(block) == 0:
            return block
        frame = self._av.AudioFrame.from_ndarray(np.ascontiguousarray(block.reshape(1, -1)), format="s16", layout="mono")
        frame.sample_rate = self.rate_in
        frame.pts = self._pts  # continuous timestamps: FFmpeg treats the blocks as one stream
        self._pts += len(block)
        return self._collect(self._resampler.resample(frame))

    def flush(self) -> np.ndarray:
        """What is left inside the filter at the end of the stream."""
        if self._av is None:
            return np.zeros(0, np.int16)
        return self._collect(self._resampler.resample(None))

    @staticmethod
    def _collect(frames) -> np.ndarray:
        parts = [f.to_ndarray().reshape(-1) for f in frames]
        return np.concatenate(parts).astype(np.int16) if parts else np.zeros(0, np.int16)
