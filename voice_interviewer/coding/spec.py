"""The coding problem format and its loader.

A problem is one folder under ``problems/`` named by its id:

- ``problem.yaml``: what a person reads and what the interviewer uses (title, statement,
  signature, complexity, hints, follow-ups, key ideas of a good spoken explanation).
- ``reference.py``: a correct solution at the expected complexity.
- ``naive.py`` (optional): a correct but slow solution; the scale test must reject it.
- ``cases.py``: ``EXAMPLES`` (shown on screen), ``HIDDEN`` (never shown with their
  answers), ``SCALE`` and ``scale_input(n, rng)`` for the scaling test.

Everything here is plain data; running code belongs to sandbox.py and checker.py.
"""

from __future__ import annotations

import importlib.util
import inspect
import random
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from types import ModuleType

import yaml

PROBLEMS_DIR = Path(__file__).resolve().parent / "problems"


class ProblemError(ValueError):
    """A problem folder is missing or malformed; the message says which file and what to fix."""


class _NotGiven:
    def __repr__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN = _NotGiven()  # a case without an explicit answer: the reference computes it


@dataclass(frozen=True)
class Case:
    """One test: a description that may be shown, the arguments, the expected answer."""

    description: str
    args: tuple
    expected: object = NOT_GIVEN
    explanation: str = ""


@dataclass(frozen=True)
class Scale:
    """Input sizes for the scaling test (ascending) and the CPU budget for each size."""

    sizes: tuple[int, ...]
    budget_s: float = 2.0
    seed: int = 7


@dataclass(frozen=True)
class KeyIdea:
    id: str
    text: str
    keywords: tuple[str, ...]


@dataclass(frozen=True)
class Problem:
    id: str
    title: str
    difficulty: str
    tags: tuple[str, ...]
    function: str
    signature: str
    statement: str
    time_complexity: str
    space_complexity: str
    expected_exponent: float
    naive_complexity: str
    hints: tuple[str, ...]
    follow_ups: tuple[str, ...]
    key_ideas: tuple[KeyIdea, ...]
    folder: Path = field(compare=False)

    def source(self, name: str) -> str | None:
        """The text of reference.py / naive.py, or None when the file is absent."""
        path = self.folder / f"{name}.py"
        return path.read_text(encoding="utf-8") if path.exists() else None

    def to_dict(self) -> dict:
        return {
            "id": self.id, "title": self.title, "difficulty": self.difficulty, "tags": list(self.tags),
            "function": self.function, "signature": self.signature, "statement": self.statement,
            "time_complexity": self.time_complexity, "space_complexity": self.space_complexity,
            "hints": list(self.hints), "follow_ups": list(self.follow_ups),
            "key_ideas": [{"id": k.id, "text": k.text, "keywords": list(k.keywords)} for k in self.key_ideas],
        }


def _require(data: dict, key: str, where: Path):
    if key not in data or data[key] in (None, "", []):
        raise ProblemError(f"{where}: missing '{key}'; add it (see docs/coding-round.md)")
    return data[key]


def load_problem(folder: Path) -> Problem:
    path = folder / "problem.yaml"
    if not path.exists():
        raise ProblemError(f"{folder}: no problem.yaml; every problem folder needs one")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ProblemError(f"{path}: not valid YAML ({exc})") from exc
    if data.get("id") != folder.name:
        raise ProblemError(f"{path}: id {data.get('id')!r} must equal the folder name {folder.name!r}")
    complexity = _require(data, "complexity", path)
    for key in ("hints", "follow_ups", "tags"):
        bad = [item for item in _require(data, key, path) if not isinstance(item, str)]
        if bad:  # an unquoted "a: b" inside a line turns it into a mapping
            raise ProblemError(f"{path}: every entry of '{key}' must be text; quote this one: {bad[0]!r}")
    return Problem(
        id=data["id"],
        title=_require(data, "title", path),
        difficulty=_require(data, "difficulty", path),
        tags=tuple(_require(data, "tags", path)),
        function=_require(data, "function", path),
        signature=_require(data, "signature", path).strip(),
        statement=_require(data, "statement", path).strip(),
        time_complexity=_require(complexity, "time", path),
        space_complexity=_require(complexity, "space", path),
        expected_exponent=float(_require(complexity, "exponent", path)),
        naive_complexity=complexity.get("naive", ""),
        hints=tuple(_require(data, "hints", path)),
        follow_ups=tuple(_require(data, "follow_ups", path)),
        key_ideas=tuple(KeyIdea(k["id"], k["text"], tuple(k.get("keywords", ())))
                        for k in _require(data, "key_ideas", path)),
        folder=folder,
    )


@lru_cache(maxsize=None)
def load_problems(root: Path = PROBLEMS_DIR) -> tuple[Problem, ...]:
    """Every problem under ``root``, sorted by id. Raises ProblemError on a broken folder."""
    folders = sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith(("_", ".")))
    return tuple(load_problem(f) for f in folders)


def get_problem(problem_id: str, root: Path = PROBLEMS_DIR) -> Problem:
    for problem in load_problems(root):
        if problem.id == problem_id:
            return problem
    ids = ", ".join(p.id for p in load_problems(root))
    raise ProblemError(f"unknown problem {problem_id!r}; known problems: {ids}")


def _load_module(problem: Problem, name: str) -> ModuleType:
    path = problem.folder / f"{name}.py"
    if not path.exists():
        raise ProblemError(f"{problem.folder}: no {name}.py")
    spec = importlib.util.spec_from_file_location(f"_coding_{problem.id.replace('-', '_')}_{name}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@lru_cache(maxsize=None)
def cases_module(problem: Problem) -> ModuleType:
    return _load_module(problem, "cases")


@lru_cache(maxsize=None)
def reference_function(problem: Problem):
    """The trusted reference, loaded in this process: it computes answers the cases omit."""
    module = _load_module(problem, "reference")
    if not hasattr(module, problem.function):
        raise ProblemError(f"{problem.folder}/reference.py does not define {problem.function}()")
    return getattr(module, problem.function)


def parameter_names(problem: Problem) -> tuple[str, ...]:
    return tuple(inspect.signature(reference_function(problem)).parameters)


@lru_cache(maxsize=None)
def examples(problem: Problem) -> tuple[Case, ...]:
    return tuple(cases_module(problem).EXAMPLES)


@lru_cache(maxsize=None)
def hidden_cases(problem: Problem) -> tuple[Case, ...]:
    return tuple(cases_module(problem).HIDDEN)


def scale(problem: Problem) -> Scale:
    return cases_module(problem).SCALE


@lru_cache(maxsize=None)
def scale_inputs(problem: Problem) -> tuple[tuple[int, tuple], ...]:
    """(n, args) for every scale size, generated from a fixed seed so runs are comparable."""
    module = cases_module(problem)
    rng = random.Random(module.SCALE.seed)
    return tuple((n, module.scale_input(n, rng)) for n in module.SCALE.sizes)


def format_call(problem: Problem, args: tuple, limit: int = 300) -> str:
    names = parameter_names(problem)
    parts = ", ".join(f"{name}={value!r}" for name, value in zip(names, args))
    text = f"{problem.function}({parts})"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def render_statement(problem: Problem) -> str:
    """The markdown a candidate reads: statement, signature, worked examples."""
    lines = [f"# {problem.title}", "", problem.statement, "", "```python", problem.signature, "```", ""]
    for i, case in enumerate(examples(problem), 1):
        lines += [f"**Example {i}.** `{format_call(problem, case.args, 400)}` returns `{case.expected!r}`."]
        if case.explanation:
            lines += ["", case.explanation.strip()]
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"
