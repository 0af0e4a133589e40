"""Every event a session publishes, as small frozen dataclasses.

This is the one place that knows the field names of `events.jsonl`. Stages
publish these on the session bus; the recorder writes them with `to_dict()`;
every reader (scoring, replay, derived sessions, reports, progress, the demo
candidate, the browser) gets them back with `parse()`. The on-disk format is
described in docs/session-format.md; sessions written before these classes
existed load unchanged, because `from_dict` tolerates missing fields.

Each event carries `t` (seconds on the session's audio clock) and `wall`
(Unix time); the bus stamps both when the event is published.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass, field
from typing import Any, ClassVar

# --- parts that travel inside events --------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class WordTiming:
    text: str
    start: float
    end: float

    def to_wire(self) -> list:
        return [self.text, round(self.start, 2), round(self.end, 2)]  # compact: a turn has hundreds

    @classmethod
    def from_wire(cls, raw) -> "WordTiming":
        if isinstance(raw, dict):
            return cls(text=str(raw.get("text", "")), start=_num(raw.get("start")), end=_num(raw.get("end")))
        text, start, end = (list(raw) + ["", 0.0, 0.0])[:3]
        return cls(text=str(text), start=_num(start), end=_num(end))


@dataclass(frozen=True, kw_only=True)
class SegmentRecord:
    text: str
    start: float
    end: float
    words: tuple[WordTiming, ...] = ()

    @classmethod
    def from_transcript(cls, transcript) -> tuple["SegmentRecord", ...]:
        """From a speech-to-text Transcript (anything with .segments of .text/.start/.end/.words)."""
        return tuple(cls(text=s.text, start=round(s.start, 2), end=round(s.end, 2),
                         words=tuple(WordTiming(text=w.text, start=w.start, end=w.end) for w in s.words))
                     for s in transcript.segments)


@dataclass(frozen=True, kw_only=True)
class Evidence:
    """The stretch of the candidate's words that supports a verdict (times are turn-relative)."""

    text: str
    start: float | None = None
    end: float | None = None
    turn: int = 0  # 0 = the answer, 1.. = follow-up answers

    @classmethod
    def from_wire(cls, raw) -> "Evidence":
        if isinstance(raw, str):  # sessions before 0.2 kept only the words
            return cls(text=raw)
        if not isinstance(raw, dict):
            raise TypeError("evidence must be text or an object")
        return cls(text=str(raw.get("text") or ""), start=_opt_num(raw.get("start")), end=_opt_num(raw.get("end")),
                   turn=int(_num(raw.get("turn"))))

    def to_wire(self) -> dict:
        return {"text": self.text, "start": self.start, "end": self.end, "turn": self.turn}


@dataclass(frozen=True, kw_only=True)
class PointCoverage:
    """One rubric key point after the fast (live) pass."""

    key_point: str
    status: str  # covered | partial | missed | wrong | unclear
    score: float = 0.0  # 0..1, how well it is covered: the policy probes the weakest
    similarity: float = 0.0
    keywords: tuple[str, ...] = ()
    evidence: Evidence | None = None
    reason: str = ""
    confidence: float | None = None  # how sure the fast pass is of the status (set for "wrong")


@dataclass(frozen=True, kw_only=True)
class KeyPointScore:
    """One rubric key point as the scorer judged it."""

    key_point: str
    text: str  # the rubric's wording
    status: str  # covered | partial | missed | wrong | unclear
    evidence: Evidence | None = None
    reason: str = ""
    confidence: float | None = None


@dataclass(frozen=True, kw_only=True)
class HabitResult:
    habit: str
    label: str
    found: bool
    evidence: str | None = None


@dataclass(frozen=True, kw_only=True)
class Scores:
    content: float | None = None
    reasoning: float | None = None
    delivery: float | None = None  # None for typed answers
    overall: float | None = None

    DIMENSIONS: ClassVar[tuple[str, ...]] = ("content", "reasoning", "delivery", "overall")

    def get(self, dimension: str) -> float | None:
        return getattr(self, dimension)


@dataclass(frozen=True, kw_only=True)
class Latency:
    """What one reply cost, in seconds. `response_s` runs from the moment the turn was
    decided to the first interviewer audio; `gap_s`, where known, from the end of the
    candidate's speech to that first audio (what the user feels)."""

    stt_s: float | None = None  # waiting for the transcript's tail after the decision
    choice_s: float | None = None  # coverage + policy
    llm_wait_s: float | None = None
    tts_s: float | None = None  # until the first audio of the line
    response_s: float | None = None
    gap_s: float | None = None


# --- the events --------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True)
class Event:
    TYPE: ClassVar[str] = ""
    RECORDED: ClassVar[bool] = True  # False: live only (captions, levels), never written to disk
    t: float = 0.0
    wall: float = 0.0

    def to_dict(self) -> dict:
        out: dict[str, Any] = {"t": self.t, "wall": self.wall, "type": self.TYPE}
        for f in dataclasses.fields(self):
            if f.name not in ("t", "wall"):
                out[f.name] = _encode(getattr(self, f.name))
        return out

    @classmethod
    def from_dict(cls, raw: dict):
        hints = _hints(cls)
        kwargs = {}
        for f in dataclasses.fields(cls):
            if f.name in raw and raw[f.name] is not None:
                try:
                    kwargs[f.name] = _decode(hints[f.name], raw[f.name])
                except (TypeError, ValueError, AttributeError):
                    pass  # a damaged or foreign field: keep the default rather than lose the line
        return cls(**kwargs)


@dataclass(frozen=True, kw_only=True)
class SessionStarted(Event):
    TYPE: ClassVar[str] = "session_started"
    mode: str = ""
    plan: tuple[str, ...] = ()
    candidate: str = ""


@dataclass(frozen=True, kw_only=True)
class QuestionStarted(Event):
    TYPE: ClassVar[str] = "question_started"
    question_id: str = ""
    stage: str = ""
    time_box_s: float | None = None
    number: int | None = None  # 1-based position in the plan
    of: int | None = None  # how many are planned


@dataclass(frozen=True, kw_only=True)
class LineSaid(Event):
    """The interviewer said a line (a question, a follow-up, a transition...)."""

    TYPE: ClassVar[str] = "interviewer_said"
    kind: str = ""  # intro | question | follow_up | challenge | clarification | cut_in | transition | outro
    question_id: str | None = None
    text: str = ""
    start: float = 0.0
    end: float = 0.0
    audio: str | None = None  # path relative to the session folder
    source: str | None = None  # follow-ups: llm | bank | template
    rejected: str | None = None  # why an LLM phrasing was not used
    llm_s: float | None = None
    key_point: str | None = None
    latency: Latency | None = None
    heard_s: float | None = None  # how much of the line played before the candidate cut in (None: all of it)


@dataclass(frozen=True, kw_only=True)
class FollowUpWithdrawn(Event):
    """The follow-up (or challenge) just said is taken back: the candidate cut in within its first
    seconds, so they had not heard the question and were still answering. Their next turn continues
    the same answer, and the line does not count as asked."""

    TYPE: ClassVar[str] = "follow_up_withdrawn"
    question_id: str = ""
    text: str = ""  # the line as it was said (its interviewer_said event comes just before)
    heard_s: float = 0.0  # how much of it played before the candidate went on


@dataclass(frozen=True, kw_only=True)
class PartialTranscript(Event):
    """The running transcript of the turn in progress (live captions, speculation)."""

    TYPE: ClassVar[str] = "partial_transcript"
    question_id: str | None = None
    text: str = ""


@dataclass(frozen=True, kw_only=True)
class CandidateTurn(Event):
    TYPE: ClassVar[str] = "candidate_turn"
    kind: str = "answer"  # answer | follow_up_answer
    question_id: str | None = None
    text: str = ""
    start: float = 0.0  # when listening started, session clock
    end: float = 0.0
    end_reason: str = "silence"  # silence | done | time_box | no_answer | stopped | end_of_input
    audio: str | None = None
    first_word_s: float | None = None  # these four are relative to `start`
    speech_end_s: float | None = None
    decided_s: float | None = None
    tail_wait_s: float | None = None
    stt_model: str | None = None  # "typed" for typed answers
    segments: tuple[SegmentRecord, ...] = ()
    end_detail: str = ""  # why the turn ended, in words (the end-of-turn model's verdict, the patience used)
    complete_prob: float | None = None  # the end-of-turn model's "this answer is finished" probability
    gain_db: float | None = None  # the gain applied to a quiet microphone
    live_text: str | None = None  # set by apply_revisions: what the live conversation acted on

    @property
    def words(self) -> tuple[WordTiming, ...]:
        return tuple(w for s in self.segments for w in s.words)

    @property
    def typed(self) -> bool:
        return self.stt_model == "typed"


@dataclass(frozen=True, kw_only=True)
class TranscriptRevised(Event):
    """A finished turn decoded again in one piece, while the interviewer spoke. Live, each chunk of an
    answer is decoded on its own as it comes, so the reply never waits for Whisper, and words at the
    cuts suffer; this text replaces the turn's in the record, the scores and the report."""

    TYPE: ClassVar[str] = "transcript_revised"
    question_id: str | None = None
    turn_start: float = 0.0  # the `start` of the candidate_turn it revises (unique in a session)
    text: str = ""
    segments: tuple[SegmentRecord, ...] = ()
    decode_s: float | None = None


def revise_turn(turn: CandidateTurn, revision: TranscriptRevised | None) -> CandidateTurn:
    """The turn with the revision's words, when the revision is of this turn; `live_text` keeps the first text."""
    if revision is None or revision.question_id != turn.question_id or round(revision.turn_start, 3) != round(turn.start, 3):
        return turn
    return dataclasses.replace(turn, text=revision.text, segments=revision.segments,
                               live_text=turn.text if turn.live_text is None else turn.live_text)


def apply_revisions(events: list[Event]) -> list[Event]:
    """Every candidate turn as finally transcribed (the revisions stay in the list, after their turns)."""
    revisions = {(e.question_id, round(e.turn_start, 3)): e for e in events if isinstance(e, TranscriptRevised)}
    if not revisions:
        return events
    return [revise_turn(e, revisions.get((e.question_id, round(e.start, 3)))) if isinstance(e, CandidateTurn) else e
            for e in events]


@dataclass(frozen=True, kw_only=True)
class CoverageMeasured(Event):
    """The fast judgement of everything answered so far on one question."""

    TYPE: ClassVar[str] = "coverage"
    question_id: str = ""
    covered_share: float = 0.0  # covered counts 1, partial 0.5
    points: tuple[PointCoverage, ...] = ()

    def point(self, key_point: str) -> PointCoverage | None:
        return next((p for p in self.points if p.key_point == key_point), None)


@dataclass(frozen=True, kw_only=True)
class DecisionMade(Event):
    TYPE: ClassVar[str] = "decision"
    question_id: str = ""
    action: str = ""  # probe | deeper | challenge | move_on
    key_point: str | None = None
    reason: str = ""
    speculated: tuple[str, ...] | None = None  # what speculation had prepared


@dataclass(frozen=True, kw_only=True)
class AnswerScored(Event):
    TYPE: ClassVar[str] = "score"
    question_id: str = ""
    scorer: str = ""
    scores: Scores = field(default_factory=Scores)
    key_points: tuple[KeyPointScore, ...] = ()
    habits: tuple[HabitResult, ...] = ()
    delivery: dict = field(default_factory=dict)  # the delivery statistics (wpm, pauses, ...)
    tips: tuple[str, ...] = ()
    flags: tuple[str, ...] = ()
    confidence: float | None = None  # how sure the scorer is of the content score


@dataclass(frozen=True, kw_only=True)
class Note(Event):
    TYPE: ClassVar[str] = "note"
    text: str = ""


@dataclass(frozen=True, kw_only=True)
class QuestionFinished(Event):
    TYPE: ClassVar[str] = "question_finished"
    question_id: str = ""


@dataclass(frozen=True, kw_only=True)
class SessionEnded(Event):
    TYPE: ClassVar[str] = "session_ended"
    status: str = ""
    answers_saved: int = 0
    follow_up_sources: dict = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class CodeSnapshot(Event):
    """The candidate's code in a coding round, as it stood at a moment (typed, before a run, final)."""

    TYPE: ClassVar[str] = "code_snapshot"
    question_id: str = ""  # the coding problem's id
    code: str = ""
    reason: str = "typed"  # typed | run | final


@dataclass(frozen=True, kw_only=True)
class CodeRun(Event):
    """The hidden tests run on the candidate's code (asked for, or at the end of the round)."""

    TYPE: ClassVar[str] = "code_run"
    question_id: str = ""
    passed: int = 0
    total: int = 0
    shown_failures: tuple[str, ...] = ()  # failures the candidate may see (inputs, expected, got)
    complexity: str = ""  # the measured scaling against the expected ("as expected", "too slow", ...)
    error: str = ""  # a crash, a timeout, a contained sandbox violation, in plain words
    summary: str = ""  # what the interviewer said about it


# Live only: what a front-end shows while nothing is being written.
@dataclass(frozen=True, kw_only=True)
class ListeningStarted(Event):
    """The candidate's turn is open: the time box starts now."""

    TYPE: ClassVar[str] = "listening_started"
    RECORDED: ClassVar[bool] = False
    question_id: str | None = None
    kind: str = "answer"
    time_box_s: float = 0.0
    think_timeout_s: float = 0.0


@dataclass(frozen=True, kw_only=True)
class SpeechActivity(Event):
    TYPE: ClassVar[str] = "speech_activity"
    RECORDED: ClassVar[bool] = False
    speaker: str = ""  # interviewer | candidate
    active: bool = False
    text: str = ""  # the interviewer's line, as it starts (captions need not wait for the end)


@dataclass(frozen=True, kw_only=True)
class UnknownEvent(Event):
    """A line of a type this version does not know (a newer version wrote it): kept as is."""

    TYPE: ClassVar[str] = "unknown"
    kind: str = ""
    raw: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return dict(self.raw)


EVENT_TYPES: dict[str, type[Event]] = {cls.TYPE: cls for cls in (
    SessionStarted, QuestionStarted, LineSaid, FollowUpWithdrawn, PartialTranscript, CandidateTurn,
    TranscriptRevised, CoverageMeasured, DecisionMade, AnswerScored, Note, QuestionFinished, SessionEnded, CodeSnapshot, CodeRun,
    ListeningStarted, SpeechActivity)}


def parse(raw: dict) -> Event:
    """One events.jsonl line (already JSON-decoded) as its typed event."""
    cls = EVENT_TYPES.get(str(raw.get("type")))
    if cls is None:
        return UnknownEvent(t=_num(raw.get("t")), wall=_num(raw.get("wall")), kind=str(raw.get("type")), raw=dict(raw))
    return cls.from_dict(raw)


# --- encoding: dataclasses <-> plain JSON values ------------------------------------------------


def _encode(value):
    if hasattr(value, "to_wire"):
        return value.to_wire()
    if dataclasses.is_dataclass(value):
        return {f.name: _encode(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_encode(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _encode(v) for k, v in value.items()}
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _decode(hint, raw):
    """Build `hint` (a type annotation) from a JSON value, tolerating older shapes."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(hint) if a is not type(None)]
        for option in options:
            try:
                return _decode(option, raw)
            except (TypeError, ValueError, AttributeError):
                continue
        return raw
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return tuple(_decode(item, v) for v in raw) if isinstance(raw, (list, tuple)) else ()
    if origin is dict or hint is dict:
        return dict(raw) if isinstance(raw, dict) else {}
    if isinstance(hint, type) and hasattr(hint, "from_wire"):
        return hint.from_wire(raw)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        if not isinstance(raw, dict):
            raise TypeError(f"{hint.__name__} needs an object")
        hints = _hints(hint)
        return hint(**{f.name: _decode(hints[f.name], raw[f.name]) for f in dataclasses.fields(hint)
                       if f.name in raw and raw[f.name] is not None})
    if hint is float:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise TypeError("not a number")
        return float(raw)
    if hint is int:
        if isinstance(raw, bool) or not isinstance(raw, (int, float)):
            raise TypeError("not a number")
        return int(raw)
    if hint is str:
        if isinstance(raw, (dict, list)):
            raise TypeError("not text")
        return str(raw)
    if hint is bool:
        return bool(raw)
    return raw


_HINTS: dict[type, dict] = {}


def _hints(cls: type) -> dict:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _opt_num(value) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _num(value, default: float = 0.0) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
