#!/usr/bin/env python
"""What the LLM's raw follow-ups look like, and which of them the interviewer's checks keep.

For bank questions (ML fundamentals and system design by default), two weak spoken answers each get the
live decision (coverage, then the first missed key point) and the embedded LLM phrases the follow-up
exactly as in a session (the persona, the gap, the answer's tail). Every raw line is then put through
`check_phrasing` with what a session gives it, and counted by the first reason it fails. Two more
figures say how well the kept lines probe: how many copy a long run of the question's own words (the
question again, not a probe), and how many touch the missed key point in words the question did not
already use.

Figures, not tests. Writes the "follow_ups" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import bench_common as bc  # noqa: E402

from voice_interviewer.interviewer.phrasing import REASK_RUN, Phraser, _longest_shared_run, _stems  # noqa: E402

TRACKS = ("ml-fundamentals", "ml-system-design")
WEAK_ANSWERS = ("I think it's about making the model better, you look at the data and you retrain it.",
                "I'm not sure. I would try a few things and see what works on the validation set.")


def collect(model: str, n_questions: int, template: Path | None = None) -> list[dict]:
    from voice_interviewer.bank.questions import load_bank
    from voice_interviewer.interviewer.policy import decide
    from voice_interviewer.judging import coverage as cov
    from voice_interviewer.judging.embeddings import shared_embedder
    from voice_interviewer.llm.client import LLMClient, LLMEndpoint
    from voice_interviewer.llm.server import LocalLLMServer
    from voice_interviewer.models import store as model_store

    questions = [q for q in load_bank().questions if q.track in TRACKS][:n_questions]
    embedder, rows = shared_embedder(), []
    gguf = next(model_store.resolve(model, progress=False).glob("*.gguf"))
    with LocalLLMServer(gguf) as server:
        phraser = Phraser(LLMClient(LLMEndpoint(server.base_url, timeout_s=120)))
        if template:
            phraser.template = template.read_text(encoding="utf-8").strip()
        for q in bc.progress(questions, desc="questions"):
            for answer in WEAK_ANSWERS:
                decision = decide(q, cov.measure(q, [answer], embedder), [], 0, 300, "silence")
                if not decision.key_point:
                    continue
                gap = q.key_point(decision.key_point).text
                text, why, _ = phraser.llm_line(q, decision, answer)  # what a session's phrasing gets and checks
                rows.append({"question": q.question, "gap": gap, "text": text, "why": why,
                             "run": _longest_shared_run(text, q.question),
                             "gap_words": sorted((_stems(text) - _stems(q.question)) & _stems(gap))})
    return rows


def report(rows: list[dict]) -> str:
    n = len(rows)
    reasons = Counter(re.sub(r" \(\d+ words\)", "", r["why"]) or "kept" for r in rows)  # "too long (31 words)"
    kept = [r for r in rows if not r["why"]]
    lines = [f"{n} raw follow-ups; the interviewer would say **{len(kept)} of {n}** ({bc.pct(len(kept) / n)}) and the "
             "bank's line for the same gap instead of the rest.", "",
             bc.table(["first check failed", "lines", "share"],
                      [[why, c, bc.pct(c / n)] for why, c in reasons.most_common()]), "",
             f"Of the kept lines, **{sum(bool(r['gap_words']) for r in kept)} of {len(kept)}** share a content word "
             "with the missed key point that the question did not already use (words compared by their first five "
             "letters): a rough sign that the line probes the gap rather than the topic in general (\"How do you "
             "evaluate the effectiveness of your chosen approach?\").", "",
             f"Lines that copy {REASK_RUN} or more of the question's words in a row (all lines):", ""]
    lines += [f"- {r['run']} words: \"{r['text']}\" (gap: {r['gap']})" for r in rows if r["run"] >= REASK_RUN] or ["- none"]
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="qwen2.5-coder-1.5b", help="the embedded LLM to phrase with (default: %(default)s)")
    ap.add_argument("--questions", type=int, default=25, help="bank questions to try, two answers each (default 25)")
    ap.add_argument("--follow-up-prompt", type=Path, metavar="FILE",
                    help="try another per-turn prompt instead of prompts/follow_up.md (same {placeholders})")
    ap.add_argument("--show", action="store_true", help="also print every line with its verdict and its gap")
    bc.add_common_args(ap)
    args = ap.parse_args()
    bc.wait_for_quiet(args.wait_quiet)
    cpu, t_run = bc.CpuMonitor().start(), time.perf_counter()
    rows = collect(args.model, args.questions, args.follow_up_prompt)
    if args.show:
        for r in rows:
            print(f"[{r['why'] or 'kept'}] {r['text']}\n    gap: {r['gap']}")
    elapsed = bc.finish_run(cpu, t_run)
    body = "\n\n".join([bc.run_header(f"Follow-ups: what the LLM says and what is kept ({args.model})",
                                      "bench_follow_ups.py", f"{args.model} (llama.cpp, embedded), MiniLM for coverage",
                                      extra=f"- per-turn prompt: {args.follow_up_prompt or 'prompts/follow_up.md'}",
                                      elapsed_s=elapsed, cpu=cpu), report(rows)])
    if not args.no_doc:
        bc.write_section("follow_ups", body)
    print(body)


if __name__ == "__main__":
    main()
