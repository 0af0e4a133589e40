"""One plain-data summary of a session, shared by the HTML, Markdown and JSON reports.

Everything a report shows is decided here, once: scores when score events
exist, rubric coverage otherwise; key points with their evidence; each
follow-up with the decision that caused it; who spoke when, with the pauses.
The renderers only lay it out.
"""

from __future__ import annotations

import functools

from voice_interviewer.sessions.model import DIMENSIONS, QuestionRecord, Session, Turn

PAUSE_S = 2.0  # silences at least this long are drawn and counted as pauses


@functools.lru_cache(maxsize=1)
def _bank():
    """The question bank, for key-point wording, tags and tips; None if it cannot load
    (a report must still work on a session whose questions were since renamed)."""
    from voice_interviewer.errors import UserFacingError
    from voice_interviewer.bank.questions import load_bank

    try:
        return load_bank()
    except (UserFacingError, OSError):
        return None


def bank_question(qid: str):
    bank = _bank()
    return next((q for q in bank.questions if q.id == qid), None) if bank else None


def summarize(session: Session) -> dict:
    questions = [_question(session, q) for q in session.questions]
    meta = session.meta
    return {
        "session": session.name,
        "folder": str(session.folder),
        "derived_from": meta.get("derived_from"),
        "derivation": meta.get("derivation"),
        "mode": session.mode,
        "status": session.status,
        "profile": meta.get("profile"),
        "started_at": session.started_at,
        "ended_at": meta.get("ended_at"),
        "duration_s": round(session.duration_s, 1),
        "models": meta.get("models") or {},
        "candidate": meta.get("candidate"),
        "plan": meta.get("plan") or [],
        "scores_available": session.has_scores,
        "overall": session.overall_score,
        "dimensions": session.dimension_means(),
        "covered_share": _mean([q["covered_share"] for q in questions]),
        "questions": questions,
        "timeline": timeline(session),
        "notes": list(session.notes),
        "problems": list(session.problems),
        "missing_audio": list(session.missing_audio),
        "skipped_lines": session.skipped_lines,
    }


def _mean(values) -> float | None:
    values = [v for v in values if isinstance(v, (int, float))]
    return round(sum(values) / len(values), 3) if values else None


def _question(session: Session, q: QuestionRecord) -> dict:
    bq = bank_question(q.question_id)
    score = q.score or {}
    key_points = _key_points(q, bq)
    return {
        "number": q.number,
        "question_id": q.question_id,
        "question": q.text or (bq.question if bq else ""),
        "stage": q.stage,
        "track": bq.track if bq else None,
        "tags": list(bq.tags) if bq else [],
        "time_box_s": q.time_box_s,
        "finished": q.finished,
        "scores": {d: score["scores"][d] for d in DIMENSIONS
                   if isinstance(score.get("scores", {}).get(d), (int, float))} or None,
        "scorer": score.get("scorer"),
        "covered_share": q.covered_share,
        "key_points": key_points,
        "missed": [k["text"] for k in key_points if k["status"] == "missed"],
        "turns": [turn_summary(t) for t in q.turns],
        "follow_ups": _follow_ups(q),
        "moved_on_because": next((d.get("reason") for d in reversed(q.decisions) if d.get("action") == "move_on"), None),
        "habits": score.get("habits") or [],
        "delivery": score.get("delivery") or {},
        "tips": _tips(score, key_points, bq),
        "tips_source": "scoring" if score.get("tips") else "rubric",
    }


def _key_points(q: QuestionRecord, bq) -> list[dict]:
    """From the score event when there is one (it has wording and timed evidence), else coverage."""
    texts = {k.id: k.text for k in bq.key_points} if bq else {}
    if q.score and q.score.get("key_points"):
        out = []
        for k in q.score["key_points"]:
            ev = k.get("evidence") or {}
            out.append({"key_point": k.get("key_point"), "text": k.get("text") or texts.get(k.get("key_point"), k.get("key_point")),
                        "status": k.get("status", "missed"), "evidence": ev.get("text") if isinstance(ev, dict) else ev,
                        "evidence_turn": ev.get("turn") if isinstance(ev, dict) else None,
                        "evidence_start": ev.get("start") if isinstance(ev, dict) else None})
        return out
    cov = q.final_coverage or {}
    return [{"key_point": p.get("key_point"), "text": texts.get(p.get("key_point"), p.get("key_point")),
             "status": p.get("status", "missed"), "evidence": p.get("evidence"), "evidence_turn": None,
             "evidence_start": None, "similarity": p.get("similarity"), "keywords": p.get("keywords") or []}
            for p in cov.get("points") or []]


def turn_summary(t: Turn) -> dict:
    e = t.event
    return {"index": t.index, "speaker": t.speaker, "kind": t.kind, "start": round(t.start, 2), "end": round(t.end, 2),
            "spoken_at": round(t.spoken_at, 2),
            "text": t.text, "audio": t.audio, "audio_missing": t.audio_missing, "end_reason": e.get("end_reason"),
            "first_word_s": e.get("first_word_s"), "source": e.get("source"), "stt_model": e.get("stt_model")}


def _follow_ups(q: QuestionRecord) -> list[dict]:
    """Pair each follow-up line with the decision that led to it: they come in the same order."""
    asked = [t for t in q.turns if t.speaker == "interviewer" and t.kind == "follow_up"]
    why = [d for d in q.decisions if d.get("action") != "move_on"]
    out = []
    for i, t in enumerate(asked):
        d = why[i] if i < len(why) else {}
        out.append({"text": t.text, "at": round(t.start, 2), "action": d.get("action"), "key_point": d.get("key_point"),
                    "reason": d.get("reason") or "(the decision line was not recorded)",
                    "source": t.event.get("source"), "rejected": t.event.get("rejected") or None})
    return out


def _tips(score: dict, key_points: list[dict], bq) -> list[str]:
    if score.get("tips"):
        return [str(t) for t in score["tips"]]
    tips = []  # without scoring: what the rubric alone can say
    missed = [k["text"] for k in key_points if k["status"] == "missed"]
    partial = [k["text"] for k in key_points if k["status"] == "partial"]
    if missed:
        tips.append("Not covered: " + "; ".join(missed))
    if partial:
        tips.append("Only touched on: " + "; ".join(partial))
    if bq and bq.common_mistakes:
        tips.append("Common mistake to avoid: " + bq.common_mistakes[0])
    return tips


def speech_spans(t: Turn) -> list[tuple[float, float]]:
    """When sound was actually spoken in a turn: the interviewer's whole line, the
    candidate's transcript segments (turn-relative times), else first word to last."""
    if t.speaker == "interviewer":
        return [(t.start, t.end)] if t.end > t.start else []
    spans = [(t.start + float(s["start"]), t.start + float(s["end"])) for s in t.segments
             if isinstance(s.get("start"), (int, float)) and isinstance(s.get("end"), (int, float)) and s["end"] > s["start"]]
    if spans:
        return spans
    first, last = t.event.get("first_word_s"), t.event.get("speech_end_s")
    if isinstance(first, (int, float)) and isinstance(last, (int, float)) and last > first:
        return [(t.start + first, t.start + last)]
    return []


def timeline(session: Session) -> dict:
    spans = [{"speaker": t.speaker, "start": round(a, 2), "end": round(b, 2), "turn": t.index,
              "question_id": t.question_id}
             for t in session.turns for a, b in speech_spans(t)]
    listening = [{"start": round(t.start, 2), "end": round(t.end, 2), "turn": t.index}
                 for t in session.turns if t.speaker == "candidate"]
    ordered = sorted(spans, key=lambda s: s["start"])
    pauses, last_end = [], None
    for s in ordered:
        if last_end is not None and s["start"] - last_end >= PAUSE_S:
            pauses.append({"start": last_end, "end": s["start"], "seconds": round(s["start"] - last_end, 1),
                           "before": s["speaker"]})
        last_end = max(last_end or 0.0, s["end"])
    starts = [{"question_id": q.question_id, "number": q.number, "t": q.started_t if q.started_t is not None
               else (q.turns[0].start if q.turns else None)} for q in session.questions]
    return {"spans": spans, "listening": listening, "pauses": pauses,
            "questions": [s for s in starts if s["t"] is not None],
            "end": round(max([s["end"] for s in spans] + [session.duration_s], default=0.0), 2),
            "talk_s": {side: round(sum(s["end"] - s["start"] for s in spans if s["speaker"] == side), 1)
                       for side in ("interviewer", "candidate")}}


def clock(t: float | None) -> str:
    """Seconds -> 'mm:ss' (the replay and report timestamps)."""
    if not isinstance(t, (int, float)):
        return "--:--"
    t = max(0.0, float(t))
    return f"{int(t // 60):02d}:{int(t % 60):02d}"
