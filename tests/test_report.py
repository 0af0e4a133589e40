"""Session reports (HTML, Markdown, JSON) on a session recorded by the real pipeline,
and the HTML rendered by a real headless browser when one is installed."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from tests.test_sessions import QUESTIONS, add_scores, copy_session, record_session, strip_scores
from voice_interviewer.errors import UserFacingError
from voice_interviewer.bank.questions import load_bank
from voice_interviewer.sessions import load_session
from voice_interviewer.sessions.report import mark_tokens, write_report

SCORES = {QUESTIONS[0]: (3.5, 2.5, 4.5, 3.7), QUESTIONS[1]: (1.5, 2.0, 3.0, 2.1)}
EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*['"]?\s*(?:https?:)?//""", re.I)


@pytest.fixture(scope="module")
def recorded(tmp_path_factory, testdata) -> Path:
    return record_session(tmp_path_factory, testdata)


@pytest.fixture
def scored(recorded, tmp_path):
    return load_session(add_scores(copy_session(recorded, tmp_path / "sessions"), SCORES))


@pytest.fixture
def unscored(recorded, tmp_path):
    return load_session(strip_scores(copy_session(recorded, tmp_path / "sessions")))


def audio_turns(session) -> int:
    return sum(1 for t in session.turns if t.audio and not t.audio_missing)


def test_html_is_one_self_contained_page(scored, tmp_path):
    path = write_report(scored, "html", tmp_path / "out" / "report.html")
    html = path.read_text()
    bank = load_bank()
    for qid in QUESTIONS:
        assert bank.get(qid).question in html and f"TIP-{qid}" in html
    assert not EXTERNAL.search(html) and "<link" not in html and "<script" not in html
    assert html.count("<audio controls") == audio_turns(scored) and "src='data:audio/" in html
    assert html.count("<svg") >= 3  # score ring, score bars, timeline
    assert "3.7" in html and "4.5" in html and "Scores are not available" not in html
    assert "<mark" in html  # the covered key point's evidence, highlighted in the transcript
    assert bank.get(QUESTIONS[0]).key_points[1].text in html  # a missed key point, listed
    reason = next(e for e in scored.events if e.TYPE == "decision" and e.action != "move_on").reason
    assert reason.replace("'", "&#x27;") in html  # why the follow-up was asked
    assert "What is missing" not in html


def add_verdicts(folder: Path) -> Path:
    """A score event as the judge writes it: one key point covered, one stated wrongly, the rest missed."""
    from tests.test_sessions import events_of

    strip_scores(folder)
    ev = events_of(folder)
    q = load_bank().get(QUESTIONS[0])
    words = next(e for e in ev if e["type"] == "candidate_turn" and e["question_id"] == q.id)["text"].split()
    said = " ".join(words[6:12])
    statuses = ["covered", "wrong"] + ["missed"] * (len(q.key_points) - 2)
    key_points = [{"key_point": k.id, "text": k.text, "status": st, "confidence": 0.85,
                   "evidence": {"text": " ".join(words[:6]) if st == "covered" else said, "turn": 0}
                   if st != "missed" else None,
                   "reason": f'You said "{said}"; WRONG-REASON-{k.id}' if st == "wrong" else f"REASON-{k.id}"}
                  for k, st in zip(q.key_points, statuses)]
    with open(folder / "events.jsonl", "a") as f:
        f.write(json.dumps({"t": ev[-1]["t"], "wall": ev[-1]["wall"], "type": "score", "question_id": q.id,
                            "scorer": "rules", "scores": {"content": 1.0, "reasoning": 1.0, "delivery": 4.0, "overall": 1.6},
                            "key_points": key_points, "confidence": 0.8,
                            "flags": ["the answer states a wrong idea; the rest of it was judged more strictly"],
                            "tips": [key_points[1]["reason"]]}) + "\n")
    return folder


def test_verdicts_show_evidence_and_reason_and_wrong_stands_out(recorded, tmp_path):
    s = load_session(add_verdicts(copy_session(recorded, tmp_path / "sessions")))
    q = load_bank().get(QUESTIONS[0])
    html = write_report(s, "html", tmp_path / "v.html", embed_audio=False).read_text()
    wrong = html[html.index("<li class='wrong'>"):]
    wrong = wrong[: wrong.index("</li>")]
    assert q.key_points[1].text in wrong and f"WRONG-REASON-{q.key_points[1].id}" in wrong and "85% sure" in wrong
    assert "class='tag'>wrong<" in wrong and "You said" in wrong  # labelled, quoting the words that were said
    assert f"REASON-{q.key_points[0].id}" in html and "<mark class='wrong'" in html and "<mark class='covered'" in html
    assert "the answer states a wrong idea" in html and "1 stated wrongly" in html and "about 85% sure" in html
    md = write_report(s, "md", tmp_path / "v.md").read_text()
    assert f"{q.key_points[1].text} (**wrong**)" in md and f"WRONG-REASON-{q.key_points[1].id}" in md


def test_a_rejected_llm_line_is_shown_with_its_reason(recorded, tmp_path):
    from tests.test_sessions import events_of

    folder = copy_session(recorded, tmp_path / "sessions")
    ev = events_of(folder)
    line = next(e for e in ev if e["type"] == "interviewer_said" and e["kind"] == "follow_up")
    line["rejected"], line["source"] = "speaks of the candidate in the third person", "bank"
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in ev))
    s = load_session(folder)
    html = write_report(s, "html", tmp_path / "r.html", embed_audio=False).read_text()
    assert "the LLM line was not used: speaks of the candidate in the third person" in html
    assert "the LLM line was not used: speaks of the candidate" in write_report(s, "md", tmp_path / "r.md").read_text()


def test_html_timeline_draws_both_speakers_with_pauses(scored, tmp_path):
    html = write_report(scored, "html", tmp_path / "r.html", embed_audio=False).read_text()
    timeline = html[html.index("Who spoke when"):]
    timeline = timeline[: timeline.index("</svg>")]
    assert timeline.count("<title>interviewer ") >= 5 and timeline.count("<title>candidate ") >= 3
    assert "<title>pause of" in timeline and ">Q1<" in timeline and ">Q2<" in timeline


def test_html_without_scores_shows_coverage_and_says_so(unscored, tmp_path):
    html = write_report(unscored, "html", tmp_path / "r.html").read_text()
    assert "Scores are not available" in html and "Rubric coverage" in html and "key points covered" in html
    assert load_bank().get(QUESTIONS[1]).question in html


def test_markdown_has_the_same_content(scored, tmp_path):
    out = tmp_path / "reports" / "r.md"
    md = write_report(scored, "md", out).read_text()
    bank = load_bank()
    assert md.startswith("# Mock interview report") and "## Scores" in md and "| Q1 mlf-bias-variance | 3.5 | 2.5 | 4.5 | 3.7 |" in md
    assert f"## Q1. {bank.get(QUESTIONS[0]).question}" in md and "### Follow-ups and why" in md
    assert re.search(r"- `\[\d\d:\d\d\]` \*\*candidate\*\* \(answer\): \*\*Printing", md)  # evidence in bold
    links = re.findall(r"\[audio\]\(([^)]+)\)", md)
    assert len(links) == audio_turns(scored) and all((out.parent / link).resolve().is_file() for link in links)
    unscored_md = write_report(load_session(strip_scores(scored.folder)), "md", tmp_path / "u.md").read_text()
    assert "Scores are not available" in unscored_md and "| covered |" in unscored_md


def test_json_is_a_clean_summary(scored, tmp_path):
    data = json.loads(write_report(scored, "json", tmp_path / "r.json").read_text())
    assert data["version"] == 1 and data["session"] == scored.name and data["scores_available"] is True
    assert data["overall"] == round((3.7 + 2.1) / 2, 2) and data["dimensions"]["delivery"] == 3.75
    q1 = data["questions"][0]
    assert q1["question_id"] == QUESTIONS[0] and q1["scores"]["overall"] == 3.7
    assert [k["status"] for k in q1["key_points"]][0] == "covered" and q1["missed"]
    assert q1["follow_ups"][0]["reason"] and q1["turns"][1]["speaker"] == "candidate"
    tl = data["timeline"]
    assert {s["speaker"] for s in tl["spans"]} == {"interviewer", "candidate"} and tl["pauses"]
    assert "base64" not in json.dumps(data)


def test_a_damaged_session_gets_a_what_is_missing_box(recorded, tmp_path):
    folder = copy_session(recorded, tmp_path / "sessions")
    gone = next(t for t in load_session(folder).turns if t.speaker == "candidate").audio
    (folder / gone).unlink()
    (folder / "meta.json").write_text("{not json")
    raw = (folder / "events.jsonl").read_bytes()
    (folder / "events.jsonl").write_bytes(raw[:-25])
    s = load_session(folder)
    html = write_report(s, "html", tmp_path / "d.html").read_text()
    box = html[html.index("What is missing"):]
    box = box[: box.index("</section>")]
    assert gone in box and "meta.json is damaged" in box and "cut short" in box
    assert f"audio {gone} is missing" in html and load_bank().get(QUESTIONS[0]).question in html
    md = write_report(s, "md", tmp_path / "d.md").read_text()
    assert "## What is missing" in md and gone in md


def test_reports_refuse_bad_formats_and_the_session_folder(scored):
    with pytest.raises(UserFacingError, match="Unknown report format"):
        write_report(scored, "pdf")
    with pytest.raises(UserFacingError, match="inside the session folder"):
        write_report(scored, "html", scored.folder / "audio" / "r.html")


def test_evidence_is_found_across_turns_ignoring_case_and_punctuation():
    marked = mark_tokens(["Bias is error.", "From a model, that is TOO simple"],
                         [{"status": "covered", "evidence": "error. from a model that"}, {"status": "missed", "evidence": "Bias"}])
    assert [m for _, m in marked[0]] == [(), (), ((1, "covered"),)]
    assert [bool(m) for _, m in marked[1]] == [True, True, True, True, False, False, False]


def _browser() -> str | None:
    return next((b for b in (shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome")) if b), None)


@pytest.mark.skipif(_browser() is None, reason="no headless chromium installed (scripts/install_chromium.sh installs it)")
def test_html_renders_in_a_real_headless_browser(scored, tmp_path):
    path = write_report(scored, "html", tmp_path / "report.html")
    with tempfile.TemporaryDirectory() as profile:
        out = subprocess.run([_browser(), "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                              "--disable-background-networking", "--disable-component-update", "--disable-sync",
                              f"--user-data-dir={profile}", "--dump-dom", path.as_uri()],
                             capture_output=True, text=True, timeout=180)
    dom = out.stdout
    assert out.returncode == 0 and "</html>" in dom, out.stderr[-2000:]
    assert load_bank().get(QUESTIONS[0]).question in dom
    assert dom.count("<svg") >= 3 and dom.count("<audio") == audio_turns(scored)
    assert ">overall 3.7<" in dom and ">content 3.5<" in dom and "<mark" in dom
