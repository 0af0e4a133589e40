"""Reading any audio file into an AudioClip, and writing wav files.

Odd input is converted, not refused: another sample rate is resampled and
several channels are mixed down, and the clip's notes say so. Input that
cannot be used (missing, empty, damaged, no samples) raises AudioFileError
with what to do next.
"""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from voice_interviewer.audio.clip import SAMPLE_RATE, AudioClip, resample, to_int16
from voice_interviewer.errors import AudioFileError

_CONVERT_HINT = "convert it with: ffmpeg -i INPUT -ar 16000 -ac 1 OUTPUT.wav"


def load_audio(path: str | Path) -> AudioClip:
    path = Path(path)
    if not path.exists():
        raise AudioFileError(f"No such audio file: {path}", "check the path and try again")
    if path.is_dir():
        raise AudioFileError(f"{path} is a folder, not an audio file", "pass one file, or use --candidate-audio DIR")
    if path.stat().st_size == 0:
        raise AudioFileError(f"{path} is empty (0 bytes)", "record it again; nothing was saved in it")
    try:
        samples, rate, channels = _read_wav(path)
    except (wave.Error, EOFError, ValueError):
        samples, rate, channels = _read_with_av(path)
    notes = []
    if channels > 1:
        notes.append(f"mixed {channels} channels down to mono")
    if rate != SAMPLE_RATE:
        notes.append(f"resampled from {rate} Hz to {SAMPLE_RATE} Hz")
        samples = resample(samples, rate, SAMPLE_RATE)
    if len(samples) == 0:
        raise AudioFileError(f"{path} holds no audio samples", "record it again or check the export settings")
    return AudioClip(samples=samples, source=str(path), notes=tuple(notes))


def _read_wav(path: Path) -> tuple[np.ndarray, int, int]:
    with wave.open(str(path), "rb") as w:
        rate, channels, width = w.getframerate(), w.getnchannels(), w.getsampwidth()
        raw = w.readframes(w.getnframes())
    if width == 1:
        data = (np.frombuffer(raw, np.uint8).astype(np.int16) - 128) * 256
    elif width == 2:
        data = np.frombuffer(raw[: len(raw) // 2 * 2], "<i2")
    elif width == 4:
        data = (np.frombuffer(raw[: len(raw) // 4 * 4], "<i4") >> 16).astype(np.int16)
    else:
        raise ValueError(f"{width * 8}-bit wav")  # 24-bit: let FFmpeg handle it
    if channels > 1:
        data = data[: len(data) // channels * channels].reshape(-1, channels).astype(np.int32).mean(axis=1)
        data = np.round(data).astype(np.int16)  # integer samples: not the [-1, 1] float scale
    return np.asarray(data, dtype=np.int16), rate, channels


def _read_with_av(path: Path) -> tuple[np.ndarray, int, int]:
    import av

    try:
        with av.open(str(path)) as container:
            streams = [s for s in container.streams if s.type == "audio"]
            if not streams:
                raise AudioFileError(f"{path} has no audio stream", _CONVERT_HINT)
            stream = streams[0]
            rate, channels = stream.rate, stream.channels
            # Let FFmpeg mix down to mono s16 at the file's own rate.
            resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
            parts = []
            for frame in container.decode(stream):
                parts += [f.to_ndarray().reshape(-1) for f in resampler.resample(frame)]
    except AudioFileError:
        raise
    except Exception as exc:  # av raises many error types for damaged files
        raise AudioFileError(f"{path} could not be decoded ({type(exc).__name__}: {exc})", _CONVERT_HINT) from exc
    samples = np.concatenate(parts).astype(np.int16) if parts else np.zeros(0, np.int16)
    return samples, rate, channels


def write_wav(path: str | Path, samples: np.ndarray, rate: int = SAMPLE_RATE) -> Path:
    """Write mono int16 (or float) samples; the folder is created if needed."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(to_int16(np.asarray(samples)).astype("<i2").tobytes())
    return path
