"""The `serve` sub-command; cli.py registers it with `add_subcommand(sub)`."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_subcommand(subparsers) -> None:
    p = subparsers.add_parser(
        "serve", help="hold the interview in your browser: question on screen, live captions, clock, report",
        description="Starts a small server on this machine only (127.0.0.1) and opens the page. Your browser's "
                    "microphone (with its echo cancellation, noise suppression and gain control) and speakers "
                    "replace PortAudio. The options below are the page's starting values.",
        epilog="The page's address also takes: ?start=drill&count=1&llm=none (start at once, for kiosks and tests); "
               "?playback=direct (play the interviewer straight from WebAudio instead of through a loopback call; "
               "Chromium's echo canceller then does not remove it: use headphones); ?mic=turn (open the microphone "
               "only while you answer).")
    p.add_argument("--port", type=int, help="port to listen on (default: any free port)")
    p.add_argument("--no-browser", action="store_true", help="print the address instead of opening a browser")
    p.add_argument("--data-dir", type=Path, help="where sessions are saved and read (default: your data folder)")
    p.add_argument("--no-barge-in", action="store_true",
                   help="never let your voice stop the interviewer (without headphones, if the interviewer keeps "
                        "cutting itself off)")
    g = p.add_argument_group("starting values for the page's form")
    g.add_argument("--track", default="ml-fundamentals", help="drill track (default: ml-fundamentals)")
    g.add_argument("--count", type=int, default=5, help="drill questions (default 5)")
    g.add_argument("--seconds", type=float, help="drill time box per question (default: each question's own)")
    g.add_argument("--profile", default="netflix-mle", help="phone-screen loop profile (default netflix-mle)")
    g.add_argument("--minutes", type=float, default=30, help="phone-screen length (default 30)")
    g.add_argument("--llm", default="qwen-1.5b", choices=["qwen-1.5b", "qwen-0.5b", "none"],
                   help="embedded LLM that phrases follow-ups (none = the bank's curated follow-ups)")
    g.add_argument("--patience", type=float, default=2.5, help="seconds of silence that end an answer (default 2.5)")
    g.add_argument("--stt", default="tiny.en", choices=["tiny.en", "base"], help="Whisper model (default tiny.en)")
    g.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"], help="where Whisper runs")
    g.add_argument("--random", action="store_true", help="drills pick questions at random, not by spaced repetition")
    p.set_defaults(func=cmd_serve)


def cmd_serve(args) -> int:
    from dataclasses import replace

    from voice_interviewer.web.audio_bridge import BargeInSettings
    from voice_interviewer.web.live import Defaults
    from voice_interviewer.web.server import ServeOptions, serve

    defaults = Defaults(track=args.track, count=args.count, seconds=args.seconds, profile=args.profile,
                        minutes=args.minutes, llm=args.llm, patience=args.patience, stt=args.stt,
                        device=args.device, random=args.random)
    barge_in = replace(BargeInSettings(), enabled=not args.no_barge_in)
    return serve(ServeOptions(port=args.port, data_dir=args.data_dir, open_browser=not args.no_browser,
                              defaults=defaults, barge_in=barge_in))
