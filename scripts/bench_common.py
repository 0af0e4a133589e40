"""Shared helpers for the benchmark scripts (scripts/bench_*.py).

Benchmarks are not tests: they measure and report, they never assert timings.
Each script prints a table and rewrites its own section of docs/benchmarks.md,
between `<!-- NAME:start -->` and `<!-- NAME:end -->`, leaving the rest intact.

What lives here:
  * where the shared test data is (VOICE_INTERVIEWER_TESTDATA overrides it);
  * a description of the machine (arch, CPU model, cores, RAM) and the date;
  * rewriting one section of docs/benchmarks.md;
  * text normalisation and corpus word error rate (edit counts, not averages);
  * a small Markdown table formatter used for both the terminal and the doc.
"""

from __future__ import annotations

import datetime as _dt
import os
import platform
import re
import sys
import time
import unicodedata
from contextlib import contextmanager
from importlib import metadata
from pathlib import Path
from typing import Iterable, Sequence

from voice_interviewer.listening.wer import word_edits  # the package's one implementation

REPO_ROOT = Path(__file__).resolve().parents[1]
DOC_PATH = REPO_ROOT / "docs" / "benchmarks.md"

# Make `import voice_interviewer` work when a script is run from anywhere.
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))

DOC_HEADER = """# Benchmarks

Measured numbers for voice-interviewer's models on a real machine. Each section is
written by one script in `scripts/` (run `make bench-vad`, `make bench-stt`,
`make bench-tts`, `make bench-llm`, or the script directly; `--help` explains what it
measures, `--quick` does a smaller run). A script rewrites only its own section, between
its `<!-- name:start -->` / `<!-- name:end -->` markers; edit text outside the markers freely.
Benchmarks report, they never pass or fail: the tests in `tests/` do that.

Test data: `../shared/testdata` (override with `VOICE_INTERVIEWER_TESTDATA`); see its
`PROVENANCE.tsv` for where each recording comes from and its licence.
"""


# --- test data ----------------------------------------------------------------------
def testdata_dir() -> Path:
    override = os.environ.get("VOICE_INTERVIEWER_TESTDATA")
    if override:
        return Path(override).expanduser().resolve()
    return Path(__file__).resolve().parents[1].parent / "shared" / "testdata"


def require_testdata(*relative: str) -> Path:
    """The test-data folder, or a clear exit when it (or a needed part) is missing."""
    root = testdata_dir()
    for rel in relative or ("",):
        if not (root / rel).exists():
            sys.exit(f"test data not found: {root / rel}\n"
                     f"set VOICE_INTERVIEWER_TESTDATA to the folder that holds asr/ and vad/")
    return root


# --- machine and date ---------------------------------------------------------------
def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.lower().startswith(("model name", "hardware", "cpu model")):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _ram_gib() -> float | None:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return int(line.split()[1]) / (1024 * 1024)
    except OSError:
        pass
    return None


def _usable_cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def machine() -> dict:
    ram = _ram_gib()
    return {
        "arch": platform.machine() or os.uname().machine,
        "cpu": _cpu_model(),
        "cores": _usable_cores(),
        "ram": f"{ram:.1f} GiB" if ram is not None else "unknown",
        "python": platform.python_version(),
        "os": f"{platform.system()} {platform.release()}",
    }


def machine_line() -> str:
    m = machine()
    return (f"{m['arch']}, {m['cpu']}, {m['cores']} cores, {m['ram']} RAM; "
            f"{m['os']}; Python {m['python']}")


def utc_now() -> str:
    return _dt.datetime.now(_dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")


def package_versions(names: Iterable[str]) -> str:
    out = []
    for n in names:
        try:
            out.append(f"{n} {metadata.version(n)}")
        except metadata.PackageNotFoundError:
            out.append(f"{n} (not installed)")
    return ", ".join(out)


def run_header(title: str, script: str, models: str, packages: Iterable[str] = (), extra: str = "",
               quick: bool = False, elapsed_s: float | None = None, cpu: "CpuMonitor | None" = None) -> str:
    """The lines every section starts with: what, where, when, which models."""
    lines = [
        f"## {title}",
        "",
        f"- script: `python scripts/{script}{' --quick' if quick else ''}`"
        + (" (**quick run: smaller sample, numbers are rougher**)" if quick else ""),
        f"- date: {utc_now()}",
        f"- machine: {machine_line()}",
        f"- models: {models}",
    ]
    pk = package_versions(packages)
    if pk:
        lines.append(f"- packages: {pk}")
    if elapsed_s is not None:
        lines.append(f"- run time: {elapsed_s:.0f} s")
    if cpu is not None and cpu.result:
        lines.append(f"- {cpu.describe()}")
    if extra:
        lines.append(extra)
    return "\n".join(lines)


# --- docs/benchmarks.md -------------------------------------------------------------
def _markers(name: str) -> tuple[str, str]:
    return f"<!-- {name}:start -->", f"<!-- {name}:end -->"


def write_section(name: str, body: str, path: Path = DOC_PATH) -> Path:
    """Replace the text between this section's markers (or append the section)."""
    start, end = _markers(name)
    block = f"{start}\n{body.strip()}\n{end}"
    path.parent.mkdir(parents=True, exist_ok=True)
    pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
    with open(path, "a+", encoding="utf-8") as f:  # several scripts may finish at once: lock, then rewrite
        try:
            import fcntl

            fcntl.flock(f, fcntl.LOCK_EX)
        except (ImportError, OSError):
            pass  # no locking on this platform; the rewrite below is still a single write
        f.seek(0)
        text = f.read() or DOC_HEADER
        if pattern.search(text):
            text = pattern.sub(lambda _m: block, text, count=1)
        else:
            text = text.rstrip("\n") + "\n\n" + block + "\n"
        f.seek(0)
        f.truncate()
        f.write(text)
    return path


# --- tables -------------------------------------------------------------------------
def fmt(value, digits: int = 2) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        if value != value:  # NaN
            return "-"
        return f"{value:.{digits}f}"
    return str(value)


def pct(value: float | None, digits: int = 1) -> str:
    return "-" if value is None or value != value else f"{100 * value:.{digits}f}%"


def table(headers: Sequence[str], rows: Iterable[Sequence], align: str | None = None) -> str:
    """A Markdown table that also reads well in a terminal (columns padded)."""
    rows = [[str(c).replace("|", "\\|") for c in r] for r in rows]
    headers = [str(h) for h in headers]
    widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(headers)]
    align = align or ("l" + "r" * (len(headers) - 1))

    def line(cells):
        return "| " + " | ".join(c.ljust(w) if a == "l" else c.rjust(w) for c, w, a in zip(cells, widths, align)) + " |"

    sep = "|" + "|".join((":" + "-" * (w + 1)) if a == "l" else ("-" * (w + 1) + ":") for w, a in zip(widths, align)) + "|"
    return "\n".join([line(headers), sep] + [line(r) for r in rows])


# --- text normalisation and word error rate -----------------------------------------
_APOSTROPHES = {"\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'"}


def normalize_text(text: str) -> list[str]:
    """Words for scoring, built on voice_interviewer.listening.wer.normalize_words.

    Steps: curly apostrophes -> ', accents stripped (NFKD), lowercase, hyphens -> spaces,
    every character other than a-z, 0-9 and ' becomes a space, quotes at word edges
    dropped. Numbers are compared as written ("1813" != "eighteen thirteen"), and
    fillers ("um", "uh") are kept on both sides.
    """
    from voice_interviewer.listening.wer import normalize_words

    for a, b in _APOSTROPHES.items():
        text = text.replace(a, b)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    words = (w.strip("'") for w in normalize_words(text))
    return [w for w in words if w]


class CorpusWER:
    """Accumulates edits and reference words: WER = total edits / total reference words."""

    def __init__(self):
        self.edits = 0
        self.ref_words = 0
        self.items = 0

    def add(self, reference: str, hypothesis: str) -> tuple[int, int]:
        ref, hyp = normalize_text(reference), normalize_text(hypothesis)
        e = word_edits(ref, hyp)
        self.edits += e
        self.ref_words += len(ref)
        self.items += 1
        return e, len(ref)

    @property
    def wer(self) -> float:
        return self.edits / self.ref_words if self.ref_words else float("nan")


# --- other load on the machine ----------------------------------------------------
def _cpu_jiffies() -> tuple[int, int] | None:
    """(busy, total) jiffies of all CPUs since boot, from /proc/stat."""
    try:
        f = [int(x) for x in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    except (OSError, ValueError, IndexError):
        return None
    idle = f[3] + (f[4] if len(f) > 4 else 0)  # idle + iowait
    total = sum(f[:8])  # guest time is already inside user
    return total - idle, total


def _own_cpu_s() -> float:
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def busy_share(window_s: float = 2.0) -> float | None:
    """Share of the whole machine's CPU that was busy over a short window."""
    a = _cpu_jiffies()
    time.sleep(window_s)
    b = _cpu_jiffies()
    if a is None or b is None or b[1] == a[1]:
        return None
    return (b[0] - a[0]) / (b[1] - a[1])


def wait_for_quiet(max_wait_s: float, threshold: float = 0.25) -> None:
    """Wait (up to max_wait_s) until other processes leave the CPU mostly idle."""
    if max_wait_s <= 0:
        return
    deadline = time.monotonic() + max_wait_s
    while True:
        share = busy_share(3.0)
        if share is None or share < threshold:
            print(f"machine is quiet enough ({pct(share)} busy); starting", file=sys.stderr)
            return
        if time.monotonic() >= deadline:
            print(f"machine still {pct(share)} busy after {max_wait_s:.0f} s; measuring anyway", file=sys.stderr)
            return
        print(f"machine {pct(share)} busy with other work; waiting...", file=sys.stderr)
        time.sleep(5)


def _proc_cpu_s(pid: int) -> float:
    """CPU seconds (user + system) of a live process, from /proc/<pid>/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


class CpuMonitor:
    """How much of the machine other processes used while something was measured.

    other = (machine busy time - CPU time of this process, its finished children and the
    live processes in `pids`) / (wall x cores). Timings taken while others used much of
    the CPU are slower than on an idle machine.
    """

    DIRTY = 0.15  # others used more than this share of the machine: the timing is suspect

    def __init__(self, pids=()):
        self.pids = [p for p in pids if p]
        self.result: dict = {}
        self._start = None

    def _own(self) -> float:
        return _own_cpu_s() + sum(_proc_cpu_s(p) for p in self.pids)

    def start(self) -> "CpuMonitor":
        self._start = (time.monotonic(), _cpu_jiffies(), self._own())
        return self

    def stop(self) -> dict:
        if self._start is None:
            return {}
        t0, j0, own0 = self._start
        wall, j1, own1 = time.monotonic() - t0, _cpu_jiffies(), self._own()
        if j0 is None or j1 is None or j1[1] == j0[1] or wall <= 0:
            return {}
        tick = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
        cores = os.cpu_count() or 1
        busy_s = (j1[0] - j0[0]) / tick
        own_s = own1 - own0
        self.result = {
            "machine_busy": (j1[0] - j0[0]) / (j1[1] - j0[1]),
            "own": own_s / (wall * cores),
            "other": max(0.0, (busy_s - own_s) / (wall * cores)),
        }
        return self.result

    @property
    def other(self) -> float | None:
        return self.result.get("other")

    @property
    def dirty(self) -> bool:
        return self.other is not None and self.other > self.DIRTY

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    def describe(self) -> str:
        r = self.result
        if not r:
            return "CPU use by other processes: unknown"
        warn = " (**others were busy: timings are pessimistic**)" if r["other"] > self.DIRTY else ""
        return (f"CPU during the run: this benchmark {pct(r['own'], 0)}, other processes {pct(r['other'], 0)} "
                f"of the machine's {os.cpu_count()} cores{warn}")


class QuietGate:
    """Before each timed step: if others were busy during the previous one, wait for quiet.

    Costs nothing while the machine stays quiet (no extra sampling); `clean(monitor)` tells
    whether a step's timing can be trusted.
    """

    def __init__(self, max_wait_s: float):
        self.max_wait_s = max_wait_s
        self.previous_dirty = False
        self.dirty_steps = 0

    def before(self) -> None:
        if self.previous_dirty and self.max_wait_s > 0:
            wait_for_quiet(self.max_wait_s)

    def after(self, monitor: CpuMonitor) -> bool:
        self.previous_dirty = monitor.dirty
        self.dirty_steps += monitor.dirty
        return not monitor.dirty


def finish_run(cpu: "CpuMonitor", t_run: float, notes: Iterable[str] = ()) -> float:
    """The common ending of every benchmark: notes, how busy the machine was, run time."""
    notes = list(notes)
    if notes:
        print("\nNotes on the data:")
        for n in notes:
            print(f"- {n}")
    elapsed = time.perf_counter() - t_run
    cpu.stop()
    print(cpu.describe())
    print(f"\nrun time {elapsed:.1f} s")
    return elapsed


def add_common_args(ap) -> None:
    ap.add_argument("--no-doc", action="store_true", help="print only; leave docs/benchmarks.md alone")
    ap.add_argument("--wait-quiet", type=float, default=0, metavar="SECONDS",
                    help="before measuring, wait up to SECONDS for other processes to leave the CPU idle "
                         "(default 0: start at once); the CPU share others used is reported either way")


# --- timing and progress ------------------------------------------------------------
@contextmanager
def timed(store: dict, key: str):
    t0 = time.perf_counter()
    try:
        yield
    finally:
        store[key] = time.perf_counter() - t0


def progress(iterable=None, **kw):
    """tqdm on stderr, so the tables on stdout stay clean."""
    from tqdm import tqdm

    kw.setdefault("file", sys.stderr)
    kw.setdefault("leave", False)
    kw.setdefault("dynamic_ncols", True)
    return tqdm(iterable, **kw)


def rss_kib(pid: int) -> dict:
    """VmRSS and VmHWM (peak) of a process, from /proc (psutil is not a dependency)."""
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key = line.split(":", 1)[0]
            if key in ("VmRSS", "VmHWM"):
                out[key] = int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return out
