"""Runs inside the sandbox's child process: lock the process down, load the candidate's code,
run the test inputs, write result.json. Standard library only; it must not import the package
(the child starts with ``python -I -S`` and sees nothing but the standard library).

Usage (by sandbox.py only): python -I -S _runner.py WORKDIR
"""

import gc
import json
import os
import pickle
import resource
import signal
import sys
import sysconfig
import time
import traceback

NET_CLONE = 0x40000000  # CLONE_NEWNET
USER_CLONE = 0x10000000  # CLONE_NEWUSER
NOBODY = 65534
SOLUTION = "solution.py"

# Modules a solution commonly uses, imported before the guard so that importing them later
# needs no file access at all.
PRELOAD = ("collections", "heapq", "bisect", "itertools", "functools", "math", "typing", "dataclasses",
           "re", "string", "operator", "statistics", "array", "random", "copy", "enum", "fractions",
           "decimal", "collections.abc", "linecache", "io", "abc", "types", "contextlib", "numbers",
           "queue", "datetime", "time", "sys", "os", "json", "textwrap", "weakref", "struct", "hashlib")
BLOCKED_IMPORTS = {"ctypes", "_ctypes", "_posixsubprocess", "multiprocessing", "_multiprocessing", "pty"}
SHELL_EVENTS = {"os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.startfile"}
PATH_EVENTS = {"os.listdir", "os.scandir", "os.remove", "os.rename", "os.rmdir", "os.mkdir", "os.chmod",
               "os.chown", "os.symlink", "os.link", "os.truncate", "os.utime", "shutil.rmtree",
               "shutil.copyfile", "shutil.move", "os.chdir", "os.chroot", "os.walk", "glob.glob"}
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class TimeBudget(BaseException):
    """Raised from the CPU timer; a BaseException so a bare ``except Exception`` cannot eat it."""


class Blocked(PermissionError):
    pass


# ----------------------------------------------------------------------------- lockdown

def lock_down(job: dict) -> dict:
    """Process limits, a private network namespace, an unprivileged user. Returns what held."""
    notes = {}
    cpu = int(job["cpu_limit_s"]) + 1
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu + 1))
    resource.setrlimit(resource.RLIMIT_AS, (job["memory_bytes"], job["memory_bytes"]))
    resource.setrlimit(resource.RLIMIT_FSIZE, (job["file_bytes"], job["file_bytes"]))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    notes["network"] = _unshare_network()
    if os.getuid() == 0 and notes["network"] == "private namespace" and others_can_enter(sysconfig.get_path("stdlib")):
        try:
            os.setgroups([])
            os.setgid(NOBODY)
            os.setuid(NOBODY)
            notes["user"] = "nobody"
        except OSError as exc:
            notes["user"] = f"root (could not drop: {exc})"
    else:
        notes["user"] = str(os.getuid())
    # No new processes or threads: root ignores RLIMIT_NPROC, which is why we drop to nobody.
    resource.setrlimit(resource.RLIMIT_NPROC, (0, 0))
    return notes


def others_can_enter(path: str) -> bool:
    """Whether an unprivileged user could still import from ``path`` (every folder o+x)."""
    path = os.path.realpath(path)
    while True:
        if not os.stat(path).st_mode & 0o001:
            return False
        parent = os.path.dirname(path)
        if parent == path:
            return True
        path = parent


def _unshare_network() -> str:
    try:
        import ctypes  # only here, before the guard forbids it

        libc = ctypes.CDLL(None, use_errno=True)
        if libc.unshare(NET_CLONE) == 0:
            return "private namespace"
        if libc.unshare(USER_CLONE | NET_CLONE) == 0:
            return "private namespace (user namespace)"
        return f"shared (unshare failed: {os.strerror(ctypes.get_errno())})"
    except Exception as exc:  # no ctypes, no libc: the audit guard is the only network layer
        return f"shared ({exc})"


# ----------------------------------------------------------------------------- the guard

def install_guard(workdir: str, violations: list) -> None:
    """An audit hook that refuses files outside ``workdir``, programs, forks and sockets.

    It runs in the same interpreter as the candidate's code, so it stops mistakes and casual
    attempts, not a determined attacker (see sandbox.py's docstring)."""
    read_roots = tuple({os.path.realpath(p) for p in (sysconfig.get_path("stdlib"),
                                                     sysconfig.get_path("platstdlib")) if p})
    realpath, fsdecode, sep = os.path.realpath, os.fsdecode, os.sep

    def under(path: str, root: str) -> bool:
        return path == root or path.startswith(root + sep)

    def deny(kind: str, message: str):
        if len(violations) < 20:
            violations.append({"kind": kind, "message": message})
        raise Blocked(f"blocked by the sandbox: {message}")

    def hook(event: str, args: tuple) -> None:
        if event == "open":
            path, mode, flags = args
            if path is None or isinstance(path, int):
                return
            real = realpath(fsdecode(path))
            if under(real, workdir):
                return
            writing = (mode and any(c in mode for c in "wax+")) or bool((flags or 0) & WRITE_FLAGS)
            if not writing and any(under(real, root) for root in read_roots):
                return
            deny("file_access", f"tried to {'write' if writing else 'read'} {fsdecode(path)} outside its folder")
        elif event in SHELL_EVENTS:
            what = args[0] if event == "os.system" else (args[1] if len(args) > 1 else args[0])
            if isinstance(what, bytes):
                what = what.decode(errors="replace")
            shown = " ".join(map(str, what)) if isinstance(what, (list, tuple)) else str(what)
            deny("shell", f"tried to run {shown!r}; no other programs may run")
        elif event in ("os.fork", "os.forkpty", "os.register_at_fork"):
            deny("process_limit", "tried to start a new process (os.fork); one process is all it gets")
        elif event.startswith("socket."):
            deny("network", f"tried to use the network ({event}); there is no network here")
        elif event == "import" and args[0].split(".")[0] in BLOCKED_IMPORTS:
            if "multiprocessing" in args[0]:
                deny("process_limit", f"tried to import {args[0]}; one process is all it gets")
            deny("shell", f"tried to import {args[0]}; no other programs or C calls may run")
        elif event.startswith("ctypes."):
            deny("shell", "tried to call C functions through ctypes")
        elif event in PATH_EVENTS:
            path = args[0] if args else None
            if isinstance(path, (str, bytes, os.PathLike)) and not under(realpath(fsdecode(path)), workdir):
                deny("file_access", f"tried to touch {fsdecode(path)} outside its folder ({event})")

    sys.addaudithook(hook)


# ----------------------------------------------------------------------------- output cap

class CappedWriter:
    """Stands in for stdout/stderr: keeps the first ``cap`` characters, counts the rest."""

    def __init__(self, cap: int):
        self.cap, self.parts, self.kept, self.total = cap, [], 0, 0

    def write(self, text) -> int:
        text = str(text)
        self.total += len(text)
        room = self.cap - self.kept
        if room > 0:
            self.parts.append(text[:room])
            self.kept += min(room, len(text))
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return False

    def text(self) -> str:
        return "".join(self.parts)


# ----------------------------------------------------------------------------- values

def plain(value, depth: int = 0):
    """A JSON-safe form of a result that keeps what equality needs (the parent does the same
    to the expected answer): tuples become lists, dicts and sets become tagged sorted lists."""
    if depth > 50:
        return {"__repr__": "<nested too deeply>"}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return value if value == value and abs(value) != float("inf") else {"__repr__": repr(value)}
    if isinstance(value, (list, tuple)):
        return [plain(v, depth + 1) for v in value]
    if isinstance(value, dict):
        items = [[plain(k, depth + 1), plain(v, depth + 1)] for k, v in value.items()]
        return {"__dict__": sorted(items, key=lambda kv: repr(kv[0]))}
    if isinstance(value, (set, frozenset)):
        return {"__set__": sorted((plain(v, depth + 1) for v in value), key=repr)}
    return {"__repr__": repr(value)[:200]}


# ----------------------------------------------------------------------------- running

def _where(exc: BaseException) -> tuple[int | None, str]:
    """The last line of the candidate's own file in the traceback, and that line's text."""
    line, text = None, ""
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename == SOLUTION:
            line, text = frame.lineno, (frame.line or "")
    return line, text


def _status_of(exc: BaseException, violations: list) -> str:
    if isinstance(exc, TimeBudget):
        return "timeout"
    if isinstance(exc, MemoryError):
        return "memory"
    if isinstance(exc, RecursionError):
        return "recursion"
    if isinstance(exc, Blocked) or (violations and isinstance(exc, PermissionError)):
        return violations[-1]["kind"] if violations else "file_access"
    return "exception"


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TimeBudget):
        return "ran past its time budget"
    return f"{type(exc).__name__}: {str(exc)[:300]}"


def _on_timer(signum, frame):
    raise TimeBudget()


def _elapsed(cpu_start: float, wall_start: float) -> float:
    """CPU time, which other processes on a busy machine do not inflate; but in some VMs the
    process CPU clock ticks in 10 ms steps, so short runs use the wall clock (and are repeated
    by the caller, keeping the fastest)."""
    cpu = time.process_time() - cpu_start
    return cpu if cpu >= 0.05 else time.perf_counter() - wall_start


def call_with_budget(fn, args, budget_s: float, violations: list) -> dict:
    signal.setitimer(signal.ITIMER_PROF, budget_s)
    start, wall = time.process_time(), time.perf_counter()
    try:
        value = fn(*args)
        seconds = _elapsed(start, wall)
        signal.setitimer(signal.ITIMER_PROF, 0)
        if hasattr(value, "__next__"):  # a generator: the work happens when it is consumed
            value = list(value)
        return {"status": "ok", "value": plain(value), "seconds": seconds}
    except BaseException as exc:  # everything the candidate can raise is reported, not fatal
        signal.setitimer(signal.ITIMER_PROF, 0)
        if isinstance(exc, (KeyboardInterrupt, SystemExit)) and not isinstance(exc, TimeBudget):
            status = "exception"
        else:
            status = _status_of(exc, violations)
        line, text = _where(exc)
        return {"status": status, "error": _describe(exc), "line": line, "code": text.strip(),
                "seconds": time.process_time() - start}


def progress(workdir: str, text: str) -> None:
    # Written before each step so that, if the process is killed, the parent knows what ran.
    with open(os.path.join(workdir, "progress"), "w") as fh:
        fh.write(text)


def load_candidate(job: dict, violations: list):
    """Compile and execute the candidate's file; return (function, error dict or None)."""
    with open(SOLUTION, encoding="utf-8", errors="replace") as fh:
        source = fh.read()
    try:
        code = compile(source, SOLUTION, "exec")
    except SyntaxError as exc:
        return None, {"status": "syntax_error", "error": f"{exc.msg}", "line": exc.lineno,
                      "code": (exc.text or "").strip()}
    namespace = {"__name__": "solution", "__file__": SOLUTION}
    outcome = call_with_budget(lambda: exec(code, namespace), (), job["case_budget_s"], violations)
    if outcome["status"] != "ok":
        return None, outcome
    fn = namespace.get(job["function"])
    if not callable(fn):
        return None, {"status": "missing_function", "error": f"no function named {job['function']}()",
                      "line": None, "code": ""}
    return fn, None


def run_scale(job: dict, fn, violations: list, workdir: str) -> list:
    points, budget = [], job["scale_budget_s"]
    for i, n in enumerate(job["scale_sizes"]):
        if points and points[-1]["status"] != "ok":
            points.append({"n": n, "status": "skipped"})
            continue
        # Skip a size only when the last one already took a quarter of the budget and the
        # growth so far says this one would take four budgets: noise on a busy machine
        # must never skip a size that a good solution would finish.
        if len(points) >= 2 and points[-1]["seconds"] >= budget / 4 and _projected(points, n) > 4 * budget:
            points.append({"n": n, "status": "projected", "seconds": _projected(points, n)})
            continue
        progress(workdir, f"scale {n}")
        outcome = _timed(fn, _load_args(workdir, i), budget, violations)
        outcome["n"] = n
        # Short runs are timed again on fresh copies (the code may change its input) and the
        # fastest kept: a millisecond of scheduler noise would otherwise bend the curve.
        spent, repeats = outcome.get("seconds", 0), 0
        while outcome["status"] == "ok" and spent < 0.1 and repeats < 5:
            again = _timed(fn, _load_args(workdir, i), budget, violations)
            if again["status"] != "ok":
                break
            outcome["seconds"] = min(outcome["seconds"], again["seconds"])
            spent, repeats = spent + again["seconds"], repeats + 1
        points.append(outcome)
    return points


def _load_args(workdir: str, index: int):
    with open(os.path.join(workdir, f"scale_{index}.pkl"), "rb") as fh:
        return pickle.load(fh)


def _timed(fn, args, budget: float, violations: list) -> dict:
    gc.collect()
    gc.disable()  # collector pauses grow with the heap and blur the growth curve (as timeit does)
    try:
        return call_with_budget(fn, args, budget, violations)
    finally:
        gc.enable()


def _projected(points: list, n: int) -> float:
    """CPU time the next size should take, from the growth between the last two sizes."""
    import math

    (n1, t1), (n2, t2) = [(p["n"], max(p["seconds"], 1e-4)) for p in points[-2:]]
    slope = max(1.0, math.log(t2 / t1) / math.log(n2 / n1)) if t2 > 0.02 else 1.0
    return t2 * (n / n2) ** slope


def main() -> None:
    workdir = os.path.realpath(sys.argv[1])
    os.chdir(workdir)
    with open("job.pkl", "rb") as fh:
        job = pickle.load(fh)
    for name in PRELOAD:  # before dropping privileges, in case the stdlib is not world-readable
        __import__(name)
    notes = lock_down(job)
    for name in [m for m in sys.modules if m.split(".")[0] in BLOCKED_IMPORTS]:
        del sys.modules[name]  # so that importing them again goes through the guard
    out = CappedWriter(job["output_cap"])
    sys.stdout = sys.stderr = out
    signal.signal(signal.SIGPROF, _on_timer)
    violations: list = []
    install_guard(workdir, violations)
    result = {"lockdown": notes, "cases": [], "scale": [], "load": None}
    progress(workdir, "load")
    fn, load_error = load_candidate(job, violations)
    result["load"] = load_error
    if fn is not None:
        for i, args in enumerate(job["cases"]):
            progress(workdir, f"case {i}")
            outcome = call_with_budget(fn, args, job["case_budget_s"], violations)
            result["cases"].append(outcome)
            if outcome["status"] == "timeout":
                break  # one runaway test is enough; the rest would only burn the budget
        if job["scale_sizes"] and all(c["status"] == "ok" for c in result["cases"]):
            result["scale"] = run_scale(job, fn, violations, workdir)
    result["violations"] = violations
    result["output"] = {"text": out.text(), "total_chars": out.total}
    progress(workdir, "done")
    with open("result.json", "w", encoding="utf-8") as fh:
        json.dump(result, fh)


if __name__ == "__main__":
    try:
        main()
    except BaseException:  # the runner's own failure: the parent reports it as an internal error
        traceback.print_exc(file=sys.__stderr__)
        sys.exit(3)
