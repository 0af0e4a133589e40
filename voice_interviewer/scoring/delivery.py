"""Delivery, measured from audio timings and words rather than from text alone.

Filler counts are a lower bound: Whisper leaves out many "um"s and "uh"s.
"""

from __future__ import annotations

import re

from voice_interviewer.events import CandidateTurn

FILLERS = re.compile(r"^(um+|uh+|erm+|er|hmm+|mm+|ah+)$", re.I)
FILLER_PHRASES = re.compile(r"\b(you know|i mean|sort of|kind of|basically|like,)\b", re.I)
HEDGES = re.compile(r"\b(i think|i guess|maybe|probably|i'?m not sure|not sure|perhaps|i believe|might be|sort of|kind of)\b", re.I)
LONG_PAUSE_S = 2.0
NOTE = "filler counts are a lower bound: Whisper drops most ums and uhs (docs/benchmarks.md, bench_fillers)"


def delivery_stats(turns: tuple[CandidateTurn, ...], time_box_s: float) -> dict:
    spoken = [t for t in turns if t.text and not t.typed]
    words = [w for t in spoken for w in t.words]
    talk_s = sum((t.speech_end_s or 0) - (t.first_word_s or 0) for t in spoken if t.first_word_s is not None)
    pauses = [b.start - a.end for t in spoken for a, b in zip(t.words, t.words[1:]) if b.start - a.end >= LONG_PAUSE_S]
    text = " ".join(t.text for t in spoken)
    fillers = sum(bool(FILLERS.match(w.text.strip(".,?!"))) for w in words) + len(FILLER_PHRASES.findall(text))
    n_words = len(words) or len(text.split())
    first = turns[0].first_word_s if turns else None
    return {
        "words": n_words,
        "talk_s": round(talk_s, 1),
        "wpm": round(n_words / talk_s * 60, 1) if talk_s > 1 else None,
        "long_pauses": len(pauses),
        "longest_pause_s": round(max(pauses), 1) if pauses else 0.0,
        "time_to_first_word_s": round(first, 1) if first is not None else None,
        "time_box_s": time_box_s,
        "used_share": round(talk_s / time_box_s, 2) if time_box_s else None,
        "ran_over": any(t.end_reason == "time_box" for t in turns),
        "fillers": fillers,
        "filler_rate_per_min": round(fillers / talk_s * 60, 1) if talk_s > 1 else 0.0,
        "hedges": len(HEDGES.findall(text)),
        "note": NOTE,
    }


def delivery_score(stats: dict) -> tuple[float, list[str]]:
    """5 minus capped deductions; returns the reasons, worst first, for the tips."""
    if not stats["words"]:
        return 0.0, ["say something, even a first guess: silence scores nothing"]
    cuts: list[tuple[float, str]] = []
    wpm = stats["wpm"]
    if wpm and wpm < 100:
        cuts.append((1.0, f"you spoke at {wpm:.0f} words a minute; aim for 120-170 so the answer keeps moving"))
    if wpm and wpm > 190:
        cuts.append((1.0, f"you spoke at {wpm:.0f} words a minute; slow down to 120-170 so every point lands"))
    if stats["long_pauses"] > 1:
        cuts.append((min(1.5, 0.5 * (stats["long_pauses"] - 1)),
                     f"{stats['long_pauses']} pauses over {LONG_PAUSE_S:.0f} s mid-answer; bridge them by saying what you are weighing"))
    if stats["filler_rate_per_min"] > 6:
        cuts.append((1.0 if stats["filler_rate_per_min"] <= 12 else 1.5,
                     f"about {stats['filler_rate_per_min']:.0f} fillers a minute (at least); a silent pause sounds more confident"))
    if stats["hedges"] > 3:
        cuts.append((0.5, f"{stats['hedges']} hedges ('I think', 'maybe'); commit to a position and give the reason"))
    if stats["ran_over"]:
        cuts.append((1.0, "you ran out of time; lead with the answer, then add detail"))
    elif stats["used_share"] is not None and stats["used_share"] < 0.15:
        cuts.append((1.0, "very short answer for the time you had; add the why and an example"))
    if (stats["time_to_first_word_s"] or 0) > 10:
        cuts.append((0.5, f"{stats['time_to_first_word_s']:.0f} s before your first word; think out loud instead"))
    score = max(0.0, 5.0 - sum(c for c, _ in cuts))
    return round(score, 1), [why for _, why in sorted(cuts, reverse=True)]
