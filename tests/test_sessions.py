"""Recorded sessions: listing, resolving safely, replay, damage, re-deriving, progress and drill choice.

Every test works on copies of one session recorded by the real pipeline
(real TTS, VAD, Whisper, coverage, scoring) from real recordings.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
import shutil
import sys
import types
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from voice_interviewer.events import AnswerScored, Scores

from voice_interviewer.errors import AudioDeviceError, UserFacingError
from voice_interviewer.bank.questions import load_bank
from voice_interviewer.sessions import format_sessions, list_sessions, load_session, open_session, resolve_session
from voice_interviewer.sessions.progress import Attempt, format_progress, history, progress, write_progress_html
from voice_interviewer.sessions.replay import replay, rerun, rescore, retranscribe
from voice_interviewer.sessions.repetition import choose_questions, due_at

QUESTIONS = ("mlf-bias-variance", "mlf-overfitting-underfitting")
# Q1 answer, Q1 follow-up answer, Q2 answer; Q2's follow-up then gets no answer (a real edge case)
WAVS = ("LJ001-0001.wav", "LJ001-0002.wav", "LJ001-0009.wav")
_RECORDED: dict[str, Path] = {}


# --- helpers shared with test_report.py ----------------------------------------------------
def record_session(tmp_path_factory, testdata: Path) -> Path:
    """Run the real pipeline once per test run (about 30 s); later calls reuse the folder."""
    if "folder" not in _RECORDED:
        from voice_interviewer.runner import RunOptions, run_interview

        base = tmp_path_factory.mktemp("recorded")
        answers = base / "answers"
        answers.mkdir()
        for i, name in enumerate(WAVS):
            shutil.copyfile(testdata / "asr/coqui-tts-ljspeech/wavs" / name, answers / f"{i}.wav")
        result = run_interview(RunOptions(mode="drill", count=2, seconds=40, question_ids=QUESTIONS,
                                          candidate_audio=answers, llm="none", data_root=base / "data", device="cpu"),
                               echo=lambda *_: None)
        _RECORDED["folder"] = Path(result.session_dir)
    return _RECORDED["folder"]


def copy_session(src: Path, root: Path, name: str | None = None) -> Path:
    dst = root / (name or src.name)
    shutil.copytree(src, dst)
    return dst


def events_of(folder: Path) -> list[dict]:
    return [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines() if line.strip()]


def strip_scores(folder: Path) -> Path:
    """The session as it was before scoring existed."""
    kept = [e for e in events_of(folder) if e["type"] != "score"]
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in kept))
    return folder


def add_scores(folder: Path, scores: dict[str, tuple[float, float, float, float]]) -> Path:
    """Replace the score events with documented `score` lines carrying known numbers."""
    strip_scores(folder)
    bank = load_bank()
    ev = events_of(folder)
    with open(folder / "events.jsonl", "a") as f:
        for qid, (content, reasoning, delivery, overall) in scores.items():
            q = bank.get(qid)
            turn = next(e for e in ev if e["type"] == "candidate_turn" and e["question_id"] == qid)
            first_words = " ".join(turn["text"].split()[:6])
            key_points = [{"key_point": k.id, "text": k.text, "status": "covered" if i == 0 else "missed",
                           "evidence": {"text": first_words, "start": 0.5, "end": 2.0, "turn": 0} if i == 0 else None}
                          for i, k in enumerate(q.key_points)]
            f.write(json.dumps({"t": ev[-1]["t"], "wall": ev[-1]["wall"], "type": "score", "question_id": qid,
                                "scorer": "rules", "scores": {"content": content, "reasoning": reasoning,
                                                              "delivery": delivery, "overall": overall},
                                "key_points": key_points,
                                "habits": [{"habit": "tradeoff", "label": "names the tradeoff", "found": False, "evidence": None}],
                                "delivery": {"wpm": 142.0, "long_pauses": 1, "time_to_first_word_s": 2.1, "talk_s": 9.0,
                                             "time_box_s": 40, "fillers": 0, "filler_rate_per_min": 0.0, "hedges": 0,
                                             "note": "filler counts are a lower bound: Whisper drops many"},
                                "tips": [f"TIP-{qid}: name the two sources of error first."]}) + "\n")
    return folder


def set_started(folder: Path, when: datetime) -> Path:
    meta = json.loads((folder / "meta.json").read_text())
    meta["started_at"] = when.isoformat()
    (folder / "meta.json").write_text(json.dumps(meta))
    return folder


def hash_tree(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


class FakeSpeaker:
    """Records what would have been played, in the same log as the printed lines."""

    def __init__(self, log: list):
        self.log = log

    def play(self, samples, rate):
        self.log.append(("play", len(samples), rate))


# --- fixtures ---------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def recorded(tmp_path_factory, testdata) -> Path:
    return record_session(tmp_path_factory, testdata)


@pytest.fixture
def root(tmp_path) -> Path:
    r = tmp_path / "sessions"
    r.mkdir()
    return r


def test_the_recorded_session_is_what_the_tests_assume(recorded):
    ev = events_of(recorded)
    turns = [e for e in ev if e["type"] == "candidate_turn"]
    assert [e["question_id"] for e in ev if e["type"] == "question_started"] == list(QUESTIONS)
    assert "comparatively modern" in " ".join(t["text"] for t in turns).lower()
    assert all((recorded / t["audio"]).is_file() for t in turns if t["audio"])


# --- listing and resolving ---------------------------------------------------------------------
def test_lists_sessions_newest_first_with_questions_and_scores(recorded, root):
    old = strip_scores(copy_session(recorded, root, "20240101-090000-drill"))
    add_scores(copy_session(recorded, root, "20240102-090000-drill"), {QUESTIONS[0]: (3, 2, 4, 3.0), QUESTIONS[1]: (1, 1, 3, 2.0)})
    (root / "not-a-session").mkdir()  # ignored: no meta.json or events.jsonl
    listed = list_sessions(root)
    assert [s.name for s in listed] == ["20240102-090000-drill", old.name]
    assert [s.questions for s in listed] == [2, 2]
    assert listed[0].overall == 2.5 and listed[1].overall is None
    assert listed[1].covered_share is not None and listed[0].mode == "drill" and listed[0].status == "completed"
    table = format_sessions(listed)
    assert "20240102-090000-drill" in table and "2.5/5" in table and "cov" in table


def test_resolves_by_name_prefix_and_latest(recorded, root):
    a = copy_session(recorded, root, "20240101-090000-drill")
    b = copy_session(recorded, root, "20240102-090000-drill")
    assert resolve_session("20240101-090000-drill", root) == a.resolve()
    assert resolve_session("20240102", root) == b.resolve()
    assert resolve_session("latest", root) == b.resolve()
    assert resolve_session(str(a), root) == a.resolve()  # an absolute path inside the data folder is fine
    with pytest.raises(UserFacingError, match="matches 2 sessions"):
        resolve_session("2024", root)
    with pytest.raises(UserFacingError, match="No session named"):
        resolve_session("1999", root)
    assert open_session("20240101", root).name == a.name


def test_refuses_names_that_point_outside_the_data_folder(recorded, root, tmp_path):
    outside = copy_session(recorded, tmp_path, "x")  # a real session, just not in the data folder
    copy_session(recorded, root, "20240101-090000-drill")
    (root / "20240105-090000-drill").symlink_to(outside, target_is_directory=True)
    for name in ("../x", str(outside), "20240105-090000-drill", "20240101-090000-drill/../../x", ".."):
        with pytest.raises(UserFacingError) as err:
            resolve_session(name, root)
        assert "outside the sessions folder" in err.value.message, name
    assert [s.name for s in list_sessions(root)] == ["20240101-090000-drill"]  # the escaping link is not listed
    assert resolve_session("latest", root).name == "20240101-090000-drill"


def test_loads_questions_with_turns_coverage_decisions_and_scores(recorded, root):
    s = load_session(copy_session(recorded, root))
    assert s.problems == () and s.skipped_lines == 0
    q1, q2 = s.questions
    assert (q1.question_id, q2.question_id) == QUESTIONS
    assert [t.kind for t in q1.turns] == ["question", "answer", "follow_up", "follow_up_answer"]
    assert q1.text == load_bank().get(QUESTIONS[0]).question
    assert q1.coverage and q1.decisions[0].action in ("probe", "deeper") and q1.decisions[-1].action == "move_on"
    assert q1.score is not None and q1.overall is not None  # the real pipeline's scoring worker wrote them
    assert q2.candidate_turns[-1].event.end_reason == "no_answer"


# --- replay --------------------------------------------------------------------------------
def test_replay_without_audio_prints_the_conversation_with_timings(recorded, root):
    s = load_session(copy_session(recorded, root))
    lines: list[str] = []
    replay(s, audio=False, out=lines.append)
    text = "\n".join(lines)
    question = load_bank().get(QUESTIONS[0]).question
    assert re.search(r"^\[\d\d:\d\d\] interviewer: " + re.escape(question) + "$", text, re.M)
    answer = next(e for e in s.events if e.TYPE == "candidate_turn").text
    assert re.search(r"^\[\d\d:\d\d\] candidate: " + re.escape(answer) + "$", text, re.M)
    stamps = [int(m[0]) * 60 + int(m[1]) for m in re.findall(r"^\[(\d\d):(\d\d)\] (?:interviewer|candidate)", text, re.M)]
    assert len(stamps) == len(s.turns) and stamps == sorted(stamps) and stamps[-1] > 30
    assert "(no answer)" in text and "what is missing" not in text


def test_replay_with_audio_prints_each_line_as_its_audio_plays(recorded, root):
    s = load_session(copy_session(recorded, root))
    log: list = []
    replay(s, audio=True, out=log.append, speaker=FakeSpeaker(log))
    plays = [x for x in log if isinstance(x, tuple)]
    # every turn's audio is played in full: the slices of each file add up to its length
    from voice_interviewer.audio.files import load_audio

    total = sum(len(load_audio(s.folder / t.audio).samples) for t in s.turns if t.audio)
    assert sum(n for _, n, _ in plays) == total and all(rate == 16000 for *_, rate in plays)
    # the candidate's first answer is printed line by line, each line just before its slice plays
    first = log.index(next(x for x in log if isinstance(x, str) and re.match(r"\[\d\d:\d\d\] candidate:$", x)))
    assert isinstance(log[first + 1], tuple)  # the silence before the first word
    assert isinstance(log[first + 2], str) and "printing" in log[first + 2].lower()
    assert isinstance(log[first + 3], tuple)


def test_replay_with_no_audio_device_suggests_no_audio(recorded, root, monkeypatch):
    import voice_interviewer.audio.devices as devices

    def no_device(*_a, **_k):
        raise AudioDeviceError("No output device found (no sound card)", "plug one in")

    monkeypatch.setattr(devices, "SpeakerOutput", no_device)
    s = load_session(copy_session(recorded, root))
    with pytest.raises(AudioDeviceError) as err:
        replay(s, audio=True, out=lambda *_: None)
    assert "--no-audio" in err.value.hint and "No output device" in err.value.message


def test_a_damaged_session_replays_what_is_there_and_lists_what_is_missing(recorded, root):
    folder = copy_session(recorded, root)
    raw = (folder / "events.jsonl").read_bytes()
    (folder / "events.jsonl").write_bytes(raw[: len(raw) - 40])  # the last line cut mid-way, as by a crash
    gone = next(e for e in events_of_prefix(folder) if e["type"] == "candidate_turn")["audio"]
    (folder / gone).unlink()
    (folder / "meta.json").unlink()
    s = load_session(folder)
    assert s.skipped_lines == 1 and s.meta == {} and gone in s.missing_audio
    joined = " | ".join(s.problems)
    assert "meta.json is missing" in joined and "cut short" in joined and gone in joined
    lines: list = []
    replay(s, audio=False, out=lines.append)
    text = "\n".join(lines)
    assert load_bank().get(QUESTIONS[0]).question in text and "comparatively modern" in text.lower()
    tail = text[text.index("what is missing or damaged:"):]
    assert gone in tail and "meta.json" in tail
    log: list = []
    replay(s, audio=True, out=log.append, speaker=FakeSpeaker(log))  # plays the rest, says what it cannot
    assert any(isinstance(x, str) and f"audio {gone} is missing" in x for x in log)
    assert sum(isinstance(x, tuple) for x in log) > 3


def test_replay_shows_a_withdrawn_follow_up_as_withdrawn(recorded, root):
    # the session as if the candidate had cut into its first follow-up after 0.4 s (test_take_back.py
    # records such sessions; here only the event the interview publishes after the line is added)
    folder = copy_session(recorded, root)
    ev = events_of(folder)
    i, said = next((i, e) for i, e in enumerate(ev) if e["type"] == "interviewer_said" and e["kind"] == "follow_up")
    ev.insert(i + 1, {"t": said["t"], "wall": said["wall"], "type": "follow_up_withdrawn",
                      "question_id": said["question_id"], "text": said["text"], "heard_s": 0.4})
    (folder / "events.jsonl").write_text("".join(json.dumps(e) + "\n" for e in ev))
    s = load_session(folder)
    pattern = (r"^\[\d\d:\d\d\] interviewer \(withdrawn after 0\.4 s: the candidate went on\): "
               + re.escape(said["text"]) + "$")
    for audio in (False, True):
        log: list = []
        replay(s, audio=audio, out=log.append, speaker=FakeSpeaker(log))
        shown = [x for x in log if isinstance(x, str) and "withdrawn" in x]
        assert len(shown) == 1 and re.match(pattern, shown[0]), shown
        assert any(isinstance(x, str) and x.endswith(f"interviewer: {load_bank().get(QUESTIONS[0]).question}")
                   for x in log)  # the lines that stood are shown as before


def events_of_prefix(folder: Path) -> list[dict]:
    """The events that survived: skip a cut-short line the way readers must."""
    out = []
    for line in (folder / "events.jsonl").read_text().splitlines():
        try:
            out.append(json.loads(line))
        except ValueError:
            pass
    return out


# --- new sessions from old ones ----------------------------------------------------------------------
def test_original_is_byte_identical_after_replay_report_and_retranscribe(recorded, root, tmp_path, stt):
    from voice_interviewer.sessions.report import write_report

    folder = copy_session(recorded, root)
    before = hash_tree(folder)
    s = load_session(folder)
    replay(s, audio=False, out=lambda *_: None)
    replay(s, audio=True, out=lambda *_: None, speaker=FakeSpeaker([]))
    for fmt in ("html", "md", "json"):
        write_report(s, fmt, tmp_path / f"r.{fmt}")
    new = retranscribe(s, stt="tiny.en", root=root, echo=lambda *_: None, engine=stt)
    assert new != folder and hash_tree(folder) == before
    with pytest.raises(UserFacingError, match="inside the session folder"):
        write_report(s, "md", folder / "report.md")
    assert hash_tree(folder) == before


def test_retranscribe_writes_a_new_linked_session(recorded, root, stt):
    folder = copy_session(recorded, root)
    s = load_session(folder)
    new = retranscribe(s, stt="tiny.en", root=root, echo=lambda *_: None, engine=stt)
    d = load_session(new)
    assert d.meta["derived_from"] == s.name and d.meta["derivation"]["kind"] == "retranscribe"
    assert d.meta["models"]["stt"] == "tiny.en" and d.problems == ()
    old_turns = [t for t in s.turns if t.speaker == "candidate"]
    new_turns = [t for t in d.turns if t.speaker == "candidate"]
    assert len(new_turns) == len(old_turns)
    for a, b in zip(old_turns, new_turns):
        assert b.event.stt_model == "tiny.en" and (b.audio is None or (new / b.audio).is_file())
        assert set(a.text.lower().split()) & set(b.text.lower().split()) or not a.text
    assert "comparatively modern" in " ".join(t.text for t in new_turns).lower()
    assert new_turns[0].segments and new_turns[0].segments[0].words
    assert all(isinstance(c.covered_share, float) for q in d.questions for c in q.coverage)
    assert not any(e.TYPE == "score" for e in d.events)  # old scores scored the old text
    assert {x.name for x in list_sessions(root)} == {s.name, d.name}


def test_rescore_needs_the_scoring_module(recorded, root, monkeypatch):
    monkeypatch.setitem(sys.modules, "voice_interviewer.scoring", None)  # as in a version without it
    s = load_session(copy_session(recorded, root))
    with pytest.raises(UserFacingError, match="scoring is not available"):
        rescore(s, root=root, echo=lambda *_: None)
    assert [p.name for p in root.iterdir()] == [s.name]  # nothing half-made left behind


def test_rescore_writes_the_scorers_events_into_a_new_linked_session(recorded, root, monkeypatch):
    folder = strip_scores(copy_session(recorded, root))
    before = hash_tree(folder)
    seen = []

    def rescore_session(path, embedder):
        seen.append(Path(path))
        assert not any(e["type"] == "score" for e in events_of(Path(path)))
        return [AnswerScored(question_id=q, scorer="fake", tips=("t",),
                             scores=Scores(content=2.0, reasoning=3.0, delivery=4.0, overall=3.0)) for q in QUESTIONS]

    fake = types.ModuleType("voice_interviewer.scoring")
    fake.rescore_session = rescore_session
    monkeypatch.setitem(sys.modules, "voice_interviewer.scoring", fake)
    s = load_session(folder)
    new = rescore(s, root=root, echo=lambda *_: None)
    assert seen == [new] and new != folder and hash_tree(folder) == before
    d = load_session(new)
    assert d.meta["derived_from"] == s.name and d.meta["derivation"]["kind"] == "rescore"
    assert [q.overall for q in d.questions] == [3.0, 3.0] and d.overall_score == 3.0


def test_rescore_with_the_real_scorer(recorded, root):
    pytest.importorskip("voice_interviewer.scoring")
    s = load_session(strip_scores(copy_session(recorded, root)))
    d = load_session(rescore(s, root=root, echo=lambda *_: None))
    assert [q.question_id for q in d.questions if q.score] == list(QUESTIONS)
    assert all(0 <= q.overall <= 5 for q in d.questions)


def test_rerun_feeds_the_recorded_answers_through_the_pipeline_again(recorded, root):
    s = load_session(copy_session(recorded, root))
    new = rerun(s, llm="none", device="cpu", root=root, echo=lambda *_: None)
    d = load_session(new)
    assert d.meta["derived_from"] == s.name and d.meta["derivation"]["kind"] == "rerun"
    assert d.meta["derivation"]["plan_matches"] and d.meta["plan"] == list(QUESTIONS)
    assert [q.question_id for q in d.questions] == list(QUESTIONS)
    heard = " ".join(t.text for t in d.turns if t.speaker == "candidate").lower()
    assert "comparatively modern" in heard and "movable types" in heard


# --- progress and spaced repetition --------------------------------------------------------------------
def _history_root(recorded: Path, root: Path, now: datetime) -> None:
    """Two sessions: ten days ago both questions went badly; two days ago overfitting went well."""
    a = add_scores(copy_session(recorded, root, "20240101-090000-drill"), {QUESTIONS[0]: (1, 1, 3, 1.2), QUESTIONS[1]: (1, 1, 2, 1.0)})
    set_started(a, now - timedelta(days=10))
    b = add_scores(copy_session(recorded, root, "20240102-090000-drill"), {QUESTIONS[0]: (2, 1, 3, 1.5), QUESTIONS[1]: (4, 4, 5, 4.5)})
    set_started(b, now - timedelta(days=2))


def test_progress_over_time_per_dimension_and_topic(recorded, root, tmp_path):
    now = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
    _history_root(recorded, root, now)
    c = set_started(strip_scores(copy_session(recorded, root, "20240103-090000-drill")), now - timedelta(days=1))
    p = progress(root)
    assert [x.session for x in p.sessions] == ["20240101-090000-drill", "20240102-090000-drill", c.name]
    assert p.sessions[0].dimensions["overall"] == 1.1 and p.sessions[1].dimensions["overall"] == 3.0
    assert p.sessions[2].dimensions == {} and p.sessions[2].coverage5 is not None  # unscored: coverage fallback
    assert [a.source for a in p.attempts[-2:]] == ["coverage", "coverage"]
    assert p.tracks == ["ml-fundamentals"] and p.sessions[1].topics["ml-fundamentals"] == 3.0
    assert p.tag_table()[0]["latest"] <= p.tag_table()[-1]["latest"]
    table = format_progress(p)
    assert "ml-fundamentals" in table and "20240102-090000-drill" in table and "coverage" in table
    html = write_progress_html(p, tmp_path / "progress.html", load_bank(), now).read_text()
    assert html.count("<svg") >= 3 and "<path" in html and not re.search(r"(src|href)=['\"]?https?:", html)


def test_a_derived_session_replaces_its_source_in_progress(recorded, root, stt):
    now = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
    a = set_started(add_scores(copy_session(recorded, root, "20240101-090000-drill"), {QUESTIONS[0]: (1, 1, 1, 1.0)}),
                    now - timedelta(days=3))
    retranscribe(load_session(a), stt="tiny.en", root=root, echo=lambda *_: None, engine=stt)
    p = progress(root)
    assert len(p.sessions) == 1 and p.sessions[0].when == now - timedelta(days=3)
    assert p.sessions[0].session != a.name and all(x.source == "coverage" for x in p.attempts)


def test_choose_questions_brings_weak_questions_back_first(recorded, root):
    now = datetime(2025, 3, 1, 12, tzinfo=timezone.utc)
    _history_root(recorded, root, now)
    bank = load_bank()
    hist = history(root)
    assert [(a.question_id, a.score) for a in hist] == [(QUESTIONS[0], 1.2), (QUESTIONS[1], 1.0),
                                                        (QUESTIONS[0], 1.5), (QUESTIONS[1], 4.5)]
    n = len(bank.track("ml-fundamentals"))
    picks = choose_questions(bank, "ml-fundamentals", n, hist, random.Random(7), now)
    ids = [p.question.id for p in picks]
    assert ids[0] == QUESTIONS[0] and picks[0].priority == "due"  # scored 1.5: due at once
    assert ids[-1] == QUESTIONS[1] and picks[-1].priority == "later"  # scored 4.5 two days ago: due in 7 days
    assert {p.priority for p in picks[1:-1]} == {"new"} and len(set(ids)) == n
    again = choose_questions(bank, "ml-fundamentals", n, hist, random.Random(7), now)
    other = choose_questions(bank, "ml-fundamentals", n, hist, random.Random(8), now)
    assert [p.question.id for p in again] == ids and [p.question.id for p in other] != ids
    assert [p.question.id for p in choose_questions(bank, "ml-fundamentals", 3, hist, random.Random(7), now)] == ids[:3]
    # nine days on, the strong question is due again, but after weaker due ones
    later = choose_questions(bank, "ml-fundamentals", 2, hist, random.Random(7), now + timedelta(days=9))
    assert [p.question.id for p in later] == list(QUESTIONS)


def test_intervals_grow_with_the_score_and_double_with_a_streak():
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)

    def at(*scores):
        return [Attempt("s", "q", t0 + timedelta(days=i), s, "score") for i, s in enumerate(scores)]

    assert due_at(at(1.0))[0] == t0
    assert due_at(at(2.5))[0] == t0 + timedelta(days=1)
    assert due_at(at(3.5))[0] == t0 + timedelta(days=3)
    assert due_at(at(4.5))[0] == t0 + timedelta(days=7)
    assert due_at(at(4.0, 4.5)) == (t0 + timedelta(days=1 + 14), 4.5, 2)  # two good in a row: doubled
    assert due_at(at(4.0, 1.0, 4.5))[2] == 1  # a bad score resets the streak


# --- the commands cli.py registers ------------------------------------------------------------------------
def test_the_session_commands_work_through_their_parser(recorded, root, tmp_path, capsys):
    import argparse

    from voice_interviewer.sessions.commands import add_commands, drill_question_ids

    parser = argparse.ArgumentParser()
    add_commands(parser.add_subparsers())

    def run(*argv) -> str:
        args = parser.parse_args(list(argv) + ["--data-dir", str(root)])
        assert args.func(args) == 0
        return capsys.readouterr().out

    now = datetime.now(timezone.utc)
    _history_root(recorded, root, now)
    assert "20240102-090000-drill" in run("sessions")
    assert load_bank().get(QUESTIONS[1]).question in run("replay", "latest", "--no-audio")
    out = run("report", "20240101", "--format", "json", "-o", str(tmp_path / "r.json"))
    assert json.loads((tmp_path / "r.json").read_text())["session"] == "20240101-090000-drill" and "wrote" in out
    assert "ml-fundamentals" in run("progress", "-o", str(tmp_path))
    assert "<svg" in (tmp_path / "progress.html").read_text()
    with pytest.raises(UserFacingError, match="outside the sessions folder"):
        run("replay", "../x", "--no-audio")
    with pytest.raises(UserFacingError, match="--stt only applies"):
        run("replay", "latest", "--stt", "base")
    ids = drill_question_ids("ml-fundamentals", 3, root, seed=1, echo=lambda *_: None)
    assert ids[0] == QUESTIONS[0] and QUESTIONS[1] not in ids and len(ids) == 3
