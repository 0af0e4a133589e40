"""One plain-data summary of a session, shared by the HTML, Markdown and JSON reports.

Everything a report shows is decided here, once: scores when score events
exist, rubric coverage otherwise; key points with their evidence; each
follow-up with the decision that caused it; who spoke when, with the pauses.
The renderers only lay it out.
"""

from __future__ import annotations

import functools

import dataclasses

from voice_interviewer.events import CandidateTurn, LineSaid, Scores
from voice_interviewer.sessions.model import QuestionRecord, Session, Turn

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
    score = q.score
    key_points = _key_points(q, bq)
    scores = {d: score.scores.get(d) for d in Scores.DIMENSIONS if score and score.scores.get(d) is not None}
    return {
        "number": q.number,
        "question_id": q.question_id,
        "question": q.text or (bq.question if bq else ""),
        "stage": q.stage,
        "track": bq.track if bq else None,
        "tags": list(bq.tags) if bq else [],
        "time_box_s": q.time_box_s,
        "finished": q.finished,
        "scores": scores or None,
        "scorer": score.scorer if score else None,
        "covered_share": q.covered_share,
        "key_points": key_points,
        "missed": [k["text"] for k in key_points if k["status"] == "missed"],
        "wrong": [k for k in key_points if k["status"] == "wrong"],
        "turns": [turn_summary(t) for t in q.turns],
        "follow_ups": _follow_ups(q),
        "moved_on_because": next((d.reason for d in reversed(q.decisions) if d.action == "move_on"), None),
        "habits": [dataclasses.asdict(h) for h in score.habits] if score else [],
        "delivery": dict(score.delivery) if score else {},
        "flags": list(score.flags) if score else [],
        "tips": _tips(score, key_points, bq),
        "tips_source": "scoring" if score and score.tips else "rubric",
    }


def _key_points(q: QuestionRecord, bq) -> list[dict]:
    """From the score event when there is one (it has the scorer's verdicts), else the live coverage."""
    texts = {k.id: k.text for k in bq.key_points} if bq else {}
    if q.score and q.score.key_points:
        return [{"key_point": k.key_point, "text": k.text or texts.get(k.key_point, k.key_point), "status": k.status,
                 "evidence": k.evidence.text if k.evidence else None,
                 "evidence_turn": k.evidence.turn if k.evidence else None,
                 "evidence_start": k.evidence.start if k.evidence else None,
                 "reason": k.reason, "confidence": k.confidence} for k in q.score.key_points]
    cov = q.final_coverage
    return [{"key_point": p.key_point, "text": texts.get(p.key_point, p.key_point), "status": p.status,
             "evidence": p.evidence.text if p.evidence else None, "evidence_turn": p.evidence.turn if p.evidence else None,
             "evidence_start": p.evidence.start if p.evidence else None, "similarity": p.similarity,
             "keywords": list(p.keywords), "reason": p.reason} for p in (cov.points if cov else ())]


def turn_summary(t: Turn) -> dict:
    e = t.event
    said, heard = isinstance(e, LineSaid), isinstance(e, CandidateTurn)
    return {"index": t.index, "speaker": t.speaker, "kind": t.kind, "start": round(t.start, 2), "end": round(t.end, 2),
            "spoken_at": round(t.spoken_at, 2),
            "text": t.text, "audio": t.audio, "audio_missing": t.audio_missing,
            "end_reason": e.end_reason if heard else None, "first_word_s": e.first_word_s if heard else None,
            "source": e.source if said else None, "stt_model": e.stt_model if heard else None,
            "heard_s": e.heard_s if said else None, "withdrawn_s": t.withdrawn_s}


def _follow_ups(q: QuestionRecord) -> list[dict]:
    """Pair each follow-up line with the decision that led to it: they come in the same order. A withdrawn
    line had its decision too, but it was not asked (the candidate was still answering)."""
    said = [t for t in q.turns if t.speaker == "interviewer" and t.kind in ("follow_up", "challenge")]
    why = [d for d in q.decisions if d.action != "move_on"]
    asked = [(t, why[i] if i < len(why) else None) for i, t in enumerate(said) if t.withdrawn_s is None]
    out = []
    for t, d in asked:
        out.append({"text": t.text, "at": round(t.start, 2), "action": d.action if d else None,
                    "key_point": d.key_point if d else None,
                    "reason": (d.reason if d else "") or "(the decision line was not recorded)",
                    "source": t.event.source, "rejected": t.event.rejected or None})
    return out


def _tips(score, key_points: list[dict], bq) -> list[str]:
    if score and score.tips:
        return list(score.tips)
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
    spans = [(t.start + s.start, t.start + s.end) for s in t.segments if s.end > s.start]
    if spans:
        return spans
    first, last = t.event.first_word_s, t.event.speech_end_s
    if first is not None and last is not None and last > first:
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


def text_summary(data: dict) -> str:
    """The end-of-session table for the terminal: scores per question, averages, best and worst, tips."""
    rows = [q for q in data["questions"] if q["scores"]]
    if not rows:
        return "No answers were scored."
    dims, widths = Scores.DIMENSIONS, (8, 7, 6, 8)
    head = f"{'question':40} {'content':>8} {'reason':>7} {'deliv':>6} {'overall':>8}"
    lines = [head, "-" * len(head)]
    for q in rows:
        lines.append(f"{q['question_id']:40} " + " ".join(f"{_fmt(q['scores'].get(d)):>{w}}" for d, w in zip(dims, widths)))
    lines.append(f"{'average':40} " + " ".join(f"{_fmt(data['dimensions'].get(d)):>{w}}" for d, w in zip(dims, widths)))
    ranked = sorted(rows, key=lambda q: q["scores"].get("overall") or 0.0)
    if len(ranked) > 1:
        n = min(2, len(ranked) // 2 or 1)
        lines += ["", "strongest: " + ", ".join(q["question_id"] for q in reversed(ranked[-n:])),
                  "weakest:   " + ", ".join(q["question_id"] for q in ranked[:n])]
    tips = list(dict.fromkeys(q["tips"][0] for q in ranked if q["tips"]))[:3]  # from the weakest answers first
    lines += ["", "three tips that matter most:"] + [f"  {i + 1}. {t}" for i, t in enumerate(tips)]
    return "\n".join(lines)


def _fmt(v) -> str:
    return "-" if v is None else f"{v:.1f}"
