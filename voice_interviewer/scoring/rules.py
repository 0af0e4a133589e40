"""The default scorer: offline, deterministic, built on the rubric.

content   = share of the rubric's key points covered (partial counts half), with evidence;
            the coverage is the one the interview measured live, when there is one;
reasoning = habits heard, against how many the question's track calls for;
delivery  = from timings and words (not for typed answers);
overall   = a weighted mean, capped near the content score: fluent talk about the
            wrong thing, or instructions aimed at the grader, cannot score high.
"""

from __future__ import annotations

import re

from voice_interviewer.events import AnswerScored, KeyPointScore, PointCoverage, Scores
from voice_interviewer.interfaces import Embedder
from voice_interviewer.judging import coverage as cov
from voice_interviewer.scoring.answer import AnswerInput, transcript_of
from voice_interviewer.scoring.delivery import delivery_score, delivery_stats
from voice_interviewer.scoring.reasoning import find_habits, habit_tip, reasoning_score

INJECTION = re.compile(
    r"\b(ignore (the|all|any|your|previous|prior) (rubric|instructions|rules)|give me (a|an)? ?(5|five|perfect|full|top)|"
    r"(score|grade|rate) (this|me) (a |as )?(5|five|perfect)|you are now|system prompt|as the (grader|judge))\b", re.I)
WEIGHTS = {"content": 0.5, "reasoning": 0.3, "delivery": 0.2}


def score_rules(item: AnswerInput, embedder: Embedder) -> AnswerScored:
    q = item.question
    text = item.text
    flags = ("the answer contained instructions aimed at the grader; they were ignored",) if INJECTION.search(text) else ()
    coverage = item.coverage or cov.measure(q, [transcript_of(t) for t in item.turns] or [""], embedder)
    key_points = tuple(_key_point(q, p) for p in coverage.points)
    content = round(5.0 * coverage.covered_share, 1)
    habits = find_habits(text, q.track)
    reasoning = reasoning_score(habits, q.track)
    typed = bool(item.turns) and all(t.typed for t in item.turns)
    stats = delivery_stats(item.turns, item.time_box_s)
    delivery, delivery_tips = (None, []) if typed else delivery_score(stats)
    scores = Scores(content=content, reasoning=reasoning, delivery=delivery, overall=overall(content, reasoning, delivery))
    return AnswerScored(question_id=q.id, scorer="rules", scores=scores, key_points=key_points, habits=habits,
                        delivery=stats, tips=_tips(key_points, habits, delivery_tips), flags=flags)


def overall(content: float, reasoning: float, delivery: float | None) -> float:
    parts = {"content": content, "reasoning": reasoning, "delivery": delivery}
    used = {k: v for k, v in parts.items() if v is not None}
    weighted = sum(WEIGHTS[k] * v for k, v in used.items()) / sum(WEIGHTS[k] for k in used)
    return round(min(weighted, content + 1.5), 1)  # good delivery cannot rescue missing content


def _key_point(q, p: PointCoverage) -> KeyPointScore:
    evidence = p.evidence if p.status != cov.MISSED else None
    return KeyPointScore(key_point=p.key_point, text=q.key_point(p.key_point).text, status=p.status,
                         evidence=evidence, reason=p.reason)


def _tips(key_points, habits, delivery_tips: list[str]) -> tuple[str, ...]:
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
