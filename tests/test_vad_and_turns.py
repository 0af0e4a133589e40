"""VAD on labelled recordings and the turn detector's three clocks."""

import json

import numpy as np
import pytest

from tests.conftest import load
from voice_interviewer.audio.clip import FRAME_SAMPLES, SAMPLE_RATE, AudioClip
from voice_interviewer.listening.turns import SpeechChunk, SpeechStarted, TurnDetector, TurnEnded, TurnSettings
from voice_interviewer.listening.vad import SpeechDetector


def frame_f1(labels, truth):
    tp = sum(a and b for a, b in zip(labels, truth))
    fp = sum(a and not b for a, b in zip(labels, truth))
    fn = sum(b and not a for a, b in zip(labels, truth))
    return 2 * tp / max(1, 2 * tp + fp + fn)


def test_vad_agrees_with_human_labels(testdata):
    """speechbrain's labelled examples: frame-level F1 well above chance."""
    clip = load(testdata, "vad/speechbrain/valid.wav")
    det = SpeechDetector()
    labels, truth = [], []
    for ex in json.loads((testdata / "vad/speechbrain/VAD_dev.json").read_text()).values():
        sub = AudioClip(clip.samples[ex["wav"]["start"] : ex["wav"]["stop"]])
        spans = [float(x) for x in ex["speech"].split()]
        got = det.label_clip(sub)
        labels += got
        truth += [any(spans[k] <= i * 0.03 + 0.015 < spans[k + 1] for k in range(0, len(spans), 2)) for i in range(len(got))]
    assert sum(truth) > 50
    assert frame_f1(labels, truth) > 0.85


def test_vad_on_ami_meeting_turns(testdata):
    rows = [r.split("\t") for r in (testdata / "vad/speech_segments_from_rttm.tsv").read_text().splitlines()[1:]]
    path = rows[0][0]
    spans = [(float(a), float(b)) for f, a, b in rows if f == path]
    labels = SpeechDetector().label_clip(load(testdata, path))
    truth = [any(a <= i * 0.03 + 0.015 < b for a, b in spans) for i in range(len(labels))]
    assert frame_f1(labels, truth) > 0.6


@pytest.mark.parametrize("name", ["noise1.wav", "noise5.wav", "noise_diffuse_multimic.flac"])
def test_steady_noise_does_not_open_a_turn(testdata, name):
    clip = load(testdata, f"vad/speechbrain/noise/{name}")
    det, turn = SpeechDetector(), TurnDetector(TurnSettings(think_timeout_s=1e9, time_box_s=1e9))
    for frame in clip.frames():
        turn.push(frame, det.is_speech(frame))
    assert not turn.started


def _run(settings, labels):
    """Feed a label pattern (True = speech) as frames of a real voice at speech level."""
    tone = (np.sin(np.arange(FRAME_SAMPLES) * 0.3) * 5000).astype("<i2").tobytes()
    quiet = bytes(FRAME_SAMPLES * 2)
    turn, events = TurnDetector(settings), []
    for is_speech in labels:
        events += turn.push(tone if is_speech else quiet, is_speech)
        if turn.ended:
            break
    return turn, events


def frames(seconds, value):
    return [value] * round(seconds / 0.03)


def test_long_thinking_pause_before_first_word_is_allowed():
    s = TurnSettings(think_timeout_s=15, end_silence_s=2.0)
    turn, events = _run(s, frames(8, False) + frames(2, True) + frames(3, False))
    ends = [e for e in events if isinstance(e, TurnEnded)]
    assert ends and ends[0].reason == "silence"
    started = [e for e in events if isinstance(e, SpeechStarted)][0]
    assert started.t == pytest.approx(8.0, abs=0.05)


def test_pause_inside_answer_shorter_than_patience_keeps_the_turn():
    s = TurnSettings(end_silence_s=2.5, commit_silence_s=0.45)
    turn, events = _run(s, frames(1, True) + frames(1.8, False) + frames(1, True) + frames(0.3, False))
    assert not turn.ended
    chunks = [e for e in events if isinstance(e, SpeechChunk)]
    assert len(chunks) == 1  # the 1.8 s pause committed the first chunk for transcription


def test_no_answer_and_time_box():
    turn, events = _run(TurnSettings(think_timeout_s=5), frames(6, False))
    assert [e.reason for e in events if isinstance(e, TurnEnded)] == ["no_answer"]
    turn, events = _run(TurnSettings(time_box_s=4, end_silence_s=3), frames(10, True))
    assert [e.reason for e in events if isinstance(e, TurnEnded)] == ["time_box"]
    assert any(isinstance(e, SpeechChunk) for e in events)  # the open chunk is flushed, not lost


def test_pre_roll_keeps_the_first_syllable():
    s = TurnSettings(pre_roll_s=0.3)
    turn, events = _run(s, frames(1, False) + frames(1, True) + frames(3, False))
    chunk = next(e for e in events if isinstance(e, SpeechChunk))
    onset = next(e for e in events if isinstance(e, SpeechStarted)).t
    assert onset == pytest.approx(0.99, abs=0.05)
    assert onset - 0.65 <= chunk.start_s <= onset - 0.25  # at least pre_roll_s of lead-in


def test_only_a_bounded_lead_in_of_silence_reaches_whisper():
    s = TurnSettings(end_silence_s=3.0, commit_silence_s=0.45)
    _, events = _run(s, frames(2, False) + frames(1, True) + frames(3, False))
    chunks = [e for e in events if isinstance(e, SpeechChunk)]
    assert len(chunks) == 1  # the 3 s of trailing silence produced no chunk of its own
    lead_in = s.pre_roll_s + s.start_window_s
    assert len(chunks[0].samples) / SAMPLE_RATE <= 1.0 + lead_in + s.commit_silence_s + 0.1


def test_chunks_after_a_pause_never_overlap():
    """The lead-in of a resumed chunk must not repeat audio already sent to Whisper."""
    s = TurnSettings(end_silence_s=3.0, commit_silence_s=0.45, pre_roll_s=0.5)
    _, events = _run(s, frames(1, True) + frames(0.6, False) + frames(1, True) + frames(0.5, False) + frames(1, True))
    chunks = [e for e in events if isinstance(e, SpeechChunk)]
    assert len(chunks) >= 2
    for a, b in zip(chunks, chunks[1:]):
        assert b.start_s >= a.end_s - 1e-6


# --- fast when finished, patient when not (a fake end-of-turn model) ---------------------------
def _st_talk(seconds: float, level: int = 3000) -> list[tuple[bytes, bool]]:
    import numpy as _np

    frame = (_np.ones(480) * level).astype("<i2").tobytes()
    return [(frame, True)] * round(seconds / 0.03)


def _st_quiet(seconds: float) -> list[tuple[bytes, bool]]:
    return [(bytes(960), False)] * round(seconds / 0.03)


def _st_run(detector, stream):
    from voice_interviewer.listening.turns import SpeechChunk, TurnEnded

    chunks, ended = [], None
    for frame, voiced in stream:
        for ev in detector.push(frame, voiced):
            if isinstance(ev, SpeechChunk):
                chunks.append(ev)
            elif isinstance(ev, TurnEnded):
                ended = ev
        if ended:
            break
    return chunks, ended


def test_a_finished_answer_ends_after_the_short_pause():
    from voice_interviewer.listening.turns import TurnDetector, TurnSettings

    asked = []
    det = TurnDetector(TurnSettings(), end_of_turn=lambda audio: asked.append(len(audio)) or 0.99)
    _, ended = _st_run(det, _st_talk(4.0) + _st_quiet(3.0))
    assert ended.reason == "silence" and "finished" in ended.detail
    assert ended.t - ended.speech_end_s == pytest.approx(0.7, abs=0.05)
    assert len(asked) == 1  # once per pause, never per frame


def test_a_click_after_the_last_word_neither_opens_a_chunk_nor_restarts_the_silence_clock():
    from voice_interviewer.listening.turns import TurnDetector, TurnSettings

    det = TurnDetector(TurnSettings(), end_of_turn=lambda audio: 0.99)
    chunks, ended = _st_run(det, _st_talk(4.0) + _st_quiet(0.5) + _st_talk(0.06) + _st_quiet(3.0))
    assert len(chunks) == 1  # the answer; no chunk for Whisper to fill with made-up words from a click
    assert ended.speech_end_s == pytest.approx(4.0, abs=0.05)  # the last real word, not the click
    assert ended.t - ended.speech_end_s == pytest.approx(0.7, abs=0.05)


def test_speech_that_resumes_after_a_pause_is_a_new_chunk_with_its_onset():
    from voice_interviewer.listening.turns import TurnDetector, TurnSettings

    det = TurnDetector(TurnSettings(quick_end_silence_s=5.0))
    chunks, ended = _st_run(det, _st_talk(2.0) + _st_quiet(0.5) + _st_talk(1.0) + _st_quiet(3.0))
    assert len(chunks) == 2
    assert chunks[1].end_s - chunks[1].start_s >= 1.0  # the whole resumed second, onset included
    assert ended.speech_end_s == pytest.approx(3.5, abs=0.05)


def test_an_unfinished_answer_waits_out_the_patience_window():
    from voice_interviewer.listening.turns import TurnDetector, TurnSettings

    det = TurnDetector(TurnSettings(), end_of_turn=lambda audio: 0.2)
    _, ended = _st_run(det, _st_talk(4.0) + _st_quiet(3.0) + _st_talk(1.0) + _st_quiet(4.0))
    assert ended.t - ended.speech_end_s == pytest.approx(3.2, abs=0.05)  # unfinished: patience stretched
    assert ended.speech_end_s > 7.0  # the 3 s thinking pause did not end it
    det = TurnDetector(TurnSettings(unfinished_below=0.5), end_of_turn=lambda audio: 0.7)  # unsure: usual patience
    _, ended = _st_run(det, _st_talk(4.0) + _st_quiet(4.0))
    assert ended.t - ended.speech_end_s == pytest.approx(2.5, abs=0.05)


def test_not_sure_yet_asks_again_on_the_next_frame():
    from voice_interviewer.listening.turns import TurnDetector, TurnSettings

    answers = iter([None, None, 0.99])
    det = TurnDetector(TurnSettings(), end_of_turn=lambda audio: next(answers))
    _, ended = _st_run(det, _st_talk(4.0) + _st_quiet(3.0))
    assert ended.t - ended.speech_end_s == pytest.approx(0.76, abs=0.05)


def test_a_pause_after_an_opening_phrase_is_never_a_quick_end():
    """"And so my fellow Americans, ..." sounded finished to Smart Turn (0.97) live, 2.3 s into the answer."""
    from voice_interviewer.listening.turns import TurnDetector, TurnSettings

    asked = []
    det = TurnDetector(TurnSettings(), end_of_turn=lambda audio: asked.append(1) or 0.99)
    _, ended = _st_run(det, _st_talk(2.3) + _st_quiet(4.0))
    assert not asked and "too early" in ended.detail
    assert ended.t - ended.speech_end_s == pytest.approx(3.2, abs=0.05)  # the stretched patience


def test_fluent_speech_is_committed_every_few_seconds_at_the_quietest_frame():
    from voice_interviewer.listening.turns import TurnDetector, TurnSettings

    stream = _st_talk(1.0)
    for _ in range(4):  # 12 s without a pause, one softer frame per 3 s
        stream += _st_talk(2.4) + _st_talk(0.03, level=200) + _st_talk(0.57)
    det = TurnDetector(TurnSettings(end_silence_s=1.0, quick_end_silence_s=5.0))
    chunks, ended = _st_run(det, stream + _st_quiet(2.0))
    assert len(chunks) >= 3
    assert all(c.end_s - c.start_s <= 4.6 for c in chunks)
    total = sum(len(c.samples) for c in chunks) / 16000
    assert total == pytest.approx(13.0 + 0.3, abs=0.35)  # every frame once: nothing lost, nothing repeated


class _Behind:
    """An IncrementalTranscriber stand-in whose decoding never catches up (a loaded CPU)."""

    idle = False
    partial_text = "and the"


def test_a_lagging_transcript_still_gets_an_audio_verdict():
    """No verdict used to mean the plain patience (2.5 s), which cuts a 3 s thinking pause."""
    from voice_interviewer.listening.listener import text_aware

    asked = []
    judge = text_aware(lambda audio: asked.append(len(audio)) or 0.3, _Behind(), wait_frames=3)
    assert [judge(np.zeros(160, np.int16)) for _ in range(4)] == [None, None, None, 0.3]
    assert asked == [160]  # heard once, at the first ask, while the transcript was still behind
    assert judge(np.zeros(320, np.int16)) is None and asked == [160, 320]  # a new pause: heard again
    later = np.zeros(320, np.int16)
    later[0] = 1000  # a later pause of a long answer: the same 8 s length and the same silent tail
    assert judge(later) is None and asked == [160, 320, 320]  # its own verdict, not the earlier pause's
    det = TurnDetector(TurnSettings(), end_of_turn=text_aware(lambda audio: 0.3, _Behind()))
    _, ended = _st_run(det, _st_talk(2.0) + _st_quiet(4.0))
    assert ended.t - ended.speech_end_s == pytest.approx(3.2, abs=0.05)  # stretched: it sounded unfinished


def test_a_caught_up_transcript_that_ends_mid_sentence_is_never_finished():
    from voice_interviewer.listening.listener import text_aware

    class CaughtUp:
        idle, partial_text = True, "We add a penalty and"

    assert text_aware(lambda audio: 0.99, CaughtUp())(np.zeros(160, np.int16)) == 0.0


@pytest.mark.parametrize("text,unfinished", [
    ("The first books were printed.", False), ("I'm in New Jersey.", False), ("That's it.", False),
    ("It works, though.", False), ("Chicago also.", False),
    ("The Middle Ages brought calligraphy to perfect...", True),  # trailing off
    ("the kind of letter used in the.", True), ("It depends on the ratio of.", True),  # a full stop Whisper
    ("the forms of printed letters should follow more or less closely those of their.", True),  # put on a cut
    ("We add a penalty and", True), ("", True)])
def test_a_transcript_that_stops_mid_sentence_sounds_unfinished(text, unfinished):
    from voice_interviewer.listening.listener import sounds_unfinished

    assert sounds_unfinished(text) == unfinished


@pytest.mark.parametrize("text,dropped", [("We'll see you guys next time.", True), ("Thanks for watching!", True),
                                          ("Thanks for watching guys, have a great week.", True),
                                          ("See you next time", True), ("I'll see you in the results table.", False),
                                          ("The variance goes up next time we add features.", False)])
def test_video_outros_that_whisper_invents_on_breaths_are_dropped(text, dropped):
    from types import SimpleNamespace

    from voice_interviewer.listening.stt import _is_hallucination

    seg = SimpleNamespace(text=text, start=0.0, end=1.0, no_speech_prob=0.1, avg_logprob=-0.3)
    assert _is_hallucination(seg) == dropped


# (text, seconds, no-speech probability, average log-probability, word probabilities): the first four
# were read off tiny.en on Piper answers (breaths between chunks); the rest are real speech.
@pytest.mark.parametrize("text,dur,nsp,logprob,probs,dropped", [
    ("station.", 0.24, 0.52, -1.19, [0.03], True), ("Thanks.", 0.16, 0.50, -1.38, [0.01], True),
    ("Okay.", 0.36, 0.58, -1.32, [0.01], True), (".", 0.10, 0.30, -0.90, [0.20], True),
    ("www.beadaholique.com", 0.80, 0.20, -0.50, [0.5, 0.5], True), ("Welcome to the next video.", 1.0, 0.2, -0.5, [0.6] * 5, True),
    ("Variances.", 0.96, 0.04, -0.35, [0.58], False), ("Um.", 0.06, 0.13, -0.75, [0.30], False),
    ("It's...", 0.46, 0.50, -1.01, [0.36], False), ("Yes.", 0.30, 0.10, -0.40, [0.90], False)])
def test_words_guessed_on_a_breath_are_dropped_and_short_real_replies_kept(text, dur, nsp, logprob, probs, dropped):
    from types import SimpleNamespace

    from voice_interviewer.listening.stt import _is_hallucination

    words = [SimpleNamespace(probability=p) for p in probs]
    seg = SimpleNamespace(text=text, start=0.0, end=dur, no_speech_prob=nsp, avg_logprob=logprob, words=words)
    assert _is_hallucination(seg) == dropped
