"""Live microphone and speaker through sounddevice (PortAudio), imported lazily.

A machine without PortAudio or without a sound card gets one AudioDeviceError
that names the fix and the file-based alternatives, never a traceback.
"""

from __future__ import annotations

import queue
import time
from dataclasses import dataclass
from typing import Iterator

import numpy as np

from voice_interviewer.audio.clip import FRAME_BYTES, SAMPLE_RATE, resample, to_int16
from voice_interviewer.errors import AudioDeviceError

_ALTERNATIVES = (
    "use --candidate-audio DIR to answer from wav files, or --text to type your answers; "
    "`voice-interviewer doctor` checks the audio set-up"
)


def _sounddevice():
    try:
        import sounddevice
    except OSError as exc:  # raised by sounddevice when libportaudio is absent
        raise AudioDeviceError(
            "PortAudio, the library behind live audio, is not installed",
            "install it (Debian/Ubuntu: sudo apt-get install libportaudio2; macOS: brew install portaudio), or "
            + _ALTERNATIVES,
        ) from exc
    return sounddevice


@dataclass(frozen=True)
class DeviceInfo:
    index: int
    name: str
    inputs: int
    outputs: int
    default_rate: int
    is_default_input: bool
    is_default_output: bool


def list_devices() -> list[DeviceInfo]:
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        default_in, default_out = sd.default.device
    except Exception as exc:
        raise AudioDeviceError(f"Could not list audio devices ({exc})", _ALTERNATIVES) from exc
    return [
        DeviceInfo(
            index=i,
            name=d["name"],
            inputs=d["max_input_channels"],
            outputs=d["max_output_channels"],
            default_rate=int(d["default_samplerate"]),
            is_default_input=i == default_in,
            is_default_output=i == default_out,
        )
        for i, d in enumerate(devices)
    ]


def _device_rate(sd, device, kind: str) -> int:
    try:
        info = sd.query_devices(device, kind)
    except Exception as exc:
        raise AudioDeviceError(f"No {kind} device found ({exc})", _ALTERNATIVES) from exc
    return int(info["default_samplerate"])


class MicrophoneInput:
    """Captures at the device's own rate and hands out 16 kHz mono 30 ms frames."""

    def __init__(self, device: int | str | None = None):
        self._sd = _sounddevice()
        self._rate = _device_rate(self._sd, device, "input")
        self._queue: queue.Queue[np.ndarray] = queue.Queue()
        try:
            self._stream = self._sd.InputStream(
                device=device, samplerate=self._rate, channels=1, dtype="int16", callback=self._on_audio
            )
            self._stream.start()
        except Exception as exc:
            raise AudioDeviceError(f"Could not open the microphone ({exc})", _ALTERNATIVES) from exc

    def _on_audio(self, indata, _frames, _time, _status) -> None:
        self._queue.put(indata[:, 0].copy())

    def frames(self) -> Iterator[bytes]:
        pending = b""
        while True:
            block = self._queue.get()
            pending += resample(block, self._rate, SAMPLE_RATE).astype("<i2").tobytes()
            while len(pending) >= FRAME_BYTES:
                yield pending[:FRAME_BYTES]
                pending = pending[FRAME_BYTES:]

    def flush(self) -> None:
        """Drop what the microphone heard so far, e.g. the interviewer's own voice."""
        while not self._queue.empty():
            self._queue.get_nowait()

    def close(self) -> None:
        self._stream.stop()
        self._stream.close()


class SpeakerOutput:
    """Plays int16 audio on the default (or a chosen) output device, blocking until done."""

    def __init__(self, device: int | str | None = None):
        self._sd = _sounddevice()
        self._device = device
        self._rate = _device_rate(self._sd, device, "output")

    def play(self, samples: np.ndarray, rate: int) -> None:
        audio = resample(to_int16(samples), rate, self._rate) if rate != self._rate else to_int16(samples)
        try:
            self._sd.play(audio, self._rate, device=self._device, blocking=True)
        except Exception as exc:
            raise AudioDeviceError(f"Could not play audio ({exc})", _ALTERNATIVES) from exc

    def close(self) -> None:
        self._sd.stop()


class RealClock:
    def now(self) -> float:
        return time.monotonic()
