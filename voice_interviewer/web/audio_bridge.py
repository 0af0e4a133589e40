"""The browser as the session's microphone and speaker.

The page streams its microphone as 16 kHz mono int16 PCM over the WebSocket;
`BrowserSource` cuts that stream into the 30 ms frames every AudioSource
hands out. The interviewer's voice goes back as one binary message per
`play()` call (a sentence); `BrowserSink.play` blocks until the page says it
has played it, like a speaker would, so the session's timing stays honest.

Barge-in: while a line plays, the incoming mic frames also go through a
SpeechDetector. Once the candidate has spoken for `barge_in_s`, the sink tells
the page to stop, and `play` returns PlayResult(played_s, interrupted=True)
with what the page says it played. The channel then skips its flush(), so the
words that did it reach the listener.

Wire format of the audio the server sends: uint32 id, uint32 rate (both
little-endian), then int16 little-endian samples.
"""

from __future__ import annotations

import json
import queue
import struct
import threading
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from voice_interviewer.audio.clip import FRAME_BYTES, FRAME_MS, to_int16
from voice_interviewer.interfaces import PlayResult
from voice_interviewer.listening.vad import SpeechDetector

Send = Callable[[bytes | str], None]  # thread-safe: hands a message to the page
HEADER = struct.Struct("<II")


@dataclass(frozen=True)
class BargeInSettings:
    enabled: bool = True
    speech_s: float = 0.3  # this much speech during playback stops the interviewer
    stall_s: float = 5.0  # a page that reports nothing this long after a line's end is gone


class BrowserSource:
    """AudioSource fed by the page's microphone messages."""

    def __init__(self):
        self._queue: queue.Queue[bytes] = queue.Queue()
        self._pending = b""
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self.frames_in = 0  # how many frames the page has sent (tests and timings)

    def feed(self, pcm: bytes) -> list[bytes]:
        """Called by the server for each binary message; returns the whole frames it completed."""
        with self._lock:
            data = self._pending + pcm
            cut = len(data) - len(data) % FRAME_BYTES
            self._pending = data[cut:]
            frames = [data[i:i + FRAME_BYTES] for i in range(0, cut, FRAME_BYTES)]
            for frame in frames:
                self._queue.put(frame)
            self.frames_in += len(frames)
        return frames

    def frames(self) -> Iterator[bytes]:
        while not self._closed.is_set():
            try:
                yield self._queue.get(timeout=0.2)
            except queue.Empty:
                continue

    def flush(self) -> None:
        with self._lock:
            while not self._queue.empty():
                self._queue.get_nowait()

    def close(self) -> None:
        self._closed.set()  # frames() ends: the listener sees the end of the input


class BrowserSink:
    """AudioSink that plays in the page; see the module docstring for barge-in."""

    def __init__(self, send: Send, settings: BargeInSettings = BargeInSettings(), detector: SpeechDetector | None = None):
        self._send = send
        self.settings = settings
        self._detector = detector or SpeechDetector()
        self._lock = threading.Lock()
        self._next_id = 0
        self._playing: int | None = None
        self._speech_frames = 0
        self._stop_sent = False
        self._report: dict | None = None
        self._reported = threading.Event()
        self._closed = threading.Event()

    # --- the session's side -----------------------------------------------------------
    def play(self, samples: np.ndarray, rate: int) -> PlayResult:
        pcm = to_int16(np.asarray(samples)).astype("<i2")
        duration = len(pcm) / rate
        with self._lock:
            if self._closed.is_set():
                return PlayResult(0.0, interrupted=False)
            self._next_id += 1
            play_id = self._next_id
            self._playing, self._speech_frames, self._stop_sent = play_id, 0, False
            self._report = None
            self._reported.clear()
        self._send(HEADER.pack(play_id, int(rate)) + pcm.tobytes())
        self._reported.wait(duration + self.settings.stall_s)
        with self._lock:
            self._playing = None
            report = self._report or {}
        interrupted = bool(report.get("interrupted"))
        played = float(report.get("played_s", duration if not interrupted else 0.0))
        return PlayResult(round(min(played, duration), 3), interrupted=interrupted)

    def close(self) -> None:
        self._closed.set()
        self._reported.set()  # a play() in progress returns now

    # --- the page's side (called on the server's event loop) ----------------------------
    def on_played(self, play_id: int, played_s: float, interrupted: bool = False) -> None:
        with self._lock:
            if play_id != self._playing:
                return  # a late report for a line already given up on
            self._report = {"played_s": played_s, "interrupted": interrupted}
        self._reported.set()

    def on_mic_frames(self, frames: list[bytes]) -> None:
        """Listens for the candidate cutting in while a line plays."""
        if not self.settings.enabled:
            return
        with self._lock:
            if self._playing is None or self._stop_sent:
                return
            for frame in frames:
                speaking = self._detector.is_speech(frame)
                self._speech_frames = self._speech_frames + 1 if speaking else 0
            if self._speech_frames * FRAME_MS / 1000 < self.settings.speech_s:
                return
            self._stop_sent = True
            play_id = self._playing
        self._send(json.dumps({"type": "stop_audio", "id": play_id}))


def parse_audio_message(data: bytes) -> tuple[int, int, np.ndarray]:
    """The inverse of what play() sends (for tests and tools)."""
    play_id, rate = HEADER.unpack_from(data)
    return play_id, rate, np.frombuffer(data[HEADER.size:], "<i2")
