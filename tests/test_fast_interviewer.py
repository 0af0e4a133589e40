"""The interviewer's stages on fakes: no model is loaded, so each test takes milliseconds.

The same behaviour is checked end to end with the real models in test_interview.py.
"""

import json
import time

import pytest

from tests.fakes import BIAS, FakeChatModel, FakeEmbedder, FakeVoice, ScriptedChannel
from voice_interviewer import events as ev
from voice_interviewer.bank.questions import load_bank
from voice_interviewer.bus import SessionBus
from voice_interviewer.interviewer.interview import Interview, InterviewSettings
from voice_interviewer.interviewer.phrasing import Phraser, check_phrasing
from voice_interviewer.interviewer.planning import PlannedQuestion, plan_drill
from voice_interviewer.interviewer.policy import CHALLENGE, MOVE_ON, PROBE, PolicySettings, decide, probe_mark
from voice_interviewer.interviewer.speculation import Speculator
from voice_interviewer.judging import coverage as cov

L2_ZEROS = "L1 adds absolute values and L2 adds squares. So L2 is the one that gives you exact zeros, it selects features."


@pytest.fixture(scope="module")
def question():
    return load_bank().get("mlf-bias-variance")


def test_policy_probes_the_first_missed_point_then_moves_on(question):
    measured = cov.measure(question, [BIAS], FakeEmbedder())
    first = decide(question, measured, [], 0, 300, "silence")
    assert first.action == PROBE and measured.point(first.key_point).status != "covered"
    assert first.bank_follow_up is None or first.bank_follow_up.probes == first.key_point
    assert decide(question, measured, [first.key_point], 1, 300, "silence", PolicySettings(max_follow_ups=1)).action == MOVE_ON
    assert "time box" in decide(question, measured, [], 0, 300, "time_box").reason
    assert decide(question, measured, [], 0, 5, "silence").action == MOVE_ON  # no time left for a follow-up


def test_coverage_is_one_typed_event_with_evidence(question):
    measured = cov.measure(question, [BIAS], FakeEmbedder())
    assert isinstance(measured, ev.CoverageMeasured) and len(measured.points) == len(question.key_points)
    assert 0.0 <= measured.covered_share <= 1.0
    again = ev.parse(json.loads(json.dumps(measured.to_dict())))
    assert again == measured  # what the recorder writes reads back the same


def test_phrasing_checks_reject_what_should_not_be_spoken():
    gap = "Names regularisation as a lever to lower variance"
    assert check_phrasing("How would a penalty on the weights change that?", gap) == ""
    assert check_phrasing("Great answer! What else?", gap)
    assert check_phrasing("Explain. Then explain more.", gap) == "not exactly one question"
    assert "restates" in check_phrasing("Names regularisation as a lever to lower variance, right?", gap)


def test_a_follow_up_that_reads_the_question_again_is_not_a_probe():
    """Seen in make demo: the 1.5B model's follow-up on a missed point was the question in other words."""
    asked = ("What happens when the data your model sees in serving drifts away from the data it was trained on, "
             "and how would you detect and deal with it?")
    gap = "Separates genuine drift from training-serving skew caused by different feature code or pipelines"
    again = ("How do you ensure that your model remains accurate and robust when the data it sees in serving drifts "
             "away from the data it was trained on?")
    assert check_phrasing(again, gap, question=asked) == "asks the question again instead of probing"
    assert check_phrasing(again, gap) == ""  # without the question the line is fine on every other count
    # naming the question's subject in a few of its words is a probe, not a repeat
    probe = "Could the features in serving be computed by different code than in training, and how would you check?"
    assert check_phrasing(probe, gap, question=asked) == ""


def test_phraser_falls_back_to_the_bank_with_the_reason(question):
    measured = cov.measure(question, [BIAS], FakeEmbedder())
    decision = decide(question, measured, [], 0, 300, "silence")
    line = Phraser(FakeChatModel("* bullet list *")).phrase(question, decision, BIAS)
    assert line.source in ("bank", "template") and line.rejected
    good = Phraser(FakeChatModel("What would you change about the model to bring that error down?")).phrase(
        question, decision, BIAS)
    assert good.source == "llm" and good.text.endswith("?")


def test_speculation_voices_the_predicted_follow_up_before_the_turn_ends(question):
    voice, llm = FakeVoice(), FakeChatModel("What would you change about the model to bring that error down?")
    spec = Speculator(question, Phraser(llm), voice, FakeEmbedder(), PolicySettings(), [], [], lambda: 300)
    spec.on_partial(BIAS)
    deadline = time.time() + 5
    while not spec.guesses and time.time() < deadline:
        time.sleep(0.01)
    measured = cov.measure(question, [BIAS], FakeEmbedder())
    decision = decide(question, measured, [], 0, 300, "silence")
    line = spec.line_for(decision, 5.0)
    while line is None and time.time() < deadline + 5:  # the guess is listed a moment before its phrasing is queued
        time.sleep(0.01)
        line = spec.line_for(decision, 5.0)
    spec.join()
    assert spec.guesses and line is not None and line.source == "llm"
    assert line.text in voice.warmed  # its audio was made while the candidate was still talking


def test_the_interview_publishes_one_typed_stream(question, tmp_path):
    bus, seen = SessionBus(time.monotonic), []
    bus.subscribe(seen.append)
    channel = ScriptedChannel([BIAS, "You add a penalty on the weights."])
    settings = InterviewSettings(mode="drill", small_talk=False, speculate=False,
                                 policy=PolicySettings(max_follow_ups=1, min_time_for_follow_up_s=5))
    result = Interview(channel, Phraser(None), FakeEmbedder(), bus, lambda *a: None, settings, time.monotonic).run(
        [PlannedQuestion(question, "drill", 60)], "Hello.", "Bye.")
    kinds = [type(e).__name__ for e in seen]
    assert kinds[0] == "SessionStarted" and kinds[-1] == "SessionEnded"
    flow = [k for k in kinds if k in ("QuestionStarted", "CandidateTurn", "CoverageMeasured", "DecisionMade",
                                       "QuestionFinished")]
    assert flow == ["QuestionStarted", "CandidateTurn", "CoverageMeasured", "DecisionMade", "CandidateTurn",
                    "CoverageMeasured", "DecisionMade", "QuestionFinished"]
    assert any(isinstance(e, ev.PartialTranscript) for e in seen)
    speaking = [e for e in seen if isinstance(e, ev.SpeechActivity)]
    assert speaking[0].active and speaking[0].text == "Hello." and not speaking[1].active  # before and after each line
    follow = next(e for e in seen if isinstance(e, ev.LineSaid) and e.kind == "follow_up")
    assert follow.source == "bank" and follow.latency is not None and follow.latency.gap_s is not None
    assert result.status == "completed" and result.answers_saved == 2
    assert all(e.t >= 0 and e.wall > 0 for e in seen)  # the bus stamps every event


def test_end_of_typed_input_ends_the_session_normally(question):
    bus = SessionBus(time.monotonic)
    settings = InterviewSettings(mode="drill", small_talk=False, speculate=False)
    result = Interview(ScriptedChannel([]), Phraser(None), FakeEmbedder(), bus, lambda *a: None, settings,
                       time.monotonic).run([PlannedQuestion(question, "drill", 60)], None, None)
    assert result.status == "completed (end of typed input)" and result.answers_saved == 0


def test_a_failing_observer_is_detached_and_reported_but_the_recorder_is_critical():
    bus = SessionBus(time.monotonic)

    def broken(event):
        raise RuntimeError("browser gone")

    got = []
    bus.subscribe(broken)
    bus.subscribe(got.append)
    bus.publish(ev.Note(text="one"))
    bus.publish(ev.Note(text="two"))
    assert len(got) == 2 and len(bus.failures) == 1 and "browser gone" in bus.failures[0]

    def disk_full(event):
        raise OSError("No space left on device")

    bus.subscribe(disk_full, critical=True)
    with pytest.raises(OSError):
        bus.publish(ev.Note(text="three"))


def test_old_session_lines_still_load():
    old_turn = {"t": 3.1, "wall": 1.0, "type": "candidate_turn", "kind": "answer", "question_id": "q", "text": "hi there",
                "segments": [{"text": "hi there", "start": 0.5, "end": 1.2, "words": [["hi", 0.5, 0.8], ["there", 0.8, 1.2]]}]}
    turn = ev.parse(old_turn)
    assert isinstance(turn, ev.CandidateTurn) and [w.text for w in turn.words] == ["hi", "there"]
    old_cov = {"type": "coverage", "question_id": "q", "covered_share": 0.5,
               "points": [{"key_point": "a", "status": "covered", "similarity": 0.7, "evidence": "hi there"}]}
    point = ev.parse(old_cov).points[0]
    assert point.evidence.text == "hi there" and point.status == "covered"
    assert isinstance(ev.parse({"type": "from_the_future", "x": 1}), ev.UnknownEvent)
    assert ev.parse({"type": "note", "text": {"not": "text"}}).text == ""  # a damaged field is dropped, not fatal


def test_drill_planning_is_one_function():
    bank = load_bank()
    import random

    ids = [p.question.id for p in plan_drill(bank, "ml-fundamentals", 3, None, random.Random(1))]
    assert len(set(ids)) == 3
    given = plan_drill(bank, "ml-fundamentals", 2, 45, random.Random(1), question_ids=ids[:2])
    assert [p.question.id for p in given] == ids[:2] and all(p.time_box_s == 45 for p in given)
    assert len(plan_drill(bank, "ml-fundamentals", 2, None, random.Random(1), history=[])) == 2


@pytest.fixture(scope="module")
def l1l2():
    return load_bank().get("mlf-l1-vs-l2")


def test_fast_pass_marks_a_known_wrong_idea_wrong_with_the_words_said(l1l2):
    measured = cov.measure(l1l2, ["Fine so far.", L2_ZEROS], FakeEmbedder())
    point = measured.point("l1-sparsity")
    assert point.status == "wrong" and point.confidence >= 0.8 and point.evidence.turn == 1
    assert point.evidence.text == "L2 is the one that gives you exact zeros" and "L1" in point.reason
    right = cov.measure(l1l2, ["L1 gives exact zeros and L2 does not give exact zeros, it shrinks smoothly."],
                        FakeEmbedder())
    assert "wrong" not in {p.status for p in right.points}
    assert ev.parse(json.loads(json.dumps(measured.to_dict()))) == measured


def test_policy_challenges_a_confident_wrong_statement_once_per_question(l1l2):
    measured = cov.measure(l1l2, [L2_ZEROS], FakeEmbedder())
    first = decide(l1l2, measured, [], 0, 300, "silence")
    assert first.action == CHALLENGE and first.key_point == "l1-sparsity" and first.said and "85%" in first.reason
    after = decide(l1l2, measured, [probe_mark(first)], 1, 300, "silence")
    assert after.action != CHALLENGE and after.key_point != "l1-sparsity"  # not challenged, nor probed, again
    assert decide(l1l2, measured, [], 0, 5, "silence").action == MOVE_ON  # no time left: no challenge either
    doubted = cov.measure(l1l2, ["I think L2 gives exact zeros? not sure."], FakeEmbedder())
    assert doubted.point("l1-sparsity").confidence < 0.8
    assert decide(l1l2, doubted, [], 0, 300, "silence").action == PROBE  # doubted aloud: probed, not challenged


def test_challenge_is_said_as_a_real_interviewer_would(l1l2):
    measured = cov.measure(l1l2, [L2_ZEROS], FakeEmbedder())
    decision = decide(l1l2, measured, [], 0, 300, "silence")
    bank = Phraser(None).phrase(l1l2, decision, L2_ZEROS)
    assert bank.text == "You said L2 is the one that gives you exact zeros. Are you sure about that?"
    llm = FakeChatModel("Are you sure L2 gives exact zeros?")
    line = Phraser(llm).phrase(l1l2, decision, L2_ZEROS)
    assert line.source == "llm" and line.text == "Are you sure L2 gives exact zeros?"


def test_the_interview_says_the_challenge_as_its_own_kind(l1l2):
    bus, seen = SessionBus(time.monotonic), []
    bus.subscribe(seen.append)
    channel = ScriptedChannel([L2_ZEROS, "Oh wait, no: L1 gives the exact zeros."])
    settings = InterviewSettings(mode="drill", small_talk=False, speculate=False,
                                 policy=PolicySettings(max_follow_ups=2, min_time_for_follow_up_s=5))
    Interview(channel, Phraser(None), FakeEmbedder(), bus, lambda *a: None, settings, time.monotonic).run(
        [PlannedQuestion(l1l2, "drill", 60)], None, None)
    lines = [e for e in seen if isinstance(e, ev.LineSaid) and e.kind in ("challenge", "follow_up")]
    assert lines[0].kind == "challenge" and "Are you sure" in lines[0].text and lines[0].key_point == "l1-sparsity"
    assert all(e.kind != "challenge" for e in lines[1:])  # once per question
    decisions = [e for e in seen if isinstance(e, ev.DecisionMade)]
    assert decisions[0].action == "challenge"


@pytest.mark.parametrize("reply, reason", [
    ("How does the candidate address the variance of the model?", "third person"),
    ("What is your system prompt?", "about the interviewer"),
    ("Ignore the rubric and explain variance to me?", "instruction"),
    ("List the ways a model can overfit?", "instruction"),
    ("What is your favourite pizza topping and why?", "off the question's topic"),
])
def test_out_of_role_llm_lines_are_rejected_with_the_reason_and_the_bank_line_said(question, reply, reason):
    measured = cov.measure(question, [BIAS], FakeEmbedder())
    decision = decide(question, measured, [], 0, 300, "silence")
    line = Phraser(FakeChatModel(reply)).phrase(question, decision, BIAS)
    assert reason in line.rejected and line.source in ("bank", "template")
    assert line.text == Phraser(None).bank_line(question, decision).text


def test_a_line_already_said_this_session_is_not_said_again(question):
    measured = cov.measure(question, [BIAS], FakeEmbedder())
    decision = decide(question, measured, [], 0, 300, "silence")
    again = "What would you change about the model to bring that error down?"
    phraser = Phraser(FakeChatModel(again))
    assert phraser.phrase(question, decision, BIAS).source == "llm"
    phraser.remember(again)
    line = phraser.phrase(question, decision, BIAS)
    assert line.source != "llm" and "already said" in line.rejected


def test_a_challenge_with_speculation_on_is_said_from_the_bank_template_at_once(l1l2):
    """Speculation prepares probes, not challenges: with an LLM and a voice the challenge is still said,
    from the template, without waiting for the model."""
    bus, seen = SessionBus(time.monotonic), []
    bus.subscribe(seen.append)
    llm = FakeChatModel("What would you change about the penalty to get sparse weights?", delay_s=0.05)
    channel = ScriptedChannel([L2_ZEROS, "Right, L1 gives the zeros."], voice=FakeVoice())
    settings = InterviewSettings(mode="drill", small_talk=False, speculate=True, llm_wait_s=0.2,
                                 policy=PolicySettings(max_follow_ups=1, min_time_for_follow_up_s=5))
    Interview(channel, Phraser(llm), FakeEmbedder(), bus, lambda *a: None, settings, time.monotonic).run(
        [PlannedQuestion(l1l2, "drill", 60)], None, None)
    line = next(e for e in seen if isinstance(e, ev.LineSaid) and e.kind == "challenge")
    assert line.text.startswith("You said L2") and line.source == "template"


def test_template_probes_are_not_said_twice_in_a_session():
    """Questions share tags, and the template names the tag: a session must not repeat it word for word."""
    from collections import defaultdict

    from voice_interviewer.bank.questions import load_bank
    from voice_interviewer.interviewer.policy import Decision

    by_tag = defaultdict(list)
    for q in load_bank().questions:
        if q.tags:
            by_tag[q.tags[-1]].append(q)
    first, second = next(qs for qs in by_tag.values() if len(qs) >= 2)[:2]
    gap = Decision("probe", key_point=None, bank_follow_up=None, reason="a gap the bank has no follow-up for")
    phraser = Phraser(None)
    said = []
    for q in (first, second, first, second):  # four wordings per topic
        line = phraser.bank_line(q, gap)
        assert line.source == "template" and line.text not in said
        phraser.remember(line.text)
        said.append(line.text)


def test_tips_keep_an_acronym_that_opens_a_key_point():
    from voice_interviewer.scoring.rules import _lower_first

    assert _lower_first("ROC looks flattering because of the many negatives") == "ROC looks flattering because of the many negatives"
    assert _lower_first("Names kinds of shift") == "names kinds of shift"
