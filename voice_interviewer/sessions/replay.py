"""Replaying a session: the conversation in order with timings, and optionally its audio.

While a candidate turn plays, its transcript is printed line by line as the
audio reaches each line (the turn is played in slices cut at the segment and
word times Whisper gave), so the text follows the voice. Files are only ever
opened for reading; a damaged session replays what is there and ends with
what is missing.

The functions that make a new session from an old one (re-transcribe,
re-score, re-run) live in derive.py and are re-exported here.
"""

from __future__ import annotations

from typing import Callable

import numpy as np

from voice_interviewer.events import AnswerScored, DecisionMade, Note, QuestionStarted
from voice_interviewer.errors import AudioDeviceError, AudioFileError
from voice_interviewer.sessions.derive import rerun, rescore, retranscribe  # noqa: F401  (re-exported)
from voice_interviewer.sessions.model import Session, Turn
from voice_interviewer.sessions.store import audio_path
from voice_interviewer.sessions.summary import clock

NO_AUDIO_HINT = "replay with --no-audio to print the conversation with its timings only"
LINE_WORDS = 12  # long Whisper segments are shown in lines of about this many words


def replay(session: Session, audio: bool = True, out: Callable[[str], None] = print, speaker=None) -> None:
    """Print (and play, unless audio=False) the session. `speaker` needs a play(samples, rate)
    method; by default the sound card is opened, lazily, only when audio is wanted."""
    player = (speaker or _open_speaker()) if audio else None
    out(_header(session))
    turns = {id(t.event): t for t in session.turns}
    numbers = {q.question_id: q.number for q in session.questions}
    for e in session.events:
        if isinstance(e, QuestionStarted):
            out(f"\n--- question {numbers.get(e.question_id, '?')}: {e.question_id} "
                f"({e.stage or 'drill'}, {_secs(e.time_box_s)} time box) ---")
        elif id(e) in turns:
            _replay_turn(session, turns[id(e)], player, out)
        elif isinstance(e, DecisionMade) and e.action != "move_on":
            out(f"        (follow-up, {e.action}: {e.reason})")
        elif isinstance(e, DecisionMade):
            out(f"        (moving on: {e.reason})")
        elif isinstance(e, Note):
            out(f"[{clock(e.t)}] note: {e.text}")
        elif isinstance(e, AnswerScored):
            out(f"        (score for {e.question_id}: {e.scores.overall}/5 overall)")
    if session.problems:
        out("\nwhat is missing or damaged:")
        for p in session.problems:
            out(f"  - {p}")


def _header(s: Session) -> str:
    models = s.meta.get("models") or {}
    line = f"session {s.name}: {s.mode}, {s.status}, started {s.started_at[:19].replace('T', ' ')}"
    if models:
        line += f"\n  models: speech-to-text {models.get('stt')}, voice {models.get('tts')}, follow-ups {models.get('llm')}"
    if s.meta.get("derived_from"):
        line += f"\n  derived from {s.meta['derived_from']}"
    return line


def _secs(value) -> str:
    return f"{value:.0f} s" if isinstance(value, (int, float)) else "no"


def _who(t: Turn) -> str:
    """Who spoke; a withdrawn follow-up says so, since the candidate's next turn goes on with the
    previous answer rather than answering it (the terminal has no strike-through)."""
    if t.withdrawn_s is None:
        return t.speaker
    return f"{t.speaker} (withdrawn after {t.withdrawn_s:.1f} s: the candidate went on)"


def _replay_turn(session: Session, t: Turn, player, out) -> None:
    text = t.text or ("(no answer)" if t.speaker == "candidate" else "(nothing)")
    path = audio_path(session, t.audio) if player else None
    if player is None or path is None:
        out(f"[{clock(t.spoken_at)}] {_who(t)}: {text}")
        if player is not None and t.audio:
            out(f"        (audio {t.audio} is missing)")
        return
    try:
        from voice_interviewer.audio.files import load_audio

        clip = load_audio(path)  # 16 kHz mono, read-only
    except AudioFileError as exc:
        out(f"[{clock(t.spoken_at)}] {_who(t)}: {text}")
        out(f"        (audio {t.audio} cannot be played: {exc.message})")
        return
    lines = follow_lines(t)
    if t.speaker == "interviewer" or not lines:
        out(f"[{clock(t.spoken_at)}] {_who(t)}: {text}")
        _play(player, clip.samples)
        return
    out(f"[{clock(t.spoken_at)}] {t.speaker}:")
    rate = 16000
    cuts = [max(0, int(at * rate)) for at, _ in lines] + [len(clip.samples)]
    _play(player, clip.samples[: cuts[0]])  # the thinking pause before the first word
    for (at, line), a, b in zip(lines, cuts, cuts[1:]):
        out(f"  [{clock(t.start + at)}]  {line}")
        _play(player, clip.samples[a:max(a, b)])


def follow_lines(t: Turn) -> list[tuple[float, str]]:
    """(time within the turn, text) lines to print as the audio reaches them."""
    lines = []
    for seg in t.segments:
        words = seg.words
        if len(words) > LINE_WORDS * 1.5:
            for i in range(0, len(words), LINE_WORDS):
                group = words[i:i + LINE_WORDS]
                lines.append((group[0].start, " ".join(w.text for w in group)))
        elif seg.text.strip():
            lines.append((seg.start, seg.text.strip()))
    lines.sort(key=lambda x: x[0])
    return lines


def _play(player, samples: np.ndarray) -> None:
    if len(samples) == 0:
        return
    try:
        player.play(samples, 16000)
    except AudioDeviceError as exc:
        raise AudioDeviceError(exc.message, NO_AUDIO_HINT) from exc


def _open_speaker():
    from voice_interviewer.audio.devices import SpeakerOutput

    try:
        return SpeakerOutput()
    except AudioDeviceError as exc:
        raise AudioDeviceError(f"{exc.message}, so the session cannot be played", NO_AUDIO_HINT) from exc
