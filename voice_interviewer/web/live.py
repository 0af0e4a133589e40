"""One interview held in the browser: the page's options checked, then the ordinary
session (runner.run_interview) run on a worker thread with the browser's audio
ends, the event relay as a subscriber, and the page's buttons as its controls.

There is no second interview loop here: the runner does everything it does for
the terminal; this module only decides what to hand it.
"""

from __future__ import annotations

import inspect
import logging
import threading
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from voice_interviewer.errors import UserFacingError
from voice_interviewer.interviewer.planning import CODING_TRACK
from voice_interviewer.session import FrontEnd, SessionControls

log = logging.getLogger(__name__)

MODES = ("drill", "phone-screen")
LLMS = ("qwen-1.5b", "qwen-0.5b", "none")
STTS = ("tiny.en", "base")


@dataclass(frozen=True)
class Defaults:
    """What the page's form starts from (the same defaults as the command line)."""

    mode: str = "drill"
    track: str = "ml-fundamentals"
    profile: str = "netflix-mle"
    count: int = 5
    seconds: float | None = None
    minutes: float = 30
    llm: str = "qwen-1.5b"
    patience: float = 2.5
    stt: str = "tiny.en"
    device: str = "auto"
    random: bool = False


def choices(bank) -> dict:
    """What the page may offer (GET /api/config)."""
    from voice_interviewer.bank.questions import TRACKS
    return {"modes": list(MODES), "llms": list(LLMS), "stts": list(STTS),
            "tracks": [t for t in TRACKS if bank.track(t)] + [CODING_TRACK],
            "profiles": [{"id": p.id, "title": p.title} for p in bank.profiles]}


def _number(raw: dict, key: str, default, low: float, high: float, kind=float):
    value = raw.get(key, default)
    if value in (None, ""):
        return default
    try:
        number = kind(value)
    except (TypeError, ValueError):
        raise UserFacingError(f"'{key}' must be a number, not {value!r}", f"choose between {low:g} and {high:g}")
    if not low <= number <= high:
        raise UserFacingError(f"'{key}' = {number:g} is out of range", f"choose between {low:g} and {high:g}")
    return number


def _choice(raw: dict, key: str, default: str, allowed) -> str:
    value = str(raw.get(key) or default)
    if value not in allowed:
        raise UserFacingError(f"Unknown {key} '{value}'", "choose one of: " + ", ".join(allowed))
    return value


def run_options(raw: dict, defaults: Defaults, bank, data_dir: Path | None, echo=print):
    """The page's start request as RunOptions, checked like the command line checks its flags."""
    from voice_interviewer.runner import RunOptions

    c = choices(bank)
    mode = _choice(raw, "mode", defaults.mode, MODES)
    opts = RunOptions(
        mode=mode,
        track=_choice(raw, "track", defaults.track, c["tracks"]),
        profile=_choice(raw, "profile", defaults.profile, [p["id"] for p in c["profiles"]]),
        count=_number(raw, "count", defaults.count, 1, 30, int),
        seconds=_number(raw, "seconds", defaults.seconds, 10, 900),
        minutes=_number(raw, "minutes", defaults.minutes, 3, 120),
        llm=_choice(raw, "llm", defaults.llm, LLMS),
        patience_s=_number(raw, "patience", defaults.patience, 0.8, 10),
        stt=_choice(raw, "stt", defaults.stt, STTS),
        device=defaults.device,
        data_root=data_dir,
    )
    if opts.track == CODING_TRACK and mode == "drill":  # one problem is a 25-minute round; the count is for questions
        opts = replace(opts, count=1)
    if raw.get("questions"):  # given ids, in order (a kiosk, a test, a benchmark repeating one question)
        from voice_interviewer.coding.spec import load_problems

        known = {q.id for q in bank.questions} | {p.id for p in load_problems()}  # coding problems too
        ids = tuple(i.strip() for i in str(raw["questions"]).split(",") if i.strip())
        unknown = [i for i in ids if i not in known]
        if unknown or not ids:
            raise UserFacingError(f"Unknown question id(s): {', '.join(unknown) or '(none given)'}",
                                  "list them with: voice-interviewer bank list")
        return replace(opts, question_ids=ids, count=len(ids) if mode == "drill" else opts.count)
    if mode == "drill" and not (raw.get("random") or defaults.random):
        from voice_interviewer.sessions.commands import drill_question_ids

        # The same spaced-repetition choice the drill command makes: weak topics come back sooner.
        opts = replace(opts, question_ids=drill_question_ids(opts.track, opts.count, data_dir, echo=echo))
    return opts


def runner_accepts_front_end() -> bool:
    from voice_interviewer.runner import run_interview

    return "front_end" in inspect.signature(run_interview).parameters


@dataclass
class Outcome:
    session_dir: str | None = None
    status: str = ""
    error: str | None = None
    hint: str | None = None


class LiveSession:
    """The worker thread that runs one interview for the page."""

    def __init__(self, opts, front_end: FrontEnd, echo: Callable[[str], None],
                 on_finished: Callable[[Outcome], None], run: Callable | None = None):
        self.opts = opts
        self.front_end = front_end
        self.echo = echo
        self.on_finished = on_finished
        self._run = run  # tests hand in a fake run_interview
        self.thread = threading.Thread(target=self._main, name="browser-session", daemon=True)

    @property
    def controls(self) -> SessionControls:
        return self.front_end.controls

    def start(self) -> "LiveSession":
        self.thread.start()
        return self

    def _main(self) -> None:
        outcome = Outcome()
        try:
            run = self._run or self._runner()
            result = run(self.opts, echo=self.echo, front_end=self.front_end)
            outcome.session_dir, outcome.status = str(result.session_dir), result.status
        except UserFacingError as exc:
            outcome.error, outcome.hint, outcome.status = exc.message, exc.hint, "failed"
        except Exception as exc:  # the page must hear about it; the log has the traceback
            log.exception("browser session failed")
            outcome.error = f"The session stopped on an internal error: {exc}"
            outcome.hint = "run `voice-interviewer serve -v` and look at the terminal for the details"
            outcome.status = "failed"
        finally:
            for end in (self.front_end.source, self.front_end.sink, self.front_end.editor):
                if end is not None:
                    end.close()
            self.on_finished(outcome)

    def _runner(self) -> Callable:
        if not runner_accepts_front_end():
            raise UserFacingError("This version's interview runner cannot drive a browser yet (no front_end parameter)",
                                  "use the terminal for now: voice-interviewer drill")
        from voice_interviewer.runner import run_interview

        return run_interview
