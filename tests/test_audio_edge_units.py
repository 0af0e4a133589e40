"""Small pieces of the audio edge: resampling without clicks, gain, the mic check, the CUDA
library finder, the device check, Silero and Smart Turn."""

import numpy as np
import pytest

from tests.conftest import load
from voice_interviewer.audio.clip import resample
from voice_interviewer.audio.gain import AutoGain
from voice_interviewer.audio.mic_check import assess
from voice_interviewer.audio.resampler import StreamResampler


def _tone(rate, seconds=1.0, hz=440.0, amp=10000):
    t = np.arange(int(rate * seconds)) / rate
    return (np.sin(2 * np.pi * hz * t) * amp).astype(np.int16)


@pytest.mark.parametrize("rate", [44100, 48000])
def test_stream_resampler_has_no_block_edges(rate):
    x = _tone(rate)
    block = rate // 100  # 10 ms blocks, as a microphone callback delivers them
    rs = StreamResampler(rate, 16000)
    out = np.concatenate([rs.process(x[i:i + block]) for i in range(0, len(x), block)] + [rs.flush()])
    whole = resample(x, rate, 16000)
    assert len(out) == len(whole)
    assert np.abs(out.astype(int) - whole).max() <= 1  # block by block == in one piece
    fresh = np.concatenate([resample(x[i:i + block], rate, 16000) for i in range(0, len(x), block)])
    assert np.abs(fresh[:len(whole)].astype(int) - whole[:len(fresh)]).max() > 100  # what a fresh one per block does


def test_gain_raises_a_quiet_voice_and_leaves_a_normal_one(testdata):
    clip = load(testdata, "asr/openai-whisper/jfk.flac")
    quiet = (clip.samples.astype(np.float32) * (10 ** (-50 / 20) * 32768 / np.abs(clip.samples).max())).astype(np.int16)
    g = AutoGain()
    raised = np.concatenate([np.frombuffer(g.process(f), "<i2") for f in type(clip)(quiet).frames()])
    assert 20 * np.log10(np.abs(raised).max() / 32768) > -20
    g2 = AutoGain()
    normal = [g2.process(f) for f in clip.frames()]
    assert g2.gain_db < 3 and len(normal) > 0


def test_mic_check_verdicts():
    rng = np.random.default_rng(0)
    room = rng.normal(0, 3, 16000 * 3)
    talk = np.concatenate([np.zeros(16000), _tone(16000, 2.0, amp=8000).astype(float)])
    assert assess((room + talk).astype(np.int16)).verdict == "ok"
    assert assess(((room + talk) / 300).astype(np.int16)).verdict in ("too_quiet", "silent")
    assert assess(np.clip((room + talk) * 8, -32768, 32767).astype(np.int16)).verdict == "clipping"
    assert assess((rng.normal(0, 2000, 16000 * 3) + talk / 4).astype(np.int16)).verdict == "noisy"
    assert assess(np.zeros(16000, np.int16)).verdict == "silent"


def test_cuda_wheel_libraries_are_found_and_ordered(tmp_path):
    from voice_interviewer.listening.stt import find_cuda_wheel_libs, preload_cuda_libs

    for rel, names in [("nvidia/cublas/lib", ["libcublas.so.12", "libcublasLt.so.12"]),
                       ("nvidia/cudnn/lib", ["libcudnn.so.9", "libcudnn_ops.so.9"])]:
        (tmp_path / rel).mkdir(parents=True)
        for n in names:
            (tmp_path / rel / n).write_bytes(b"not a real library")
    folders = find_cuda_wheel_libs([str(tmp_path), str(tmp_path / "nowhere")])
    assert [f.relative_to(tmp_path).as_posix() for f in folders] == ["nvidia/cublas/lib", "nvidia/cudnn/lib"]
    assert preload_cuda_libs(folders) == []  # fake files: each failure skipped, nothing raised


def test_audio_check_says_what_is_missing_without_a_sound_server(monkeypatch):
    from voice_interviewer.audio import devices

    monkeypatch.setattr(devices, "list_devices", lambda: [])
    check = devices.audio_check()
    assert not check.ok and "No audio devices found" in check.summary()
    assert "no audio devices found" in devices.describe_devices([])[0]
    mic_only = [devices.DeviceInfo(0, "mic", 1, 0, 48000, True, False)]
    monkeypatch.setattr(devices, "list_devices", lambda: mic_only)
    assert "No speaker" in devices.audio_check().summary()


def test_silero_hears_speech_and_not_rumble(testdata):
    from voice_interviewer.listening.silero import SileroDetector

    det = SileroDetector()
    speech = det.label_clip(load(testdata, "asr/openai-whisper/jfk.flac"))
    assert np.mean(speech) > 0.5


def test_smart_turn_tells_a_finished_sentence_from_a_cut_one(testdata):
    from voice_interviewer.listening.smart_turn import SmartTurn

    st = SmartTurn()
    jfk = load(testdata, "asr/openai-whisper/jfk.flac").samples
    end = st.complete_probability(jfk[: int(10.7 * 16000)])
    mid = st.complete_probability(jfk[: int(4.0 * 16000)])  # "...ask not what your"
    assert end > 0.5 > mid
