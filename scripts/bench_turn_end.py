#!/usr/bin/env python
"""End of turn: how often a finished answer can end fast, and how often a thinking pause is cut.

For every finished answer of the corpus (scripts/turn_end_corpus.py: real recordings whose dataset
transcript ends a sentence) and every pause inside one (the reader's own pauses between the clips of a
sentence, silence inserted at random word boundaries, silence inserted after an inner sentence), it
records what the live turn detector sees 0.2 s after the last word: Smart Turn's verdict on the audio,
and the running transcript as the incremental recogniser has it then. Rules that end the turn fast are
then scored on those points: share of finished answers that end fast (reply after ~0.7 s of silence)
and share of pauses that would have been cut. The features are cached (--cache), so rules can be
compared without re-running the models.

Figures, not tests. Writes the "turn_end" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402
import turn_end_corpus as corpus  # noqa: E402

from voice_interviewer.audio.clip import FRAME_MS, SAMPLE_RATE, AudioClip  # noqa: E402
from voice_interviewer.listening.listener import sounds_unfinished  # noqa: E402

TAIL_S = 0.2  # silence after the last word that Smart Turn hears (TurnSettings.verdict_tail_s)


def last_voiced_before(labels: list[bool], t: float) -> float:
    i = min(len(labels), int(t * 1000 / FRAME_MS))
    while i > 0 and not labels[i - 1]:
        i -= 1
    return i * FRAME_MS / 1000


def point(stt, smart, samples: np.ndarray, speech_end_s: float, kind: str, name: str) -> dict:
    """What the detector sees TAIL_S after the last word at speech_end_s."""
    from voice_interviewer.listening.stt import transcribe_clip

    cut = samples[: int((speech_end_s + TAIL_S) * SAMPLE_RATE)]
    if len(cut) < int((speech_end_s + TAIL_S) * SAMPLE_RATE):  # the recording stops sooner: pad the tail
        cut = np.concatenate([cut, np.zeros(int((speech_end_s + TAIL_S) * SAMPLE_RATE) - len(cut), np.int16)])
    p = smart(cut)
    text = transcribe_clip(stt, AudioClip(samples[: int((speech_end_s + 0.3) * SAMPLE_RATE)])).text
    return {"name": name, "kind": kind, "t": round(speech_end_s, 2), "p": round(float(p), 4), "text": text,
            "words": len(text.split())}


def collect(seed: int = 0, per_answer: int = 3, quick: bool = False) -> list[dict]:
    from voice_interviewer.listening.silero import SileroDetector
    from voice_interviewer.listening.smart_turn import SmartTurn
    from voice_interviewer.listening.stt import SpeechToText

    stt, smart, det = SpeechToText("tiny.en", device="cpu"), SmartTurn().complete_probability, SileroDetector()
    rng, points = random.Random(seed), []
    answers = corpus.finished_answers(bc.require_testdata("asr"))
    for a in bc.progress(answers[:8] if quick else answers, desc="answers"):
        labels = det.label_clip(AudioClip(a.samples))
        points.append(point(stt, smart, a.samples, last_voiced_before(labels, a.duration_s), "end", a.name))
        for j in a.joins_s:
            points.append(point(stt, smart, a.samples, last_voiced_before(labels, j), "joined", a.name))
        words = [w for s in stt.transcribe(a.samples) for w in s.words]
        boundaries = {corpus.word_boundary(words, rng) for _ in range(per_answer)} - {None}
        for at in sorted(boundaries):
            points.append(point(stt, smart, corpus.with_silence(a.samples, at, 3.0), at, "word", a.name))
        for at in corpus.sentence_boundaries(words):
            points.append(point(stt, smart, corpus.with_silence(a.samples, at, 3.0), at, "sentence", a.name))
    return points


# A rule: point -> ends the turn fast (True) or waits out the patience window (False).
def rule_audio(th: float):
    return lambda pt: pt["p"] >= th


def rule_text_gated(th: float):
    """The live rule: the transcript must not end mid-sentence, and the audio must sound finished."""
    return lambda pt: not sounds_unfinished(pt["text"]) and pt["p"] >= th


RULES = [(f"audio p >= {th}", rule_audio(th)) for th in (0.5, 0.9, 0.97, 0.98)] + \
        [(f"text ends a sentence and p >= {th}", rule_text_gated(th)) for th in (0.5, 0.9, 0.95, 0.96, 0.97, 0.98)]
LONG_S = 4.0  # answers at least this long: interview-length (the rest are short conversational turns)
KINDS = [("joined", "reader's own mid-sentence pauses"), ("word", "pauses at random word boundaries"),
         ("sentence", "pauses after an inner sentence")]


def score(points: list[dict], rules=RULES) -> list[list]:
    rows = []
    ends = [p for p in points if p["kind"] == "end"]
    long_ends = [p for p in ends if p["t"] >= LONG_S]
    for label, rule in rules:
        row = [label, bc.pct(np.mean([rule(p) for p in ends])),
               f"{bc.pct(np.mean([rule(p) for p in long_ends]))} ({sum(rule(p) for p in long_ends)}/{len(long_ends)})"]
        for kind, _ in KINDS:
            group = [p for p in points if p["kind"] == kind]
            row.append(f"{bc.pct(np.mean([rule(p) for p in group]))} ({sum(rule(p) for p in group)}/{len(group)})"
                       if group else "-")
        rows.append(row)
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="8 answers only")
    ap.add_argument("--cache", type=Path, default=Path("benchmarks/turn_end/points.json"),
                    help="feature cache: read if present (unless --refresh), written after collecting")
    ap.add_argument("--refresh", action="store_true", help="re-run the models even if the cache exists")
    ap.add_argument("--pauses", type=int, default=8, help="random word-boundary pauses tried per answer (default 8)")
    ap.add_argument("--seed", type=int, default=0, help="seed for the pause positions")
    bc.add_common_args(ap)
    args = ap.parse_args()
    cpu, t_run = bc.CpuMonitor().start(), time.perf_counter()
    if args.cache.exists() and not args.refresh:
        points = json.loads(args.cache.read_text())
    else:
        points = collect(args.seed, args.pauses, args.quick)
        args.cache.parent.mkdir(parents=True, exist_ok=True)
        args.cache.write_text(json.dumps(points, indent=1))
    elapsed = bc.finish_run(cpu, t_run)
    counts = {k: sum(p["kind"] == k for p in points) for k in ("end", "joined", "word", "sentence")}
    body = "\n\n".join([
        bc.run_header("End of turn: finished answers vs thinking pauses", "bench_turn_end.py",
                      "whisper tiny.en (int8, CPU), Silero VAD, Smart Turn v3.2", quick=args.quick,
                      elapsed_s=elapsed, cpu=cpu),
        f"{counts['end']} finished answers (real recordings whose dataset transcript ends a sentence; LJSpeech "
        f"clips joined into whole sentences) and {counts['joined'] + counts['word'] + counts['sentence']} pauses "
        "inside them, each seen as the live detector sees it 0.2 s after the last word: Smart Turn's verdict and "
        "the running transcript. A rule that says \"finished\" ends the turn after ~0.7 s of silence; otherwise "
        "the turn waits out the patience window (3.2 s), so a pause the rule calls finished is a cut answer.\n\n"
        + bc.table(["rule", "finished answers that end fast", f"of them >= {LONG_S:.0f} s"]
                   + [f"{d} cut" for _, d in KINDS], score(points)),
    ])
    if not args.no_doc:
        bc.write_section("turn_end", body)
    print(body)


if __name__ == "__main__":
    main()
