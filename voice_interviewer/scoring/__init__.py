"""Scoring spoken reasoning: content against the rubric, reasoning habits, delivery, tips.

`make_scorer` gives the function that scores one question's turns; `ScoreWorker`
runs it on its own thread as a subscriber of the session bus; `rescore_session`
scores a recorded session again.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import Callable

from voice_interviewer.events import AnswerScored, CandidateTurn, Event, QuestionStarted
from voice_interviewer.interfaces import Embedder
from voice_interviewer.scoring.answer import AnswerInput
from voice_interviewer.scoring.rules import score_rules
from voice_interviewer.scoring.worker import ScoreWorker

__all__ = ["AnswerInput", "ScoreWorker", "make_scorer", "inputs_from_events", "rescore_session"]


def make_scorer(embedder: Embedder, client=None) -> Callable[[AnswerInput], AnswerScored]:
    """The rules scorer, or the leashed LLM judge when a client is given."""
    if client is None:
        return functools.partial(score_rules, embedder=embedder)
    from voice_interviewer.scoring.judge import score_with_judge

    return functools.partial(score_with_judge, client=client, embedder=embedder)


def inputs_from_events(events: list[Event], bank) -> list[AnswerInput]:
    """One AnswerInput per bank question asked in a session (coverage is measured again)."""
    order, turns, boxes = [], {}, {}
    for e in events:
        if isinstance(e, QuestionStarted) and e.question_id:
            order.append(e.question_id)
            boxes[e.question_id] = e.time_box_s or 120.0
        elif isinstance(e, CandidateTurn) and e.question_id:
            turns.setdefault(e.question_id, []).append(e)
    known = {q.id for q in bank.questions}
    return [AnswerInput(bank.get(q), tuple(turns.get(q, ())), boxes[q]) for q in order if q in known]


def rescore_session(folder: str | Path, embedder: Embedder, client=None) -> list[AnswerScored]:
    """Score every question of a recorded session again; returns the score events (not written)."""
    from voice_interviewer.bank.questions import load_bank
    from voice_interviewer.sessions.store import read_events

    events, _bad, _lines = read_events(Path(folder) / "events.jsonl")
    score = make_scorer(embedder, client)
    return [score(item) for item in inputs_from_events(events, load_bank())]
