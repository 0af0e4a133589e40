"""The `voice-interviewer` command line."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from voice_interviewer.errors import UserFacingError

EPILOG = """\
examples:
  voice-interviewer demo                    a complete short drill, headless, with a synthetic candidate
  voice-interviewer drill --count 5         rapid-fire ML fundamentals on your microphone
  voice-interviewer phone-screen --profile netflix-mle --minutes 30
  voice-interviewer drill --candidate-audio answers/   answer from wav files instead of the mic
  voice-interviewer drill --text            type your answers
  voice-interviewer bank list --track experimentation-and-statistics
  voice-interviewer sessions                list what you recorded
  voice-interviewer report latest           one self-contained HTML page: scores, timeline, transcript, audio
  voice-interviewer replay latest --no-audio
  voice-interviewer progress -o progress.html
  voice-interviewer selfcheck               speak, hear back and transcribe, all offline
  voice-interviewer transcribe answer.wav   text of a recording (--json for words and timings)
  voice-interviewer say "What is an AUC?" -o q.wav
  voice-interviewer models                  which models are present and verified
  voice-interviewer doctor                  what is missing, and how to fix it
  voice-interviewer serve                   the interview in your browser (captions, clock, report)
  voice-interviewer code-check recent-distinct-titles sol.py   run a coding problem's hidden tests

Nothing is downloaded at run time: models come from pip packages (see models/README.md).
"""


def ranged(kind, low: float, high: float, unit: str = ""):
    """An argparse type that names the allowed range when a value is off (never a traceback)."""
    def parse(text: str):
        try:
            value = kind(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a {'whole ' if kind is int else ''}number")
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text} is out of range: choose {low:g} to {high:g}{unit}")
        return value
    return parse


def _common_stt(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stt", default="tiny.en", choices=["tiny.en", "base"],
                   help="Whisper model: tiny.en is fast (default), base is more accurate")
    p.add_argument("--stt-model-path", help="use your own CTranslate2 Whisper folder instead")
    p.add_argument("--device", default="auto", choices=["auto", "cpu", "cuda"],
                   help="where Whisper runs; auto picks CUDA when it works, else CPU")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="voice-interviewer",
        description="A local, voice-first mock interviewer for machine-learning-engineer interviews.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("-v", "--verbose", action="store_true", help="show what each stage is doing")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("models", help="list models: where each one is and whether its sha256 is verified")
    p.add_argument("--prepare", action="store_true", help="assemble split models into the cache and verify them")
    p.add_argument("--quiet", action="store_true", help="print nothing when all is well")
    p.set_defaults(func=cmd_models)

    p = sub.add_parser("doctor", help="check audio devices, the microphone level, models, CPU/CUDA and the LLM endpoint")
    p.add_argument("--no-mic-check", action="store_true", help="skip the 4 s microphone level check")
    p.set_defaults(func=cmd_doctor)

    p = sub.add_parser("devices", help="list audio input and output devices")
    p.set_defaults(func=cmd_devices)

    p = sub.add_parser("transcribe", help="transcribe audio files (wav, flac, mp3, ...)")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--json", action="store_true", help="print segments and words with timings as JSON")
    p.add_argument("--one-shot", action="store_true", help="decode each file in one call instead of speech chunks")
    p.add_argument("--prompt", help="words to prime Whisper's spelling, e.g. 'AUC, XGBoost, L2'")
    _common_stt(p)
    p.set_defaults(func=cmd_transcribe)

    p = sub.add_parser("say", help="speak text with the interviewer's voice")
    p.add_argument("text")
    p.add_argument("-o", "--output", type=Path, help="write a wav file instead of playing it")
    p.set_defaults(func=cmd_say)

    p = sub.add_parser("drill", help="rapid-fire questions, each time-boxed, one follow-up at most",
                       description="Rapid-fire practice: short time boxes, no small talk; the interviewer cuts in "
                                   "politely when time is up and probes the key point your answer covered least.")
    p.add_argument("--track", default="ml-fundamentals",
                   help="question track (default: ml-fundamentals); 'coding' = a live-coding problem: you type in "
                        "your own editor on a file the interviewer watches, and talk it through")
    p.add_argument("--count", type=ranged(int, 1, 50), default=None,
                   help="how many questions, 1-50 (default 5; 1 for --track coding)")
    p.add_argument("--seconds", type=ranged(float, 10, 900, " seconds"),
                   help="time box per question, 10-900 s (default: each question's own)")
    p.add_argument("--questions", help="comma-separated question ids to ask, in order")
    p.add_argument("--random", action="store_true",
                   help="pick questions at random instead of by spaced repetition (weak topics come back sooner)")
    _interview_options(p)
    p.set_defaults(func=cmd_interview, mode="drill")

    p = sub.add_parser("phone-screen", help="a timed screen in the shape of a real company's loop",
                       description="Introduction, questions across the loop's stages, follow-ups, wrap-up.")
    p.add_argument("--profile", default="netflix-mle", help="loop profile (see: voice-interviewer bank profiles)")
    p.add_argument("--minutes", type=ranged(float, 3, 180, " minutes"), default=30,
                   help="length of the screen, 3-180 (default 30)")
    _interview_options(p)
    p.set_defaults(func=cmd_interview, mode="phone-screen")

    p = sub.add_parser("demo", help="the main job on the embedded defaults: a short headless drill with a synthetic candidate")
    p.add_argument("--no-llm", action="store_true", help="bank follow-ups only (skips loading the LLM)")
    p.add_argument("--data-dir", type=Path, help="where to write the session (default: your data folder)")
    p.add_argument("--phone-screen", action="store_true",
                   help="instead: a whole netflix-mle phone screen with a scripted coder (writes out/phone-screen/)")
    p.add_argument("--minutes", type=float, default=45, help="the phone screen's length (with --phone-screen)")
    p.set_defaults(func=cmd_demo)

    p = sub.add_parser("bank", help="the question bank: list, show, validate, profiles")
    p.add_argument("action", choices=["list", "show", "validate", "profiles"])
    p.add_argument("id", nargs="?", help="question id (for show)")
    p.add_argument("--track", help="only this track (for list)")
    p.set_defaults(func=cmd_bank)

    from voice_interviewer.sessions.commands import add_commands

    add_commands(sub)  # sessions, replay, report, progress

    from voice_interviewer.coding import commands as coding_commands

    coding_commands.add_subcommands(sub)  # code-check, coding list|show|validate

    from voice_interviewer.web.command import add_subcommand as add_serve

    add_serve(sub)  # serve: the interview in a browser

    p = sub.add_parser("score", help="score written answers in bulk from a CSV (question_id or question + reference, "
                                     "and answer)",
                       description="Scores each row against the bank's rubric when it has a question_id column, else "
                                   "against key points cut from its reference answer, and writes the scores back as new "
                                   "columns, with each key point's verdict (covered, partial, missed, wrong, unclear; "
                                   "evidence, reason, confidence) as JSON in a key_points column, so any human-graded "
                                   "set can be checked.")
    p.add_argument("csv", type=Path, metavar="FILE.csv")
    p.add_argument("-o", "--output", type=Path, help="where to write (default: FILE.scored.csv)")
    p.add_argument("--judge", action="store_true",
                   help="add the leashed LLM judge (OPENAI_BASE_URL, else the embedded 1.5B model)")
    p.set_defaults(func=cmd_score)

    p = sub.add_parser("selfcheck", help="say a sentence, hear it back through the virtual device, print the transcript")
    p.add_argument("--text", default="Let's start with the bias-variance tradeoff. Walk me through a concrete example.")
    p.add_argument("--save", type=Path, help="also save the conversation audio as a wav file")
    _common_stt(p)
    p.set_defaults(func=cmd_selfcheck)
    return parser


def _interview_options(p: argparse.ArgumentParser) -> None:
    g = p.add_argument_group("how you answer (default: live microphone and speaker)")
    g.add_argument("--candidate-audio", type=Path, metavar="DIR",
                   help="play your answers from wav files in DIR (name order), through the same pipeline")
    g.add_argument("--text", action="store_true", help="type your answers; the interviewer's lines are printed")
    g.add_argument("--headphones", action="store_true",
                   help="you wear headphones: no echo cancellation and no interrupting the interviewer "
                        "(default: speaker mode, which cancels the interviewer's voice from the microphone)")
    g.add_argument("--mic-check", action="store_true",
                   help="before starting, listen to you for 4 s and say whether the microphone level is right")
    g = p.add_argument_group("models and pacing")
    _common_stt(g)
    g.add_argument("--llm", default="qwen-1.5b", choices=["qwen-1.5b", "qwen-0.5b", "none"],
                   help="embedded LLM that phrases follow-ups (ignored when OPENAI_BASE_URL is set); "
                        "none = the bank's curated follow-ups")
    g.add_argument("--llm-timeout", type=ranged(float, 1, 300, " seconds"), default=15.0,
                   help="seconds before a slow LLM is skipped (default 15)")
    g.add_argument("--patience", type=ranged(float, 0.5, 30, " seconds"), default=2.5,
                   help="seconds of silence that end an answer (default 2.5; an answer that sounds unfinished "
                        "gets at least 3.2 s, and thinking pauses before your first word much longer). "
                        "Say \"I'm done\" to finish sooner.")
    g.add_argument("--seed", type=int, help="fix the question order")
    g.add_argument("--data-dir", type=Path, help="where sessions are saved (default: your data folder)")


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("faster_whisper").setLevel(logging.INFO if args.verbose else logging.WARNING)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return args.func(args) or 0
    except BrokenPipeError:  # output piped into `head` and closed: not an error
        sys.stderr.close()
        return 0
    except UserFacingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nstopped.", file=sys.stderr)
        return 130
    finally:
        from voice_interviewer.audio.echo import release_native_runtime

        release_native_runtime()  # before the interpreter's teardown, which it could otherwise abort


def cmd_models(args) -> int:
    from voice_interviewer.models import store as model_store

    failed = False
    rows = []
    for name, spec in model_store.load_manifest().items():
        st = model_store.status(name, hash_now=True)
        if args.prepare and not st.verified and st.origin.startswith("package"):
            path = model_store.resolve(name, progress=not args.quiet)
            st = model_store.status(name)
            st = model_store.ModelStatus(spec, path, st.origin, True)
        failed |= not st.verified
        mark = "ok " if st.verified else "-- "
        rows.append(f"{mark} {name:20} {spec.role:42} {spec.size / 1e6:7.0f} MB  {st.origin}"
                    + (f"\n     {st.path}" if st.path else "") + (f"\n     {st.problem}" if st.problem else ""))
    if not (args.quiet and not failed):
        print("\n".join(rows))
    return 1 if failed and args.prepare else 0


def cmd_doctor(args) -> int:
    from voice_interviewer.doctor import run_checks

    checks = run_checks(mic_check=not args.no_mic_check)
    for c in checks:
        print(f"{'ok ' if c.ok else 'XX '} {c.name:28} {c.detail}")
        if not c.ok and c.fix:
            print(f"     fix: {c.fix}")
    bad = [c for c in checks if not c.ok]
    print(f"\n{len(checks) - len(bad)} of {len(checks)} checks passed.")
    return 1 if bad else 0


def cmd_devices(args) -> int:
    from voice_interviewer.audio.devices import audio_check, describe_devices

    check = audio_check()
    # no devices: the check's own sentence says why (PortAudio missing, or no card or sound server)
    for line in describe_devices(list(check.devices)) if check.devices else check.problems:
        print(line)
    for problem in check.problems if check.devices else ():  # e.g. speakers but no microphone
        print(f"note: {problem}")
    return 0 if check.ok else 1


def cmd_transcribe(args) -> int:
    from voice_interviewer.audio.files import load_audio
    from voice_interviewer.listening.stt import SpeechToText, transcribe_clip, vocabulary_prompt

    clips = [load_audio(f) for f in args.files]  # fail on bad input before loading Whisper
    stt = SpeechToText(args.stt, device=args.device, model_path=args.stt_model_path)
    results = []
    for path, clip in zip(args.files, clips):
        t = transcribe_clip(stt, clip, vocabulary_prompt(args.prompt), incremental=not args.one_shot)
        for note in t.notes:
            print(f"note: {path}: {note}", file=sys.stderr)
        results.append({
            "file": str(path), "duration_s": round(clip.duration_s, 2), "model": t.model, "text": t.text,
            "segments": [{"start": s.start, "end": s.end, "text": s.text,
                          "words": [w.__dict__ for w in s.words]} for s in t.segments],
        })
        if not args.json:
            print(f"{path}: {t.text}" if len(args.files) > 1 else t.text)
    if args.json:
        print(json.dumps(results if len(results) > 1 else results[0], indent=2))
    return 0


def cmd_say(args) -> int:
    from voice_interviewer.audio.files import write_wav
    from voice_interviewer.speaking.tts import TextToSpeech

    tts = TextToSpeech()
    if args.output:
        audio = tts.synthesize(args.text)
        write_wav(args.output, audio.samples, audio.rate)
        print(f"wrote {args.output} ({audio.duration_s:.1f} s)")
        return 0
    from voice_interviewer.audio.devices import SpeakerOutput

    speaker = SpeakerOutput()
    for piece in tts.stream(args.text):
        speaker.play(piece.samples, piece.rate)
    return 0


def cmd_selfcheck(args) -> int:
    from voice_interviewer.selfcheck import run_selfcheck

    result = run_selfcheck(args.text, stt_model=args.stt, device=args.device, save=args.save)
    print(result.report())
    return 0 if result.passed else 1


def cmd_interview(args) -> int:
    from voice_interviewer.runner import RunOptions, run_interview

    ids = tuple(q.strip() for q in (getattr(args, "questions", None) or "").split(",") if q.strip())
    if getattr(args, "count", 5) is None:
        from voice_interviewer.interviewer.planning import CODING_TRACK

        args.count = 1 if args.track == CODING_TRACK else 5
    if args.mode == "drill" and not ids and not args.random:
        from voice_interviewer.sessions.commands import drill_question_ids

        ids = tuple(drill_question_ids(args.track, args.count, args.data_dir, args.seed))
    opts = RunOptions(
        mode=args.mode, track=getattr(args, "track", "ml-fundamentals"), count=getattr(args, "count", 5),
        seconds=getattr(args, "seconds", None), profile=getattr(args, "profile", "netflix-mle"),
        minutes=getattr(args, "minutes", 30), candidate_audio=args.candidate_audio, text=args.text, stt=args.stt,
        device=args.device, llm=args.llm, llm_timeout_s=args.llm_timeout, seed=args.seed,
        question_ids=ids, data_root=args.data_dir, patience_s=args.patience, headphones=args.headphones,
        mic_check=args.mic_check)
    result = run_interview(opts)
    return 0 if result.status != "interrupted" else 130


def cmd_demo(args) -> int:
    if args.phone_screen:
        return _demo_phone_screen(args)
    from voice_interviewer.demo.candidate import ANSWERS
    import yaml

    from voice_interviewer.runner import RunOptions, run_interview

    ids = tuple(yaml.safe_load(ANSWERS.read_text())["answers"])
    print("demo: a 3-question drill; the candidate is SYNTHETIC (scripted answers read by the Piper voice)")
    opts = RunOptions(mode="drill", count=len(ids), seconds=60, question_ids=ids, simulated=True,
                      llm="none" if args.no_llm else "qwen-1.5b", data_root=args.data_dir, patience_s=2.0)
    result = run_interview(opts)
    llm = result.follow_up_sources.get("llm", 0)
    total = sum(result.follow_up_sources.values())
    print(f"\nfollow-ups: {total} ({llm} phrased by the LLM, {total - llm} from the bank)")
    print(f"session {result.status}: {result.session_dir}")
    print("  conversation.wav holds both sides; events.jsonl every line, transcript, coverage, decision and score.")
    from voice_interviewer.sessions.report import write_report
    from voice_interviewer.sessions.store import load_session

    report = write_report(load_session(result.session_dir), "html", Path("out") / "demo-report.html")
    print(f"report: {report.resolve()}  (open it in a browser)")
    return 0 if result.status.startswith("completed") else 1


def _demo_phone_screen(args) -> int:
    from voice_interviewer.demo.phone_screen import HeadlessOptions, run_phone_screen

    print(f"demo: a {args.minutes:g}-minute netflix-mle phone screen; the candidate is SYNTHETIC "
          "(scripted answers and code, read by the Piper voice)")
    out = (args.data_dir or Path("out")) / "phone-screen"
    outcome = run_phone_screen(HeadlessOptions(out=out, minutes=args.minutes,
                                               llm="none" if args.no_llm else "qwen-1.5b"))
    print(f"session {outcome['status']} in {outcome['wall_s']:.0f} s: {outcome['session']}")
    print(f"report: {Path(outcome['report']).resolve()}  (open it in a browser)")
    return 0 if outcome["status"].startswith("completed") else 1


def cmd_bank(args) -> int:
    from voice_interviewer.bank.questions import TRACKS, load_bank

    from voice_interviewer.coding import spec as coding

    bank = load_bank()
    if args.action == "validate":
        counts = {t: len(bank.track(t)) for t in TRACKS}
        if not bank.questions:
            raise UserFacingError("The question bank is empty", "add a track file under voice_interviewer/bank/data/")
        try:
            problems = coding.load_problems()  # the structure; `coding validate` also runs every reference
        except coding.ProblemError as exc:
            raise UserFacingError(f"A coding problem is broken: {exc}", "fix it, then run voice-interviewer coding validate") from exc
        if not problems:
            raise UserFacingError("No coding problems found", "add one (docs/coding-round.md)")
        print("question bank OK: " + ", ".join(f"{t} {n}" for t, n in counts.items()) + f"; total {len(bank.questions)}")
        print(f"coding problems OK: {len(problems)} (run `voice-interviewer coding validate` to run every reference)")
        print(f"profiles: {', '.join(p.id for p in bank.profiles)}")
    elif args.action == "list" and args.track == "coding":
        for p in coding.load_problems():
            print(f"{p.id:42} {p.difficulty:6}        {p.title}  [{', '.join(p.tags)}]")
    elif args.action == "list":
        for q in bank.questions:
            if not args.track or q.track == args.track:
                print(f"{q.id:42} {q.difficulty:6} {q.time_box_s:4}s  {q.question[:70]}")
    elif args.action == "profiles":
        for p in bank.profiles:
            print(f"{p.id}: {p.title}")
            for s in p.stages:
                parts = {"questions": f"{s.questions} question(s) from {', '.join(s.tracks)}",
                         "coding": f"{s.coding} coding problem(s)"}
                where = "phone screen" if s.phone_screen else "onsite"
                print(f"   {s.minutes:3} min  {s.title:40} {where:12} {', then '.join(parts[x] for x in s.order)}")
    else:
        if not args.id:
            raise UserFacingError("bank show needs a question id", "e.g. voice-interviewer bank show mlf-bias-variance")
        q = bank.get(args.id)
        print(f"{q.id}  [{q.track} / {q.stage} / {q.difficulty} / {q.time_box_s}s / {q.source}]\n\n  {q.question}\n\nkey points:")
        for k in q.key_points:
            print(f"  - {k.text}   ({', '.join(k.keywords)})")
        print("follow-ups:")
        for f in q.follow_ups:
            print(f"  - {f.text}   -> {f.probes}")
        print("common mistakes:\n" + "\n".join(f"  - {m}" for m in q.common_mistakes))
    return 0


def cmd_score(args) -> int:
    import contextlib

    from tqdm import tqdm

    from voice_interviewer.judging.embeddings import Embedder
    from voice_interviewer.scoring import make_scorer
    from voice_interviewer.scoring.bulk import read_rows, score_rows, write_scored

    rows, header, cols = read_rows(args.csv)
    out = args.output or args.csv.with_suffix(".scored.csv")
    with contextlib.ExitStack() as stack:
        client = None
        if args.judge:
            from voice_interviewer.runner import RunOptions
            from voice_interviewer.session import _llm_client

            client = stack.enter_context(_llm_client(RunOptions(llm_timeout_s=60), print))
        score = make_scorer(Embedder(), client)
        scores = list(tqdm(score_rows(rows, cols, score), total=len(rows), desc="scoring", unit="answer"))
    write_scored(out, rows, header, scores)
    mean = sum(s.scores.overall for s in scores) / max(1, len(scores))
    print(f"scored {len(scores)} answers (mean overall {mean:.1f} of 5) -> {out}")
    return 0
