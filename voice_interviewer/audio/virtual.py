"""A sound card made of files, running on a virtual clock.

The interviewer's audio is recorded onto a timeline instead of played; the
candidate's answers (wav clips) play into the "microphone" a moment after each
interviewer turn ends, as a person would answer. Time advances 30 ms per
microphone frame and by the length of everything played, so a ten-minute
interview runs in seconds, unless `realtime=True` paces it like a real device.
"""

from __future__ import annotations

import time
from typing import Iterator, Sequence

import numpy as np

from voice_interviewer.audio.clip import FRAME_BYTES, FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, AudioClip, resample


class VirtualClock:
    def __init__(self, realtime: bool = False):
        self._t = 0.0
        self._realtime = realtime
        self._wall0 = time.monotonic()

    def now(self) -> float:
        return self._t

    def advance(self, seconds: float) -> None:
        self._t += seconds
        if self._realtime:  # pace virtual time so wall-clock latencies are real
            delay = self._wall0 + self._t - time.monotonic()
            if delay > 0:
                time.sleep(delay)


class VirtualAudioDevice:
    """Both ends of a conversation: `play` is the speaker, `frames` the microphone.

    answers: one clip per expected candidate turn (None = stay silent that turn).
    think_s: silence between the end of the interviewer's audio and the answer.
    loopback: instead of scripted answers, what is played comes back into the mic.
    """

    def __init__(
        self,
        answers: Sequence[AudioClip | None] = (),
        think_s: float = 1.0,
        loopback: bool = False,
        clock: VirtualClock | None = None,
        noise: AudioClip | None = None,
    ):
        self.clock = clock or VirtualClock()
        self._answers = list(answers)
        self._scripted = bool(self._answers)  # a fixed list of answer files, as opposed to queue_answer()
        self._think_s = think_s
        self._loopback = loopback
        self._noise = noise
        self._pending = np.zeros(0, np.int16)  # candidate audio queued for the mic
        self._timeline: list[tuple[float, str, np.ndarray]] = []  # (start_s, side, samples)
        self._turn_audio: list[np.ndarray] = []  # what the interviewer said since the last flush

    # --- speaker -------------------------------------------------------------
    def play(self, samples: np.ndarray, rate: int) -> None:
        audio = resample(samples, rate, SAMPLE_RATE)
        self._timeline.append((self.clock.now(), "interviewer", audio))
        self._turn_audio.append(audio)
        self.clock.advance(len(audio) / SAMPLE_RATE)

    def flush(self) -> None:
        """End of an interviewer turn: the next answer starts after the thinking pause."""
        answer = self._next_answer()
        self._turn_audio = []
        if answer is None or len(answer) == 0:
            return
        silence = np.zeros(int(self._think_s * SAMPLE_RATE), np.int16)
        self._pending = np.concatenate([self._pending, silence, answer])

    def _next_answer(self) -> np.ndarray | None:
        if self._loopback:
            return np.concatenate(self._turn_audio) if self._turn_audio else None
        if not self._answers:
            return None
        clip = self._answers.pop(0)
        return None if clip is None else clip.samples

    # --- microphone ----------------------------------------------------------
    def frames(self) -> Iterator[bytes]:
        """Endless 30 ms frames: queued candidate audio, then silence (or background noise)."""
        while True:
            start = self.clock.now()
            chunk, self._pending = self._pending[:FRAME_SAMPLES], self._pending[FRAME_SAMPLES:]
            if len(chunk) < FRAME_SAMPLES:
                chunk = np.concatenate([chunk, self._background(FRAME_SAMPLES - len(chunk))])
            if np.any(chunk):
                self._timeline.append((start, "candidate", chunk))
            self.clock.advance(FRAME_MS / 1000)
            yield chunk.astype("<i2").tobytes()[:FRAME_BYTES]

    def _background(self, n: int) -> np.ndarray:
        if self._noise is None:
            return np.zeros(n, np.int16)
        offset = int(self.clock.now() * SAMPLE_RATE) % max(1, len(self._noise.samples) - n)
        return self._noise.samples[offset : offset + n]

    def queue_answer(self, clip: AudioClip | None) -> None:
        """Make `clip` the candidate's next answer (a simulated candidate reacting to a question)."""
        self._answers.insert(0, clip)

    @property
    def out_of_answers(self) -> bool:
        """A scripted candidate that has said everything it had."""
        return self._scripted and not self._answers and len(self._pending) == 0

    def close(self) -> None:
        pass

    # --- what happened -------------------------------------------------------
    def recording(self, side: str | None = None) -> np.ndarray:
        """The whole conversation (or one side) as one 16 kHz track, on the virtual timeline."""
        parts = [(t, a) for t, s, a in self._timeline if side is None or s == side]
        if not parts:
            return np.zeros(0, np.int16)
        end = max(int(round(t * SAMPLE_RATE)) + len(a) for t, a in parts)
        track = np.zeros(end, np.int32)
        for t, a in parts:
            i = int(round(t * SAMPLE_RATE))
            track[i : i + len(a)] += a
        return np.clip(track, -32768, 32767).astype(np.int16)

