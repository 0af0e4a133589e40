"""Grade a candidate's source against a problem: examples, hidden tests, a scaling test.

The expected answers never enter the sandbox: the trusted reference computes them here, in
this process, and only the candidate's outputs come back to be compared. Failures on hidden
tests are described by what the input is like ("an empty stream"), never by the answer.
"""

from __future__ import annotations

import json
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from functools import lru_cache

from . import sandbox, spec
from ._runner import plain
from .spec import NOT_GIVEN, Case, Problem


@dataclass(frozen=True)
class CaseOutcome:
    label: str            # "example 2" or the hidden test's description
    visible: bool         # examples are shown in full; hidden tests only by description
    status: str           # passed, wrong, exception, timeout, memory, recursion, not_run, blocked kinds
    shown: str            # a sentence safe to show the candidate

    @property
    def passed(self) -> bool:
        return self.status == "passed"


@dataclass(frozen=True)
class ScalePoint:
    n: int
    seconds: float | None  # CPU seconds; for status "projected", the projection
    status: str            # ok, wrong, timeout, projected, skipped, exception, memory, recursion


@dataclass(frozen=True)
class Scaling:
    points: tuple[ScalePoint, ...]
    exponent: float | None        # fitted growth: time ~ n ** exponent
    expected_exponent: float
    expected: str                 # the problem's time complexity, e.g. "O(n log k)"
    passed: bool
    verdict: str                  # "meets O(n log k)", "too slow: looks quadratic (about n^2.0)"


@dataclass(frozen=True)
class CheckResult:
    problem_id: str
    passed: int
    failed: int
    cases: tuple[CaseOutcome, ...]
    scaling: Scaling | None
    kind: str             # the sandbox's containment kind (sandbox.KINDS)
    message: str          # the sandbox's sentence about it
    output: str           # what the code printed (capped)
    output_chars: int

    @property
    def total(self) -> int:
        return self.passed + self.failed

    @property
    def all_passed(self) -> bool:
        return self.failed == 0 and self.total > 0

    def failures_shown(self) -> tuple[str, ...]:
        shown = tuple(c.shown for c in self.cases if not c.passed)
        if self.scaling and not self.scaling.passed:
            shown += (f"Scaling test: {self.scaling.verdict}.",)
        return shown

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(total=self.total, all_passed=self.all_passed)
        return data


# ----------------------------------------------------------------------------- expected values

def _canonical(value):
    return json.loads(json.dumps(plain(value)))


def same(got, expected) -> bool:
    """Equality on the plain forms, with a tolerance for floats."""
    if isinstance(got, float) or isinstance(expected, float):
        return (isinstance(got, (int, float)) and isinstance(expected, (int, float))
                and not isinstance(got, bool) and math.isclose(got, expected, rel_tol=1e-6, abs_tol=1e-9))
    if isinstance(got, list) and isinstance(expected, list):
        return len(got) == len(expected) and all(same(g, e) for g, e in zip(got, expected))
    if isinstance(got, dict) and isinstance(expected, dict):
        return got.keys() == expected.keys() and all(same(got[k], expected[k]) for k in got)
    return type(got) is type(expected) and got == expected if isinstance(got, bool) or isinstance(expected, bool) \
        else got == expected


def _expected(problem: Problem, case: Case):
    if case.expected is not NOT_GIVEN:
        return case.expected
    return spec.reference_function(problem)(*case.args)


@lru_cache(maxsize=None)
def _expected_cases(problem: Problem) -> tuple:
    cases = spec.examples(problem) + spec.hidden_cases(problem)
    return tuple(_canonical(_expected(problem, c)) for c in cases)


@lru_cache(maxsize=None)
def _expected_scale(problem: Problem) -> tuple:
    fn = spec.reference_function(problem)
    return tuple(_canonical(fn(*args)) for _, args in spec.scale_inputs(problem))


# ----------------------------------------------------------------------------- checking

def check(problem: Problem, source: str, limits: sandbox.SandboxLimits | None = None,
          with_scale: bool = True) -> CheckResult:
    """Run ``source`` against every test of ``problem`` in the sandbox and grade it."""
    limits = limits or sandbox.SandboxLimits(scale_budget_s=spec.scale(problem).budget_s)
    examples, hidden = spec.examples(problem), spec.hidden_cases(problem)
    cases = examples + hidden
    job = sandbox.Job(source=source, function=problem.function, cases=tuple(c.args for c in cases),
                      scale=spec.scale_inputs(problem) if with_scale else ())
    run = sandbox.run(job, limits)
    expected = _expected_cases(problem)
    outcomes = tuple(_outcome(problem, i, case, i < len(examples), run, expected[i], limits)
                     for i, case in enumerate(cases))
    scaling = _scaling(problem, run) if with_scale else None
    failed = sum(not o.passed for o in outcomes) + (scaling is not None and not scaling.passed)
    passed = sum(o.passed for o in outcomes) + (scaling is not None and scaling.passed)
    return CheckResult(problem_id=problem.id, passed=passed, failed=failed, cases=outcomes, scaling=scaling,
                       kind=run.kind, message=run.message, output=run.output, output_chars=run.output_chars)


def _label(index: int, case: Case, visible: bool) -> str:
    return f"example {index + 1}" if visible else case.description


def _outcome(problem: Problem, index: int, case: Case, visible: bool, run: sandbox.SandboxResult,
             expected, limits: sandbox.SandboxLimits) -> CaseOutcome:
    label = _label(index, case, visible)
    call = spec.format_call(problem, case.args) if visible else ""
    if index >= len(run.cases):
        reason = run.message if run.kind != "ok" else "the run stopped before it"
        return CaseOutcome(label, visible, "not_run", f"Not run ({label}): {reason}")
    entry = run.cases[index]
    status = entry["status"]
    if status == "ok":
        if same(entry["value"], expected):
            return CaseOutcome(label, visible, "passed", f"Passes {label}.")
        if visible:
            return CaseOutcome(label, visible, "wrong",
                               f"Example {index + 1}: {call} returned {_show(entry['value'])}, "
                               f"expected {_show(expected)}.")
        return CaseOutcome(label, visible, "wrong", f"Gives a wrong answer on {label}.")
    where = f"line {entry['line']}" if entry.get("line") else ""
    subject = f"Example {index + 1}: {call}" if visible else f"On {label}, your code"
    if status == "timeout":
        text = f"{subject} ran past the {limits.case_budget_s:g} s time limit (an infinite loop?)."
    elif status == "memory":
        text = f"{subject} ran out of memory{' at ' + where if where else ''}."
    elif status == "recursion":
        text = f"{subject} recursed too deeply{' at ' + where if where else ''}; try an explicit stack."
    elif status == "exception":
        text = f"{subject} raised {entry['error']}{' at ' + where if where else ''}."
    else:
        text = f"{subject} was blocked: {run.message}"
    return CaseOutcome(label, visible, status, text)


def _show(value, limit: int = 200) -> str:
    """A plain value back in Python's own notation, for examples."""
    def back(v):
        if isinstance(v, list):
            return [back(x) for x in v]
        if isinstance(v, dict) and "__dict__" in v:
            return {_hashable(back(k)): back(x) for k, x in v["__dict__"]}
        if isinstance(v, dict) and "__set__" in v:
            return set(_hashable(back(x)) for x in v["__set__"])
        if isinstance(v, dict) and "__repr__" in v:
            return _Raw(v["__repr__"])
        return v
    text = repr(back(value))
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _hashable(v):
    return tuple(_hashable(x) for x in v) if isinstance(v, list) else v


class _Raw(str):
    def __repr__(self) -> str:
        return str(self)


# ----------------------------------------------------------------------------- scaling

def _scaling(problem: Problem, run: sandbox.SandboxResult) -> Scaling:
    expected = _expected_scale(problem)
    points = []
    for i, entry in enumerate(run.scale):
        status = entry["status"]
        if status == "ok" and not same(entry["value"], expected[i]):
            status = "wrong"
        points.append(ScalePoint(entry["n"], entry.get("seconds"), status))
    sizes = spec.scale(problem).sizes
    if len(points) < len(sizes):  # never reached: the tests before it failed or the run was cut short
        points += [ScalePoint(n, None, "not_run") for n in sizes[len(points):]]
    exponent = fit_exponent(points)
    passed = bool(points) and all(p.status == "ok" for p in points)
    return Scaling(tuple(points), exponent, problem.expected_exponent, problem.time_complexity, passed,
                   _verdict(problem, points, exponent, passed))


def fit_exponent(points) -> float | None:
    """Least-squares slope of log(time) on log(n) over the (up to four) largest sizes that
    finished and took long enough to time (0.3 ms: short runs are repeated and the fastest
    kept, so they are precise). None with fewer than two."""
    timed = [(p.n, p.seconds) for p in points if p.status in ("ok", "wrong") and p.seconds]
    usable = [(n, t) for n, t in timed if t >= 0.0003][-4:]
    if len(usable) < 2:
        usable = timed[-2:]
    if len(usable) < 2 or usable[0][0] == usable[-1][0]:
        return None
    xs = [math.log(n) for n, _ in usable]
    ys = [math.log(max(t, 1e-6)) for _, t in usable]
    mx, my = sum(xs) / len(xs), sum(ys) / len(ys)
    return sum((x - mx) * (y - my) for x, y in zip(xs, ys)) / sum((x - mx) ** 2 for x in xs)


# Measured exponents of linear code reach ~1.4 on large inputs (hash tables outgrowing the CPU
# caches), quadratic code measures 1.8-2.1; the verdict allows this much above the expectation.
TOLERANCE = 0.6


def shape(exponent: float | None) -> str:
    if exponent is None:
        return "too fast to time"
    if exponent < 1.5:
        return "looks linear or n log n"
    if exponent < 1.75:
        return "grows faster than n log n"
    if exponent < 2.5:
        return "looks quadratic"
    if exponent < 3.5:
        return "looks cubic"
    return "grows exponentially or worse"


def _verdict(problem: Problem, points: list, exponent: float | None, passed: bool) -> str:
    growth = f"about n^{exponent:.1f}" if exponent is not None else "too fast to time"
    if passed:
        if exponent is None or exponent <= problem.expected_exponent + TOLERANCE:
            return f"meets {problem.time_complexity} ({growth})"
        return f"finishes, but {shape(exponent)} ({growth}); expected {problem.time_complexity}"
    bad = next(p for p in points if p.status != "ok")
    if bad.status == "wrong":
        return f"wrong answers on the large input of size {bad.n:,}"
    if bad.status in ("exception", "memory", "recursion"):
        return f"fails on the large input of size {bad.n:,} ({bad.status})"
    if bad.status == "not_run":
        return "not run, because earlier tests failed"
    slow = "ran past the time budget" if bad.status == "timeout" else \
        f"would take about {bad.seconds:.0f} s" if bad.seconds else "was not reached"
    if exponent is not None and exponent > problem.expected_exponent + TOLERANCE:
        return f"too slow: {shape(exponent)} ({growth}); size {bad.n:,} {slow}; expected {problem.time_complexity}"
    return f"too slow: size {bad.n:,} {slow}; expected {problem.time_complexity}"


# ----------------------------------------------------------------------------- integrity

@dataclass(frozen=True)
class Integrity:
    problem_id: str
    errors: tuple[str, ...]
    reference: CheckResult | None
    naive: CheckResult | None

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_dict(self) -> dict:
        return asdict(self) | {"ok": self.ok}


def structure_errors(problem: Problem) -> list[str]:
    """What a problem lacks, as sentences; empty when it is complete."""
    errors = []
    where = problem.folder.name
    try:
        examples, hidden, scale = spec.examples(problem), spec.hidden_cases(problem), spec.scale(problem)
        spec.reference_function(problem)
    except Exception as exc:  # a broken cases.py or reference.py: say which and stop here
        return [f"{where}: cannot load its code ({type(exc).__name__}: {exc})"]
    if len(examples) < 2 or any(c.expected is NOT_GIVEN for c in examples):
        errors.append(f"{where}: needs 2+ examples, each with an explicit expected answer")
    if len(hidden) < 4:
        errors.append(f"{where}: needs 4+ hidden tests (edge cases: empty input, duplicates, ties...)")
    if len(problem.hints) < 3:
        errors.append(f"{where}: needs 3+ hints (nudge, pointer, near-giveaway)")
    if len(problem.follow_ups) < 2:
        errors.append(f"{where}: needs 2+ follow-ups")
    if list(scale.sizes) != sorted(scale.sizes) or len(scale.sizes) < 3:
        errors.append(f"{where}: SCALE.sizes must be 3+ ascending sizes")
    fn = spec.reference_function(problem)
    for case in examples + hidden:
        if case.expected is not NOT_GIVEN and not same(_canonical(fn(*case.args)), _canonical(case.expected)):
            errors.append(f"{where}: reference disagrees with the stated answer for {case.description!r}")
    return errors


def check_integrity(problem: Problem) -> Integrity:
    """The reference passes everything; the naive solution passes the tests but fails the scale test."""
    errors = structure_errors(problem)
    if errors:
        return Integrity(problem.id, tuple(errors), None, None)
    reference = check(problem, problem.source("reference"))
    if not reference.all_passed:
        errors += [f"{problem.id}: reference: {line}" for line in reference.failures_shown() or (reference.message,)]
    naive_source = problem.source("naive")
    naive = check(problem, naive_source) if naive_source else None
    if naive is not None:
        if any(not c.passed for c in naive.cases):
            errors += [f"{problem.id}: naive fails a correctness test: {c.shown}" for c in naive.cases if not c.passed]
        if naive.scaling is None or naive.scaling.passed:
            errors.append(f"{problem.id}: the scale test does not separate the naive solution "
                          f"({naive.scaling.verdict if naive.scaling else 'no scaling run'})")
    return Integrity(problem.id, tuple(errors), reference, naive)


def check_all(problems, workers: int = 2) -> list[Integrity]:
    """Integrity of many problems; the sandboxes run side by side (they are separate processes)."""
    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(check_integrity, problems))


# ----------------------------------------------------------------------------- speech

_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "eleven",
          "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen", "twenty")


def _count(n: int) -> str:
    return _WORDS[n] if 0 <= n < len(_WORDS) else str(n)


def spoken_summary(result: CheckResult) -> str:
    """What an interviewer would say after "run it": what fails, never how to fix it."""
    if result.kind in ("syntax_error", "missing_function", "file_access", "shell", "network", "process_limit"):
        return f"It doesn't run yet. {result.message}"
    if result.all_passed:
        tail = f" and it scales the way it should" if result.scaling else ""
        return f"All {_count(result.total)} tests pass{tail}."
    examples = [c for c in result.cases if c.visible and not c.passed]
    hidden = [c for c in result.cases if not c.visible and not c.passed]
    parts = []
    if examples:
        parts.append(f"{_count(len(examples)).capitalize()} of the examples {'gives' if len(examples) == 1 else 'give'} "
                     "a different answer than expected.")
    if hidden:
        first = hidden[0]
        noun = "hidden test fails" if len(hidden) == 1 else "of the hidden tests fail"
        lead = f"{_count(len(hidden)).capitalize()} {noun}" if len(hidden) > 1 else "One hidden test fails"
        why = {"timeout": "runs out of time", "exception": "raises an error", "memory": "runs out of memory",
               "recursion": "recurses too deeply", "not_run": "never ran"}.get(first.status, "gives a wrong answer")
        which = "it" if len(hidden) == 1 else "one of them"
        parts.append(f"{lead}; {which} {why} on {first.label}.")
    if result.scaling and not result.scaling.passed and not hidden and not examples:
        parts.append(f"The answers are right, but it is too slow on large inputs; {_slowness(result.scaling)}.")
    return " ".join(parts) or result.message


def _slowness(scaling: Scaling) -> str:
    """How it is slow, said only when the measured growth shows it (a steep curve), else the budget."""
    steep = scaling.exponent is not None and scaling.exponent > scaling.expected_exponent + TOLERANCE
    return f"it {shape(scaling.exponent)}" if steep else "the largest input runs past the time budget"
