#!/usr/bin/env python3
"""Browser figures for `voice-interviewer serve` (docs/benchmarks.md, "Browser").

1. Time from starting `serve` to a usable page: the process is spawned, its
   address read from its first line, and headless Chromium (already running)
   loads it until the page marks itself ready (form filled, socket open).
2. The page's weight: bytes of HTML + JS + CSS + worklet + icon, raw and gzipped.
3. The reply gap, from the end of the candidate's speech to the first interviewer
   audio, on the same recorded answers (a) through the browser (Chromium's fake
   microphone fed the answer, measured in the page) and (b) on the virtual device
   the terminal's headless path uses (the session's own gap_s).

Needs chromium + chromium-driver and selenium. Prints the section; with --write it
appends it to docs/benchmarks.md (or replaces its earlier copy between the markers).
"""

from __future__ import annotations

import argparse
import gzip
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_common import REPO_ROOT, machine_line, require_testdata, table, utc_now  # noqa: E402

sys.path.insert(0, str(REPO_ROOT))
from tests.test_web_browser import answer_wav, reply_gap, run_drill  # noqa: E402
from voice_interviewer.web import chromium  # noqa: E402

QUESTION = "mlf-overfitting-underfitting"
ANSWERS = {  # name -> clips (real recordings from ../shared/testdata/asr)
    "LJSpeech 0001+0003 (20 s, read)": ("asr/coqui-tts-ljspeech/wavs/LJ001-0001.wav", "asr/coqui-tts-ljspeech/wavs/LJ001-0003.wav"),
    "LibriSpeech 2412-153948-0000 (11.7 s, read)": ("asr/lhotse/2412-153948-0000.flac",),
}


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
    return [(p.name, len(p.read_bytes()), len(gzip.compress(p.read_bytes(), 9))) for p in sorted(static.iterdir())]


def browser_gap(testdata: Path, clips, work: Path) -> tuple[float | None, float | None]:
    from tests.test_web_server import Running
    from voice_interviewer.web.server import ServeOptions

    wav = work / "answer.wav"
    speech_end = answer_wav(testdata, wav, clips)
    server = Running(ServeOptions(data_dir=work / "sessions", open_browser=False))
    try:
        page = run_drill(server.port, server.server.token, wav, work, QUESTION)
    finally:
        server.close()
    said = [e["event"] for e in page["timeline"] if e["what"] == "event" and e["type"] == "interviewer_said"]
    follow = next((s for s in said if s["kind"] not in ("intro", "question")), None)
    server_gap = ((follow or {}).get("latency") or {}).get("gap_s")
    return reply_gap(page["timeline"], speech_end), server_gap


def virtual_gap(testdata: Path, clips, work: Path) -> float | None:
    import numpy as np

    from voice_interviewer.audio.files import load_audio, write_wav
    from voice_interviewer.runner import RunOptions, run_interview
    from voice_interviewer.sessions.store import load_session

    folder = work / "answers"
    folder.mkdir()
    loaded = [load_audio(testdata / c).samples for c in clips]
    pause = np.zeros(int(16000 * 0.7), np.int16)
    joined = np.concatenate([x for clip in loaded for x in (clip, pause)][:-1])
    write_wav(folder / "1.wav", joined, 16000)
    result = run_interview(RunOptions(mode="drill", question_ids=(QUESTION,), count=1, seconds=60, llm="none",
                                      candidate_audio=folder, data_root=work / "sessions"), echo=lambda line: None)
    for e in load_session(result.session_dir).events:  # typed events (voice_interviewer.events)
        if getattr(e, "TYPE", None) == "interviewer_said" and e.kind not in ("intro", "question"):
            return e.latency.gap_s if e.latency else None
    return None


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--page-runs", type=int, default=3)
    ap.add_argument("--quick", action="store_true", help="one answer only")
    ap.add_argument("--write", action="store_true", help="add the section to docs/benchmarks.md")
    args = ap.parse_args()
    if chromium.find_chromium() is None:
        sys.exit("needs chromium and chromedriver: apt-get install chromium chromium-driver")
    testdata = require_testdata("asr")
    t_start = time.perf_counter()

    pages = time_to_page(args.page_runs)
    weights = page_weight()
    gaps = []
    for name, clips in list(ANSWERS.items())[: 1 if args.quick else None]:
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b:
            page_gap, server_gap = browser_gap(testdata, clips, Path(a))
            gaps.append((name, page_gap, server_gap, virtual_gap(testdata, clips, Path(b))))
            print(gaps[-1], flush=True)

    f = lambda x: "–" if x is None else f"{x:.2f}"  # noqa: E731
    url_s = statistics.median(p[0] for p in pages)
    ready_s = statistics.median(p[1] for p in pages)
    body = "\n".join([
        "## Browser: `voice-interviewer serve` (bench_web.py)",
        "",
        f"- machine: {machine_line()}; date: {utc_now()}; run time {time.perf_counter() - t_start:.0f} s",
        "- browser: Debian chromium, headless, driven by Selenium; microphone = Chromium's fake capture device fed a WAV",
        "  (`--use-file-for-fake-audio-capture`), so there is no acoustic echo path in these runs",
        "",
        f"**Serve to a usable page** (median of {len(pages)}; Chromium already running): address printed after "
        f"{url_s:.2f} s, page loaded, form filled and socket open after **{ready_s:.2f} s** "
        f"(runs: {', '.join(f'{p[1]:.2f}' for p in pages)} s). Models load when a session starts, not before.",
        "",
        "**Page weight** (everything the page loads; no framework, nothing from the network):",
        "",
        table(["file", "bytes", "gzip -9"], [(n, b, g) for n, b, g in weights]
              + [("total", sum(w[1] for w in weights), sum(w[2] for w in weights))]),
        "",
        "**Reply gap** on the same answers and question (`mlf-overfitting-underfitting`, bank follow-ups, "
        "patience 2.5 s, tiny.en): end of the candidate's speech to the first interviewer audio. "
        "Browser, in the page: from the moment the page sent the answer's last voiced sample to the moment the "
        "follow-up's first audio arrived in the page. Browser, server: the session's own `gap_s` in the same run. "
        "Virtual device: the headless terminal path (`--candidate-audio`), its `gap_s`.",
        "",
        table(["answer", "browser, in the page (s)", "browser, server gap_s (s)", "virtual device gap_s (s)"],
              [(n, f(p), f(s), f(v)) for n, p, s, v in gaps]),
    ])
    print("\n" + body)
    if args.write:
        append_section(body)
    return 0


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
