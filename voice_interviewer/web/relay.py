"""The browser as one more subscriber of the session bus.

Events are published on the session's threads (the interview, the scorer);
the page lives on the server's asyncio loop. `Outbox` is the one crossing
point: any thread may `post` a message, the loop's writer task sends them in
order. `EventRelay` turns each typed event into a small JSON message.
"""

from __future__ import annotations

import asyncio
import functools
import json
import logging
from typing import Callable

from voice_interviewer.events import CandidateTurn, CodeSnapshot, Event, QuestionStarted, TranscriptRevised

log = logging.getLogger(__name__)


class Outbox:
    """Messages for one page, in order, from any thread."""

    def __init__(self, loop: asyncio.AbstractEventLoop):
        self._loop = loop
        self._queue: asyncio.Queue = asyncio.Queue()
        self.closed = False

    def post(self, message: bytes | str) -> None:
        if self.closed:
            return
        try:
            self._loop.call_soon_threadsafe(self._queue.put_nowait, message)
        except RuntimeError:  # the loop has shut down: nobody is listening any more
            self.closed = True

    async def drain_to(self, send: Callable) -> None:
        """The writer task: runs until the connection closes (send raises)."""
        while True:
            await send(await self._queue.get())

    def close(self) -> None:
        self.closed = True


def event_message(event: Event) -> dict:
    """What the page needs from an event; the word timings of a turn stay on disk."""
    raw = event.to_dict()
    if isinstance(event, (CandidateTurn, TranscriptRevised)):
        raw.pop("segments", None)
    if isinstance(event, CodeSnapshot):  # the page wrote that code: no need to send it back at every save
        raw.pop("code", None)
    if isinstance(event, QuestionStarted):  # the page fetches its editor as a coding round starts
        raw["coding"] = event.question_id in coding_problem_ids()
    return {"type": "event", "event": raw}


@functools.lru_cache(maxsize=1)
def coding_problem_ids() -> frozenset[str]:
    """Ids of the coding problems (empty if the problem set cannot be read: the editor then
    appears only when the interview opens it)."""
    try:
        from voice_interviewer.coding.spec import load_problems

        return frozenset(p.id for p in load_problems())
    except Exception:  # noqa: BLE001 - a broken problem folder must not break the captions
        log.warning("could not read the coding problems; the editor will wait for the interview to open it")
        return frozenset()


class EventRelay:
    """Subscriber: hands every event to the page as JSON (never blocks the session)."""

    def __init__(self, post: Callable[[str], None]):
        self._post = post

    def __repr__(self) -> str:  # how the bus names us if we ever fail
        return "EventRelay(browser)"

    def __call__(self, event: Event) -> None:
        try:
            text = json.dumps(event_message(event), default=str)
        except (TypeError, ValueError):
            log.exception("could not encode %s for the page", getattr(event, "TYPE", event))
            return
        self._post(text)
