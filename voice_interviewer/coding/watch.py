"""The terminal's code editor: a file in the session folder that the candidate edits in their own editor.

The interviewer writes the starter once, says where the file is, and from then on only reads
it. Reading is cheap and safe to do every turn: the file is re-read only when its
modification time or size changed, and a half-saved file (some editors truncate, then write)
is read again a moment later before it is believed.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Callable


class WatchedFile:
    """A CodeEditor (interfaces.py) over `solution.py` in a folder, polled by mtime."""

    def __init__(self, folder: Path | str, echo: Callable[[str], None] = print, name: str = "solution.py"):
        self.path = Path(folder) / name
        self.echo = echo
        self._stamp: tuple[int, int] | None = None
        self._text = ""

    def open(self, problem_id: str, starter: str) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.path.write_text(starter, encoding="utf-8")
        self._stamp, self._text = None, starter
        self.echo(f"\n[{problem_id}] your code goes in {self.path.resolve()}\n"
                  "  open it in your editor and save as you go; I read it every time you pause.")

    def current(self) -> str:
        stamp = self._read_stamp()
        if stamp is None or stamp == self._stamp:
            return self._text
        text = self._read()
        if not text and stamp[1] == 0:  # caught between an editor's truncate and its write
            time.sleep(0.05)
            stamp, text = self._read_stamp(), self._read()
        self._stamp, self._text = stamp, text
        return text

    def close(self) -> None:
        self._stamp = None

    def _read_stamp(self) -> tuple[int, int] | None:
        try:
            st = self.path.stat()
        except OSError:  # deleted or moved by the editor mid-save: keep what we last read
            return None
        return (st.st_mtime_ns, st.st_size)

    def _read(self) -> str:
        try:
            return self.path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return self._text
