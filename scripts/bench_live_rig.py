#!/usr/bin/env python
"""Live through a userspace PulseAudio (../shared/live-audio/rig.sh): the reply gap, echo and barge-in.

Figures, never pass/fail (`make bench` runs the reply gap as its headline).

  * reply gap (headline): whole drill sessions on the terminal's own live path (`run_interview`: audio
    check, duplex audio, real Whisper, Piper, Silero, Smart Turn, bank follow-ups), the candidate's
    answers played into the virtual microphone with `paplay`. The gap is measured from outside the
    program: the end of the candidate's last voiced sound (paplay's start + its measured start-up delay
    + the recording's own last voiced time) to the first interviewer sound on `speaker.monitor`. Answer
    sets: clean, quiet (-50 dBFS peak), noisy (a rumble with bursts under the speech and 4 s after it),
    echo (speaker mode, the interviewer's voice looped into the mic 300 ms late at full level) and fluent
    (the longest answers, no pauses). Every answer is a real recording that ends a sentence
    (scripts/turn_end_corpus.py). Thinking pauses: finished answers with 2.5 s of silence inserted at a
    random word boundary; how often the interviewer starts speaking inside the pause, and how often it
    withdrew its follow-up because the candidate went on. Also the start-up time to the first spoken word.
  * echo: module-loopback speaker.monitor -> micfeed at 300 ms (full level); the interviewer says
    N lines, the candidate stays silent; turns opened by its own voice: headphones mode, speaker mode
    with one canceller across the lines, and with a fresh one per line (a session's first line);
  * barge-in: after a 4 s intro, `paplay` into micfeed 1.5 s into each line; time from the candidate's first sound
    (paplay start + the file's own lead-in) to play() returning (an upper bound). After each barge-in the
    interviewer says one more line whole: is it stopped, or is a turn opened, by its own echo?
Writes the "reply_gap_live" and "real_rooms_live" sections of docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import bench_common as bc  # noqa: E402
RIG = ROOT.parent / "shared" / "live-audio" / "rig.sh"
T = ROOT.parent / "shared" / "testdata" / "asr"
NOISE = ROOT.parent / "shared" / "testdata" / "vad" / "speechbrain" / "noise" / "noise2.wav"
PAUSE_S = 2.5  # a thinking pause inside an answer (the target: pauses of up to 3 s survive)
QUESTIONS = ("mlf-bias-variance", "mlf-overfitting-underfitting", "mlf-l1-vs-l2", "mlf-precision-recall-f1")


@contextlib.contextmanager
def rig(rate: int):
    """A fresh PulseAudio for this run, its variables in os.environ while it lives."""
    folder = tempfile.mkdtemp(prefix="vi-bench-", dir="/tmp")
    subprocess.run(["bash", str(RIG), "start", folder, str(rate)], check=True, capture_output=True)
    saved = dict(os.environ)
    for line in subprocess.run(["bash", str(RIG), "env", folder], capture_output=True, text=True).stdout.splitlines():
        k, _, v = line.removeprefix("export ").partition("=")
        if k.startswith(("PULSE", "XDG_")):
            os.environ[k] = v
    try:
        yield Path(folder)
    finally:
        subprocess.run(["bash", str(RIG), "stop", folder], capture_output=True)
        os.environ.clear()
        os.environ.update(saved)
        shutil.rmtree(folder, ignore_errors=True)  # sessions, answers and the server's files


class Monitor:
    """parec on a PulseAudio source in 10 ms blocks, each stamped when it arrives: when was there sound?
    Also the low-latency reader a null sink needs (without one it runs in ~2 s blocks)."""

    BLOCK = 160  # samples at 16 kHz

    def __init__(self, source: str):
        self._proc = subprocess.Popen(["parec", "-d", source, "--latency-msec=20", "--raw", "--format=s16le",
                                       "--channels=1", "--rate=16000"], stdout=subprocess.PIPE)
        self.blocks: list[tuple[float, float]] = []  # (arrival, rms dBFS)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        while (data := self._proc.stdout.read(self.BLOCK * 2)) and len(data) == self.BLOCK * 2:
            pcm = np.frombuffer(data, "<i2").astype(np.float32)
            self.blocks.append((time.monotonic(), 20 * np.log10(max(1e-3, np.sqrt(np.mean(pcm ** 2))) / 32768)))

    def first_sound_after(self, t: float, floor_dbfs: float = -45.0) -> float | None:
        return next((at for at, db in list(self.blocks) if at > t and db > floor_dbfs), None)

    def close(self) -> None:
        self._proc.terminate()


def paplay_delay(folder: Path, n: int = 3) -> float:
    """Seconds from starting `paplay` to its first sound reaching the microphone's source (median)."""
    from voice_interviewer.audio.files import write_wav

    tone = (np.sin(np.arange(4800) * 2 * np.pi * 440 / 16000) * 16000).astype(np.int16)
    wav = write_wav(folder / "tone.wav", tone)
    mon = Monitor("micfeed.monitor")
    delays = []
    try:
        time.sleep(0.5)
        for _ in range(n):
            t0 = time.monotonic()
            subprocess.run(["paplay", "-d", "micfeed", str(wav)])
            heard = mon.first_sound_after(t0)
            if heard is not None:
                delays.append(heard - t0)
            time.sleep(0.3)
    finally:
        mon.close()
    return float(np.median(delays)) if delays else 0.0


def _voiced_end_s(samples: np.ndarray) -> float:
    from voice_interviewer.audio.clip import AudioClip
    from voice_interviewer.listening.silero import SileroDetector

    flags = SileroDetector().label_clip(AudioClip(samples))
    last = max((i for i, v in enumerate(flags) if v), default=0)
    return (last + 1) * 0.03


def answer_sets(quick: bool) -> dict[str, list[tuple[np.ndarray, str]]]:
    """label -> the candidate's answers (16 kHz int16, what was said), each a real recording of a whole
    sentence or more (scripts/turn_end_corpus.py: a recording that stops mid-sentence is not a finished answer)."""
    import turn_end_corpus as corpus
    from voice_interviewer.audio.files import load_audio

    answers = [(a.samples, a.text) for a in corpus.finished_answers(T.parent) if 4.0 <= a.duration_s <= 20]
    n = 4 if quick else 6
    clean = answers[0::2][:n]
    peak = lambda c: max(1, int(np.abs(c.astype(np.int32)).max()))
    quiet = [((c.astype(np.float32) * (10 ** (-50 / 20) * 32768 / peak(c))).astype(np.int16), t)
             for c, t in answers[1::2][:n]]
    noise = load_audio(NOISE).samples.astype(np.float32)

    def noisy(c: np.ndarray) -> np.ndarray:
        out = np.concatenate([c, np.zeros(4 * 16000, np.int16)]).astype(np.float32)
        bed = np.resize(noise, len(out))
        bed *= (np.sqrt(np.mean(c.astype(np.float32) ** 2)) / max(1.0, np.sqrt(np.mean(bed ** 2)))) * 10 ** (-15 / 20)
        return np.clip(out + bed, -32768, 32767).astype(np.int16)

    fluent = sorted(answers, key=lambda a: len(a[0]))[-n:]
    return {"clean": clean, "quiet (-50 dBFS peak)": quiet, "noisy (noise2, 15 dB under the voice)":
            [(noisy(c), t) for c, t in answers[1::2][:n]], "echo 300 ms, speaker mode": clean,
            "fluent (longest answers)": fluent}


def paused_answers(quick: bool, pause_s: float = 2.5, seed: int = 0) -> list[tuple[np.ndarray, float]]:
    """Finished answers with a thinking pause of pause_s inserted at a random word boundary: (audio, pause start)."""
    import random

    import turn_end_corpus as corpus
    from voice_interviewer.listening.stt import SpeechToText

    stt, rng, out = SpeechToText("tiny.en", device="cpu"), random.Random(seed), []
    for a in [a for a in corpus.finished_answers(T.parent) if 5.0 <= a.duration_s <= 20][: 4 if quick else 8]:
        at = corpus.word_boundary([w for s in stt.transcribe(a.samples) for w in s.words], rng)
        if at is not None:
            out.append((corpus.with_silence(a.samples, at, pause_s), at))
    return out


def gap_session(folder: Path, label: str, answers: list[np.ndarray], delay: float, echo: bool,
                pauses: list[float | None] | None = None, pause_s: float = 0.0, refs: list[str] | None = None) -> dict:
    """One live drill session; per answer: the gap measured on the wire, the session's own record, and
    for answers with a thinking pause inside, the pause's start and end on the same clock. With refs
    (what each answer says): the words the reply read (chunk by chunk) and the words recorded (the
    whole decode after the turn), paired with them for WER."""
    from voice_interviewer.audio.files import write_wav
    from voice_interviewer.events import ListeningStarted
    from voice_interviewer.runner import RunOptions, run_interview
    from voice_interviewer.session import FrontEnd
    from voice_interviewer.sessions.store import load_session

    pauses = pauses or [None] * len(answers)
    files = [(write_wav(folder / f"answer-{i}.wav", a), _voiced_end_s(a), p) for i, (a, p) in enumerate(zip(answers, pauses))]
    todo, played, paused, speaking = queue.Queue(), [], [], threading.Event()
    for f in files:
        todo.put(f)

    def candidate(event) -> None:  # answers each question and follow-up after a second of thought
        if isinstance(event, ListeningStarted) and not todo.empty() and not speaking.is_set():
            wav, end_s, pause_at = todo.get()
            speaking.set()  # a turn opened while this answer still plays continues it (a withdrawn follow-up)

            def speak():
                time.sleep(1.0)
                t0 = time.monotonic()
                played.append(t0 + delay + end_s)
                if pause_at is not None:
                    paused.append((t0 + delay + pause_at, t0 + delay + pause_at + pause_s))
                subprocess.run(["paplay", "-d", "micfeed", str(wav)])
                speaking.clear()
            threading.Thread(target=speak, daemon=True).start()

    loop = None
    if echo:
        loop = subprocess.run(["pactl", "load-module", "module-loopback", "source=speaker.monitor", "sink=micfeed",
                               "latency_msec=300"], capture_output=True, text=True).stdout.strip()
    mon = Monitor("speaker.monitor")
    n_q = max(1, len(answers) // 2)
    opts = RunOptions(mode="drill", question_ids=QUESTIONS[:n_q], seconds=60, llm="none", data_root=folder / "data")
    t_start = time.monotonic()
    try:
        result = run_interview(opts, echo=lambda *_: None, front_end=FrontEnd(subscribers=(candidate,)))
    finally:
        time.sleep(0.5)
        mon.close()
        if loop:
            subprocess.run(["pactl", "unload-module", loop], capture_output=True)
    events = load_session(result.session_dir, check_audio=False).events
    turns, replies, parts = [], [], []  # each answer's last turn, the line that answered it, what the wait was
    for i, e in enumerate(events):
        if e.TYPE != "candidate_turn":
            continue
        after = events[i + 1:]
        nxt = next((j for j, x in enumerate(after) if x.TYPE == "candidate_turn"), len(after))
        if any(x.TYPE == "follow_up_withdrawn" for x in after[:nxt]):
            continue  # the candidate went on: this turn was part of the answer, not its end
        turns.append(e)
        line = next((x for x in after if x.TYPE == "interviewer_said"), None)
        replies.append(line.kind if line else None)
        parts.append((e.decided_s - e.speech_end_s if e.speech_end_s is not None else None,
                      line.latency.response_s if line and line.latency else None, e.end_detail))
    gaps = [None if (s := mon.first_sound_after(end)) is None else s - end for end in played]
    talked_over = sum(1 for a, b in paused if (s := mon.first_sound_after(a)) is not None and s < b)
    withdrawn = sum(1 for e in events if e.TYPE == "follow_up_withdrawn")
    print(f"[{label}] gaps: {[None if g is None else round(g, 2) for g in gaps]}", flush=True)
    for silence, response, detail in parts:
        print(f"    silence to decision {silence if silence is None else round(silence, 2)} s, then "
              f"{response if response is None else round(response, 2)} s to the first audio out ({detail})", flush=True)
    heard = [t for t in events if t.TYPE == "candidate_turn" and (t.text or t.live_text)]
    words = [(ref, t.live_text if t.live_text is not None else t.text, t.text) for ref, t in zip(refs or [], heard)]
    return {"label": label, "startup_s": (mon.first_sound_after(t_start) or t_start) - t_start, "words": words,
            "gaps": gaps, "turns": turns[:len(played)], "replies": replies[:len(played)],
            "pauses": len(paused), "talked_over": talked_over, "withdrawn": withdrawn, "parts": parts[:len(played)]}


def startup_with_llm(folder: Path) -> float | None:
    """Seconds from starting a live drill with the embedded LLM (loaded and its persona prompt cached
    before the first line) to the interviewer's first sound; the session is stopped once it speaks."""
    from voice_interviewer.runner import RunOptions, run_interview
    from voice_interviewer.session import FrontEnd, SessionControls

    controls, mon = SessionControls(), Monitor("speaker.monitor")
    t_start = time.monotonic()

    def stop_when_heard() -> None:
        while mon.first_sound_after(t_start) is None and not controls.stopped:
            time.sleep(0.05)
        controls.stop()  # ends the session at its first listening turn
    threading.Thread(target=stop_when_heard, daemon=True).start()
    try:
        run_interview(RunOptions(mode="drill", question_ids=QUESTIONS[:1], llm="qwen-1.5b", data_root=folder / "llm"),
                      echo=lambda *_: None, front_end=FrontEnd(controls=controls))
    finally:
        controls.stop()
        mon.close()
    heard = mon.first_sound_after(t_start)
    return None if heard is None else heard - t_start


def wer_pair(words: list[tuple[str, str, str]]) -> str:
    """WER of the words the reply read (chunk by chunk) / of the words recorded (the whole decode)."""
    from voice_interviewer.listening.wer import normalize_words, word_edits

    if not words:
        return "-"
    total = max(1, sum(len(normalize_words(ref)) for ref, _, _ in words))
    live = sum(word_edits(normalize_words(ref), normalize_words(hyp)) for ref, hyp, _ in words) / total
    recorded = sum(word_edits(normalize_words(ref), normalize_words(hyp)) for ref, _, hyp in words) / total
    return f"{bc.pct(live)} / {bc.pct(recorded)}"


def reply_gap(quick: bool, with_llm: bool, sets: str = "") -> str:
    results = []
    with rig(48000) as folder:
        delay = paplay_delay(folder)
        print(f"paplay start-up delay: {delay * 1000:.0f} ms", flush=True)
        for label, answers in answer_sets(quick).items():
            if sets and not any(x in label for x in sets.split(",")):
                continue
            results.append(gap_session(folder, label, [a for a, _ in answers], delay, echo=label.startswith("echo"),
                                       refs=[t for _, t in answers]))
        with_pause = paused_answers(quick)
        thinking = gap_session(folder, "thinking pause", [a for a, _ in with_pause], delay, echo=False,
                               pauses=[p for _, p in with_pause], pause_s=PAUSE_S)
        llm_start = startup_with_llm(folder) if with_llm else None
    rows, all_gaps, follow_gaps = [], [], []
    for r in results:
        ok = [(g, t, k) for g, t, k in zip(r["gaps"], r["turns"], r["replies"]) if g is not None and g > 0]
        cut = sum(1 for g in r["gaps"] if g is not None and g <= 0)
        gs = [g for g, _, _ in ok]
        fu = [g for g, _, k in ok if k == "follow_up"]
        quick_end = sum(1 for _, t, _ in ok if t.end_detail.startswith("finished"))
        all_gaps += gs
        follow_gaps += fu
        rows.append([r["label"], len(r["gaps"]), bc.fmt(np.median(gs)) if gs else "-", bc.fmt(max(gs)) if gs else "-",
                     bc.fmt(np.median(fu)) if fu else "-", f"{quick_end} of {len(ok)}", cut,
                     wer_pair(r["words"]), bc.fmt(r["startup_s"], 1)])
    within = np.mean(np.array(all_gaps) <= 1.2) if all_gaps else 0.0
    head = (f"**Reply gap, live: p50 {bc.fmt(np.median(all_gaps))} s** over {len(all_gaps)} finished answers "
            f"(p90 {bc.fmt(np.percentile(all_gaps, 90))} s; within 1.2 s: {bc.pct(within)}); answered by a bank "
            f"follow-up: p50 {bc.fmt(np.median(follow_gaps)) if follow_gaps else '-'} s ({len(follow_gaps)} turns). "
            f"Start-up to the first spoken word (models loading, no LLM): median "
            f"{bc.fmt(np.median([r['startup_s'] for r in results]), 1)} s"
            + (f"; with the embedded 1.5B LLM (loaded, persona cached): {bc.fmt(llm_start, 1)} s." if with_llm else "."))
    table = bc.table(["answers", "turns", "gap p50 s", "gap max s", "p50 before a follow-up s",
                      "quick end (Smart Turn)", "answer cut (interviewer spoke first)",
                      "WER: reply read / recorded", "start-up s"], rows)
    tg = [g for g in thinking["gaps"] if g is not None and g > 0]
    pause_line = (f"**Thinking pauses, live:** {thinking['pauses']} finished answers with a {PAUSE_S:.1f} s pause "
                  f"inserted at a random word boundary: the interviewer started speaking inside the pause in "
                  f"**{thinking['talked_over']} of {thinking['pauses']}**; follow-ups withdrawn because the candidate "
                  f"went on: {thinking['withdrawn']}; reply gap after the real end p50 "
                  f"{bc.fmt(np.median(tg)) if tg else '-'} s.")
    return head + "\n\n" + table + "\n\n" + pause_line + (
        f"\n\nGap = first interviewer sound on `speaker.monitor` - (paplay start + {delay * 1000:.0f} ms measured "
        "paplay start-up + the recording's last voiced frame by Silero); both ends seen through parec at 20 ms latency, "
        "so the gap includes the microphone's and the speaker's buffers (0.05 s in, 0.2 s out), as a user hears it.")


def echo_and_barge_in(n: int = 10, rate: int = 48000) -> str:
    from voice_interviewer.audio.duplex import open_duplex
    from voice_interviewer.audio.files import load_audio, write_wav
    from voice_interviewer.listening.listener import Listener
    from voice_interviewer.listening.silero import SileroDetector
    from voice_interviewer.listening.stt import SpeechToText
    from voice_interviewer.listening.turns import TurnSettings

    results: list[str] = []
    listener = Listener(SpeechToText("tiny.en", device="cpu"))
    lines = [load_audio(p).samples for p in sorted((T / "coqui-tts-ljspeech" / "wavs").glob("*.wav"))[:n]]
    with rig(rate) as folder:
        mon = Monitor("speaker.monitor")
        try:
            loop = subprocess.run(["pactl", "load-module", "module-loopback", "source=speaker.monitor", "sink=micfeed",
                                   "latency_msec=300"], capture_output=True, text=True).stdout.strip()
            for mode, fresh, how in [("headphones", False, "headphones mode"),
                                     ("speaker", False, "speaker mode, one canceller across the lines"),
                                     ("speaker", True, "speaker mode, a fresh canceller for each line (a session's first line)")]:
                audio = None
                opened = 0
                for line in lines:
                    if audio is None or fresh:
                        if audio is not None:
                            audio.close()
                        audio = open_duplex(mode)
                    audio.play(line, 16000)
                    audio.flush()
                    heard = listener.listen(audio.frames(), TurnSettings(think_timeout_s=2.0, end_silence_s=1.5))
                    opened += heard.first_word_s is not None
                    if heard.first_word_s is not None:
                        print(f"  {how}: opened at {heard.first_word_s:.2f} s: {heard.transcript.text!r}", flush=True)
                audio.close()
                results.append(f"- echo (module-loopback, 300 ms, full level), {how}: **{opened} of {len(lines)}** "
                               "turns opened by the interviewer's own voice")
                print(results[-1], flush=True)
            answer = load_audio(T / "openai-whisper" / "jfk.flac")
            lead = next(i for i, v in enumerate(SileroDetector().label_clip(answer)) if v) * 0.03
            wav = write_wav(folder / "answer.wav", answer.samples[: 16000 * 4])  # "And so, my fellow Americans"
            results += barge_in_rounds(open_duplex("speaker"), listener, lines, wav, lead)  # the echo still on
            print("\n".join(results[-2:]), flush=True)
            subprocess.run(["pactl", "unload-module", loop], capture_output=True)
        finally:
            mon.close()
    return "\n".join(results)


def barge_in_rounds(audio, listener, lines: list[np.ndarray], wav: Path, lead: float) -> list[str]:
    """Each round: the candidate cuts in 1.5 s into a (doubled) line and answers; then the interviewer
    says the next line whole while the candidate stays silent. A stopped line throws its device
    buffer away, which moves the echo against its reference: does the next line stop itself, or
    open a turn with its own voice?"""
    from voice_interviewer.listening.turns import TurnSettings

    audio.play(lines[0][: 16000 * 4], 16000)  # the intro: a fresh canceller takes no barge-in for 3 s
    audio.flush()
    stops, answered, self_stopped, self_heard = [], 0, 0, 0
    turn = TurnSettings(think_timeout_s=2.0, end_silence_s=1.5)
    for i, line in enumerate(lines):
        started = {}

        def speak():
            time.sleep(1.5)
            started["t"] = time.monotonic()
            subprocess.run(["paplay", "-d", "micfeed", str(wav)])
        th = threading.Thread(target=speak, daemon=True)
        th.start()
        r = audio.play(np.concatenate([line, line]), 16000)
        back = time.monotonic()
        audio.flush()
        if r.interrupted and "t" in started:
            stops.append(back - (started["t"] + lead))
        answered += bool(listener.listen(audio.frames(), turn).transcript.text.strip())
        th.join()
        after = audio.play(lines[(i + 1) % len(lines)], 16000)
        audio.flush()
        heard = listener.listen(audio.frames(), turn)
        self_stopped += after.interrupted
        self_heard += heard.first_word_s is not None
        if after.interrupted or heard.first_word_s is not None:
            print(f"  after barge-in {i}: stopped itself {after.interrupted} at {after.played_s:.2f} s, "
                  f"heard {heard.transcript.text!r}", flush=True)
    audio.close()
    n = len(lines)
    return [f"- barge-in: playback stopped **{np.median(stops):.2f} s** after the candidate's first sound "
            f"(median of {len(stops)}, min {min(stops):.2f}, max {max(stops):.2f}; {n - len(stops)} missed; "
            f"measured from paplay's start, so an upper bound); the interruption heard as an answer {answered} of {n}",
            f"- the line after each barge-in (speaker mode; the stopped line's device buffer thrown away, so its "
            f"echo path moved): **{self_stopped} of {n}** stopped by their own echo, **{self_heard} of {n}** turns "
            "opened by the interviewer's own voice"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--parts", default="gap,echo", help="comma-separated: gap (the reply gap), echo (echo and barge-in)")
    ap.add_argument("--quick", action="store_true", help="4 answers per set instead of 6")
    ap.add_argument("--sets", default="", help="only the answer sets whose label contains one of these "
                    "comma-separated words (clean, quiet, noisy, echo, fluent); the thinking pauses always run")
    ap.add_argument("--no-llm", action="store_true", help="skip the start-up time with the embedded LLM")
    bc.add_common_args(ap)
    args = ap.parse_args()
    parts = set(args.parts.split(","))
    bc.wait_for_quiet(args.wait_quiet)
    extra = "- sound server: userspace PulseAudio at 48000 Hz, null sinks (rig.sh), one output stream at 0.2 s latency"
    if "gap" in parts:
        cpu, t_run = bc.CpuMonitor().start(), time.perf_counter()
        body = reply_gap(args.quick, with_llm=not args.no_llm, sets=args.sets)
        elapsed = bc.finish_run(cpu, t_run)
        head = bc.run_header("Reply gap, live through PulseAudio (make bench)", "bench_live_rig.py --parts gap",
                             "whisper tiny.en (CPU int8), Piper joe, Silero VAD, Smart Turn v3.2, WebRTC APM; "
                             "bank follow-ups (no LLM)", quick=args.quick, elapsed_s=elapsed, cpu=cpu, extra=extra)
        print(body)
        if not args.no_doc:
            bc.write_section("reply_gap_live", head + "\n\n" + body)
    if "echo" in parts:
        body = echo_and_barge_in()
        head = bc.run_header("Real rooms, live: echo and barge-in through PulseAudio", "bench_live_rig.py --parts echo",
                             "whisper tiny.en, Silero VAD, Smart Turn v3.2, WebRTC APM", extra=extra)
        if not args.no_doc:
            bc.write_section("real_rooms_live", head + "\n\n" + body)


if __name__ == "__main__":
    main()
