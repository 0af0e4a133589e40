"""The whole answer decoded again after the turn: the record, the scores and the report read it.

Live, each chunk of an answer is decoded on its own as it comes (the reply never waits); after
the turn the interview decodes the answer again in one piece and publishes transcript_revised.
Fast unit tests of the folding, then the real thing: Whisper on a real recording, and a whole
interview through the virtual device with the real scorer.
"""

import csv
import dataclasses
import json
import time

import numpy as np

from tests.conftest import load
from tests.fakes import FakeEmbedder, ScriptedChannel
from tests.test_interview import run
from voice_interviewer.bus import SessionBus
from voice_interviewer.audio.virtual import VirtualAudioDevice
from voice_interviewer.bank.questions import load_bank
from voice_interviewer.events import (AnswerScored, CandidateTurn, QuestionFinished, QuestionStarted, SegmentRecord,
                                      TranscriptRevised, WordTiming, apply_revisions, parse)
from voice_interviewer.interviewer.interview import Interview, InterviewSettings
from voice_interviewer.interviewer.phrasing import Phraser
from voice_interviewer.interviewer.planning import PlannedQuestion
from voice_interviewer.interviewer.policy import PolicySettings
from voice_interviewer.judging.embeddings import shared_embedder
from voice_interviewer.listening.listener import Listener
from voice_interviewer.listening.stt import Segment, Transcript, better_of
from voice_interviewer.listening.turns import TurnSettings
from voice_interviewer.listening.wer import word_error_rate
from voice_interviewer.scoring import ScoreWorker, make_scorer
from voice_interviewer.sessions.store import load_session, read_events

LONG = "asr/coqui-tts-ljspeech/wavs/LJ001-0001.wav"  # 9.7 s of fluent reading with short pauses


def reference(testdata, rel: str) -> str:
    rows = csv.DictReader(open(testdata / "asr" / "manifest.tsv"), delimiter="\t")
    return next(r["reference"] for r in rows if rel.endswith(r["file"]))


def revision(start: float, text: str, qid: str = "q1") -> TranscriptRevised:
    seg = SegmentRecord(text=text, start=0.5, end=2.0, words=(WordTiming(text=text.split()[0], start=0.5, end=0.9),))
    return TranscriptRevised(question_id=qid, turn_start=start, text=text, segments=(seg,))


# --- folding (fast) ------------------------------------------------------------------------------

def test_a_revision_replaces_its_own_turn_and_keeps_the_live_text():
    first = CandidateTurn(question_id="q1", start=3.25, text="Printing in the only sense. Concerned.")
    second = CandidateTurn(question_id="q1", start=20.5, text="second answer")
    events = [first, second, revision(3.25, "Printing, in the only sense, concerned.")]
    turns = [e for e in apply_revisions(events) if isinstance(e, CandidateTurn)]
    assert turns[0].text == "Printing, in the only sense, concerned."
    assert turns[0].live_text == "Printing in the only sense. Concerned."
    assert turns[0].words[0].text == "Printing,"
    assert turns[1] == second  # another turn (another start) is left alone
    again = [e for e in apply_revisions(apply_revisions(events)) if isinstance(e, CandidateTurn)]
    assert again[0].live_text == first.text  # folding twice (a derived session) keeps the first text


def test_a_revision_of_another_question_changes_nothing():
    turn = CandidateTurn(question_id="q1", start=3.25, text="live")
    assert apply_revisions([turn, revision(3.25, "other words", qid="q2")])[0] == turn


def test_sessions_read_from_disk_carry_the_revised_words(tmp_path):
    lines = [CandidateTurn(question_id="q1", start=1.125, text="live words"), revision(1.125, "revised words")]
    path = tmp_path / "events.jsonl"
    path.write_text("".join(json.dumps(e.to_dict()) + "\n" for e in lines))
    events, bad, _ = read_events(path)
    assert not bad and events[0].text == "revised words" and events[0].live_text == "live words"
    assert isinstance(parse(lines[1].to_dict()), TranscriptRevised)


def test_the_scorer_scores_the_revised_words():
    bank = load_bank()
    q = bank.get("mlf-bias-variance")
    seen, scored = [], []

    def score(item):
        seen.append(item.text)
        return AnswerScored(question_id=item.question.id)

    worker = ScoreWorker(bank.get, score, scored.append)
    for event in (QuestionStarted(question_id=q.id, time_box_s=60), CandidateTurn(question_id=q.id, start=2.0, text="live"),
                  revision(2.0, "bias is underfitting", qid=q.id), QuestionFinished(question_id=q.id)):
        worker(event)
    assert worker.close(30) == 0
    assert seen == ["bias is underfitting"] and len(scored) == 1


def test_a_whole_decode_that_lost_words_is_not_taken():
    live = Transcript("one two three four five six seven eight nine ten", (), "tiny.en")
    short = Transcript("one two three", (), "tiny.en")
    close = Transcript("one two three four five six seven eight nine", (Segment("x", 0, 1),), "tiny.en")
    assert better_of(live, short) is live
    assert better_of(live, close) is close


class RevisingChannel(ScriptedChannel):
    """A scripted candidate whose answers were decoded in chunks; logs when the reply's first sound goes out
    and when the whole decode runs (which says "a penalty" where the chunks heard "a pen. Alty")."""

    def __init__(self, answers):
        super().__init__(answers)
        self.log = []

    def say(self, text, on_first_audio=None):
        time.sleep(0.05)  # voicing the line
        self.log.append(("first sound", text))
        if on_first_audio:
            on_first_audio()
        return super().say(text)

    def hear(self, settings, prompt, on_partial=None, controls=None):
        return dataclasses.replace(super().hear(settings, prompt, on_partial, controls), revisable=True)

    def revise(self, heard, prompt):
        self.log.append(("revise", heard.transcript.text))
        text = heard.transcript.text.replace("a pen. Alty", "a penalty")
        return Transcript(text, (Segment(text, 0.5, 3.0),), "tiny.en", 0.01)


def test_the_whole_decode_waits_for_the_reply_and_the_scorer_waits_for_it():
    """It must not take the CPU from the reply (live, the first sound came 0.4-0.8 s later when it did), nor
    hold up the next question; the scorer, on its own thread, waits for it and scores the final words."""
    from voice_interviewer.scoring.worker import LISTENS_TO

    bank = load_bank()
    q = bank.get("mlf-bias-variance")
    channel = RevisingChannel(["Bias is underfitting and variance is overfitting.", "You add a pen. Alty on the weights."])
    bus = SessionBus(time.monotonic)
    seen, scored_texts = [], []
    bus.subscribe(seen.append)
    worker = ScoreWorker(bank.get, lambda item: scored_texts.append(item.text) or AnswerScored(question_id=q.id),
                         bus.publish)
    bus.subscribe(worker, *LISTENS_TO)
    settings = InterviewSettings(mode="drill", small_talk=False, speculate=False,
                                 policy=PolicySettings(max_follow_ups=1, min_time_for_follow_up_s=5))
    interview = Interview(channel, Phraser(None), FakeEmbedder(), bus, lambda *a: None, settings, time.monotonic)
    worker.settle = interview.settle_question
    interview.run([PlannedQuestion(q, "drill", 60)], None, None)
    assert worker.close(30) == 0 and not worker.errors
    kinds = [what for what, _ in channel.log]
    assert kinds[:3] == ["first sound", "first sound", "revise"]  # the question, the follow-up's first sound, then
    assert channel.log[2][1].startswith("Bias")                   # the first answer's whole decode
    assert kinds.count("revise") == 2  # the last answer is decoded again too (no reply: the session's end lets it run)
    revised = [e for e in seen if isinstance(e, TranscriptRevised)]
    assert [r.text for r in revised] == ["You add a penalty on the weights."]  # the first one's words did not change
    types = [type(e).__name__ for e in seen]
    assert types.index("TranscriptRevised") < types.index("SessionEnded")
    assert scored_texts == ["Bias is underfitting and variance is overfitting. You add a penalty on the weights."]


# --- real Whisper, real recordings -----------------------------------------------------------------

def test_the_whole_decode_gets_the_words_at_the_cuts_right(stt, testdata):
    """The live pass decodes the fluent reading in several chunks (its own full stop at each cut:
    "Printing in the only sense with which we are at present. Concerned."); the whole decode is truer."""
    clip = load(testdata, LONG)
    device = VirtualAudioDevice([clip], think_s=0.5)
    device.play(np.zeros(1600, np.int16), 16000)  # the interviewer's line the answer follows
    device.flush()
    listener = Listener(stt)
    heard = listener.listen(device.frames(), TurnSettings(end_silence_s=3.0, complete_threshold=1.01,
                                                          unfinished_silence_s=0.0), lockstep=True)
    assert heard.revisable and len(heard.chunks) >= 2  # decoded chunk by chunk, as live
    whole = listener.revise(heard)
    ref = reference(testdata, LONG)
    live_wer, whole_wer = word_error_rate(ref, heard.transcript.text), word_error_rate(ref, whole.text)
    assert whole_wer < live_wer, (heard.transcript.text, whole.text)
    assert whole_wer <= 0.1, whole.text
    # times stay on the turn's timeline: the words start and end where the live pass heard them
    assert abs(whole.words[0].start - heard.transcript.words[0].start) < 0.3
    assert abs(whole.words[-1].end - heard.transcript.words[-1].end) < 0.5


def test_an_interview_records_and_scores_the_revised_answer(tmp_path, stt, tts, testdata):
    bank = load_bank()
    q = bank.get("mlf-bias-variance")
    scored_inputs = []
    real_score = make_scorer(shared_embedder())

    def score(item):
        scored_inputs.append(item.text)
        return real_score(item)

    result, folder, _ = run(tmp_path, stt, tts, [load(testdata, LONG), None], [PlannedQuestion(q, "drill", 60)],
                            scorer=score)
    raw = [json.loads(line) for line in (folder / "events.jsonl").read_text().splitlines()]
    kinds = [e["type"] for e in raw]
    assert "transcript_revised" in kinds
    assert kinds.index("transcript_revised") < kinds.index("score")  # the scorer waited for it
    revised = next(e for e in raw if e["type"] == "transcript_revised")
    live = next(e for e in raw if e["type"] == "candidate_turn")
    assert revised["turn_start"] == live["start"] and revised["text"] != live["text"]
    ref = reference(testdata, LONG)
    assert word_error_rate(ref, revised["text"]) < word_error_rate(ref, live["text"])
    turn = next(t for q_ in load_session(folder).questions for t in q_.turns if t.speaker == "candidate")
    assert turn.text == revised["text"] and turn.event.live_text == live["text"]
    assert scored_inputs and scored_inputs[0] == revised["text"]
