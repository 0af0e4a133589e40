"""Which rubric key points an answer covers, and where in the transcript.

Two signals: the key point's keywords (what people actually say when they
cover it) and the meaning of the closest stretch of the answer (MiniLM
cosine between the key point text and sliding windows of the transcript).
Either signal alone can be fooled (keyword stuffing; a fluent answer on the
wrong topic), so "covered" needs a strong signal or two weak ones agreeing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from voice_interviewer.bank.questions import KeyPoint, Question
from voice_interviewer.listening.stt import Transcript

COVERED, PARTIAL, MISSED = "covered", "partial", "missed"
WINDOW_WORDS, STRIDE = 18, 6


@dataclass(frozen=True)
class Span:
    text: str
    start_s: float | None
    end_s: float | None
    turn: int = 0  # which candidate turn (0 = the answer, 1.. = follow-up answers)


@dataclass(frozen=True)
class KeyPointCoverage:
    key_point: str
    status: str  # covered | partial | missed
    score: float  # 0..1, used to pick the weakest point
    similarity: float
    keywords_heard: tuple[str, ...]
    evidence: Span | None


@dataclass(frozen=True)
class Coverage:
    question_id: str
    points: tuple[KeyPointCoverage, ...]

    @property
    def covered_share(self) -> float:
        if not self.points:
            return 0.0
        return sum(1.0 if p.status == COVERED else 0.5 if p.status == PARTIAL else 0.0 for p in self.points) / len(self.points)


def normalize(text: str) -> str:
    text = text.lower().replace("%", " percent").replace("-", " ").replace("/", " ")
    return " " + re.sub(r"[^a-z0-9. ]+", " ", re.sub(r"\s+", " ", text)).replace(".", " ") + " "


def keywords_heard(kp: KeyPoint, text: str) -> tuple[str, ...]:
    norm = normalize(text)
    return tuple(k for k in kp.keywords if f" {normalize(k).strip()} " in norm)


def windows(transcript: Transcript | str, turn: int = 0) -> list[Span]:
    """Overlapping stretches of about 18 words, with times where the words have them."""
    if isinstance(transcript, str):
        words = [(w, None, None) for w in transcript.split()]
    else:
        words = [(w.text, w.start, w.end) for w in transcript.words] or [(w, None, None) for w in transcript.text.split()]
    if not words:
        return []
    spans = []
    for i in range(0, max(1, len(words) - WINDOW_WORDS + STRIDE), STRIDE):
        chunk = words[i : i + WINDOW_WORDS]
        spans.append(Span(" ".join(w for w, _, _ in chunk), chunk[0][1], chunk[-1][2], turn))
    return spans


def measure(question: Question, transcript: Transcript | str | list, embedder=None) -> Coverage:
    """Coverage of one answer, or of several turns (answer plus follow-up answers) together."""
    from voice_interviewer.judging.embeddings import shared_embedder

    turns = transcript if isinstance(transcript, list) else [transcript]
    text = " ".join(t if isinstance(t, str) else t.text for t in turns)
    spans = [span for i, t in enumerate(turns) for span in windows(t, i)]
    embedder = embedder or shared_embedder()
    points = []
    if spans:
        kp_vecs = embedder.embed([k.text for k in question.key_points])
        span_vecs = embedder.embed([s.text for s in spans])
        sims = kp_vecs @ span_vecs.T
    for i, kp in enumerate(question.key_points):
        heard = keywords_heard(kp, text)
        if not spans:
            points.append(KeyPointCoverage(kp.id, MISSED, 0.0, 0.0, (), None))
            continue
        j = int(sims[i].argmax())
        sim = float(sims[i, j])
        points.append(KeyPointCoverage(kp.id, _status(sim, len(heard)), _score(sim, len(heard)), sim, heard,
                                       spans[j] if sim >= 0.35 or heard else None))
    return Coverage(question.id, tuple(points))


def _status(sim: float, hits: int) -> str:
    if sim >= 0.62 or hits >= 3 or (sim >= 0.45 and hits >= 1) or (sim >= 0.38 and hits >= 2):
        return COVERED
    if sim >= 0.40 or hits >= 1:
        return PARTIAL
    return MISSED


def _score(sim: float, hits: int) -> float:
    return max(0.0, min(1.0, 0.7 * max(0.0, sim) + 0.15 * min(hits, 2)))
