"""The page's code editor, as the interview sees it (interfaces.CodeEditor).

The interview's coding round calls `open(problem_id, starter)`: the starter goes
to the page over its socket and the editor appears. The page sends the code back
500 ms after typing stops and whenever the candidate presses "Run tests"
(Ctrl+Enter); the server hands those messages to `on_code`. `current()` is the
latest code the page sent (the starter before any).

Asking for a run. The candidate may press "Run tests" instead of saying "run
it". The round polls `take_run_request()` (True once per press, like
SessionControls.take_end_turn), or waits on it with `wait_run_request(timeout)`.
Either way the code of that press is already in `current()`.

Limits (the socket is token-checked; these bound what a page can make us hold or
do): code over MAX_CODE_CHARS is refused with a message to the page; more than
MAX_MESSAGES_PER_S code messages in a second are dropped (the page sends at most
a few); run requests closer than MIN_RUN_INTERVAL_S apart count once, because
each run costs a sandbox process.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Callable

MAX_CODE_CHARS = 64_000  # a phone-screen solution is a few kB
MAX_MESSAGES_PER_S = 10
MIN_RUN_INTERVAL_S = 2.0


class BrowserCodeEditor:
    """interfaces.CodeEditor for the browser; `post` sends one JSON text to the page (any thread)."""

    def __init__(self, post: Callable[[str], None], clock: Callable[[], float] = time.monotonic):
        self._post = post
        self._clock = clock
        self._lock = threading.Lock()
        self._problem: str | None = None
        self._code = ""
        self._run = threading.Event()
        self._last_run = float("-inf")
        self._window = (0.0, 0)  # (start of the current one-second window, messages in it)
        self.last_edit: float | None = None  # clock time of the latest change the page sent
        self.dropped = 0  # code messages refused or over the rate (for the log and tests)

    # --- interfaces.CodeEditor: called by the interview ----------------------------------------
    def open(self, problem_id: str, starter: str) -> None:
        with self._lock:
            self._problem, self._code, self.last_edit = problem_id, starter, None
            self._run.clear()
        self._post(json.dumps({"type": "editor_open", "problem_id": problem_id, "starter": starter}))

    def current(self) -> str:
        with self._lock:
            return self._code

    def close(self) -> None:
        with self._lock:
            was_open, self._problem = self._problem is not None, None
        if was_open:
            self._post(json.dumps({"type": "editor_close"}))

    # --- run requests ----------------------------------------------------------------------------
    def take_run_request(self) -> bool:
        """True once per "Run tests" press since the last call."""
        with self._lock:
            asked = self._run.is_set()
            self._run.clear()
        return asked

    def wait_run_request(self, timeout: float) -> bool:
        """Blocks up to `timeout` s for a press; consumes it like take_run_request."""
        return self._run.wait(timeout) and self.take_run_request()

    @property
    def problem_id(self) -> str | None:
        return self._problem

    # --- from the page (the server's loop) --------------------------------------------------------
    def on_code(self, msg: dict) -> str | None:
        """One {"type": "code", "problem_id", "code", "run"} message; returns an error for the page, or None."""
        code, problem = msg.get("code"), msg.get("problem_id")
        if not isinstance(code, str) or problem is None:
            return None
        now = self._clock()
        with self._lock:
            if problem != self._problem:  # a late message about a round that has ended
                return None
            if len(code) > MAX_CODE_CHARS:
                self.dropped += 1
                return f"The code is over {MAX_CODE_CHARS:,} characters; the interviewer keeps the last shorter version."
            if not self._admit(now):
                self.dropped += 1
                return None
            if code != self._code:
                self._code, self.last_edit = code, now
            if msg.get("run") and now - self._last_run >= MIN_RUN_INTERVAL_S:
                self._last_run = now
                self._run.set()
        return None

    def _admit(self, now: float) -> bool:
        start, count = self._window
        if now - start >= 1.0:
            start, count = now, 0
        self._window = (start, count + 1)
        return count < MAX_MESSAGES_PER_S
