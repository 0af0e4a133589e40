"""The coding round on fakes (scripted channel, fake embedder, a list editor) with the real sandbox.

Each test runs in a second or two: no speech model is loaded; the tests themselves run in the
real sandbox, as the interview runs them. The whole round with Whisper and Piper is in
test_phone_screen_headless.py.
"""

import time

import pytest

from tests.fakes import FakeEmbedder, ScriptedChannel
from voice_interviewer import events as ev
from voice_interviewer.bank.questions import problem_question
from voice_interviewer.bus import SessionBus
from voice_interviewer.coding.spec import get_problem
from voice_interviewer.coding.watch import WatchedFile
from voice_interviewer.interviewer.coding_round import (COMPLEXITY, intent, justified, starter_code,
                                                        structures_in_code, structures_in_speech)
from voice_interviewer.interviewer.interview import Interview, InterviewSettings
from voice_interviewer.interviewer.phrasing import Phraser
from voice_interviewer.interviewer.planning import PlannedQuestion
from voice_interviewer.scoring.coding import clarity_signals, score_coding
from voice_interviewer.sessions.coding_report import coding_cards

PROBLEM = get_problem("recent-distinct-titles")
SLOW = PROBLEM.source("naive")
FAST = PROBLEM.source("reference")
EDGE_BUG = """from collections import OrderedDict


def recent_titles(events, n):
    row = OrderedDict()  # least recent first
    for title in events:
        if title in row:
            row.move_to_end(title)
            continue
        if len(row) == n:  # full: the oldest leaves (but with n = 0 the row is empty)
            row.popitem(last=False)
        row[title] = None
    return list(reversed(row))
"""


class ListEditor:
    """A CodeEditor whose text the scripted candidate sets between turns."""

    def __init__(self):
        self.code, self.opened = "", None

    def open(self, problem_id, starter):
        self.opened, self.code = problem_id, starter

    def current(self):
        return self.code

    def close(self):
        pass


class CodingChannel(ScriptedChannel):
    """Says (text, code) steps in order: the code, when given, is in the editor when the turn ends.
    Every turn advances a fake clock, so silences add up without waiting."""

    def __init__(self, steps, editor, turn_s=5.0):
        super().__init__([text for text, _ in steps])
        self.codes, self.editor, self.turn_s, self.now = [code for _, code in steps], editor, turn_s, 0.0

    def hear(self, *args, **kwargs):
        self.now += self.turn_s
        code = self.codes.pop(0) if self.codes else None
        if code:
            self.editor.code = code
        return super().hear(*args, **kwargs)


def run_round(steps, turn_s=5.0, box_s=1200.0):
    editor, bus, seen = ListEditor(), SessionBus(time.monotonic), []
    bus.subscribe(seen.append)
    channel = CodingChannel(steps, editor, turn_s)
    settings = InterviewSettings(mode="phone-screen", small_talk=False, speculate=False)
    item = PlannedQuestion(problem_question(PROBLEM), "Technical phone screen", box_s, problem=PROBLEM)
    result = Interview(channel, Phraser(None), FakeEmbedder(), bus, lambda *a: None, settings, lambda: channel.now,
                       editor=editor).run([item], None, None)
    return result, seen, channel, editor


def lines(seen, kind=None):
    return [e for e in seen if isinstance(e, ev.LineSaid) and (kind is None or e.kind == kind)]


GOOD_ROUND = [
    ("It's an LRU cache in disguise. I'd start with a plain list, then use an ordered dictionary.", None),
    ("Because I need to find a title fast and keep the recency order; the ordered one keeps the order.", None),
    ("Each event is O of one, so the stream is linear, and memory is O of n.", None),
    ("Here's the list version, most recent first.", SLOW),
    ("Tracing the first example by hand gives ozark then dark. Can you run the tests?", None),
    ("Right, the list search is linear per event. Switching to the ordered dictionary. Run it again please.", EDGE_BUG),
    ("With n equal to zero the row is empty, so pop fails; I return early. Can you run the tests?", FAST),
    ("If it doesn't fit in memory I would partition by member.", None),
]


@pytest.fixture(scope="module")
def good_round():
    return run_round(GOOD_ROUND)


def test_the_approach_comes_before_any_code_and_is_probed(good_round):
    _result, seen, _channel, editor = good_round
    said = lines(seen)
    assert editor.opened == PROBLEM.id
    assert said[0].kind == "question" and "talk me through your approach" in said[0].text
    go = next(i for i, line in enumerate(said) if line.kind == "coding_go")
    probes = [line.key_point for line in said[1:go]]
    assert probes == ["structure", "complexity"]  # named a structure without a reason, then no cost
    assert "ordered dictionary" in said[1].text
    why = [e for e in seen if isinstance(e, ev.DecisionMade)]  # each follow-up with its reason, for the report
    assert [d.key_point for d in why] == ["structure", "complexity", "follow_up"]
    assert "without saying why" in why[0].reason and why[2].action == "deeper"
    snaps = [e for e in seen if isinstance(e, ev.CodeSnapshot)]
    assert snaps[0].code == starter_code(PROBLEM) and snaps[0].t <= said[0].t  # the starter, before the problem
    first_code = next(e for e in snaps if e.code != snaps[0].code)
    assert first_code.reason == "typed" and said[go].t <= first_code.t


def test_run_it_runs_the_hidden_tests_and_tells_without_the_fix(good_round):
    _result, seen, _channel, _editor = good_round
    runs = [e for e in seen if isinstance(e, ev.CodeRun)]
    assert [r.passed == r.total for r in runs] == [False, False, True]
    assert "too slow" in runs[0].complexity and runs[2].complexity.startswith("meets")
    results = lines(seen, "coding_result")
    assert "too slow on large inputs" in results[0].text
    assert "n = 0" in results[1].text and results[1].key_point == "edge_case"  # the case the tests showed missed
    for line in results:
        assert "OrderedDict" not in line.text and "move_to_end" not in line.text and "return []" not in line.text
    run_snaps = [e for e in seen if isinstance(e, ev.CodeSnapshot) and e.reason == "run"]
    assert [s.code for s in run_snaps] == [SLOW, EDGE_BUG, FAST]  # each run publishes the code it ran


def test_the_round_ends_with_a_follow_up_and_a_final_snapshot(good_round):
    result, seen, _channel, _editor = good_round
    last_line = lines(seen)[-1]
    assert last_line.kind == "follow_up" and last_line.key_point == "follow_up"
    assert "All thirteen tests pass" in last_line.text and "two hundred million members" in last_line.text
    snaps = [e for e in seen if isinstance(e, ev.CodeSnapshot)]
    assert snaps[-1].reason == "final" and snaps[-1].code == FAST
    kinds = [type(e).__name__ for e in seen]
    assert kinds.index("QuestionFinished") > max(i for i, k in enumerate(kinds) if k == "CodeSnapshot")
    assert result.status == "completed (end of typed input)" or result.status == "completed"


def test_hints_climb_the_ladder_when_asked_and_after_a_long_silence():
    steps = [("I'm not sure yet, maybe sort it.", None), ("", None), ("", None),
             ("Can I get a hint?", None), ("Another hint please.", None)] + [("", None)] * 14
    _result, seen, _channel, _editor = run_round(steps, turn_s=15.0)
    hints = [line for line in lines(seen) if line.key_point == "hint"]
    assert [h.text.split("nudge. ")[1][:40] for h in hints[:2]] == [PROBLEM.hints[0][:40], PROBLEM.hints[1][:40]]
    assert len(hints) >= 3 and "quiet" in hints[2].text  # the third came from silence, not a request
    notes = [e.text for e in seen if isinstance(e, ev.Note) and e.text.startswith("hint")]
    assert len(notes) == len(hints)


def test_silence_while_typing_is_not_interrupted_but_new_code_is_asked_about():
    steps = [("I'd scan the events once and keep the recent ones. Each event is constant time, linear overall.", None),
             ("", SLOW), ("", None), ("I think I'm finished.", None), ("It would not fit; I'd shard.", None)]
    _result, seen, _channel, _editor = run_round(steps, turn_s=5.0)
    said = lines(seen)
    go = next(i for i, line in enumerate(said) if line.kind == "coding_go")
    assert said[go + 1].key_point == "structure" and "in your code" in said[go + 1].text  # reacted to the list
    assert said[-1].key_point == "follow_up" and said[-1].text.startswith("Okay. The answers")  # "finished" ends the coding; the slow code told
    assert any(isinstance(e, ev.CodeRun) for e in seen)  # the final code is run even without "run it"


def test_the_pages_run_button_runs_the_tests_like_run_it():
    class ButtonEditor(ListEditor):
        presses = [True]  # pressed during the first coding turn

        def take_run_request(self):
            return self.presses.pop(0) if self.presses else False

    steps = [("A dictionary because lookups are constant time; linear overall.", None),
             ("Here it is.", FAST), ("That's my final solution.", None), ("I'd shard it.", None)]
    editor, bus, seen = ButtonEditor(), SessionBus(time.monotonic), []
    bus.subscribe(seen.append)
    channel = CodingChannel(steps, editor)
    item = PlannedQuestion(problem_question(PROBLEM), "Technical phone screen", 1200, problem=PROBLEM)
    Interview(channel, Phraser(None), FakeEmbedder(), bus, lambda *a: None,
              InterviewSettings(mode="phone-screen", small_talk=False, speculate=False), lambda: channel.now,
              editor=editor).run([item], None, None)
    runs = [e for e in seen if isinstance(e, ev.CodeRun)]
    statuses = [line for line in lines(seen) if line.kind == "coding_status"]
    assert len(runs) == 1 and runs[0].passed == runs[0].total and len(statuses) == 1


def test_thinking_aloud_gets_no_reply_but_a_question_is_handed_back():
    steps = [("A dictionary because lookups are constant time; linear overall.", None),
             ("So I loop over the events and keep the newest ones.", None),
             ("Should I worry about n being zero?", None), ("", None), ("That's my final solution.", None),
             ("I'd shard it.", None)]
    _result, seen, _channel, _editor = run_round(steps)
    said = lines(seen)
    go = next(i for i, line in enumerate(said) if line.kind == "coding_go")
    assert said[go + 1].kind == "coding_ack" and "assuming" in said[go + 1].text  # only the question got a reply
    assert said[go + 2].key_point == "follow_up"


def test_the_time_box_ends_the_coding_and_the_follow_up_still_comes():
    steps = [("A dictionary because lookups are constant time; linear overall.", None)] + \
        [("Still thinking about the loop.", SLOW)] + [("Hmm, still working on it.", None)] * 30 + [("I'd shard.", None)]
    _result, seen, channel, _editor = run_round(steps, turn_s=30.0, box_s=600.0)
    said = lines(seen)
    assert said[-1].text.startswith("Let's stop coding there.") and said[-1].key_point == "follow_up"
    assert channel.now <= 600 * 0.8 + 3 * 30  # stopped near 80% of the box, not at the end of the script
    assert any(isinstance(e, ev.CodeRun) for e in seen)  # the code as it stood was run at the end


def test_can_you_repeat_that_repeats_the_problem_and_the_next_turn_is_the_approach():
    steps = [("Sorry, can you repeat the question?", None),
             ("A dictionary because lookups are constant time; linear overall.", None),
             ("That's my final solution.", None), ("I'd shard it.", None)]
    _result, seen, _channel, _editor = run_round(steps)
    said = lines(seen)
    assert said[1].kind == "clarification" and said[1].text.startswith("Sure. Here's the coding problem")
    assert said[2].kind == "coding_go"  # the approach after the repeat was heard as the approach: no probes
    turns = [e for e in seen if isinstance(e, ev.CandidateTurn)]
    assert turns[0].kind == "clarification" and turns[1].kind == "answer"


def test_passing_without_a_word_on_cost_asks_for_it_then_wraps_up():
    steps = [("It's a one pass problem with a dictionary, because I need fast lookups.", None),
             ("Nothing more to say on that.", None),
             ("Done typing. Run it.", FAST), ("It's linear, O of n.", None), ("I'd shard by member.", None)]
    _result, seen, _channel, _editor = run_round(steps)
    said = lines(seen)
    asked = [line for line in said if line.kind == "coding_result"]
    assert len(asked) == 1 and asked[0].key_point == "complexity" and "All thirteen tests pass" in asked[0].text
    assert said[-1].key_point == "follow_up" and said[-1].text.startswith("Good. One last question")
    turns = [e for e in seen if isinstance(e, ev.CandidateTurn)]
    assert turns[-1].text == "I'd shard by member." and turns[-2].text == "It's linear, O of n."


def test_intents_and_structures():
    assert intent("Okay, can you run the tests?") == "run"
    assert intent("run it") == "run"
    assert intent("Could I get a hint on this?") == "hint"
    assert intent("That's my final solution.") == "finish"
    assert intent("I'm thinking about a heap here") == "talk"
    assert intent("") == "silence"
    assert justified("I'd use a dictionary because lookups are constant time.")
    assert not justified("I'd use a dictionary.")
    assert structures_in_code(FAST) == ["ordered dictionary"]
    assert "dictionary" in structures_in_code("def f(x):\n    seen = {}\n    return seen\n")
    assert structures_in_code("def f(:") == []
    assert structures_in_code("def f(x):\n    seen = set()\n    return seen\n") == ["set"]
    assert structures_in_speech("I'd check it on the training set and keep a heap of size k") == ["heap"]
    assert not COMPLEXITY.search("i read the watch log of events") and COMPLEXITY.search("it is n log n")


def test_starter_code_is_the_signature_with_the_statement_and_examples():
    from voice_interviewer.coding.spec import load_problems

    code = starter_code(PROBLEM)
    assert code.startswith(PROBLEM.signature.strip()) and "->" in code and "Examples" in code
    assert "continue watching" in code and "**" not in code  # the terminal's only copy of the statement
    for problem in load_problems():
        compile(starter_code(problem), problem.id, "exec")


def test_watched_file_reads_the_candidates_saves(tmp_path):
    printed = []
    editor = WatchedFile(tmp_path, echo=printed.append)
    editor.open(PROBLEM.id, "def f():\n    pass\n")
    assert editor.path.read_text() == "def f():\n    pass\n" and str(editor.path) in printed[0]
    assert editor.current() == "def f():\n    pass\n"
    time.sleep(0.01)
    editor.path.write_text("def f():\n    return 1\n")
    assert editor.current() == "def f():\n    return 1\n"
    editor.path.unlink()
    assert editor.current() == "def f():\n    return 1\n"  # mid-save: the last good text stays


def test_scoring_the_round_from_its_events(good_round):
    _result, seen, _channel, _editor = good_round
    score = score_coding(seen, PROBLEM.id)
    by_id = {c.id: c for c in score.criteria}
    assert by_id["correctness"].score == 5.0 and by_id["measured_complexity"].score == 5.0
    assert by_id["approach_first"].score == 5.0 and "LRU" in by_id["approach_first"].evidence[0].text
    assert by_id["structure"].score == 3.0  # justified only after "why an ordered dictionary?"
    assert by_id["structure"].evidence[0].kind == "prompt" and "Why an ordered" in by_id["structure"].evidence[0].text
    assert by_id["complexity"].score == 3.0
    assert by_id["testing"].score == 5.0 and "by hand" in by_id["testing"].evidence[0].text
    assert by_id["edge_case"].score == 3.0  # n = 0 came up only after the run showed it
    assert [s.code for s in score.snapshots][-3:] == [SLOW, EDGE_BUG, FAST]
    assert all(c.evidence for c in score.criteria if c.score)


def test_the_score_worker_scores_a_coding_question_when_it_finishes(good_round):
    from voice_interviewer.scoring.worker import LISTENS_TO, ScoreWorker

    _result, seen, _channel, _editor = good_round
    published = []
    worker = ScoreWorker(lambda qid: None, lambda item: None, published.append)
    for event in seen:
        if isinstance(event, LISTENS_TO):
            worker(event)
    assert worker.close() == 0 and not worker.errors
    [scored] = published
    assert scored.scorer == "coding" and scored.question_id == PROBLEM.id
    assert scored.scores.content == 5.0 and 3.0 <= scored.scores.reasoning < 5.0
    assert scored.scores.overall == score_coding(seen, PROBLEM.id).overall
    assert {h.habit for h in scored.habits} >= {"approach_first", "structure", "complexity"}
    assert any("data structure" in tip for tip in scored.tips)  # justified only when asked


def test_clarity_signals_tell_clear_code_from_cryptic():
    clear = clarity_signals(FAST)
    assert clear["depth"] <= 3 and not clear["cryptic"] and clear["comments"] >= 1
    messy = "def f(e, q):\n    zz = []\n    for a in e:\n        if a:\n            for b in a:\n                if b:\n" \
            "                    while b:\n                        b -= 1\n    return zz\n"
    bad = clarity_signals(messy)
    assert bad["depth"] >= 4 and "zz" in bad["cryptic"] and "e" in bad["cryptic"] and bad["comments"] == 0


def test_the_report_card_shows_the_code_as_it_grew(good_round):
    _result, seen, _channel, _editor = good_round
    html = coding_cards(seen)
    assert "Coding round" in html and "The code as it grew" in html
    assert html.count("class='version'") >= 5  # starter, three versions, final
    assert "<span class='add'>+" in html and "move_to_end" in html
    assert coding_cards([]) == "" and coding_cards(seen, "mlf-bias-variance") == ""
    assert coding_cards(seen, PROBLEM.id) == html  # the card placed after its own question


def test_the_scripted_coder_types_held_out_versions_turn_by_turn(tmp_path):
    from voice_interviewer.demo.coder import CodingScript, ScriptedCoder

    versions = {PROBLEM.id: [SLOW, FAST]}
    coder, voice = ScriptedCoder(tmp_path / "solution.py", CodingScript(versions=versions)), CodingScript(versions=versions)
    said = []

    def turn(line_kind=None, key_point=None):
        events = ([ev.LineSaid(kind=line_kind, question_id=PROBLEM.id, text="...", key_point=key_point)]
                  if line_kind else []) + [ev.ListeningStarted(question_id=PROBLEM.id, kind="coding")]
        for e in events:
            coder(e)
            step = voice.step(e)
            if step is not None:
                said.append(step.say)

    turn("question")  # the approach
    turn("follow_up", "complexity")  # a probe gets its reply, and no code
    assert not (tmp_path / "solution.py").exists()
    turn("coding_go")
    assert (tmp_path / "solution.py").read_text() == SLOW
    turn()  # the interviewer stayed quiet: the next step anyway
    assert (tmp_path / "solution.py").read_text() == FAST and coder.versions_written == 2
    turn("coding_result")
    assert said[0].startswith("This looks like an L R U cache") and "O of one" in said[1]  # the script's words
    # ...and the held-out code's steps instead of the script's:
    assert said[2:4] == ["Here's my next version. Can you run the tests?"] * 2 and said[4] == "That's my final solution."


def test_an_untouched_starter_scores_nothing_for_the_code():
    from voice_interviewer.events import CodeSnapshot

    starter = PROBLEM.starter if hasattr(PROBLEM, "starter") else "def recent_titles(events, n):\n    pass\n"
    events = [CodeSnapshot(question_id=PROBLEM.id, code=starter, reason="typed", t=1.0),
              CodeSnapshot(question_id=PROBLEM.id, code=starter, reason="final", t=60.0)]
    by_id = {c.id: c for c in score_coding(events, PROBLEM.id).criteria}
    assert by_id["correctness"].score == 0.0 and "starter" in by_id["correctness"].verdict
    assert by_id["clarity"].score is None  # the starter's clarity is ours, not the candidate's
