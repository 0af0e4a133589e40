"""A whole phone screen, headless: a profile's screen, the synthetic candidate, a scripted coder.

The candidate's spoken answers are read by the Piper voice into a virtual microphone and heard
by Whisper, as in `make demo`; in the coding round the scripted coder (coder.py) types into the
solution file (the terminal's watched file) while the same script is spoken. At the end the
HTML report is written beside the session, with outcome.json (status, wall time, plan).
Everything the candidate says or types is SYNTHETIC.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

from voice_interviewer.bank.questions import load_bank, problem_question
from voice_interviewer.coding.spec import get_problem
from voice_interviewer.coding.watch import WatchedFile
from voice_interviewer.demo.coder import CODE_ENV, CodingScript, ScriptedCoder
from voice_interviewer.runner import RunOptions, build_plan, run_interview
from voice_interviewer.session import FrontEnd


@dataclasses.dataclass(frozen=True)
class HeadlessOptions:
    out: Path = Path("out/phone-screen")
    minutes: float = 45
    profile: str = "netflix-mle"
    problem: str = "recent-distinct-titles"
    code: tuple[Path, ...] = ()  # held-out code versions typed in turn instead of the script's
    seed: int = 3
    llm: str = "none"
    stt: str = "tiny.en"
    short: bool = False  # only the coding problem and the closing question


def run_phone_screen(h: HeadlessOptions, echo=print) -> dict:
    out = Path(h.out)
    if h.code:
        os.environ[CODE_ENV] = f"{h.problem}=" + ",".join(str(Path(c).resolve()) for c in h.code)
    opts = RunOptions(mode="phone-screen", profile=h.profile, minutes=h.minutes, simulated=True, llm=h.llm,
                      seed=h.seed, data_root=out / "sessions", patience_s=2.0, stt=h.stt)
    plan = with_problem(build_plan(opts, load_bank())[0], h.problem)
    if h.short:
        plan = [p for p in plan if p.problem or p.question.closing]
    editor = WatchedFile(out / "editor", echo)
    coder = ScriptedCoder(editor.path, CodingScript())
    t0 = time.monotonic()
    result = run_interview(opts, echo, FrontEnd(editor=editor, subscribers=(coder,), name="headless"), plan=plan)
    wall = time.monotonic() - t0
    outcome = {"status": result.status, "answers_saved": result.answers_saved, "wall_s": round(wall, 1),
               "plan": [p.question.id for p in plan], "code_versions_typed": coder.versions_written,
               "session": result.session_dir, "report": str(_report(result.session_dir, out))}
    (out / "outcome.json").write_text(json.dumps(outcome, indent=2))
    return outcome


def with_problem(plan: list, problem_id: str) -> list:
    """The plan with its coding problem replaced by the scripted one (same time box and place)."""
    problem = get_problem(problem_id)
    return [dataclasses.replace(p, question=problem_question(problem), problem=problem) if p.problem else p
            for p in plan]


def _report(session_dir: str, out: Path) -> Path:
    from voice_interviewer.sessions.report import write_report
    from voice_interviewer.sessions.store import load_session

    return write_report(load_session(session_dir), "html", out / "phone-screen-report.html")
