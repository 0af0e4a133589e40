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


def test_a_phone_screen_follows_the_loop_and_leaves_the_onsite_out():
    import random

    from voice_interviewer.interviewer.planning import plan_phone_screen

    bank = load_bank()
    profile = bank.profile("netflix-mle")
    for seed in range(5):
        plan = plan_phone_screen(bank, profile, 45, random.Random(seed))
        kinds = ["closing" if p.question.closing else "coding" if p.problem else p.question.track for p in plan]
        assert kinds[:2] == ["recruiter-and-hiring-manager"] * 2
        assert [p.question.stage for p in plan[:2]] == ["recruiter-screen", "hiring-manager"]  # recruiter, then manager
        assert kinds[2:] == ["ml-fundamentals"] * 5 + ["coding", "closing"]  # the seeds' order: fundamentals first
        assert all(p.time_box_s <= 90 for p in plan[2:7])  # rapid fire
        assert sum(p.time_box_s for p in plan) <= 45 * 60
        assert not any(s.id.startswith("onsite") for s in profile.stages if s.phone_screen)
        assert "what questions do you have for me" in plan[-1].question.question.lower()


def test_the_order_of_a_stage_is_a_profile_field(tmp_path):
    import random
    import shutil
    from pathlib import Path

    from voice_interviewer.interviewer.planning import plan_phone_screen
    from voice_interviewer.paths import QUESTION_BANK_DIR

    shutil.copytree(QUESTION_BANK_DIR, tmp_path / "bank")
    profile = tmp_path / "bank" / "profiles" / "netflix-mle.yaml"
    profile.write_text(profile.read_text().replace("order: [questions, coding]", "order: [coding, questions]"))
    bank = load_bank(Path(tmp_path / "bank"))
    plan = plan_phone_screen(bank, bank.profile("netflix-mle"), 45, random.Random(1))
    assert plan[2].problem is not None and plan[3].question.track == "ml-fundamentals"  # coding first this time
    profile.write_text(profile.read_text().replace("order: [coding, questions]", "order: [questions]"))
    with pytest.raises(BankError, match="order"):  # coding problems but no place for them in the order
        load_bank(Path(tmp_path / "bank"))


def test_closing_questions_come_only_at_the_end():
    import random

    from voice_interviewer.interviewer.planning import plan_drill, plan_phone_screen

    bank = load_bank()
    closing = [q.id for q in bank.questions if q.closing]
    assert closing == ["rec-candidate-questions"]
    drills = {p.question.id for s in range(10) for p in plan_drill(bank, "recruiter-and-hiring-manager", 8, None, random.Random(s))}
    assert not drills & set(closing)
    for pid in ("netflix-mle", "generic-mle-phone-screen"):
        for minutes in (20, 30, 45):
            plan = plan_phone_screen(bank, bank.profile(pid), minutes, random.Random(minutes))
            assert [p.question.id for p in plan].index(closing[0]) == len(plan) - 1


def test_rapid_fire_fundamentals_get_one_follow_up_at_most():
    import random

    from voice_interviewer.interviewer.planning import plan_phone_screen

    bank = load_bank()
    plan = plan_phone_screen(bank, bank.profile("netflix-mle"), 45, random.Random(3))
    fundamentals = [p for p in plan if p.question.track == "ml-fundamentals"]
    assert fundamentals and all(p.follow_ups == 1 for p in fundamentals)
    assert all(p.follow_ups is None for p in plan if p.question.track == "recruiter-and-hiring-manager")
