"""A whole phone screen, headless: the netflix-mle profile, a synthetic candidate, a scripted coder.

The candidate's spoken answers are read by the Piper voice into a virtual microphone and heard
by Whisper, as in `make demo`; in the coding round a scripted coder types into the solution file
(the terminal's watched file) while the same script speaks. At the end the HTML report is written.

    .venv/bin/python scripts/phone_screen_headless.py                 # 45 minutes, recent-distinct-titles
    .venv/bin/python scripts/phone_screen_headless.py --minutes 30 --problem top-k-titles
    .venv/bin/python scripts/phone_screen_headless.py --code v1.py v2.py  # held-out code, typed in turn
    .venv/bin/python scripts/phone_screen_headless.py --short             # coding round + closing (the test)

Everything the candidate says or types is SYNTHETIC (voice_interviewer/demo/).
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from voice_interviewer.bank.questions import load_bank, problem_question  # noqa: E402
from voice_interviewer.coding.spec import get_problem  # noqa: E402
from voice_interviewer.coding.watch import WatchedFile  # noqa: E402
from voice_interviewer.demo.coder import CODE_ENV, CodingScript, ScriptedCoder  # noqa: E402
from voice_interviewer.runner import RunOptions, build_plan, run_interview  # noqa: E402
from voice_interviewer.session import FrontEnd  # noqa: E402


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    out = Path(args.out)
    if args.code:
        os.environ[CODE_ENV] = f"{args.problem}=" + ",".join(str(Path(c).resolve()) for c in args.code)
    opts = RunOptions(mode="phone-screen", profile=args.profile, minutes=args.minutes, simulated=True, llm=args.llm,
                      seed=args.seed, data_root=out / "sessions", patience_s=2.0, stt=args.stt)
    plan = with_problem(build_plan(opts, load_bank())[0], args.problem)
    if args.short:  # the end-to-end test's run: the coding round and the closing question only
        plan = [p for p in plan if p.problem or p.question.closing]
    editor = WatchedFile(out / "editor")
    coder = ScriptedCoder(editor.path, CodingScript())
    t0 = time.monotonic()
    result = run_interview(opts, front_end=FrontEnd(editor=editor, subscribers=(coder,), name="headless"), plan=plan)
    wall = time.monotonic() - t0
    report = _report(result.session_dir, out)
    outcome = {"status": result.status, "answers_saved": result.answers_saved, "wall_s": round(wall, 1),
               "plan": [p.question.id for p in plan], "code_versions_typed": coder.versions_written,
               "session": result.session_dir, "report": str(report)}
    (out / "outcome.json").write_text(json.dumps(outcome, indent=2))
    print(json.dumps(outcome, indent=2))
    return 0 if result.status.startswith("completed") else 1


def with_problem(plan: list, problem_id: str) -> list:
    """The plan with its coding problem replaced by the scripted one (same time box and place)."""
    problem = get_problem(problem_id)
    return [dataclasses.replace(p, question=problem_question(problem), problem=problem) if p.problem else p
            for p in plan]


def _report(session_dir: str, out: Path) -> Path:
    from voice_interviewer.sessions.report import write_report
    from voice_interviewer.sessions.store import load_session

    return write_report(load_session(session_dir), "html", out / "phone-screen-report.html")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--minutes", type=float, default=45)
    p.add_argument("--profile", default="netflix-mle")
    p.add_argument("--problem", default="recent-distinct-titles")
    p.add_argument("--code", nargs="+", help="held-out code versions to type in turn, instead of the script's")
    p.add_argument("--seed", type=int, default=3)
    p.add_argument("--llm", default="none", help="none (bank follow-ups), qwen-0.5b or qwen-1.5b")
    p.add_argument("--stt", default="tiny.en")
    p.add_argument("--out", default="out/phone-screen")
    p.add_argument("--short", action="store_true", help="only the coding problem and the closing question")
    return p


if __name__ == "__main__":
    sys.exit(main())
