"""Every coding problem is complete and honest: its reference passes everything, its naive
solution passes the tests but fails the scaling test; the checker shows failures without
giving hidden answers away; the CLI pieces exit with the documented codes."""

from __future__ import annotations

import argparse
import json

import pytest

from voice_interviewer.coding import checker, commands, spec

PROBLEMS = spec.load_problems()
IDS = [p.id for p in PROBLEMS]
TOPICS = {"streams", "top-k", "lru", "sliding-window", "graphs", "trees", "dynamic-programming", "aggregation"}


@pytest.fixture(scope="module")
def integrity():
    # Separate sandbox processes side by side, two at a time for a two-core machine.
    return {report.problem_id: report for report in checker.check_all(PROBLEMS, workers=2)}


def test_enough_problems_covering_the_topics():
    assert len(PROBLEMS) >= 20
    tags = {tag for p in PROBLEMS for tag in p.tags}
    assert TOPICS <= tags, TOPICS - tags


@pytest.mark.parametrize("problem_id", IDS)
def test_problem_structure(problem_id):
    problem = spec.get_problem(problem_id)
    assert checker.structure_errors(problem) == []
    assert len(problem.hints) >= 3 and len(problem.follow_ups) >= 2 and problem.key_ideas
    assert problem.source("naive"), "every problem here has a naive solution to prove the scale test"
    text = spec.render_statement(problem)
    assert problem.signature in text and "**Example 2.**" in text


@pytest.mark.parametrize("problem_id", IDS)
def test_reference_passes_and_naive_fails_only_the_scale_test(integrity, problem_id):
    report = integrity[problem_id]
    assert report.ok, report.errors
    assert report.reference.all_passed and report.reference.scaling.passed
    assert all(c.passed for c in report.naive.cases)
    assert not report.naive.scaling.passed and report.naive.scaling.verdict.startswith("too slow")


def test_integrity_figures(integrity, capsys):
    """Not an assertion: prints the measured verdicts for the report (-s to see them)."""
    for pid, report in sorted(integrity.items()):
        print(f"{pid:26} ref: {report.reference.scaling.verdict:60} naive: {report.naive.scaling.verdict}")


WRONG_RECENT = "def recent_titles(events, n):\n    return list(dict.fromkeys(reversed(events)))[:n] or None\n"


def test_wrong_solution_is_shown_without_hidden_answers():
    problem = spec.get_problem("recent-distinct-titles")
    result = checker.check(problem, WRONG_RECENT, with_scale=False)
    assert not result.all_passed and result.kind == "ok"
    shown = result.failures_shown()
    assert "Gives a wrong answer on an empty stream." in shown
    assert "Gives a wrong answer on n = 0." in shown
    # Hidden failures name the situation, never the expected answer.
    hidden = [c for c in result.cases if not c.visible]
    assert all("expected" not in c.shown for c in hidden)
    summary = checker.spoken_summary(result)
    assert summary.startswith("Two of the hidden tests fail") and "empty stream" in summary
    json.dumps(result.to_dict())  # plain fields all the way down


def test_wrong_example_is_shown_in_full():
    problem = spec.get_problem("top-k-titles")
    source = "def top_titles(events, k):\n    from collections import Counter\n" \
             "    return [t for t, _ in Counter(events).most_common(k)]\n"
    result = checker.check(problem, source, with_scale=False)
    example = next(c for c in result.cases if c.label == "example 2")
    assert example.status == "wrong"
    assert "returned ['z', 'y'], expected ['y', 'z']" in example.shown


def test_exception_in_an_example_shows_the_input_and_line():
    problem = spec.get_problem("flight-pair")
    result = checker.check(problem, "def flight_pair(runtimes, flight):\n    return [runtimes[5], 0]\n",
                           with_scale=False)
    first = result.cases[0]
    assert first.status == "exception"
    assert "flight_pair(runtimes=[95, 130, 45, 50], flight=140) raised IndexError" in first.shown
    assert "line 2" in first.shown


def test_quadratic_solution_fails_scaling_with_a_measured_verdict():
    problem = spec.get_problem("shortest-binge")
    result = checker.check(problem, problem.source("naive"))
    assert [c.passed for c in result.cases] == [True] * len(result.cases)
    assert not result.scaling.passed and "too slow" in result.scaling.verdict
    assert "too slow on large inputs" in checker.spoken_summary(result)


def test_a_slow_but_linear_solution_is_not_called_quadratic():
    def scaling(exponent):
        return checker.Scaling((checker.ScalePoint(1000, 3.0, "timeout"),), exponent, 1.0, "O(n)", False, "too slow")

    assert checker._slowness(scaling(2.1)) == "it looks quadratic"
    assert checker._slowness(scaling(1.1)) == "the largest input runs past the time budget"
    assert checker._slowness(scaling(None)) == "the largest input runs past the time budget"


def test_fit_exponent():
    points = [checker.ScalePoint(n, 1e-6 * n ** 2, "ok") for n in (1000, 2000, 4000)]
    assert checker.fit_exponent(points) == pytest.approx(2.0)
    assert checker.fit_exponent(points[:1]) is None


def _run(argv):
    parser = argparse.ArgumentParser()
    commands.add_subcommands(parser.add_subparsers())
    args = parser.parse_args(argv)
    return args.func(args)


def test_cli_exit_codes(tmp_path, capsys):
    good = tmp_path / "good.py"
    good.write_text(spec.get_problem("net-change-periods").source("reference"))
    assert _run(["code-check", "net-change-periods", str(good)]) == 0
    assert "scaling: " in capsys.readouterr().out  # the verdict wording depends on machine load
    wrong = tmp_path / "wrong.py"
    wrong.write_text("def count_periods(changes, k):\n    return 0\n")
    assert _run(["code-check", "net-change-periods", str(wrong), "--no-scale"]) == 1
    assert _run(["code-check", "no-such-problem", str(good)]) == 2
    assert "known problems: degrees-of-separation" in capsys.readouterr().err
    assert _run(["code-check", "net-change-periods", str(tmp_path / "missing.py")]) == 2
    notpy = tmp_path / "answer.txt"
    notpy.write_text("x")
    assert _run(["code-check", "net-change-periods", str(notpy)]) == 2
    assert _run(["coding", "list"]) == 0
    assert _run(["coding", "show", "flight-pair"]) == 0
    assert "# Two downloads that fill a flight" in capsys.readouterr().out
    assert _run(["coding", "show", "nope"]) == 2


def test_validate_fails_clearly_on_empty_and_broken_sets(tmp_path, capsys):
    assert commands.validate(()) == 1
    assert "no coding problems found" in capsys.readouterr().err
    broken = tmp_path / "broken-one"
    broken.mkdir()
    (broken / "problem.yaml").write_text("id: broken-one\ntitle: x\n")
    with pytest.raises(spec.ProblemError, match="missing 'complexity'"):
        spec.load_problems(tmp_path)


def test_every_problem_can_be_planned_as_a_question():
    from voice_interviewer.bank.questions import problem_question

    for problem in spec.load_problems():
        q = problem_question(problem)
        assert q.id == problem.id and problem.title in q.question and len(q.question) > len(problem.title) + 40
        assert all(isinstance(w, str) for k in q.key_points for w in k.keywords)  # YAML numbers become words
        assert "`" not in q.question and "_" not in q.question  # said aloud: no markup, no snake_case
