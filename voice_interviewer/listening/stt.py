"""Speech-to-text with faster-whisper: device choice, prompting, incremental decoding.

Whisper encodes a fixed window (30 s; 20 s for live chunks, see LIVE_WINDOW_S),
so a call costs about the same for a short or a long chunk. IncrementalTranscriber
therefore decodes each chunk the turn detector commits at a pause, in a
background thread, while the candidate keeps talking; when the turn ends only
the last chunk is left. Chunks are decoded greedily (no temperature fallback:
the reply may be waiting). Decoded on their own, they lose words at their cuts, so once the
turn is over `decode_whole` decodes all of it again in one call, fallback
allowed (for the record and the scores; the reply never waits for it).
"""

from __future__ import annotations

import contextlib
import logging
import math
import os
import queue
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from voice_interviewer.models import store as model_store
from voice_interviewer.audio.clip import SAMPLE_RATE, AudioClip
from voice_interviewer.listening.turns import SpeechChunk, TurnSettings, speech_chunks
from voice_interviewer.listening.vad import SpeechDetector, default_detector

log = logging.getLogger(__name__)

# CTranslate2 runs on OpenMP, whose idle threads spin by default and would take the
# second core from the TTS and LLM working beside it. Must be set before it loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

STT_MODELS = {"tiny.en": "whisper-tiny.en", "base": "whisper-base"}

# The encoder window for live chunks. faster-whisper pads every window to Whisper's 30 s; CTranslate2
# encodes a shorter one: on two CPU cores a live chunk took 0.21 s instead of 0.44-0.48 s with 20 s, at
# the same word error rate (scripts/bench_encoder_window.py; docs/benchmarks.md). 10 s was faster still
# (0.08 s) and as good on chunks decoded alone, but with the running answer as the prompt it lost whole
# chunks ("ask what you can do for your country" -> "country you have country").
LIVE_WINDOW_S = 20.0

# What Whisper writes when it hears (near) silence: video-subtitle sign-offs from its
# training data. Dropped when a whole short or low-confidence segment is only this.
_HALLUCINATIONS = re.compile(r"^\W*(thanks? (you )?for watching( guys| everyone)?(,? (and )?have a (great|good|nice) "
                             r"(day|week|weekend|one))?|thank you( so much| very much)?|thanks|please subscribe|"
                             r"(like and )?subscribe( to (my|the) channel)?|bye( bye)?|you|"
                             r"welcome (back )?to (the|my) (next )?(video|channel)|\S*(www\.|\.com\b)\S*|"
                             r"((all ?right|okay|so),? )?(we'?ll |we will |i'?ll )?see you( guys| all)? (next time|in the next (one|video)))?\W*$",
                             re.IGNORECASE)  # video outros Whisper invents on breaths and short pauses (and bare punctuation)


def _is_hallucination(seg) -> bool:
    short = seg.end - seg.start < 1.5
    unsure = seg.no_speech_prob > 0.3 or seg.avg_logprob < -0.8
    return bool(_HALLUCINATIONS.match(seg.text.strip())) and (short or unsure) or _is_guess(seg)


def _is_guess(seg) -> bool:
    """A word or two Whisper guessed on a breath between chunks ("station.", "Okay.", "So..."): it
    thinks the chunk is more likely silence than speech, the decode is unsure, and so is every word.
    Real short replies ("Variances.", "Um.") came out with a no-speech probability under 0.15 and words
    at 0.3 or more; these guesses at 0.44-0.6 with words at 0.2 or less (Piper answers, tiny.en)."""
    words = getattr(seg, "words", None) or ()
    if len(seg.text.split()) > 3 or not words:
        return False
    return seg.no_speech_prob >= 0.4 and seg.avg_logprob < -0.9 and max(w.probability for w in words) < 0.25


def max_tokens(audio_s: float) -> int:
    """A ceiling on the tokens one window may produce: fast speech is ~4 tokens a second, so this never
    cuts real words. Without it a breath or click committed as a 0.2 s chunk made Whisper loop through its
    temperature fallbacks to 448 tokens each, 7 s of decoding (measured) that the reply waited for."""
    return int(min(440, 16 + 10 * min(audio_s, 30.0)))


def _first_pass(segments, audio_s: float, tail_s: float = 0.5) -> list:
    """Whisper's segments until the words reach the end of the audio. With word times on, faster-whisper
    seeks to the last word and decodes what is left, which for a chunk is only its trailing pause: a
    second decode that fell back to sampling and made up words ("Please.", "Thank you.") and took the
    chunk from 0.3 s to 1.3-1.5 s (measured on tiny.en with the running answer as prompt)."""
    out = []
    for seg in segments:  # a generator: stopping here skips the second decode
        out.append(seg)
        if seg.words and seg.words[-1].end >= audio_s - tail_s:
            break
    return out


def too_many_words(segments, audio_s: float) -> bool:
    """More words than anyone says in audio_s: Whisper repeating its prompt, or a made-up sentence, on a
    breath-length chunk ("The Gudenburg or 42 line Bible." twice from 0.21 s of audio). Fast speech is about
    4 words a second; the allowance is generous so real words are never lost."""
    return sum(len(s.text.split()) for s in segments) > 3 + 6 * audio_s


@dataclass(frozen=True)
class Word:
    text: str
    start: float
    end: float
    probability: float


@dataclass(frozen=True)
class Segment:
    text: str
    start: float
    end: float
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Transcript:
    text: str
    segments: tuple[Segment, ...]
    model: str
    decode_s: float = 0.0  # compute time spent in Whisper
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def words(self) -> list[Word]:
        return [w for s in self.segments for w in s.words]


def join_segments(segments) -> str:
    return " ".join(s.text.strip() for s in segments if s.text.strip())


@dataclass(frozen=True)
class DeviceChoice:
    device: str
    compute_type: str
    reason: str


# CTranslate2's CUDA build wants cuBLAS 12 and cuDNN 9. A machine with only CUDA 13 (or none
# system-wide) gets them from the `nvidia-cublas-cu12` / `nvidia-cudnn-cu12` wheels (the `cuda`
# extra); those put their .so files in site-packages/nvidia/*/lib, where the loader never looks.
_CUDA_WHEEL_LIBS = ("nvidia/cublas/lib", "nvidia/cudnn/lib", "nvidia/cuda_nvrtc/lib", "nvidia/cuda_runtime/lib")
# dependencies first: cuDNN's sub-libraries need libcudnn.so.9, cuBLAS needs cuBLASLt
_PRELOAD_ORDER = ("libcudart.so", "libcublasLt.so", "libcublas.so", "libnvrtc.so", "libcudnn.so",
                  "libcudnn_graph.so", "libcudnn_ops.so", "libcudnn_cnn.so", "libcudnn_adv.so",
                  "libcudnn_engines_precompiled.so", "libcudnn_engines_runtime_compiled.so", "libcudnn_heuristic.so")


def find_cuda_wheel_libs(search: list[str] | None = None) -> list[Path]:
    """The library folders of the nvidia-*-cu12 wheels, on sys.path (or in `search`)."""
    import sys

    found = []
    for base in search if search is not None else sys.path:
        for rel in _CUDA_WHEEL_LIBS:
            folder = Path(base) / rel
            if folder.is_dir() and folder not in found:
                found.append(folder)
    return found


def preload_cuda_libs(folders: list[Path]) -> list[str]:
    """Load the wheels' libraries globally (RTLD_GLOBAL) so CTranslate2 finds libcublas.so.12 and
    libcudnn.so.9 without LD_LIBRARY_PATH. Returns the names loaded; failures are skipped."""
    import ctypes

    files = [f for d in folders for f in sorted(d.glob("lib*.so*"))]
    rank = {name: i for i, name in enumerate(_PRELOAD_ORDER)}
    files.sort(key=lambda f: rank.get(f.name.split(".so")[0] + ".so", len(rank)))
    loaded = []
    for f in files:
        try:
            ctypes.CDLL(str(f), mode=ctypes.RTLD_GLOBAL)
            loaded.append(f.name)
        except OSError as exc:
            log.debug("could not preload %s (%s)", f, exc)
    return loaded


_CUDA_PRELOADED: list[str] | None = None


def _preload_cuda_once() -> list[str]:
    global _CUDA_PRELOADED
    if _CUDA_PRELOADED is None:
        _CUDA_PRELOADED = preload_cuda_libs(find_cuda_wheel_libs())
    return _CUDA_PRELOADED


def choose_device(requested: str = "auto") -> DeviceChoice:
    """CUDA float16 where a GPU and its libraries work, else CPU int8; the reason is kept
    (`voice-interviewer doctor` prints it)."""
    if requested == "cpu":
        return DeviceChoice("cpu", "int8", "CPU requested")
    wheels = _preload_cuda_once()
    try:
        import ctranslate2

        gpus = ctranslate2.get_cuda_device_count()
    except Exception as exc:  # a broken CUDA install can fail right here
        gpus, why = 0, f"CUDA check failed ({exc})"
    else:
        why = "no CUDA GPU found"
    if gpus > 0:
        libs = f"; cuBLAS/cuDNN from the nvidia-*-cu12 wheels ({len(wheels)} libraries)" if wheels else ""
        return DeviceChoice("cuda", "float16", f"{gpus} CUDA GPU(s) found{libs}")
    if requested == "cuda":
        log.warning("CUDA was requested but %s; using the CPU", why)
    return DeviceChoice("cpu", "int8", why)


class SpeechToText:
    """One loaded Whisper model. `transcribe` takes 16 kHz int16 or float32 audio."""

    def __init__(self, model: str = "tiny.en", device: str = "auto", threads: int | None = None, model_path=None):
        import ctranslate2
        from faster_whisper import WhisperModel

        if model not in STT_MODELS and model_path is None:
            raise ValueError(f"unknown speech-to-text model {model!r}; choose from {', '.join(STT_MODELS)}")
        self.name = model
        folder = model_store.resolve(STT_MODELS.get(model, model), explicit=model_path)
        # Leave a core to the audio loop, the VAD and the end-of-turn model: on two cores, a two-thread decode
        # that met Smart Turn at a pause stalled at its OpenMP barriers (1.3-1.4 s for a 2 s chunk that takes
        # 0.3 s alone), and the reply waited for it. One thread alone: 0.33 s.
        threads = threads or max(1, min(4, (os.cpu_count() or 2) - 1))
        choice = choose_device(device)
        model_cls = _windowed(WhisperModel)
        try:
            # Whisper re-decodes a doubtful chunk by sampling at rising temperatures (that is what breaks its
            # repetition loops); unseeded, the same audio gave different words from run to run.
            ctranslate2.set_random_seed(0)
            self._model = model_cls(str(folder), device=choice.device, compute_type=choice.compute_type,
                                    cpu_threads=threads)
            if choice.device == "cuda":  # cuDNN/cuBLAS problems only show on first use
                self._decode(np.zeros(SAMPLE_RATE, np.float32), None, False)
        except Exception as exc:
            if choice.device != "cuda":
                raise
            log.warning("CUDA speech-to-text failed (%s); falling back to CPU int8", exc)
            choice = DeviceChoice("cpu", "int8", f"CUDA failed ({exc}); CTranslate2 needs cuBLAS 12 and cuDNN 9: "
                                                 "pip install 'voice-interviewer[cuda]'")
            self._model = model_cls(str(folder), device="cpu", compute_type="int8", cpu_threads=threads)
        self.device = choice
        self.live_window_s: float | None = LIVE_WINDOW_S  # None: the full 30 s window for live chunks too
        log.info("speech-to-text: %s on %s/%s (%s)", model, choice.device, choice.compute_type, choice.reason)

    def _decode(self, audio: np.ndarray, prompt: str | None, words: bool, fallback: bool = True):
        segments, _info = self._model.transcribe(
            audio,
            language="en",
            beam_size=1,
            initial_prompt=prompt or None,
            word_timestamps=words,
            condition_on_previous_text=False,
            vad_filter=False,  # our own VAD already removed non-speech
            max_new_tokens=max_tokens(len(audio) / SAMPLE_RATE),
            **({} if fallback else {"temperature": 0.0}),
        )
        return _first_pass(segments, len(audio) / SAMPLE_RATE) if words else list(segments)

    def transcribe(self, audio: np.ndarray, offset_s: float = 0.0, prompt: str | None = None, words: bool = True) -> list[Segment]:
        return self._segments(self._decode(_as_float(audio), prompt, words), len(audio), offset_s)

    def transcribe_greedy(self, audio: np.ndarray, prompt: str | None = None) -> tuple[list[Segment], bool]:
        """One greedy pass, no temperature fallback, and whether Whisper would have fallen back (its
        own thresholds). For live chunks: the fallback's sampling took 1.2-1.4 s where a chunk takes
        0.3 s (5 of 109 chunk decodes on 10 real clips, the reply waiting on them), and without it the live
        transcripts' WER was the same; the whole decode after the turn keeps it (see `unsure`)."""
        audio_s = len(audio) / SAMPLE_RATE
        with self._model.window(self.live_window_s and max(self.live_window_s, math.ceil(audio_s + 1.0))):
            raw = self._decode(_as_float(audio), prompt, True, fallback=False)
        return self._segments(raw, len(audio), 0.0), any(_would_fall_back(s) for s in raw)

    def _segments(self, raw: list, n_samples: int, offset_s: float) -> list[Segment]:
        if too_many_words(raw, n_samples / SAMPLE_RATE):
            log.info("dropped words no one can say in %.2f s: %r", n_samples / SAMPLE_RATE, join_segments(raw))
            return []
        out = []
        for s in raw:
            if _is_hallucination(s):
                log.info("dropped a likely hallucination: %r", s.text)
                continue
            ws = tuple(Word(w.word.strip(), offset_s + w.start, offset_s + w.end, w.probability) for w in (s.words or ()))
            out.append(Segment(s.text.strip(), offset_s + s.start, offset_s + s.end, ws))
        return [s for s in out if s.text]


def _windowed(whisper_model: type) -> type:
    """faster-whisper's WhisperModel whose encoder can be given less than the 30 s window."""

    class WindowedWhisper(whisper_model):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._window = threading.local()  # per thread: a live chunk and a whole decode may overlap

        @contextlib.contextmanager
        def window(self, seconds: float | None):
            """Within: encode only the first `seconds` of each (padded) window; None or >= 30: all of it.
            Must exceed the audio: faster-whisper still reads word times and seeks on a 30 s grid."""
            self._window.frames = int(seconds * 100) if seconds and seconds < 30 else None
            try:
                yield
            finally:
                self._window.frames = None

        def encode(self, features):
            frames = getattr(self._window, "frames", None)
            if frames and features.shape[-1] > frames:
                features = np.ascontiguousarray(features[..., :frames])
            return super().encode(features)

    return WindowedWhisper


def _as_float(audio: np.ndarray) -> np.ndarray:
    return audio.astype(np.float32) / 32768.0 if audio.dtype == np.int16 else audio


def _would_fall_back(seg) -> bool:
    """faster-whisper's own test for a retry at a higher temperature (its default thresholds): the text
    repeats itself, or the decode was unsure and the window is not mere silence."""
    silence = seg.no_speech_prob > 0.6 and seg.avg_logprob < -1.0
    return (seg.compression_ratio > 2.4 or seg.avg_logprob < -1.0) and not silence


_GAP = np.zeros(int(0.15 * SAMPLE_RATE), np.int16)  # a short silence between merged chunks


def _concatenate(chunks: list[SpeechChunk]) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """Chunks joined with short gaps, and (position in the joined audio, original start) per chunk."""
    parts, spans, pos = [], [], 0.0
    for i, c in enumerate(chunks):
        if i:
            parts.append(_GAP)
            pos += len(_GAP) / SAMPLE_RATE
        spans.append((pos, c.start_s))
        parts.append(c.samples)
        pos += len(c.samples) / SAMPLE_RATE
    return np.concatenate(parts), spans


def _remap(seg: Segment, spans: list[tuple[float, float]]) -> Segment:
    """Move times from the joined audio back onto the turn's own timeline."""
    def at(t: float) -> float:
        joined, original = max((s for s in spans if s[0] <= t + 1e-6), default=spans[0])
        return original + (t - joined)

    words = tuple(Word(w.text, at(w.start), at(w.end), w.probability) for w in seg.words)
    return Segment(seg.text, at(seg.start), at(seg.end), words)


# Whisper mirrors its prompt's style: a disfluent prompt makes it write the "um"s and "uh"s it
# otherwise drops (bench_fillers: 14-15 of 16 kept instead of 0-1). Off by default: in two runs its
# cost on the other words was 0 and then +18.6 WER points, so it needs a real-speech check first.
DISFLUENT_PROMPT = "Um, so, uh, I think, um, the answer is, uh, like this."


def vocabulary_prompt(terms: list[str] | str | None, keep_fillers: bool = False) -> str | None:
    """A short Whisper prompt that primes the spelling of the question's jargon (and keeps fillers)."""
    if not terms:
        return DISFLUENT_PROMPT if keep_fillers else None
    text = terms if isinstance(terms, str) else ", ".join(terms)
    vocab = f"An interview about machine learning: {text}."
    return f"{DISFLUENT_PROMPT} {vocab}" if keep_fillers else vocab


def decode_whole(stt: SpeechToText, chunks: list[SpeechChunk], prompt: str | None = None) -> Transcript:
    """A turn's speech chunks in one Whisper call, times on the turn's own timeline.

    Decoded one by one as they come, each chunk gets its own sentence ending and the words at the cuts
    suffer ("Pudding in the only sense", "Of about 14.55."): on 10 real recordings 12.0% WER live against
    6.2% when the same chunks went to Whisper together (docs/benchmarks.md)."""
    t0 = time.perf_counter()
    audio, spans = _concatenate(chunks)
    segments = [_remap(s, spans) for s in stt.transcribe(audio, 0.0, prompt)]
    return Transcript(join_segments(segments), tuple(segments), stt.name, time.perf_counter() - t0)


class IncrementalTranscriber:
    """Decodes committed speech chunks in a background thread while the turn goes on."""

    def __init__(self, stt: SpeechToText, prompt: str | None = None):
        self._stt = stt
        self._prompt = prompt
        self._queue: queue.Queue[SpeechChunk | None] = queue.Queue()
        self._segments: list[Segment] = []
        self._decode_s = 0.0
        self.chunks: list[SpeechChunk] = []  # every chunk submitted, for decode_whole after the turn
        self.decodes = 0  # Whisper calls made: 1 means the transcript already came from one whole decode
        self.unsure = 0  # greedy decodes that Whisper would have retried at a higher temperature
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="stt", daemon=True)
        self._thread.start()

    def submit(self, chunk: SpeechChunk, wait: bool = False) -> None:
        """Queue a chunk; wait=True blocks until it is decoded (for virtual-clock runs,
        where audio arrives faster than real time and must not outrun the decoder)."""
        self.chunks.append(chunk)
        self._queue.put(chunk)
        if wait:
            self._queue.join()

    def _run(self) -> None:
        while True:
            first = self._queue.get()
            batch = [first] + self._take_waiting() if first is not None else [None]
            stop = batch[-1] is None
            chunks = [c for c in batch if c is not None]
            try:
                if chunks:
                    self._decode_batch(chunks)
            except BaseException as exc:  # surfaced in finish(); the turn audio is kept anyway
                self._error = exc
            finally:
                for _ in batch:
                    self._queue.task_done()
            if stop:
                return

    def _take_waiting(self) -> list:
        """Every chunk that queued up while we were busy: one Whisper call costs about the
        same for 2 s or 20 s of audio, so a backlog is decoded in one go, never one by one."""
        out = []
        while True:
            try:
                out.append(self._queue.get_nowait())
            except queue.Empty:
                return out
            if out[-1] is None:
                return out

    def _decode_batch(self, chunks: list[SpeechChunk]) -> None:
        t0 = time.perf_counter()
        context = join_segments(self._segments)[-200:]  # keep the running answer's wording
        prompt = " ".join(p for p in (self._prompt, context) if p) or None
        audio, spans = _concatenate(chunks)
        segments, unsure = self._stt.transcribe_greedy(audio, prompt)
        self._segments += [_remap(s, spans) for s in segments]
        self._decode_s += time.perf_counter() - t0
        self.decodes += 1
        self.unsure += unsure
        log.debug("decoded %d chunk(s), %.2f s of audio ending at %.2f s, in %.2f s",
                  len(chunks), len(audio) / SAMPLE_RATE, chunks[-1].end_s, time.perf_counter() - t0)

    @property
    def partial_text(self) -> str:
        return join_segments(list(self._segments))

    def close(self) -> None:
        """Stop the thread without waiting for a transcript (the turn failed): it never outlives the turn.
        Chunks still queued are dropped; the one being decoded is finished first."""
        if not self._thread.is_alive():
            return
        while True:
            try:
                self._queue.get_nowait()
                self._queue.task_done()
            except queue.Empty:
                break
        self._queue.put(None)
        self._thread.join()

    @property
    def idle(self) -> bool:
        """Every chunk submitted so far is decoded (partial_text is up to date)."""
        return self._queue.unfinished_tasks == 0

    @property
    def revisable(self) -> bool:
        """A whole decode with temperature fallback could change the transcript: it came from several
        chunks (words lost at the cuts), or from a greedy pass Whisper would have retried."""
        return self.decodes > 1 or self.unsure > 0

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    def finish(self) -> Transcript:
        if self._thread.is_alive():
            self._queue.put(None)
            self._thread.join()
        if self._error:
            raise self._error
        return Transcript(join_segments(self._segments), tuple(self._segments), self._stt.name, self._decode_s)


def better_of(live: Transcript, whole: Transcript) -> Transcript:
    """The whole decode, unless it lost many of the words the chunk-by-chunk pass heard: on long
    audio Whisper can skip a stretch of a 30 s window, and a skipped sentence costs more than a
    word fumbled at a cut."""
    kept = len(whole.text.split()) >= 0.8 * len(live.text.split())
    if not kept:
        log.info("kept the chunk-by-chunk transcript: the whole decode lost words (%r)", whole.text)
    return whole if kept else live


def transcribe_clip(stt: SpeechToText, clip: AudioClip, prompt: str | None = None, incremental: bool = True,
                    detector: SpeechDetector | None = None, settings: TurnSettings | None = None,
                    gain: bool = True) -> Transcript:
    """A whole recording: only what VAD calls speech goes to Whisper (incremental),
    or the clip in one call (one-shot, for comparison). A quiet recording is raised first
    (audio.gain), so a distant microphone is not taken for silence."""
    if gain:
        from voice_interviewer.audio.gain import AutoGain

        clip = AutoGain().process_clip(clip)
    if not incremental:
        t0 = time.perf_counter()
        segs = stt.transcribe(clip.samples, 0.0, prompt)
        return Transcript(join_segments(segs), tuple(segs), stt.name, time.perf_counter() - t0, clip.notes)
    chunks = speech_chunks(clip, detector or default_detector(), settings)
    inc = IncrementalTranscriber(stt, prompt)
    for c in chunks:
        inc.submit(c)
    t = inc.finish()
    spent = t.decode_s
    if inc.revisable:  # a live answer's final transcript is one whole decode: so is a file's
        whole = decode_whole(stt, chunks, prompt)
        t, spent = better_of(t, whole), spent + whole.decode_s
    notes = clip.notes + (() if chunks else ("no speech detected",))
    return Transcript(t.text, t.segments, t.model, spent, notes)
