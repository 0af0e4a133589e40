#!/usr/bin/env python
"""Real rooms: quiet voices, echo, barge-in, pauses inside an answer, and the reply gap.

Figures, never pass/fail. Everything runs on the virtual device (no sound server):
  * quiet: testdata/asr clips as recorded and scaled to -50 dBFS peak; WER of raw tiny.en on the
    whole clip vs the file pipeline (gain stage + Silero + chunks + one whole decode) vs the old one
    (webrtcvad + floor, no gain) vs the live path, headphones and speaker mode: the transcript decoded
    chunk by chunk (what the reply reads) and the whole decode after the turn (what is scored);
  * echo: the interviewer's line looped into the mic 300 ms late at full level, candidate silent:
    turns opened by its own voice, with mic flushing only vs the echo canceller (fresh on each line,
    as on a session's first line, and kept across lines, as in the rest of a session);
  * barge-in: the candidate starts 2 s into a line after the intro; time from their first sound to the stop;
  * pauses: real recordings with a 1, 2 or 3 s pause inserted at a word boundary inside the
    answer: how often the turn ends at the pause (Smart Turn quick end), and how often a
    finished answer ends fast;
  * reply gap: end of the candidate's speech -> transcript ready (+ first TTS audio), real time,
    old turn settings vs new.
Writes the "real_rooms" section of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import csv
import random
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench_common as bc  # noqa: E402
import turn_end_corpus as corpus  # noqa: E402

from voice_interviewer.audio.clip import SAMPLE_RATE, AudioClip  # noqa: E402
from voice_interviewer.audio.echo import MicCleaner  # noqa: E402
from voice_interviewer.audio.edge import EdgeProcessor, EdgeSettings  # noqa: E402
from voice_interviewer.audio.files import load_audio  # noqa: E402
from voice_interviewer.audio.virtual import VirtualAudioDevice, VirtualClock  # noqa: E402
from voice_interviewer.listening.listener import Listener  # noqa: E402
from voice_interviewer.listening.silero import SileroDetector  # noqa: E402
from voice_interviewer.listening.stt import SpeechToText, transcribe_clip  # noqa: E402
from voice_interviewer.listening.turns import TurnSettings  # noqa: E402
from voice_interviewer.listening.vad import SpeechDetector  # noqa: E402
from voice_interviewer.listening.wer import normalize_words, word_edits  # noqa: E402

OLD_TURNS = TurnSettings(commit_silence_s=0.45, max_chunk_s=25.0, complete_threshold=1.01, unfinished_silence_s=0.0)


def clips(root: Path, min_s: float = 0.0, n: int | None = None) -> list[tuple[AudioClip, str]]:
    rows = list(csv.DictReader(open(root / "asr" / "manifest.tsv"), delimiter="\t"))
    rows = [r for r in rows if float(r["duration_s"]) >= min_s and float(r["duration_s"]) <= 28]
    out = [(load_audio(root / "asr" / r["file"]), r["reference"]) for r in rows]
    return out[:n] if n else out


def wer_total(pairs) -> float:
    pairs = list(pairs)
    edits = sum(word_edits(normalize_words(ref), normalize_words(hyp)) for ref, hyp in pairs)
    return edits / max(1, sum(len(normalize_words(ref)) for ref, _ in pairs))


def at_level(clip: AudioClip, peak_dbfs: float | None) -> AudioClip:
    """The clip with its peak moved to peak_dbfs (None: as recorded)."""
    if peak_dbfs is None:
        return clip
    peak = max(1, int(np.abs(clip.samples.astype(np.int32)).max()))
    return AudioClip((clip.samples.astype(np.float32) * (10 ** (peak_dbfs / 20) * 32768 / peak)).astype(np.int16))


def live_path(stt, clips_, speaker_mode: bool) -> tuple[list[str], list[str]]:
    """Answers as a session hears them: one listener (and its gain) kept across the clips, each chunk
    decoded on its own as it comes (lockstep: the decoder keeps up, as live); in speaker mode the echo
    canceller's module (AEC, noise suppression, high-pass, its gain control) cleans the mic first.
    Returns the live transcripts (what the reply reads) and the whole decodes after each turn (what is
    recorded and scored)."""
    listener = Listener(stt)
    edge = EdgeProcessor(MicCleaner(), SileroDetector()) if speaker_mode else None
    whole = TurnSettings(end_silence_s=4.0, complete_threshold=1.01, unfinished_silence_s=0.0)
    live, revised = [], []
    for clip in clips_:
        dev = VirtualAudioDevice([clip], think_s=0.5, edge=edge)
        dev.play(np.zeros(1600, np.int16), SAMPLE_RATE)  # a moment of the speaker, as before any answer
        dev.flush()
        heard = listener.listen(dev.frames(), whole, lockstep=True)
        better = listener.revise(heard)
        live.append(heard.transcript.text)
        revised.append(better.text if better else heard.transcript.text)
    return live, revised


def quiet(stt, items) -> list[list]:
    """WER per pipeline, as recorded and at -50 dBFS peak (a quiet laptop microphone)."""
    refs = [ref for _, ref in items]
    by_level = {}
    for level in (None, -50.0):
        clips_ = [at_level(clip, level) for clip, _ in items]
        rows = {"raw": [" ".join(s.text for s in stt.transcribe(c.samples, words=False)) for c in clips_],
                "file": [transcribe_clip(stt, c).text for c in clips_],
                "old": [transcribe_clip(stt, c, detector=SpeechDetector(), settings=None, gain=False).text
                        for c in clips_]}
        rows["phones_live"], rows["phones_whole"] = live_path(stt, clips_, speaker_mode=False)
        rows["speaker_live"], rows["speaker_whole"] = live_path(stt, clips_, speaker_mode=True)
        by_level[level] = rows
    labels = {"raw": "raw tiny.en, whole clip (reference)",
              "file": "file: gain + Silero + chunks, then one whole decode (now)",
              "old": "file: webrtcvad + floor, no gain (before)",
              "phones_live": "live, headphones: chunk by chunk (what the reply reads)",
              "phones_whole": "live, headphones: decoded again after the turn (recorded, scored)",
              "speaker_live": "live, speaker mode (echo canceller first): chunk by chunk",
              "speaker_whole": "live, speaker mode: decoded again after the turn (recorded, scored)"}
    n = len(items)
    return [[label, bc.pct(wer_total(zip(refs, by_level[None][key]))), bc.pct(wer_total(zip(refs, by_level[-50.0][key]))),
             f"{sum(not t for t in by_level[-50.0][key])} of {n}"] for key, label in labels.items()]


def echo(stt, lines) -> list[list]:
    """Turns opened by the interviewer's own voice: mic flushing only; a fresh canceller on every line
    (the first line of a session); one canceller kept across the lines (the rest of a session)."""
    def opened(edge: EdgeProcessor, clip: AudioClip) -> bool:
        dev = say_in_room(edge, clip)
        heard = Listener(stt).listen(dev.frames(), TurnSettings(think_timeout_s=3.0, end_silence_s=1.5), lockstep=True)
        return heard.first_word_s is not None

    n = len(lines)
    flushing = sum(opened(EdgeProcessor(None, None, EdgeSettings(mode="headphones")), c) for c, _ in lines)
    fresh = sum(opened(EdgeProcessor(MicCleaner(), SileroDetector()), c) for c, _ in lines)
    kept = EdgeProcessor(MicCleaner(), SileroDetector())
    session = sum(opened(kept, c) for c, _ in lines)
    return [["flush the mic after speaking (before)", f"{flushing} of {n}"],
            ["echo canceller, a fresh one for each line (a session's first line)", f"{fresh} of {n}"],
            ["echo canceller kept across the lines (the rest of a session)", f"{session} of {n}"]]


def say_in_room(edge: EdgeProcessor, line: AudioClip) -> VirtualAudioDevice:
    """The interviewer says `line` with its voice looped into the mic 300 ms late at full level; the
    candidate stays silent. Returns the room, its turn handed to the listener."""
    dev = VirtualAudioDevice([None], echo_delay_s=0.3, echo_gain=1.0, edge=edge)
    dev.play(line.samples, SAMPLE_RATE)
    dev.flush()
    return dev


def warmed_edge(intro: AudioClip) -> EdgeProcessor:
    """An edge whose canceller has heard one line in the room already, as in a session after the intro."""
    edge = EdgeProcessor(MicCleaner(), SileroDetector())
    say_in_room(edge, intro)
    return edge


def barge_in(lines, answers) -> tuple[list[float], int]:
    """The candidate starts 2 s into a line, the intro already said (a session's canceller is warm)."""
    det = SileroDetector()
    stops, missed = [], 0
    for i, ((line, _), (answer, _)) in enumerate(zip(lines, answers)):
        onset = next(k for k, v in enumerate(det.label_clip(answer)) if v) * 0.03
        edge = warmed_edge(lines[i - 1][0])  # another line as the intro (the first takes the last)
        dev = VirtualAudioDevice([answer], echo_delay_s=0.3, barge_in_s=2.0, edge=edge)
        r = dev.play(np.concatenate([line.samples, line.samples]), SAMPLE_RATE)
        if r.interrupted:
            stops.append(r.played_s - (2.0 + onset))
        else:
            missed += 1
    return stops, missed


def pauses(stt, items, seed: int = 0) -> tuple[list[list], list[float]]:
    rng = random.Random(seed)
    listener = Listener(stt)
    cut = {1.0: 0, 2.0: 0, 3.0: 0}
    n = 0
    finished_fast = []
    for clip, _ in items:
        words = [w for s in stt.transcribe(clip.samples) for w in s.words]
        if len(words) < 8:
            continue
        boundary = corpus.word_boundary(words, rng)
        n += 1
        for p in cut:
            dev = VirtualAudioDevice([AudioClip(corpus.with_silence(clip.samples, boundary, p))], think_s=0.5)
            dev.flush()
            heard = listener.listen(dev.frames(), TurnSettings(), lockstep=True)
            pause_at = 0.5 + boundary
            cut[p] += heard.decided_s < pause_at + p + 0.1  # ended inside the pause
        dev = VirtualAudioDevice([clip], think_s=0.5)
        dev.flush()
        heard = listener.listen(dev.frames(), TurnSettings(), lockstep=True)
        finished_fast.append(heard.decided_s - (heard.speech_end_s or heard.decided_s))
    rows = [[f"{p:.0f} s pause inside the answer", f"{c} of {n}", bc.pct(c / max(1, n))] for p, c in cut.items()]
    return rows, finished_fast


def reply_gap(stt, items, tts) -> list[list]:
    rows = []
    first_audio = 0.0
    if tts is not None:
        t0 = time.perf_counter()
        fresh = random.Random().choice(["precision", "recall", "log loss", "calibration", "lift"])  # not cached
        next(iter(tts.stream(f"Why would you choose {fresh} over accuracy here, {time.time_ns() % 97} times?")))
        first_audio = time.perf_counter() - t0
    for label, settings, smart in [("before: 2.5 s silence, chunks at 0.45 s pauses", OLD_TURNS, None),
                                   ("now: Smart Turn quick end, chunks at 0.3 s pauses or 4 s", TurnSettings(), "auto")]:
        silence, tail = [], []
        listener = Listener(stt, end_of_turn=smart)
        for clip, _ in items:
            dev = VirtualAudioDevice([clip], think_s=0.5, clock=VirtualClock(realtime=True))
            dev.flush()
            heard = listener.listen(dev.frames(), settings)
            silence.append(heard.decided_s - heard.speech_end_s)
            tail.append(heard.tail_wait_s)
        gap = np.array(silence) + np.array(tail) + first_audio
        rows.append([label, bc.fmt(np.median(silence)), bc.fmt(np.median(tail)), bc.fmt(first_audio),
                     bc.fmt(np.median(gap)), bc.fmt(np.max(gap))])
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--quick", action="store_true", help="fewer clips")
    ap.add_argument("--no-tts", action="store_true", help="leave Piper's first-audio time out of the gap")
    bc.add_common_args(ap)
    args = ap.parse_args()
    bc.wait_for_quiet(args.wait_quiet)
    cpu = bc.CpuMonitor().start()
    t_run = time.perf_counter()
    root = bc.require_testdata("asr")
    stt = SpeechToText("tiny.en", device="cpu")
    items = clips(root, min_s=2.0)
    n = 10
    print("quiet voices...", flush=True)
    quiet_rows = quiet(stt, items[:n])
    print("echo...", flush=True)
    echo_lines = clips(root, min_s=5.0, n=10 if args.quick else 29)
    echo_rows = echo(stt, echo_lines)
    lines = echo_lines[:5]
    print("barge-in...", flush=True)
    stops, missed = barge_in(lines, list(reversed(clips(root, min_s=3.0)))[:5])
    print("pauses...", flush=True)
    # finished answers: real recordings that end a sentence (a clip that stops at a comma is not one)
    long_items = [(AudioClip(a.samples), a.text) for a in corpus.finished_answers(root) if a.duration_s >= 4.0]
    pause_rows, fast = pauses(stt, long_items[: 12 if args.quick else 30])
    print("reply gap (real time)...", flush=True)
    tts = None
    if not args.no_tts:
        from voice_interviewer.speaking.tts import TextToSpeech  # noqa: E402

        tts = TextToSpeech()
    fluent = sorted(long_items, key=lambda c: -c[0].duration_s)[: 3 if args.quick else 5]
    gap_rows = reply_gap(stt, fluent, tts)
    elapsed = bc.finish_run(cpu, t_run)
    fast = np.array(fast)
    body = "\n\n".join([
        bc.run_header("Real rooms: quiet voices, echo, barge-in, pauses, reply gap", "bench_real_rooms.py",
                      "whisper tiny.en (int8, CPU), Silero VAD, Smart Turn v3.2, WebRTC APM (livekit 1.2.0)",
                      ["livekit", "onnxruntime", "faster-whisper"], quick=args.quick, elapsed_s=elapsed, cpu=cpu),
        f"**Quiet voices** ({n} testdata/asr clips as recorded and scaled to -50 dBFS peak; WER over all words; "
        "live rows: one listener kept across the clips, as in a session):\n\n"
        + bc.table(["pipeline", "WER as recorded", "WER at -50 dBFS", "heard as no speech at -50 dBFS"], quiet_rows),
        "**Echo** (the interviewer's line looped into the mic 300 ms late at full level, candidate silent, "
        f"{len(echo_lines)} lines; virtual device):\n\n" + bc.table(["protection", "turns opened by its own voice"], echo_rows),
        f"**Barge-in** (candidate starts 2 s into a line after the intro, 300 ms full-level echo; virtual device): "
        f"stop {bc.fmt(np.median(stops))} s after their first sound (median of {len(stops)}, max "
        f"{bc.fmt(max(stops) if stops else None)} s; missed {missed}). Live, add the output buffer, which "
        "`abort()` discards (see the live test).",
        f"**Pauses inside an answer** ({len(fast)} real recordings, one pause inserted at a random word "
        "boundary; default TurnSettings: Smart Turn asked after 0.7 s of silence, turn ends there at p >= "
        f"{TurnSettings().complete_threshold} "
        "when the transcript does not end mid-sentence; otherwise after 3.2 s, the patience stretched so that "
        "thinking pauses of up to 3 s survive):\n\n"
        + bc.table(["case", "turn ended at the pause", "share"], pause_rows)
        + f"\n\nSame recordings without the pause (finished answers): ended within 1 s of the last word in "
          f"{int(np.sum(fast < 1.0))} of {len(fast)} ({bc.pct(np.mean(fast < 1.0))}); median wait "
          f"{bc.fmt(np.median(fast))} s; waited the stretched 3.2 s in "
          f"{int(np.sum(fast > 3.0))} of {len(fast)}.",
        f"**Reply gap** (end of the candidate's speech to the interviewer's first sound = silence wait + "
        f"transcript tail + Piper's first audio; {len(fluent)} longest fluent clips, real-time virtual device; "
        "the LLM's phrasing time is not included):\n\n"
        + bc.table(["turn settings", "silence wait s", "STT tail s", "TTS first audio s", "gap median s",
                    "gap max s"], gap_rows),
    ])
    bc.write_section("real_rooms", body)
    print(body)


if __name__ == "__main__":
    main()
