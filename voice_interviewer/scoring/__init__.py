"""Scoring spoken reasoning: content against the rubric, reasoning habits, delivery, tips.

`score_answer` scores one question's turns; `ScoreWorker` does it on its own
thread during an interview; `rescore_session` scores a recorded session again.
"""

from __future__ import annotations

import json
from pathlib import Path

from voice_interviewer.scoring.answer import AnswerInput, AnswerScore, Turn
from voice_interviewer.scoring.rules import score_rules
from voice_interviewer.scoring.summary import SessionSummary, summarize
from voice_interviewer.scoring.worker import ScoreWorker

__all__ = ["AnswerInput", "AnswerScore", "Turn", "ScoreWorker", "score_answer", "inputs_from_events",
           "rescore_session", "summarize", "SessionSummary"]


def score_answer(item: AnswerInput, client=None) -> AnswerScore:
    """The rules scorer, or the leashed LLM judge when a client is given."""
    if client is None:
        return score_rules(item)
    from voice_interviewer.scoring.judge import score_with_judge

    return score_with_judge(item, client)


def inputs_from_events(events: list[dict], bank) -> list[AnswerInput]:
    """One AnswerInput per question asked in a session's events (bank questions only)."""
    order, turns, boxes = [], {}, {}
    for e in events:
        qid = e.get("question_id")
        if e.get("type") == "question_started":
            order.append(qid)
            boxes[qid] = e.get("time_box_s", 120)
        elif e.get("type") == "candidate_turn" and qid:
            turns.setdefault(qid, []).append(Turn.from_event(e))
    known = {q.id for q in bank.questions}
    return [AnswerInput(bank.get(q), tuple(turns.get(q, ())), boxes[q]) for q in order if q in known]


def rescore_session(folder: str | Path, client=None) -> list[dict]:
    """Score every question of a recorded session again; returns `score` events (not written)."""
    from voice_interviewer.bank.questions import load_bank

    events = []
    for line in (Path(folder) / "events.jsonl").read_text(encoding="utf-8").splitlines():
        try:
            events.append(json.loads(line))
        except ValueError:
            continue  # a line cut short by a crash
    bank = load_bank()
    return [{"type": "score", **score_answer(item, client).as_event()} for item in inputs_from_events(events, bank)]
