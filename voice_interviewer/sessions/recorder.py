"""The session folder: metadata, an append-only event log, and the audio of both sides.

Every event is one JSON line, flushed and fsynced as it happens, and every
turn's audio is written the moment the turn ends, so a crash or Ctrl-C
leaves a readable session with everything said up to that point.
"""

from __future__ import annotations

import json
import os
import platform
import threading
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Callable

import numpy as np

from voice_interviewer import __version__
from voice_interviewer.audio.files import write_wav
from voice_interviewer.paths import data_dir


def sessions_dir() -> Path:
    return data_dir() / "sessions"


class SessionRecorder:
    def __init__(self, mode: str, meta: dict, clock: Callable[[], float], root: Path | None = None,
                 observers: tuple[Callable[[dict], None], ...] = ()):
        stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
        base = (root or sessions_dir()) / f"{stamp}-{mode}"
        self.folder = base
        n = 1
        while self.folder.exists():  # two sessions in the same second
            n += 1
            self.folder = base.with_name(f"{base.name}-{n}")
        (self.folder / "audio").mkdir(parents=True)
        self._clock = clock
        self._t0 = clock()
        self.meta = {"mode": mode, "started_at": datetime.now(timezone.utc).isoformat(), "status": "running",
                     "versions": {"voice_interviewer": __version__, "python": platform.python_version()}, **meta}
        self._write_meta()
        self._log = open(self.folder / "events.jsonl", "a", encoding="utf-8")
        self._audio_n = 0
        self._observers = observers  # e.g. a simulated candidate reacting to questions
        self._lock = threading.Lock()  # the scoring worker writes from its own thread

    def now(self) -> float:
        """Seconds since the session started, on the audio clock."""
        return round(self._clock() - self._t0, 3)

    def event(self, event_type: str, **fields) -> dict:
        record = {"t": self.now(), "wall": round(time.time(), 3), "type": event_type, **fields}
        with self._lock:
            self._log.write(json.dumps(record, default=_jsonable) + "\n")
            self._log.flush()
            os.fsync(self._log.fileno())
        for observe in self._observers:
            observe(record)
        return record

    def save_audio(self, side: str, samples: np.ndarray, rate: int) -> str:
        self._audio_n += 1
        rel = f"audio/{self._audio_n:03d}-{side}.wav"
        write_wav(self.folder / rel, samples, rate)
        return rel

    def close(self, status: str, **extra) -> None:
        self.meta.update(status=status, ended_at=datetime.now(timezone.utc).isoformat(), **extra)
        self._write_meta()
        self._log.close()

    def _write_meta(self) -> None:
        tmp = self.folder / "meta.json.tmp"
        tmp.write_text(json.dumps(self.meta, indent=2, default=_jsonable))
        tmp.replace(self.folder / "meta.json")  # atomic: never a half-written file


def _jsonable(obj):
    if hasattr(obj, "__dataclass_fields__"):
        return {k: getattr(obj, k) for k in obj.__dataclass_fields__ if not isinstance(getattr(obj, k), np.ndarray)}
    if isinstance(obj, (np.floating, np.integer)):
        return obj.item()
    if isinstance(obj, Path):
        return str(obj)
    return str(obj)
