#!/usr/bin/env python3
"""End-to-end turn-taking latency: from the candidate's last word to the interviewer's first sound.

Whole drill sessions run through the virtual audio device on a REAL-TIME clock
(audio arrives at the pace it was spoken, so transcription, speculation and
synthesis overlap the answer as they would live), with real recordings from
../shared/testdata/asr as the candidate. Per turn it reports:
  * patience: end of speech -> turn decided (a setting: --patience);
  * processing: turn decided -> first interviewer audio, split into the wait for
    the transcript tail, the follow-up choice, the wait for the LLM, and TTS.
Configurations: bank follow-ups, LLM-phrased follow-ups (embedded 1.5B), and a
naive sequential pipeline on the same recorded turns (transcribe the whole turn
after it ends, choose, ask the LLM, synthesise the whole reply), so the gain is
a ratio measured in one run. Also the peak RSS of the session (this process
plus the LLM server).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import add_common_args, require_testdata, run_header, table, write_section  # noqa: E402

CLIPS = [  # real speech, 2-11 s each, from ../shared/testdata/asr
    "coqui-tts-ljspeech/wavs/LJ001-0001.wav", "lhotse/2412-153948-0000.flac", "openai-whisper/jfk.flac",
    "coqui-tts-ljspeech/wavs/LJ001-0004.wav", "pyannote-sample/segments/sample_01_Sheila.wav",
    "coqui-tts-ljspeech/wavs/LJ001-0009.wav", "lhotse/ami_segments/ES2011a_seg0.wav",
    "coqui-tts-ljspeech/wavs/LJ001-0016.wav", "coqui-tts-ljspeech/wavs/LJ001-0011.wav",
    "pyannote-sample/segments/sample_11_Sheila.wav",
]


def pct(values, q):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, max(0, round(q / 100 * (len(v) - 1))))]


def run_session(label, questions, clips, stt, tts_factory, client, patience, speculate, root):
    from voice_interviewer.audio.virtual import VirtualAudioDevice, VirtualClock
    from voice_interviewer.interviewer.channels import AudioChannel
    from voice_interviewer.bus import SessionBus
    from voice_interviewer.interviewer.interview import Interview, InterviewSettings
    from voice_interviewer.interviewer.planning import PlannedQuestion
    from voice_interviewer.judging.embeddings import shared_embedder
    from voice_interviewer.listening.listener import Listener
    from voice_interviewer.interviewer.phrasing import Phraser
    from voice_interviewer.interviewer.policy import PolicySettings
    from voice_interviewer.sessions.recorder import SessionRecorder

    device = VirtualAudioDevice(clips, think_s=1.0, clock=VirtualClock(realtime=True))
    channel = AudioChannel(device, device, tts_factory(), Listener(stt), lockstep=False, echo=lambda *_: None)
    rec = SessionRecorder("drill", {"bench": label}, root=root)
    bus = SessionBus(device.clock.now)
    bus.subscribe(rec, critical=True)
    settings = InterviewSettings(mode="drill", answer_patience_s=patience, small_talk=False, speculate=speculate,
                                 policy=PolicySettings(max_follow_ups=1, min_time_for_follow_up_s=5))
    plan = [PlannedQuestion(q, "drill", 45.0) for q in questions]
    print(f"[{label}] {len(plan)} questions in real time...", file=sys.stderr, flush=True)
    result = Interview(channel, Phraser(client), shared_embedder(), bus, rec.save_audio, settings,
                       device.clock.now).run(plan, None, None)
    rec.close(result.status)
    return [json.loads(l) for l in (rec.folder / "events.jsonl").read_text().splitlines()], rec.folder


def turn_rows(events):
    """(patience_s, latency dict, what was said) for every interviewer line that answered a turn."""
    rows, last_turn = [], None
    for e in events:
        if e["type"] == "candidate_turn":
            last_turn = e
        elif e["type"] == "interviewer_said" and "latency" in e and last_turn:
            patience = (last_turn["decided_s"] - last_turn["speech_end_s"]) if last_turn.get("speech_end_s") else None
            rows.append({"patience_s": patience, **e["latency"], "kind": e["kind"], "source": e.get("source", "")})
            last_turn = None
    return rows


def naive_rows(folder, events, questions, stt, tts, client):
    """The same turns, done the slow way: everything after the turn has ended, one step after another."""
    from voice_interviewer.audio.files import load_audio
    from voice_interviewer.judging import coverage as cov
    from voice_interviewer.judging.embeddings import shared_embedder
    from voice_interviewer.interviewer.phrasing import Phraser
    from voice_interviewer.interviewer.policy import MOVE_ON, PolicySettings, decide

    by_id = {q.id: q for q in questions}
    phraser = Phraser(client)
    rows = []
    for e in events:
        if e["type"] != "candidate_turn" or not e.get("audio"):
            continue
        q = by_id[e["question_id"]]
        t0 = time.perf_counter()
        text = " ".join(s.text for s in stt.transcribe(load_audio(folder / e["audio"]).samples))
        t1 = time.perf_counter()
        d = decide(q, cov.measure(q, [text], shared_embedder()), [], 0 if e["kind"] == "answer" else 1, 1e9, "silence",
                   PolicySettings(max_follow_ups=1, min_time_for_follow_up_s=5))
        t2 = time.perf_counter()
        line = phraser.phrase(q, d, text).text if d.action != MOVE_ON else q.question
        t3 = time.perf_counter()
        tts.synthesize(line)
        t4 = time.perf_counter()
        rows.append({"stt_s": t1 - t0, "choice_s": t2 - t1, "llm_wait_s": t3 - t2, "tts_s": t4 - t3, "response_s": t4 - t0,
                     "kind": "follow_up" if d.action != MOVE_ON else "question", "patience_s": None, "source": "naive"})
    return rows


def summarize(name, rows):
    resp = [r["response_s"] for r in rows]
    mean = lambda k: statistics.mean(r.get(k, 0.0) for r in rows) if rows else 0.0
    return [name, len(rows), f"{pct(resp, 50) * 1000:.0f}" if rows else "-", f"{pct(resp, 95) * 1000:.0f}" if rows else "-",
            f"{mean('stt_s') * 1000:.0f}", f"{mean('choice_s') * 1000:.0f}", f"{mean('llm_wait_s') * 1000:.0f}",
            f"{mean('tts_s') * 1000:.0f}"]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--questions", type=int, default=10, help="questions per session (2 turns each; default 10 -> 20 turns)")
    ap.add_argument("--patience", type=float, default=2.5, help="end-of-answer silence, seconds (default 2.5)")
    ap.add_argument("--stt", default="tiny.en")
    ap.add_argument("--device", default="auto")
    ap.add_argument("--quick", action="store_true", help="3 questions, bank configuration and naive only")
    add_common_args(ap)
    args = ap.parse_args()
    n = 3 if args.quick else args.questions

    from voice_interviewer.audio.files import load_audio
    from voice_interviewer.bank.questions import load_bank
    from voice_interviewer.runner import RunOptions
    from voice_interviewer.session import _llm_client as llm_client
    from voice_interviewer.listening.stt import SpeechToText
    from voice_interviewer.speaking.tts import TextToSpeech

    root = require_testdata("asr")
    clips = [load_audio(root / "asr" / c) for c in CLIPS]
    answers = [clips[i % len(clips)] for i in range(2 * n)]
    questions = random.Random(11).sample(load_bank().track("ml-fundamentals"), n)
    stt = SpeechToText(args.stt, device=args.device)
    tmp = Path(tempfile.mkdtemp(prefix="bench-latency-"))
    fresh_tts = lambda: TextToSpeech(cache=Path(tempfile.mkdtemp(dir=tmp)))  # nothing cached from earlier runs
    t_start = time.perf_counter()
    results, naive = {}, []
    ev, folder = run_session("bank", questions, answers, stt, fresh_tts, None, args.patience, True, tmp)
    results["bank follow-ups, speculative"] = turn_rows(ev)
    server_rss = {}
    if not args.quick:
        with llm_client(RunOptions(llm="qwen-1.5b", llm_timeout_s=30), print) as client:
            ev, folder = run_session("llm", questions, answers, stt, fresh_tts, client, args.patience, True, tmp)
            results["LLM follow-ups (1.5B), speculative"] = turn_rows(ev)
            naive = naive_rows(folder, ev, questions, stt, fresh_tts(), client)
    else:
        naive = naive_rows(folder, ev, questions, stt, fresh_tts(), None)
    elapsed = time.perf_counter() - t_start
    self_peak_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    headers = ["configuration", "turns", "p50 ms", "p95 ms", "stt tail", "choice", "llm wait", "tts first"]
    out = []
    for name, rows in results.items():
        out.append(summarize(name, rows))
        fu = [r for r in rows if r["kind"] == "follow_up"]
        out.append(summarize("  of which follow-ups", fu))
        llm = [r for r in fu if r["source"] == "llm"]
        if "LLM" in name:
            out.append(summarize("  of which LLM-phrased", llm))
    out.append(summarize("naive sequential (same turns)", naive))
    tab = table(headers, out)
    patience = [r["patience_s"] for rows in results.values() for r in rows if r["patience_s"] is not None]
    ours = [r["response_s"] for r in next(iter(results.values()))] if results else []
    key = "LLM follow-ups (1.5B), speculative" if "LLM follow-ups (1.5B), speculative" in results else "bank follow-ups, speculative"
    ratio = pct([r["response_s"] for r in naive], 50) / max(1e-6, pct([r["response_s"] for r in results[key]], 50))
    lines = [tab, "",
             f"patience window (end of speech -> turn decided): p50 {pct(patience, 50):.2f} s, p95 {pct(patience, 95):.2f} s "
             f"(setting: {args.patience} s)",
             f"naive / ours (p50, {key}): {ratio:.1f}x",
             f"peak RSS of this process: {self_peak_mib:.0f} MiB (the LLM server runs in its own process; see bench_llm)"]
    print("\n".join(lines))
    body = "\n".join([run_header("Turn-taking latency (end to end, real-time virtual device)", "bench_latency.py",
                                 f"stt {args.stt} ({stt.device.device}/{stt.device.compute_type}), piper-joe, qwen2.5-coder-1.5b",
                                 quick=args.quick, elapsed_s=elapsed), "",
                      "Times in milliseconds from the turn being decided to the first interviewer audio; the columns "
                      "after p95 are means of each share.", ""] + lines)
    if not args.no_doc:
        write_section("bench_latency", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
