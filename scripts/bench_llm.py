#!/usr/bin/env python
"""Benchmark the embedded LLM: server start, time to first token, tokens per second, memory.

Starts voice_interviewer.llm.server.LocalLLMServer on the Qwen2.5-Coder GGUF
(1.5B by default, --model 0.5b for the 0.5B) and talks to it through
voice_interviewer.llm.client.LLMClient, the way the interviewer does: one fixed
system prompt (the interviewer persona, identical on every call, so llama.cpp's
prompt cache can keep it) and a short per-turn user prompt asking for a follow-up.

Per server start it measures:
  * start time: LocalLLMServer.start() until /health answers;
  * cold TTFT: the first request (~100 prompt tokens, nothing cached);
  * repeat TTFT: the very same request again (whole prompt cached);
  * warm TTFT: new per-turn prompts after the same system prompt (only the
    new part of the prompt is processed);
  * prompt tokens/s and generation tokens/s from the server's own counts (the
    OpenAI-style stream ends with `usage` and llama.cpp's `timings` when asked
    with stream_options.include_usage), and generation pieces/s as the client sees them;
  * RSS of the server process (VmRSS and peak VmHWM from /proc/<pid>/status).

Prints tables and rewrites this model's bench_llm section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

from voice_interviewer.models import store as model_store  # noqa: E402
from voice_interviewer.llm.client import LLMClient, LLMEndpoint  # noqa: E402
from voice_interviewer.llm.server import LocalLLMServer  # noqa: E402

MODELS = {"1.5b": "qwen2.5-coder-1.5b", "0.5b": "qwen2.5-coder-0.5b"}

# Fixed across every call (written for this benchmark).
SYSTEM = (
    "You are Sam, a senior machine-learning engineer running a technical phone screen. "
    "Speak in plain sentences that sound natural aloud. Ask exactly one short question at a time. "
    "Never give the answer away and never use lists or code. Probe the key point the candidate missed."
)
TURNS = [
    ("explain the bias-variance trade-off", "high bias means the model underfits", "variance and overfitting"),
    ("how do you handle class imbalance", "I would oversample the minority class", "choosing the right metric"),
    ("what does L2 regularization do", "it adds a penalty to the loss", "why it shrinks the weights"),
    ("how would you evaluate a recommender offline", "I would use accuracy", "ranking metrics"),
    ("what is data leakage", "when test data is used in training", "leakage through features"),
    ("why keep a separate test set", "to tune hyperparameters", "the test set stays untouched"),
    ("how does gradient boosting work", "it adds trees one after another", "fitting the residuals"),
]


def user_prompt(turn) -> str:
    q, said, gap = turn
    return f"Question: {q}. Candidate said: \"{said}\". Missed: {gap}. Ask your follow-up."


def messages(turn) -> list[dict]:
    return [{"role": "system", "content": SYSTEM}, {"role": "user", "content": user_prompt(turn)}]


class _Tap:
    """Wraps an OpenAI stream: events pass through unchanged; usage and timings are noted."""

    def __init__(self, stream, sink: dict):
        self._stream, self._sink = stream, sink

    def __iter__(self):
        for event in self._stream:
            usage = getattr(event, "usage", None)
            if usage is not None:
                self._sink["usage"] = usage.model_dump() if hasattr(usage, "model_dump") else dict(usage)
            extra = getattr(event, "model_extra", None) or {}
            if "timings" in extra:
                self._sink["timings"] = extra["timings"]
            yield event

    def close(self):
        self._stream.close()

    def __getattr__(self, name):
        return getattr(self._stream, name)


def meter(client: LLMClient) -> dict | None:
    """Let the server report its own token counts and timings on the client's streamed calls.

    LLMClient.stream yields text only; this asks the server for `usage` (stream_options) and
    keeps it with llama.cpp's `timings` from the last event, without changing what the client
    does with the stream. Returns the dict the last call's numbers land in, or None when the
    client's internals are not as expected (then only streamed pieces are counted).
    """
    last: dict = {}
    try:
        completions = client._client.chat.completions
        original = completions.create
    except AttributeError:
        return None

    def create(*args, **kwargs):
        if kwargs.get("stream"):
            kwargs.setdefault("stream_options", {"include_usage": True})
            last.clear()
            return _Tap(original(*args, **kwargs), last)
        return original(*args, **kwargs)

    completions.create = create
    return last


def call(client: LLMClient, last: dict | None, turn, kind: str, max_tokens: int) -> dict:
    c = client.complete(messages(turn), max_tokens=max_tokens)
    t = (last or {}).get("timings", {})
    u = (last or {}).get("usage", {})
    gen_time = c.total_s - c.first_token_s
    return {
        "kind": kind, "ttft": c.first_token_s, "total": c.total_s, "pieces": c.completion_tokens,
        "client_gen_tps": (c.completion_tokens - 1) / gen_time if c.completion_tokens > 1 and gen_time > 0 else None,
        "prompt_tokens": u.get("prompt_tokens"), "completion_tokens": u.get("completion_tokens"),
        "prompt_n": t.get("prompt_n"), "cache_n": t.get("cache_n"),
        "prompt_tps": t.get("prompt_per_second"), "gen_tps": t.get("predicted_per_second"),
        "text": c.text.strip().replace("\n", " "),
    }


def med(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="1.5b", help="1.5b (default) or 0.5b, or a manifest name (qwen2.5-coder-...)")
    ap.add_argument("--quick", action="store_true", help="smaller run: 1 server start, 2 warm calls, 40 new tokens")
    ap.add_argument("--starts", type=int, default=None, help="server starts, each with its own cold call (default 2)")
    ap.add_argument("--warm", type=int, default=None, help="warm calls per start (default 5)")
    ap.add_argument("--max-tokens", type=int, default=None, help="new tokens per call (default 80)")
    ap.add_argument("--threads", type=int, default=None, help="llama.cpp threads (default: the server's choice)")
    bc.add_common_args(ap)
    args = ap.parse_args()
    starts = args.starts or (1 if args.quick else 2)
    warm = args.warm if args.warm is not None else (2 if args.quick else 5)
    max_tokens = args.max_tokens or (40 if args.quick else 80)
    name = MODELS.get(args.model.lower().removeprefix("qwen-"), args.model)
    bc.wait_for_quiet(args.wait_quiet)
    cpu = bc.CpuMonitor().start()
    t_run = time.perf_counter()

    info: dict = {}
    status = model_store.status(name)
    with bc.timed(info, "resolve_s"):
        folder = model_store.resolve(name)
    ggufs = sorted(folder.glob("*.gguf"))
    if not ggufs:
        sys.exit(f"no .gguf file in {folder}")
    gguf = ggufs[0]
    size_gb = gguf.stat().st_size / 1e9

    calls: list[dict] = []
    runs: list[dict] = []
    threads = None
    metered = True
    gate = bc.QuietGate(args.wait_quiet)
    for run in bc.progress(range(starts), desc="server starts"):
        gate.before()
        mon = bc.CpuMonitor().start()
        t0 = time.perf_counter()
        srv = LocalLLMServer(gguf, threads=args.threads)
        threads = srv.threads
        srv.start()
        start_s = time.perf_counter() - t0
        mon.pids = [srv.pid]  # born after mon.start(): all its CPU time counts as ours
        mon.stop()
        start_clean = gate.after(mon)
        rss_idle = bc.rss_kib(srv.pid)
        try:
            client = LLMClient(LLMEndpoint(base_url=srv.base_url, timeout_s=300.0))
            last = meter(client)
            plan = [(TURNS[0], "cold"), (TURNS[0], "repeat")] + \
                   [(TURNS[1 + i % (len(TURNS) - 1)], "warm") for i in range(warm)]
            for turn, kind in bc.progress(plan, desc=f"requests (start {run + 1})"):
                gate.before()
                with bc.CpuMonitor(pids=[srv.pid]) as mon:
                    r = call(client, last, turn, kind, max_tokens)
                r.update(run=run + 1, other=mon.other, clean=gate.after(mon))
                calls.append(r)
            metered = metered and last is not None
            rss = bc.rss_kib(srv.pid)
        finally:
            srv.stop()
        runs.append({"run": run + 1, "start_s": start_s, "start_other": mon.other, "start_clean": start_clean,
                     "rss_idle": rss_idle.get("VmRSS"),
                     "rss": rss.get("VmRSS"), "hwm": rss.get("VmHWM")})

    # Medians over the steps timed while the machine was otherwise quiet (all steps if none was).
    clean_calls = [c for c in calls if c["clean"]] or calls
    clean_runs = [r for r in runs if r["start_clean"]] or runs
    by = {k: [c for c in clean_calls if c["kind"] == k] or [c for c in calls if c["kind"] == k]
          for k in ("cold", "repeat", "warm")}
    n_clean = sum(c["clean"] for c in calls)
    gib = lambda kib: "-" if kib is None else f"{kib / 1024 / 1024:.2f}"  # noqa: E731

    summary = bc.table(
        ["server start s", "cold TTFT s", "prompt tokens (cold)", "prompt tok/s (cold)", "repeat TTFT s",
         "warm TTFT s", "new prompt tokens (warm)", "gen tok/s (server)", "gen pieces/s (client)", "RSS GiB", "peak RSS GiB"],
        [[bc.fmt(med(r["start_s"] for r in clean_runs), 2), bc.fmt(med(c["ttft"] for c in by["cold"]), 2),
          bc.fmt(med(c["prompt_tokens"] for c in by["cold"]), 0), bc.fmt(med(c["prompt_tps"] for c in by["cold"]), 1),
          bc.fmt(med(c["ttft"] for c in by["repeat"]), 2), bc.fmt(med(c["ttft"] for c in by["warm"]), 2),
          bc.fmt(med(c["prompt_n"] for c in by["warm"]), 0), bc.fmt(med(c["gen_tps"] for c in clean_calls), 1),
          bc.fmt(med(c["client_gen_tps"] for c in clean_calls), 1), gib(med(r["rss"] for r in runs)),
          gib(max((r["hwm"] or 0) for r in runs) or None)]])
    call_rows = [[c["run"], c["kind"] + ("" if c["clean"] else " *"), bc.pct(c["other"], 0), bc.fmt(c["ttft"], 2), bc.fmt(c["total"], 2), c["prompt_tokens"] or "-",
                  c["cache_n"] if c["cache_n"] is not None else "-", c["prompt_n"] or "-",
                  bc.fmt(c["prompt_tps"], 1), c["completion_tokens"] or "-", c["pieces"], bc.fmt(c["gen_tps"], 1),
                  bc.fmt(c["client_gen_tps"], 1)] for c in calls]
    call_tab = bc.table(["start", "call", "others' CPU", "TTFT s", "total s", "prompt tokens", "cached", "processed",
                         "prompt tok/s", "new tokens", "pieces", "gen tok/s (server)", "pieces/s (client)"],
                        call_rows, "ll" + "r" * 11)
    run_tab = bc.table(["start", "start s", "others' CPU", "RSS after start GiB", "RSS after calls GiB", "peak RSS GiB"],
                       [[r["run"], bc.fmt(r["start_s"], 2) + ("" if r["start_clean"] else " *"), bc.pct(r["start_other"], 0), gib(r["rss_idle"]), gib(r["rss"]), gib(r["hwm"])]
                        for r in runs])
    text_tab = bc.table(["start", "call", "follow-up asked"],
                        [[c["run"], c["kind"], c["text"][:160]] for c in calls], "lll")

    print(f"\n{name}: {gguf.name} ({size_gb:.2f} GB), {threads} threads\n")
    print(summary)
    quiet_note = (f"medians over the {n_clean} of {len(calls)} calls timed while other processes used at most "
                  f"{bc.CpuMonitor.DIRTY:.0%} of the machine" + ("" if n_clean else " (none was: medians over all calls)")
                  + "; * = others were busy during that step")
    print(quiet_note)
    print("\nPer call\n")
    print(call_tab)
    print("\nPer server start\n")
    print(run_tab)
    print("\nWhat the model said\n")
    print(text_tab)
    if not metered:
        print("\nnote: the server's usage/timings were not available; only client-side piece counts are shown")
    elapsed = bc.finish_run(cpu, t_run)
    if args.no_doc:
        return

    section = f"bench_llm/{name}"
    assembled = " (assembled from its packages in this run)" if status.origin.startswith("package") else ""
    header = bc.run_header(f"LLM: {name} (bench_llm.py)", "bench_llm.py" + (f" --model {args.model}" if args.model != "1.5b" else ""),
                           f"`{gguf.name}` ({size_gb:.2f} GB){assembled}, llama.cpp via xllamacpp, "
                           f"{threads} threads, ctx 4096, one slot, prompt cache on",
                           ["xllamacpp", "openai"], quick=args.quick, elapsed_s=elapsed, cpu=cpu)
    body = f"""{header}
- method: {starts} server start(s); per start one cold call, the same call repeated, and {warm} warm
  calls (new per-turn prompt after the identical system prompt); {max_tokens} new tokens at most,
  temperature 0.3, through `LLMClient.complete` (TTFT = first streamed text piece). Token counts
  and prompt/generation speeds are the server's own (`usage` and llama.cpp `timings` at the end of
  the stream); "pieces/s (client)" counts streamed pieces after the first one over the time after it.
  RSS from `/proc/<pid>/status` of the server process. Summary: {quiet_note}.
- system prompt ({len(SYSTEM)} characters, fixed): "{SYSTEM}"
- per-turn prompt, e.g.: "{user_prompt(TURNS[0])}"

{summary}

{call_tab}

{run_tab}

<details><summary>What the model asked</summary>

{text_tab}

</details>
"""
    bc.write_section(section, body)
    print(f"wrote the {section} section of {bc.DOC_PATH}")


if __name__ == "__main__":
    main()
