"""The default scorer: offline, deterministic, built on the rubric.

content   = the careful judge (judging/judge.py): a verdict per key point (covered, partial,
            missed, wrong, unclear) with the words that show it and a one-line reason; covered
            counts 1, partial half. The live coverage pass only steers the conversation: its
            keywords and similarities cannot tell a right answer from a wrong one;
reasoning = habits heard, against how many the question's track calls for;
delivery  = from timings and words (not for typed answers);
overall   = a weighted mean, capped near the content score: fluent talk about the
            wrong thing, or instructions aimed at the grader, cannot score high.
"""

from __future__ import annotations

import re

from voice_interviewer.events import AnswerScored, KeyPointScore, Scores
from voice_interviewer.interfaces import Embedder
from voice_interviewer.judging.judge import JudgedAnswer, judge_answer
from voice_interviewer.judging.verdicts import MISSED, PARTIAL, UNCLEAR, WRONG, KeyPointVerdict
from voice_interviewer.scoring.answer import AnswerInput
from voice_interviewer.scoring.evidence import locate
from voice_interviewer.scoring.delivery import delivery_score, delivery_stats
from voice_interviewer.scoring.reasoning import find_habits, habit_tip, reasoning_score

INJECTION = re.compile(
    r"\b(ignore (the|all|any|your|previous|prior) (rubric|instructions|rules)|give me (a|an)? ?(5|five|perfect|full|top)|"
    r"(score|grade|rate) (this|me) (a |as )?(5|five|perfect)|you are now|system prompt|as the (grader|judge))\b", re.I)
WEIGHTS = {"content": 0.5, "reasoning": 0.3, "delivery": 0.2}
INJECTION_FLAG = "the answer contained instructions aimed at the grader; they were ignored"


def score_rules(item: AnswerInput, embedder: Embedder) -> AnswerScored:
    q = item.question
    text = item.text
    flags = (INJECTION_FLAG,) if INJECTION.search(text) else ()
    judged = judge_answer(q, text, embedder=embedder)
    key_points = tuple(_key_point(q, v, item) for v in judged.verdicts)
    content = judged.content
    habits = find_habits(text, q.track)
    reasoning = reasoning_score(habits, q.track)
    typed = bool(item.turns) and all(t.typed for t in item.turns)
    stats = delivery_stats(item.turns, item.time_box_s)
    delivery, delivery_tips = (None, []) if typed else delivery_score(stats)
    scores = Scores(content=content, reasoning=reasoning, delivery=delivery, overall=overall(content, reasoning, delivery))
    return AnswerScored(question_id=q.id, scorer="rules", scores=scores, key_points=key_points, habits=habits,
                        delivery=stats, tips=_tips(judged, key_points, habits, delivery_tips),
                        flags=flags + judged.flags, confidence=round(judged.confidence, 3))


def overall(content: float, reasoning: float, delivery: float | None) -> float:
    parts = {"content": content, "reasoning": reasoning, "delivery": delivery}
    used = {k: v for k, v in parts.items() if v is not None}
    weighted = sum(WEIGHTS[k] * v for k, v in used.items()) / sum(WEIGHTS[k] for k in used)
    return round(min(weighted, content + 1.5), 1)  # good delivery cannot rescue missing content


def _key_point(q, v: KeyPointVerdict, item: AnswerInput) -> KeyPointScore:
    evidence = locate(v.evidence, item.turns) if v.status != MISSED else None
    return KeyPointScore(key_point=v.key_point, text=q.key_point(v.key_point).text, status=v.status,
                         evidence=evidence, reason=v.reason, confidence=v.confidence)


def _tips(judged: JudgedAnswer, key_points, habits, delivery_tips: list[str]) -> tuple[str, ...]:
    """At most three, most useful first: a wrong statement named with its correction, then
    what was never said, then a reasoning habit, then delivery."""
    tips = []
    wrong = [k for k in key_points if k.status == WRONG]
    missed = [k for k in key_points if k.status == MISSED]
    partial = [k for k in key_points if k.status == PARTIAL]
    if wrong:
        tips.append(wrong[0].reason)  # 'You said "..."; <the bank's correction>'
    if key_points and all(k.status == UNCLEAR for k in key_points) and judged.flags:
        tips.append(judged.flags[0][:1].upper() + judged.flags[0][1:] + ".")
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
    """'Names the kinds of shift' -> 'names the kinds of shift', but 'ROC looks...' keeps its acronym."""
    first = s.split(" ", 1)[0]
    if not s or (len(first) > 1 and first[1:2].isupper()):
        return s
    return s[:1].lower() + s[1:]
