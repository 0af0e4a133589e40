"""How the interviewer and the candidate reach each other.

AudioChannel: the interviewer speaks through TTS to an output (speaker or the
virtual device) and hears through the listener (microphone or wav files).
TextChannel: lines are printed and the candidate types.
"""

from __future__ import annotations

import concurrent.futures as cf
import sys
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np

from voice_interviewer.interfaces import AudioSink, AudioSource, PlayResult, Voice
from voice_interviewer.listening.listener import HeardAnswer, Listener
from voice_interviewer.listening.stt import Segment, Transcript
from voice_interviewer.listening.turns import TurnSettings


@dataclass(frozen=True, eq=False)
class SpokenLine:
    audio: np.ndarray  # what was played (all of it, or up to the barge-in)
    rate: int
    first_audio_wall: float  # time.perf_counter() when the first audio went to the output
    heard_s: float | None = None  # set when the candidate cut in: how much of the line was played


class AudioChannel:
    def __init__(self, audio_in: AudioSource, audio_out: AudioSink, tts: Voice, listener: Listener, lockstep: bool,
                 echo=print):
        self.audio_in, self.audio_out = audio_in, audio_out
        self.tts, self.listener, self.lockstep = tts, listener, lockstep
        self._frames = audio_in.frames()
        self._barged_in = False
        self.echo = echo
        self._prefetch = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="tts-prefetch")

    def prepare(self, texts: list[str]) -> None:
        """Synthesise lines we will probably say soon (the next question, transitions) in the background."""
        self._prefetch.submit(self.tts.warm, texts)

    def close(self) -> None:
        self._prefetch.shutdown(wait=True)  # no synthesis may outlive the session

    @property
    def exhausted(self) -> bool:
        """True when a scripted candidate (wav files) has nothing left to say."""
        return getattr(self.audio_in, "out_of_answers", False)

    def say(self, text: str, on_first_audio: Callable[[], None] | None = None) -> SpokenLine:
        """Speak sentence by sentence, stopping if the candidate cuts in (sinks that can tell).
        on_first_audio: called as the first sound goes out (the CPU is free again from then on)."""
        self.echo(f"\ninterviewer: {text}")
        first, pieces, heard_s = None, [], None
        self._barged_in = False
        for piece in self.tts.stream(text):
            if first is None:
                first = time.perf_counter()
                if on_first_audio:
                    on_first_audio()
            result = self.audio_out.play(piece.samples, piece.rate)
            if isinstance(result, PlayResult) and result.interrupted:
                played = piece.samples[: int(result.played_s * piece.rate)]
                pieces.append(played)
                heard_s = sum(len(p) for p in pieces) / piece.rate
                self._barged_in = True
                break
            pieces.append(piece.samples)
        audio = np.concatenate(pieces) if pieces else np.zeros(0, np.int16)
        return SpokenLine(audio, self.tts.rate, first or time.perf_counter(), heard_s)

    def hear(self, settings: TurnSettings, prompt: str | None, on_partial=None, controls=None) -> HeardAnswer:
        # Drop what the mic caught while we spoke: never hear our own voice. After a barge-in the candidate's
        # first words are in the source: a plain source keeps them by not being flushed, the duplex device
        # (flush_keeps_onset) must be flushed, as that is what hands the kept onset on to the listener.
        if not self._barged_in or getattr(self.audio_in, "flush_keeps_onset", False):
            self.audio_in.flush()
        self._barged_in = False
        heard = self.listener.listen(self._frames, settings, prompt, on_partial=on_partial, lockstep=self.lockstep,
                                     stop=(lambda: controls.stopped) if controls else None,
                                     end_turn=controls.take_end_turn if controls else None)
        self.echo(f"candidate: {heard.transcript.text or '(no answer)'}   [{heard.end_reason}]")
        return heard

    def revise(self, heard: HeardAnswer, prompt: str | None) -> Transcript | None:
        """The answer decoded again in one piece (the interview calls this on its own thread)."""
        return self.listener.revise(heard, prompt)


class TextChannel:
    """Typed answers: an empty line or /skip moves on, /quit ends the session."""

    exhausted = False

    def __init__(self, read=input, echo=print):
        self.read, self.echo = read, echo

    def prepare(self, texts: list[str]) -> None:
        pass

    def close(self) -> None:
        pass

    def say(self, text: str, on_first_audio: Callable[[], None] | None = None) -> SpokenLine:
        self.echo(f"\ninterviewer: {text}")
        return SpokenLine(np.zeros(0, np.int16), 16000, time.perf_counter())

    def hear(self, settings: TurnSettings, prompt: str | None, on_partial=None, controls=None) -> HeardAnswer:
        t0 = time.monotonic()
        try:
            text = self.read("you> ").strip()
        except EOFError:  # the input ran out (a pipe, or Ctrl-D): a normal end, not an interruption
            return HeardAnswer(Transcript("", (), "typed"), np.zeros(0, np.int16), "end_of_input", None, None, 0.0, 0.0)
        if text == "/quit":
            raise KeyboardInterrupt
        took = time.monotonic() - t0
        reason = "no_answer" if text in ("", "/skip") else ("time_box" if took > settings.time_box_s else "done")
        text = "" if text == "/skip" else text
        segs = (Segment(text, 0.0, took),) if text else ()
        return HeardAnswer(Transcript(text, segs, "typed"), np.zeros(0, np.int16), reason,
                           0.0 if text else None, took if text else None, took, 0.0)


def print_to_stderr(line: str) -> None:
    print(line, file=sys.stderr, flush=True)
