"""Taking a too-early follow-up back: the candidate cuts into its first seconds, so they were still answering.

Fast, on a scripted candidate who cuts into chosen lines (no model is loaded); a recorded session with a
withdrawn line is then loaded and rendered as the reports do.
"""

import dataclasses
import json
import time

import pytest

from tests.fakes import BIAS, FakeEmbedder, ScriptedChannel
from voice_interviewer import events as ev
from voice_interviewer.bank.questions import load_bank
from voice_interviewer.bus import SessionBus
from voice_interviewer.interviewer.interview import Interview, InterviewSettings
from voice_interviewer.interviewer.phrasing import Phraser
from voice_interviewer.interviewer.planning import PlannedQuestion
from voice_interviewer.interviewer.policy import PolicySettings
from voice_interviewer.sessions import load_session
from voice_interviewer.sessions.recorder import SessionRecorder
from voice_interviewer.sessions.report import write_report
from voice_interviewer.sessions.summary import summarize

GOES_ON = "And a straight line through curved points would be a simple example of that."
SWEET_SPOT = "So the best complexity sits somewhere in between."  # covers the first probe's gap
REPLY = "You would add a penalty on the weights or collect more data."


class CuttingChannel(ScriptedChannel):
    """A scripted candidate who cuts into lines: `cuts` holds, per line said in order, the seconds of it
    played before they cut in (None: all of it); `ago`, per turn, how long before hear() returns it ended."""

    def __init__(self, answers, cuts, ago=()):
        super().__init__(answers)
        self.cuts, self.ago = list(cuts), list(ago)

    def say(self, text, on_first_audio=None):
        return dataclasses.replace(super().say(text), heard_s=self.cuts.pop(0) if self.cuts else None)

    def hear(self, settings, prompt, on_partial=None, controls=None):
        heard = super().hear(settings, prompt, on_partial, controls)
        return dataclasses.replace(heard, decided_wall=heard.decided_wall - (self.ago.pop(0) if self.ago else 0.0))


@pytest.fixture(scope="module")
def question():
    return load_bank().get("mlf-bias-variance")


def interview(question, channel, take_back_s=1.5, max_follow_ups=1, bus=None, save_audio=lambda *a: None):
    bus = bus or SessionBus(time.monotonic)
    seen = []
    bus.subscribe(seen.append)
    settings = InterviewSettings(mode="drill", small_talk=False, speculate=False, take_back_s=take_back_s,
                                 policy=PolicySettings(max_follow_ups=max_follow_ups, min_time_for_follow_up_s=5))
    result = Interview(channel, Phraser(None), FakeEmbedder(), bus, save_audio, settings, time.monotonic).run(
        [PlannedQuestion(question, "drill", 60)], None, None)
    return seen, result


def of(seen, cls):
    return [e for e in seen if isinstance(e, cls)]


def follow_ups(seen):
    return [e for e in of(seen, ev.LineSaid) if e.kind in ("follow_up", "challenge")]


def test_a_follow_up_cut_early_is_withdrawn_and_the_answer_goes_on(question):
    channel = CuttingChannel([BIAS, GOES_ON, REPLY], cuts=[None, 0.4, None], ago=[100.0, 0.0, 0.0])
    seen, result = interview(question, channel)
    withdrawn, lines = of(seen, ev.FollowUpWithdrawn), follow_ups(seen)
    assert [(w.question_id, w.text, w.heard_s) for w in withdrawn] == [(question.id, lines[0].text, 0.4)]
    assert [t.kind for t in of(seen, ev.CandidateTurn)] == ["answer", "answer", "follow_up_answer"]
    # with one follow-up allowed, a second is asked only because the withdrawn one's probe mark is gone
    decisions = of(seen, ev.DecisionMade)
    assert [d.action for d in decisions] == ["probe", "probe", "move_on"] and len(lines) == 2
    assert decisions[1].key_point == decisions[0].key_point  # the gap is still open: probed again
    assert result.follow_up_sources == {"bank": 1}  # the withdrawn line was not asked
    # each reply's latency runs from the turn it answers: the continuation, not the first part
    assert lines[0].latency.response_s >= 100 and lines[1].latency.response_s < 50


def test_a_cut_later_in_the_line_is_an_answer_to_it(question):
    seen, _ = interview(question, CuttingChannel([BIAS, REPLY], cuts=[None, 3.0]))
    assert not of(seen, ev.FollowUpWithdrawn) and follow_ups(seen)[0].heard_s == 3.0
    assert [t.kind for t in of(seen, ev.CandidateTurn)] == ["answer", "follow_up_answer"]


@pytest.mark.parametrize("cut", [0.0, 0.4])
def test_take_back_off_never_withdraws(question, cut):
    seen, result = interview(question, CuttingChannel([BIAS, REPLY], cuts=[None, cut]), take_back_s=0)
    assert not of(seen, ev.FollowUpWithdrawn) and result.follow_up_sources == {"bank": 1}
    assert [t.kind for t in of(seen, ev.CandidateTurn)] == ["answer", "follow_up_answer"]


def test_at_most_two_take_backs_per_question(question):
    goes_on = [GOES_ON, "It also happens when the features leave out what matters.", REPLY]
    seen, _ = interview(question, CuttingChannel([BIAS] + goes_on, cuts=[None, 0.4, 0.4, 0.4]))
    assert len(of(seen, ev.FollowUpWithdrawn)) == 2 and follow_ups(seen)[2].heard_s == 0.4
    assert [t.kind for t in of(seen, ev.CandidateTurn)] == ["answer", "answer", "answer", "follow_up_answer"]


def test_a_saved_session_with_a_withdrawn_line_loads_and_reports_it(question, tmp_path):
    bus = SessionBus(time.monotonic)
    recorder = SessionRecorder("drill", {}, root=tmp_path / "sessions")
    bus.subscribe(recorder, critical=True)
    seen, _ = interview(question, CuttingChannel([BIAS, SWEET_SPOT, REPLY], cuts=[None, 0.4, None]), bus=bus,
                        save_audio=recorder.save_audio)
    recorder.close("completed")
    saved = [json.loads(line) for line in (recorder.folder / "events.jsonl").read_text().splitlines()]
    assert [e for e in saved if e["type"] == "follow_up_withdrawn"] == [of(seen, ev.FollowUpWithdrawn)[0].to_dict()]

    session = load_session(recorder.folder)
    lines = [t for t in session.questions[0].turns if t.kind == "follow_up"]
    assert [t.withdrawn_s for t in lines] == [0.4, None] and not session.problems
    data = summarize(session)
    decisions = of(seen, ev.DecisionMade)
    asked = data["questions"][0]["follow_ups"]
    assert decisions[0].key_point != decisions[1].key_point  # so the pairing below can tell them apart
    assert [(f["text"], f["reason"]) for f in asked] == [(lines[1].text, decisions[1].reason)]

    html = write_report(session, "html", tmp_path / "report.html").read_text()
    assert "withdrawn: the candidate went on after 0.4 s" in html and html.count("<s>") == 1
    md = write_report(session, "md", tmp_path / "report.md").read_text()
    assert f"~~{lines[0].text}~~ *(withdrawn: the candidate went on after 0.4 s)*" in md
    report = json.loads(write_report(session, "json", tmp_path / "report.json").read_text())
    assert [t["withdrawn_s"] for t in report["questions"][0]["turns"] if t["kind"] == "follow_up"] == [0.4, None]


def test_a_transition_cut_early_is_withdrawn_and_the_same_question_goes_on(question):
    """Moving on is a reply too: a candidate who cuts into "Let's move on" at once was still answering."""
    other = load_bank().get("mlf-l1-vs-l2")
    channel = CuttingChannel([BIAS, GOES_ON, "L1 gives sparse weights."], cuts=[None, 0.4, None, None, None])
    bus, seen = SessionBus(time.monotonic), []
    bus.subscribe(seen.append)
    settings = InterviewSettings(mode="drill", small_talk=True, speculate=False,
                                 policy=PolicySettings(max_follow_ups=0, min_time_for_follow_up_s=5))
    Interview(channel, Phraser(None), FakeEmbedder(), bus, lambda *a: None, settings, time.monotonic).run(
        [PlannedQuestion(question, "drill", 60), PlannedQuestion(other, "drill", 60)], None, None)
    said = [e for e in of(seen, ev.LineSaid)]
    assert [e.kind for e in said] == ["question", "transition", "transition", "question"]
    assert [(w.text, w.heard_s) for w in of(seen, ev.FollowUpWithdrawn)] == [(said[1].text, 0.4)]
    turns = of(seen, ev.CandidateTurn)
    assert [(t.question_id, t.kind) for t in turns] == [(question.id, "answer"), (question.id, "answer"),
                                                        (other.id, "answer")]
