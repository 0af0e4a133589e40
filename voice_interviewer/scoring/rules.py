"""The default scorer: offline, deterministic, built on the rubric.

content   = share of the rubric's key points covered (partial counts half), with evidence;
reasoning = habits heard, against how many the question's track calls for;
delivery  = from timings and words (not for typed answers);
overall   = a weighted mean, capped near the content score: fluent talk about the
            wrong thing, or instructions aimed at the grader, cannot score high.
"""

from __future__ import annotations

import re

from voice_interviewer.judging import coverage as cov
from voice_interviewer.scoring.answer import AnswerInput, AnswerScore, KeyPointResult
from voice_interviewer.scoring.delivery import delivery_score, delivery_stats
from voice_interviewer.scoring.reasoning import find_habits, habit_tip, reasoning_score

INJECTION = re.compile(
    r"\b(ignore (the|all|any|your|previous|prior) (rubric|instructions|rules)|give me (a|an)? ?(5|five|perfect|full|top)|"
    r"(score|grade|rate) (this|me) (a |as )?(5|five|perfect)|you are now|system prompt|as the (grader|judge))\b", re.I)
WEIGHTS = {"content": 0.5, "reasoning": 0.3, "delivery": 0.2}


def score_rules(item: AnswerInput, embedder=None) -> AnswerScore:
    q = item.question
    text = " ".join(t.text for t in item.turns if t.text)
    flags = ("the answer contained instructions aimed at the grader; they were ignored",) if INJECTION.search(text) else ()
    coverage = cov.measure(q, [t.transcript() for t in item.turns] or [""], embedder)
    key_points = tuple(_key_point(q, p) for p in coverage.points)
    content = round(5.0 * coverage.covered_share, 1)
    habits = find_habits(text, q.track)
    reasoning = reasoning_score(habits, q.track)
    typed = bool(item.turns) and all(t.typed for t in item.turns)
    stats = delivery_stats(item.turns, item.time_box_s)
    delivery, delivery_tips = (None, []) if typed else delivery_score(stats)
    overall = _overall(content, reasoning, delivery)
    tips = _tips(q, key_points, habits, delivery_tips)
    return AnswerScore(q.id, "rules", content, reasoning, delivery, overall, key_points, habits, stats, tips, flags)


def _overall(content: float, reasoning: float, delivery: float | None) -> float:
    parts = {"content": content, "reasoning": reasoning, "delivery": delivery}
    used = {k: v for k, v in parts.items() if v is not None}
    weighted = sum(WEIGHTS[k] * v for k, v in used.items()) / sum(WEIGHTS[k] for k in used)
    return round(min(weighted, content + 1.5), 1)  # good delivery cannot rescue missing content


def _key_point(q, p: cov.KeyPointCoverage) -> KeyPointResult:
    ev = p.evidence
    evidence = {"text": ev.text, "start": ev.start_s, "end": ev.end_s, "turn": ev.turn} if ev and p.status != cov.MISSED else None
    return KeyPointResult(p.key_point, q.key_point(p.key_point).text, p.status, evidence)


def _tips(q, key_points, habits, delivery_tips: list[str]) -> tuple[str, ...]:
    tips = []
    missed = [k for k in key_points if k.status == cov.MISSED]
    partial = [k for k in key_points if k.status == cov.PARTIAL]
    if missed:
        tips.append(f"You never covered: {_lower_first(missed[0].text)}.")
    elif partial:
        tips.append(f"Make this explicit, you only touched on it: {_lower_first(partial[0].text)}.")
    absent = [h for h in habits if not h.found]
    if absent:
        tips.append(habit_tip(absent[0].habit))
    if delivery_tips:
        tips.append(delivery_tips[0][0].upper() + delivery_tips[0][1:] + ".")
    return tuple(tips[:3])


def _lower_first(s: str) -> str:
    return s[:1].lower() + s[1:] if s else s
