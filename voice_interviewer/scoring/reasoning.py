"""The reasoning habits interviewers listen for, spotted in the transcript.

Technical answers: a claim with its why, a concrete example, the tradeoff
named, the assumption stated, the edge case checked, the metric questioned,
simple before complex. Behavioural answers: situation-task-action-result,
ownership, what changed afterwards, a real failure. Each habit is a set of
spoken cues; the evidence is the sentence where the cue was heard.
"""

from __future__ import annotations

import re

from voice_interviewer.events import HabitResult

TECHNICAL = {
    "why": ("gives the why behind a claim", "Give the reason behind each claim: say 'because ...' out loud.", r"\b(because|since|the reason|which means|that's why|so that|due to)\b"),
    "example": ("uses a concrete example", "Ground it in a concrete example with numbers.", r"\b(for example|for instance|say we|say you|say a|such as|imagine|like when|like always|e\.g\.|suppose|let's say)\b|\b\d+(\.\d+)? ?(percent|%|points|users|rows)\b"),
    "tradeoff": ("names the tradeoff", "Name the tradeoff: what you give up for what you gain.", r"\b(trade ?-?offs?|on the other hand|at the (cost|expense) of|downside|the catch|in exchange|versus|vs\.?|but it costs)\b"),
    "assumption": ("states an assumption", "State your assumptions before you build on them.", r"\b(assum(e|ing|ption)|given that|if we know|provided that)\b"),
    "edge_case": ("checks an edge case", "Check an edge case out loud (cold start, outliers, no data).", r"\b(edge case|corner case|what if|unless|except when|cold start|outliers?|when there (is|are) no)\b"),
    "metric": ("questions the metric", "Question the metric: is it the right proxy for the business goal?", r"\b(right metric|proxy|what we (actually|really) care|business (goal|metric|outcome)|north star|guardrail|is that the right)\b"),
    "simple_first": ("starts simple before complex", "Start from a simple baseline before the complex design.", r"\b(baseline|start (with|simple)|simple (model|first)|logistic regression first|begin with)\b"),
}
BEHAVIOURAL = {
    "situation": ("sets the situation", "Set the scene in one or two sentences: team, system, stakes.", r"\b(we were|at the time|our team|the project|last year|in my (last|previous) (role|job))\b"),
    "action": ("says what they did", "Say what you did yourself, in the first person.", r"\b(i (decided|built|wrote|ran|led|called|rolled|changed|pushed|proposed|investigated))\b"),
    "result": ("gives the result", "Close with the result, in numbers if you can.", r"\b(as a result|the result|in the end|ended up|which (cut|reduced|improved|saved)|we (cut|reduced|improved|saved))\b"),
    "ownership": ("takes ownership", "Own the decision or the mistake explicitly.", r"\b(i owned|my (call|decision|mistake|responsibility|fault)|i took (responsibility|ownership)|on me)\b"),
    "changed": ("says what changed afterwards", "Say what changed afterwards so it could not happen again.", r"\b(afterwards|since then|post ?-?mortem|from then on|now we|we added|we changed|never happened again)\b"),
    "failure": ("admits a real failure", "Pick a story with a real failure in it, and say what you missed.", r"\b(i was wrong|i missed|mistake|failed|went wrong|i underestimated|my fault)\b"),
}
EXPECTED = {"ml-fundamentals": 3, "coding-discussion": 3, "experimentation-and-statistics": 4, "ml-system-design": 4,
            "behavioural": 4, "recruiter-and-hiring-manager": 2}


def habits_for(track: str) -> dict:
    return BEHAVIOURAL if track in ("behavioural", "recruiter-and-hiring-manager") else TECHNICAL


def find_habits(text: str, track: str) -> tuple[HabitResult, ...]:
    sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]
    out = []
    for name, (label, _tip, pattern) in habits_for(track).items():
        rx = re.compile(pattern, re.IGNORECASE)
        hit = next((s for s in sentences if rx.search(s)), None)
        out.append(HabitResult(habit=name, label=label, found=hit is not None, evidence=hit[:160] if hit else None))
    return tuple(out)


def habit_tip(habit: str) -> str:
    return {**TECHNICAL, **BEHAVIOURAL}[habit][1]


def reasoning_score(habits: tuple[HabitResult, ...], track: str) -> float:
    found = sum(h.found for h in habits)
    return round(min(5.0, 5.0 * found / EXPECTED.get(track, 3)), 1)
