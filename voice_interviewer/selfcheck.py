"""The spoken self-check: the interviewer's voice says a sentence, the virtual
device plays it back into the microphone, and the listener transcribes it.
It exercises TTS, the virtual audio device, VAD, turn detection and STT together.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from voice_interviewer.audio.files import write_wav
from voice_interviewer.audio.virtual import VirtualAudioDevice
from voice_interviewer.listening.listener import Listener
from voice_interviewer.listening.stt import SpeechToText, vocabulary_prompt
from voice_interviewer.speaking.tts import TextToSpeech
from voice_interviewer.listening.turns import TurnSettings
from voice_interviewer.listening.wer import word_error_rate


@dataclass(frozen=True)
class SelfCheckResult:
    said: str
    heard: str
    word_error_rate: float
    timings: dict

    @property
    def passed(self) -> bool:
        return self.word_error_rate <= 0.35

    def report(self) -> str:
        lines = [
            f"said:  {self.said}",
            f"heard: {self.heard}",
            f"word error rate: {self.word_error_rate:.0%}  ->  {'PASS' if self.passed else 'FAIL'}",
            "timings: " + ", ".join(f"{k} {v:.2f} s" for k, v in self.timings.items()),
        ]
        return "\n".join(lines)


def run_selfcheck(text: str, stt_model: str = "tiny.en", device: str = "auto", save: Path | None = None) -> SelfCheckResult:
    timings = {}
    t0 = time.perf_counter()
    print("loading the voice and speech-to-text models...", flush=True)
    tts = TextToSpeech()
    stt = SpeechToText(stt_model, device=device)
    timings["models loaded"] = time.perf_counter() - t0

    dev = VirtualAudioDevice(loopback=True, think_s=0.8)
    t1 = time.perf_counter()
    for piece in tts.stream(text):
        timings.setdefault("first audio", time.perf_counter() - t1)
        dev.play(piece.samples, piece.rate)
    dev.flush()
    print(f"interviewer: {text}", flush=True)

    t2 = time.perf_counter()
    answer = Listener(stt).listen(dev.frames(), TurnSettings(end_silence_s=1.5), vocabulary_prompt(["bias-variance"]), lockstep=True)
    timings["listen + transcribe"] = time.perf_counter() - t2
    if save:
        write_wav(save, dev.recording())
    return SelfCheckResult(text, answer.transcript.text, word_error_rate(text, answer.transcript.text), timings)
