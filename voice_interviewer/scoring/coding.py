"""Scoring a coding round from its events: the tests, the measured cost, the code, and the habits heard.

Everything is read from the session's typed events (CodeRun, CodeSnapshot, CandidateTurn,
LineSaid), so a recorded session scores the same way again, with no model. Each criterion
carries its evidence: a transcript span (who, when, what), a code snapshot, or a test run.

The spoken habits are the ones the seeds say phone-screen interviewers listen for: the approach
stated before any code, the data structure justified, the complexity said out loud, edge cases
checked, and testing by hand. A habit shown unprompted scores 5; shown only after the
interviewer asked for it, 3; never shown, 0.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from typing import Callable

from voice_interviewer.events import (AnswerScored, CandidateTurn, CodeRun, CodeSnapshot, Event, HabitResult, LineSaid,
                                      QuestionFinished, Scores)
from voice_interviewer.interviewer.coding_round import COMPLEXITY, REASON, justified

EDGE = re.compile(r"\b(empty|edge cases?|corner cases?|zero|equal to zero|none|null|duplicates?|negative|"
                  r"single (element|item|event)|only one|ties?|off by one)\b")
BY_HAND = re.compile(r"\b(trac(e|ing)|by hand|walk (it |this |that )?through|dry run|step through|"
                     r"let me check|on the (first |second )?example|gives .* which matches)\b")
SHORT_NAMES_OK = {"i", "j", "k", "n", "m", "x", "y", "_", "a", "b", "u", "v"}
UNPROMPTED, PROMPTED, ABSENT = 5.0, 3.0, 0.0


@dataclass(frozen=True)
class Evidence:
    kind: str  # transcript (the candidate) | prompt (the interviewer's probe) | code | run
    text: str
    t: float | None = None  # seconds into the session


@dataclass(frozen=True)
class Criterion:
    id: str
    title: str
    score: float | None  # 0-5; None: nothing to judge
    verdict: str
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True)
class Snapshot:
    t: float
    reason: str
    code: str


@dataclass(frozen=True)
class CodingScore:
    problem_id: str
    criteria: tuple[Criterion, ...]
    snapshots: tuple[Snapshot, ...]  # distinct versions, in order
    runs: tuple[CodeRun, ...]
    hints: int

    @property
    def overall(self) -> float | None:
        scores = [c.score for c in self.criteria if c.score is not None]
        return round(sum(scores) / len(scores), 2) if scores else None

    def criterion(self, cid: str) -> Criterion:
        return next(c for c in self.criteria if c.id == cid)


# --- the round's events ---------------------------------------------------------------------

def coding_problem_ids(events: list[Event]) -> list[str]:
    """The problems a session coded, in order (the questions with code snapshots)."""
    return list(dict.fromkeys(e.question_id for e in events if isinstance(e, CodeSnapshot) and e.question_id))


def score_coding(events: list[Event], problem_id: str) -> CodingScore:
    mine = [e for e in events if getattr(e, "question_id", None) == problem_id]
    turns = [e for e in mine if isinstance(e, CandidateTurn) and e.text.strip() and e.kind != "clarification"]
    lines = [e for e in mine if isinstance(e, LineSaid)]
    runs = tuple(e for e in mine if isinstance(e, CodeRun))
    snaps = _versions([e for e in mine if isinstance(e, CodeSnapshot)])
    hints = sum(1 for e in lines if e.key_point == "hint")
    answering = _probe_answered(mine)

    def reasons_for_structure(turn: CandidateTurn) -> bool:  # "because..." after "why a heap?" counts too
        return justified(turn.text) or (answering.get(id(turn)) == "structure" and bool(REASON.search(turn.text.lower())))

    criteria = (_correctness(runs, len(snaps) > 1), _complexity(runs), _clarity(snaps), _approach_first(turns, snaps),
                _habit("structure", "Data structure justified", turns, lines, reasons_for_structure),
                _habit("complexity", "Complexity said out loud", turns, lines, lambda t: _says(COMPLEXITY, t)),
                _habit("edge_case", "Edge cases checked", turns, lines, lambda t: _says(EDGE, t)),
                _habit("testing", "Tested by hand", turns, lines, lambda t: _says(BY_HAND, t)))
    return CodingScore(problem_id, criteria, snaps, runs, hints)


def _versions(snapshots: list[CodeSnapshot]) -> tuple[Snapshot, ...]:
    """Each distinct version once (a run or the final snapshot of unchanged code adds nothing)."""
    out: list[Snapshot] = []
    for s in snapshots:
        if out and out[-1].code == s.code:
            continue
        out.append(Snapshot(s.t, s.reason, s.code))
    return tuple(out)


# --- what the tests say ---------------------------------------------------------------------

def _correctness(runs: tuple[CodeRun, ...], wrote_code: bool) -> Criterion:
    if not wrote_code:  # the starter alone solves nothing: a zero, not "not measured"
        return Criterion("correctness", "Correctness", 0.0, "no code was written beyond the starter")
    if not runs:
        return Criterion("correctness", "Correctness", None, "the tests were never run")
    last = runs[-1]
    score = 5.0 * last.passed / last.total if last.total else 0.0
    verdict = f"{last.passed} of {last.total} tests pass on the final code" + (f" ({last.error})" if last.error else "")
    shown = tuple(Evidence("run", f, last.t) for f in last.shown_failures[:3])
    return Criterion("correctness", "Correctness", round(score, 2), verdict, (Evidence("run", last.summary, last.t),) + shown)


def _complexity(runs: tuple[CodeRun, ...]) -> Criterion:
    measured = [r for r in runs if r.complexity and not r.complexity.startswith("not run")]
    if not measured:
        return Criterion("measured_complexity", "Measured complexity", None, "no scaling test ran")
    last = measured[-1].complexity
    score = 5.0 if last.startswith("meets") else 3.0 if last.startswith("finishes") else 1.0
    trail = tuple(Evidence("run", r.complexity, r.t) for r in measured[-3:])
    return Criterion("measured_complexity", "Measured complexity", score, last, trail)


# --- what the code looks like ---------------------------------------------------------------

def clarity_signals(code: str) -> dict:
    """Simple measurable signals: longest function, deepest nesting, cryptic names, comments."""
    try:
        tree = ast.parse(code)
    except SyntaxError as exc:
        return {"error": f"does not parse (line {exc.lineno})"}
    funcs = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    longest = max(((f.end_lineno - f.lineno + 1, f.name) for f in funcs), default=(0, ""))
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    names |= {a.arg for f in funcs for a in f.args.args}
    cryptic = sorted(n for n in names if len(n) <= 2 and n not in SHORT_NAMES_OK)
    comments = sum(1 for line in code.splitlines() if line.strip().startswith("#") or "  # " in line)
    docstrings = sum(1 for f in funcs if ast.get_docstring(f))
    return {"longest": longest, "depth": _depth(tree), "cryptic": cryptic, "comments": comments + docstrings}


def _depth(node, level: int = 0) -> int:
    blocks = (ast.For, ast.While, ast.If, ast.With, ast.Try, ast.AsyncFor)
    deeper = [_depth(c, level + isinstance(c, blocks)) for c in ast.iter_child_nodes(node)]
    return max(deeper, default=level)


def _clarity(snaps: tuple[Snapshot, ...]) -> Criterion:
    if len(snaps) < 2:  # the first version is the starter we wrote: its clarity is not the candidate's
        return Criterion("clarity", "Code clarity", None, "no code was written beyond the starter")
    final = snaps[-1]
    sig = clarity_signals(final.code)
    if "error" in sig:
        return Criterion("clarity", "Code clarity", 1.0, f"the final code {sig['error']}", (Evidence("code", final.code, final.t),))
    lines, name = sig["longest"]
    findings = [(lines <= 30, f"longest function {name}() is {lines} lines"),
                (sig["depth"] <= 3, f"nesting depth {sig['depth']}"),
                (not sig["cryptic"], "cryptic names: " + ", ".join(sig["cryptic"]) if sig["cryptic"] else "clear names"),
                (sig["comments"] > 0, f"{sig['comments']} comment(s) or docstring(s)")]
    score = 5.0 - 1.25 * sum(not ok for ok, _ in findings)
    verdict = "; ".join(text for _, text in findings)
    return Criterion("clarity", "Code clarity", score, verdict, (Evidence("code", final.code, final.t),))


# --- what was said ---------------------------------------------------------------------------

def _approach_first(turns: list[CandidateTurn], snaps: tuple[Snapshot, ...]) -> Criterion:
    """The plan said (a dozen words or more) before the first change to the starter code."""
    first_code = next((s.t for s in snaps[1:]), None) if snaps else None
    before = [t for t in turns if first_code is None or t.start < first_code]
    plan = next((t for t in before if len(t.text.split()) >= 12), None)
    if plan is None:
        return Criterion("approach_first", "Approach before code", ABSENT,
                         "coding started before any approach was explained")
    return Criterion("approach_first", "Approach before code", UNPROMPTED, "explained the approach before typing",
                     (Evidence("transcript", _clip(plan.text), plan.start),))


def _habit(key: str, title: str, turns: list[CandidateTurn], lines: list[LineSaid], shows) -> Criterion:
    """Unprompted when a turn shows it before the interviewer asked for it; prompted when only after."""
    probe = next((ln for ln in lines if ln.key_point == key), None)
    asked_at = probe.t if probe is not None else None
    hits = [t for t in turns if shows(t)]
    if not hits:
        return Criterion(key, title, ABSENT, "never heard" + (" (even when asked)" if asked_at is not None else ""))
    first = hits[0]
    unprompted = asked_at is None or first.start < asked_at
    verdict = "said unprompted" if unprompted else "said after the interviewer asked"
    said = tuple(Evidence("transcript", _clip(t.text), t.start) for t in hits[:2])
    asked = () if unprompted else (Evidence("prompt", _clip(probe.text), probe.t),)
    return Criterion(key, title, UNPROMPTED if unprompted else PROMPTED, verdict, asked + said)


def _says(pattern: re.Pattern, turn: CandidateTurn) -> bool:
    return bool(pattern.search(turn.text.lower()))


def _probe_answered(mine: list[Event]) -> dict[int, str]:
    """For each candidate turn, what the interviewer's line just before it probed (keyed by id of the
    turn). By the order of the events, not their times: a line and its reply share a millisecond."""
    out, probing = {}, None
    for e in mine:
        if isinstance(e, LineSaid):
            probing = e.key_point
        elif isinstance(e, CandidateTurn) and probing:
            out[id(e)] = probing
    return out


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- live: an AnswerScored for the coding question, so tables and charts list it -------------------

HABITS = ("approach_first", "structure", "complexity", "edge_case", "testing")
CODE = ("correctness", "measured_complexity", "clarity")
TIPS = {
    "approach_first": "Say your plan before you type: the approach first, then the code.",
    "structure": "Say why you chose your data structure, before you are asked.",
    "complexity": "Say the time and space cost out loud without waiting to be asked.",
    "edge_case": "Name the edge cases (empty input, zero, ties) before you run the tests.",
    "testing": "Walk one example through your code by hand before asking for a run.",
}


def as_answer_scored(score: CodingScore) -> AnswerScored:
    """The round as one AnswerScored: content = the code (tests, cost, clarity), reasoning = the spoken habits."""
    def mean(ids):
        values = [score.criterion(i).score for i in ids if score.criterion(i).score is not None]
        return round(sum(values) / len(values), 2) if values else None

    habits = tuple(HabitResult(habit=c.id, label=c.title, found=bool(c.score),
                               evidence=next((e.text for e in c.evidence if e.kind == "transcript"), None))
                   for c in score.criteria if c.id in HABITS)
    tips = tuple(TIPS[c.id] for c in score.criteria if c.id in HABITS and (c.score or 0) < UNPROMPTED)
    return AnswerScored(question_id=score.problem_id, scorer="coding",
                        scores=Scores(content=mean(CODE), reasoning=mean(HABITS), overall=score.overall),
                        habits=habits, tips=tips[:3])


class CodingScorer:
    """Keeps each coding question's events (from its first code snapshot on); `take` hands them over when
    the question ends, for ScoreWorker's thread to score (ms of work: no model)."""

    LISTENS_TO = (CandidateTurn, LineSaid, CodeSnapshot, CodeRun, QuestionFinished)

    def __init__(self):
        self._events: dict[str, list[Event]] = {}

    def __call__(self, event: Event) -> bool:
        """True when the event belonged to a coding question and nobody else needs it (its end is left
        to the caller, which then takes the question's events)."""
        qid = getattr(event, "question_id", None)
        if isinstance(event, CodeSnapshot) and qid:
            self._events.setdefault(qid, [])
        if qid not in self._events or isinstance(event, QuestionFinished):
            return False
        self._events[qid].append(event)
        return True

    def take(self, qid: str) -> list[Event] | None:
        """The finished question's events, or None when it was not a coding question."""
        return self._events.pop(qid, None)
