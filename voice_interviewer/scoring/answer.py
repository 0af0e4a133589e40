"""What the scorers read and write: one question's answer turns in, one AnswerScore out."""

from __future__ import annotations

from dataclasses import dataclass, field

from voice_interviewer.bank.questions import Question
from voice_interviewer.listening.stt import Segment, Transcript, Word


@dataclass(frozen=True)
class Turn:
    """One candidate turn, as recorded: text, word timings and the turn detector's clocks."""

    text: str
    words: tuple[Word, ...] = ()
    first_word_s: float | None = None
    speech_end_s: float | None = None
    decided_s: float | None = None
    end_reason: str = "silence"
    typed: bool = False

    @staticmethod
    def from_event(e: dict) -> "Turn":
        words = tuple(Word(w[0], w[1], w[2], 1.0) for s in e.get("segments", []) for w in s.get("words", []))
        return Turn(e.get("text", ""), words, e.get("first_word_s"), e.get("speech_end_s"), e.get("decided_s"),
                    e.get("end_reason", "silence"), e.get("stt_model") == "typed")

    def transcript(self) -> Transcript | str:
        if not self.words:
            return self.text
        return Transcript(self.text, (Segment(self.text, self.words[0].start, self.words[-1].end, self.words),), "recorded")


@dataclass(frozen=True)
class AnswerInput:
    question: Question
    turns: tuple[Turn, ...]
    time_box_s: float


@dataclass(frozen=True)
class KeyPointResult:
    key_point: str
    text: str
    status: str
    evidence: dict | None  # {"text", "start", "end", "turn"}


@dataclass(frozen=True)
class HabitResult:
    habit: str
    label: str
    found: bool
    evidence: str | None


@dataclass(frozen=True)
class AnswerScore:
    question_id: str
    scorer: str
    content: float
    reasoning: float
    delivery: float | None  # None for typed answers
    overall: float
    key_points: tuple[KeyPointResult, ...]
    habits: tuple[HabitResult, ...]
    delivery_stats: dict
    tips: tuple[str, ...]
    flags: tuple[str, ...] = field(default_factory=tuple)

    def as_event(self) -> dict:
        return {
            "question_id": self.question_id, "scorer": self.scorer,
            "scores": {"content": self.content, "reasoning": self.reasoning, "delivery": self.delivery, "overall": self.overall},
            "key_points": [kp.__dict__ for kp in self.key_points], "habits": [h.__dict__ for h in self.habits],
            "delivery": self.delivery_stats, "tips": list(self.tips), "flags": list(self.flags),
        }
