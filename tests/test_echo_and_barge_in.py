"""Echo cancellation, barge-in and the turn's onset, in a simulated room (no sound server needed)."""

import threading

import numpy as np
import pytest

from tests.conftest import load
from voice_interviewer.audio.edge import EdgeProcessor, EdgeSettings
from voice_interviewer.audio.echo import MicCleaner
from voice_interviewer.audio.virtual import VirtualAudioDevice
from voice_interviewer.listening.listener import Listener
from voice_interviewer.listening.silero import SileroDetector
from voice_interviewer.listening.turns import TurnSettings
from voice_interviewer.listening.wer import word_error_rate

LINE = "asr/coqui-tts-ljspeech/wavs/LJ001-0001.wav"  # ~9.7 s: the interviewer's line
JFK = "asr/openai-whisper/jfk.flac"
SHORT = TurnSettings(think_timeout_s=3.0, end_silence_s=1.5)


def _edge(mode="speaker"):
    return EdgeProcessor(MicCleaner(), SileroDetector(), EdgeSettings(mode=mode))


def _after_the_intro(line) -> EdgeProcessor:
    """An edge whose canceller has heard one line in the room, as in a session once the intro is said."""
    edge = _edge()
    dev = VirtualAudioDevice([None], echo_delay_s=0.3, echo_gain=1.0, edge=edge)
    dev.play(line.samples, 16000)
    dev.flush()
    return edge


class _Passthrough:
    """A canceller that cleans nothing: what reaches the barge-in watch is exactly what the mic heard."""

    def far(self, samples):
        pass

    def near(self, samples):
        return np.asarray(samples, np.int16)


class _LoudIsSpeech:
    def is_speech(self, frame):
        return np.abs(np.frombuffer(frame, "<i2")).max() > 1000


def test_a_fresh_canceller_gives_no_barge_in_until_it_knows_the_room():
    """While the canceller learns the echo path its leaks look like speech: no barge-in in the first
    seconds of the interviewer's voice, and what leaked then is no evidence once it is warm."""
    edge = EdgeProcessor(_Passthrough(), _LoudIsSpeech(), EdgeSettings(canceller_warmup_s=3.0))
    voice, loud, quiet = np.full(480, 3000, np.int16), np.full(480, 5000, np.int16), np.zeros(480, np.int16)
    edge.start_playing()
    onsets = []
    for i in range(200):  # 6 s of the interviewer; the mic is loud in 2.9-3.0 s and again from 4.5 s
        edge.played(voice)
        onsets.append(edge.captured(loud if 97 <= i < 100 or i >= 150 else quiet))
    assert onsets.index(True) == 152  # the third loud frame after 4.5 s, not the moment it was warm (3.0 s)


def test_audio_thrown_away_unplayed_leaves_the_reference_and_the_next_line_gets_a_fresh_canceller():
    """A stopped line's device buffer never sounds: the newest reference goes at once. The canceller,
    whose echo path has moved, still cleans the stopped line's tail; the next line starts with a fresh
    one, which takes no barge-in until it has heard the interviewer for a while."""
    class Recording(_Passthrough):
        taken_back = restarts = 0

        def retract(self, samples):
            self.taken_back += samples

        def restart(self):
            self.restarts += 1

    cleaner = Recording()
    edge = EdgeProcessor(cleaner, _LoudIsSpeech(), EdgeSettings(canceller_warmup_s=3.0))
    voice, loud = np.full(480, 3000, np.int16), np.full(480, 5000, np.int16)
    edge.start_playing()
    for _ in range(110):  # 3.3 s: warm
        edge.played(voice)
    edge.discarded(3200)
    edge.stop_playing()
    assert (cleaner.taken_back, cleaner.restarts) == (3200, 0)  # the tail is still the old one's to clean
    edge.start_playing()
    assert cleaner.restarts == 1
    onsets = []
    for i in range(120):  # loud from the start: leaks until the fresh canceller is warm at 3.0 s
        edge.played(voice)
        onsets.append(edge.captured(loud))
    assert onsets.index(True) == 102  # the third loud frame after it warmed up (frame 99), as when fresh
    edge.stop_playing()
    edge.start_playing()
    assert cleaner.restarts == 1  # once per stop


def test_taking_back_reference_keeps_what_was_played():
    cleaner = MicCleaner()
    cleaner.far(np.arange(1000, dtype=np.int16))
    cleaner.retract(300)
    assert np.array_equal(cleaner._far, np.arange(700, dtype=np.int16))
    cleaner.retract(5000)  # more than is queued: what was consumed already stays consumed
    assert len(cleaner._far) == 0


def test_the_canceller_kept_across_lines_never_hears_itself(stt, testdata):
    """One canceller for a session: after the intro, five more lines with a full-level 300 ms echo."""
    lines = [load(testdata, f"asr/coqui-tts-ljspeech/wavs/LJ001-000{i}.wav") for i in range(1, 7)]
    edge = _after_the_intro(lines[0])
    for line in lines[1:]:
        dev = VirtualAudioDevice([None], echo_delay_s=0.3, echo_gain=1.0, edge=edge)
        assert not dev.play(line.samples, 16000).interrupted
        dev.flush()
        heard = Listener(stt).listen(dev.frames(), SHORT, lockstep=True)
        assert heard.first_word_s is None, heard.transcript.text


def test_full_level_echo_300ms_opens_no_turn_with_the_canceller(stt, testdata):
    line = load(testdata, LINE)
    dev = VirtualAudioDevice([None], echo_delay_s=0.3, echo_gain=1.0, edge=_edge())
    played = dev.play(line.samples, 16000)
    dev.flush()
    heard = Listener(stt).listen(dev.frames(), SHORT, lockstep=True)
    assert not played.interrupted  # its own voice is not taken for a barge-in
    assert heard.end_reason == "no_answer" and heard.transcript.text == ""


def test_without_the_canceller_the_echo_tail_opens_a_turn(stt, testdata):
    """What the live test showed: flushing the mic is not enough with a 300 ms echo path."""
    line = load(testdata, LINE)
    dev = VirtualAudioDevice([None], echo_delay_s=0.3, edge=_edge("headphones"))
    dev.play(line.samples, 16000)
    dev.flush()
    heard = Listener(stt).listen(dev.frames(), SHORT, lockstep=True)
    assert heard.first_word_s is not None and heard.first_word_s < 0.3


def test_barge_in_stops_playback_fast_and_keeps_the_onset(stt, testdata):
    line, answer = load(testdata, LINE), load(testdata, JFK)
    dev = VirtualAudioDevice([answer], echo_delay_s=0.3, barge_in_s=2.0, edge=_after_the_intro(line))
    played = dev.play(line.samples, 16000)
    onset = 2.0 + 0.34  # jfk.flac starts speaking 0.34 s in
    assert played.interrupted
    assert onset < played.played_s <= onset + 0.3  # stopped within 300 ms of the candidate's first sound
    assert dev.play(line.samples, 16000).interrupted  # the rest of the line is not played over them
    dev.flush()
    heard = Listener(stt, end_of_turn=None).listen(dev.frames(), TurnSettings(end_silence_s=2.0), lockstep=True)
    assert heard.first_word_s is not None and heard.first_word_s < 1.2  # the onset was kept, not flushed
    assert "fellow america" in heard.transcript.text.lower()  # the words said over the interviewer
    assert word_error_rate("my fellow Americans ask not what your country can do for you ask what you can do "
                           "for your country", heard.transcript.text) < 0.35


def test_headphones_mode_has_no_barge_in(testdata):
    line, answer = load(testdata, LINE), load(testdata, JFK)
    dev = VirtualAudioDevice([answer], barge_in_s=2.0, edge=_edge("headphones"))
    assert not dev.play(line.samples, 16000).interrupted


def test_listen_joins_the_stt_thread_when_anything_goes_wrong(stt):
    def broken_frames():
        yield bytes(960)
        raise RuntimeError("the microphone went away")

    before = {t.ident for t in threading.enumerate()}
    with pytest.raises(RuntimeError):
        Listener(stt, end_of_turn=None).listen(broken_frames(), SHORT)
    assert not [t for t in threading.enumerate() if t.name == "stt" and t.ident not in before]
