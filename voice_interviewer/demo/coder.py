"""The scripted coder: a synthetic candidate's hands and words in a coding round.

CodingScript turns each opening of the candidate's turn (ListeningStarted) into the
candidate's next step: something to say, and sometimes new code. What the interviewer said
last (LineSaid) picks the kind of step: the approach after the problem, a reply after a probe,
else the next step of the coding script, also when the interviewer stayed quiet. Two
subscribers follow the same script, each with its own copy, and so stay in step without
sharing state: ScriptedCoder writes the code into the solution file (the terminal's watched
file), and the SyntheticCandidate (candidate.py) queues the words on the virtual microphone,
which the turn that is opening plays.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import yaml

from voice_interviewer.events import Event, LineSaid, ListeningStarted
from voice_interviewer.paths import package_data

SCRIPT = package_data("demo", "coding_script.yaml")
# Held-out code for a headless run: PROBLEM_ID=FILE[,FILE...]. An environment variable because the
# session builds its own SyntheticCandidate, and both followers of the script must see the same steps.
CODE_ENV = "VOICE_INTERVIEWER_SCRIPTED_CODE"


@dataclass(frozen=True)
class Step:
    say: str | None
    code: str | None = None


class CodingScript:
    """What the scripted candidate does after each interviewer line of a coding round."""

    def __init__(self, path: Path = SCRIPT, versions: dict[str, list[str]] | None = None):
        data = yaml.safe_load(Path(path).read_text())
        self.problems, self.generic = data["problems"], data["generic"]
        self.versions = versions if versions is not None else versions_from_env()  # problem id -> code versions
        self._next: dict[str, int] = {}
        self._last: LineSaid | None = None  # the interviewer's line since the last turn opened

    def handles(self, event: Event) -> bool:
        return isinstance(event, (LineSaid, ListeningStarted)) and _is_problem(event.question_id)

    def step(self, event: Event) -> Step | None:
        """At the opening of a turn, what the candidate does in it; None for an interviewer line
        (remembered: it decides the next step)."""
        if isinstance(event, LineSaid):
            self._last = event
            return None
        line, self._last = self._last, None
        script = self._script(event.question_id)
        if line is not None and line.kind == "question":
            return Step(script["approach"])
        if line is not None and line.kind == "follow_up":
            return Step(script["replies"].get(line.key_point or "", script["replies"]["approach"]))
        i = self._next.get(event.question_id, 0)
        self._next[event.question_id] = i + 1
        steps = self._steps(event.question_id, script)
        return steps[i] if i < len(steps) else Step("That's my final solution.")

    def _script(self, problem_id: str) -> dict:
        return self.problems.get(problem_id, self.generic)

    def _steps(self, problem_id: str, script: dict) -> list[Step]:
        given = self.versions.get(problem_id)
        if given:  # held-out code: type each version in turn and ask for a run
            return [Step("Here's my next version. Can you run the tests?", code) for code in given] + \
                [Step("That's my final solution.")]
        return [Step(s.get("say"), _code(problem_id, s.get("code"))) for s in script["steps"]]


def versions_from_env() -> dict[str, list[str]]:
    raw = os.environ.get(CODE_ENV, "")
    if "=" not in raw:
        return {}
    problem_id, files = raw.split("=", 1)
    return {problem_id: [Path(f).read_text(encoding="utf-8") for f in files.split(",") if f]}


def _code(problem_id: str, code: str | None) -> str | None:
    """Inline code, or 'naive' / 'reference': that file of the problem."""
    if code in ("naive", "reference"):
        from voice_interviewer.coding.spec import get_problem

        return get_problem(problem_id).source(code)
    return code


def _is_problem(question_id: str | None) -> bool:
    from voice_interviewer.coding.spec import load_problems

    return bool(question_id) and any(p.id == question_id for p in load_problems())


class ScriptedCoder:
    """A bus subscriber that types the script's code into the solution file as the round goes."""

    def __init__(self, path: Path, script: CodingScript | None = None):
        self.path, self.script = Path(path), script or CodingScript()
        self.versions_written = 0

    def __call__(self, event: Event) -> None:
        if not self.script.handles(event):
            return
        step = self.script.step(event)
        if step is not None and step.code:
            self.path.write_text(step.code, encoding="utf-8")
            self.versions_written += 1
