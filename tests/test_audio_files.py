"""Reading audio: odd input is converted and said so; bad input is a clear error."""

import wave

import numpy as np
import pytest

from voice_interviewer.audio.clip import SAMPLE_RATE, resample
from voice_interviewer.audio.files import load_audio, write_wav
from voice_interviewer.errors import AudioFileError


def test_wav_at_other_rate_is_resampled(testdata):
    clip = load_audio(testdata / "asr/coqui-tts-ljspeech/wavs/LJ001-0002.wav")  # 22050 Hz
    assert any("22050" in n for n in clip.notes)
    assert clip.duration_s == pytest.approx(1.90, abs=0.05)
    assert clip.samples.dtype == np.int16


def test_stereo_flac_is_mixed_down(testdata):
    clip = load_audio(testdata / "asr/openai-whisper/jfk.flac")
    assert any("channels" in n for n in clip.notes)
    assert clip.duration_s == pytest.approx(11.0, abs=0.1)


def test_stereo_wav_is_mixed_down(tmp_path):
    t = np.arange(SAMPLE_RATE) / SAMPLE_RATE
    left = (np.sin(2 * np.pi * 220 * t) * 8000).astype(np.int16)
    path = tmp_path / "stereo.wav"
    with wave.open(str(path), "wb") as w:
        w.setnchannels(2)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(np.stack([left, left], axis=1).astype("<i2").tobytes())
    clip = load_audio(path)
    assert clip.notes == ("mixed 2 channels down to mono",)
    assert np.abs(clip.samples.astype(int) - left).max() <= 1


def test_corrupt_file_is_a_clear_error(tmp_path):
    bad = tmp_path / "answer.wav"
    bad.write_bytes(b"RIFF\x00\x00\x00\x00WAVEfmt garbage that is not audio" * 3)
    with pytest.raises(AudioFileError) as err:
        load_audio(bad)
    assert "could not be decoded" in err.value.message and "ffmpeg" in err.value.hint


def test_text_file_renamed_to_wav_is_a_clear_error(testdata):
    with pytest.raises(AudioFileError, match="could not be decoded"):
        load_audio(testdata / "vad/speechbrain/noise/noise.csv")


def test_empty_and_missing_files(tmp_path):
    empty = tmp_path / "empty.wav"
    empty.touch()
    with pytest.raises(AudioFileError, match="empty"):
        load_audio(empty)
    with pytest.raises(AudioFileError, match="No such audio file"):
        load_audio(tmp_path / "nope.wav")


def test_wav_with_header_but_no_samples(tmp_path):
    path = write_wav(tmp_path / "zero.wav", np.zeros(0, np.int16))
    with pytest.raises(AudioFileError, match="no audio samples"):
        load_audio(path)


def test_write_read_round_trip(tmp_path):
    samples = (np.random.default_rng(0).standard_normal(4000) * 3000).astype(np.int16)
    clip = load_audio(write_wav(tmp_path / "x.wav", samples))
    assert clip.notes == () and np.array_equal(clip.samples, samples)


def test_resample_keeps_duration():
    x = (np.sin(np.arange(22050) / 10) * 10000).astype(np.int16)
    y = resample(x, 22050, 16000)
    assert abs(len(y) - 16000) < 50
