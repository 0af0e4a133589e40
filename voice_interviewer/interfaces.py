"""What each stage needs from the others, as small Protocols.

Stages take these in their constructors and never fetch a model or a device
from a global, so a test can hand in a fake (tests/fakes.py) and a front-end
(terminal, browser, wav files) can hand in its own audio ends.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterator, Protocol, runtime_checkable

import numpy as np

if TYPE_CHECKING:
    from voice_interviewer.listening.stt import Segment
    from voice_interviewer.llm.client import Completion
    from voice_interviewer.speaking.tts import SpeechAudio


@runtime_checkable
class AudioSource(Protocol):
    """The candidate's side: 30 ms frames of 16 kHz mono int16 (little-endian bytes)."""

    def frames(self) -> Iterator[bytes]: ...

    def flush(self) -> None:
        """Drop what was captured so far (what arrived while the interviewer spoke)."""

    def close(self) -> None: ...


@dataclass(frozen=True)
class PlayResult:
    """What a sink reports after a play: how much was heard before the candidate cut in."""

    played_s: float
    interrupted: bool = False  # the candidate started speaking; the rest was not played


@runtime_checkable
class AudioSink(Protocol):
    """The interviewer's side: plays int16 audio at the given rate, returning when it has played
    (or as soon as the candidate barges in, for sinks that can tell: then a PlayResult says so)."""

    def play(self, samples: np.ndarray, rate: int) -> "PlayResult | None": ...

    def close(self) -> None: ...


class Clock(Protocol):
    def __call__(self) -> float:
        """Seconds on the session's audio clock (real or virtual)."""


class Transcriber(Protocol):
    name: str

    def transcribe(self, audio: np.ndarray, offset_s: float = 0.0, prompt: str | None = None,
                   words: bool = True) -> list["Segment"]: ...


class Voice(Protocol):
    rate: int

    def stream(self, text: str) -> Iterator["SpeechAudio"]:
        """The line sentence by sentence, so the first sentence can play while the rest is made."""

    def synthesize(self, text: str) -> "SpeechAudio": ...

    def warm(self, phrases: list[str]) -> None:
        """Synthesise ahead of time into the phrase cache."""


class Embedder(Protocol):
    def embed(self, texts: list[str]) -> np.ndarray:
        """One L2-normalised row per text."""


class ChatModel(Protocol):
    """An OpenAI-compatible chat endpoint (voice_interviewer.llm.client.LLMClient)."""

    def complete(self, messages: list[dict], max_tokens: int = 80, temperature: float = 0.3,
                 json_schema: dict | None = None) -> "Completion": ...


@runtime_checkable
class CodeEditor(Protocol):
    """Where the candidate types code in a coding round: a watched file (terminal) or the page's editor
    (browser). The interview reads it; it never writes the candidate's code except the starter."""

    def open(self, problem_id: str, starter: str) -> None:
        """Show a new problem's starter code (signature and docstring)."""

    def current(self) -> str:
        """The code as it stands now (the starter if nothing was typed)."""

    def close(self) -> None: ...
