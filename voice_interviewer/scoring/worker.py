"""The scorer's own loop, a subscriber of the session bus.

It collects each question's candidate turns and the interview's last coverage
measurement as they are published; when the question finishes it hands them
to a background thread and the interview carries on at once. The thread first
lets `settle` wait for the interview's whole decodes of that question's answers
(they run while the next line plays), scores the turns as finally transcribed,
and publishes an `AnswerScored` event. `close()` waits for what is in flight.

The default score (scoring/rules.py) runs the careful judge, a verdict per key
point with evidence, reason and confidence, at about half a second an answer on
two busy cores: too slow for the reply gap, which is why it lives here and the
live decision reads the fast coverage pass instead.
"""

from __future__ import annotations

import dataclasses
import logging
import queue
import threading
from typing import Callable

from voice_interviewer.bank.questions import Question
from voice_interviewer.events import (AnswerScored, CandidateTurn, CoverageMeasured, Event, QuestionFinished,
                                      QuestionStarted, TranscriptRevised, revise_turn)
from voice_interviewer.scoring.answer import AnswerInput
from voice_interviewer.scoring.coding import CodingScorer, as_answer_scored, score_coding

log = logging.getLogger(__name__)
LISTENS_TO = (QuestionStarted, CandidateTurn, TranscriptRevised, CoverageMeasured, QuestionFinished) + CodingScorer.LISTENS_TO


class ScoreWorker:
    def __init__(self, question: Callable[[str], Question | None], score: Callable[[AnswerInput], AnswerScored],
                 publish: Callable[[AnswerScored], object], settle: Callable[[str], None] | None = None):
        self._question, self._score, self._publish = question, score, publish
        # settle(question id): returns once the interview's whole decodes of that question's answers are in
        self.settle = settle or (lambda qid: None)
        self._coding = CodingScorer()  # coding problems: scored from their code and runs (scoring/coding.py)
        self._open: dict[str, dict] = {}  # question id -> time box, turns, coverage
        self._revised: dict[tuple, TranscriptRevised] = {}  # (question id, turn start) -> the whole decode
        self._queue: queue.Queue[tuple[str, Callable[[], AnswerScored]] | None] = queue.Queue()
        self.errors: list[str] = []
        self._thread = threading.Thread(target=self._run, name="scorer", daemon=True)
        self._thread.start()

    def __call__(self, event: Event) -> None:
        """The bus delivers the events of LISTENS_TO here."""
        if isinstance(event, TranscriptRevised):  # may come after the question's end: applied when it is scored
            self._revised[(event.question_id, round(event.turn_start, 3))] = event
            return
        if self._coding(event):
            return
        qid = getattr(event, "question_id", None)
        if not qid:
            return
        if isinstance(event, QuestionStarted):
            self._open[qid] = {"box": event.time_box_s or 120.0, "turns": [], "coverage": None}
            return
        if isinstance(event, QuestionFinished) and (coding := self._coding.take(qid)) is not None:
            self._open.pop(qid, None)
            self._queue.put((qid, lambda: as_answer_scored(score_coding(self._final(coding), qid))))
            return
        entry = self._open.get(qid)
        if entry is None:
            return
        if isinstance(event, CandidateTurn):
            if event.kind != "clarification":  # "can you repeat that?" is not part of the answer
                entry["turns"].append(event)
        elif isinstance(event, CoverageMeasured):
            entry["coverage"] = event
        elif isinstance(event, QuestionFinished):
            del self._open[qid]
            self._submit(qid, entry)

    def _final(self, events: list) -> list:
        """The events with each candidate turn as finally transcribed."""
        return [revise_turn(e, self._revised.get((e.question_id, round(e.start, 3))))
                if isinstance(e, CandidateTurn) else e for e in events]

    def _submit(self, qid: str, entry: dict) -> None:
        question = self._question(qid)
        if question is None or not entry["turns"]:
            return  # not a bank question (nothing to score against), or nothing was said
        item = AnswerInput(question, tuple(entry["turns"]), entry["box"], entry["coverage"])
        self._queue.put((qid, lambda: self._score(dataclasses.replace(item, turns=tuple(self._final(item.turns))))))

    def _run(self) -> None:
        while (job := self._queue.get()) is not None:
            qid, work = job
            try:
                self.settle(qid)
                self._publish(work())
            except Exception as exc:  # one bad answer must not stop the scoring of the rest
                log.exception("scoring %s failed", qid)
                self.errors.append(f"{qid}: {exc}")
            finally:
                self._queue.task_done()
        self._queue.task_done()

    @property
    def pending(self) -> int:
        return self._queue.unfinished_tasks

    def close(self, timeout_s: float = 120.0) -> int:
        """Stop taking work, wait for what is queued; returns how many answers were left unscored."""
        self._queue.put(None)
        self._thread.join(timeout_s)
        return 0 if not self._thread.is_alive() else max(0, self.pending - 1)
