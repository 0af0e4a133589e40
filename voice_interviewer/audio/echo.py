"""Cleaning the microphone: echo cancellation, noise suppression, high-pass, gain.

WebRTC's audio processing module (through the `livekit` wheel) gets what the
speaker actually played as the far-end reference and takes it back out of
the microphone, so the interviewer does not hear itself and the candidate can
talk over it. Both ends are 16 kHz mono int16 here; the module works on 10 ms
frames, so odd-length blocks are buffered.
"""

from __future__ import annotations

import gc
import logging
import sys
from dataclasses import dataclass

import numpy as np

from voice_interviewer.audio.clip import SAMPLE_RATE

log = logging.getLogger(__name__)

APM_FRAME = SAMPLE_RATE // 100  # 10 ms
_MAX_FAR = SAMPLE_RATE // 2  # reference queued ahead of the mic, at most


@dataclass(frozen=True)
class CleanerSettings:
    echo_cancellation: bool = True
    noise_suppression: bool = True
    high_pass_filter: bool = True
    auto_gain_control: bool = True
    stream_delay_ms: int | None = None  # a hint for the canceller's delay search (None: let it find it)


class MicCleaner:
    """far(): what the speaker played; near(): the microphone -> cleaned microphone (same length)."""

    def __init__(self, settings: CleanerSettings = CleanerSettings()):
        from livekit.rtc import AudioFrame, AudioProcessingModule  # imported late: optional at import time

        self.settings = settings
        self._frame_cls = AudioFrame
        self._apm_cls = AudioProcessingModule
        self.restart()
        self._far = np.zeros(0, np.int16)
        self._near = np.zeros(0, np.int16)

    def restart(self) -> None:
        """A canceller that knows nothing of the room yet; the reference queue keeps its place."""
        s = self.settings
        self._apm = self._apm_cls(echo_cancellation=s.echo_cancellation, noise_suppression=s.noise_suppression,
                                  high_pass_filter=s.high_pass_filter, auto_gain_control=s.auto_gain_control)
        if s.stream_delay_ms is not None:
            self._apm.set_stream_delay_ms(int(s.stream_delay_ms))

    def _frame(self, samples: np.ndarray):
        return self._frame_cls(data=samples.astype("<i2").tobytes(), sample_rate=SAMPLE_RATE,
                               num_channels=1, samples_per_channel=len(samples))

    def far(self, samples: np.ndarray) -> None:
        """Queue what the speaker played. It reaches the canceller paced by the microphone, 10 ms
        for 10 ms: a live output callback hands over 0.1-0.2 s at once, and fed in such bursts the
        canceller cannot follow the echo path at all (measured: 0 dB of cancellation)."""
        self._far = np.concatenate([self._far, np.asarray(samples, np.int16)])
        if len(self._far) > _MAX_FAR:  # the speaker's clock runs ahead of the mic's: keep the newest
            self._far = self._far[-_MAX_FAR:]

    def retract(self, samples: int) -> None:
        """Take back the newest `samples` of the reference (queued, never played). What the canceller
        has already consumed stays: later reference then simply comes a little earlier, which it follows."""
        self._far = self._far[: max(0, len(self._far) - samples)]

    def near(self, samples: np.ndarray) -> np.ndarray:
        """Cleaned microphone audio; 0-9 ms may stay buffered until the next call."""
        self._near = np.concatenate([self._near, np.asarray(samples, np.int16)])
        n = len(self._near) // APM_FRAME * APM_FRAME
        out = np.empty(n, np.int16)
        for i in range(0, n, APM_FRAME):
            ref, self._far = self._far[:APM_FRAME], self._far[APM_FRAME:]
            if len(ref) < APM_FRAME:
                ref = np.concatenate([ref, np.zeros(APM_FRAME - len(ref), np.int16)])
            self._apm.process_reverse_stream(self._frame(ref))
            frame = self._frame(self._near[i:i + APM_FRAME])
            self._apm.process_stream(frame)  # cleans the frame in place
            out[i:i + APM_FRAME] = np.frombuffer(frame.data, np.int16)
        self._near = self._near[n:]
        return out


def release_native_runtime() -> None:
    """Shut the livekit library's native runtime down while Python is still whole (no-op if never loaded).

    Its worker threads call back into Python (they forward the library's log lines); one that does so
    while the interpreter is being torn down is killed mid-call and aborts the whole process ("panic in a
    function that cannot unwind", seen once after a complete, green test run). The library disposes of
    the runtime itself only at exit, in a race with that teardown."""
    ffi = sys.modules.get("livekit.rtc._ffi_client")
    client = getattr(getattr(ffi, "FfiClient", None), "_instance", None)
    dispose = getattr(client, "_dispose", None)  # the library's own exit hook; idempotent
    if dispose is not None:
        gc.collect()  # drop the cleaners' native handles first
        dispose()


def make_cleaner(settings: CleanerSettings = CleanerSettings()) -> MicCleaner | None:
    """A MicCleaner, or None (with a warning saying what to install) when livekit is missing."""
    try:
        return MicCleaner(settings)
    except ImportError as exc:
        log.warning("echo cancellation unavailable (%s): pip install livekit==1.2.0, or use headphones", exc)
        return None
