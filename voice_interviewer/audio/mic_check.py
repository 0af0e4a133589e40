"""A microphone check before a session: a few seconds of level meter and a verdict.

Too quiet (speech peaking near -50 dBFS is taken for silence by most speech
detectors), clipping, or a noisy room each get a plain sentence on what to do.
`assess` is pure (samples in, verdict out); `run_mic_check` records from the
live microphone and prints a meter while it listens.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from voice_interviewer.audio.clip import FRAME_SAMPLES, SAMPLE_RATE


@dataclass(frozen=True)
class MicLevels:
    peak_dbfs: float  # the loudest sample
    speech_dbfs: float  # the 95th-percentile frame level: the voice
    noise_dbfs: float  # the 10th-percentile frame level: the room
    clipped_fraction: float  # samples at full scale


@dataclass(frozen=True)
class MicVerdict:
    verdict: str  # "ok" | "too_quiet" | "clipping" | "noisy" | "silent"
    levels: MicLevels
    advice: str

    @property
    def ok(self) -> bool:
        return self.verdict == "ok"


def _db(x: float) -> float:
    return 20.0 * float(np.log10(max(x, 1e-3) / 32768.0))


def measure(samples: np.ndarray) -> MicLevels:
    pcm = np.asarray(samples, np.int16)
    frames = pcm[: len(pcm) // FRAME_SAMPLES * FRAME_SAMPLES].reshape(-1, FRAME_SAMPLES).astype(np.float32)
    if not len(frames):
        return MicLevels(-100.0, -100.0, -100.0, 0.0)
    rms = np.sqrt((frames ** 2).mean(axis=1))
    return MicLevels(
        peak_dbfs=_db(float(np.abs(pcm.astype(np.int32)).max())),
        speech_dbfs=_db(float(np.percentile(rms, 95))),
        noise_dbfs=_db(float(np.percentile(rms, 10))),
        clipped_fraction=float(np.mean(np.abs(pcm.astype(np.int32)) >= 32767)),
    )


def assess(samples: np.ndarray) -> MicVerdict:
    """The verdict on a few seconds of someone talking normally into the microphone."""
    lv = measure(samples)
    if lv.peak_dbfs < -80:
        return MicVerdict("silent", lv, "The microphone delivers silence: check it is not muted, that this program "
                                        "may use it, and that the right input device is the default (`voice-interviewer devices`).")
    if lv.clipped_fraction > 0.001:
        return MicVerdict("clipping", lv, f"Your voice is clipping ({lv.clipped_fraction:.1%} of samples at full "
                                          "scale): turn the input gain down or move back from the microphone.")
    if lv.speech_dbfs - lv.noise_dbfs < 10:
        return MicVerdict("noisy", lv, f"The room is almost as loud as your voice (voice {lv.speech_dbfs:.0f} dBFS, "
                                       f"room {lv.noise_dbfs:.0f} dBFS): move closer to the microphone, close windows, "
                                       "or use a headset.")
    if lv.peak_dbfs < -35:
        return MicVerdict("too_quiet", lv, f"Your voice is very quiet (peaks at {lv.peak_dbfs:.0f} dBFS): raise the "
                                           "input volume in your system's sound settings or move closer. The gain stage "
                                           "will raise it, but every dB from the microphone is cleaner.")
    return MicVerdict("ok", lv, f"Microphone level is good (voice peaks at {lv.peak_dbfs:.0f} dBFS, "
                                f"room at {lv.noise_dbfs:.0f} dBFS).")


def meter(level_dbfs: float, width: int = 40) -> str:
    filled = int(round(np.clip((level_dbfs + 60.0) / 60.0, 0.0, 1.0) * width))
    return "[" + "#" * filled + " " * (width - filled) + f"] {level_dbfs:6.1f} dBFS"


def check_frames(frames: Iterator[bytes], seconds: float = 4.0, show: Callable[[str], None] | None = None) -> MicVerdict:
    """Listen to `seconds` of 30 ms frames (any AudioSource), drawing a meter as it goes."""
    parts = []
    for frame in frames:
        pcm = np.frombuffer(frame, "<i2")
        parts.append(pcm)
        if show is not None:
            show(meter(_db(float(np.sqrt(np.mean(pcm.astype(np.float32) ** 2))))))
        if len(parts) * FRAME_SAMPLES >= seconds * SAMPLE_RATE:
            break
    return assess(np.concatenate(parts) if parts else np.zeros(0, np.int16))


def run_mic_check(seconds: float = 4.0, device: int | str | None = None, out=sys.stderr) -> MicVerdict:
    """For `voice-interviewer doctor` and before a live session: asks the user to talk, shows a
    meter, returns the verdict (its .advice says what to do). Raises AudioDeviceError without a mic."""
    from voice_interviewer.audio.devices import MicrophoneInput

    mic = MicrophoneInput(device)
    print(f"Microphone check: say a sentence or two at your normal volume ({seconds:.0f} s)...", file=out)
    last = [0.0]

    def show(line: str) -> None:
        if time.monotonic() - last[0] > 0.1:
            last[0] = time.monotonic()
            print("\r" + line, end="", file=out, flush=True)

    try:
        verdict = check_frames(mic.frames(), seconds, show)
    finally:
        mic.close()
    print("\r" + " " * 60 + "\r" + verdict.advice, file=out)
    return verdict
