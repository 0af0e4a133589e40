"""Fakes for one stage at a time: fast, deterministic, no model loaded.

They stand in for the real models only in the fast unit tests; the end-to-end
tests beside them use the real Whisper, Piper, MiniLM and llama.cpp.
"""

from __future__ import annotations

import hashlib
import re
import time

import numpy as np

from voice_interviewer.interviewer.channels import SpokenLine
from voice_interviewer.listening.listener import HeardAnswer
from voice_interviewer.listening.stt import Segment, Transcript
from voice_interviewer.llm.client import Completion
from voice_interviewer.speaking.tts import SpeechAudio

# A partial bias-variance answer, typed or read by Piper. Piper reads a sentence-initial "Bias" so
# that tiny.en writes "Bice"; "The bias" comes back as said.
BIAS = "The bias is the error from a model that is too simple and underfits the data."


class FakeEmbedder:
    """Bag-of-words vectors: texts sharing words are close, others are not."""

    def embed(self, texts: list[str]) -> np.ndarray:
        out = np.zeros((len(texts), 256), np.float32)
        for i, text in enumerate(texts):
            for word in re.findall(r"[a-z0-9]+", text.lower()):
                if len(word) > 3:
                    out[i, int(hashlib.md5(word.encode()).hexdigest(), 16) % 256] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.maximum(norms, 1e-9)


class FakeVoice:
    """A voice that makes 0.1 s of silence per word and remembers what it was asked to warm."""

    rate = 16000

    def __init__(self):
        self.warmed: list[str] = []

    def synthesize(self, text: str) -> SpeechAudio:
        return SpeechAudio(text, np.zeros(1600 * max(1, len(text.split())), np.int16), self.rate)

    def stream(self, text: str):
        yield self.synthesize(text)

    def warm(self, phrases: list[str]) -> None:
        self.warmed.extend(phrases)


class FakeChatModel:
    """Answers every prompt with the same line, after an optional delay."""

    def __init__(self, reply: str, delay_s: float = 0.0):
        self.reply, self.delay_s, self.calls = reply, delay_s, 0

    def complete(self, messages, max_tokens=80, temperature=0.3, json_schema=None, deadline_s=None) -> Completion:
        self.calls += 1
        time.sleep(self.delay_s)
        return Completion(self.reply, self.delay_s, self.delay_s, len(self.reply.split()))


class ScriptedChannel:
    """A candidate who says the given answers in order (as text), then runs out of input."""

    exhausted = False

    def __init__(self, answers: list[str], voice: FakeVoice | None = None):
        self.answers, self.said, self.tts = list(answers), [], voice

    def prepare(self, texts):
        pass

    def close(self):
        pass

    def say(self, text: str, on_first_audio=None) -> SpokenLine:
        self.said.append(text)
        return SpokenLine(np.zeros(160, np.int16), 16000, time.perf_counter())

    def hear(self, settings, prompt, on_partial=None, controls=None) -> HeardAnswer:
        if not self.answers:
            return HeardAnswer(Transcript("", (), "typed"), np.zeros(0, np.int16), "end_of_input", None, None, 0.0, 0.0)
        text = self.answers.pop(0)
        if on_partial and text:
            on_partial(" ".join(text.split()[: len(text.split()) // 2]))
            on_partial(text)
        segs = (Segment(text, 0.5, 3.0),) if text else ()
        reason = "done" if text else "no_answer"
        return HeardAnswer(Transcript(text, segs, "typed"), np.zeros(0, np.int16), reason,
                           0.5 if text else None, 3.0 if text else None, 3.5, 0.0, time.perf_counter())
