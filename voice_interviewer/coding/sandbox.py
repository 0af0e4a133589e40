"""Run untrusted candidate code in a separate, limited process.

Layers, from strongest to weakest:

1. **A separate process** (``python -I -S``: no user site, no environment variables, no
   site-packages) in its own session and process group, started in a fresh temporary folder
   with a minimal environment, stdin from /dev/null. A wall-clock timer kills the whole group.
2. **Kernel limits** set in the child before any candidate code runs: RLIMIT_CPU (a runaway
   loop, even inside C code, is killed), RLIMIT_AS (memory bombs get MemoryError or die),
   RLIMIT_FSIZE (no huge files), RLIMIT_NPROC = 0 (no new processes or threads) and no core
   files. As root the child also unshares a **private network namespace** (no interfaces but
   a down loopback) and then drops to the ``nobody`` user, because root ignores RLIMIT_NPROC
   and can read every file. Without root it tries an unprivileged user+network namespace and,
   failing that, says so in ``SandboxResult.lockdown``.
3. **An audit hook** (PEP 578) installed before the candidate's code is compiled: it refuses
   opening files outside the temporary folder (reads of the standard library are allowed so
   imports work), listing or changing paths outside it, ``os.system``/``subprocess``/``exec``/
   ``spawn``, ``os.fork``, sockets, ``ctypes`` and ``multiprocessing``, and records each refusal
   so it is reported even when the candidate's code catches the exception.
4. **Output caps**: ``print`` goes to a writer that keeps the first characters and counts the
   rest; file descriptors 1 and 2 go to files capped by RLIMIT_FSIZE.

What the audit hook cannot do: it lives in the same interpreter as the code it watches, so it
is **not a security boundary against a determined attacker**. Code can corrupt interpreter
state (``gc``/frame tricks, crafted bytecode, known CPython crashers), and C extensions in the
standard library can do things no audit event reports. Against that, the process limits, the
unprivileged user and the network namespace are the boundary; they bound CPU, memory, disk,
processes and network, but not reads of world-readable files if the hook is defeated. The
test harness itself also runs in that interpreter, so a candidate set on cheating could fake
results: this is a practice tool, and the threat it is built for is a candidate's own mistakes
(an infinite loop, a memory bomb, a stray ``os.system``), reported in plain words.
"""

from __future__ import annotations

import json
import os
import pickle
import shutil
import signal
import subprocess
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path

RUNNER = Path(__file__).resolve().parent / "_runner.py"
NOBODY = 65534

# Containment kinds, most severe first; a run reports the first that applies.
KINDS = ("network", "shell", "file_access", "process_limit", "memory", "timeout", "crashed",
         "recursion", "syntax_error", "missing_function", "exception", "output_truncated", "internal_error", "ok")


@dataclass(frozen=True)
class SandboxLimits:
    case_budget_s: float = 2.0      # CPU seconds for loading the code and for each test
    scale_budget_s: float = 2.0     # CPU seconds for each size of the scaling test
    memory_bytes: int = 1 << 30     # address space
    file_bytes: int = 16 << 20      # largest file the child may write
    output_cap: int = 10_000        # characters of print output kept
    wall_s: float | None = None     # wall-clock limit; None: derived from the CPU budgets


@dataclass(frozen=True)
class Job:
    """What to run: a source string, the function it must define, the inputs."""

    source: str
    function: str
    cases: tuple = ()                      # argument tuples, run in order
    scale: tuple = ()                      # (n, argument tuple), ascending n


@dataclass(frozen=True)
class SandboxResult:
    kind: str                              # one of KINDS
    message: str                           # a sentence for the candidate
    load: dict | None                      # why the code could not be loaded, if it could not
    cases: tuple = ()                      # per case: status, value or error, line, seconds
    scale: tuple = ()                      # per size: n, status, seconds, value
    violations: tuple = ()                 # what the audit guard refused
    output: str = ""                       # the first characters printed
    output_chars: int = 0                  # how many were printed in all
    lockdown: dict = field(default_factory=dict)
    stopped_at: str = ""                   # the step running when the process was killed
    returncode: int = 0

    def to_dict(self) -> dict:
        return asdict(self)


def _wall_limit(job: Job, limits: SandboxLimits) -> float:
    if limits.wall_s is not None:
        return limits.wall_s
    cpu = limits.case_budget_s * (len(job.cases) + 1) + limits.scale_budget_s * len(job.scale)
    return cpu * 2 + 5  # the machine may be busy; CPU limits do the precise work


def _cpu_limit(job: Job, limits: SandboxLimits) -> float:
    return limits.case_budget_s * min(len(job.cases) + 1, 4) + limits.scale_budget_s * len(job.scale) + 2


def _prepare(workdir: Path, job: Job, limits: SandboxLimits) -> None:
    (workdir / "solution.py").write_text(job.source, encoding="utf-8")
    shutil.copyfile(RUNNER, workdir / "_runner.py")
    spec = {"function": job.function, "cases": list(job.cases), "scale_sizes": [n for n, _ in job.scale],
            "case_budget_s": limits.case_budget_s, "scale_budget_s": limits.scale_budget_s,
            "memory_bytes": limits.memory_bytes, "file_bytes": limits.file_bytes,
            "output_cap": limits.output_cap, "cpu_limit_s": _cpu_limit(job, limits)}
    with open(workdir / "job.pkl", "wb") as fh:
        pickle.dump(spec, fh, protocol=pickle.HIGHEST_PROTOCOL)
    for i, (_, args) in enumerate(job.scale):
        with open(workdir / f"scale_{i}.pkl", "wb") as fh:
            pickle.dump(args, fh, protocol=pickle.HIGHEST_PROTOCOL)
    if os.getuid() == 0:  # the child drops to nobody and must still own its folder
        for path in [workdir, *workdir.iterdir()]:
            os.chown(path, NOBODY, NOBODY)
    workdir.chmod(0o700)


def _interpreter() -> str:
    """The real interpreter behind the virtual environment (-I -S then sees only the stdlib).

    As root, prefer one whose stdlib the ``nobody`` user can read (a pyenv under /root is not),
    so the child can drop privileges and still import modules."""
    exe = os.path.realpath(sys.executable)
    if os.getuid() != 0:
        return exe
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (exe, f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        stdlib = Path(candidate).parent.parent / "lib" / version
        if os.path.exists(candidate) and stdlib.is_dir() and _others_can_enter(stdlib):
            return candidate
    return exe


def _others_can_enter(path: Path) -> bool:
    return all(p.stat().st_mode & 0o001 for p in [path.resolve(), *path.resolve().parents])


def run(job: Job, limits: SandboxLimits = SandboxLimits()) -> SandboxResult:
    """Run ``job`` in a fresh sandbox and say plainly what happened."""
    workdir = Path(tempfile.mkdtemp(prefix="vi-code-"))
    try:
        _prepare(workdir, job, limits)
        env = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "HOME": str(workdir), "TMPDIR": str(workdir)}
        with open(workdir / "fd1.txt", "wb") as out, open(workdir / "fd2.txt", "wb") as err:
            proc = subprocess.Popen([_interpreter(), "-I", "-S", str(workdir / "_runner.py"), str(workdir)],
                                    cwd=workdir, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
                                    start_new_session=True, close_fds=True)
            killed = _wait(proc, _wall_limit(job, limits))
        return _interpret(workdir, proc.returncode, killed, limits)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _wait(proc: subprocess.Popen, wall_s: float) -> bool:
    try:
        proc.wait(timeout=wall_s)
        return False
    except subprocess.TimeoutExpired:
        _kill_group(proc)
        return True
    finally:
        _kill_group(proc)  # stragglers in the group, if a fork ever got through


def _kill_group(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _read_head(path: Path, limit: int) -> str:
    try:
        with open(path, "rb") as fh:
            return fh.read(limit).decode("utf-8", errors="replace")
    except OSError:
        return ""


def _interpret(workdir: Path, returncode: int, killed: bool, limits: SandboxLimits) -> SandboxResult:
    stopped_at = _read_head(workdir / "progress", 200)
    try:
        raw = json.loads((workdir / "result.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raw = None
    if raw is None:
        kind, message = _death(returncode, killed, stopped_at, limits,
                               _read_head(workdir / "fd2.txt", 2000))
        return SandboxResult(kind=kind, message=message, load=None, stopped_at=stopped_at,
                             returncode=returncode, output=_read_head(workdir / "fd1.txt", limits.output_cap))
    output = raw.get("output", {})
    result = SandboxResult(
        kind="ok", message="", load=raw.get("load"), cases=tuple(raw.get("cases", ())),
        scale=tuple(raw.get("scale", ())), violations=tuple(raw.get("violations", ())),
        output=output.get("text", ""), output_chars=output.get("total_chars", 0),
        lockdown=raw.get("lockdown", {}), stopped_at=stopped_at, returncode=returncode)
    kind, message = classify(result, limits)
    return SandboxResult(**{**result.__dict__, "kind": kind, "message": message})


def _step_words(stopped_at: str) -> str:
    if stopped_at.startswith("case "):
        return f" on test {int(stopped_at.split()[1]) + 1}"
    if stopped_at.startswith("scale "):
        return f" on the scaling input of size {int(stopped_at.split()[1]):,}"
    if stopped_at == "load":
        return " while loading your file"
    return ""


def _death(returncode: int, killed: bool, stopped_at: str, limits: SandboxLimits, stderr: str) -> tuple[str, str]:
    """Why a child that wrote no result died, in a sentence."""
    where = _step_words(stopped_at)
    sig = -returncode if returncode < 0 else None
    if killed or sig in (signal.SIGXCPU, signal.SIGALRM):
        return "timeout", f"Your code ran past the time limit{where} and was stopped (an infinite loop?)."
    if sig == signal.SIGKILL:
        return "memory", f"Your code was killed{where}, most likely for using too much memory."
    if sig == signal.SIGXFSZ:
        return "output_truncated", f"Your code wrote a file larger than {limits.file_bytes >> 20} MB{where} and was stopped."
    if sig == signal.SIGSEGV:
        return "crashed", f"Python crashed{where} (very deep recursion does this); try an iterative version."
    if sig is not None:
        return "crashed", f"Your code was stopped by signal {signal.Signals(sig).name}{where}."
    if returncode == 3:
        return "internal_error", "The sandbox itself failed; this is a bug in voice-interviewer: " + stderr.strip()[-300:]
    return "crashed", f"Your code ended the process (exit code {returncode}){where} before the tests finished."


def _line(entry: dict) -> str:
    return f" (line {entry['line']}: {entry['code']})" if entry.get("line") else ""


def classify(result: SandboxResult, limits: SandboxLimits) -> tuple[str, str]:
    """The most severe thing that happened, and the sentence that says it."""
    if result.violations:
        first = result.violations[0]
        return first["kind"], f"Your code {first['message']}; the sandbox blocked it."
    load = result.load
    if load:
        status = load["status"]
        if status == "syntax_error":
            return status, f"Syntax error on line {load.get('line')}: {load.get('error')}" + (
                f" ({load['code']})" if load.get("code") else "")
        if status == "missing_function":
            name = load["error"].removeprefix("no function named ")
            return status, f"Your file does not define {name}; the tests call that function, so keep its name and signature."
        return _status_sentence(status, load, " while loading your file", limits)
    steps = [(f" on test {i + 1}", c) for i, c in enumerate(result.cases)]
    steps += [(f" on the scaling input of size {p['n']:,}", p) for p in result.scale]
    for severity in ("memory", "recursion", "exception"):
        for where, entry in steps:
            if entry.get("status") == severity:
                return _status_sentence(severity, entry, where, limits)
    for where, entry in steps:
        if entry.get("status") == "timeout" and " test " in where:
            return _status_sentence("timeout", entry, where, limits)
    if result.output_chars > limits.output_cap:
        return "output_truncated", (f"Your code printed {result.output_chars:,} characters; "
                                    f"only the first {limits.output_cap:,} were kept.")
    return "ok", "Your code ran to the end."


def _status_sentence(status: str, entry: dict, where: str, limits: SandboxLimits) -> tuple[str, str]:
    if status == "timeout":
        budget = limits.case_budget_s
        return status, f"Your code ran past the {budget:g} s time limit{where} (an infinite loop?)."
    if status == "memory":
        return status, f"Your code ran out of memory{where} (limit {limits.memory_bytes >> 20} MB){_line(entry)}."
    if status == "recursion":
        return status, f"Your code recursed too deeply{where}{_line(entry)}; try an explicit stack."
    return status, f"Your code raised {entry.get('error')}{where}{_line(entry)}."
