"""Preparing the follow-up while the candidate is still talking.

Each time the running transcript grows, a background thread re-measures the
coverage and asks the policy what it would do if the answer ended now. When
that points at a key point, it synthesises the bank's follow-up audio at
once (the fast path) and, with an LLM, starts phrasing the follow-up on the
partial transcript; the phrasing that passes the checks is synthesised too.
When the turn really ends, the interview takes whatever matches its actual
decision, waiting only a bounded time for an LLM phrasing still in flight.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import os
import queue
import threading
from typing import Callable

from voice_interviewer.interfaces import Embedder, Voice
from voice_interviewer.judging import coverage as cov
from voice_interviewer.interviewer.phrasing import FollowUpLine, Phraser
from voice_interviewer.interviewer.policy import DEEPER, PROBE, Decision, PolicySettings, decide
from voice_interviewer.bank.questions import Question

log = logging.getLogger(__name__)


def decision_key(d: Decision) -> str | None:
    if d.action == PROBE:
        return f"kp:{d.key_point}"
    if d.action == DEEPER and d.bank_follow_up:
        return f"deeper:{d.bank_follow_up.text}"
    return None


class Speculator:
    def __init__(self, question: Question, phraser: Phraser, tts: Voice, embedder: Embedder, policy: PolicySettings,
                 probed: list[str], previous: list, time_left: Callable[[], float]):
        self.q, self.phraser, self.tts, self.embedder, self.policy = question, phraser, tts, embedder, policy
        self.probed, self.previous, self.time_left = list(probed), list(previous), time_left
        self._latest: queue.Queue[str | None] = queue.Queue(maxsize=1)
        self._llm = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="llm-speculation")
        self._lines: dict[str, cf.Future] = {}
        self.guesses: list[str] = []
        self._closed = threading.Event()
        self._thread = threading.Thread(target=self._run, name="speculation", daemon=True)
        self._thread.start()
        # Before a word is said every point is missed, and the first to probe is already
        # known: a 1.5B model needs ~7 s on two cores, so its phrasing starts now.
        self.on_partial("")

    def on_partial(self, text: str) -> None:
        """Called by the listener with the running transcript; only the newest text matters."""
        try:
            self._latest.get_nowait()
        except queue.Empty:
            pass
        self._latest.put_nowait(text)

    def _run(self) -> None:
        _lower_priority()  # on two cores, the transcript's tail must win over guesses
        while (text := self._latest.get()) is not None:
            try:
                self._prepare(text)
            except Exception:  # speculation is an optimisation: never break the interview
                log.exception("speculation failed")

    def _prepare(self, text: str) -> None:
        coverage = cov.measure(self.q, self.previous + [text], self.embedder)
        d = decide(self.q, coverage, self.probed, len(self.probed), self.time_left(), "silence", self.policy)
        key = decision_key(d)
        if key is None or key in self._lines or self._closed.is_set():
            return
        self.guesses.append(key)
        if d.bank_follow_up:
            self.tts.warm([d.bank_follow_up.text])  # the fast path is ready first
        if self.phraser.client is not None and not self._closed.is_set():
            try:
                self._lines[key] = self._llm.submit(self._phrase_and_voice, d, text)
            except RuntimeError:  # closed between the check and the submit: the turn is over
                pass

    def _phrase_and_voice(self, d: Decision, text: str) -> FollowUpLine:
        _lower_priority()
        line = self.phraser.phrase(self.q, d, text)
        self.tts.warm([line.text])
        return line

    def line_for(self, d: Decision, wait_s: float) -> FollowUpLine | None:
        """The prepared LLM phrasing for this decision, if it is ready within wait_s."""
        fut = self._lines.get(decision_key(d) or "")
        if fut is None:
            return None
        try:
            return fut.result(timeout=wait_s)
        except cf.TimeoutError:
            return None

    def close(self) -> None:
        """Stop guessing; returns at once (the next question must not wait for a guess)."""
        self._closed.set()
        self.on_partial(None)  # type: ignore[arg-type]
        self._llm.shutdown(wait=False, cancel_futures=True)

    def join(self, timeout_s: float = 30.0) -> None:
        """Wait for work in flight: native code (ONNX Runtime) must not be running when
        the interpreter exits, or the process aborts."""
        self.close()
        self._thread.join(timeout_s)
        self._llm.shutdown(wait=True)


def _lower_priority(niceness: int = 10) -> None:
    """Make the calling thread yield to the listener and Whisper (Linux: per-thread nice)."""
    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), niceness)
    except (AttributeError, OSError, PermissionError):
        pass  # other platforms: speculation just runs at normal priority
