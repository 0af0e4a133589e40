"""A sound card made of files, running on a virtual clock.

The interviewer's audio is recorded onto a timeline instead of played; the
candidate's answers (wav clips) play into the "microphone" a moment after each
interviewer turn ends, as a person would answer. Time advances 30 ms per
microphone frame and by the length of everything played, so a ten-minute
interview runs in seconds, unless `realtime=True` paces it like a real device.

A room, for echo and barge-in tests without a sound server: `echo_delay_s`
loops what the interviewer plays back into the microphone that much later, at
`echo_gain` (1.0 = full level), and `barge_in_s` makes the candidate start the
next answer that many seconds into the interviewer's line. An `edge`
(audio.edge.EdgeProcessor) then cleans the microphone and stops playback on
the candidate's onset, exactly as the live duplex device does.
"""

from __future__ import annotations

import time
from typing import Iterator, Sequence

import numpy as np

from voice_interviewer.audio.clip import FRAME_BYTES, FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE, AudioClip, resample
from voice_interviewer.interfaces import PlayResult


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
        echo_delay_s: float | None = None,
        echo_gain: float = 1.0,
        barge_in_s: float | None = None,
        edge=None,
    ):
        self.clock = clock or VirtualClock()
        self._answers = list(answers)
        self._scripted = bool(self._answers)  # a fixed list of answer files, as opposed to queue_answer()
        self._think_s = think_s
        self._loopback = loopback
        self._noise = noise
        self._pending = np.zeros(0, np.int16)  # candidate audio queued for the mic
        self._heard_while_playing: list[bytes] = []  # raw mic frames during playback (no edge)
        self._timeline: list[tuple[float, str, np.ndarray]] = []  # (start_s, side, samples)
        self._turn_audio: list[np.ndarray] = []  # what the interviewer said since the last flush
        self._echo_delay = None if echo_delay_s is None else int(round(echo_delay_s * SAMPLE_RATE))
        self._echo_gain = echo_gain
        self._barge_in_s = barge_in_s
        self._edge = edge
        self._echo = np.zeros(0, np.float32)  # the room's echo, aligned with the next mic sample
        self._line_s = 0.0  # how far into the interviewer's turn we are (for barge_in_s)
        self._answered = False  # this turn's answer already began (a barge-in)
        self.plays: list[PlayResult] = []

    @property
    def _stepped(self) -> bool:
        """A room with echo or an interrupting candidate: playing advances the mic frame by frame."""
        return self._echo_delay is not None or self._barge_in_s is not None or self._edge is not None

    # --- speaker -------------------------------------------------------------
    def play(self, samples: np.ndarray, rate: int) -> PlayResult:
        audio = resample(samples, rate, SAMPLE_RATE)
        if self._stepped:
            return self._play_in_room(audio)
        self._timeline.append((self.clock.now(), "interviewer", audio))
        self._turn_audio.append(audio)
        self.clock.advance(len(audio) / SAMPLE_RATE)
        return self._played(PlayResult(len(audio) / SAMPLE_RATE))

    def _played(self, result: PlayResult) -> PlayResult:
        self.plays.append(result)
        return result

    def _play_in_room(self, audio: np.ndarray) -> PlayResult:
        """Frame by frame: the speaker plays, the room echoes, the candidate may cut in."""
        edge = self._edge
        if edge is not None and edge.barged_in:  # the candidate already has the floor
            return self._played(PlayResult(0.0, interrupted=True))
        if edge is not None:
            edge.start_playing()
        self._turn_audio.append(audio)
        played = 0
        try:
            for i in range(0, len(audio), FRAME_SAMPLES):
                piece = audio[i:i + FRAME_SAMPLES]
                if self._barge_in_s is not None and not self._answered and self._line_s >= self._barge_in_s:
                    self._start_answer(0.0)
                self._timeline.append((self.clock.now(), "interviewer", piece))
                self._add_echo(piece)
                if edge is not None:
                    edge.played(piece)
                played += len(piece)
                self._line_s += len(piece) / SAMPLE_RATE
                mic = self._mic_frame()
                if edge is not None and edge.captured(mic):
                    return self._played(PlayResult(played / SAMPLE_RATE, interrupted=True))
                if edge is None:
                    self._heard_while_playing.append(mic.astype("<i2").tobytes())
        finally:
            if edge is not None:
                edge.stop_playing()
        return self._played(PlayResult(played / SAMPLE_RATE))

    def _add_echo(self, piece: np.ndarray) -> None:
        if self._echo_delay is None:
            return
        end = self._echo_delay + len(piece)
        if len(self._echo) < end:
            self._echo = np.concatenate([self._echo, np.zeros(end - len(self._echo), np.float32)])
        self._echo[self._echo_delay:end] += piece.astype(np.float32) * self._echo_gain

    def _start_answer(self, think_s: float) -> None:
        answer = self._next_answer()
        self._answered = True
        if answer is None or len(answer) == 0:
            return
        silence = np.zeros(int(think_s * SAMPLE_RATE), np.int16)
        self._pending = np.concatenate([self._pending, silence, answer])

    def flush(self) -> None:
        """End of an interviewer turn: the next answer starts after the thinking pause (unless the
        candidate already started it by cutting in). What the mic caught while the interviewer
        spoke is dropped, except a barge-in's onset (the edge keeps it)."""
        self._heard_while_playing = []
        if self._edge is not None:
            self._edge.flush()
        answered, self._answered, self._line_s = self._answered, False, 0.0
        if answered:
            self._turn_audio = []
            return
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
        """Endless 30 ms frames: queued candidate audio, then silence (or background noise);
        in a room, what the mic caught while the interviewer spoke comes first (the edge kept it)."""
        while True:
            if not self._stepped:
                yield self._mic_frame().astype("<i2").tobytes()[:FRAME_BYTES]
                continue
            if self._heard_while_playing:
                yield self._heard_while_playing.pop(0)
                continue
            if self._edge is not None:
                while not self._edge.frames:
                    self._edge.played(np.zeros(FRAME_SAMPLES, np.int16))  # the speaker is silent now
                    self._edge.captured(self._mic_frame())
                yield self._edge.frames.popleft()
            else:
                yield self._mic_frame().astype("<i2").tobytes()[:FRAME_BYTES]

    def _mic_frame(self) -> np.ndarray:
        """The next 30 ms at the microphone: the candidate, the room's echo and the background."""
        start = self.clock.now()
        chunk, self._pending = self._pending[:FRAME_SAMPLES], self._pending[FRAME_SAMPLES:]
        if len(chunk) < FRAME_SAMPLES:
            chunk = np.concatenate([chunk, self._background(FRAME_SAMPLES - len(chunk))])
        if np.any(chunk):
            self._timeline.append((start, "candidate", chunk))
        if self._echo_delay is not None and len(self._echo):
            echo, self._echo = self._echo[:FRAME_SAMPLES], self._echo[FRAME_SAMPLES:]
            mixed = chunk.astype(np.float32)
            mixed[:len(echo)] += echo
            chunk = np.clip(mixed, -32768, 32767).astype(np.int16)
        self.clock.advance(FRAME_MS / 1000)
        return chunk

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

