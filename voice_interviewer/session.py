"""What a front-end hands to a session: its audio ends, its subscribers, its buttons."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Callable

from voice_interviewer.events import Event
from voice_interviewer.interfaces import AudioSink, AudioSource


class SessionControls:
    """Buttons a front-end can press from any thread: "I'm done" and "stop the session"."""

    def __init__(self):
        self._end_turn = threading.Event()
        self._stop = threading.Event()

    def end_turn(self) -> None:
        """The candidate finished the current answer (the "done" button or key)."""
        self._end_turn.set()

    def stop(self) -> None:
        """End the session as Ctrl-C would: everything so far is kept."""
        self._stop.set()

    def take_end_turn(self) -> bool:
        """True once per press (the listener polls this every frame)."""
        if self._end_turn.is_set():
            self._end_turn.clear()
            return True
        return False

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()


@dataclass(frozen=True)
class FrontEnd:
    """A way to hold an interview: the terminal, wav files, a browser.

    source/sink None: the default for the run's options (microphone and speaker,
    or the virtual device for wav answers and the demo).
    """

    source: AudioSource | None = None
    sink: AudioSink | None = None
    subscribers: tuple[Callable[[Event], None], ...] = ()
    controls: SessionControls = field(default_factory=SessionControls)
    name: str = "terminal"
