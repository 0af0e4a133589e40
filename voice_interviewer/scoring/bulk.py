"""Scoring written answers in bulk from a CSV, so any human-graded set can be checked.

Columns (names matched loosely): an answer, and either a `question_id` of the
bank (its rubric, claims and known wrong ideas are used) or a question with a
reference answer. A reference answer is cut into key points at line breaks,
bullets or sentences; each key point's keywords are its distinctive words (not
already in the question). Rows may mix both: a row with an empty question_id
uses its reference. Scores are written back as new columns, and `key_points`
holds every key point's verdict as JSON (status, evidence, reason, confidence).
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Callable, Iterator

from voice_interviewer.errors import UserFacingError
from voice_interviewer.bank.questions import KeyPoint, Question
from voice_interviewer.events import AnswerScored
from voice_interviewer.scoring.answer import AnswerInput, typed_turn

COLUMNS = {
    "question": ("question", "prompt", "question_text"),
    "reference": ("reference", "reference_answer", "key_points", "keypoints", "rubric", "model_answer"),
    "answer": ("answer", "student_answer", "response", "candidate_answer"),
}
QUESTION_ID = ("question_id", "qid", "bank_id")
_STOP = set("""a an the of to and or in on for with is are was were be been by it its that this as at from into than
then there their they them these those which what when where who how why can could would should will may might not
no yes if else also such more most less very much many some any each other only same so but do does did has have had
you your we our i me my he she his her one two""".split())


def find_columns(header: list[str]) -> dict[str, str]:
    """Role -> the header's own column name. With a question_id column the question and the
    reference may be left out (the bank's rubric stands in for them)."""
    lower = {h.strip().lower(): h for h in header}
    found = {}
    qid = next((lower[n] for n in QUESTION_ID if n in lower), None)
    if qid:
        found["question_id"] = qid
    for role, names in COLUMNS.items():
        match = next((lower[n] for n in names if n in lower), None)
        if match is None and not (qid and role != "answer"):
            hint = f"name a column one of: {', '.join(names)}"
            if role != "answer":
                hint += ", or give a 'question_id' column with bank question ids (voice-interviewer bank list)"
            raise UserFacingError(f"The CSV has no '{role}' column (found: {', '.join(header)})", hint)
        if match:
            found[role] = match
    return found


def split_reference(reference: str) -> list[str]:
    lines = [l.strip(" -*•\t") for l in re.split(r"\n|(?<=[.;])\s+(?=[A-Z0-9])", reference)]
    lines = [re.sub(r"^\d+[.)]\s*", "", l) for l in lines]
    items = [l for l in lines if len(l.split()) >= 3 and not l.endswith(":")]
    return items[:8] or [reference.strip()]


def question_from_reference(question: str, reference: str, qid: str, track: str = "ml-fundamentals") -> Question:
    asked = set(re.findall(r"[a-z0-9]+", question.lower()))
    points = []
    for i, text in enumerate(split_reference(reference)):
        words = [w for w in re.findall(r"[a-z0-9][a-z0-9-]*", text.lower()) if len(w) > 3 and w not in _STOP and w not in asked]
        points.append(KeyPoint(f"kp{i + 1}", text[:300], tuple(dict.fromkeys(words))[:6] or ("-",)))
    return Question(id=qid, track=track, companies=(), roles=(), stage="technical-phone-screen", difficulty="medium",
                    tags=(), time_box_s=120, source="csv", question=question, key_points=tuple(points),
                    follow_ups=(), common_mistakes=())


def read_rows(path: Path) -> tuple[list[dict], list[str], dict[str, str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            rows = list(reader)
            header = reader.fieldnames or []
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise UserFacingError(f"Cannot read {path} as CSV ({exc})", "save it as UTF-8 CSV with a header row") from exc
    return rows, header, find_columns(header)


def bank_questions(rows: list[dict], cols: dict[str, str], bank=None) -> dict[str, Question]:
    """The bank questions the rows name, checked before any scoring starts: an unknown id is an
    error naming its row, not a silently empty score."""
    if "question_id" not in cols:
        return {}
    wanted = {(r[cols["question_id"]] or "").strip() for r in rows} - {""}
    if not wanted:
        return {}
    if bank is None:
        from voice_interviewer.bank.questions import load_bank

        bank = load_bank()
    known = {q.id: q for q in bank.questions}
    for line, row in enumerate(rows, 2):  # line 1 is the header
        qid = (row[cols["question_id"]] or "").strip()
        if qid and qid not in known:
            raise UserFacingError(f"Line {line}: no bank question has the id '{qid}'",
                                  "list the ids with: voice-interviewer bank list (or leave it empty and give "
                                  "question and reference columns)")
    return {qid: known[qid] for qid in wanted}


def _row_question(row: dict, cols: dict[str, str], line: int, from_bank: dict, made: dict) -> Question:
    qid = (row.get(cols.get("question_id", ""), "") or "").strip()
    if qid:
        return from_bank[qid]
    if "question" not in cols or "reference" not in cols:
        raise UserFacingError(f"Line {line}: no question_id, and the CSV has no question and reference columns "
                              "to score it against", "give every row a bank question id, or add those columns")
    key = (row[cols["question"]] or "", row[cols["reference"]] or "")
    if key not in made:
        made[key] = question_from_reference(key[0], key[1], f"csv-q{len(made) + 1}")
    return made[key]


def score_rows(rows: list[dict], cols: dict[str, str], score: Callable[[AnswerInput], AnswerScored],
               bank=None) -> Iterator[AnswerScored]:
    from_bank, made = bank_questions(rows, cols, bank), {}
    for line, row in enumerate(rows, 2):
        question = _row_question(row, cols, line, from_bank, made)
        answer = (row[cols["answer"]] or "").strip()
        yield score(AnswerInput(question, (typed_turn(answer),), question.time_box_s))


def write_scored(path: Path, rows: list[dict], header: list[str], scores: list[AnswerScored]) -> None:
    """The input columns, then the scores. A score column whose name the input already uses (a
    reference column called key_points, a scored file scored again) gets a 'scored_' prefix."""
    with open(path, "w", newline="", encoding="utf-8") as f:
        first = scored_columns(scores[0]) if scores else {}
        names = {k: k if k not in header else f"scored_{k}" for k in first}
        w = csv.DictWriter(f, fieldnames=header + list(names.values()))
        w.writeheader()
        for row, s in zip(rows, scores):
            w.writerow({**row, **{names[k]: v for k, v in scored_columns(s).items()}})


def scored_columns(s: AnswerScored) -> dict:
    by = lambda status: " | ".join(k.text for k in s.key_points if k.status == status)
    return {"score_content": s.scores.content, "score_reasoning": s.scores.reasoning,
            "score_overall": s.scores.overall, "confidence": s.confidence,
            "covered": by("covered"), "partly_covered": by("partial"), "missed": by("missed"), "wrong": by("wrong"),
            "key_points": key_points_json(s), "tips": " ".join(s.tips), "flags": " ".join(s.flags)}


def key_points_json(s: AnswerScored) -> str:
    """Every key point's verdict, in rubric order, as one JSON list for a CSV cell."""
    return json.dumps([{"key_point": k.key_point, "text": k.text, "status": k.status,
                        "evidence": k.evidence.text if k.evidence else None, "reason": k.reason,
                        "confidence": k.confidence} for k in s.key_points], ensure_ascii=False)
