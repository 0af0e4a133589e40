"""New sessions made from an old one: re-transcribed, re-scored, or re-run.

The old session is only read. Each result is a complete session folder of its
own (its audio copied in, so it can be replayed and reported alone) next to
the old one, with meta `derived_from` naming the session it came from and
`derivation` saying how it was made.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import replace
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from voice_interviewer.errors import UserFacingError
from voice_interviewer.events import AnswerScored, CandidateTurn, CoverageMeasured, Event, Note, SegmentRecord
from voice_interviewer.sessions.model import Session
from voice_interviewer.sessions.recorder import append_events, new_session_folder, write_json_atomic
from voice_interviewer.sessions.store import audio_path
from voice_interviewer.sessions.summary import bank_question


def write_derived(session: Session, events: list[Event], derivation: dict, root: Path | None = None) -> Path:
    """A new session folder holding `events`, the audio they refer to, and a linked meta.json."""
    folder = new_session_folder(Path(root) if root else session.folder.parent, session.mode)
    for rel in sorted({a for e in events if isinstance(a := getattr(e, "audio", None), str) and a}):
        src = audio_path(session, rel)
        if src is not None:  # missing audio stays missing; the report says so
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, folder / rel)  # reads the source, never writes it
    if (session.folder / "conversation.wav").is_file():
        shutil.copyfile(session.folder / "conversation.wav", folder / "conversation.wav")
    append_events(folder / "events.jsonl", events, mode="w")
    meta = {**session.meta, "mode": session.mode, "derived_from": session.name,
            "derivation": {**derivation, "at": datetime.now(timezone.utc).isoformat()}}
    meta.setdefault("status", "completed" if session.status.startswith("completed") else session.status)
    write_json_atomic(folder / "meta.json", meta)
    return folder


# --- re-transcribe -----------------------------------------------------------------
def retranscribe(session: Session, stt: str = "base", device: str = "auto", root: Path | None = None,
                 echo=print, engine=None) -> Path:
    """Speech-to-text again on every candidate recording, with coverage measured again.
    Decisions stay as they were made live; old score events are dropped (they scored the old text)."""
    from voice_interviewer.audio.files import load_audio
    from voice_interviewer.judging import coverage as cov
    from voice_interviewer.judging.embeddings import Embedder
    from voice_interviewer.listening.stt import SpeechToText, transcribe_clip, vocabulary_prompt
    from voice_interviewer.scoring.answer import transcript_of

    engine = engine or SpeechToText(stt, device=device)
    embedder = None
    answers: dict[str, list] = {}
    events, kept_old, dropped_scores = [], [], 0
    for e in session.events:
        qid = getattr(e, "question_id", None)
        bq = bank_question(qid or "")
        if isinstance(e, AnswerScored):
            dropped_scores += 1
            continue
        if isinstance(e, CandidateTurn):
            path = audio_path(session, e.audio)
            if path is None:
                kept_old.append(e.audio or f"turn at {e.start}")
            else:
                echo(f"transcribing {e.audio} with {engine.name}...")
                t = transcribe_clip(engine, load_audio(path), vocabulary_prompt(bq.vocabulary) if bq else None)
                e = replace(e, text=t.text, stt_model=engine.name, segments=SegmentRecord.from_transcript(t))
            answers.setdefault(qid, []).append(transcript_of(e))
        elif isinstance(e, CoverageMeasured) and bq is not None:
            embedder = embedder or Embedder()
            e = replace(cov.measure(bq, answers.get(qid, []), embedder), t=e.t, wall=e.wall)
        events.append(e)
    for rel in kept_old:
        events.append(Note(t=session.duration_s, wall=round(time.time(), 3),
                           text=f"{rel}: no audio, so the old transcript was kept"))
    meta_models = {**(session.meta.get("models") or {}), "stt": engine.name}
    folder = write_derived(session, events, {"kind": "retranscribe", "stt": engine.name, "kept_old_text": kept_old,
                                             "dropped_score_events": dropped_scores}, root)
    _patch_meta(folder, models=meta_models)
    return folder


def _patch_meta(folder: Path, **fields) -> None:
    meta = json.loads((folder / "meta.json").read_text())
    meta.update(fields)
    write_json_atomic(folder / "meta.json", meta)


# --- re-score ----------------------------------------------------------------------
def rescore(session: Session, root: Path | None = None, echo=print) -> Path:
    """Scores computed again by the scoring module, written into a new linked session.
    The scorer is handed the new copy, so even a scorer that writes cannot touch the original."""
    try:
        from voice_interviewer.scoring import rescore_session
    except ImportError as exc:
        raise UserFacingError("scoring is not available in this version",
                              f"reports show rubric coverage instead (voice-interviewer report SESSION); ({exc})") from exc
    from voice_interviewer.judging.embeddings import Embedder

    events = [e for e in session.events if not isinstance(e, AnswerScored)]
    folder = write_derived(session, events, {"kind": "rescore"}, root)
    try:
        scores = rescore_session(folder, Embedder())
        if not isinstance(scores, (list, tuple)) or not all(isinstance(s, AnswerScored) for s in scores):
            raise UserFacingError("the scorer returned something other than a list of score events",
                                  "this is a bug in voice_interviewer.scoring; please report it")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # ours, half made: do not leave it listed
        raise
    t_end = max((e.t for e in events), default=0.0)
    stamped = [replace(s, t=t_end, wall=round(time.time(), 3)) for s in scores]
    append_events(folder / "events.jsonl", stamped)
    echo(f"{len(stamped)} score event(s) written")
    return folder


# --- re-run --------------------------------------------------------------------------
def rerun(session: Session, llm: str = "none", stt: str | None = None, device: str = "auto",
          root: Path | None = None, echo=print) -> Path:
    """The recorded candidate audio, in order, through the whole pipeline again
    (turn detection, speech-to-text, coverage, follow-up decisions, voice)."""
    from voice_interviewer.runner import RunOptions, run_interview

    answers = [audio_path(session, t.audio) for t in session.turns if t.speaker == "candidate"]
    found = [p for p in answers if p is not None]
    if not found:
        raise UserFacingError(f"Session {session.name} has no candidate recordings to re-run",
                              "re-run works on voice sessions; typed sessions have no audio")
    if len(found) < len(answers):
        echo(f"note: {len(answers) - len(found)} candidate recording(s) are missing; the rest are played in order")
    options = session.meta.get("options") or {}
    plan = [str(q) for q in session.meta.get("plan") or []] or [q.question_id for q in session.questions]
    mode = session.mode if session.mode in ("drill", "phone-screen") else "drill"
    with tempfile.TemporaryDirectory(prefix="vi-rerun-") as tmp:
        for i, src in enumerate(found):
            shutil.copyfile(src, Path(tmp) / f"{i:03d}.wav")  # names sort in answer order
        opts = RunOptions(
            mode=mode, count=max(1, len(plan)), seconds=_number(options.get("seconds")),
            profile=session.meta.get("profile") or options.get("profile") or "netflix-mle",
            minutes=_number(options.get("minutes")) or 30, candidate_audio=Path(tmp),
            stt=stt or (session.meta.get("models") or {}).get("stt") or "tiny.en", device=device, llm=llm,
            seed=_int(options.get("seed")), question_ids=tuple(plan),
            data_root=Path(root) if root else session.folder.parent,
            patience_s=_number(options.get("patience_s")) or 2.5)
        result = run_interview(opts, echo=echo)
    folder = Path(result.session_dir)
    new_plan = json.loads((folder / "meta.json").read_text()).get("plan")
    derivation = {"kind": "rerun", "llm": llm, "stt": opts.stt, "answers": len(found), "plan_matches": new_plan == plan}
    if new_plan != plan:  # the runner plans phone screens itself (by seed), not from question ids
        echo("note: the re-run asked different questions than the original (phone screens are planned by seed)")
    _patch_meta(folder, derived_from=session.name, derivation=derivation,
                candidate=f"recorded answers from session {session.name}")
    return folder


def _number(text) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def _int(text) -> int | None:
    value = _number(text)
    return int(value) if value is not None else None
