"""Listening to one answer: microphone frames -> gain -> VAD -> turn detector -> incremental STT.

The listener owns nothing but the gain stage: the microphone, the models and
the settings come in, and one HeardAnswer (transcript, timings, the turn's
audio) comes out. Whatever happens inside a turn (an error, Ctrl-C, stop()),
the speech-to-text thread is joined before listen() returns or raises.
"""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np

from voice_interviewer.audio.clip import frames_to_samples
from voice_interviewer.audio.gain import AutoGain
from voice_interviewer.listening.onset import refine_onset
from voice_interviewer.listening.stt import IncrementalTranscriber, SpeechToText, Transcript, better_of, decode_whole
from voice_interviewer.listening.turns import (EndOfTurn, Paused, SpeechChunk, SpeechStarted, TurnDetector, TurnEnded,
                                               TurnSettings)
from voice_interviewer.listening.vad import default_detector

log = logging.getLogger(__name__)

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
    end_detail: str = ""  # why the turn ended there: "finished (p=0.91) after 0.7 s", "patience 2.5 s (p=0.10)"
    complete_prob: float | None = None  # the end-of-turn model's last verdict
    gain_db: float = 0.0  # how much the gain stage raised the microphone at the end of the turn
    chunks: tuple[SpeechChunk, ...] = ()  # the speech Whisper heard, for the whole decode after the turn
    revisable: bool = False  # a whole decode could change `transcript` (IncrementalTranscriber.revisable)


def load_end_of_turn() -> EndOfTurn | None:
    """Smart Turn's probability function, or None (patience only) when its model is missing."""
    try:
        from voice_interviewer.listening.smart_turn import SmartTurn

        return SmartTurn().complete_probability
    except Exception as exc:
        log.warning("end-of-turn model unavailable (%s); turns end after the full patience window", exc)
        return None


# Last words that say the sentence goes on, whatever the intonation sounded like: conjunctions, articles,
# possessives, prepositions that almost never end a sentence, subject pronouns, fillers. Whisper puts a full
# stop at the end of any chunk, even one cut mid-sentence, so the last word is the text's real evidence.
# Words that can end a sentence ("it", "though", "also", "does", "etc.") are left out on purpose.
_GOES_ON = set("""and but so or nor because although unless whereas whether if then than as the a an which whose
    every its their your my our of to in on for from with into onto between among toward towards via per versus
    vs like such very is are i we they he she um uh er ah""".split())


def sounds_unfinished(text: str) -> bool:
    """The running transcript ends mid-sentence: no final punctuation, a trailing "...", or a last
    word that needs more."""
    text = text.strip()
    words = re.sub(r"[^a-z' ]", " ", text.lower()).split()
    trailing_off = text.endswith(("...", "\u2026"))
    return not text or text[-1] not in ".?!" or trailing_off or not words or words[-1] in _GOES_ON


def text_aware(model: EndOfTurn, inc: IncrementalTranscriber, wait_frames: int = 20) -> EndOfTurn:
    """The model's verdict, once the transcript has caught up with the pause; 0 when the words
    themselves say the sentence goes on.

    The model hears the audio at once, while the pause's chunk is still being decoded (the two run on
    different cores), so the verdict is ready the moment the transcript is. When speech-to-text is
    still behind after wait_frames asks (0.6 s: a busy CPU, a long fluent chunk), the audio's verdict
    stands alone. Without that, a lagging transcript left the turn with no verdict, and it ended after
    the plain patience (2.5 s), cutting thinking pauses that the stretched patience protects (seen
    live with noise on a loaded 2-core machine)."""
    waited = [0]  # asks while the transcript was behind, in this pause
    # The verdict on the audio last heard: every ask in one pause hands over the same audio. Compared whole,
    # not by length and tail: past 8 s every window has the same length, and a silent tail is all zeros.
    heard: list = [None, None]

    def judge(samples: np.ndarray) -> float | None:
        if heard[0] is None or not np.array_equal(heard[0], samples):
            heard[:] = [samples, model(samples)]
        if not inc.idle and waited[0] < wait_frames:
            waited[0] += 1
            return None  # the pause's chunk is still being decoded: ask again next frame
        caught_up, waited[0] = inc.idle, 0
        return 0.0 if caught_up and sounds_unfinished(inc.partial_text) else heard[1]
    return judge


class Listener:
    """detector: None = the default (Silero); end_of_turn: "auto" = Smart Turn, None = patience only;
    gain: an AutoGain kept across turns (the microphone's level stays), None = no gain stage."""

    def __init__(self, stt: SpeechToText, detector=None, end_of_turn: EndOfTurn | str | None = "auto",
                 gain: AutoGain | None | str = "auto"):
        self.stt = stt
        self.detector = detector or default_detector()
        self.end_of_turn = load_end_of_turn() if end_of_turn == "auto" else end_of_turn
        self.gain = AutoGain() if gain == "auto" else gain

    def listen(self, frames: Iterator[bytes], settings: TurnSettings, prompt: str | None = None,
               stop: Callable[[], bool] | None = None,
               on_partial: Callable[[str], None] | None = None, lockstep: bool = False,
               on_pause: Callable[[str, float], None] | None = None,
               end_turn: Callable[[], bool] | None = None) -> HeardAnswer:
        """Blocks until the turn ends (silence, time box, "I'm done", no answer, or stop()).

        lockstep: decode each chunk before reading on; for virtual-clock sources that
        deliver audio faster than real time (a live microphone never needs it).
        on_pause(text so far, t): at every pause that commits a chunk, so work can start early.
        """
        inc = IncrementalTranscriber(self.stt, prompt)
        try:
            return self._listen(frames, settings, inc, stop, on_partial, lockstep, on_pause, end_turn)
        finally:
            inc.close()  # a no-op after finish(); after an error it joins the thread

    def _listen(self, frames, settings, inc, stop, on_partial, lockstep, on_pause, end_turn=None) -> HeardAnswer:
        turn = TurnDetector(settings, text_aware(self.end_of_turn, inc) if self.end_of_turn else None)
        heard: list[bytes] = []
        first_word = None
        ended: TurnEnded | None = None
        seen_text = ""
        try:
            for frame in frames:
                heard.append(frame)
                level = self.gain.process(frame) if self.gain else frame
                events = turn.push(level, self.detector.is_speech(level))
                if stop and stop():
                    events += turn.end("stopped")
                elif end_turn and end_turn():  # the "done" key or button (front-ends' SessionControls)
                    events += turn.end("done")
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
                    elif isinstance(ev, Paused) and on_pause:
                        on_pause(inc.partial_text, ev.t)
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
        samples = frames_to_samples(heard)
        if first_word is not None:  # a soft first syllable can open the turn late: the waveform says when
            first_word = refine_onset(samples, first_word)  # (Whisper's first-word time is clamped to its
                                                            # audio's start, the pre-roll, as often as not)
        return HeardAnswer(
            transcript=transcript,
            samples=samples,
            end_reason=ended.reason if ended else "stopped",
            first_word_s=first_word,
            speech_end_s=ended.speech_end_s if ended else None,
            decided_s=ended.t if ended else turn.t,
            tail_wait_s=time.perf_counter() - t0,
            decided_wall=t0,
            end_detail=ended.detail if ended else "",
            complete_prob=ended.complete_prob if ended else None,
            gain_db=self.gain.gain_db if self.gain else 0.0,
            chunks=tuple(inc.chunks),
            revisable=inc.revisable,
        )

    def revise(self, heard: HeardAnswer, prompt: str | None = None) -> Transcript | None:
        """The turn decoded again in one piece (run it while the interviewer speaks: it takes about as
        long as one chunk's decode, longer past 30 s of speech); None when the live transcript already
        was one whole, confident decode."""
        if not heard.revisable or not heard.chunks:
            return None
        return better_of(heard.transcript, decode_whole(self.stt, list(heard.chunks), prompt))
