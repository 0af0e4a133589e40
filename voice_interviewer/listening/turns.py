"""Turn detection for interview answers.

Candidates think before they speak and pause while they reason, so a
conversational end-of-turn (0.2-0.8 s of silence) would cut answers in half.
The detector keeps three separate clocks:
  * thinking: silence allowed before the first word;
  * patience: a pause inside the answer that ends the turn;
  * time box: a hard limit from the end of the question.
Inside the answer, a short pause (quick_end_silence_s) asks an end-of-turn
model (Smart Turn) whether the answer sounds finished: if so the turn ends
there, fast; if not, the detector waits out the full patience window.
Shorter pauses (commit_silence_s), and long stretches of fluent speech
(max_chunk_s, cut at their quietest frame), cut the answer into chunks so
speech-to-text keeps up while the candidate is still talking and no long
tail is left to decode at the end. Silence itself is never forwarded:
Whisper invents words on silence.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Callable

import numpy as np

from voice_interviewer.audio.clip import FRAME_MS, SAMPLE_RATE, frames_to_samples

FRAME_S = FRAME_MS / 1000


@dataclass(frozen=True)
class TurnSettings:
    think_timeout_s: float = 15.0  # no first word by then: the turn ends as "no answer"
    end_silence_s: float = 2.5  # a pause this long inside an answer ends it
    commit_silence_s: float = 0.30  # a pause this long lets speech-to-text catch up (0.2 s split fluent
                                    # speech into more, shorter chunks: more made-up words, no faster replies)
    quick_end_silence_s: float = 0.70  # a pause this long asks the end-of-turn model
    # Its probability at or above which the turn ends there. High on purpose: an interview answer is full of
    # thinking pauses, and cutting one costs more than waiting. On real recordings (scripts/bench_turn_end.py,
    # docs/benchmarks.md "End of turn"), whole sentences read aloud end at 0.97-0.99, so 0.98 made most of
    # them wait; at 0.97, 2.5% of pauses at random word boundaries are cut (0.8% at 0.98). Above 1 turns the
    # quick end off.
    complete_threshold: float = 0.97
    # When the model heard an unfinished answer, patience stretches to this (thinking pauses of up to 3 s must not
    # end the turn); without a model, or when it is unsure, end_silence_s holds.
    unfinished_silence_s: float = 3.2
    # "unfinished": the model's probability under this; p >= 0.5 at a third of mid-answer pauses, so anything
    # short of "finished" gets the stretched patience.
    unfinished_below: float = 0.97
    # A pause this early in an answer is never a quick end: people pause after an opening phrase ("So, the
    # bias-variance trade-off...", "And so my fellow Americans," which Smart Turn called finished at 0.97 live).
    # Such a pause gets the stretched patience. No finished answer of 4 s or more in bench_turn_end ended sooner.
    min_quick_end_s: float = 3.0
    # The silence after the last word that the end-of-turn model hears: what it was trained on is the
    # speech plus a short trailing silence (pipecat hands it the segment when its VAD stops, ~0.2 s).
    verdict_tail_s: float = 0.2
    time_box_s: float = 120.0  # hard limit for the whole answer, thinking included
    start_voiced_s: float = 0.21  # voiced time in the start window that opens a turn
    start_window_s: float = 0.30
    pre_roll_s: float = 0.50  # audio kept from before the start window: the first syllable
    max_chunk_s: float = 4.0  # fluent speech is committed this often (cut at the quietest frame)


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
class Paused:
    """The candidate paused long enough to commit a chunk: work can start on what was said."""

    t: float


@dataclass(frozen=True)
class TurnEnded:
    t: float
    reason: str  # "silence" | "no_answer" | "time_box" | "done" | "stopped"
    speech_end_s: float | None  # when the last voiced frame ended, if any
    complete_prob: float | None = None  # the end-of-turn model's last verdict, if it was asked
    detail: str = ""  # e.g. "finished (p=0.91) after 0.7 s" or "patience 2.5 s (p=0.12)"


# The end-of-turn judge: the turn's audio so far (16 kHz int16) -> probability it is finished,
# or None for "not sure yet, ask again on the next frame" (e.g. the transcript is still catching up).
EndOfTurn = Callable[[np.ndarray], "float | None"]


class TurnDetector:
    """Feed it (frame, is_speech) pairs; it returns the events each frame causes."""

    def __init__(self, settings: TurnSettings = TurnSettings(), end_of_turn: EndOfTurn | None = None):
        self.s = settings
        self._end_of_turn = end_of_turn
        self._turn_frames: list[bytes] = []  # the answer since its first word, pauses included
        self._voice_frames = 0  # len(_turn_frames) at the last voiced frame
        self._asked = False  # the end-of-turn model was asked during this pause
        self._prob: float | None = None
        self._too_early = False  # this pause came before min_quick_end_s of answer: not a quick end
        self._onset = 0.0
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
        if not self._enough_voice():
            return []
        self.started = True
        self._chunk = list(self._pre_roll)
        self._turn_frames = list(self._pre_roll)
        self._voice_frames = len(self._turn_frames)
        self._chunk_start = max(0.0, self.t - len(self._chunk) * FRAME_S)
        self._last_voice_end = self.t
        flags = [v for _, v in self._window]
        onset = self.t - (len(flags) - flags.index(True)) * FRAME_S  # the first voiced frame
        self._onset = onset
        return [SpeechStarted(t=onset)]

    def _follow(self, frame: bytes, is_speech: bool) -> list:
        events: list = []
        self._window.append((frame, is_speech))
        if is_speech and not self._chunk and not self._enough_voice():
            is_speech = False  # a click or breath after a committed pause: still silence
        self._turn_frames.append(frame)
        if len(self._turn_frames) > 2 * round(10.0 / FRAME_S) and self._voice_frames > round(10.0 / FRAME_S):
            drop = self._voice_frames - round(10.0 / FRAME_S)  # a long answer: forget all but the last 10 s
            self._turn_frames = self._turn_frames[drop:]
            self._voice_frames -= drop
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
            self._voice_frames = len(self._turn_frames)
            self._asked = False
        else:
            self._silence_run += FRAME_S
            if self._chunk and self._silence_run <= self.s.commit_silence_s:
                self._chunk.append(frame)  # short pauses stay inside the chunk
            if self._chunk and self._silence_run >= self.s.commit_silence_s:
                events += self._commit() + [Paused(self.t)]
            if self._silence_run >= self.s.quick_end_silence_s and not self._asked:
                events += self._ask_end_of_turn()
            if not self.ended and self._silence_run >= self._patience():
                p = " (too early to end fast)" if self._too_early else "" if self._prob is None else f" (p={self._prob:.2f})"
                events += self.end("silence", f"patience {self._patience():.1f} s{p}")
        if self._chunk and self.t - self._chunk_start >= self.s.max_chunk_s:
            events += self._commit_at_quietest()
        self._pre_roll.append(frame)
        return events

    def _enough_voice(self) -> bool:
        """Voiced time in the start window reaches start_voiced_s: what opens a turn, and what resumes speech
        after a committed pause. A lone voiced frame (a breath, a click after the last word) used to open a
        0.2 s chunk, which Whisper filled with made-up words, and it restarted the quick end's silence clock."""
        return sum(v for _, v in self._window) * FRAME_S + 1e-9 >= self.s.start_voiced_s

    def _patience(self) -> float:
        unfinished = self._prob is not None and self._prob < self.s.unfinished_below
        if self._asked and (unfinished or self._too_early):
            return max(self.s.end_silence_s, self.s.unfinished_silence_s)
        return self.s.end_silence_s

    def _ask_end_of_turn(self) -> list:
        if self._end_of_turn is None:
            self._asked = True
            return []
        self._too_early = self._last_voice_end is not None and self._last_voice_end - self._onset < self.s.min_quick_end_s
        if self._too_early:
            self._asked = True
            return []
        # what the model was trained on: the speech up to its end plus a short trailing silence
        keep = self._voice_frames + round(self.s.verdict_tail_s / FRAME_S)
        recent = self._turn_frames[:keep][-round(8.0 / FRAME_S):]  # the model looks at 8 s at most
        verdict = self._end_of_turn(frames_to_samples(recent))
        if verdict is None:
            return []  # asked again on the next frame
        self._asked = True
        self._prob = float(verdict)
        if self._prob >= self.s.complete_threshold:
            return self.end("silence", f"finished (p={self._prob:.2f}) after {self._silence_run:.1f} s")
        return []

    def _commit_at_quietest(self) -> list:
        """Fluent speech with no pause: cut at the quietest frame of the chunk's second half, so a
        word is rarely split, and keep the rest as the start of the next chunk."""
        half = len(self._chunk) // 2
        levels = [float(np.abs(np.frombuffer(f, "<i2").astype(np.int32)).mean()) for f in self._chunk[half:]]
        cut = half + int(np.argmin(levels)) + 1
        rest, self._chunk = self._chunk[cut:], self._chunk[:cut]
        events = self._commit()
        self._chunk = rest
        self._chunk_start = self.t - len(rest) * FRAME_S
        return events

    def _commit(self) -> list:
        if not self._chunk:
            return []
        samples = frames_to_samples(self._chunk)
        chunk = SpeechChunk(self._chunk_start, self._chunk_start + len(samples) / SAMPLE_RATE, samples)
        self._chunk = []
        self._gap_frames = 0
        return [chunk]

    def end(self, reason: str, detail: str = "") -> list:
        """End the turn now (also used for "I'm done" and Ctrl-C); flushes the open chunk."""
        if self.ended:
            return []
        self.ended = True
        return self._commit() + [TurnEnded(t=self.t, reason=reason, speech_end_s=self._last_voice_end,
                                           complete_prob=self._prob, detail=detail)]


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
