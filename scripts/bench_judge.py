#!/usr/bin/env python3
"""Does the judge tell a right answer from a wrong one? Measured against hand labels and human grades.

1. The judging devset (benchmarks/judging/devset.yaml: 100 spoken-style answers, 444 key-point labels
   by a strict interviewer, written before any detector ran). For each split (dev, held-out) and each
   judge (the fast live pass, the careful judge): the 5x5 confusion matrix (labels x verdicts,
   including unclear), Cohen's kappa, the share of key points credited per quality class (covered 1,
   partial 0.5), and seconds per answer. Non-English answers are reported apart: the judge is meant
   to flag them, not to grade them.
2. Padding: a strong answer repeated 10x, a strong answer plus a keyword salad, and a keyword salad
   alone; the content score must not rise.
3. SAF short-answer set (CC BY 4.0, human grades 0-1): Pearson of the 0-5 content score with the
   human score, on a fixed random sample (nothing is fitted on it).

Nothing is fitted here. `--write` appends/replaces the "judging" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import require_testdata, write_section  # noqa: E402
from bench_scoring import pearson, ranks  # noqa: E402

STATUSES = ("covered", "partial", "missed", "wrong", "unclear")
CREDIT = {"covered": 1.0, "partial": 0.5}
DEVSET = Path(__file__).resolve().parents[1] / "benchmarks" / "judging" / "devset.yaml"


def kappa(pairs) -> float:
    n = len(pairs)
    if not n:
        return float("nan")
    po = sum(a == b for a, b in pairs) / n
    ca, cb = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    pe = sum(ca[s] * cb[s] for s in STATUSES) / (n * n)
    return (po - pe) / (1 - pe) if pe < 1 else float("nan")


def run_judge(name, fn, answers, bank):
    """fn(question, text) -> {kp_id: status}; returns rows of (answer, {kp: predicted}), seconds per answer."""
    rows, t0 = [], time.perf_counter()
    for a in answers:
        rows.append((a, fn(bank.get(a["question"]), a["text"])))
    return rows, (time.perf_counter() - t0) / max(1, len(answers))


def report(name, rows, secs) -> str:
    english = [(a, p) for a, p in rows if a["quality"] != "non-english"]
    pairs = [(a["labels"][k], p[k]) for a, p in english for k in a["labels"]]
    conf = Counter(pairs)
    out = [f"**{name}**: {len(english)} English answers, {len(pairs)} key points; "
           f"kappa {kappa(pairs):.2f}, agreement {sum(a == b for a, b in pairs) / len(pairs):.1%}, "
           f"{secs:.2f} s/answer", "",
           "| label \\ verdict | " + " | ".join(STATUSES) + " |", "|---" * (len(STATUSES) + 1) + "|"]
    for s in STATUSES[:4]:
        out.append(f"| {s} | " + " | ".join(str(conf[(s, t)]) for t in STATUSES) + " |")
    by_q = defaultdict(lambda: [0.0, 0.0, 0])
    for a, p in rows:
        q = by_q[a["quality"]]
        q[0] += sum(CREDIT.get(p[k], 0.0) for k in a["labels"]) / len(a["labels"])
        q[1] += sum(CREDIT.get(v, 0.0) for v in a["labels"].values()) / len(a["labels"])
        q[2] += 1
    out += ["", "| quality | answers | credited (judge) | credited (labels) |", "|---|---|---|---|"]
    for qual in sorted(by_q):
        j, l, n = by_q[qual]
        out.append(f"| {qual} | {n} | {j / n:.0%} | {l / n:.0%} |")
    wrong_pairs = [(l, p) for l, p in pairs if l == "wrong"]
    out.append("")
    out.append(f"Wrong ideas caught: {sum(p == 'wrong' for _, p in wrong_pairs)} of {len(wrong_pairs)}; "
               f"false 'wrong' on correct or missed points: {sum(p == 'wrong' and l != 'wrong' for l, p in pairs)}.")
    return "\n".join(out)


def old_coverage(q, text):
    """The fast pass the interview runs live (MiniLM windows and keywords, plus the bank's wrong-idea cues)."""
    from voice_interviewer.judging import coverage as cov
    from voice_interviewer.judging.embeddings import shared_embedder

    return cov.measure(q, [text], shared_embedder())


def baseline_fn(q, text):
    return {p.key_point: p.status for p in old_coverage(q, text).points}


def judge_fn(q, text):
    from voice_interviewer.judging.judge import judge_answer

    return {v.key_point: v.status for v in judge_answer(q, text).verdicts}


def non_english(rows) -> str:
    lines = []
    for a, p in rows:
        if a["quality"] == "non-english":
            lines.append(f"{a['id']} ({a.get('language')}): " + ", ".join(sorted(set(p.values()))))
    return "; ".join(lines)


def padding(bank) -> str:
    from voice_interviewer.judging.judge import judge_answer

    data = yaml.safe_load(DEVSET.read_text())
    strong = next(a for a in data["answers"] if a["id"] == "d011")
    salad = next(a for a in data["answers"] if a["id"] == "d009")
    q = bank.get(strong["question"])
    q2 = bank.get(salad["question"])
    kw = " ".join(k for kp in q.key_points for k in kp.keywords)
    cases = [("strong answer (L1 vs L2)", q, strong["text"]),
             ("the same, repeated 10x", q, " ".join([strong["text"]] * 10)),
             ("the same, plus every rubric keyword as a list", q, strong["text"] + " " + ", ".join(kw.split())),
             ("every rubric keyword as a list, alone", q, ", ".join(kw.split())),
             ("keyword salad (overfitting), 1x", q2, salad["text"]),
             ("keyword salad (overfitting), 10x", q2, " ".join([salad["text"]] * 10))]
    out = ["| answer | words | content 0-5 (judge) | content 0-5 (fast pass) | flags |", "|---|---|---|---|---|"]
    for name, qq, text in cases:
        j = judge_answer(qq, text)
        old = round(5 * old_coverage(qq, text).covered_share, 1)
        out.append(f"| {name} | {len(text.split())} | {j.content} | {old} | {'; '.join(f[:60] for f in j.flags) or '-'} |")
    return "\n".join(out)


def saf(n: int, seed: int = 7) -> str:
    from voice_interviewer.judging.judge import judge_answer
    from voice_interviewer.judging.embeddings import shared_embedder
    from voice_interviewer.scoring.bulk import find_columns, question_from_reference

    rel = "grading/saf-short-answer-feedback/saf_english_flat.csv"
    rows = list(csv.DictReader(open(require_testdata(rel) / rel, newline="", encoding="utf-8")))
    rows = random.Random(seed).sample(rows, min(n, len(rows)))
    cols = find_columns(list(rows[0].keys()))
    human = [float(r["score"]) for r in rows]
    qs, new, old, cosine = {}, [], [], []

    emb = shared_embedder()
    t0 = time.perf_counter()
    for r in rows:
        key = (r[cols["question"]], r[cols["reference"]])
        qs.setdefault(key, question_from_reference(key[0], key[1], f"saf-{len(qs)}"))
        new.append(judge_answer(qs[key], r[cols["answer"]] or "").content)
    secs = (time.perf_counter() - t0) / len(rows)
    for r in rows:
        key = (r[cols["question"]], r[cols["reference"]])
        old.append(5 * old_coverage(qs[key], r[cols["answer"]] or "").covered_share)
        a, b = emb.embed([r[cols["answer"]] or " ", r[cols["reference"]]])
        cosine.append(5 * max(0.0, float(a @ b)))
    fmt = lambda name, p: (f"| {name} | {len(p)} | {pearson([x / 5 for x in p], human):.3f} | "
                           f"{pearson(ranks(p), ranks(human)):.3f} |")
    return "\n".join([f"SAF English, random sample of {len(rows)} answers (seed {seed}); judge {secs:.2f} s/answer.", "",
                      "| scorer | answers | Pearson | Spearman |", "|---|---|---|---|",
                      fmt("judge: content (reference cut into key points, no claims)", new),
                      fmt("fast pass coverage share", old), fmt("answer-reference cosine", cosine)])


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--split", choices=["dev", "held-out", "both"], default="dev")
    ap.add_argument("--no-baseline", action="store_true")
    ap.add_argument("--saf", type=int, default=0, help="SAF answers to sample (0 = skip)")
    ap.add_argument("--padding", action="store_true")
    ap.add_argument("--write", action="store_true", help="write the section 'judging' of docs/benchmarks.md")
    args = ap.parse_args()

    from voice_interviewer.bank.questions import load_bank
    from voice_interviewer.judging.embeddings import shared_embedder

    bank = load_bank()
    shared_embedder().embed(["warm up"])
    data = yaml.safe_load(DEVSET.read_text())
    splits = ["dev", "held-out"] if args.split == "both" else [args.split]
    parts = []
    for split in splits:
        answers = [a for a in data["answers"] if a["split"] == split]
        parts.append(f"### {split} ({len(answers)} answers)")
        judges = [("new judge (claims + wrong-idea cues + MiniLM)", judge_fn)]
        if not args.no_baseline:
            judges.insert(0, ("fast live pass (MiniLM windows + keywords + wrong-idea cues)", baseline_fn))
        for name, fn in judges:
            rows, secs = run_judge(name, fn, answers, bank)
            parts.append(report(name, rows, secs))
            ne = non_english(rows)
            if ne:
                parts.append(f"Non-English answers (verdicts given): {ne}")
            parts.append("")
    if args.padding:
        parts += ["### Padding, repetition and keyword lists", padding(bank), ""]
    if args.saf:
        parts += ["### SAF short-answer set (human grades)", saf(args.saf), ""]
    body = "\n".join(parts)
    print(body)
    if args.write:
        head = ("## Judging\n\nMachine: 2-core AMD EPYC, no GPU; 2026-11-23; other agents were using the same two "
                "cores at the same time, so the seconds per answer are upper bounds. `scripts/bench_judge.py --split "
                f"both --padding --saf {args.saf}`. Labels: benchmarks/judging/devset.yaml (written before any run). "
                "Tuned on the dev split only; held-out figures are reported as they came.\n")
        write_section("judging", head + "\n" + body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
