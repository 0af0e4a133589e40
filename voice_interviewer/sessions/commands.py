"""The command-line side of sessions: `sessions`, `replay`, `report`, `progress`, and
the drill's question choice. cli.py registers these with `add_commands(sub)`.

Kept here, next to what they call, so the commands can be tested with their
own parser; cli.py's main() turns a UserFacingError into a message and exit 2.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

from voice_interviewer.errors import UserFacingError


def _data_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", type=Path, help="the folder holding the sessions (default: your data folder)")


def add_commands(sub) -> None:
    """Add the session commands to cli.py's sub-parsers."""
    p = sub.add_parser("sessions", help="list recorded sessions, newest first")
    _data_dir(p)
    p.set_defaults(func=cmd_sessions)

    p = sub.add_parser("replay", help="replay a session: the conversation with timings, and its audio",
                       description="Prints the conversation in order with timings while the audio plays. "
                                   "--rescore, --retranscribe and --rerun write a NEW session linked to this one.")
    p.add_argument("session", help="session name, a unique prefix of it, or 'latest'")
    p.add_argument("--no-audio", action="store_true", help="print with timings only; play nothing")
    g = p.add_mutually_exclusive_group()
    g.add_argument("--rescore", action="store_true", help="score the answers again into a new session")
    g.add_argument("--retranscribe", action="store_true",
                   help="run speech-to-text again on the recorded answers (with --stt, default base) into a new session")
    g.add_argument("--rerun", action="store_true",
                   help="feed the recorded answers through the whole interviewer again into a new session")
    p.add_argument("--stt", choices=["tiny.en", "base"],
                   help="Whisper model for --retranscribe (default base) or --rerun (default: the session's)")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"], help="where Whisper runs")
    p.add_argument("--llm", default="none", choices=["qwen-1.5b", "qwen-0.5b", "none"],
                   help="follow-up phrasing for --rerun (default none: the bank's follow-ups)")
    _data_dir(p)
    p.set_defaults(func=cmd_replay)

    p = sub.add_parser("report", help="write a session report: one self-contained HTML page, Markdown or JSON")
    p.add_argument("session", help="session name, a unique prefix of it, or 'latest'")
    p.add_argument("--format", default="html", choices=["html", "md", "json"], help="default html")
    p.add_argument("-o", "--output", type=Path, help="file or folder to write (default: ./SESSION-report.FORMAT)")
    p.add_argument("--no-embed-audio", action="store_true", help="HTML without the audio players (a much smaller file)")
    _data_dir(p)
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("progress", help="scores over time per topic and dimension; -o writes an HTML page")
    p.add_argument("-o", "--output", type=Path, help="also write the progress page (HTML) here")
    _data_dir(p)
    p.set_defaults(func=cmd_progress)


def cmd_sessions(args) -> int:
    from voice_interviewer.sessions.store import format_sessions, list_sessions

    print(format_sessions(list_sessions(args.data_dir)))
    return 0


def cmd_replay(args) -> int:
    from voice_interviewer.sessions import derive
    from voice_interviewer.sessions.replay import replay
    from voice_interviewer.sessions.store import load_session, open_session

    session = open_session(args.session, args.data_dir)
    if args.stt and not (args.retranscribe or args.rerun):
        raise UserFacingError("--stt only applies to --retranscribe or --rerun", "add one of them, or leave --stt out")
    if args.rescore:
        new = derive.rescore(session, root=session.folder.parent)
    elif args.retranscribe:
        new = derive.retranscribe(session, stt=args.stt or "base", device=args.device, root=session.folder.parent)
    elif args.rerun:
        new = derive.rerun(session, llm=args.llm, stt=args.stt, device=args.device, root=session.folder.parent)
    else:
        replay(session, audio=not args.no_audio)
        return 0
    print(_compare(session, load_session(new)))
    return 0


def _compare(old, new) -> str:
    """What changed, per question, between a session and the one derived from it."""
    lines = [f"new session {new.name} (derived from {old.name}): {new.folder}"]
    before = {q.question_id: q for q in old.questions}
    for q in new.questions:
        o = before.get(q.question_id)
        was = _result(o) if o else "-"
        lines.append(f"  {q.question_id:40} {was:>12} -> {_result(q)}")
    lines.append(f"replay it with: voice-interviewer replay {new.name}")
    return "\n".join(lines)


def _result(q) -> str:
    if q.overall is not None:
        return f"{q.overall:.1f}/5"
    return f"{q.covered_share:.0%} covered" if q.covered_share is not None else "-"


def cmd_report(args) -> int:
    from voice_interviewer.sessions.report import write_report
    from voice_interviewer.sessions.store import open_session

    session = open_session(args.session, args.data_dir)
    path = write_report(session, args.format, args.output, embed_audio=not args.no_embed_audio)
    print(f"wrote {path}")
    for problem in session.problems:
        print(f"note: {problem}")
    return 0


def cmd_progress(args) -> int:
    from voice_interviewer.bank.questions import load_bank
    from voice_interviewer.sessions.progress import format_progress, progress, write_progress_html

    p = progress(args.data_dir)
    print(format_progress(p))
    if args.output:
        out = args.output / "progress.html" if args.output.is_dir() else args.output
        print(f"\nwrote {write_progress_html(p, out, load_bank())}")
    return 0


def drill_question_ids(track: str, count: int, data_dir: Path | None = None, seed: int | None = None,
                       echo=print) -> tuple[str, ...]:
    """The drill's plan by spaced repetition over the recorded history, printed with the reasons."""
    from voice_interviewer.bank.questions import load_bank
    from voice_interviewer.interviewer.planning import CODING_TRACK, plan_drill
    from voice_interviewer.sessions.progress import history

    bank = load_bank()
    if track == CODING_TRACK:  # problems are not in the answer history yet: a random pick
        return tuple(p.question.id for p in plan_drill(bank, track, count, None, random.Random(seed)))
    if track not in ("all", None) and not bank.track(track):
        raise UserFacingError(f"No questions in track '{track}'", "list the tracks with: voice-interviewer bank validate")
    plan = plan_drill(bank, track, count, None, random.Random(seed), history=history(data_dir), echo=echo)
    return tuple(p.question.id for p in plan)
