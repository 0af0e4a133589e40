"""What a recorded session holds, grouped for people: turns in order, and per question
its turns, coverage, decisions and scores.

Built from the raw events only (no models, no question bank), so listing and
replaying stay instant and work on sessions from older or newer versions.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

DIMENSIONS = ("content", "reasoning", "delivery", "overall")


@dataclass(frozen=True)
class Turn:
    """One thing said, by either side, on the session's audio clock."""

    index: int  # position among all turns of the session
    speaker: str  # interviewer | candidate
    kind: str  # intro, question, follow_up, ... | answer, follow_up_answer
    question_id: str | None
    text: str
    start: float
    end: float
    audio: str | None  # path relative to the session folder
    audio_missing: bool
    event: dict = field(compare=False, repr=False)  # the raw event: segments, end_reason, source, ...

    @property
    def segments(self) -> list[dict]:
        return list(self.event.get("segments") or [])

    @property
    def spoken_at(self) -> float:
        """When speech began: a candidate turn starts when listening starts, seconds before the first word."""
        if self.speaker == "candidate":
            segs = self.segments
            if segs and isinstance(segs[0].get("start"), (int, float)):
                return self.start + float(segs[0]["start"])
            if isinstance(self.event.get("first_word_s"), (int, float)):
                return self.start + float(self.event["first_word_s"])
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
    coverage: tuple[dict, ...]  # one per measurement; the last one covers every answer
    decisions: tuple[dict, ...]
    scores: tuple[dict, ...]  # score events; a later one (a re-score) replaces earlier ones
    finished: bool

    @property
    def score(self) -> dict | None:
        return self.scores[-1] if self.scores else None

    @property
    def final_coverage(self) -> dict | None:
        return self.coverage[-1] if self.coverage else None

    @property
    def candidate_turns(self) -> list[Turn]:
        return [t for t in self.turns if t.speaker == "candidate"]

    @property
    def overall(self) -> float | None:
        s = self.score
        value = (s or {}).get("scores", {}).get("overall")
        return float(value) if isinstance(value, (int, float)) else None

    @property
    def covered_share(self) -> float | None:
        c = self.final_coverage
        value = (c or {}).get("covered_share")
        return float(value) if isinstance(value, (int, float)) else None


@dataclass(frozen=True)
class Session:
    folder: Path
    meta: dict = field(compare=False)
    events: tuple[dict, ...] = field(compare=False)
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
        ends = [t.end for t in self.turns] + [float(e.get("t", 0) or 0) for e in self.events]
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
        for dim in DIMENSIONS:
            values = [q.score["scores"][dim] for q in self.questions
                      if q.score and isinstance(q.score.get("scores", {}).get(dim), (int, float))]
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


def build_session(folder: Path, meta: dict, events: list[dict], problems: list[str], missing_audio: set[str],
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

    for e in events:
        kind, qid = e.get("type"), e.get("question_id")
        if kind in ("interviewer_said", "candidate_turn"):
            turn = _turn(len(turns), e, missing_audio)
            turns.append(turn)
            if qid:
                q = record(qid)
                q["turns"].append(turn)
                if turn.kind == "question" and not q["text"]:
                    q["text"] = turn.text
        elif kind == "question_started" and qid:
            q = record(qid)
            q.update(stage=e.get("stage") or "", time_box_s=e.get("time_box_s"), started_t=e.get("t"))
        elif kind in ("coverage", "decision", "score") and qid:
            record(qid)[{"coverage": "coverage", "decision": "decisions", "score": "scores"}[kind]].append(e)
        elif kind == "question_finished" and qid:
            record(qid)["finished"] = True
        elif kind == "note":
            notes.append(str(e.get("text", "")))
    grouped = tuple(QuestionRecord(**{**q, "turns": tuple(q["turns"]), "coverage": tuple(q["coverage"]),
                                      "decisions": tuple(q["decisions"]), "scores": tuple(q["scores"])})
                    for q in questions.values())
    return Session(folder, meta, tuple(events), tuple(turns), grouped, tuple(notes), tuple(problems),
                   tuple(sorted(missing_audio)), skipped_lines)


def _turn(index: int, e: dict, missing_audio: set[str]) -> Turn:
    speaker = "interviewer" if e.get("type") == "interviewer_said" else "candidate"
    start = _num(e.get("start"), _num(e.get("t"), 0.0))
    return Turn(index=index, speaker=speaker, kind=str(e.get("kind") or ""), question_id=e.get("question_id"),
                text=str(e.get("text") or ""), start=start, end=max(start, _num(e.get("end"), start)),
                audio=e.get("audio") or None, audio_missing=bool(e.get("audio")) and e["audio"] in missing_audio,
                event=e)


def _num(value, default: float) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else default
