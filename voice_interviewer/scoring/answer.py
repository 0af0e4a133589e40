"""What the scorers read: one question's candidate turns, and the coverage the interview measured."""

from __future__ import annotations

from dataclasses import dataclass

from voice_interviewer.bank.questions import Question
from voice_interviewer.events import CandidateTurn, CoverageMeasured
from voice_interviewer.listening.stt import Segment, Transcript, Word


@dataclass(frozen=True)
class AnswerInput:
    question: Question
    turns: tuple[CandidateTurn, ...]
    time_box_s: float
    coverage: CoverageMeasured | None = None  # the interview's measurement; None: the scorer measures (CSV, re-score)

    @property
    def text(self) -> str:
        return " ".join(t.text for t in self.turns if t.text)


def transcript_of(turn: CandidateTurn) -> Transcript | str:
    """A recorded turn as the coverage pass reads it: with word times where there are any."""
    words = tuple(Word(w.text, w.start, w.end, 1.0) for w in turn.words)
    if not words:
        return turn.text
    return Transcript(turn.text, (Segment(turn.text, words[0].start, words[-1].end, words),), turn.stt_model or "recorded")


def typed_turn(text: str) -> CandidateTurn:
    """A written answer (CSV scoring) as a turn."""
    return CandidateTurn(text=text, stt_model="typed", end_reason="done")
