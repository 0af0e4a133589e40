"""The coding round in the terminal, as a user has it: `phone-screen --text`, the solution file in the
session folder edited from outside while the interview runs, "run it" typed. Real CLI, real
sandbox, real watched file; no speech models (typed answers)."""

import json
import os
import re
import select
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import REPO
from voice_interviewer.coding.spec import get_problem


class Terminal:
    """Drives the CLI through its prompts ("you> ", printed without a newline)."""

    def __init__(self, args):
        self.proc = subprocess.Popen([sys.executable, "-u", "-m", "voice_interviewer", *args], cwd=REPO,
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.seen = ""

    def prompt(self, timeout_s: float = 120.0) -> str:
        """Everything printed up to the next prompt."""
        start, deadline = len(self.seen), time.monotonic() + timeout_s
        while len(self.seen) == start or not self.seen.endswith("you> "):
            assert time.monotonic() < deadline, self.seen[-2000:]
            ready, _, _ = select.select([self.proc.stdout], [], [], 1.0)
            if ready:
                chunk = os.read(self.proc.stdout.fileno(), 4096).decode()
                assert chunk, "the CLI ended early:\n" + self.seen[-2000:]
                self.seen += chunk
        return self.seen[start:]

    def type(self, line: str) -> None:
        self.proc.stdin.write((line + "\n").encode())
        self.proc.stdin.flush()


def test_the_candidate_edits_the_watched_file_and_asks_for_a_run(tmp_path):
    problem = get_problem("recent-distinct-titles")
    term = Terminal(["phone-screen", "--text", "--minutes", "45", "--llm", "none", "--seed", "6",
                     "--data-dir", str(tmp_path)])
    path = None
    try:
        for _ in range(60):
            printed = term.prompt()
            found = re.search(r"your code goes in (\S+solution\.py)", printed)
            if found:
                path = Path(found.group(1))
            if "talk me through your approach" in printed:
                break
            term.type("/skip")  # the questions before the coding problem
        assert path is not None and path.exists(), term.seen[-3000:]
        coding_id = path.read_text().split("(")[0].split()[-1]  # the planned problem's function name
        term.type("A dictionary because lookups are constant time, so it is linear overall.")
        term.prompt()
        if coding_id == problem.function:  # the seed plans this problem; the test says so if that changes
            path.write_text(problem.source("reference"))
        term.type("Can you run the tests?")
        told = term.prompt()
        assert "running the tests" in told.lower()
        term.type("That's my final solution.")
        term.prompt()
        term.type("/quit")
        term.proc.wait(timeout=60)
    finally:
        term.proc.kill()
    assert coding_id == problem.function, f"seed 6 now plans {coding_id}; pick the seed again"
    session = path.parent
    events = [json.loads(line) for line in (session / "events.jsonl").read_text().splitlines()]
    snaps = [e for e in events if e["type"] == "code_snapshot"]
    runs = [e for e in events if e["type"] == "code_run"]
    assert snaps[0]["code"].startswith("def recent_titles") and snaps[-1]["code"] == problem.source("reference")
    assert runs and runs[0]["passed"] == runs[0]["total"]
    assert "All thirteen tests pass" in told
