"""Which questions a session asks, in what order, and the lines that open and close it."""

from __future__ import annotations

import random
from dataclasses import dataclass

from voice_interviewer.bank.questions import Bank, LoopProfile, Question


@dataclass(frozen=True)
class PlannedQuestion:
    question: Question
    stage: str
    time_box_s: float


def plan_drill(bank: Bank, track: str, count: int, seconds: float | None, rng: random.Random,
               question_ids: list[str] | None = None, history: list | None = None, echo=None) -> list[PlannedQuestion]:
    """Given ids, those; with a history of past attempts, by spaced repetition (weak and
    overdue first, then new); else a random sample of the track."""
    if question_ids:
        pool = [bank.get(i) for i in question_ids]
    elif history is not None:
        from voice_interviewer.sessions.repetition import choose_questions

        picks = choose_questions(bank, track, count, history, rng)
        for p in picks:
            if echo:
                echo(f"  {p.question.id:42} {p.priority:5}  {p.reason}")
        pool = [p.question for p in picks]
    else:
        questions = bank.questions if track in ("all", None) else bank.track(track)
        pool = rng.sample(list(questions), min(count, len(questions)))
    return [PlannedQuestion(q, "drill", float(seconds or q.time_box_s)) for q in pool[:count]]


def plan_phone_screen(bank: Bank, profile: LoopProfile, minutes: float, rng: random.Random) -> list[PlannedQuestion]:
    """Questions across the loop's stages, in the loop's order, until the minutes are used.

    Round by round, each stage that still wants questions (stage.questions) gets one more,
    so a short rehearsal touches every stage before any stage gets a second question.
    A question is budgeted at 1.5x its time box (room for a follow-up), and no time box
    may exceed a fair share of the screen.
    """
    budget = minutes * 60 * 0.9  # leave room for the introduction and the wrap-up
    cap = max(60.0, minutes * 60 / (len(profile.stages) + 1))
    pools = {}
    for stage in profile.stages:
        pool = [q for q in bank.questions if q.track in stage.tracks]
        preferred = [q for q in pool if q.stage == stage.id]
        rng.shuffle(preferred)
        rest = [q for q in pool if q.stage != stage.id]
        rng.shuffle(rest)
        pools[stage.id] = preferred + rest
    chosen: dict[str, list[PlannedQuestion]] = {s.id: [] for s in profile.stages}
    used, seen, progress = 0.0, set(), True
    while progress:
        progress = False
        for stage in profile.stages:
            if len(chosen[stage.id]) >= stage.questions:
                continue
            q = next((q for q in pools[stage.id] if q.id not in seen), None)
            if q is None:
                continue
            box = float(min(q.time_box_s, cap))
            if used + 1.5 * box > budget:
                continue
            seen.add(q.id)
            used += 1.5 * box
            chosen[stage.id].append(PlannedQuestion(q, stage.title, box))
            progress = True
    return [item for stage in profile.stages for item in chosen[stage.id]]


def intro_line(profile: LoopProfile | None, minutes: float | None, mode: str) -> str:
    if mode == "drill":
        return "Rapid fire. Short answers, and I'll cut in when time is up. Here we go."
    what = profile.title if profile else "a machine learning engineer phone screen"
    return (f"Hi, I'm Sam, and I'll be your interviewer today. This is a practice round of {what}. "
            f"We have about {int(minutes or 0)} minutes. Think out loud, and say 'I'm done' when you finish an answer.")


def outro_line(mode: str) -> str:
    if mode == "drill":
        return "That's the drill. Your transcript and notes are saved."
    return "That's all the time we have. Thanks for talking with me today; your session is saved."
