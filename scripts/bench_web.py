#!/usr/bin/env python3
"""Browser figures for `voice-interviewer serve` (docs/benchmarks.md, "Browser").

1. Time from starting `serve` to a usable page: the process is spawned, its
   address read from its first line, and headless Chromium (already running)
   loads it until the page marks itself ready (form filled, socket open).
2. The page's weight: what it loads when it opens, and the editor (CodeMirror) it
   fetches only when a coding round starts; raw and gzipped.
3. The reply gap, like for like: each answer is one ANSWER.wav fed (a) to the
   browser (Chromium's fake microphone) and (b) to the terminal's headless path
   (`drill --candidate-audio`, the virtual device); the session's own gap_s on
   both, p50 of each and the difference; the browser's also measured in the page.

Needs chromium + chromium-driver and selenium. Prints the section; with --write it
appends it to docs/benchmarks.md (or replaces its earlier copy between the markers).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import REPO_ROOT, CpuMonitor, machine_line, require_testdata, table, utc_now  # noqa: E402

sys.path.insert(0, str(REPO_ROOT))
from tests.test_web_browser import answer_wav, reply_gap, run_drill  # noqa: E402
from voice_interviewer.web import chromium  # noqa: E402

QUESTION = "mlf-overfitting-underfitting"
ANSWERS = {  # name -> clips (real recordings from ../shared/testdata/asr), joined with 0.7 s pauses
    "LJSpeech 0001+0003 (20 s, read)": ("asr/coqui-tts-ljspeech/wavs/LJ001-0001.wav", "asr/coqui-tts-ljspeech/wavs/LJ001-0003.wav"),
    "LibriSpeech 2412-153948-0000 (11.7 s, read)": ("asr/lhotse/2412-153948-0000.flac",),
    "JFK (11 s, speech)": ("asr/openai-whisper/jfk.flac",),
    "LJSpeech 0014+0015 (22 s, read)": ("asr/coqui-tts-ljspeech/wavs/LJ001-0014.wav", "asr/coqui-tts-ljspeech/wavs/LJ001-0015.wav"),
    "LJSpeech 0005+0009 (16 s, read)": ("asr/coqui-tts-ljspeech/wavs/LJ001-0005.wav", "asr/coqui-tts-ljspeech/wavs/LJ001-0009.wav"),
}
# What the page loads when it opens, and what it fetches only when a coding round starts.
AT_START = ("index.html", "app.css", "app.js", "editor.js", "playback.js", "mic-worklet.js", "icon.svg")
CODING_ONLY = ("vendor/codemirror/codemirror.min.js", "vendor/codemirror/codemirror.css")


def time_to_page(runs: int) -> list[tuple[float, float]]:
    out = []
    driver = chromium.launch()
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            proc = subprocess.Popen([sys.executable, "-m", "voice_interviewer.web", "--no-browser"],
                                    stdout=subprocess.PIPE, text=True, cwd=REPO_ROOT)
            try:
                url = re.search(r"http://\S+", proc.stdout.readline()).group(0)
                t_url = time.perf_counter() - t0
                driver.get(url)
                while not driver.execute_script("return document.body.dataset.ready === '1'"):
                    time.sleep(0.01)
                out.append((t_url, time.perf_counter() - t0))
            finally:
                proc.terminate()
                proc.wait(10)
    finally:
        driver.quit()
    return out


def page_weight() -> list[tuple[str, int, int]]:
    static = REPO_ROOT / "voice_interviewer" / "web" / "static"
    return [(name, len((static / name).read_bytes()), len(gzip.compress((static / name).read_bytes(), 9)))
            for name in AT_START + CODING_ONLY]


@dataclass
class Gap:
    """One answer's reply gap on one path, and how the turn ended there."""

    gap_s: float | None  # the session's own gap_s (end of speech -> first interviewer audio)
    end: str = ""  # end_reason and end_detail of the candidate's turn
    page_s: float | None = None  # browser only: measured in the page
    response_s: float | None = None  # the part after the turn was decided (transcript tail, choice, voice)


def _turn_end(turn: dict | None) -> str:
    return f"{turn.get('end_reason')}: {turn.get('end_detail') or ''}".strip() if turn else "?"


def browser_gap(wav: Path, speech_end: float, work: Path) -> Gap:
    from tests.test_web_server import Running
    from voice_interviewer.web.server import ServeOptions

    server = Running(ServeOptions(data_dir=work / "sessions", open_browser=False))
    try:
        page = run_drill(server.port, server.server.token, wav, work, QUESTION)
    finally:
        server.close()
    events = [e["event"] for e in page["timeline"] if e["what"] == "event"]
    follow = next((e for e in events if e["type"] == "interviewer_said" and e["kind"] not in ("intro", "question")), None)
    turn = next((e for e in events if e["type"] == "candidate_turn"), None)
    latency = (follow or {}).get("latency") or {}
    return Gap(latency.get("gap_s"), _turn_end(turn), reply_gap(page["timeline"], speech_end), latency.get("response_s"))


def terminal_gap(wav: Path, work: Path) -> Gap:
    """The same ANSWER.wav on the terminal's headless path: `drill --candidate-audio FOLDER`."""
    import shutil

    from voice_interviewer.runner import RunOptions, run_interview
    from voice_interviewer.sessions.store import load_session

    folder = work / "answers"
    folder.mkdir(parents=True)
    shutil.copy(wav, folder / "1.wav")
    result = run_interview(RunOptions(mode="drill", question_ids=(QUESTION,), count=1, seconds=60, llm="none",
                                      candidate_audio=folder, data_root=work / "sessions"), echo=lambda line: None)
    events = load_session(result.session_dir).events  # typed events (voice_interviewer.events)
    turn = next((e for e in events if e.TYPE == "candidate_turn"), None)
    follow = next((e for e in events if e.TYPE == "interviewer_said" and e.kind not in ("intro", "question")), None)
    latency = follow.latency if follow is not None and follow.latency else None
    return Gap(latency and latency.gap_s, _turn_end(turn.to_dict() if turn else None), None, latency and latency.response_s)


def paced_terminal_gap(wav: Path, work: Path) -> Gap:
    """The same ANSWER.wav through the virtual device paced in real time (a terminal with a live
    microphone, minus PortAudio): unlike `--candidate-audio`, the models' work takes real time here."""
    from voice_interviewer.audio.files import load_audio
    from voice_interviewer.audio.virtual import VirtualAudioDevice, VirtualClock
    from voice_interviewer.runner import RunOptions, run_interview
    from voice_interviewer.session import FrontEnd
    from voice_interviewer.sessions.store import load_session

    class PacedClock(VirtualClock):
        """Real-time pacing that starts with the first sound (not while the models load);
        a late reader then gets the frames it missed at once, as from a microphone's buffer."""

        def __init__(self):
            super().__init__(realtime=True)
            self._wall0 = None

        def advance(self, seconds: float) -> None:
            if self._wall0 is None:
                self._wall0 = time.monotonic() - self._t
            super().advance(seconds)

    device = VirtualAudioDevice([load_audio(wav)], think_s=1.2, clock=PacedClock())
    result = run_interview(RunOptions(mode="drill", question_ids=(QUESTION,), count=1, seconds=60, llm="none",
                                      data_root=work / "sessions"), echo=lambda line: None,
                           front_end=FrontEnd(source=device, sink=device, name="virtual-paced"))
    events = load_session(result.session_dir).events
    turn = next((e for e in events if e.TYPE == "candidate_turn"), None)
    follow = next((e for e in events if e.TYPE == "interviewer_said" and e.kind not in ("intro", "question")), None)
    latency = follow.latency if follow is not None and follow.latency else None
    return Gap(latency and latency.gap_s, _turn_end(turn.to_dict() if turn else None), None, latency and latency.response_s)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page-runs", type=int, default=3)
    ap.add_argument("--answers", type=int, default=len(ANSWERS), help="how many of the answers (default: all)")
    ap.add_argument("--repeats", type=int, default=1, help="runs of each answer on each path")
    ap.add_argument("--reverse", action="store_true", help="start each answer with the terminal paths")
    ap.add_argument("--json", type=Path, help="also write the raw figures here")
    ap.add_argument("--from-json", type=Path, nargs="+", metavar="FILE",
                    help="measure nothing: build the section from earlier --json files (their runs pooled)")
    ap.add_argument("--write", action="store_true", help="add the section to docs/benchmarks.md")
    args = ap.parse_args()
    if args.from_json:
        return report_saved(args.from_json, args.write)
    if chromium.find_chromium() is None:
        sys.exit("needs chromium and chromedriver: apt-get install chromium chromium-driver")
    testdata = require_testdata("asr")
    t_start = time.perf_counter()
    cpu = CpuMonitor().start()

    pages = time_to_page(args.page_runs)
    rows = []  # (answer, path, Gap)
    for name, clips in list(ANSWERS.items())[: args.answers]:
        for i in range(args.repeats):
            with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
                wav = Path(a) / "answer.wav"
                speech_end = answer_wav(testdata, wav, clips)  # one ANSWER.wav, fed to both paths
                # alternate which path goes first, so that a burst of other work hits both alike
                paths = [("browser", lambda: browser_gap(wav, speech_end, Path(a))),
                         ("terminal", lambda: terminal_gap(wav, Path(b) / "lockstep")),
                         ("terminal, paced", lambda: paced_terminal_gap(wav, Path(b) / "paced"))]
                for path, measure in (paths if (i + args.reverse) % 2 == 0 else paths[::-1]):
                    rows.append((name, path, measure()))
                    print(rows[-1], flush=True)
    cpu.stop()
    if args.json:
        args.json.write_text(json.dumps({"pages": pages, "weights": page_weight(), "cpu": cpu.result, "date": utc_now(),
                                         "run_s": time.perf_counter() - t_start,
                                         "gaps": [(n, p, g.__dict__) for n, p, g in rows]}, indent=1))
    body = section(pages, page_weight(), rows, cpu, time.perf_counter() - t_start)
    print("\n" + body)
    if args.write:
        append_section(body)
    return 0


def report_saved(files: list[Path], write: bool) -> int:
    """The section from runs saved with --json (several runs pooled; CPU use averaged over them)."""
    saved = [json.loads(f.read_text()) for f in files]
    pages = [p for s in saved for p in s.get("pages", [])]
    rows = [(n, p, Gap(**g)) for s in saved for n, p, g in s["gaps"]]
    cpu = CpuMonitor()
    shares = [s["cpu"] for s in saved if s.get("cpu")]
    if shares:
        cpu.result = {k: statistics.mean(c[k] for c in shares) for k in shares[0]}
    body = section(pages, page_weight(), rows, cpu, sum(s.get("run_s", 0) for s in saved))
    print(body)
    if write:
        append_section(body)
    return 0


def _p50(values) -> float | None:
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def section(pages, weights, rows, cpu: CpuMonitor, run_s: float) -> str:
    f = lambda x: "–" if x is None else f"{x:.2f}"  # noqa: E731
    start = [w for w in weights if w[0] in AT_START]
    later = [w for w in weights if w[0] in CODING_ONLY]
    total = lambda ws: ("total", sum(w[1] for w in ws), sum(w[2] for w in ws))  # noqa: E731
    on = lambda path: [g for _, p, g in rows if p == path]  # noqa: E731
    browser, terminal, paced = on("browser"), on("terminal"), on("terminal, paced")
    b50, page50 = _p50(g.gap_s for g in browser), _p50(g.page_s for g in browser)
    t50, r50 = _p50(g.gap_s for g in terminal), _p50(g.gap_s for g in paced)
    diff = lambda x, y: f(x - y) if x is not None and y is not None else "–"  # noqa: E731
    table_rows = [(n, p, f(g.page_s) if p == "browser" else "", f(g.gap_s), f(g.response_s), g.end) for n, p, g in rows]
    resp = {path: _p50(g.response_s for g in runs) for path, runs in (("b", browser), ("t", terminal), ("r", paced))}
    return "\n".join([
        "## Browser: `voice-interviewer serve` (bench_web.py)",
        "",
        f"- machine: {machine_line()}; date: {utc_now()}; run time {run_s:.0f} s",
        f"- {cpu.describe()} (Chromium's own processes count as other processes here)",
        "- browser: Debian chromium, headless, driven by Selenium; microphone = Chromium's fake capture device fed a WAV",
        "  (`--use-file-for-fake-audio-capture`), so there is no acoustic echo path in these runs",
        "",
        f"**Serve to a usable page** (median of {len(pages)}; Chromium already running): address printed after "
        f"{statistics.median(p[0] for p in pages):.2f} s, page loaded, form filled and socket open after "
        f"**{statistics.median(p[1] for p in pages):.2f} s** (runs: {', '.join(f'{p[1]:.2f}' for p in pages)} s). "
        "Models load when a session starts, not before.",
        "",
        "**Page weight**: what the page loads when it opens (no framework, nothing from the network), and the "
        "editor it fetches only when a coding round starts:",
        "",
        table(["file", "bytes", "gzip -9"], start + [total(start)]),
        "",
        table(["coding round only", "bytes", "gzip -9"], later + [total(later)]),
        "",
        "**Reply gap, like for like**: each answer is one ANSWER.wav (0.6 s of silence, the recording(s) joined "
        "with 0.7 s pauses, 8 s of silence), fed to both paths on the same question (`mlf-overfitting-underfitting`, "
        "bank follow-ups, patience 2.5 s, tiny.en). Browser: Chromium's fake microphone plays the file "
        "(`--use-file-for-fake-audio-capture=ANSWER.wav`). Terminal: the same file as the only answer of "
        "`drill --candidate-audio FOLDER` (the virtual device in lockstep: its clock waits for the models, so "
        "their work costs no audio time). Terminal, paced: the same virtual device paced in real time, as a live "
        "microphone would be (the models' work takes real time, as in the browser). `gap_s` is the session's own "
        "figure on every path (end of the last word to the first interviewer audio); \"in the page\" is measured "
        "by the page, from sending the answer's last voiced sample to the follow-up's first audio arriving.",
        "",
        f"p50 of gap_s over {len(browser)} runs each: browser **{f(b50)} s** (in the page {f(page50)} s), "
        f"terminal `--candidate-audio` **{f(t50)} s**, terminal paced **{f(r50)} s**. Browser minus terminal: "
        f"**{diff(b50, t50)} s** against `--candidate-audio`, **{diff(b50, r50)} s** against the paced terminal "
        "(target: within 0.3 s). The part after the turn was decided (`response_s`: transcript tail, choice, "
        f"voice), p50: browser {f(resp['b'])} s, terminal {f(resp['t'])} s, paced {f(resp['r'])} s.",
        "",
        table(["answer", "path", "in the page (s)", "gap_s (s)", "response_s (s)", "how the turn ended"], table_rows),
    ])


def append_section(body: str) -> None:
    """Appends (or replaces) only this section; the rest of the file is other people's."""
    doc = REPO_ROOT / "docs" / "benchmarks.md"
    start, end = "<!-- bench_web:start -->", "<!-- bench_web:end -->"
    text = doc.read_text()
    block = f"{start}\n{body}\n{end}\n"
    if start in text and end in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end) + 1:]
        doc.write_text(text)
    else:
        with doc.open("a") as out:
            out.write(("\n" if not text.endswith("\n\n") else "") + block)


if __name__ == "__main__":
    sys.exit(main())
