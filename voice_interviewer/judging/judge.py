"""The careful judge: a verdict per rubric key point, telling a right answer from a wrong one.

For every key point of the question:
1. **Wrong ideas first.** The bank lists known misconceptions per key point (`wrong:`), each with a
   cue: a regular expression over one clause of the answer ("L2 ... exact zeros", "precision ...
   over ... actual positives"). A clause that matches, and is not negated ("not exactly to zero"),
   makes the key point *wrong*, with that clause as evidence and the bank's correction as reason.
2. **Then the meaning.** The key point's text and its `claims:` (short correct statements in the
   words people use) are compared, with MiniLM, to every clause and every 12-word window of the
   answer. The best cosine, with keywords heard in that same stretch, gives covered / partial /
   missed. Stretches that are bare keyword lists are not evidence of anything.
3. **Honesty.** An answer in another language is not graded: every verdict is *unclear* and a flag
   says why. Repeated clauses count once, so padding cannot raise the score; the score is a
   share of key points, so length alone cannot either.

Pure function, no state: `judge_answer(question, text)`. About 0.05-0.2 s an answer on one core once
the embedder is loaded (the key points' vectors are cached).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from voice_interviewer.bank.questions import KeyPoint, Question, WrongIdea
from voice_interviewer.judging import textchecks as tc
from voice_interviewer.judging.verdicts import COVERED, MISSED, PARTIAL, UNCLEAR, WRONG, KeyPointVerdict

WINDOW, STRIDE = 12, 4
# Thresholds on the best cosine between a claim and a stretch of the answer (chosen on the dev split only).
COVER_AT, PARTIAL_AT = 0.53, 0.47
KEYWORD_BONUS = 0.06  # per keyword heard in the best stretch, at most two
DOUBT = 0.16  # how much higher the bar is for the other key points once an answer states a wrong idea
_NEGATION = re.compile(r"\b(not|never|no longer|n't|isn't|doesn't|don't|won't|rather than|instead of|nothing to do)\b")
# A cue match is right about 39 times in 40 on the dev split (docs/benchmarks.md): sure enough to
# challenge live. A candidate who already doubts the statement out loud needs no challenge.
CUE_CONFIDENCE, DOUBTED_CONFIDENCE = 0.85, 0.6
# A statement put as something to check ("I'd test whether that's just noise") is not a claim.
_HYPOTHETICAL = re.compile(r"\b(whether|wonder\w*|(check|test|see|verify|confirm)\w* (if|that))\b")
_DOUBT = re.compile(r"\?|\b(not sure|might be wrong|or is it|i forget|i always mix|i mix (them|these) up|if i remember)\b", re.I)


@dataclass(frozen=True)
class WrongHit:
    """A clause of the answer that states one of a key point's known wrong ideas."""

    clause: str  # the whole clause, as said
    idea: WrongIdea
    said: str  # the words the cue matched, widened to whole words: what a challenge quotes back
    confidence: float


@dataclass(frozen=True)
class JudgedAnswer:
    question_id: str
    verdicts: tuple[KeyPointVerdict, ...]
    content: float  # 0..5: share of key points credited (covered 1, partial 0.5, the rest 0)
    confidence: float  # 0..1, the mean of the verdicts' confidences
    flags: tuple[str, ...] = ()
    language: str = "English"
    evidence_times: dict = field(default_factory=dict)  # key point id -> (start_s, end_s) when word timings were given

    @property
    def credited_share(self) -> float:
        return sum(v.credit for v in self.verdicts) / len(self.verdicts) if self.verdicts else 0.0

    def to_dict(self) -> dict:
        return {"question_id": self.question_id, "content": self.content, "confidence": round(self.confidence, 3),
                "flags": list(self.flags), "language": self.language,
                "key_points": [v.to_dict() for v in self.verdicts],
                "evidence_times": {k: list(v) for k, v in self.evidence_times.items()}}


def judge_answer(question: Question, answer_text: str, words=None, embedder=None) -> JudgedAnswer:
    """Judge one answer (all of the candidate's turns on this question, joined) against the rubric."""
    text = " ".join((answer_text or "").split())
    kps = question.key_points
    lang, why = tc.language(text)
    if lang != "English":
        flag = f"answer appears to be in {lang} ({why}); only English answers are graded, so nothing was credited"
        verdicts = tuple(KeyPointVerdict(k.id, UNCLEAR, None, f"Not graded: the answer seems to be in {lang}.", 0.2)
                         for k in kps)
        return JudgedAnswer(question.id, verdicts, 0.0, 0.2, (flag,), lang)

    flags = []
    if tc.is_keyword_list(text):
        flags.append("the answer is a list of terms; naming a term is not explaining it, so terms alone earn nothing")
        verdicts = tuple(KeyPointVerdict(k.id, MISSED, None, f"You listed terms but never said: {_lower(k.text)}.", 0.8)
                         for k in kps)
        return JudgedAnswer(question.id, verdicts, 0.0, 0.8, tuple(flags))
    if tc.repetition(text) > 0.3:
        flags.append("the answer repeats itself; repeated parts were counted once")
    spans = _spans(text)
    if not spans:
        verdicts = tuple(KeyPointVerdict(k.id, MISSED, None, f"You never said: {_lower(k.text)}.", 0.9) for k in kps)
        return JudgedAnswer(question.id, verdicts, 0.0, 0.9, ("no answer was heard",))

    from voice_interviewer.judging.embeddings import shared_embedder

    embedder = embedder or shared_embedder()
    span_texts = [s for s, _ in spans]
    usable = np.array([not salad for _, salad in spans])
    span_vecs = embedder.embed(span_texts)
    clause_list = tc.clauses(text)
    verdicts = [_judge_point(k, clause_list, span_texts, span_vecs, usable, embedder) for k in kps]
    if any(v.status == WRONG for v in verdicts):
        # An answer that states a wrong idea has to be clearer elsewhere to be trusted there.
        verdicts = [_judge_point(k, clause_list, span_texts, span_vecs, usable, embedder, DOUBT)
                    if v.status != WRONG else v for k, v in zip(kps, verdicts)]
        flags.append("the answer states a wrong idea; the rest of it was judged more strictly")
    verdicts = tuple(verdicts)
    content = round(5.0 * sum(v.credit for v in verdicts) / len(verdicts), 1)
    confidence = float(np.mean([v.confidence for v in verdicts]))
    times = _evidence_times(verdicts, words) if words else {}
    return JudgedAnswer(question.id, verdicts, content, confidence, tuple(flags), "English", times)


def find_wrong(kp: KeyPoint, clause_list: list[str]) -> WrongHit | None:
    """The first clause that states one of the key point's known wrong ideas (regular expressions
    only: microseconds, so the live pass can run it on every answer)."""
    for w in kp.wrong:
        if not w.cue:
            continue
        pattern = re.compile(w.cue)
        guarded = not _NEGATION.search(w.cue.replace("\\b", " "))
        for clause in clause_list:
            if tc.is_term_list(clause):
                continue  # a list of terms states nothing, right or wrong
            n = tc.norm(clause)
            for m in pattern.finditer(n):
                before = " ".join(n[: m.start()].split()[-3:])
                if guarded and (_NEGATION.search(m.group(0)) or _NEGATION.search(before)):
                    continue
                if _HYPOTHETICAL.search(" ".join(n[: m.start()].split()[-5:])):
                    continue
                sure = DOUBTED_CONFIDENCE if _DOUBT.search(clause) else CUE_CONFIDENCE
                return WrongHit(clause, w, _said(clause, n, m.start(), m.end()), sure)
    return None


def _said(clause: str, n: str, start: int, end: int) -> str:
    """The clause's own words (their case kept: 'L2', not 'l2') that the normalised match covers."""
    parts = [(part, word.strip(",.;:!?\"'")) for word in clause.split() for part in tc.norm(word).split()]
    first = len(n[:start].split()) - (0 if start == 0 or n[start - 1] == " " else 1)  # a match may start mid-word
    last = len(n[:end].split())
    picked = []
    for _, word in parts[first:last]:
        if not picked or picked[-1] != word:  # 'cross-validation' gave two parts of one word
            picked.append(word)
    return " ".join(picked) or clause


def _judge_point(kp: KeyPoint, clause_list, span_texts, span_vecs, usable, embedder, raise_by: float = 0.0) -> KeyPointVerdict:
    hit = find_wrong(kp, clause_list)
    if hit:
        return KeyPointVerdict(kp.id, WRONG, hit.clause, f'You said "{_short(hit.clause).rstrip(".,;:!?")}"; {hit.idea.correction}',
                               hit.confidence)
    targets = [kp.text, *kp.claims]
    sims = embedder.embed(targets) @ span_vecs.T  # targets x spans
    sims = np.where(usable[None, :], sims, -1.0)
    best_per_span = sims.max(axis=0)
    j = int(best_per_span.argmax())
    sim = float(best_per_span[j])
    span = span_texts[j]
    heard = [k for k in kp.keywords if f" {tc.norm(k)} " in f" {tc.norm(span)} "]
    score = sim + KEYWORD_BONUS * min(len(heard), 2) - raise_by
    if score >= COVER_AT:
        conf = min(0.95, 0.6 + 2.0 * (score - COVER_AT))
        return KeyPointVerdict(kp.id, COVERED, span, f"Covered: {_lower(kp.text)}.", round(conf, 3))
    if score >= PARTIAL_AT:
        conf = 0.4 + min(score - PARTIAL_AT, COVER_AT - score)
        return KeyPointVerdict(kp.id, PARTIAL, span, f"You only touched on this; say it outright: {_lower(kp.text)}.",
                               round(min(conf, 0.9), 3))
    conf = min(0.95, 0.6 + 2.0 * (PARTIAL_AT - score))
    return KeyPointVerdict(kp.id, MISSED, None, f"You never said: {_lower(kp.text)}.", round(conf, 3))


def _spans(text: str) -> list[tuple[str, bool]]:
    """Clauses plus overlapping 12-word windows of the de-duplicated answer; each marked if a bare term list."""
    cl = tc.clauses(text)
    joined = " ".join(cl) if cl else text
    ws = joined.split()
    out = list(cl) + [f"{a} {b}" for a, b in zip(cl, cl[1:])]
    for size, stride in ((WINDOW, STRIDE), (2 * WINDOW, 2 * STRIDE)):
        for i in range(0, max(1, len(ws) - size + stride), stride):
            out.append(" ".join(ws[i : i + size]))
    out = [s for s in dict.fromkeys(out) if len(s.split()) >= 3]
    return [(s, tc.is_keyword_list(s) or tc.function_share(s) < 0.15) for s in out]


def _evidence_times(verdicts, words) -> dict:
    toks = [(tc.norm(w.text), w.start, w.end) for w in words]
    out = {}
    for v in verdicts:
        if not v.evidence:
            continue
        ev = tc.norm(v.evidence).split()[:3]
        for i in range(len(toks)):
            if [t for t, _, _ in toks[i : i + len(ev)]] == ev:
                end = min(len(toks) - 1, i + len(tc.norm(v.evidence).split()) - 1)
                out[v.key_point] = (toks[i][1], toks[end][2])
                break
    return out


def _short(s: str, n: int = 120) -> str:
    return s if len(s) <= n else s[: n - 1].rsplit(" ", 1)[0] + "…"


def _lower(s: str) -> str:
    return s[:1].lower() + s[1:] if s else s
