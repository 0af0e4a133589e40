"""The session folder: metadata, an append-only event log, and the audio of both sides.

The recorder is the bus's first subscriber. Every recorded event is one JSON
line, flushed and fsynced as it happens, and every turn's audio is written
the moment the turn ends, so a crash or Ctrl-C leaves a readable session with
everything said up to that point.
"""

from __future__ import annotations

import json
import os
import platform
import threading
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable

import numpy as np

from voice_interviewer import __version__
from voice_interviewer.audio.files import write_wav
from voice_interviewer.errors import UserFacingError
from voice_interviewer.events import Event
from voice_interviewer.paths import data_dir


def sessions_dir() -> Path:
    return data_dir() / "sessions"


def new_session_folder(root: Path, mode: str) -> Path:
    """<UTC stamp>-<mode>, so a listing sorts by time; a suffix when two start in the same second."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    base = root / f"{stamp}-{mode}"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    try:
        (folder / "audio").mkdir(parents=True)
    except OSError as exc:
        raise UserFacingError(f"Cannot create a session folder in {root} ({exc.strerror or exc})",
                              "choose a writable folder with --data-dir, or set VOICE_INTERVIEWER_HOME") from exc
    return folder


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str))
    tmp.replace(path)  # atomic: never a half-written file


def append_events(path: Path, events: Iterable[Event], mode: str = "a") -> None:
    with open(path, mode, encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e.to_dict(), default=str) + "\n")


class SessionRecorder:
    def __init__(self, mode: str, meta: dict, root: Path | None = None):
        self.folder = new_session_folder(root or sessions_dir(), mode)
        self.meta = {"mode": mode, "started_at": datetime.now(timezone.utc).isoformat(), "status": "running",
                     "versions": {"voice_interviewer": __version__, "python": platform.python_version()}, **meta}
        write_json_atomic(self.folder / "meta.json", self.meta)
        self._log = open(self.folder / "events.jsonl", "a", encoding="utf-8")
        self._audio_n = 0
        self._lock = threading.Lock()  # the scorer publishes from its own thread

    def __call__(self, event: Event) -> None:
        """The bus delivers every event here; live-only ones (levels, activity) are not written."""
        if not event.RECORDED or self._log.closed:
            return
        with self._lock:
            self._log.write(json.dumps(event.to_dict(), default=str) + "\n")
            self._log.flush()
            os.fsync(self._log.fileno())

    def save_audio(self, side: str, samples: np.ndarray, rate: int) -> str | None:
        if not len(samples):
            return None
        with self._lock:
            self._audio_n += 1
            rel = f"audio/{self._audio_n:03d}-{side}.wav"
        write_wav(self.folder / rel, samples, rate)
        return rel

    def close(self, status: str, **extra) -> None:
        self.meta.update(status=status, ended_at=datetime.now(timezone.utc).isoformat(), **extra)
        write_json_atomic(self.folder / "meta.json", self.meta)
        with self._lock:
            self._log.close()
