"""Turn detection for interview answers.

Candidates think before they speak and pause while they reason, so a
conversational end-of-turn (0.2-0.8 s of silence) would cut answers in half.
The detector keeps three separate clocks:
  * thinking: silence allowed before the first word;
  * patience: a pause inside the answer that ends the turn;
  * time box: a hard limit from the end of the question.
Shorter pauses (commit_silence_s) cut the answer into chunks so speech-to-text
can run while the candidate is still talking. Silence itself is never
forwarded: Whisper invents words on silence.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from voice_interviewer.audio.clip import FRAME_MS, SAMPLE_RATE, frames_to_samples

FRAME_S = FRAME_MS / 1000


@dataclass(frozen=True)
class TurnSettings:
    think_timeout_s: float = 15.0  # no first word by then: the turn ends as "no answer"
    end_silence_s: float = 2.5  # a pause this long inside an answer ends it
    commit_silence_s: float = 0.45  # a pause this long lets speech-to-text catch up
    time_box_s: float = 120.0  # hard limit for the whole answer, thinking included
    start_voiced_s: float = 0.21  # voiced time in the start window that opens a turn
    start_window_s: float = 0.30
    pre_roll_s: float = 0.50  # audio kept from before the start window: the first syllable
    max_chunk_s: float = 25.0  # Whisper sees 30 s at most; commit before that


@dataclass(frozen=True)
class SpeechStarted:
    t: float  # seconds since the turn began


@dataclass(frozen=True, eq=False)
class SpeechChunk:
    """A stretch of speech ending at a pause, ready for speech-to-text."""

    start_s: float
    end_s: float
    samples: np.ndarray


@dataclass(frozen=True)
class TurnEnded:
    t: float
    reason: str  # "silence" | "no_answer" | "time_box" | "done" | "stopped"
    speech_end_s: float | None  # when the last voiced frame ended, if any


class TurnDetector:
    """Feed it (frame, is_speech) pairs; it returns the events each frame causes."""

    def __init__(self, settings: TurnSettings = TurnSettings()):
        self.s = settings
        self.t = 0.0
        self.started = False
        self.ended = False
        self._window: deque[tuple[bytes, bool]] = deque(maxlen=max(1, round(settings.start_window_s / FRAME_S)))
        # The pre-roll reaches pre_roll_s before the start window, so the onset is always kept.
        self._pre_roll: deque[bytes] = deque(maxlen=max(1, round((settings.pre_roll_s + settings.start_window_s) / FRAME_S)))
        self._chunk: list[bytes] = []
        self._chunk_start = 0.0
        self._silence_run = 0.0
        self._last_voice_end: float | None = None
        self._gap_frames = 0  # silent frames since the last commit: all a resumed chunk may reach back

    def push(self, frame: bytes, is_speech: bool) -> list:
        if self.ended:
            return []
        self.t += FRAME_S
        events = self._listen_for_start(frame, is_speech) if not self.started else self._follow(frame, is_speech)
        if not self.ended and self.t >= self.s.time_box_s:
            events += self.end("time_box")
        elif not self.started and not self.ended and self.t >= self.s.think_timeout_s:
            events += self.end("no_answer")
        return events

    def _listen_for_start(self, frame: bytes, is_speech: bool) -> list:
        self._window.append((frame, is_speech))
        self._pre_roll.append(frame)
        voiced = sum(v for _, v in self._window) * FRAME_S
        if voiced + 1e-9 < self.s.start_voiced_s:
            return []
        self.started = True
        self._chunk = list(self._pre_roll)
        self._chunk_start = max(0.0, self.t - len(self._chunk) * FRAME_S)
        self._last_voice_end = self.t
        flags = [v for _, v in self._window]
        onset = self.t - (len(flags) - flags.index(True)) * FRAME_S  # the first voiced frame
        return [SpeechStarted(t=onset)]

    def _follow(self, frame: bytes, is_speech: bool) -> list:
        events: list = []
        if not self._chunk and not is_speech:
            self._gap_frames += 1
        if is_speech:
            if not self._chunk:  # speech resumes after a committed pause: keep its onset, but
                n = min(self._gap_frames, len(self._pre_roll))  # never re-send committed audio
                self._chunk = list(self._pre_roll)[len(self._pre_roll) - n:]
                self._chunk_start = self.t - FRAME_S * (len(self._chunk) + 1)
            self._chunk.append(frame)
            self._silence_run = 0.0
            self._last_voice_end = self.t
        else:
            self._silence_run += FRAME_S
            if self._chunk and self._silence_run <= self.s.commit_silence_s:
                self._chunk.append(frame)  # short pauses stay inside the chunk
            if self._chunk and self._silence_run >= self.s.commit_silence_s:
                events += self._commit()
            if self._silence_run >= self.s.end_silence_s:
                events += self.end("silence")
        if self._chunk and self.t - self._chunk_start >= self.s.max_chunk_s:
            events += self._commit()
        self._pre_roll.append(frame)
        return events

    def _commit(self) -> list:
        if not self._chunk:
            return []
        samples = frames_to_samples(self._chunk)
        chunk = SpeechChunk(self._chunk_start, self._chunk_start + len(samples) / SAMPLE_RATE, samples)
        self._chunk = []
        self._gap_frames = 0
        return [chunk]

    def end(self, reason: str) -> list:
        """End the turn now (also used for "I'm done" and Ctrl-C); flushes the open chunk."""
        if self.ended:
            return []
        self.ended = True
        return self._commit() + [TurnEnded(t=self.t, reason=reason, speech_end_s=self._last_voice_end)]


def speech_chunks(clip, detector, settings: TurnSettings | None = None) -> list[SpeechChunk]:
    """Cut a whole recording into speech chunks at pauses (for file transcription)."""
    s = settings or TurnSettings(think_timeout_s=1e9, end_silence_s=1e9, time_box_s=1e9)
    detector.prime(clip)  # a whole file: take the background level from the file itself
    chunks: list[SpeechChunk] = []
    turn = TurnDetector(s)
    for frame in clip.frames():
        for ev in turn.push(frame, detector.is_speech(frame)):
            if isinstance(ev, SpeechChunk):
                chunks.append(ev)
    chunks += [ev for ev in turn.end("stopped") if isinstance(ev, SpeechChunk)]
    return chunks
