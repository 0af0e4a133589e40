"""Listening to one answer: microphone frames -> VAD -> turn detector -> incremental STT.

The listener owns nothing: the microphone, the models and the settings come
in, and one HeardAnswer (transcript, timings, the turn's audio) comes out.
"""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from voice_interviewer.audio.clip import frames_to_samples
from voice_interviewer.listening.stt import IncrementalTranscriber, SpeechToText, Transcript
from voice_interviewer.listening.turns import SpeechChunk, SpeechStarted, TurnDetector, TurnEnded, TurnSettings
from voice_interviewer.listening.vad import SpeechDetector

# Spoken ways to hand the turn back, checked at the end of the running transcript.
DONE_PHRASE = re.compile(r"\b(i'?m done|i am done|that'?s (?:it|all|my answer)|that is (?:it|all|my answer)|"
                         r"(?:let'?s|we can) move on|next question)\W*$", re.IGNORECASE)


@dataclass(frozen=True, eq=False)
class HeardAnswer:
    transcript: Transcript
    samples: np.ndarray  # every frame of the turn, silences included, for the recording
    end_reason: str
    first_word_s: float | None  # time to first word, from the end of the question
    speech_end_s: float | None  # when the candidate's last word ended
    decided_s: float  # when the turn detector decided the turn was over
    tail_wait_s: float  # wall-clock wait for the transcript after the decision
    decided_wall: float = 0.0  # time.perf_counter() at the decision: the start of the response latency


class Listener:
    def __init__(self, stt: SpeechToText, detector: SpeechDetector | None = None):
        self.stt = stt
        self.detector = detector or SpeechDetector()

    def listen(self, frames: Iterator[bytes], settings: TurnSettings, prompt: str | None = None,
               stop: Callable[[], bool] | None = None,
               on_partial: Callable[[str], None] | None = None, lockstep: bool = False) -> HeardAnswer:
        """Blocks until the turn ends (silence, time box, "I'm done", no answer, or stop()).

        lockstep: decode each chunk before reading on; for virtual-clock sources that
        deliver audio faster than real time (a live microphone never needs it).
        """
        turn = TurnDetector(settings)
        inc = IncrementalTranscriber(self.stt, prompt)
        heard: list[bytes] = []
        first_word = None
        ended: TurnEnded | None = None
        seen_text = ""
        try:
            for frame in frames:
                heard.append(frame)
                events = turn.push(frame, self.detector.is_speech(frame))
                if stop and stop():
                    events += turn.end("stopped")
                text = inc.partial_text
                if text != seen_text:
                    seen_text = text
                    if on_partial:
                        on_partial(text)
                    if DONE_PHRASE.search(text):
                        events += turn.end("done")
                for ev in events:
                    if isinstance(ev, SpeechStarted):
                        first_word = ev.t
                    elif isinstance(ev, SpeechChunk):
                        inc.submit(ev, wait=lockstep)
                    elif isinstance(ev, TurnEnded):
                        ended = ev
                if ended:
                    break
        except KeyboardInterrupt:
            for ev in turn.end("stopped"):
                if isinstance(ev, SpeechChunk):
                    inc.submit(ev)
                elif isinstance(ev, TurnEnded):
                    ended = ev
        t0 = time.perf_counter()
        transcript = inc.finish()
        return HeardAnswer(
            transcript=transcript,
            samples=frames_to_samples(heard),
            end_reason=ended.reason if ended else "stopped",
            first_word_s=first_word,
            speech_end_s=ended.speech_end_s if ended else None,
            decided_s=ended.t if ended else turn.t,
            tail_wait_s=time.perf_counter() - t0,
            decided_wall=t0,
        )
