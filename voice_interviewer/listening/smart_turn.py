"""Is the answer finished? Smart Turn v3.2 (ONNX) on the last 8 s of the turn.

The model is a Whisper-tiny encoder with a classifier head: it hears the
intonation and the words trailing off ("...and that's why." vs "...and then
the") and gives the probability that the speaker has handed the turn back.
Input: the last 8 s at 16 kHz (zero-padded in front when shorter), scaled to
zero mean and unit variance, as an 80-bin Whisper log-mel spectrogram of 800
frames. About 0.1 s a call on one core, so it is asked once per pause, never
per frame.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from voice_interviewer.audio.clip import SAMPLE_RATE
from voice_interviewer.models import store as model_store

WINDOW_S = 8
_N_FFT, _HOP, _MELS = 400, 160, 80


@dataclass(frozen=True)
class SmartTurnSettings:
    threads: int = 1


def _mel_filters() -> np.ndarray:
    from faster_whisper.feature_extractor import FeatureExtractor  # Whisper's own (Slaney) mel filterbank

    return FeatureExtractor.get_mel_filters(SAMPLE_RATE, _N_FFT, n_mels=_MELS).astype(np.float64)


def log_mel(audio: np.ndarray, filters: np.ndarray) -> np.ndarray:
    """(80, 800) Whisper-style log-mel of exactly 8 s of float audio."""
    x = audio.astype(np.float32)
    x = (x - x.mean()) / np.sqrt(x.var() + 1e-7)  # the model was trained on normalised waveforms
    pad = _N_FFT // 2
    x = np.pad(x.astype(np.float64), (pad, pad), mode="reflect")
    window = 0.5 - 0.5 * np.cos(2 * np.pi * np.arange(_N_FFT) / _N_FFT)  # periodic Hann
    frames = np.lib.stride_tricks.sliding_window_view(x, _N_FFT)[::_HOP] * window
    power = np.abs(np.fft.rfft(frames, axis=1)) ** 2  # (frames, 201)
    mel = np.log10(np.maximum(filters @ power.T, 1e-10))[:, :-1]
    mel = np.maximum(mel, mel.max() - 8.0)
    return ((mel + 4.0) / 4.0).astype(np.float32)


class SmartTurn:
    """complete_probability(turn audio) -> 0..1, the chance the candidate has finished."""

    def __init__(self, settings: SmartTurnSettings = SmartTurnSettings(), model_path=None):
        import onnxruntime as ort

        folder = model_store.resolve("smart-turn-v3", explicit=model_path, progress=False)
        so = ort.SessionOptions()
        so.inter_op_num_threads = 1
        so.intra_op_num_threads = settings.threads
        so.log_severity_level = 3
        self._session = ort.InferenceSession(str(folder / "smart-turn-v3.2-cpu.onnx"), sess_options=so,
                                             providers=["CPUExecutionProvider"])
        self._filters = _mel_filters()

    def complete_probability(self, samples: np.ndarray) -> float:
        audio = np.asarray(samples)
        if audio.dtype == np.int16:
            audio = audio.astype(np.float32) / 32768.0
        n = WINDOW_S * SAMPLE_RATE
        audio = audio[-n:]
        if len(audio) < n:
            audio = np.concatenate([np.zeros(n - len(audio), np.float32), audio])
        features = log_mel(audio, self._filters)[None]
        out = self._session.run(None, {"input_features": features})[0]
        return float(np.asarray(out).reshape(-1)[0])
