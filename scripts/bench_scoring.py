#!/usr/bin/env python3
"""Validity of the scorers against human grades (SAF short-answer set, CC BY 4.0).

For every answer in testdata/grading/saf-short-answer-feedback/saf_english_flat.csv
the scorer sees the question, the reference answer (cut into key points) and the
student's answer, exactly as `voice-interviewer score FILE.csv` does. Its 0-5
score is compared with the human score (0-1): Pearson, Spearman, RMSE (both on
a 0-1 scale), and exact / adjacent agreement after rounding both to five levels
(0, .25, .5, .75, 1). Nothing is fitted to this set: it is only for measuring.

Scorers: `rules` content score (the default scorer: the careful judge of
judging/judge.py, claims + wrong-idea cues + MiniLM), `rules` overall, the fast live
pass's coverage share (what content was before the judge), a plain
reference-similarity baseline (cosine of the whole answer with the whole
reference), and the leashed LLM judge on a random sample (--judge-sample).
Human graders agree at about Pearson 0.59 on comparable short-answer sets.
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import (CpuMonitor, add_common_args, progress, require_testdata, run_header, table,  # noqa: E402
                          write_section)


def pearson(x, y):
    mx, my = sum(x) / len(x), sum(y) / len(y)
    sxy = sum((a - mx) * (b - my) for a, b in zip(x, y))
    sx = math.sqrt(sum((a - mx) ** 2 for a in x))
    sy = math.sqrt(sum((b - my) ** 2 for b in y))
    return sxy / (sx * sy) if sx and sy else float("nan")


def ranks(v):
    order = sorted(range(len(v)), key=lambda i: v[i])
    r = [0.0] * len(v)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and v[order[j + 1]] == v[order[i]]:
            j += 1
        for k in range(i, j + 1):
            r[order[k]] = (i + j) / 2
        i = j + 1
    return r


def agreement(pred01, human):
    level = lambda v: min(4, max(0, round(v * 4)))
    exact = sum(level(p) == level(h) for p, h in zip(pred01, human)) / len(human)
    adjacent = sum(abs(level(p) - level(h)) <= 1 for p, h in zip(pred01, human)) / len(human)
    return exact, adjacent


def metrics(name, pred05, human):
    pred = [p / 5 for p in pred05]
    rmse = math.sqrt(sum((p - h) ** 2 for p, h in zip(pred, human)) / len(human))
    exact, adjacent = agreement(pred, human)
    return [name, len(human), f"{pearson(pred, human):.3f}", f"{pearson(ranks(pred), ranks(human)):.3f}",
            f"{rmse:.3f}", f"{exact:.1%}", f"{adjacent:.1%}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="score a random 300 answers instead of all 2,112")
    ap.add_argument("--judge-sample", type=int, default=40, help="answers for the LLM judge (0 = skip; ~15 s each on 2 cores)")
    ap.add_argument("--judge-model", default="qwen-1.5b", choices=["qwen-1.5b", "qwen-0.5b"])
    add_common_args(ap)
    args = ap.parse_args()

    from voice_interviewer.judging.embeddings import shared_embedder
    from voice_interviewer.scoring import make_scorer
    from voice_interviewer.scoring.answer import AnswerInput, typed_turn
    from voice_interviewer.scoring.bulk import find_columns, question_from_reference

    rel = "grading/saf-short-answer-feedback/saf_english_flat.csv"
    path = require_testdata(rel) / rel
    rows = list(csv.DictReader(open(path, newline="", encoding="utf-8")))
    rng = random.Random(7)
    if args.quick:
        rows = rng.sample(rows, 300)
    cols = find_columns(list(rows[0].keys()))
    human = [float(r["score"]) for r in rows]
    questions = {}
    items = []
    for r in rows:
        key = (r[cols["question"]], r[cols["reference"]])
        questions.setdefault(key, question_from_reference(key[0], key[1], f"saf-{len(questions)}"))
        items.append(AnswerInput(questions[key], (typed_turn(r[cols["answer"]]),), 120))

    cpu = CpuMonitor().start()
    t0 = time.perf_counter()
    emb = shared_embedder()
    score_answer = make_scorer(emb)
    scores = [score_answer(it) for it in progress(items, desc="rules scorer")]
    rules_s = time.perf_counter() - t0
    cpu.stop()
    from voice_interviewer.judging import coverage as cov

    fast = [5 * cov.measure(it.question, [it.text], emb).covered_share for it in progress(items, desc="fast pass")]
    baseline = []
    for r in progress(rows, desc="similarity baseline"):
        a, b = emb.embed([r[cols["answer"]] or " ", r[cols["reference"]]])
        baseline.append(5 * max(0.0, float(a @ b)))
    out = [metrics("rules: content", [s.scores.content for s in scores], human),
           metrics("rules: overall", [s.scores.overall for s in scores], human),
           metrics("fast live pass: coverage share", fast, human),
           metrics("baseline: answer-reference cosine", baseline, human)]

    judge_note = "LLM judge skipped (--judge-sample 0)"
    if args.judge_sample:
        from voice_interviewer.runner import RunOptions
        from voice_interviewer.session import _llm_client as llm_client

        idx = rng.sample(range(len(items)), min(args.judge_sample, len(items)))
        with llm_client(RunOptions(llm=args.judge_model, llm_timeout_s=90), print) as client:
            if client is None:
                judge_note = "LLM judge unavailable"
            else:
                t1 = time.perf_counter()
                judge = make_scorer(emb, client)
                judged = [judge(items[i]) for i in progress(idx, desc="LLM judge")]
                per = (time.perf_counter() - t1) / len(idx)
                sub_h = [human[i] for i in idx]
                out.append(metrics(f"llm judge ({args.judge_model}), sample", [s.scores.content for s in judged], sub_h))
                out.append(metrics("rules: content, same sample", [scores[i].scores.content for i in idx], sub_h))
                fell_back = sum(not s.scorer.startswith("llm-judge") for s in judged)
                judge_note = (f"LLM judge: {len(idx)} random answers, {per:.1f} s each; {fell_back} fell back to rules "
                              "(endpoint failure or malformed JSON). The judge may move the rules score by at most 1 point.")

    headers = ["scorer", "answers", "Pearson", "Spearman", "RMSE (0-1)", "exact (5 levels)", "adjacent"]
    tab = table(headers, out)
    print(tab)
    print(judge_note)
    body = "\n".join([
        run_header("Scoring validity against human grades (SAF)", "bench_scoring.py",
                   "minilm-int8 embeddings; rules scorer with the careful judge for content"
                   + (f"; LLM judge {args.judge_model}" if args.judge_sample else ""), quick=args.quick,
                   elapsed_s=time.perf_counter() - t0, cpu=cpu),
        "", f"Rules scorer: {rules_s / len(items) * 1000:.0f} ms per answer. Human inter-rater agreement on comparable "
        "short-answer sets is about Pearson 0.59. Nothing here was fitted to SAF.", "", tab, "", judge_note,
    ])
    if not args.no_doc:
        write_section("bench_scoring", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
