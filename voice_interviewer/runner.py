"""From command-line options to a finished session: plan, session, interview, summary."""

from __future__ import annotations

import logging
import random
from dataclasses import asdict, dataclass
from pathlib import Path

from voice_interviewer.bank.questions import load_bank
from voice_interviewer.coding.watch import WatchedFile
from voice_interviewer.errors import UserFacingError
from voice_interviewer.interviewer.interview import Interview, InterviewResult, InterviewSettings
from voice_interviewer.interviewer.phrasing import Phraser
from voice_interviewer.interviewer.planning import intro_line, outro_line, plan_drill, plan_phone_screen
from voice_interviewer.interviewer.policy import PolicySettings
from voice_interviewer.session import FrontEnd, InterviewSession

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    mode: str = "drill"
    track: str = "ml-fundamentals"
    count: int = 5
    seconds: float | None = None
    profile: str = "netflix-mle"
    minutes: float = 30
    candidate_audio: Path | None = None
    text: bool = False
    stt: str = "tiny.en"
    device: str = "auto"
    llm: str = "qwen-1.5b"  # qwen-1.5b | qwen-0.5b | none
    llm_timeout_s: float = 15.0
    seed: int | None = None
    question_ids: tuple[str, ...] = ()
    data_root: Path | None = None
    patience_s: float = 2.5
    simulated: bool = False  # the demo's synthetic candidate
    headphones: bool = False  # live audio without echo cancellation or barge-in (the mic cannot hear the speaker)
    mic_check: bool = False  # live: a 4 s microphone level check (meter and advice) before the models load


def build_plan(opts: RunOptions, bank):
    """The questions, in order; given question ids (a re-run, a spaced-repetition pick) win in any mode."""
    rng = random.Random(opts.seed)
    profile = bank.profile(opts.profile) if opts.mode == "phone-screen" else None
    if opts.mode == "drill" or opts.question_ids:
        plan = plan_drill(bank, opts.track, opts.count if opts.mode == "drill" else len(opts.question_ids),
                          opts.seconds, rng, list(opts.question_ids) or None)
        return plan, profile
    return plan_phone_screen(bank, profile, opts.minutes, rng), profile


def settings_for(opts: RunOptions) -> InterviewSettings:
    drill = opts.mode == "drill"
    return InterviewSettings(
        mode=opts.mode, total_s=None if drill else opts.minutes * 60, answer_patience_s=opts.patience_s,
        policy=PolicySettings(max_follow_ups=1 if drill else 2, min_time_for_follow_up_s=20 if drill else 40),
        small_talk=not drill,
        # Headless runs feed audio faster than real time, so "in time" has no meaning there:
        # give the LLM its whole timeout. Live, the bank's line goes out after 1 s.
        llm_wait_s=opts.llm_timeout_s if (opts.candidate_audio or opts.simulated) else 1.0)


def run_interview(opts: RunOptions, echo=print, front_end: FrontEnd | None = None,
                  plan: list | None = None) -> InterviewResult:
    """plan: the questions to ask instead of the planner's (a scripted headless run picks its problem)."""
    front_end = front_end or FrontEnd()
    bank = load_bank()
    planned, profile = build_plan(opts, bank)
    plan = plan or planned
    if not plan:
        raise UserFacingError("No questions matched", "check --track / --profile (voice-interviewer bank list)")
    meta = {"options": {k: str(v) for k, v in asdict(opts).items()}, "profile": profile.id if profile else None,
            "plan": [p.question.id for p in plan], "models": {"stt": opts.stt, "tts": "piper-joe"},
            "candidate": _candidate_label(opts, front_end), "front_end": front_end.name}
    with InterviewSession(opts, front_end, meta, echo) as session:
        interview = Interview(session.channel, Phraser(session.client), session.embedder, session.bus,
                              session.recorder.save_audio, settings_for(opts), session.clock, front_end.controls,
                              editor=front_end.editor or WatchedFile(session.recorder.folder, echo))
        session.scorer.settle = interview.settle_question  # scores read each answer's whole decode
        intro = intro_line(profile, opts.minutes, opts.mode, coding_only=all(p.problem is not None for p in plan))
        result = interview.run(plan, intro, outro_line(opts.mode))
        session.status, session.answers_saved = result.status, result.answers_saved
        folder = session.recorder.folder
        if session.device is not None:
            from voice_interviewer.audio.files import write_wav

            write_wav(folder / "conversation.wav", session.device.recording())
    _print_summary(folder, result, echo)
    return InterviewResult(result.status, result.answers_saved, result.follow_up_sources, str(folder))


def _print_summary(folder: Path, result: InterviewResult, echo) -> None:
    from voice_interviewer.sessions.store import load_session
    from voice_interviewer.sessions.summary import summarize, text_summary

    text = text_summary(summarize(load_session(folder, check_audio=False)))
    (folder / "summary.txt").write_text(text + "\n")
    echo("\n" + text)
    echo(f"\n{result.status}: {result.answers_saved} answer(s) saved in {folder}")


def _candidate_label(opts: RunOptions, front_end: FrontEnd) -> str:
    if opts.simulated:
        return "SYNTHETIC: scripted answers of mixed quality read by the Piper voice (voice_interviewer/demo/candidate_answers.yaml)"
    if opts.candidate_audio:
        return f"recorded answers from {opts.candidate_audio}"
    if opts.text:
        return "typed"
    return "browser microphone" if front_end.name == "browser" else "live microphone"
