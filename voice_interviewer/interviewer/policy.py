"""The follow-up policy: after an answer, challenge a wrong statement, probe the weakest key
point, go deeper, or move on.

A challenge ("Are you sure L2 gives exact zeros?") is what a real interviewer does with a
confident wrong statement: it is chosen like any probe, at most once per question, only when
the fast pass is sure the point was stated wrongly and there is time for the answer.

The rubric decides *what* to ask about; the LLM (phrasing.py) only decides
*how to say it*. Everything here is plain rules over the coverage, so a
decision takes microseconds and is the same with or without an LLM.
"""

from __future__ import annotations

from dataclasses import dataclass

from voice_interviewer.events import CoverageMeasured
from voice_interviewer.judging.coverage import COVERED, WRONG
from voice_interviewer.bank.questions import FollowUp, Question

PROBE, DEEPER, CHALLENGE, MOVE_ON = "probe", "deeper", "challenge", "move_on"
CHALLENGED = "challenge:"  # how a challenge is remembered among the question's probes


@dataclass(frozen=True)
class PolicySettings:
    max_follow_ups: int = 2  # per question
    min_time_for_follow_up_s: float = 40.0  # not worth starting one with less time left
    deeper_when_covered: float = 0.8  # covered share at which we push past the rubric
    challenge_at: float = 0.8  # how sure the fast pass must be that a point was stated wrongly


@dataclass(frozen=True)
class Decision:
    action: str  # probe | deeper | challenge | move_on
    key_point: str | None
    bank_follow_up: FollowUp | None
    reason: str
    said: str | None = None  # challenge: the candidate's wrong words, quoted back


def probe_mark(decision: Decision) -> str:
    """What the interview remembers among a question's probes once this line is said."""
    if decision.action == CHALLENGE:
        return f"{CHALLENGED}{decision.key_point}"
    return decision.key_point or decision.bank_follow_up.text


def challenge(coverage: CoverageMeasured, probed: list[str], settings: PolicySettings) -> Decision | None:
    """The first key point stated wrongly with enough confidence, unless this question had its challenge."""
    if any(p.startswith(CHALLENGED) for p in probed):
        return None
    for p in coverage.points:
        sure = p.confidence or 0.0
        if p.status == WRONG and sure >= settings.challenge_at and p.evidence:
            return Decision(CHALLENGE, p.key_point, None,
                            f"key point '{p.key_point}' was stated wrongly ({sure:.0%} sure): \"{p.evidence.text}\"",
                            p.evidence.text)
    return None


def probe_order(question: Question, coverage: CoverageMeasured) -> list:
    """Missed points in rubric order (the rubric builds from basics), those with a curated
    follow-up first; then partly covered ones, weakest first.

    Rubric order for missed points also keeps the choice stable while an answer grows,
    so the follow-up prepared during the answer is still the right one at its end.
    """
    # a point stated wrongly but too unsure to challenge (the candidate doubted it aloud) is probed like a gap
    missed = [p for p in coverage.points if p.status in ("missed", WRONG)]
    missed.sort(key=lambda p: not question.follow_ups_for(p.key_point))  # stable: keeps rubric order
    partial = sorted((p for p in coverage.points if p.status == "partial"), key=lambda p: p.score)
    return missed + partial


def decide(question: Question, coverage: CoverageMeasured, probed: list[str], follow_ups_asked: int,
           time_left_s: float, end_reason: str, settings: PolicySettings = PolicySettings()) -> Decision:
    if end_reason in ("no_answer", "stopped"):
        return Decision(MOVE_ON, None, None, f"the turn ended with {end_reason.replace('_', ' ')}")
    if end_reason == "time_box":
        return Decision(MOVE_ON, None, None, "the question's time box ran out")
    if follow_ups_asked >= settings.max_follow_ups:
        return Decision(MOVE_ON, None, None, f"{follow_ups_asked} follow-up(s) already asked")
    if time_left_s < settings.min_time_for_follow_up_s:
        return Decision(MOVE_ON, None, None, f"only {time_left_s:.0f} s left")
    wrong = challenge(coverage, probed, settings)
    if wrong:
        return wrong
    used = {p.removeprefix(CHALLENGED) for p in probed}  # a challenged point is not probed again
    for point in probe_order(question, coverage):
        if point.key_point in used:
            continue
        options = [f for f in question.follow_ups_for(point.key_point)]
        return Decision(PROBE, point.key_point, options[0] if options else None,
                        f"key point '{point.key_point}' was {point.status} (similarity {point.similarity:.2f})")
    deeper = [f for f in question.follow_ups if f.probes == "deeper" and f.text not in used]
    if coverage.covered_share >= settings.deeper_when_covered and deeper:
        return Decision(DEEPER, None, deeper[0], f"{coverage.covered_share:.0%} of the rubric covered: going deeper")
    return Decision(MOVE_ON, None, None, "the rubric is covered" if all(p.status == COVERED for p in coverage.points)
                    else "every weak point has been probed once")
