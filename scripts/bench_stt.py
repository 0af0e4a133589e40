#!/usr/bin/env python
"""Benchmark speech-to-text: word error rate, speed, incremental vs one-shot.

For each Whisper model (tiny.en and base by default) transcribes every clip in
testdata/asr/manifest.tsv twice with voice_interviewer.listening.stt.transcribe_clip:
  * one-shot (incremental=False): the whole clip in one Whisper call;
  * incremental (incremental=True): the clip cut at pauses by the VAD and the
    turn detector, each chunk decoded as the live pipeline does it.
Reports corpus WER (total word edits / total reference words) per source group
(the first path component of the file: coqui-tts-ljspeech, lhotse, ...) and
overall, the WER cost of incremental decoding in points (incremental minus
one-shot; the design allows at most 1 point), model load time, and real-time
factor (Whisper decode seconds / audio seconds; below 1 is faster than real time).

Text normalisation before scoring (both sides): lowercase, accents and curly
quotes folded, hyphens to spaces, punctuation removed (apostrophes inside words
kept: "didn't"), numbers compared as written (so "1813" vs "eighteen thirteen"
counts as errors), fillers kept.

Prints tables and rewrites the bench_stt section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import statistics
import sys
import time
import wave
from collections import defaultdict
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

from voice_interviewer.models import store as model_store  # noqa: E402
from voice_interviewer.audio.clip import SAMPLE_RATE  # noqa: E402
from voice_interviewer.audio.files import load_audio  # noqa: E402
from voice_interviewer.listening.stt import STT_MODELS, SpeechToText, transcribe_clip  # noqa: E402
from voice_interviewer.listening.turns import TurnSettings  # noqa: E402
from voice_interviewer.listening.vad import SpeechDetector, VadSettings  # noqa: E402

SECTION = "bench_stt"
MODES = ("one-shot", "incremental")


def native_rate(path: Path) -> int | None:
    try:
        with wave.open(str(path), "rb") as w:
            return w.getframerate()
    except (wave.Error, EOFError):
        try:
            import av

            with av.open(str(path)) as c:
                return next(s for s in c.streams if s.type == "audio").rate
        except Exception:
            return None


def read_manifest(root: Path, notes: list[str]) -> list[dict]:
    path = root / "asr" / "manifest.tsv"
    with open(path, encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE))
    out = []
    for r in rows:
        audio = root / "asr" / r["file"]
        if not audio.exists():
            notes.append(f"{r['file']}: listed in manifest.tsv but missing; skipped")
            continue
        r["path"] = audio
        r["group"] = Path(r["file"]).parts[0]
        out.append(r)
    return out


def pick_quick(rows: list[dict], per_group: int) -> list[dict]:
    seen: dict[str, int] = defaultdict(int)
    out = []
    for r in rows:
        if seen[r["group"]] < per_group:
            out.append(r)
            seen[r["group"]] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--models", nargs="+", default=None, choices=list(STT_MODELS),
                    help="Whisper models to measure (default: tiny.en base; --quick: tiny.en)")
    ap.add_argument("--quick", action="store_true",
                    help="smaller run: 3 clips per source group, tiny.en only unless --models is given")
    ap.add_argument("--device", default="auto", help="auto (default, as the app does), cpu or cuda: passed to SpeechToText")
    ap.add_argument("--vad-aggressiveness", type=int, default=None, choices=range(4), metavar="0-3",
                    help="incremental mode only: webrtcvad aggressiveness (default: the package's VadSettings)")
    ap.add_argument("--pre-roll", type=float, default=None, metavar="SECONDS",
                    help="incremental mode only: audio kept before the turn opens (default: the package's TurnSettings)")
    bc.add_common_args(ap)
    args = ap.parse_args()
    models = args.models or (["tiny.en"] if args.quick else ["tiny.en", "base"])
    bc.wait_for_quiet(args.wait_quiet)
    cpu = bc.CpuMonitor().start()
    t_run = time.perf_counter()
    root = bc.require_testdata("asr/manifest.tsv")
    notes: list[str] = []

    rows = read_manifest(root, notes)
    if args.quick:
        rows = pick_quick(rows, 3)
    groups = list(dict.fromkeys(r["group"] for r in rows))
    # Incremental mode as transcribe_clip does it by default, unless overridden for an experiment.
    vad_settings = VadSettings() if args.vad_aggressiveness is None else \
        VadSettings(aggressiveness=args.vad_aggressiveness, min_dbfs=VadSettings().min_dbfs)
    turn_settings = None
    if args.pre_roll is not None:  # the same long limits speech_chunks uses for whole files
        turn_settings = TurnSettings(think_timeout_s=1e9, end_silence_s=1e9, time_box_s=1e9, pre_roll_s=args.pre_roll)
    variant = []
    if args.vad_aggressiveness is not None:
        variant.append(f"VAD aggressiveness {args.vad_aggressiveness}")
    if args.pre_roll is not None:
        variant.append(f"pre-roll {args.pre_roll:g} s")
    inc_desc = ("package defaults: " if not variant else "**experiment**: ") + (
        ", ".join(variant) if variant else
        "VadSettings(" + ", ".join(f"{f.name}={getattr(vad_settings, f.name):g}"
                                   for f in dataclasses.fields(vad_settings)) + "), "
        f"pre-roll {TurnSettings().pre_roll_s:g} s, commit after {TurnSettings().commit_silence_s:g} s of silence")

    clips = {}
    for r in bc.progress(rows, desc="loading audio"):
        clip = load_audio(r["path"])
        clips[r["file"]] = clip
        rate = native_rate(r["path"])
        try:
            want_rate, want_dur = int(r["sample_rate"]), float(r["duration_s"])
        except (TypeError, ValueError):
            notes.append(f"{r['file']}: manifest sample_rate/duration_s unreadable")
            continue
        if rate is not None and rate != want_rate:
            notes.append(f"{r['file']}: manifest says {want_rate} Hz, the file is {rate} Hz")
        if abs(clip.duration_s - want_dur) > 0.05:
            notes.append(f"{r['file']}: manifest says {want_dur:.2f} s, the audio is {clip.duration_s:.2f} s")
    audio_s = sum(c.duration_s for c in clips.values())

    # results[model][mode][group] -> CorpusWER ; per-clip hypotheses kept for the report
    results: dict = {}
    speed: dict = {}
    per_clip: list[dict] = []
    gate = bc.QuietGate(args.wait_quiet)
    for model in models:
        info: dict = {}
        status = model_store.status(STT_MODELS[model])
        with bc.timed(info, "resolve_s"):
            model_store.resolve(STT_MODELS[model])  # first use assembles and hashes; not load time
        info["assembled"] = status.origin.startswith("package")
        gate.before()
        with bc.CpuMonitor() as mon, bc.timed(info, "load_s"):
            stt = SpeechToText(model, device=args.device)
        info["load_clean"] = gate.after(mon)
        info["device"] = f"{stt.device.device}/{stt.device.compute_type}"
        t0 = time.perf_counter()
        stt.transcribe(np.zeros(SAMPLE_RATE, np.float32), words=False)  # warm-up, not counted
        info["warmup_s"] = time.perf_counter() - t0
        res = {m: defaultdict(bc.CorpusWER) for m in MODES}
        # Speed from the clips decoded while the machine was otherwise quiet (all, if none was).
        timing = {m: [] for m in MODES}  # (decode s, wall s, audio s, clean)
        no_speech = 0
        for r in bc.progress(rows, desc=f"{model}"):
            clip = clips[r["file"]]
            row = {"file": r["file"], "model": model, "ref": r["reference"]}
            for mode in MODES:
                gate.before()
                with bc.CpuMonitor() as mon:
                    t0 = time.perf_counter()
                    if mode == "incremental":
                        tr = transcribe_clip(stt, clip, incremental=True, detector=SpeechDetector(vad_settings),
                                             settings=turn_settings)
                    else:
                        tr = transcribe_clip(stt, clip, incremental=False)
                    wall_s = time.perf_counter() - t0
                timing[mode].append((tr.decode_s, wall_s, clip.duration_s, gate.after(mon)))
                e, n = res[mode][r["group"]].add(r["reference"], tr.text)
                res[mode]["overall"].add(r["reference"], tr.text)
                row[mode] = tr.text
                row[f"{mode} edits"] = e
                row["ref words"] = n
                if mode == "incremental" and "no speech detected" in tr.notes:
                    no_speech += 1
            per_clip.append(row)
        for mode in MODES:
            use = [t for t in timing[mode] if t[3]] or timing[mode]
            info.setdefault("clean", {})[mode] = (sum(t[3] for t in timing[mode]), len(timing[mode]))
            info.setdefault("rtf", {})[mode] = sum(t[0] for t in use) / sum(t[2] for t in use)
            info.setdefault("rtf_wall", {})[mode] = sum(t[1] for t in use) / sum(t[2] for t in use)
            info.setdefault("median_call", {})[mode] = statistics.median(t[0] for t in use)
        info["no_speech"] = no_speech
        results[model] = res
        speed[model] = info
        del stt

    # --- tables ---------------------------------------------------------------------
    wer_headers = ["source group", "clips", "ref words"]
    for model in models:
        wer_headers += [f"{model} one-shot", f"{model} incremental", f"{model} delta (pts)"]
    wer_rows = []
    for g in groups + ["overall"]:
        any_res = results[models[0]]["one-shot"][g]
        cells = [f"**{g}**" if g == "overall" else g, any_res.items, any_res.ref_words]
        for model in models:
            one, inc = results[model]["one-shot"][g].wer, results[model]["incremental"][g].wer
            cells += [bc.pct(one), bc.pct(inc), f"{100 * (inc - one):+.1f}"]
        wer_rows.append(cells)
    wer_tab = bc.table(wer_headers, wer_rows)

    speed_rows = []
    for model in models:
        s_ = speed[model]
        clean = s_["clean"]
        speed_rows.append([
            model, s_["device"], bc.fmt(s_["load_s"], 2) + ("" if s_["load_clean"] else " *"),
            bc.fmt(s_["resolve_s"], 1) + (" (assembled now)" if s_["assembled"] else ""),
            bc.fmt(audio_s, 1),
            bc.fmt(s_["rtf"]["one-shot"], 3), bc.fmt(s_["median_call"]["one-shot"], 2),
            bc.fmt(s_["rtf"]["incremental"], 3), bc.fmt(s_["median_call"]["incremental"], 2),
            bc.fmt(s_["rtf_wall"]["incremental"], 3),
            f"{clean['one-shot'][0] + clean['incremental'][0]}/{clean['one-shot'][1] + clean['incremental'][1]}",
            s_["no_speech"],
        ])
    speed_tab = bc.table(["model", "device", "load s", "resolve s", "audio s", "RTF one-shot",
                          "median s / clip one-shot", "RTF incremental", "median s / clip incremental",
                          "RTF incremental wall (VAD incl.)", "quiet decodes", "clips with no speech found"],
                         speed_rows, "ll" + "r" * 10)
    quiet_note = (f"speed from the decodes timed while other processes used at most {bc.CpuMonitor.DIRTY:.0%} of the "
                  "machine (\"quiet decodes\"; all decodes when none was quiet); * = others were busy")

    verdict = []
    for model in models:
        one, inc = results[model]["one-shot"]["overall"], results[model]["incremental"]["overall"]
        d = 100 * (inc.wer - one.wer)
        verdict.append(f"{model}: incremental {bc.pct(inc.wer)} vs one-shot {bc.pct(one.wer)} -> "
                       f"{d:+.1f} WER points ({'within' if d <= 1.0 else 'OVER'} the 1-point budget; "
                       f"{inc.edits - one.edits:+d} word edits of {one.ref_words} words)")

    diffs = sorted((r for r in per_clip if r["one-shot edits"] != r["incremental edits"]),
                   key=lambda r: -(r["incremental edits"] - r["one-shot edits"]))
    diff_rows = [[r["model"], r["file"], f"{r['one-shot edits']}/{r['ref words']}",
                  f"{r['incremental edits']}/{r['ref words']}",
                  r["one-shot"][:90], r["incremental"][:90]]
                 for r in diffs[:12]]
    diff_tab = bc.table(["model", "clip", "edits one-shot", "edits incremental", "one-shot text",
                         "incremental text"], diff_rows, "llrrll") if diff_rows else "(none: both modes gave the same word edits on every clip)"

    print("\nWord error rate per source group (corpus WER = total edits / total reference words)\n")
    print(wer_tab)
    print(f"\nIncremental mode: {inc_desc}")
    print("\nIncremental vs one-shot (overall):")
    for v in verdict:
        print(f"- {v}")
    print("\nSpeed\n")
    print(speed_tab)
    print(quiet_note)
    print(f"\nClips where incremental and one-shot differ (most extra edits first, {len(diffs)} in all)\n")
    print(diff_tab)
    elapsed = bc.finish_run(cpu, t_run, notes)
    if args.no_doc:
        return
    if variant:
        print("experiment flags given: docs/benchmarks.md left alone (it holds the package defaults)")
        return

    model_desc = ", ".join(f"Whisper {m} (`{STT_MODELS[m]}`, faster-whisper/CTranslate2 {speed[m]['device']}, "
                           f"beam 1, language en)" for m in models)
    flags = "".join([f" --models {' '.join(models)}" if args.models else "",
                     f" --vad-aggressiveness {args.vad_aggressiveness}" if args.vad_aggressiveness is not None else "",
                     f" --pre-roll {args.pre_roll:g}" if args.pre_roll is not None else ""])
    header = bc.run_header("Speech-to-text (bench_stt.py)", "bench_stt.py" + flags, model_desc,
                           ["faster-whisper", "ctranslate2"], quick=args.quick, elapsed_s=elapsed, cpu=cpu)
    body = f"""{header}
- data: `testdata/asr/manifest.tsv`, {len(rows)} clips, {audio_s:.1f} s of audio, human (or test-expectation) references
- method: `transcribe_clip(stt, clip, incremental=False)` (one Whisper call per clip) and
  `incremental=True` (default `SpeechDetector` + turn detector cut the clip at pauses; chunks decoded
  with the running text as prompt; {inc_desc}). Corpus WER = total word edits / total reference words.
  Normalisation (both sides): lowercase, accents and curly quotes folded, hyphens to spaces,
  punctuation dropped (in-word apostrophes kept), numbers compared as written
  (Whisper's "1813" vs the reference "eighteen thirteen" counts as errors), fillers kept.
  RTF = Whisper decode seconds / audio seconds; load time = `SpeechToText(...)` with the model
  already assembled; a 1 s warm-up call is not counted.

**Word error rate** (delta = incremental minus one-shot, in WER points; the design allows at most +1):

{wer_tab}

{chr(10).join('- ' + v for v in verdict)}

**Speed** ({quiet_note})

{speed_tab}

<details><summary>Clips where incremental and one-shot differ ({len(diffs)})</summary>

{diff_tab}

</details>
"""
    if notes:
        body += "\nNotes on the data:\n\n" + "\n".join(f"- {n}" for n in notes) + "\n"
    bc.write_section(SECTION, body)
    print(f"wrote the {SECTION} section of {bc.DOC_PATH}")


if __name__ == "__main__":
    main()
