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
from voice_interviewer.audio.resampler import StreamResampler
from voice_interviewer.errors import AudioDeviceError

_ALTERNATIVES = (
    "use --candidate-audio DIR to answer from wav files, or --text to type your answers; "
    "`voice-interviewer doctor` checks the audio set-up"
)


_ALSA_HANDLER = None  # kept alive: ALSA calls it for every message


def quiet_alsa() -> None:
    """Send ALSA's own chatter ("ALSA lib pcm.c: ... underrun occurred", probing messages) nowhere.
    libasound prints straight to stderr; a no-op error handler is the only way to keep a session's
    terminal readable. Harmless where there is no ALSA (macOS, Windows)."""
    global _ALSA_HANDLER
    if _ALSA_HANDLER is not None:
        return
    import ctypes
    import ctypes.util

    name = ctypes.util.find_library("asound")
    if not name:
        return
    try:
        lib = ctypes.CDLL(name)
        proto = ctypes.CFUNCTYPE(None, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p)
        _ALSA_HANDLER = proto(lambda *_: None)
        lib.snd_lib_error_set_handler(_ALSA_HANDLER)
    except (OSError, AttributeError):
        pass


def _sounddevice():
    quiet_alsa()
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


@dataclass(frozen=True)
class AudioCheck:
    """What live audio can do here, found without loading any model."""

    ok: bool
    devices: tuple[DeviceInfo, ...]
    problems: tuple[str, ...]  # each says what is missing and what to do

    def summary(self) -> str:
        if self.ok:
            d_in = next((d.name for d in self.devices if d.is_default_input), "?")
            d_out = next((d.name for d in self.devices if d.is_default_output), "?")
            return f"audio ok: microphone {d_in!r}, speaker {d_out!r}"
        return "\n".join(self.problems)


def audio_check(need_input: bool = True, need_output: bool = True) -> AudioCheck:
    """Call before loading any model: is PortAudio there, and a microphone and a speaker?"""
    try:
        devices = tuple(list_devices())
    except AudioDeviceError as exc:
        return AudioCheck(False, (), (str(exc),))
    problems = []
    if not devices:
        problems.append("No audio devices found (no sound card, or no sound server reachable): "
                        "connect a headset or start PulseAudio/PipeWire, or " + _ALTERNATIVES)
    else:
        if need_input and not any(d.inputs for d in devices):
            problems.append("No microphone (input device) found: plug one in or allow microphone access, or "
                            + _ALTERNATIVES)
        if need_output and not any(d.outputs for d in devices):
            problems.append("No speaker (output device) found: plug in headphones or speakers, or " + _ALTERNATIVES)
    return AudioCheck(not problems, devices, tuple(problems))


def describe_devices(devices: list[DeviceInfo]) -> list[str]:
    """Lines for `voice-interviewer devices`; says so plainly when there are none."""
    if not devices:
        return ["no audio devices found (no sound card, or no sound server reachable); " + _ALTERNATIVES]
    lines = []
    for d in devices:
        mark = ("<in " if d.is_default_input else "") + ("out>" if d.is_default_output else "")
        lines.append(f"{d.index:3d} {d.name[:40]:40s} in {d.inputs:2d} out {d.outputs:2d} {d.default_rate} Hz {mark}")
    return lines


def rescan() -> None:
    """Make PortAudio list devices again (it lists them once, when first loaded): after a sound
    server started, or a headset was plugged in."""
    sd = _sounddevice()
    try:
        sd._terminate()
        sd._initialize()
    except Exception as exc:
        raise AudioDeviceError(f"Could not rescan audio devices ({exc})", _ALTERNATIVES) from exc


def list_devices() -> list[DeviceInfo]:
    sd = _sounddevice()
    try:
        devices = sd.query_devices()
        default_in, default_out = sd.default.device
        if isinstance(default_in, str) or default_in is None:
            default_in = -1
        if isinstance(default_out, str) or default_out is None:
            default_out = -1
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
        resampler = StreamResampler(self._rate, SAMPLE_RATE)  # one per stream: no clicks at block edges
        while True:
            block = self._queue.get()
            pending += resampler.process(block).astype("<i2").tobytes()
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
    """Plays int16 audio on the default (or a chosen) output device, blocking until done.

    One output stream stays open with a safe latency (audio.duplex.PlaybackStream): a stream
    per sentence with PortAudio's ~35 ms default buffer drops out when another program holds
    the output."""

    def __init__(self, device: int | str | None = None, latency_s: float = 0.2):
        from voice_interviewer.audio.duplex import PlaybackStream

        self._stream = PlaybackStream(device, latency_s)
        self._rate = self._stream.rate

    def play(self, samples: np.ndarray, rate: int) -> None:
        audio = resample(to_int16(samples), rate, self._rate) if rate != self._rate else to_int16(samples)
        self._stream.reset_count()
        self._stream.write(audio)
        deadline = time.monotonic() + len(audio) / self._rate + 2.0
        while self._stream.queued and time.monotonic() < deadline:
            time.sleep(0.01)
        time.sleep(self._stream.latency_s)  # what the device still holds

    def close(self) -> None:
        self._stream.close()


class RealClock:
    def now(self) -> float:
        return time.monotonic()
