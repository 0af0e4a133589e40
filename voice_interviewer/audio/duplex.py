"""Live duplex audio: one persistent speaker stream, one microphone stream, a clean mic.

The speaker is ONE sounddevice output stream opened for the whole session
with a safe latency (0.2 s), fed from a buffer by its callback: never
`sd.play` per sentence, whose ~35 ms default buffer falls into an underrun
loop when another program holds the output. Whatever the callback hands the
device (silence included) is the echo canceller's far-end reference. A worker
thread resamples the microphone with one stateful resampler (no clicks at
block edges), cleans it (audio.edge: echo cancellation, noise suppression,
high-pass, gain) and, while the interviewer speaks, watches it for the
candidate cutting in: then playback stops at once (the device buffer is
discarded) and `play` returns PlayResult(interrupted=True). The onset of the
interruption stays queued for the listener.

Headphones mode: no canceller and no barge-in; what the mic heard while the
interviewer spoke is dropped at flush(), as before.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from voice_interviewer.audio.clip import SAMPLE_RATE, resample, to_int16
from voice_interviewer.audio.devices import _ALTERNATIVES, _device_rate, _sounddevice
from voice_interviewer.audio.edge import EdgeProcessor, EdgeSettings
from voice_interviewer.audio.resampler import StreamResampler
from voice_interviewer.errors import AudioDeviceError
from voice_interviewer.interfaces import PlayResult

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class _Discarded:
    """In the reference queue: the newest `samples` handed to the speaker were thrown away unplayed."""
    samples: int


@dataclass(frozen=True)
class DuplexSettings:
    mode: str = "speaker"  # "speaker" (echo cancellation + barge-in) or "headphones"
    output_latency_s: float = 0.2  # safe against underruns when another client holds the output
    input_latency_s: float = 0.05
    input_device: int | str | None = None
    output_device: int | str | None = None


class PlaybackStream:
    """One callback-fed output stream. write() queues audio; the callback plays it (or silence) and
    reports every block it hands the device to on_block (the echo reference). clear() reports how
    much of that the device then discarded unplayed to on_discard (samples at the device's rate)."""

    def __init__(self, device=None, latency_s: float = 0.2, on_block=None, on_discard=None):
        self._sd = _sounddevice()
        self.rate = _device_rate(self._sd, device, "output")
        self._lock = threading.Lock()
        self._buffer = np.zeros(0, np.int16)
        self._on_block = on_block
        self._on_discard = on_discard
        self.consumed = 0  # samples handed to the device since the last clear()
        self._handed_until = 0.0  # stream time at which the last block handed over ends playing
        try:
            self._stream = self._sd.OutputStream(device=device, samplerate=self.rate, channels=1, dtype="int16",
                                                 latency=latency_s, callback=self._callback)
            self._stream.start()
        except Exception as exc:
            raise AudioDeviceError(f"Could not open the speaker ({exc})", _ALTERNATIVES) from exc
        self.latency_s = float(self._stream.latency)

    def _callback(self, outdata, frames, times, _status) -> None:
        with self._lock:
            n = min(frames, len(self._buffer))
            block = np.zeros(frames, np.int16)
            block[:n] = self._buffer[:n]
            self._buffer = self._buffer[n:]
            self.consumed += n
            self._handed_until = float(times.outputBufferDacTime) + frames / self.rate
        outdata[:, 0] = block
        if self._on_block is not None:
            self._on_block(block)

    def write(self, samples: np.ndarray) -> None:
        with self._lock:
            self._buffer = np.concatenate([self._buffer, samples])

    @property
    def queued(self) -> int:
        with self._lock:
            return len(self._buffer)

    def clear(self) -> float:
        """Drop what is queued and what the device still holds; returns the seconds of written audio
        that were played."""
        with self._lock:
            self._buffer = np.zeros(0, np.int16)
            done, self.consumed = self.consumed, 0
        unplayed = self.latency_s
        try:  # abort() discards the device's own buffer too: playback stops now, not 0.2 s later
            unplayed = self._unplayed_s()
            self._stream.abort()
            if self._on_discard is not None:  # before start(): the next block handed over is played first
                self._on_discard(round(unplayed * self.rate))
            self._stream.start()
        except Exception as exc:
            log.warning("could not restart the speaker stream (%s)", exc)
        return max(0.0, done / self.rate - unplayed)

    def _unplayed_s(self) -> float:
        """How much of what was handed over the device still holds: the callback's own playing-time
        stamps where the host API gives them, else the stream's nominal latency."""
        with self._lock:
            until = self._handed_until
        left = until - float(self._stream.time)
        return left if 0.0 <= left <= 2 * self.latency_s + 0.1 else self.latency_s

    def reset_count(self) -> None:
        with self._lock:
            self.consumed = 0

    def close(self) -> None:
        try:
            self._stream.abort()
            self._stream.close()
        except Exception:
            pass


class DuplexAudio:
    """AudioSource and AudioSink in one: frames() is the clean mic, play() the speaker."""

    flush_keeps_onset = True  # flush() drops our own voice but hands a barge-in's onset to the listener

    def __init__(self, settings: DuplexSettings = DuplexSettings(), edge: EdgeProcessor | None = None):
        self.settings = settings
        if edge is None:
            edge = _default_edge(settings.mode)
        self.edge = edge
        self._sd = _sounddevice()
        self._mic_q: queue.Queue[np.ndarray] = queue.Queue()
        self._ref_q: queue.Queue[np.ndarray | _Discarded] = queue.Queue()
        self._frames: queue.Queue[bytes] = queue.Queue()
        self._barge = threading.Event()
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.speaker = PlaybackStream(settings.output_device, settings.output_latency_s, on_block=self._ref_q.put,
                                      on_discard=lambda n: self._ref_q.put(_Discarded(n)))
        self._ref_rs = StreamResampler(self.speaker.rate, SAMPLE_RATE)
        self.mic_rate = _device_rate(self._sd, settings.input_device, "input")
        self._mic_rs = StreamResampler(self.mic_rate, SAMPLE_RATE)
        try:
            self._mic = self._sd.InputStream(device=settings.input_device, samplerate=self.mic_rate, channels=1,
                                             dtype="int16", latency=settings.input_latency_s,
                                             callback=lambda d, *_: self._mic_q.put(d[:, 0].copy()))
            self._mic.start()
        except Exception as exc:
            self.speaker.close()
            raise AudioDeviceError(f"Could not open the microphone ({exc})", _ALTERNATIVES) from exc
        self._worker = threading.Thread(target=self._run, name="audio-edge", daemon=True)
        self._worker.start()

    # --- the worker: reference first, then the mic, through the edge --------------
    def _run(self) -> None:
        while not self._closed.is_set():
            try:
                block = self._mic_q.get(timeout=0.05)
            except queue.Empty:
                continue
            self._drain_reference()
            with self._lock:
                onset = self.edge.captured(self._mic_rs.process(block))
                # while speaking, and after a barge-in until flush(), frames stay with the edge,
                # which knows where the interruption began
                while self.edge.frames and not self.edge.playing and not self.edge.barged_in:
                    self._frames.put(self.edge.frames.popleft())
            if onset:
                self._barge.set()

    def _drain_reference(self) -> None:
        while True:
            try:
                ref = self._ref_q.get_nowait()
            except queue.Empty:
                return
            if isinstance(ref, _Discarded):
                self.edge.discarded(round(ref.samples * SAMPLE_RATE / self.speaker.rate))
            else:
                self.edge.played(self._ref_rs.process(ref))

    # --- AudioSink ---------------------------------------------------------------
    def play(self, samples: np.ndarray, rate: int) -> PlayResult:
        """Blocks until played, or until the candidate cuts in (then the rest is dropped)."""
        with self._lock:
            if self.edge.barged_in:  # the candidate has the floor: say nothing more this turn
                return PlayResult(0.0, interrupted=True)
            self.edge.start_playing()
        audio = to_int16(samples)
        audio = resample(audio, rate, self.speaker.rate) if rate != self.speaker.rate else audio
        self._barge.clear()
        self.speaker.reset_count()
        self.speaker.write(audio)
        total_s = len(audio) / self.speaker.rate
        deadline = time.monotonic() + total_s + self.speaker.latency_s + 1.0
        interrupted = False
        # done when everything was handed over and the device's own buffer has had time to play out
        while time.monotonic() < deadline:
            if self._barge.wait(0.01):
                interrupted = True
                break
            if self.speaker.queued == 0:
                if self._barge.wait(self.speaker.latency_s):
                    interrupted = True
                break
        played_s = self.speaker.clear() if interrupted else self.speaker.consumed / self.speaker.rate
        with self._lock:
            self.edge.stop_playing()
        return PlayResult(min(total_s, played_s), interrupted)

    # --- AudioSource ---------------------------------------------------------------
    def frames(self) -> Iterator[bytes]:
        while not self._closed.is_set():
            try:
                yield self._frames.get(timeout=0.1)
            except queue.Empty:
                continue

    def flush(self) -> None:
        """The listener takes the turn: drop the interviewer's own voice, keep an interruption's onset."""
        with self._lock:
            while not self._frames.empty():
                self._frames.get_nowait()
            self.edge.flush()
            while self.edge.frames:
                self._frames.put(self.edge.frames.popleft())

    def close(self) -> None:
        self._closed.set()
        self._worker.join(timeout=2)
        for stream in (self._mic,):
            try:
                stream.abort()
                stream.close()
            except Exception:
                pass
        self.speaker.close()


def _default_edge(mode: str) -> EdgeProcessor:
    settings = EdgeSettings(mode=mode)
    if mode == "headphones":
        return EdgeProcessor(None, None, settings)
    from voice_interviewer.audio.echo import make_cleaner
    from voice_interviewer.listening.vad import default_detector

    return EdgeProcessor(make_cleaner(), default_detector(), settings)


def open_duplex(mode: str = "speaker", **kw) -> DuplexAudio:
    """The live audio for a session: `mode` "speaker" (laptop speakers: echo cancellation and
    barge-in) or "headphones"."""
    return DuplexAudio(DuplexSettings(mode=mode, **kw))
