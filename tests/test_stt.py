"""Speech-to-text on real speech: text, word timings, prompting, silence, incremental decoding."""

import numpy as np
import pytest

from tests.conftest import load
from voice_interviewer.audio.clip import SAMPLE_RATE, AudioClip
from voice_interviewer.listening.wer import word_error_rate
from voice_interviewer.listening.stt import transcribe_clip, vocabulary_prompt

JFK = "And so my fellow Americans, ask not what your country can do for you, ask what you can do for your country."


def test_jfk_incremental_matches_reference(stt, testdata):
    t = transcribe_clip(stt, load(testdata, "asr/openai-whisper/jfk.flac"))
    assert word_error_rate(JFK, t.text) < 0.2
    words = t.words
    assert len(words) >= 18
    assert all(a.start <= b.start for a, b in zip(words, words[1:]))
    assert 0 <= words[0].start and words[-1].end <= 11.2


def test_read_speech_from_manifest(stt, testdata):
    rows = [r.split("\t") for r in (testdata / "asr/manifest.tsv").read_text().splitlines()[1:]]
    row = next(r for r in rows if r[0].endswith("LJ001-0001.wav"))
    t = transcribe_clip(stt, load(testdata, "asr/" + row[0]))
    assert word_error_rate(row[1], t.text) < 0.25


def test_one_shot_and_incremental_agree(stt, testdata):
    clip = load(testdata, "asr/coqui-tts-ljspeech/wavs/LJ001-0005.wav")
    inc = transcribe_clip(stt, clip, incremental=True)
    one = transcribe_clip(stt, clip, incremental=False)
    assert word_error_rate(one.text, inc.text) < 0.2


def test_silence_sends_nothing_to_whisper(stt):
    t = transcribe_clip(stt, AudioClip(np.zeros(SAMPLE_RATE * 5, np.int16)))
    assert t.text == "" and "no speech detected" in t.notes


def test_vocabulary_prompt_is_passed():
    assert "XGBoost" in vocabulary_prompt(["XGBoost", "AUC"])
    assert vocabulary_prompt(None) is None
    assert "Um," in vocabulary_prompt(None, keep_fillers=True)  # the disfluent style that keeps fillers


class _Seg:
    def __init__(self, text, word_ends=()):
        self.text, self.words = text, [type("W", (), {"end": e})() for e in word_ends]


def test_decoding_stops_once_the_words_reach_the_end_of_the_chunk():
    """With word times on, faster-whisper decodes the chunk's trailing pause again (slow, and it makes
    words up); the segments generator is not read past the chunk's last words."""
    from voice_interviewer.listening.stt import _first_pass

    def segments():
        yield _Seg("in the early middle ages.", (0.4, 1.2, 1.9))
        raise AssertionError("the second decode must not run")

    assert [s.text for s in _first_pass(segments(), audio_s=2.2)] == ["in the early middle ages."]
    more = [_Seg("one", (0.5,)), _Seg("two", (3.0,)), _Seg("three", (5.8,))]  # speech to the end: all kept
    assert len(_first_pass(iter(more), audio_s=6.0)) == 3


def test_more_words_than_anyone_can_say_are_dropped():
    from voice_interviewer.listening.stt import max_tokens, too_many_words

    leak = [_Seg("The Gudenburg or 42 line Bible."), _Seg("The Gudenburg or 42 line Bible.")]
    assert too_many_words(leak, audio_s=0.21)
    assert not too_many_words([_Seg("Yes, exactly.")], audio_s=0.4)
    assert not too_many_words([_Seg(" ".join(["word"] * 20))], audio_s=4.0)  # 5 words a second: fast, real
    assert max_tokens(0.2) < 20 and max_tokens(4.0) >= 4 * 5 * 2 and max_tokens(60.0) <= 440


def _scored(compression=1.5, logprob=-0.3, no_speech=0.05):
    return type("S", (), {"compression_ratio": compression, "avg_logprob": logprob, "no_speech_prob": no_speech})()


def test_which_greedy_decodes_whisper_would_have_retried():
    from voice_interviewer.listening.stt import _would_fall_back

    assert not _would_fall_back(_scored())  # a confident decode
    assert _would_fall_back(_scored(compression=3.1))  # repeating itself
    assert _would_fall_back(_scored(logprob=-1.4))  # unsure words on speech
    assert not _would_fall_back(_scored(logprob=-1.4, no_speech=0.8))  # unsure on what is mostly silence


def test_live_chunks_are_greedy_and_the_whole_decode_keeps_the_fallback(stt, testdata):
    """A chunk's decode never samples at higher temperatures (1.2-1.4 s instead of 0.3 s, the reply
    waiting); the whole decode after the turn still may."""
    from voice_interviewer.listening.stt import IncrementalTranscriber, decode_whole, speech_chunks
    from voice_interviewer.listening.vad import default_detector

    calls = []
    real = stt._model.transcribe

    def spy(audio, **kw):
        calls.append(kw.get("temperature"))
        return real(audio, **kw)

    clip = load(testdata, "asr/openai-whisper/jfk.flac")
    chunks = speech_chunks(clip, default_detector())
    stt._model.transcribe = spy
    try:
        inc = IncrementalTranscriber(stt)
        for c in chunks:
            inc.submit(c, wait=True)
        live = inc.finish()
        whole = decode_whole(stt, chunks)
    finally:
        del stt._model.transcribe
    assert len(chunks) >= 2 and inc.decodes == len(chunks) and inc.revisable
    assert calls[:-1] == [0.0] * inc.decodes and calls[-1] is None  # None: faster-whisper's fallback ladder
    assert word_error_rate(JFK, live.text) < 0.3 and word_error_rate(JFK, whole.text) < 0.2


class _OneUnsureDecode:
    name = "fake"

    def transcribe_greedy(self, audio, prompt=None):
        from voice_interviewer.listening.stt import Segment

        return [Segment("variance", 0.0, 0.5)], True


def test_one_chunk_is_decoded_again_when_whisper_was_unsure():
    from voice_interviewer.listening.stt import IncrementalTranscriber
    from voice_interviewer.listening.turns import SpeechChunk

    inc = IncrementalTranscriber(_OneUnsureDecode())
    inc.submit(SpeechChunk(0.0, 0.5, np.zeros(8000, np.int16)), wait=True)
    assert inc.finish().text == "variance" and inc.decodes == 1 and inc.revisable


def test_live_chunks_encode_a_short_window_and_hear_the_same_words(stt, testdata, monkeypatch):
    """A live chunk's encoder sees 20 s, not Whisper's padded 30 s (the encoder was ~90% of a chunk's
    decode on a CPU); the words and their times still come out, and a whole decode keeps 30 s."""
    import faster_whisper

    seen = []
    real = faster_whisper.WhisperModel.encode
    monkeypatch.setattr(faster_whisper.WhisperModel, "encode", lambda self, f: seen.append(f.shape[-1]) or real(self, f))
    chunk = load(testdata, "asr/openai-whisper/jfk.flac").samples[: SAMPLE_RATE * 4]  # "And so my fellow Americans"
    segments, _ = stt.transcribe_greedy(chunk)
    assert seen == [2000]
    short = " ".join(s.text for s in segments)
    assert word_error_rate("And so my fellow Americans", short) < 0.25, short
    assert segments[0].words and segments[-1].words[-1].end <= 4.0
    stt.transcribe(chunk)
    assert seen[1:] == [3000]
