"""The browser's audio ends without a browser: framing, blocking play, barge-in."""

from __future__ import annotations

import json
import threading
import time

import numpy as np

from voice_interviewer.audio.clip import FRAME_BYTES
from voice_interviewer.interfaces import AudioSink, AudioSource, PlayResult
from voice_interviewer.web.audio_bridge import BargeInSettings, BrowserSink, BrowserSource, parse_audio_message


def _tone(seconds: float, level: float = 0.3, rate: int = 16000) -> np.ndarray:
    t = np.arange(int(seconds * rate)) / rate
    # a voiced-sounding signal: harmonics of 150 Hz with a 4 Hz syllable rhythm
    voice = sum(np.sin(2 * np.pi * 150 * k * t) / k for k in range(1, 12)) * (0.6 + 0.4 * np.sin(2 * np.pi * 4 * t))
    return (voice / np.abs(voice).max() * level * 32767).astype(np.int16)


def test_source_cuts_any_message_sizes_into_30ms_frames():
    src = BrowserSource()
    assert isinstance(src, AudioSource)
    data = np.arange(16000 // 10 * 3, dtype=np.int16).tobytes()  # 0.3 s
    sizes = [7 * 2, 500 * 2, 1, 1, 900 * 2]
    pos, out = 0, []
    for n in sizes + [len(data)]:
        out += src.feed(data[pos:pos + n])
        pos += n
    assert all(len(f) == FRAME_BYTES for f in out)
    assert b"".join(out) == data[:len(out) * FRAME_BYTES]
    frames = src.frames()
    assert next(frames) == out[0]
    src.flush()
    src.feed(b"\x01\x00" * 480)
    assert next(frames) == b"\x01\x00" * 480  # flushed frames are gone; new ones come through
    src.close()
    assert list(frames) == []  # closing ends the stream: the listener sees the end of input


def test_sink_blocks_until_the_page_reports_played():
    sent = []
    sink = BrowserSink(sent.append)
    assert isinstance(sink, AudioSink)
    result = {}

    def play():
        result["r"] = sink.play(np.zeros(22050, np.int16), 22050)

    t = threading.Thread(target=play)
    t.start()
    time.sleep(0.2)
    assert t.is_alive()  # still "playing"
    play_id, rate, pcm = parse_audio_message(sent[0])
    assert (rate, len(pcm)) == (22050, 22050)
    sink.on_played(play_id + 1, 1.0)  # a stale report is ignored
    time.sleep(0.05)
    assert t.is_alive()
    sink.on_played(play_id, 1.0)
    t.join(2)
    assert result["r"] == PlayResult(1.0, interrupted=False)


def test_speech_during_playback_stops_the_page_and_reports_the_cut():
    sent = []
    sink = BrowserSink(sent.append, BargeInSettings(speech_s=0.3))
    result = {}
    t = threading.Thread(target=lambda: result.update(r=sink.play(np.zeros(16000 * 3, np.int16), 16000)))
    t.start()
    time.sleep(0.1)
    silence = np.zeros(16000, np.int16).tobytes()
    src = BrowserSource()
    sink.on_mic_frames(src.feed(silence))  # quiet room: nothing happens
    assert len(sent) == 1
    sink.on_mic_frames(src.feed(_tone(0.6).tobytes()))
    stop = json.loads(sent[-1])
    assert stop["type"] == "stop_audio"
    sink.on_played(stop["id"], 1.1, interrupted=True)
    t.join(2)
    assert result["r"] == PlayResult(1.1, interrupted=True)


def test_barge_in_can_be_turned_off():
    sent = []
    sink = BrowserSink(sent.append, BargeInSettings(enabled=False))
    t = threading.Thread(target=lambda: sink.play(np.zeros(1600, np.int16), 16000))
    t.start()
    time.sleep(0.05)
    sink.on_mic_frames(BrowserSource().feed(_tone(1.0).tobytes()))
    assert len(sent) == 1  # only the audio
    sink.close()
    t.join(2)
    assert not t.is_alive()


def test_a_page_that_goes_silent_does_not_hang_the_session():
    sink = BrowserSink(lambda m: None, BargeInSettings(stall_s=0.1))
    t0 = time.monotonic()
    result = sink.play(np.zeros(1600, np.int16), 16000)  # 0.1 s line, nobody answers
    assert time.monotonic() - t0 < 1.0
    assert result.played_s == 0.1 and not result.interrupted
