"""End to end, real parts: the headless phone screen's coding round with Whisper tiny.en, Piper, the real
sandbox and the watched solution file, shortened to the coding problem and the closing question
(about 45 s on the 2-core CI machine). The whole 45-minute screen is the same script without --short.
"""

import json
import subprocess
import sys

from tests.conftest import REPO
from voice_interviewer.events import AnswerScored, CandidateTurn, CodeRun, CodeSnapshot, LineSaid
from voice_interviewer.scoring.coding import score_coding
from voice_interviewer.sessions.store import read_events


def test_the_scripted_candidate_codes_talks_and_gets_a_report(tmp_path):
    out = subprocess.run([sys.executable, "scripts/phone_screen_headless.py", "--short", "--out", str(tmp_path)],
                         capture_output=True, text=True, cwd=REPO, timeout=300)
    assert out.returncode == 0, out.stderr[-3000:]
    outcome = json.loads((tmp_path / "outcome.json").read_text())
    assert outcome["status"] == "completed" and outcome["code_versions_typed"] == 3
    assert outcome["plan"] == ["recent-distinct-titles", "rec-candidate-questions"]
    events, _bad, _lines = read_events(tmp_path / "sessions" / outcome["session"].rsplit("/", 1)[1] / "events.jsonl")

    runs = [e for e in events if isinstance(e, CodeRun)]
    assert [(r.passed == r.total, "n = 0" in " ".join(r.shown_failures)) for r in runs] == \
        [(False, False), (False, True), (True, False)]  # slow list, the n = 0 bug, the fix
    versions = list(dict.fromkeys(e.code for e in events if isinstance(e, CodeSnapshot)))
    assert len(versions) == 4 and "def recent_titles" in versions[0] and "OrderedDict" in versions[-1]
    assert (tmp_path / "editor" / "solution.py").read_text() == versions[-1]  # what the coder typed is what ran

    heard = " ".join(e.text.lower() for e in events if isinstance(e, CandidateTurn))
    assert "run the tests" in heard and "dictionary" in heard  # Whisper heard the Piper voice
    said = [e for e in events if isinstance(e, LineSaid)]
    assert said[-2].question_id == "rec-candidate-questions" or said[-3].question_id == "rec-candidate-questions"
    assert any(e.kind == "coding_result" and e.key_point == "edge_case" for e in said)

    [live] = [e for e in events if isinstance(e, AnswerScored) and e.question_id == "recent-distinct-titles"]
    assert live.scorer == "coding" and live.scores.content == 5.0  # scored by the session's worker
    score = {c.id: c.score for c in score_coding(events, "recent-distinct-titles").criteria}
    assert score["correctness"] == 5.0 and score["approach_first"] == 5.0 and score["testing"] == 5.0
    html = (tmp_path / "phone-screen-report.html").read_text()
    assert "Coding round · recent-distinct-titles" in html and "The code as it grew" in html
