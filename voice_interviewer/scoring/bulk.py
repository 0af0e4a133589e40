"""Scoring written answers in bulk from a CSV, so any human-graded set can be checked.

Columns (names matched loosely): question; reference answer or key points;
answer. A reference answer is cut into key points at line breaks, bullets or
sentences; each key point's keywords are its distinctive words (not already
in the question). Scores are written back as new columns.
"""

from __future__ import annotations

import csv
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
_STOP = set("""a an the of to and or in on for with is are was were be been by it its that this as at from into than
then there their they them these those which what when where who how why can could would should will may might not
no yes if else also such more most less very much many some any each other only same so but do does did has have had
you your we our i me my he she his her one two""".split())


def find_columns(header: list[str]) -> dict[str, str]:
    lower = {h.strip().lower(): h for h in header}
    found = {}
    for role, names in COLUMNS.items():
        match = next((lower[n] for n in names if n in lower), None)
        if match is None:
            raise UserFacingError(f"The CSV has no '{role}' column (found: {', '.join(header)})",
                                  f"name a column one of: {', '.join(names)}")
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


def score_rows(rows: list[dict], cols: dict[str, str], score: Callable[[AnswerInput], AnswerScored]) -> Iterator[AnswerScored]:
    questions: dict[tuple[str, str], Question] = {}
    for row in rows:
        key = (row[cols["question"]], row[cols["reference"]])
        if key not in questions:
            questions[key] = question_from_reference(key[0], key[1], f"csv-q{len(questions) + 1}")
        answer = (row[cols["answer"]] or "").strip()
        yield score(AnswerInput(questions[key], (typed_turn(answer),), 120))


def write_scored(path: Path, rows: list[dict], header: list[str], scores: list[AnswerScored]) -> None:
    extra = ["score_content", "score_reasoning", "score_overall", "covered", "partly_covered", "missed", "tips", "flags"]
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=header + extra)
        w.writeheader()
        for row, s in zip(rows, scores):
            by = lambda status: " | ".join(k.text for k in s.key_points if k.status == status)
            w.writerow({**row, "score_content": s.scores.content, "score_reasoning": s.scores.reasoning,
                        "score_overall": s.scores.overall,
                        "covered": by("covered"), "partly_covered": by("partial"), "missed": by("missed"),
                        "tips": " ".join(s.tips), "flags": " ".join(s.flags)})
