"""The bank validates, has what the seeds reported, and names the file and field of any mistake."""

import shutil

import pytest

from voice_interviewer.paths import QUESTION_BANK_DIR
from voice_interviewer.interviewer.phrasing import check_phrasing
from voice_interviewer.bank.questions import BankError, TRACKS, load_bank


def test_bank_validates_with_enough_questions():
    bank = load_bank()
    assert len(bank.questions) >= 80
    assert len(bank.track("ml-fundamentals")) >= 40
    assert all(bank.track(t) for t in TRACKS)
    assert {p.id for p in bank.profiles} >= {"netflix-mle", "generic-mle-phone-screen"}


def test_seed_questions_are_in_the_bank_with_their_follow_ups():
    bank = load_bank()
    seeds = {q.id: q for q in bank.questions if q.source == "seed"}
    assert {"mlf-bias-variance", "beh-production-incident", "mlf-imbalanced-classifier-evaluation"} <= set(seeds)
    assert any("bagging" in f.text.lower() for f in seeds["mlf-bias-variance"].follow_ups)


def test_errors_name_the_file_and_the_field(tmp_path):
    shutil.copytree(QUESTION_BANK_DIR, tmp_path / "bank")
    path = tmp_path / "bank" / "ml-fundamentals.yaml"
    path.write_text(path.read_text().replace("time_box_s: 120", "time_box_s: soon", 1)
                    .replace("probes: remedies", "probes: nowhere", 1))
    with pytest.raises(BankError) as err:
        load_bank(tmp_path / "bank")
    text = err.value.message
    assert "ml-fundamentals.yaml: question mlf-bias-variance: field 'time_box_s'" in text
    assert "follow_ups" in text and "probes" in text


@pytest.mark.parametrize("line, ok", [
    ("How would you pick the threshold for this fraud model?", True),
    ("What is L2? And what is L1?", False),
    ("Great answer! How does it scale?", False),
    ("```python\nprint(1)```?", False),
    ("Regularisation levers such as cross validation, more data and ensembling: which would you use?", False),
])
def test_follow_up_phrasing_checks(line, ok):
    gap = "Levers to move along the curve such as regularisation, cross-validation, more data, ensembling"
    assert (check_phrasing(line, gap) == "") is ok
