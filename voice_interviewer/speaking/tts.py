"""Text-to-speech with Piper, streamed sentence by sentence, with a phrase cache.

The first sentence is synthesised and handed out before the next one is
started, so the interviewer starts talking after one sentence's compute.
Phrases said often (bank follow-ups, "Thanks, next question") are cached in
memory and on disk, so they cost nothing the second time.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import numpy as np

from voice_interviewer.models import store as model_store
from voice_interviewer.audio.files import load_audio, write_wav
from voice_interviewer.paths import cache_dir
from voice_interviewer.speaking.tts_text import normalize_for_speech, split_sentences

log = logging.getLogger(__name__)


@dataclass(frozen=True, eq=False)
class SpeechAudio:
    """One synthesised sentence."""

    text: str
    samples: np.ndarray  # int16 mono
    rate: int

    @property
    def duration_s(self) -> float:
        return len(self.samples) / self.rate


def trim_lead_in(samples: np.ndarray, rate: int, keep_s: float = 0.02, below_db: float = -40.0) -> np.ndarray:
    """The audio from keep_s before its first sound (a sample within below_db of the peak). Piper starts
    a sentence with 35-60 ms of silence, and some voice states with up to 0.45 s (measured)."""
    level = np.abs(samples.astype(np.int32))
    if not len(level) or level.max() == 0:
        return samples
    first = int(np.argmax(level > level.max() * 10 ** (below_db / 20)))
    return samples[max(0, first - int(keep_s * rate)):]


class TextToSpeech:
    def __init__(self, voice: str = "piper-joe", model_path=None, cache: Path | None = None, use_cuda: bool = False):
        folder = model_store.resolve(voice, explicit=model_path)
        onnx = next(folder.glob("*.onnx"))
        self._voice = _load_voice(onnx, use_cuda)
        self.rate = self._voice.config.sample_rate
        self._memory: dict[str, np.ndarray] = {}
        self._inflight: dict[str, threading.Event] = {}  # sentences being synthesised by another thread
        self._lock = threading.Lock()
        self._cache = cache if cache is not None else cache_dir() / "phrases" / voice
        self.voice_name = voice

    def stream(self, text: str) -> Iterator[SpeechAudio]:
        """Synthesise sentence by sentence; each piece is ready to play when yielded. The first starts at
        its first sound: the reply gap runs to what the candidate hears, not to the start of a buffer."""
        for i, sentence in enumerate(split_sentences(text)):
            samples = self._sentence(sentence)
            yield SpeechAudio(sentence, trim_lead_in(samples, self.rate) if i == 0 else samples, self.rate)

    def synthesize(self, text: str) -> SpeechAudio:
        parts = [p.samples for p in self.stream(text)]
        samples = np.concatenate(parts) if parts else np.zeros(0, np.int16)
        return SpeechAudio(text, samples, self.rate)

    def warm(self, phrases: list[str]) -> None:
        """Synthesise phrases ahead of time (e.g. a question's bank follow-ups)."""
        for phrase in phrases:
            for sentence in split_sentences(phrase):
                self._sentence(sentence)

    def _sentence(self, sentence: str) -> np.ndarray:
        """One sentence's audio: from memory, from disk, from a speculative synthesis
        already running in another thread (waited for), or synthesised now."""
        spoken = normalize_for_speech(sentence)
        key = hashlib.sha1(f"{self.voice_name}|{spoken}".encode()).hexdigest()[:16]
        with self._lock:
            if key in self._memory:
                return self._memory[key]
            pending = self._inflight.get(key)
            if pending is None:
                self._inflight[key] = threading.Event()
        if pending is not None:
            pending.wait()
            if key in self._memory:
                return self._memory[key]
        try:
            return self._load_or_synthesize(key, spoken)
        finally:
            with self._lock:
                done = self._inflight.pop(key, None)
            if done is not None:
                done.set()

    def _load_or_synthesize(self, key: str, spoken: str) -> np.ndarray:
        path = self._cache / f"{key}.wav"
        if path.exists():
            try:
                audio = _read_cached(path, self.rate)
                self._memory[key] = audio
                return audio
            except Exception:  # a damaged cache file is just rebuilt
                path.unlink(missing_ok=True)
        t0 = time.perf_counter()
        chunks = [c.audio_int16_array for c in self._voice.synthesize(spoken)]
        audio = np.concatenate(chunks) if chunks else np.zeros(0, np.int16)
        log.debug("tts %.2fs for %.2fs of audio: %s", time.perf_counter() - t0, len(audio) / self.rate, spoken)
        self._memory[key] = audio
        try:
            write_wav(path, audio, self.rate)
        except OSError:
            pass  # caching is an optimisation only
        return audio


def _load_voice(onnx: Path, use_cuda: bool):
    """PiperVoice with an ONNX session that does not spin: idle worker threads that
    busy-wait steal the second core from Whisper while we synthesise speculatively."""
    import json

    import onnxruntime as ort
    from piper import PiperVoice
    from piper.config import PiperConfig

    opts = ort.SessionOptions()
    opts.add_session_config_entry("session.intra_op.allow_spinning", "0")
    providers = ["CUDAExecutionProvider", "CPUExecutionProvider"] if use_cuda else ["CPUExecutionProvider"]
    config = PiperConfig.from_dict(json.loads(Path(str(onnx) + ".json").read_text(encoding="utf-8")))
    return PiperVoice(config=config, session=ort.InferenceSession(str(onnx), sess_options=opts, providers=providers))


def _read_cached(path: Path, rate: int) -> np.ndarray:
    import wave

    with wave.open(str(path), "rb") as w:
        if w.getframerate() != rate:
            raise ValueError("cached phrase has another rate")
        return np.frombuffer(w.readframes(w.getnframes()), "<i2").astype(np.int16)


__all__ = ["TextToSpeech", "SpeechAudio", "normalize_for_speech", "load_audio"]
