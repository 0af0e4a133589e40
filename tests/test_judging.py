"""The careful judge on hand-written answers: traps are wrong with a reason, paraphrases count,
padding does not pay, another language is flagged. Real MiniLM embeddings (loads in about a second)."""

from __future__ import annotations

import pytest

from voice_interviewer.bank.questions import load_bank
from voice_interviewer.judging import textchecks as tc
from voice_interviewer.judging.judge import judge_answer
from voice_interviewer.judging.verdicts import KeyPointVerdict


@pytest.fixture(scope="module")
def bank():
    return load_bank()


def verdicts(judged):
    return {v.key_point: v for v in judged.verdicts}


def test_verdict_round_trips_and_validates():
    v = KeyPointVerdict("l1-sparsity", "wrong", "L2 gives exact zeros", "that is L1", 0.85)
    assert KeyPointVerdict.from_dict(v.to_dict()) == v
    with pytest.raises(ValueError):
        KeyPointVerdict("x", "maybe", None, "", 0.5)
    with pytest.raises(ValueError):
        KeyPointVerdict("x", "covered", None, "", 1.5)


def test_l2_exact_zeros_is_wrong_with_a_reason(bank):
    q = bank.get("mlf-l1-vs-l2")
    j = judge_answer(q, "So um L2 is the one that gives you exact zeros, it does the feature selection for you, "
                        "and L1 just shrinks the weights a bit, smoothly.")
    v = verdicts(j)["l1-sparsity"]
    assert v.status == "wrong"
    assert "L2" in v.evidence and "L1" in v.reason and "zero" in v.reason
    assert verdicts(j)["l2-shrinkage"].status == "wrong"
    assert j.content <= 1.5


def test_negated_misconception_is_not_wrong(bank):
    q = bank.get("mlf-l1-vs-l2")
    j = judge_answer(q, "L1 pushes a lot of weights exactly to zero so you get feature selection, "
                        "while L2 shrinks them smoothly but not exactly to zero.")
    assert verdicts(j)["l1-sparsity"].status == "covered"
    assert all(v.status != "wrong" for v in j.verdicts)


def test_swapped_denominators_and_pvalue_misreading(bank):
    j = judge_answer(bank.get("mlf-precision-recall-f1"),
                     "Precision is true positives divided by all the actual positives, and recall is true positives "
                     "over everything you predicted positive.")
    assert verdicts(j)["precision-def"].status == "wrong" and verdicts(j)["recall-def"].status == "wrong"
    j = judge_answer(bank.get("exp-pvalue-ci-practical-significance"),
                     "Um the p-value is basically the probability that the null hypothesis is true.")
    assert verdicts(j)["p-value"].status == "wrong"
    assert "not the probability" in verdicts(j)["p-value"].reason


def test_plain_language_paraphrase_is_credited(bank):
    q = bank.get("mlf-bagging-vs-boosting")
    j = judge_answer(q, "Think of bagging as asking lots of people who each saw a different random chunk of the data "
                        "and averaging what they say, the erratic parts cancel out so it's much steadier. Boosting is "
                        "more like a relay, each new model studies where the last one got it wrong and patches that, "
                        "so step by step you chip away at the systematic error.")
    assert j.credited_share >= 0.75
    assert all(v.status != "wrong" for v in j.verdicts)


def test_padding_and_keyword_lists_do_not_raise_the_score(bank):
    q = bank.get("mlf-l1-vs-l2")
    good = ("L1 adds the absolute values of the weights and L2 the squares. L1 pushes many weights exactly to zero, "
            "so it selects features, and L2 shrinks them all smoothly. L2 is my default.")
    base = judge_answer(q, good).content
    assert judge_answer(q, " ".join([good] * 10)).content <= base
    keywords = ", ".join(k for kp in q.key_points for k in kp.keywords)
    assert judge_answer(q, keywords).content == 0.0
    assert judge_answer(q, good + " " + keywords).content <= base
    assert all(v.status != "wrong" for v in judge_answer(q, good + " " + keywords).verdicts)  # a list states nothing


def test_spanish_is_flagged_not_graded(bank):
    q = bank.get("mlf-l1-vs-l2")
    j = judge_answer(q, "Bueno, la regularización L1 suma el valor absoluto de los pesos y la L2 suma los cuadrados. "
                        "Con L1 muchos pesos quedan exactamente en cero, entonces sirve para seleccionar variables.")
    assert j.language == "Spanish"
    assert all(v.status == "unclear" for v in j.verdicts)
    assert any("Spanish" in f for f in j.flags)
    assert tc.language("So um I think the model is overfitting because the gap is big.")[0] == "English"


def test_evidence_times_from_word_timings(bank):
    from types import SimpleNamespace

    q = bank.get("mlf-l1-vs-l2")
    text = "L1 pushes many weights exactly to zero so it does feature selection."
    words = [SimpleNamespace(text=w, start=i * 0.5, end=i * 0.5 + 0.4) for i, w in enumerate(text.split())]
    j = judge_answer(q, text, words=words)
    assert "l1-sparsity" in j.evidence_times
    start, end = j.evidence_times["l1-sparsity"]
    assert 0.0 <= start < end
    assert j.to_dict()["key_points"][0]["status"] in ("covered", "partial", "missed", "wrong", "unclear")


def test_a_short_plain_wrong_statement_is_not_mistaken_for_a_term_list(bank):
    """A dense clause ("always finds the global optimum") has few function words, but it is a claim all the
    same: it must be caught, not skipped as a list of terms."""
    j = judge_answer(bank.get("mlf-kmeans"), "So you assign each point to the nearest centroid and then you move each "
                                             "centroid to the mean of its points. K means always finds the global optimum.")
    assert verdicts(j)["init"].status == "wrong" and "local optimum" in verdicts(j)["init"].reason


def test_keywords_count_in_their_plain_inflections_only(bank):
    from voice_interviewer.judging.coverage import keywords_heard

    kp = next(k for k in bank.get("mlf-bias-variance").key_points if k.id == "defines-bias")
    # a live chunk says "underfits" one run and "underfit" the next: both are the keyword
    assert keywords_heard(kp, "it is too simple and underfits.") == ("too simple", "underfit")
    assert keywords_heard(kp, "It underfit.") == ("underfit",)
    # a longer word that merely starts with a keyword is not it
    assert keywords_heard(kp, "the estimate biases low") == ("bias",)
    assert keywords_heard(kp, "biasing") == ()
    assert keywords_heard(kp, "unbiasing underfitter") == ()
