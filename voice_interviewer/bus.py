"""The session bus: stages publish typed events, observers subscribe.

The interview publishes what happens (a line said, a turn heard, a decision);
the recorder, the scorer, the latency observer, the terminal printer, the
demo candidate and the browser each subscribe. Adding a front-end is one more
subscriber. Delivery is synchronous and in order, under one lock, so every
subscriber sees the same sequence the recorder writes; a subscriber that has
slow work to do hands it to its own thread.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, replace
from typing import Callable, TypeVar

from voice_interviewer.events import Event

log = logging.getLogger(__name__)
E = TypeVar("E", bound=Event)
Handler = Callable[[Event], None]


@dataclass(frozen=True)
class _Subscription:
    handler: Handler
    kinds: tuple[type[Event], ...]  # empty: every event
    critical: bool  # its failure stops the session (the recorder); others are reported and skipped


class SessionBus:
    def __init__(self, clock: Callable[[], float]):
        self._clock = clock
        self._t0 = clock()
        self._subs: list[_Subscription] = []
        self._lock = threading.RLock()  # the scorer publishes from its own thread
        self.failures: list[str] = []  # subscriber errors, in words, for the end of the session

    def now(self) -> float:
        """Seconds since the session started, on the session's (audio) clock."""
        return round(self._clock() - self._t0, 3)

    def subscribe(self, handler: Handler, *kinds: type[Event], critical: bool = False) -> Callable[[], None]:
        """Call `handler` for every event (or only those of `kinds`); returns an unsubscribe function."""
        sub = _Subscription(handler, kinds, critical)
        with self._lock:
            self._subs.append(sub)
        return lambda: self._remove(sub)

    def _remove(self, sub: _Subscription) -> None:
        with self._lock:
            if sub in self._subs:
                self._subs.remove(sub)

    def publish(self, event: E) -> E:
        """Stamp the event with the session clock and deliver it; returns the stamped event."""
        with self._lock:
            stamped = replace(event, t=self.now(), wall=round(time.time(), 3))
            for sub in list(self._subs):
                if sub.kinds and not isinstance(stamped, sub.kinds):
                    continue
                try:
                    sub.handler(stamped)
                except Exception as exc:
                    if sub.critical:
                        raise
                    name = getattr(sub.handler, "__qualname__", repr(sub.handler))
                    log.exception("subscriber %s failed on %s", name, stamped.TYPE)
                    self.failures.append(f"{name}: {exc}")
                    self._remove(sub)  # one report per broken subscriber, not one per event
            return stamped
