"""Clarification requests: told apart from answers, answered as a person would, never scored (no models)."""

from __future__ import annotations

import time

import pytest

from tests.fakes import BIAS, FakeEmbedder, ScriptedChannel
from voice_interviewer import events as ev
from voice_interviewer.bank.questions import load_bank
from voice_interviewer.bus import SessionBus
from voice_interviewer.interviewer.clarify import EXPLAIN, REPEAT, WAIT, detect, reply
from voice_interviewer.interviewer.interview import Interview, InterviewSettings
from voice_interviewer.interviewer.phrasing import Phraser
from voice_interviewer.interviewer.planning import PlannedQuestion
from voice_interviewer.interviewer.policy import PolicySettings


REPEATS = [
    "Can you repeat the question?", "Could you repeat that, please?", "Sorry, could you say that again?",
    "Um, can you repeat the question?", "Would you mind repeating the question?", "Pardon?", "Sorry?",
    "Come again?", "What was the question again?", "I didn't catch that.", "Sorry, I didn't hear the question.",
    "I missed that, can you say it again?", "Could you say it one more time?", "Repeat the question, please.",
    "Can I hear the question again?", "Sorry. What was the question?", "Could you rephrase?",
    "I didn't catch that, could you repeat it?", "One more time, please.",
]
EXPLAINS = [
    ("What do you mean by sweet spot?", "sweet spot"), ("What do you mean by the sweet spot?", "sweet spot"),
    ("Sorry, what do you mean?", None), ("What does calibration mean here?", "calibration"),
    ("What is meant by lift?", "lift"), ("When you say production, do you mean online serving?", "production"),
    ("Could you clarify what you mean by drift?", "drift"), ("Can you explain the question?", None),
    ("I'm not sure what you mean by capacity.", "capacity"), ("I don't understand the question.", None),
    ("Are you asking about training or inference?", None), ("Do you mean the validation loss?", None),
    ("What does AUC stand for?", "auc"), ("By complexity, do you mean the number of parameters?", "complexity"),
]
WAITS = [
    "Give me a second to think.", "Give me a moment.", "Let me think.", "Um, let me think about that.",
    "Can I have a minute to think about it?", "One second.", "Hold on.", "Hang on a sec.",
    "Let me gather my thoughts.", "Good question, let me think.", "Just a moment, please.", "I need a second.",
    "Okay, let me think for a moment.", "Could I take a moment?",
]
ANSWERS = [  # must never be taken for a request
    "I'd repeat the experiment with a proper holdout set.",
    "We repeat the training several times with different seeds and average the results.",
    "What do you mean by fair? I would start from the metric the business cares about and check parity "
    "across groups, then look at calibration per group before deciding anything.",
    "Bias is the error from wrong assumptions, variance is sensitivity to the training set.",
    "Let me think about the data first: I'd check the class balance, then the leakage between splits.",
    "The question is whether the model generalises, so I'd look at the validation curve.",
    "Give me a second model trained on the other split and I'd compare the two.",
    "Wait until the loss plateaus, then lower the learning rate.",
    "I think the sweet spot is where validation error is lowest.",
    "Regularization.", "", "   ", "Yes.", "Precision and recall.",
    "Do you mean-centre the features before PCA? Yes, always, otherwise the first component is the mean.",
    "What was the question about, overfitting? Overfitting is when training error keeps falling and "
    "validation error rises, so you stop early or regularise.",
]


@pytest.mark.parametrize("text", REPEATS)
def test_repeat_requests(text):
    assert detect(text) is not None and detect(text).kind == REPEAT, (text, detect(text))


@pytest.mark.parametrize("text,term", EXPLAINS)
def test_what_do_you_mean(text, term):
    got = detect(text)
    assert got is not None and got.kind == EXPLAIN, (text, got)
    assert got.term == term, (text, got.term)


@pytest.mark.parametrize("text", WAITS)
def test_give_me_a_second(text):
    assert detect(text) is not None and detect(text).kind == WAIT, (text, detect(text))


@pytest.mark.parametrize("text", ANSWERS)
def test_answers_are_not_requests(text):
    assert detect(text) is None, (text, detect(text))


def test_replies_repeat_the_line_asked_or_wait():
    asked = "How would you find the sweet spot?"
    assert reply(detect("Can you repeat that?"), asked).endswith(asked)
    assert asked not in reply(detect("Give me a second."), asked)
    explained = reply(detect("What do you mean by sweet spot?"), asked)
    assert "sweet spot" in explained and explained.endswith(asked)


# --- in the interview (fakes: no model loaded) ------------------------------------------------------


class _Candidate(ScriptedChannel):
    """ScriptedChannel that also keeps each turn's settings (the think timeout after "give me a second")."""

    def __init__(self, answers):
        super().__init__(answers)
        self.settings = []

    def hear(self, settings, prompt, on_partial=None, controls=None):
        self.settings.append(settings)
        return super().hear(settings, prompt, on_partial, controls)


def _interview(answers, question):
    bus, seen = SessionBus(time.monotonic), []
    bus.subscribe(seen.append)
    channel = _Candidate(answers)
    settings = InterviewSettings(mode="drill", small_talk=False, speculate=False,
                                 policy=PolicySettings(max_follow_ups=1, min_time_for_follow_up_s=5))
    result = Interview(channel, Phraser(None), FakeEmbedder(), bus, lambda *a: None, settings, time.monotonic).run(
        [PlannedQuestion(question, "drill", 60)], None, None)
    return result, seen, channel


def test_the_interviewer_repeats_explains_and_waits_and_none_of_it_is_the_answer():
    question = load_bank().get("mlf-bias-variance")
    answers = ["Sorry, can you repeat the question?", "What do you mean by sweet spot?", "Give me a second to think.",
               BIAS, "Let me think.", "You add a penalty on the weights."]
    result, seen, channel = _interview(answers, question)
    turns = [e for e in seen if isinstance(e, ev.CandidateTurn)]
    assert [t.kind for t in turns] == ["clarification"] * 3 + ["answer", "clarification", "follow_up_answer"]
    said = [e for e in seen if isinstance(e, ev.LineSaid)]
    assert [s.kind for s in said] == ["question", "clarification", "clarification", "clarification", "follow_up",
                                      "clarification"]
    assert said[1].text.endswith(question.question) and "sweet spot" in said[2].text
    assert channel.settings[3].think_timeout_s > channel.settings[0].think_timeout_s  # waited longer after "a second"
    coverage = [e for e in seen if isinstance(e, ev.CoverageMeasured)]
    assert len(coverage) == 2  # judged twice: the answer and the follow-up's answer, never a request
    assert result.answers_saved == 2


def test_scoring_leaves_clarification_turns_out():
    from voice_interviewer.scoring.worker import ScoreWorker

    question = load_bank().get("mlf-bias-variance")
    scored = []
    worker = ScoreWorker({question.id: question}.get, lambda item: scored.append(item) or None, lambda e: None)
    worker(ev.QuestionStarted(question_id=question.id, time_box_s=60))
    worker(ev.CandidateTurn(kind="clarification", question_id=question.id, text="Can you repeat the question?"))
    worker(ev.CandidateTurn(kind="answer", question_id=question.id, text=BIAS))
    worker(ev.QuestionFinished(question_id=question.id))
    worker.close()
    assert [t.text for t in scored[0].turns] == [BIAS]
