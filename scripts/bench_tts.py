#!/usr/bin/env python
"""Benchmark text-to-speech (Piper, through voice_interviewer.speaking.tts.TextToSpeech).

Uses a fresh temporary phrase-cache folder, so every sentence is really
synthesised (nothing comes from the cache). Measures:
  * import time of piper and load time of the voice (TextToSpeech(...));
  * time to first audio: from calling TextToSpeech.stream(text) to the first
    sentence's samples, for 10 interview-style prompts of varied length
    (some of two sentences, some with ML jargon the text normaliser rewrites);
  * real-time factor: synthesis seconds / seconds of audio produced;
  * round-trip intelligibility: each prompt's audio resampled to 16 kHz
    (voice_interviewer.audio.clip.resample) and transcribed one-shot by Whisper
    tiny.en; word error rate against the written prompt (same normalisation as
    bench_stt: lowercase, punctuation dropped, hyphens to spaces, numbers as written).

Prints tables and rewrites the bench_tts section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

from voice_interviewer.audio.clip import SAMPLE_RATE, AudioClip, resample  # noqa: E402

SECTION = "bench_tts"

# Interview-style prompts, short to long; written for this benchmark.
SENTENCES = [
    "Thanks, that's helpful.",
    "Let's move on to the next question.",
    "Can you explain the bias-variance trade-off in your own words?",
    "You have about two minutes left, so give me the short version.",
    "Good. Now imagine your model's AUC drops overnight. What do you check first?",
    "How would you detect overfitting in a gradient boosted model, and what would you change first?",
    "What is the difference between L1 and L2 regularization, and when would you prefer one over the other?",
    "Suppose an A/B test shows a small lift in click-through rate, but the p-value is just above your threshold. "
    "What would you tell the product manager?",
    "Tell me about a project where the data turned out to be very different from what you expected, "
    "and what you changed because of it.",
    "Walk me through how you would design a recommendation system for a streaming service, starting from "
    "the data you would collect, then the model, and finally how you would know it works in production.",
]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="smaller run: 4 of the 10 prompts")
    ap.add_argument("--voice", default="piper-joe", help="voice model name in models/manifest.yaml (default piper-joe)")
    ap.add_argument("--stt-model", default="tiny.en", help="Whisper model for the round trip (default tiny.en)")
    bc.add_common_args(ap)
    args = ap.parse_args()
    bc.wait_for_quiet(args.wait_quiet)
    cpu = bc.CpuMonitor().start()
    t_run = time.perf_counter()
    sentences = SENTENCES[::3] if args.quick else SENTENCES

    times: dict = {}
    with bc.timed(times, "import_s"):
        import piper  # noqa: F401  (import cost shown on its own)
        from voice_interviewer.speaking.tts import TextToSpeech
    from voice_interviewer.models import store as model_store
    from voice_interviewer.listening.stt import SpeechToText, transcribe_clip
    from voice_interviewer.speaking.tts_text import normalize_for_speech, split_sentences

    model_store.resolve(args.voice)  # assembled beforehand: not part of the load time
    rows, per = [], []
    with tempfile.TemporaryDirectory(prefix="bench-tts-cache-") as tmp:
        with bc.timed(times, "load_s"):
            tts = TextToSpeech(args.voice, cache=Path(tmp))
        gate = bc.QuietGate(args.wait_quiet)
        for text in bc.progress(sentences, desc="synthesising"):
            gate.before()
            with bc.CpuMonitor() as mon:
                t0 = time.perf_counter()
                stream = tts.stream(text)
                first = next(stream)
                ttfa = time.perf_counter() - t0
                pieces = [first] + list(stream)
                synth = time.perf_counter() - t0
            clean = gate.after(mon)
            audio_s = sum(p.duration_s for p in pieces)
            samples = np.concatenate([p.samples for p in pieces])
            per.append({"text": text, "ttfa": ttfa, "synth": synth, "audio": audio_s, "samples": samples,
                        "rate": pieces[0].rate, "n": len(pieces), "clean": clean, "other": mon.other})
        cached = len(list(Path(tmp).glob("*.wav")))
        with bc.timed(times, "stt_load_s"):
            stt = SpeechToText(args.stt_model)
        corpus = bc.CorpusWER()
        for p in bc.progress(per, desc=f"round trip ({args.stt_model})"):
            clip = AudioClip(resample(p["samples"], p["rate"], SAMPLE_RATE), "tts")
            heard = transcribe_clip(stt, clip, incremental=False).text
            e, n = corpus.add(p["text"], heard)
            p.update(heard=heard, edits=e, words=n)
    rate = per[0]["rate"]

    for i, p in enumerate(per, 1):
        rows.append([f"{i}{'' if p['clean'] else ' *'}", len(p["text"]), p["n"], bc.fmt(p["audio"], 2),
                     bc.fmt(p["ttfa"], 3), bc.fmt(p["synth"], 3), bc.fmt(p["synth"] / p["audio"], 3),
                     bc.pct(p["other"], 0), f"{p['edits']}/{p['words']}"])
    tab = bc.table(["#", "chars", "sentences", "audio s", "first audio s", "synth s", "RTF", "others' CPU",
                    "round-trip edits"], rows)
    heard_tab = bc.table(["#", "prompt", "spoken form (normalize_for_speech)", "heard by " + args.stt_model],
                         [[i, p["text"], " ".join(normalize_for_speech(s) for s in split_sentences(p["text"])),
                           p["heard"]] for i, p in enumerate(per, 1)], "rlll")
    quiet = [p for p in per if p["clean"]] or per  # timings from quiet steps only (all if none was quiet)
    total_synth = sum(p["synth"] for p in quiet)
    total_audio = sum(p["audio"] for p in quiet)
    ttfas = [p["ttfa"] for p in quiet]
    quiet_note = (f"timing medians over the {sum(p['clean'] for p in per)} of {len(per)} prompts synthesised while "
                  f"other processes used at most {bc.CpuMonitor.DIRTY:.0%} of the machine; * = others were busy")
    summary = bc.table(
        ["piper import s", "voice load s", "first audio s: first call", "median", "max",
         "RTF overall", "round-trip WER", "prompts"],
        [[bc.fmt(times["import_s"], 2), bc.fmt(times["load_s"], 2), bc.fmt(per[0]["ttfa"], 3),
          bc.fmt(statistics.median(ttfas), 3), bc.fmt(max(ttfas), 3), bc.fmt(total_synth / total_audio, 3),
          f"{bc.pct(corpus.wer)} ({corpus.edits}/{corpus.ref_words})", len(per)]])

    print("\nSummary\n")
    print(summary)
    print(quiet_note)
    print("\nPer prompt\n")
    print(tab)
    print("\nWhat was said and heard\n")
    print(heard_tab)
    note = "" if cached == len([s for p in per for s in split_sentences(p["text"])]) else \
        f"\nnote: the temporary cache holds {cached} files, expected one per sentence"
    if note:
        print(note)
    elapsed = bc.finish_run(cpu, t_run)
    if args.no_doc:
        return

    header = bc.run_header("Text-to-speech (bench_tts.py)", "bench_tts.py",
                           f"Piper voice `{args.voice}` ({rate} Hz, CPU); round trip through Whisper {args.stt_model}",
                           ["piper-tts", "onnxruntime", "faster-whisper"], quick=args.quick, elapsed_s=elapsed, cpu=cpu)
    body = f"""{header}
- method: `TextToSpeech(voice, cache=<fresh temporary folder>)`, so nothing comes from the phrase
  cache; first audio = time from `stream(text)` to its first sentence's samples (Piper synthesises
  a whole sentence before handing it out); RTF = synthesis seconds / audio seconds. Round trip:
  audio resampled to 16 kHz and transcribed one-shot; WER against the written prompt
  (normalised as in bench_stt; "L1" written vs "L one" heard counts as an error).
  Summary: {quiet_note}.

{summary}

{tab}

<details><summary>What was said and heard</summary>

{heard_tab}

</details>
{note}
"""
    bc.write_section(SECTION, body)
    print(f"wrote the {SECTION} section of {bc.DOC_PATH}")


if __name__ == "__main__":
    main()
