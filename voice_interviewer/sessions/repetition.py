"""Spaced repetition for drills: weak questions come back soon, strong ones later.

Leitner-style: the last score sets the wait before a question is due again
(below 2: now; 2-3: 1 day; 3-4: 3 days; 4 and up: 7 days), doubled for each
consecutive good score (3 or more) before it. Due questions come first
(lowest score, then most overdue), then questions never asked, then the rest
by how soon they fall due. Ties are broken by the caller's rng, so a seeded
rng always gives the same drill.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Iterable

from voice_interviewer.bank.questions import Bank, Question

GOOD = 3.0  # a score at or above this extends the streak
DUE, NEW, LATER = "due", "new", "later"


@dataclass(frozen=True)
class Pick:
    question: Question
    priority: str  # due | new | later
    last_score: float | None
    due_at: datetime | None
    reason: str


def base_interval(score: float) -> timedelta:
    if score < 2:
        return timedelta(0)
    if score < 3:
        return timedelta(days=1)
    if score < 4:
        return timedelta(days=3)
    return timedelta(days=7)


def due_at(attempts: list) -> tuple[datetime, float, int]:
    """(when the question is due, its last score, the run of good scores ending with the last)."""
    attempts = sorted(attempts, key=lambda a: a.when)
    last = attempts[-1]
    streak = 0
    for a in reversed(attempts):
        if a.score < GOOD:
            break
        streak += 1
    interval = base_interval(last.score) * (2 ** max(0, streak - 1))
    return _aware(last.when) + interval, last.score, streak


def _aware(d: datetime) -> datetime:
    return d if d.tzinfo else d.replace(tzinfo=timezone.utc)


def choose_questions(bank: Bank, track: str | None, count: int, history: Iterable, rng: random.Random,
                     now: datetime | None = None) -> list[Pick]:
    """`history`: attempts with .question_id, .when (datetime) and .score (0-5), e.g. progress.history()."""
    now = _aware(now or datetime.now(timezone.utc))
    pool = list(bank.questions) if track in (None, "", "all") else bank.track(track)
    tiebreak = {q.id: rng.random() for q in pool}  # drawn in bank order: same rng state, same drill
    by_question: dict[str, list] = {}
    for a in history:
        by_question.setdefault(a.question_id, []).append(a)
    due, new, later = [], [], []
    for q in pool:
        attempts = by_question.get(q.id)
        if not attempts:
            new.append(Pick(q, NEW, None, None, "never asked"))
            continue
        when, score, streak = due_at(attempts)
        overdue = now - when
        if overdue >= timedelta(0):
            reason = f"last score {score:.1f}; due {_ago(overdue)}" + (f" ({streak} good in a row)" if streak > 1 else "")
            due.append((score, -overdue.total_seconds(), tiebreak[q.id], Pick(q, DUE, score, when, reason)))
        else:
            later.append((when, score, tiebreak[q.id], Pick(q, LATER, score, when,
                                                          f"last score {score:.1f}; not due until {when:%Y-%m-%d}")))
    new.sort(key=lambda p: tiebreak[p.question.id])
    ordered = [p for *_, p in sorted(due, key=lambda x: x[:3])] + new + [p for *_, p in sorted(later, key=lambda x: x[:3])]
    return ordered[:max(0, count)]


def _ago(delta: timedelta) -> str:
    hours = delta.total_seconds() / 3600
    if hours < 1:
        return "now"
    return f"{hours:.0f} h ago" if hours < 48 else f"{hours / 24:.0f} days ago"
