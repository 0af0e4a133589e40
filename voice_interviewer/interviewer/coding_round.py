"""One coding problem, asked as a phone-screen interviewer would.

The shape: read the problem, hear the approach before any code, probe it (why that data
structure, what it costs), let the candidate code while talking, react to what is written
and said, give the problem's hints one rung at a time (when asked, or after a long
silence), run the hidden tests when asked and say what happened without saying how to fix
it, and near the end ask one of the problem's follow-ups.

Thinking aloud and typing in silence get no reply: the interviewer speaks when asked, when
it has a question (a probe, a test result, a hint), or at the end. Every line it says, except
the status line before a run, is followed by the candidate's turn.
The code is read from the CodeEditor after every turn and published as CodeSnapshot when it
changed; every run is a CodeRun. The round talks to the interview only through say(),
hear(), the bus and the clock.
"""

from __future__ import annotations

import ast
import re
import textwrap
from dataclasses import dataclass, field

from voice_interviewer.coding import checker
from voice_interviewer.coding.spec import Problem, examples, format_call
from voice_interviewer.events import CodeRun, CodeSnapshot, DecisionMade, Note
from voice_interviewer.interviewer import clarify

RUN = re.compile(r"\b(run (it|this|that|them|the tests?|my code|the code)|run tests|(can|could) you (run|test)|"
                 r"test it|try it)\b")
HINT = re.compile(r"\b(hints?|i'?m stuck|i am stuck|a nudge|a clue)\b")
FINISH = re.compile(r"\b(final (answer|solution|version)|i'?m finished|i am finished|that'?s my solution|"
                    r"(let'?s|we can) move on|i'?m happy with (it|this|that))\b")
STRUCTURES = {  # word heard or name written -> how the interviewer calls it
    "ordereddict": "ordered dictionary", "ordered dictionary": "ordered dictionary",
    "ordered dict": "ordered dictionary", "deque": "deque", "heapq": "heap", "heap": "heap",
    "priority queue": "heap", "counter": "counter", "defaultdict": "dictionary", "dictionary": "dictionary",
    "dict": "dictionary", "hash map": "dictionary", "hashmap": "dictionary", "hash set": "set",
    "linked list": "linked list", "stack": "stack", "queue": "queue", "sorted list": "sorted list",
    "bisect": "binary search", "union find": "union-find", "list": "list", "array": "list",
}
# No plain "set" above: too common a word in speech ("training set", "set it to") to be heard as a
# structure; in code a set literal or set() is found by the parser.
REASON = re.compile(r"\b(because|since|so that|so i can|so we can|which gives|gives (me|us)|lets (me|us)|"
                    r"constant time|o of one|o\(1\)|look ?ups?|in order|keeps)\b")
COMPLEXITY = re.compile(r"\b(o of|o\(|big o|linear|quadratic|log ?n|logarithmic|n log|constant time|"
                        r"n squared|time complexity|space complexity)\b")


@dataclass(frozen=True)
class RoundSettings:
    silence_hint_s: float = 60.0  # silence with no new code this long earns a hint
    wrap_up_share: float = 0.8  # past this share of the time box: stop coding, ask the follow-up
    turn_s: float = 120.0  # the longest one stretch of talk while coding
    quiet_tick_s: float = 30.0  # silence while coding: the code is looked at this often (one empty turn each)
    max_turns: int = 120  # a hard stop whatever the channel does


@dataclass
class _State:
    """What the round has gathered; only CodingRound changes it."""

    started: float
    asked: set = field(default_factory=set)  # probes already asked: structure, complexity, edge_case...
    said: set = field(default_factory=set)  # habits heard: structure (justified), complexity
    hints: int = 0
    code: str = ""  # as last published
    run_code: str | None = None  # as last run
    told_code: str | None = None  # the code whose result the candidate has heard
    last: checker.CheckResult | None = None
    quiet_since: float | None = None
    finished: bool = False


def starter_code(problem: Problem) -> str:
    """The signature, a docstring with the statement and the worked examples (in the terminal the
    file is the only place to read them), and a body to replace."""
    statement = [textwrap.fill(" ".join(par.replace("**", "").split()), 92, initial_indent="    ",
                               subsequent_indent="    ") for par in problem.statement.split("\n\n")]
    lines = [problem.signature.rstrip(), f'    """{problem.title}.', ""] + "\n\n".join(statement).split("\n") + \
        ["", "    Examples:"]
    for case in examples(problem):
        lines.append(f"      {format_call(problem, case.args, 200)} -> {case.expected!r}")
    lines += ['    """', "    # your code here", "    return None", ""]
    return "\n".join(lines)


def intent(text: str) -> str:
    """run | hint | finish | talk | silence, from what the candidate said."""
    low = text.lower()
    if not low.strip():
        return "silence"
    for name, pattern in (("hint", HINT), ("run", RUN), ("finish", FINISH)):
        if pattern.search(low):
            return name
    return "talk"


def structures_in_speech(text: str) -> list[str]:
    low = f" {text.lower()} "
    return list(dict.fromkeys(v for k, v in STRUCTURES.items() if re.search(rf"\b{re.escape(k)}s?\b", low)))


def structures_in_code(code: str) -> list[str]:
    """Containers the code builds, by the names and literals it uses (nothing runs)."""
    try:
        tree = ast.parse(code)
    except SyntaxError:
        return []
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in ("set", "frozenset"):
            found.append("set")
        elif isinstance(node, ast.Name) and node.id.lower() in STRUCTURES and node.id not in ("list",):
            found.append(STRUCTURES[node.id.lower()])
        elif isinstance(node, ast.Attribute) and node.attr.lower() in STRUCTURES:
            found.append(STRUCTURES[node.attr.lower()])
        elif isinstance(node, (ast.Dict, ast.DictComp)):
            found.append("dictionary")
        elif isinstance(node, (ast.Set, ast.SetComp)):
            found.append("set")
        elif isinstance(node, ast.Assign) and isinstance(node.value, (ast.List, ast.ListComp)):
            found.append("list")  # a list kept in a variable (not one built to return)
    found.sort(key=lambda name: name == "list")  # a list is the default; anything else says more
    return list(dict.fromkeys(found))


def justified(text: str) -> bool:
    """A structure named together with a reason in one sentence."""
    return any(structures_in_speech(s) and REASON.search(s.lower()) for s in re.split(r"(?<=[.?!])\s+", text))


def _a(noun: str) -> str:
    return f"{'an' if noun[0] in 'aeiou' else 'a'} {noun}"


def follow_up_for(problem: Problem) -> str:
    """The scale follow-up when the problem has one (the seeds' "what if it doesn't fit in memory?")."""
    for text in problem.follow_ups:
        if re.search(r"memory|machine|fit|million|billion|scale", text, re.I):
            return text
    return problem.follow_ups[-1]


def _scratch_file():
    """An interview built without an editor (a benchmark, a test) still gets a file to code in."""
    import tempfile

    from voice_interviewer.coding.watch import WatchedFile

    return WatchedFile(tempfile.mkdtemp(prefix="voice-interviewer-code-"))


class CodingRound:
    """Runs one planned coding problem through an Interview's say/hear (see the module docstring)."""

    def __init__(self, interview, item, editor, settings: RoundSettings = RoundSettings()):
        self.iv, self.item, self.editor, self.s = interview, item, editor or _scratch_file(), settings
        self.problem: Problem = item.problem
        self.q = item.question
        self.state = _State(started=interview.clock())
        self._probing: str | None = None
        self._asked = ""  # the last line that wanted a reply (repeated on "can you repeat that?")

    # --- the round -----------------------------------------------------------------------
    def run(self) -> None:
        self.editor.open(self.problem.id, starter_code(self.problem))
        self._publish_snapshot(self.editor.current(), "typed")  # the starter: where the code grew from
        try:
            self._approach()
            self._coding()
            self._wrap_up()
        finally:  # also at the end of typed input or on Ctrl-C: the code as it stood is kept
            self._final_snapshot()
            self.editor.close()

    def _approach(self) -> None:
        self._say(f"{self.q.question} I've put the function signature in your editor. Before you write any code, "
                  "talk me through your approach.", "question")
        text = self._hear("answer")
        if not text:
            self._say("Take your time. What would a first, simple version do, even a slow one?", "follow_up", "approach",
                      "no approach heard yet")
            text = self._hear("follow_up_answer")
        for _ in range(2):  # at most two questions about the plan before the candidate codes
            probe = self._approach_probe(text)
            if probe is None:
                break
            self._say(*probe)
            text = self._hear("follow_up_answer")
        self._say("Sounds like a plan. Go ahead and write it in the editor, and keep talking as you go. "
                  "Say 'run it' when you want the tests run, or ask for a hint if you're stuck.", "coding_go")

    def _approach_probe(self, text: str) -> tuple[str, str, str, str] | None:
        named = [n for n in structures_in_speech(text) if n != "list"]  # a plain list needs no defence
        if named and "structure" not in self.state.said and "structure" not in self.state.asked:
            return (f"Why {_a(named[0])} there? What does it give you that a plain list wouldn't?", "follow_up",
                    "structure", f"named {_a(named[0])} without saying why")
        if "complexity" not in self.state.said and "complexity" not in self.state.asked:
            return ("What time and space complexity do you expect from that?", "follow_up", "complexity",
                    "no time or space cost said yet")
        return None

    def _coding(self) -> None:
        for _ in range(self.s.max_turns):
            if self.state.finished or self._wrap_up_time():
                return
            text = self._hear("coding", self.s.turn_s, self.s.quiet_tick_s)
            changed = self._snapshot_if_changed()
            kind = intent(text)
            if kind in ("talk", "silence") and self._run_pressed():
                kind = "run"  # the page's "Run tests" button says what "run it" says
            if kind != "silence":
                self.state.quiet_since = None
            if kind == "silence":
                self._on_silence(changed)
            elif kind == "run":
                self._on_run()
            elif kind == "hint":
                self._give_hint()
            elif kind == "finish":
                self.state.finished = True
            else:
                self._on_talk(text, changed)

    def _wrap_up(self) -> None:
        code = self.editor.current()
        result = self._run_tests(code, "run") if code != self.state.run_code else self.state.last
        passed = result is not None and result.all_passed
        lead = "Let's stop coding there. " if not self.state.finished else "Good. " if passed else "Okay. "
        told = f"{self._tell(result)} " if result is not None and self.state.told_code != self.state.run_code else ""
        why = "the code is finished" if self.state.finished else "time is nearly up"
        self._say(f"{lead}{told}One last question on this problem. {follow_up_for(self.problem)}", "follow_up",
                  "follow_up", f"{why}: the problem's follow-up on scale")
        self._hear("follow_up_answer")

    # --- what the candidate did ------------------------------------------------------------
    def _on_run(self) -> None:
        self._say_only("Okay, running the tests.", "coding_status")
        result = self._run_tests(self.editor.current(), "run")
        if result.all_passed:
            if "complexity" in self.state.said:  # asked before and never answered: asked again, now on real code
                self.state.finished = True  # nothing left to code: the wrap-up tells it and asks the follow-up
                return
            self._say(f"{self._tell(result)} Nice. What's the time complexity of what you wrote?", "coding_result",
                      "complexity")
            self._hear("follow_up_answer")  # their answer, then straight to the wrap-up's follow-up
            self.state.finished = True
            return
        key = self._reaction_key(result)
        self._say(f"{self._tell(result)} {self._reaction(result, key)}", "coding_result", key)

    def _give_hint(self) -> None:
        hints = self.problem.hints
        if self.state.hints >= len(hints):
            self._say("I've given you all the nudges I have. Talk me through where you're stuck.", "coding_hint", "hint")
            return
        rung = hints[self.state.hints]
        self.state.hints += 1
        self.iv.bus.publish(Note(text=f"hint {self.state.hints} of {len(hints)} on {self.problem.id}"))
        self._say(f"Here's a nudge. {rung}", "coding_hint", "hint")

    def _on_talk(self, text: str, changed: bool) -> None:
        """Thinking aloud needs no answer (an interviewer stays out of the way); a question does."""
        probe = self._talk_probe(text) or (self._code_probe() if changed else None)
        if probe is not None:
            self._say(*probe)
        elif text.rstrip().endswith("?"):
            self._say("Go with what you think is reasonable, and say what you're assuming.", "coding_ack")

    def _on_silence(self, changed: bool) -> None:
        now = self.iv.clock()
        if changed:  # they are typing: look at what appeared, else stay quiet
            self.state.quiet_since = now
            probe = self._code_probe()
            if probe is not None:
                self._say(*probe)
            return
        self.state.quiet_since = self.state.quiet_since if self.state.quiet_since is not None else now
        if now - self.state.quiet_since >= self.s.silence_hint_s and self.state.hints < len(self.problem.hints):
            self.state.quiet_since = now
            self._say_hint_after_silence()

    def _say_hint_after_silence(self) -> None:
        rung = self.problem.hints[self.state.hints]
        self.state.hints += 1
        self.iv.bus.publish(Note(text=f"hint {self.state.hints} of {len(self.problem.hints)} after a long silence"))
        self._say(f"You've been quiet for a bit, so here's a nudge. {rung} What are you thinking?", "coding_hint", "hint")

    # --- probes ---------------------------------------------------------------------------
    def _talk_probe(self, text: str) -> tuple[str, str, str, str] | None:
        named = [n for n in structures_in_speech(text) if n != "list"]
        if named and "structure" not in self.state.said and "structure" not in self.state.asked:
            return (f"You mentioned {_a(named[0])}. Why that one?", "follow_up", "structure",
                    f"named {_a(named[0])} while coding without saying why")
        return None

    def _code_probe(self) -> tuple[str, str, str, str] | None:
        written = structures_in_code(self.state.code)
        if written and "structure" not in self.state.said and "structure" not in self.state.asked:
            return (f"I see {_a(written[0])} in your code. Why did you pick it?", "follow_up", "structure",
                    f"{_a(written[0])} appeared in the code with no reason given")
        return None

    def _reaction(self, result: checker.CheckResult, key: str) -> str:
        hidden = next((c for c in result.cases if not c.visible and not c.passed), None)
        if key == "edge_case" and hidden is not None:
            return f"What does your code do with {hidden.label}?"
        if key == "complexity":
            return "Where does the time go in what you wrote, and what would it cost on a million events?"
        if key == "testing":
            return "Can you walk the failing example through your code by hand?"
        return "What do you make of that?"

    def _reaction_key(self, result: checker.CheckResult) -> str:
        hidden_failed = any(not c.visible and not c.passed for c in result.cases)
        if any(c.visible and not c.passed for c in result.cases) and "testing" not in self.state.asked:
            return "testing"
        if hidden_failed and "edge_case" not in self.state.asked:
            return "edge_case"
        if result.scaling and not result.scaling.passed and not hidden_failed and "complexity" not in self.state.asked:
            return "complexity"
        return "result"

    # --- tests, code, time ----------------------------------------------------------------
    def _run_tests(self, code: str, reason: str) -> checker.CheckResult:
        self._publish_snapshot(code, reason)
        result = checker.check(self.problem, code)
        self.state.run_code, self.state.last = code, result
        scaling = result.scaling.verdict if result.scaling else ""
        error = "" if result.kind == "ok" else result.message
        self.iv.bus.publish(CodeRun(question_id=self.problem.id, passed=result.passed, total=result.total,
                                    shown_failures=result.failures_shown(), complexity=scaling, error=error,
                                    summary=checker.spoken_summary(result)))
        return result

    def _tell(self, result: checker.CheckResult) -> str:
        self.state.told_code = self.state.run_code
        return checker.spoken_summary(result)

    def _snapshot_if_changed(self) -> bool:
        code = self.editor.current()
        if code == self.state.code:
            return False
        self._publish_snapshot(code, "typed")
        return True

    def _publish_snapshot(self, code: str, reason: str) -> None:
        self.state.code = code
        self.iv.bus.publish(CodeSnapshot(question_id=self.problem.id, code=code, reason=reason))

    def _final_snapshot(self) -> None:
        self._publish_snapshot(self.editor.current(), "final")

    def _run_pressed(self) -> bool:
        take = getattr(self.editor, "take_run_request", None)  # editors with a run button (the browser's)
        return bool(take and take())

    def _wrap_up_time(self) -> bool:
        elapsed = self.iv.clock() - self.state.started
        return elapsed >= self.item.time_box_s * self.s.wrap_up_share or self.iv.time_left() < 150

    # --- speaking and listening -------------------------------------------------------------
    def _say(self, text: str, kind: str, key_point: str | None = None, why: str = "") -> None:
        """A line that wants a reply; a follow-up is published with its reason first (DecisionMade),
        so the report says why it was asked, as for any question."""
        self._probing, self._asked = key_point, text  # what the next reply answers
        if kind == "follow_up":
            action = "deeper" if key_point == "follow_up" else "probe"
            self.iv.bus.publish(DecisionMade(question_id=self.problem.id, action=action, key_point=key_point,
                                             reason=why))
        if key_point in ("structure", "complexity", "edge_case", "testing"):
            self.state.asked.add(key_point)
        self.iv.say(text, kind, self.problem.id, key_point=key_point)

    def _say_only(self, text: str, kind: str) -> None:
        """A line that expects no reply (the candidate waits for the result)."""
        self.iv.say(text, kind, self.problem.id)

    def _hear(self, kind: str, box_s: float | None = None, quiet_s: float | None = None) -> str:
        """The candidate's turn; "can you repeat that?" or "give me a second" (interviewer/clarify.py)
        are answered as in any question, and the turn after them is the answer."""
        box, think_s = box_s or max(60.0, min(180.0, self.item.time_box_s * 0.15)), quiet_s
        for requests in range(clarify.MAX_REQUESTS + 1):
            heard = self.iv.hear(self.q, box, kind, None, think_s)
            request = clarify.detect(heard.transcript.text)
            if request is None or requests == clarify.MAX_REQUESTS or heard.end_reason in ("time_box", "stopped"):
                break
            self.iv.say(clarify.reply(request, self._asked), "clarification", self.problem.id)
            think_s = clarify.WAIT_THINK_S if request.kind == clarify.WAIT else None
        text = heard.transcript.text
        low = text.lower()
        if justified(text) or (self._probing == "structure" and REASON.search(low)):
            self.state.said.add("structure")
        if COMPLEXITY.search(low):
            self.state.said.add("complexity")
        return text
