#!/usr/bin/env python
"""Benchmark the voice-activity detector against human speech labels.

Scores voice_interviewer.listening.vad.SpeechDetector frame by frame (30 ms frames, the
frames the live pipeline uses) against human annotations, for webrtcvad
aggressiveness 0..3 (each with the default level gates of VadSettings) and the
default VadSettings; the full run also shows each aggressiveness as webrtcvad
alone (level gates off).

Reference label of a frame: speech when the frame's midpoint lies inside a
labelled speech interval. Only frames whose midpoint lies inside the annotated
range are scored.

Data sets (under the shared test data folder):
  * vad/speech_segments_from_rttm.tsv: speech intervals per file (union of the
    human speaker turns); its pyannote sample.wav rows are scored here, its AMI
    rows are checked against the AMI RTTM files (same labels, scored once);
  * vad/pyannote-ami-debug: AMI meeting excerpts, RTTM speaker turns (speech =
    union of turns), scored inside the UEM ranges;
  * vad/speechbrain/{train,valid}.wav with VAD_train.json / VAD_dev.json;
  * vad/speechbrain/noise: noise only. Reported as the false-positive frame rate
    and as turns the turn detector (default TurnSettings) would open per minute
    of noise: noise alone must not open a turn.

Precision, recall and F1 are micro-averaged (frames summed) per data set and
overall. Prints tables and rewrites the bench_vad section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import json
import math
import sys
import time
import unicodedata
import wave
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402

from voice_interviewer.audio.clip import FRAME_MS, SAMPLE_RATE, AudioClip  # noqa: E402
from voice_interviewer.audio.files import load_audio  # noqa: E402
from voice_interviewer.listening.turns import SpeechStarted, TurnDetector, TurnEnded, TurnSettings  # noqa: E402
from voice_interviewer.listening.vad import SpeechDetector, VadSettings  # noqa: E402

FRAME_S = FRAME_MS / 1000
SECTION = "bench_vad"
TOL_S = 0.0015  # label comparisons: RTTM times have millisecond precision


@dataclass
class Item:
    dataset: str
    name: str
    clip: AudioClip
    speech: list[tuple[float, float]]  # seconds, relative to the clip
    scored: list[tuple[float, float]]  # annotated ranges, relative to the clip


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, other: "Counts") -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.fn += other.fn
        self.tn += other.tn

    @property
    def frames(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else float("nan")

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else float("nan")

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r and not (math.isnan(p) or math.isnan(r)) else float("nan")

    @property
    def fp_rate(self) -> float:
        neg = self.fp + self.tn
        return self.fp / neg if neg else float("nan")

    @property
    def speech_share(self) -> float:
        return (self.tp + self.fn) / self.frames if self.frames else float("nan")


@dataclass
class Findings:
    """Things about the data worth saying in the report."""

    notes: list[str] = field(default_factory=list)

    def add(self, text: str) -> None:
        self.notes.append(text)
        print(f"note: {text}", file=sys.stderr)


# --- labels -------------------------------------------------------------------------
def union(intervals) -> list[tuple[float, float]]:
    out: list[list[float]] = []
    for s, e in sorted((float(s), float(e)) for s, e in intervals if e > s):
        if out and s <= out[-1][1]:
            out[-1][1] = max(out[-1][1], e)
        else:
            out.append([s, e])
    return [(s, e) for s, e in out]


def frame_masks(n_frames: int, duration_s: float, speech, scored) -> tuple[np.ndarray, np.ndarray]:
    mids = (np.arange(n_frames) + 0.5) * FRAME_S
    ref = np.zeros(n_frames, bool)
    for s, e in speech:
        ref |= (mids >= s) & (mids < e)
    keep = np.zeros(n_frames, bool)
    for s, e in scored:
        keep |= (mids >= s) & (mids < e)
    keep &= mids < duration_s  # the padded last frame is mostly padding
    return ref, keep


def same_intervals(a, b) -> bool:
    return len(a) == len(b) and all(abs(x[0] - y[0]) <= TOL_S and abs(x[1] - y[1]) <= TOL_S for x, y in zip(a, b))


def ascii_fold(name: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", name) if not unicodedata.combining(c))


def native_rate(path: Path) -> int:
    try:
        with wave.open(str(path), "rb") as w:
            return w.getframerate()
    except (wave.Error, EOFError):
        import av

        with av.open(str(path)) as c:
            return next(s for s in c.streams if s.type == "audio").rate


# --- data sets ----------------------------------------------------------------------
def load_ami(root: Path, findings: Findings, quick: bool) -> tuple[list[Item], dict]:
    folder = root / "vad" / "pyannote-ami-debug"
    turns: dict[str, list] = defaultdict(list)
    uem: dict[str, list] = defaultdict(list)
    listed: dict[str, str] = {}
    for split in ("train", "development", "test"):
        for line in (folder / f"debug.{split}.rttm").read_text(encoding="utf-8").splitlines():
            f = line.split()
            if len(f) >= 5 and f[0] == "SPEAKER":
                turns[f[1]].append((float(f[3]), float(f[3]) + float(f[4])))
        for line in (folder / f"debug.{split}.uem").read_text(encoding="utf-8").splitlines():
            f = line.split()
            if len(f) >= 4:
                uem[f[0]].append((float(f[2]), float(f[3])))
        lst = folder / f"debug.{split}.lst"
        if lst.exists():
            for uri in lst.read_text(encoding="utf-8").split():
                listed[uri] = split
    wavs = {p.stem: p for p in folder.glob("*.wav")}
    for uri in sorted(set(listed) - set(turns) - set(uem)):
        match = ascii_fold(uri)
        findings.add(f"AMI: uri {uri!r} in debug.{listed[uri]}.lst has no RTTM/UEM entry and no wav"
                     + (f"; the RTTM, UEM and wav use {match!r}" if match in turns and match in wavs else ""))
    for uri in sorted(set(turns) - set(uem)):
        findings.add(f"AMI: {uri} has speaker turns but no UEM range; not scored")
    items, unions = [], {}
    uris = sorted(uem)
    if quick:
        uris = [u for u in uris if not u.startswith("trn")]
    for uri in bc.progress(uris, desc="AMI files"):
        path = wavs.get(uri) or wavs.get(ascii_fold(uri))
        if path is None:
            findings.add(f"AMI: no wav for uri {uri!r}; skipped")
            continue
        clip = load_audio(path)
        sp = union(turns.get(uri, []))
        unions[f"vad/pyannote-ami-debug/{path.name}"] = sp
        items.append(Item("AMI debug (RTTM+UEM)", path.stem, clip, sp, union(uem[uri])))
    return items, unions


def load_tsv(root: Path, ami_unions: dict, findings: Findings) -> list[Item]:
    path = root / "vad" / "speech_segments_from_rttm.tsv"
    rows: dict[str, list] = defaultdict(list)
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader)
        if header[:3] != ["audio_file", "start_s", "end_s"]:
            findings.add(f"TSV: unexpected header {header}")
        for r in reader:
            if len(r) >= 3 and r[0].strip():
                rows[r[0].strip()].append((float(r[1]), float(r[2])))
    items = []
    for rel, segs in rows.items():
        audio = root / rel
        if not audio.exists():
            findings.add(f"TSV: {rel} does not exist; skipped")
            continue
        sp = union(segs)
        if rel in ami_unions:
            if not same_intervals(sp, ami_unions[rel]):
                findings.add(f"TSV: intervals for {rel} differ from the union of its RTTM turns")
            continue  # scored once, with the AMI set (which also has the UEM range)
        if rel.startswith("vad/pyannote-ami-debug/"):
            continue  # AMI file left out of a --quick run
        clip = load_audio(audio)
        rttm = audio.with_suffix(".rttm")
        if rttm.exists():
            rt = union((float(l.split()[3]), float(l.split()[3]) + float(l.split()[4]))
                       for l in rttm.read_text().splitlines() if l.startswith("SPEAKER"))
            if not same_intervals(sp, rt):
                findings.add(f"TSV: intervals for {rel} differ from the union of {rttm.name}")
        if sp and sp[-1][1] > clip.duration_s + TOL_S:
            findings.add(f"TSV: {rel} labels run to {sp[-1][1]:.2f} s but the audio is {clip.duration_s:.2f} s")
        items.append(Item("pyannote sample (TSV)", audio.stem, clip, sp, [(0.0, clip.duration_s)]))
    n_ami = sum(1 for r in rows if r.startswith("vad/pyannote-ami-debug/"))
    if n_ami:
        findings.add(f"TSV: {n_ami} of its {len(rows)} files are AMI debug files; their rows were checked "
                     "against the union of the RTTM turns (a mismatch is listed here) and are scored once, "
                     "in the AMI set")
    return items


def load_speechbrain(root: Path, findings: Findings) -> list[Item]:
    folder = root / "vad" / "speechbrain"
    items = []
    cache: dict[Path, tuple[AudioClip, int]] = {}
    for js in ("VAD_train.json", "VAD_dev.json"):
        data = json.loads((folder / js).read_text())
        for key, ex in data.items():
            wav = Path(ex["wav"]["file"].replace("{data_folder}", str(folder)))
            if not wav.exists():
                findings.add(f"speechbrain: {js} {key}: {wav} missing; skipped")
                continue
            if wav not in cache:
                cache[wav] = (load_audio(wav), native_rate(wav))
                if cache[wav][1] != SAMPLE_RATE:
                    findings.add(f"speechbrain: {wav.name} is {cache[wav][1]} Hz; sample indices converted")
            clip, rate = cache[wav]
            start_s, stop_s = ex["wav"]["start"] / rate, ex["wav"]["stop"] / rate
            if "length" in ex and ex["length"] != ex["wav"]["stop"] - ex["wav"]["start"]:
                findings.add(f"speechbrain: {js} {key}: length {ex['length']} != stop - start")
            if stop_s > clip.duration_s + 1e-6:
                findings.add(f"speechbrain: {js} {key} ends at {stop_s:.2f} s, past the end of {wav.name}")
            a, b = round(start_s * SAMPLE_RATE), round(min(stop_s, clip.duration_s) * SAMPLE_RATE)
            piece = AudioClip(clip.samples[a:b], f"{wav}#{key}")
            nums = [float(x) for x in str(ex.get("speech", "")).split()]
            if len(nums) % 2:
                findings.add(f"speechbrain: {js} {key}: odd number of speech boundaries; last one dropped")
            sp = union(zip(nums[0::2], nums[1::2]))
            items.append(Item("speechbrain VAD", f"{wav.stem}:{key}", piece, sp, [(0.0, piece.duration_s)]))
    return items


def load_noise(root: Path) -> list[Item]:
    folder = root / "vad" / "speechbrain" / "noise"
    paths = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".wav", ".flac"))
    items = []
    for p in paths:
        clip = load_audio(p)
        items.append(Item("noise only", p.name, clip, [], [(0.0, clip.duration_s)]))
    return items


# --- scoring ------------------------------------------------------------------------
def settings_text(v: VadSettings) -> str:
    return ", ".join(f"{f.name} {getattr(v, f.name):g}" for f in dataclasses.fields(v))


def without_level_gates(v: VadSettings) -> VadSettings:
    """webrtcvad's own decision only: every level/energy gate the settings have, switched off."""
    off = {f.name: -1e9 for f in dataclasses.fields(v) if f.name in ("min_dbfs", "margin_db")}
    return dataclasses.replace(v, **off)


SILERO = "silero"


def make_detector(settings):
    """webrtcvad with the adaptive floor for VadSettings; Silero VAD for SILERO."""
    if settings == SILERO:
        from voice_interviewer.listening.silero import SileroDetector

        return SileroDetector()
    return SpeechDetector(settings)


def configs(full: bool) -> list[tuple[str, VadSettings]]:
    d = VadSettings()
    out = [(f"aggr {a}", dataclasses.replace(d, aggressiveness=a)) for a in range(4)]
    out.append((f"webrtcvad + floor, VadSettings (aggr {d.aggressiveness})", d))
    out.append(("Silero VAD (on 0.5, off 0.35): the default", SILERO))
    if full:
        out += [(f"aggr {a}, webrtcvad only", without_level_gates(dataclasses.replace(d, aggressiveness=a)))
                for a in range(4)]
    return out


def turns_opened(frames: list[bytes], labels: list[bool], settings: TurnSettings) -> tuple[int, float | None]:
    """Turns the detector opens when listening to the whole clip, re-armed after each turn ends."""
    det = TurnDetector(settings)
    opened, first = 0, None
    for i, (frame, voiced) in enumerate(zip(frames, labels)):
        for ev in det.push(frame, voiced):
            if isinstance(ev, SpeechStarted):
                opened += 1
                first = first if first is not None else (i + 1) * FRAME_S  # when the detector decided
            elif isinstance(ev, TurnEnded):
                det = TurnDetector(settings)
                break
    return opened, first


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true",
                    help="smaller run: AMI dev+test files only (4 of 14), no webrtcvad-only rows")
    bc.add_common_args(ap)
    args = ap.parse_args()
    bc.wait_for_quiet(args.wait_quiet)
    cpu = bc.CpuMonitor().start()
    t_run = time.perf_counter()
    root = bc.require_testdata("vad")
    findings = Findings()
    full = not args.quick

    ami, ami_unions = load_ami(root, findings, args.quick)
    items = load_tsv(root, ami_unions, findings) + ami + load_speechbrain(root, findings)
    noise = load_noise(root)
    speech_sets = list(dict.fromkeys(i.dataset for i in items))
    turn_settings = TurnSettings()

    per: dict[tuple[str, str], Counts] = defaultdict(Counts)
    noise_rows: dict[str, dict] = {}
    noise_files: list[list] = []
    us_per_frame: dict[str, float] = {}
    cfgs = configs(full)
    default_name = cfgs[5][0]  # Silero, the default detector
    frames_cache = {id(it): list(it.clip.frames()) for it in items + noise}
    bar = bc.progress(total=len(cfgs) * (len(items) + len(noise)), desc="labelling frames")
    for name, settings in cfgs:
        n_frames, t_label = 0, 0.0
        for it in items + noise:
            frames = frames_cache[id(it)]
            det = make_detector(settings)
            t0 = time.perf_counter()
            hyp = np.array([det.is_speech(f) for f in frames], bool)
            t_label += time.perf_counter() - t0
            n_frames += len(frames)
            ref, keep = frame_masks(len(frames), it.clip.duration_s, it.speech, it.scored)
            h, r = hyp[keep], ref[keep]
            c = Counts(int(np.sum(h & r)), int(np.sum(h & ~r)), int(np.sum(~h & r)), int(np.sum(~h & ~r)))
            per[(it.dataset, name)].add(c)
            if it.dataset == "noise only":
                opened, first = turns_opened(frames, list(hyp), turn_settings)
                row = noise_rows.setdefault(name, {"opened": 0, "files_opened": 0, "seconds": 0.0})
                row["opened"] += opened
                row["files_opened"] += opened > 0
                row["seconds"] += it.clip.duration_s
                if name == default_name:
                    noise_files.append([it.name, bc.fmt(it.clip.duration_s, 1), bc.pct(c.fp_rate),
                                        opened, "-" if first is None else f"{first:.2f} s"])
            bar.update(1)
        us_per_frame[name] = 1e6 * t_label / max(1, n_frames)
    bar.close()

    # --- tables ---------------------------------------------------------------------
    detail_rows, summary_rows = [], []
    for name, _ in cfgs:
        overall, overall_noise = Counts(), Counts()
        cells = [name]
        for ds in speech_sets:
            c = per[(ds, name)]
            overall.add(c)
            cells.append(bc.fmt(c.f1, 3))
        overall_noise.add(overall)
        overall_noise.add(per[("noise only", name)])
        cells += [bc.fmt(overall.precision, 3), bc.fmt(overall.recall, 3), bc.fmt(overall.f1, 3),
                  bc.fmt(overall_noise.precision, 3), bc.fmt(overall_noise.f1, 3)]
        summary_rows.append(cells)
        per[("overall (speech sets)", name)] = overall
        per[("overall incl. noise", name)] = overall_noise
    for ds in speech_sets + ["noise only", "overall (speech sets)", "overall incl. noise"]:
        for name, _ in cfgs:
            c = per[(ds, name)]
            detail_rows.append([ds, name, c.frames, bc.pct(c.speech_share), bc.fmt(c.precision, 3),
                                bc.fmt(c.recall, 3), bc.fmt(c.f1, 3), bc.pct(c.fp_rate)])
    noise_table_rows = []
    for name, _ in cfgs:
        r = noise_rows[name]
        minutes = r["seconds"] / 60
        noise_table_rows.append([name, bc.pct(per[("noise only", name)].fp_rate), r["opened"],
                                 bc.fmt(r["opened"] / minutes, 2), f"{r['files_opened']} of {len(noise)}",
                                 bc.fmt(us_per_frame[name], 1)])

    n_by_set = {ds: sum(1 for i in items if i.dataset == ds) for ds in speech_sets}
    summary = bc.table(["settings"] + [f"F1 {ds}" for ds in speech_sets]
                       + ["P overall", "R overall", "F1 overall", "P incl. noise", "F1 incl. noise"], summary_rows)
    detail = bc.table(["data set", "settings", "frames", "speech", "precision", "recall", "F1", "FP rate"],
                      detail_rows, "ll" + "r" * 6)
    noise_tab = bc.table(["settings", "noise frames called speech", "turns opened", "turns / min of noise",
                          "files with a false turn", "us / frame (is_speech)"], noise_table_rows)
    noise_file_tab = bc.table(["noise file", "seconds", "frames called speech", "turns opened", "first turn opened at"],
                              noise_files)
    noise_minutes = sum(i.clip.duration_s for i in noise) / 60
    sets_line = "; ".join(f"{ds}: {n_by_set[ds]} clips" for ds in speech_sets) + \
        f"; noise only: {len(noise)} files, {noise_minutes:.2f} min"

    print("\nF1 per data set and micro-averaged overall (30 ms frames)\n")
    print(summary)
    print("\nDetails\n")
    print(detail)
    print(f"\nNoise only ({noise_minutes:.2f} min): default TurnSettings, detector re-armed after each turn\n")
    print(noise_tab)
    print(f"\nPer noise file, {default_name}\n")
    print(noise_file_tab)
    elapsed = bc.finish_run(cpu, t_run, findings.notes)

    if args.no_doc:
        return
    header = bc.run_header("Voice activity detection (bench_vad.py)", "bench_vad.py",
                           "webrtcvad (via `voice_interviewer.listening.vad.SpeechDetector`, level gates included) and "
                           "Silero VAD (`voice_interviewer.listening.silero.SileroDetector`, pipecat-ai 1.14.0 wheel)",
                           ["webrtcvad-wheels", "numpy"], quick=args.quick, elapsed_s=elapsed, cpu=cpu)
    d = VadSettings()
    body = f"""{header}
- data: {sets_line}
- method: 30 ms frames from `AudioClip.frames()`; a frame's reference label is speech when its
  midpoint lies inside a human speech interval (union of speaker turns); only frames inside the
  annotated range (AMI: UEM) are scored; precision/recall/F1 are micro-averaged over frames.
  "overall incl. noise" adds the noise-only frames (they can only add false positives).
  "aggr N" rows: the default `VadSettings` with only the aggressiveness changed
  (default: {settings_text(d)}); "webrtcvad only" rows switch every level gate off
  (`min_dbfs` and, where present, the adaptive floor's `margin_db`).

**F1 per data set, and overall**

{summary}

**Noise only** (`TurnDetector` with default `TurnSettings` fed the detector's labels; when a turn
ends, for any reason, a fresh detector keeps listening, so every false start is counted):

{noise_tab}

Per noise file, {default_name}:

{noise_file_tab}

<details><summary>All numbers per data set</summary>

{detail}

</details>
"""
    if findings.notes:
        body += "\nNotes on the data:\n\n" + "\n".join(f"- {n}" for n in findings.notes) + "\n"
    bc.write_section(SECTION, body)
    print(f"wrote the {SECTION} section of {bc.DOC_PATH}")


if __name__ == "__main__":
    main()
