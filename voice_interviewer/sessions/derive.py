"""New sessions made from an old one: re-transcribed, re-scored, or re-run.

The old session is only read. Each result is a complete session folder of its
own (its audio copied in, so it can be replayed and reported alone) next to
the old one, with meta `derived_from` naming the session it came from and
`derivation` saying how it was made.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

from voice_interviewer.errors import UserFacingError
from voice_interviewer.sessions.model import Session
from voice_interviewer.sessions.store import audio_path
from voice_interviewer.sessions.summary import bank_question


def _new_folder(root: Path, mode: str) -> Path:
    """Named like the recorder's folders (UTC stamp, then mode), so listing sorts them in."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%S")
    base = root / f"{stamp}-{mode}"
    folder, n = base, 1
    while folder.exists():
        n += 1
        folder = base.with_name(f"{base.name}-{n}")
    (folder / "audio").mkdir(parents=True)
    return folder


def _write_json(path: Path, data: dict) -> None:
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str))
    tmp.replace(path)  # atomic, as the recorder does


def _write_events(path: Path, events: list[dict], mode: str = "w") -> None:
    with open(path, mode, encoding="utf-8") as f:
        for e in events:
            f.write(json.dumps(e, default=str) + "\n")


def write_derived(session: Session, events: list[dict], derivation: dict, root: Path | None = None) -> Path:
    """A new session folder holding `events`, the audio they refer to, and a linked meta.json."""
    folder = _new_folder(Path(root) if root else session.folder.parent, session.mode)
    for rel in sorted({e["audio"] for e in events if isinstance(e.get("audio"), str)}):
        src = audio_path(session, rel)
        if src is not None:  # missing audio stays missing; the report says so
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, folder / rel)  # reads the source, never writes it
    if (session.folder / "conversation.wav").is_file():
        shutil.copyfile(session.folder / "conversation.wav", folder / "conversation.wav")
    _write_events(folder / "events.jsonl", events)
    meta = {**session.meta, "mode": session.mode, "derived_from": session.name,
            "derivation": {**derivation, "at": datetime.now(timezone.utc).isoformat()}}
    meta.setdefault("status", "completed" if session.status.startswith("completed") else session.status)
    _write_json(folder / "meta.json", meta)
    return folder


# --- re-transcribe -----------------------------------------------------------------
def retranscribe(session: Session, stt: str = "base", device: str = "auto", root: Path | None = None,
                 echo=print, engine=None) -> Path:
    """Speech-to-text again on every candidate recording, with coverage measured again.
    Decisions stay as they were made live; old score events are dropped (they scored the old text)."""
    from voice_interviewer.judging import coverage as cov
    from voice_interviewer.audio.files import load_audio
    from voice_interviewer.listening.stt import SpeechToText, transcribe_clip, vocabulary_prompt

    engine = engine or SpeechToText(stt, device=device)
    answers: dict[str, list[str]] = {}
    events, kept_old, dropped_scores = [], [], 0
    for e in session.events:
        qid, bq = e.get("question_id"), bank_question(e.get("question_id") or "")
        if e.get("type") == "score":
            dropped_scores += 1
            continue
        if e.get("type") == "candidate_turn":
            path = audio_path(session, e.get("audio"))
            if path is None:
                kept_old.append(e.get("audio") or f"turn at {e.get('start')}")
            else:
                echo(f"transcribing {e['audio']} with {engine.name}...")
                t = transcribe_clip(engine, load_audio(path), vocabulary_prompt(bq.vocabulary) if bq else None)
                e = {**e, "text": t.text, "stt_model": engine.name, "segments": _segments(t)}
            answers.setdefault(qid, []).append(e.get("text") or "")
        elif e.get("type") == "coverage" and bq is not None:
            m = cov.measure(bq, " ".join(answers.get(qid, [])))
            e = {**e, "covered_share": round(m.covered_share, 3), "points": _points(m)}
        events.append(e)
    for rel in kept_old:
        events.append({"t": session.duration_s, "wall": round(time.time(), 3), "type": "note",
                       "text": f"{rel}: no audio, so the old transcript was kept"})
    meta_models = {**(session.meta.get("models") or {}), "stt": engine.name}
    folder = write_derived(session, events, {"kind": "retranscribe", "stt": engine.name, "kept_old_text": kept_old,
                                             "dropped_score_events": dropped_scores}, root)
    _patch_meta(folder, models=meta_models)
    return folder


def _segments(t) -> list[dict]:
    """The same shape interview.py records."""
    return [{"text": s.text, "start": s.start, "end": s.end,
             "words": [[w.text, round(w.start, 2), round(w.end, 2)] for w in s.words]} for s in t.segments]


def _points(m) -> list[dict]:
    return [{"key_point": p.key_point, "status": p.status, "similarity": round(p.similarity, 3),
             "keywords": list(p.keywords_heard), "evidence": p.evidence.text if p.evidence else None} for p in m.points]


def _patch_meta(folder: Path, **fields) -> None:
    meta = json.loads((folder / "meta.json").read_text())
    meta.update(fields)
    _write_json(folder / "meta.json", meta)


# --- re-score ----------------------------------------------------------------------
def rescore(session: Session, root: Path | None = None, echo=print) -> Path:
    """Scores computed again by the scoring module, written into a new linked session.
    The scorer is handed the new copy, so even a scorer that writes cannot touch the original."""
    try:
        from voice_interviewer.scoring import rescore_session
    except ImportError as exc:
        raise UserFacingError("scoring is not available in this version",
                              f"reports show rubric coverage instead (voice-interviewer report SESSION); ({exc})") from exc
    events = [e for e in session.events if e.get("type") != "score"]
    folder = write_derived(session, events, {"kind": "rescore"}, root)
    try:
        scores = rescore_session(folder)
        if not isinstance(scores, (list, tuple)) or not all(isinstance(s, dict) for s in scores):
            raise UserFacingError("the scorer returned something other than a list of score events",
                                  "this is a bug in voice_interviewer.scoring; please report it")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # ours, half made: do not leave it listed
        raise
    t_end = max((float(e.get("t", 0) or 0) for e in events), default=0.0)
    stamped = [{"t": t_end, "wall": round(time.time(), 3), **s, "type": "score"} for s in scores]
    _write_events(folder / "events.jsonl", stamped, mode="a")
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
