"""Which rubric key points an answer covers, and where in the transcript.

Two signals: the key point's keywords (what people actually say when they
cover it) and the meaning of the closest stretch of the answer (MiniLM
cosine between the key point text and sliding windows of the transcript).
Either signal alone can be fooled (keyword stuffing; a fluent answer on the
wrong topic), so "covered" needs a strong signal or two weak ones agreeing.

Neither signal can tell "L1 gives exact zeros" from "L2 gives exact zeros", so the
bank's known wrong ideas are checked first, with the careful judge's own cues
(regular expressions: microseconds). A point stated wrongly is "wrong", with the
words quoted as evidence and how sure the cue is: the policy may challenge it.
"""

from __future__ import annotations

import re

from voice_interviewer.bank.questions import KeyPoint, Question
from voice_interviewer.events import CoverageMeasured, Evidence, PointCoverage
from voice_interviewer.interfaces import Embedder
from voice_interviewer.judging import textchecks as tc
from voice_interviewer.judging.judge import WrongHit, find_wrong
from voice_interviewer.listening.stt import Transcript

COVERED, PARTIAL, MISSED, WRONG = "covered", "partial", "missed", "wrong"
WINDOW_WORDS, STRIDE = 18, 6
CREDIT = {COVERED: 1.0, PARTIAL: 0.5}


def covered_share(points) -> float:
    return sum(CREDIT.get(p.status, 0.0) for p in points) / len(points) if points else 0.0


def normalize(text: str) -> str:
    text = text.lower().replace("%", " percent").replace("-", " ").replace("/", " ")
    return " " + re.sub(r"[^a-z0-9. ]+", " ", re.sub(r"\s+", " ", text)).replace(".", " ") + " "


# A keyword counts with a plain inflection after it: "underfits" for "underfit", "regularized" for
# "regularize". Live chunk transcripts swing between such forms from one run to the next.
INFLECTION = r"(?:s|es|d|ed)?"


def keywords_heard(kp: KeyPoint, text: str) -> tuple[str, ...]:
    norm = normalize(text)
    return tuple(k for k in kp.keywords if re.search(f" {re.escape(normalize(k).strip())}{INFLECTION} ", norm))


def windows(transcript: Transcript | str, turn: int = 0) -> list[Evidence]:
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
        spans.append(Evidence(text=" ".join(w for w, _, _ in chunk), start=chunk[0][1], end=chunk[-1][2], turn=turn))
    return spans


def measure(question: Question, turns: list[Transcript | str], embedder: Embedder) -> CoverageMeasured:
    """Coverage of everything answered so far on a question (answer plus follow-up answers).

    Measured once per answer by the interview; the live decision, the speculation on a
    partial answer and the scorer all read this one result.
    """
    text = " ".join(t if isinstance(t, str) else t.text for t in turns)
    spans = [span for i, t in enumerate(turns) for span in windows(t, i)]
    if not spans:
        points = tuple(PointCoverage(key_point=kp.id, status=MISSED) for kp in question.key_points)
        return CoverageMeasured(question_id=question.id, covered_share=0.0, points=points)
    kp_vecs = embedder.embed([k.text for k in question.key_points])
    sims = kp_vecs @ embedder.embed([s.text for s in spans]).T
    points = []
    said = [(i, tc.clauses(t if isinstance(t, str) else t.text)) for i, t in enumerate(turns)]
    for i, kp in enumerate(question.key_points):
        wrong = _wrong(kp, said)
        if wrong:
            points.append(wrong)
            continue
        heard = keywords_heard(kp, text)
        j = int(sims[i].argmax())
        sim = float(sims[i, j])
        points.append(PointCoverage(key_point=kp.id, status=_status(sim, len(heard)), score=round(_score(sim, len(heard)), 3),
                                    similarity=round(sim, 3), keywords=heard,
                                    evidence=spans[j] if sim >= 0.35 or heard else None))
    return CoverageMeasured(question_id=question.id, covered_share=round(covered_share(points), 3), points=tuple(points))


def _wrong(kp: KeyPoint, said: list[tuple[int, list[str]]]) -> PointCoverage | None:
    """The key point stated as one of its known wrong ideas, in the first turn that said so."""
    for turn, clauses in said:
        hit: WrongHit | None = find_wrong(kp, clauses)
        if hit:
            return PointCoverage(key_point=kp.id, status=WRONG, evidence=Evidence(text=hit.said, turn=turn),
                                 reason=f'said "{hit.said}"; {hit.idea.correction}', confidence=hit.confidence)
    return None


def _status(sim: float, hits: int) -> str:
    if sim >= 0.62 or hits >= 3 or (sim >= 0.45 and hits >= 1) or (sim >= 0.38 and hits >= 2):
        return COVERED
    if sim >= 0.40 or hits >= 1:
        return PARTIAL
    return MISSED


def _score(sim: float, hits: int) -> float:
    return max(0.0, min(1.0, 0.7 * max(0.0, sim) + 0.15 * min(hits, 2)))
