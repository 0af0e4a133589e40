"""What a recorded session holds, grouped for people: turns in order, and per question
its turns, coverage, decisions and scores.

Built from the raw events only (no models, no question bank), so listing and
replaying stay instant and work on sessions from older or newer versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

from voice_interviewer.events import (AnswerScored, CandidateTurn, CoverageMeasured, DecisionMade, Event,
                                      FollowUpWithdrawn, LineSaid, Note, QuestionFinished, QuestionStarted, Scores)


@dataclass(frozen=True)
class Turn:
    """One thing said, by either side, on the session's audio clock."""

    index: int  # position among all turns of the session
    event: LineSaid | CandidateTurn = field(compare=False, repr=False)
    audio_missing: bool = False
    withdrawn_s: float | None = None  # a follow-up taken back: the candidate went on after this much of it

    @property
    def speaker(self) -> str:
        return "candidate" if isinstance(self.event, CandidateTurn) else "interviewer"

    @property
    def kind(self) -> str:  # intro, question, follow_up, ... | answer, follow_up_answer
        return self.event.kind

    @property
    def question_id(self) -> str | None:
        return self.event.question_id

    @property
    def text(self) -> str:
        return self.event.text

    @property
    def start(self) -> float:
        return self.event.start or self.event.t

    @property
    def end(self) -> float:
        return max(self.start, self.event.end or self.start)

    @property
    def audio(self) -> str | None:
        return self.event.audio or None

    @property
    def segments(self):
        return self.event.segments if isinstance(self.event, CandidateTurn) else ()

    @property
    def spoken_at(self) -> float:
        """When speech began: a candidate turn starts when listening starts, seconds before the first word."""
        e = self.event
        if isinstance(e, CandidateTurn):
            if e.segments:
                return self.start + e.segments[0].start
            if e.first_word_s is not None:
                return self.start + e.first_word_s
        return self.start


@dataclass(frozen=True)
class QuestionRecord:
    question_id: str
    number: int  # 1-based, in the order asked
    text: str  # the question as spoken ("" when that line was lost)
    stage: str
    time_box_s: float | None
    started_t: float | None
    turns: tuple[Turn, ...]
    coverage: tuple[CoverageMeasured, ...]  # one per measurement; the last one covers every answer
    decisions: tuple[DecisionMade, ...]
    scores: tuple[AnswerScored, ...]  # a later one (a re-score) replaces earlier ones
    finished: bool

    @property
    def score(self) -> AnswerScored | None:
        return self.scores[-1] if self.scores else None

    @property
    def final_coverage(self) -> CoverageMeasured | None:
        return self.coverage[-1] if self.coverage else None

    @property
    def candidate_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.speaker == "candidate"]

    @property
    def overall(self) -> float | None:
        return self.score.scores.overall if self.score else None

    @property
    def covered_share(self) -> float | None:
        c = self.final_coverage
        return c.covered_share if c else None


@dataclass(frozen=True)
class Session:
    folder: Path
    meta: dict = field(compare=False)
    events: tuple[Event, ...] = field(compare=False)
    turns: tuple[Turn, ...] = ()
    questions: tuple[QuestionRecord, ...] = ()
    notes: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()  # what is missing or damaged, in words
    missing_audio: tuple[str, ...] = ()
    skipped_lines: int = 0

    @property
    def name(self) -> str:
        return self.folder.name

    @property
    def mode(self) -> str:
        return str(self.meta.get("mode") or _name_part(self.name, 2) or "?")

    @property
    def status(self) -> str:
        return str(self.meta.get("status") or "unknown (no meta.json)")

    @property
    def started_at(self) -> str:
        return str(self.meta.get("started_at") or _stamp_from_name(self.name) or "")

    @property
    def duration_s(self) -> float:
        """From the first to the last event on the audio clock (meta times are wall clock)."""
        ends = [t.end for t in self.turns] + [e.t for e in self.events]
        return max(ends, default=0.0)

    @property
    def has_scores(self) -> bool:
        return any(q.score for q in self.questions)

    @property
    def overall_score(self) -> float | None:
        values = [q.overall for q in self.questions if q.overall is not None]
        return round(sum(values) / len(values), 2) if values else None

    def dimension_means(self) -> dict[str, float]:
        out = {}
        for dim in Scores.DIMENSIONS:
            values = [q.score.scores.get(dim) for q in self.questions if q.score and q.score.scores.get(dim) is not None]
            if values:
                out[dim] = round(sum(values) / len(values), 2)
        return out


def _name_part(name: str, i: int) -> str | None:
    parts = name.split("-")
    return parts[i] if len(parts) > i else None


def _stamp_from_name(name: str) -> str | None:
    """'20261122-110446-drill' -> '2026-11-22T11:04:46+00:00' (the recorder names folders in UTC)."""
    parts = name.split("-")
    if len(parts) >= 2 and len(parts[0]) == 8 and len(parts[1]) == 6 and (parts[0] + parts[1]).isdigit():
        d, t = parts[0], parts[1]
        return f"{d[:4]}-{d[4:6]}-{d[6:]}T{t[:2]}:{t[2:4]}:{t[4:]}+00:00"
    return None


def build_session(folder: Path, meta: dict, events: list[Event], problems: list[str], missing_audio: set[str],
                  skipped_lines: int) -> Session:
    """Group events into turns and questions. Events may come in any order a crash left them."""
    turns: list[Turn] = []
    questions: dict[str, dict] = {}
    notes: list[str] = []

    def record(qid: str) -> dict:
        if qid not in questions:  # its question_started line may have been lost
            questions[qid] = {"question_id": qid, "number": len(questions) + 1, "text": "", "stage": "",
                              "time_box_s": None, "started_t": None, "turns": [], "coverage": [],
                              "decisions": [], "scores": [], "finished": False}
        return questions[qid]

    lists = {CoverageMeasured: "coverage", DecisionMade: "decisions", AnswerScored: "scores"}
    for e in events:
        qid = getattr(e, "question_id", None)
        if isinstance(e, (LineSaid, CandidateTurn)):
            turn = Turn(len(turns), e, bool(e.audio) and e.audio in missing_audio)
            turns.append(turn)
            if qid:
                q = record(qid)
                q["turns"].append(turn)
                if turn.kind == "question" and not q["text"]:
                    q["text"] = turn.text
        elif isinstance(e, FollowUpWithdrawn) and qid:
            _withdraw(turns, record(qid)["turns"], e)
        elif isinstance(e, QuestionStarted) and qid:
            record(qid).update(stage=e.stage, time_box_s=e.time_box_s, started_t=e.t)
        elif type(e) in lists and qid:
            record(qid)[lists[type(e)]].append(e)
        elif isinstance(e, QuestionFinished) and qid:
            record(qid)["finished"] = True
        elif isinstance(e, Note):
            notes.append(e.text)
    grouped = tuple(QuestionRecord(**{**q, "turns": tuple(q["turns"]), "coverage": tuple(q["coverage"]),
                                      "decisions": tuple(q["decisions"]), "scores": tuple(q["scores"])})
                    for q in questions.values())
    return Session(folder, meta, tuple(events), tuple(turns), grouped, tuple(notes), tuple(problems),
                   tuple(sorted(missing_audio)), skipped_lines)


def _withdraw(turns: list[Turn], asked: list[Turn], e: FollowUpWithdrawn) -> None:
    """Mark the latest line with the withdrawn text (its interviewer_said event comes just before; the
    same line may be asked again later), in the question's turns too unless it is a transition, which
    belongs to no question."""
    for i in reversed(range(len(turns))):
        t = turns[i]
        if t.speaker == "interviewer" and t.text == e.text:
            turns[i] = replace(t, withdrawn_s=e.heard_s)
            if t in asked:
                asked[asked.index(t)] = turns[i]
            return
