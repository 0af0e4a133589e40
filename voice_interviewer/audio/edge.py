"""The device-independent heart of duplex audio: clean the mic, spot barge-in, keep the onset.

Both the live duplex device (audio/duplex.py) and the virtual device (audio/virtual.py)
push what the speaker played (`played`) and what the microphone heard (`captured`, 16 kHz)
through one EdgeProcessor. It cancels the echo with the played audio as the reference,
cuts the result into 30 ms frames, and while the interviewer is speaking watches those
frames with a speech detector: enough voiced time in a short window is the candidate
cutting in. The frames from just before that onset are kept for the listener, so the
first words of an interruption are not lost.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

import numpy as np

from voice_interviewer.audio.clip import FRAME_MS, FRAME_SAMPLES, SAMPLE_RATE

_FRAME_S = FRAME_MS / 1000


@dataclass(frozen=True)
class EdgeSettings:
    mode: str = "speaker"  # "speaker": cancel the echo, allow barge-in; "headphones": neither, flush after speaking
    barge_in_voiced_s: float = 0.09  # voiced time within the window that counts as the candidate cutting in
    barge_in_window_s: float = 0.24
    keep_before_onset_s: float = 0.30  # audio kept from before the onset: the first syllable
    # A fresh canceller leaks while it learns the echo path: in bursts of up to ~0.4 s, until it has heard
    # about 2.5 s of the interviewer's voice (29 lines, fresh canceller each, virtual 300 ms echo; one kept
    # across lines never leaked); 3 s leaves a margin. Until then its leaks would look like the candidate
    # cutting in, so no barge-in: in a session that is the first seconds of the introduction.
    canceller_warmup_s: float = 3.0

    def __post_init__(self):
        if self.mode not in ("speaker", "headphones"):
            raise ValueError(f"audio mode must be 'speaker' or 'headphones', not {self.mode!r}")


class BargeInWatch:
    """push(clean frame) -> True on the frame where the candidate's speech is clear enough to stop for."""

    def __init__(self, detector, settings: EdgeSettings):
        self._detector = detector
        self._need = round(settings.barge_in_voiced_s / _FRAME_S)
        self._window: deque[bool] = deque(maxlen=max(1, round(settings.barge_in_window_s / _FRAME_S)))

    def reset(self) -> None:
        self._window.clear()
        if hasattr(self._detector, "reset"):
            self._detector.reset()

    def forget(self) -> None:
        """Clear the window, keeping the detector's state (it follows the audio all along)."""
        self._window.clear()

    def push(self, frame: bytes) -> bool:
        self._window.append(bool(self._detector.is_speech(frame)))
        return sum(self._window) >= self._need

    @property
    def voiced_frames(self) -> int:
        """How many frames of the window were voiced: the onset lies that far back, at least."""
        return len(self._window)


class EdgeProcessor:
    def __init__(self, cleaner=None, detector=None, settings: EdgeSettings = EdgeSettings()):
        """cleaner: audio.echo.MicCleaner (None: the mic is used as it comes); detector: for barge-in
        (None: no barge-in). Headphones mode uses neither."""
        self.settings = settings
        speaker = settings.mode == "speaker"
        self._cleaner = cleaner if speaker else None
        self._watch = BargeInWatch(detector, settings) if (speaker and detector is not None) else None
        self._pending = np.zeros(0, np.int16)
        self.frames: deque[bytes] = deque()  # clean frames waiting for the listener
        self.playing = False
        self.barged_in = False
        self._onset_at: int | None = None  # index into self.frames where kept audio begins
        self.onset_frames_total = 0  # frames captured since playback started, at the onset
        self._far_heard_s = 0.0  # how much of the interviewer's voice the canceller has had to learn from
        self._stale = False  # the canceller's echo path moved (a stopped line): restart it before the next

    @property
    def can_barge_in(self) -> bool:
        return self._watch is not None

    def start_playing(self) -> None:
        if not self.playing and self._watch:
            self._watch.reset()
        if self._stale and not self.playing:  # the echo path moved when the last line was stopped
            self._cleaner.restart()
            self._stale = False
            self._far_heard_s = 0.0  # fresh: no barge-in until it knows the room again
        self.playing = True

    def stop_playing(self) -> None:
        self.playing = False

    def played(self, samples: np.ndarray) -> None:
        """What the speaker is playing now (silence included), 16 kHz: the echo reference."""
        if self._cleaner is not None:
            self._cleaner.far(samples)
            if self._far_heard_s < self.settings.canceller_warmup_s and np.any(samples):
                self._far_heard_s += len(samples) / SAMPLE_RATE

    def discarded(self, samples: int) -> None:
        """The newest `samples` (16 kHz) of what played() reported never reached the speaker: a stopped
        line's device buffer. Kept in the reference they would put every later echo that much earlier
        than its reference (live: 0.2 s; the canceller then passed the echo on at full level, each such
        leak stopped the next line, and the delay was never learnt again). Even taken back, the
        restarted stream's timing is only known to a few ms, and a canceller that had settled on a
        pure-delay echo path let the next line through at 0 dB after a 3 ms shift, for 4 s and more.
        So the next line gets a fresh canceller (see start_playing); this one stays until then, because
        it still cancels the stopped line's own echo tail, which a fresh one would pass on into the
        candidate's words."""
        if self._cleaner is not None:
            self._cleaner.retract(samples)
            self._stale = True

    def captured(self, samples: np.ndarray) -> bool:
        """The microphone, 16 kHz; returns True when this block holds a barge-in onset."""
        clean = self._cleaner.near(samples) if self._cleaner is not None else np.asarray(samples, np.int16)
        self._pending = np.concatenate([self._pending, clean])
        onset = False
        while len(self._pending) >= FRAME_SAMPLES:
            frame = self._pending[:FRAME_SAMPLES].astype("<i2").tobytes()
            self._pending = self._pending[FRAME_SAMPLES:]
            self.frames.append(frame)
            if self.playing and self._watch and not self.barged_in and self._cut_in(frame):
                self.barged_in = onset = True
                back = self._watch.voiced_frames + round(self.settings.keep_before_onset_s / _FRAME_S)
                self._onset_at = max(0, len(self.frames) - back)
        return onset

    def _cut_in(self, frame: bytes) -> bool:
        """Feed the barge-in watch; a canceller still learning the room gives no evidence."""
        heard = self._watch.push(frame)
        if self._cleaner is None or self._far_heard_s >= self.settings.canceller_warmup_s:
            return heard
        self._watch.forget()  # a leak heard while learning must not count the moment it is warm
        return False

    def flush(self) -> None:
        """The listener takes the turn: drop what was heard while the interviewer spoke (its own
        voice), except an interruption's onset and everything after it."""
        if self.barged_in and self._onset_at is not None:
            for _ in range(min(self._onset_at, len(self.frames))):
                self.frames.popleft()
        else:
            self.frames.clear()
        self.barged_in = False
        self._onset_at = None
