"""Which questions a session asks, in what order, and the lines that open and close it."""

from __future__ import annotations

import random
from dataclasses import dataclass
from itertools import zip_longest

from voice_interviewer.bank.questions import Bank, LoopProfile, Question, problem_question


@dataclass(frozen=True)
class PlannedQuestion:
    question: Question
    stage: str
    time_box_s: float
    problem: object | None = None  # a coding problem (coding.spec.Problem): the coding round asks it
    follow_ups: int | None = None  # the stage's cap on follow-ups (rapid fire); None: the session's policy


MIN_CODING_S = 600.0  # below ten minutes a coding problem is a guessing game, not a rehearsal
CODING_TRACK = "coding"  # a drill of live-coding problems (coding/problems), not a bank track
CODING_DRILL_S = 1500.0  # one problem alone: the approach, the code, the runs and a follow-up


def _coding_item(problem, seconds: float | None) -> PlannedQuestion:
    return PlannedQuestion(problem_question(problem), "drill", float(seconds or CODING_DRILL_S), problem=problem)


def _planned_id(bank: Bank, qid: str, seconds: float | None) -> PlannedQuestion:
    """A bank question by id, or a coding problem by id (so `--questions top-k-titles` codes it)."""
    if not any(q.id == qid for q in bank.questions):
        from voice_interviewer.coding.spec import load_problems

        problem = next((p for p in load_problems() if p.id == qid), None)
        if problem is not None:
            return _coding_item(problem, seconds)
    q = bank.get(qid)  # unknown everywhere: the bank's own error, which says how to list ids
    return PlannedQuestion(q, "drill", float(seconds or q.time_box_s))


def plan_drill(bank: Bank, track: str, count: int, seconds: float | None, rng: random.Random,
               question_ids: list[str] | None = None, history: list | None = None, echo=None) -> list[PlannedQuestion]:
    """Given ids, those (coding problem ids too); the track "coding": live-coding problems at random;
    with a history of past attempts, by spaced repetition (weak and overdue first, then new); else a
    random sample of the track."""
    if question_ids:
        return [_planned_id(bank, i, seconds) for i in question_ids[:count]]
    if track == CODING_TRACK:
        from voice_interviewer.coding.spec import load_problems

        problems = load_problems()
        return [_coding_item(p, seconds) for p in rng.sample(problems, min(count, len(problems)))]
    if history is not None:
        from voice_interviewer.sessions.repetition import choose_questions

        picks = choose_questions(bank, track, count, history, rng)
        for p in picks:
            if echo:
                echo(f"  {p.question.id:42} {p.priority:5}  {p.reason}")
        pool = [p.question for p in picks]
    else:
        questions = [q for q in (bank.questions if track in ("all", None) else bank.track(track)) if not q.closing]
        pool = rng.sample(list(questions), min(count, len(questions)))
    return [PlannedQuestion(q, "drill", float(seconds or q.time_box_s)) for q in pool[:count]]


def plan_phone_screen(bank: Bank, profile: LoopProfile, minutes: float, rng: random.Random,
                      problems=None) -> list[PlannedQuestion]:
    """The phone screen's stages (onsite rounds are not part of it), in the loop's order, within the minutes.

    First the fixed parts are set aside: each stage's coding problem (its own time box, at most 40%
    of the screen, none under ten minutes) and the closing question ("what questions do you have
    for me?"), which always comes last. Then, round by round, each stage that still wants questions
    gets one more, so a short rehearsal touches every stage before any stage gets a second
    question. A question is budgeted at 1.5x its time box (room for a follow-up), and no time box
    may exceed a fair share of the screen, or the stage's rapid-fire cap. Inside a stage, the parts
    come in the stage's `order` (the Netflix profile: fundamentals, then coding).
    """
    stages = [s for s in profile.stages if s.phone_screen]
    budget = minutes * 60 * 0.9  # leave room for the introduction and the wrap-up
    cap = max(60.0, minutes * 60 / (len(stages) + 1))
    coding = {s.id: _plan_coding(s, minutes, rng, problems) for s in stages}
    closing = _closing(bank, rng, cap)
    budget -= sum(p.time_box_s for items in coding.values() for p in items)
    budget -= 1.5 * closing.time_box_s if closing else 0.0
    chosen = _round_robin(bank, stages, budget, cap, rng)
    plan = [item for s in stages for part in s.order for item in (coding[s.id] if part == "coding" else chosen[s.id])]
    if closing and plan:
        plan.append(PlannedQuestion(closing.question, plan[-1].stage, closing.time_box_s))
    return plan


def _round_robin(bank: Bank, stages, budget: float, cap: float, rng: random.Random) -> dict[str, list[PlannedQuestion]]:
    pools = {s.id: _pool(bank, s, rng) for s in stages}
    chosen: dict[str, list[PlannedQuestion]] = {s.id: [] for s in stages}
    used, seen, progress = 0.0, set(), True
    while progress:
        progress = False
        for stage in stages:
            if len(chosen[stage.id]) >= stage.questions:
                continue
            q = next((q for q in pools[stage.id] if q.id not in seen), None)
            if q is None:
                continue
            box = float(min(q.time_box_s, cap, stage.question_s or cap))
            if used + 1.5 * box > budget:
                continue
            seen.add(q.id)
            used += 1.5 * box
            chosen[stage.id].append(PlannedQuestion(q, stage.title, box, follow_ups=stage.follow_ups))
            progress = True
    for stage in stages:  # a recruiter first, then the manager: the order the stage prefers
        prefer = stage.prefer or (stage.id,)
        chosen[stage.id].sort(key=lambda p: prefer.index(p.question.stage) if p.question.stage in prefer else len(prefer))
    return chosen


def _pool(bank: Bank, stage, rng: random.Random) -> list[Question]:
    """The stage's questions: those of its preferred bank stages first (each group shuffled), then the rest."""
    pool = [q for q in bank.questions if q.track in stage.tracks and not q.closing]
    groups = []
    for bank_stage in stage.prefer or (stage.id,):
        group = [q for q in pool if q.stage == bank_stage]
        rng.shuffle(group)
        groups.append(group)
    rest = [q for q in pool if q.stage not in (stage.prefer or (stage.id,))]
    rng.shuffle(rest)
    # interleave the preferred groups, so three questions of "recruiter, manager" touch both
    mixed = [q for row in zip_longest(*groups) for q in row if q is not None]
    return mixed + rest


def _plan_coding(stage, minutes: float, rng: random.Random, problems=None) -> list[PlannedQuestion]:
    if not stage.coding:
        return []
    box = min(stage.coding_minutes * 60, 0.4 * minutes * 60)
    if box < MIN_CODING_S:
        return []
    if problems is None:
        from voice_interviewer.coding.spec import load_problems

        problems = load_problems()
    flavoured = [p for p in problems if set(p.tags) & set(stage.coding_tags) and p.difficulty == "medium"]
    pool = list(flavoured or problems)
    rng.shuffle(pool)
    return [PlannedQuestion(problem_question(p), stage.title, box, problem=p) for p in pool[: stage.coding]]


def _closing(bank: Bank, rng: random.Random, cap: float) -> PlannedQuestion | None:
    closing = [q for q in bank.questions if q.closing]
    if not closing:
        return None
    q = rng.choice(closing)
    return PlannedQuestion(q, "closing", float(min(q.time_box_s, cap)))


def intro_line(profile: LoopProfile | None, minutes: float | None, mode: str, coding_only: bool = False) -> str:
    if mode == "drill" and coding_only:  # "rapid fire" would be the wrong promise for a 25-minute problem
        return ("A live coding round. Tell me your approach first, then write it, and think out loud as you go. "
                "Say 'run it' whenever you want the tests run.")
    if mode == "drill":
        return "Rapid fire. Short answers, and I'll cut in when time is up. Here we go."
    what = profile.title if profile else "a machine learning engineer phone screen"
    return (f"Hi, I'm Sam, and I'll be your interviewer today. This is a practice round of {what}. "
            f"We have about {int(minutes or 0)} minutes. Think out loud, and say 'I'm done' when you finish an answer.")


def outro_line(mode: str) -> str:
    if mode == "drill":
        return "That's the drill. Your transcript and notes are saved."
    return "That's all the time we have. Thanks for talking with me today; your session is saved."
