"""The scorer's own loop: finished questions go in, score events come out.

The interview hands over a question's turns and carries on at once; a
background thread scores them and appends a `score` event to the session.
At the end of the session, `drain()` waits until every submitted answer is
scored, so the summary is complete.
"""

from __future__ import annotations

import logging
import queue
import threading
from typing import Callable

from voice_interviewer.scoring.answer import AnswerInput, AnswerScore

log = logging.getLogger(__name__)


class ScoreWorker:
    def __init__(self, score: Callable[[AnswerInput], AnswerScore], write: Callable[[AnswerScore], None]):
        self._score, self._write = score, write
        self._queue: queue.Queue[AnswerInput | None] = queue.Queue()
        self.scores: list[AnswerScore] = []
        self.errors: list[str] = []
        self._thread = threading.Thread(target=self._run, name="scorer", daemon=True)
        self._thread.start()

    def submit(self, item: AnswerInput) -> None:
        self._queue.put(item)

    def _run(self) -> None:
        while (item := self._queue.get()) is not None:
            try:
                result = self._score(item)
                self.scores.append(result)
                self._write(result)
            except Exception as exc:  # one bad answer must not stop the scoring of the rest
                log.exception("scoring %s failed", item.question.id)
                self.errors.append(f"{item.question.id}: {exc}")
            finally:
                self._queue.task_done()
        self._queue.task_done()

    @property
    def pending(self) -> int:
        return self._queue.unfinished_tasks

    def drain(self, timeout_s: float = 120.0) -> None:
        """Stop taking work and wait until everything submitted is scored."""
        self._queue.put(None)
        self._thread.join(timeout_s)
