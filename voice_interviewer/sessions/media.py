"""Audio embedded in a report as data: URIs, so the page still plays when mailed.

Speech is re-encoded to 32 kbit/s mono MP3 (about a tenth of the wav size;
every browser plays MP3) with the FFmpeg that faster-whisper already brings
(PyAV). Should that fail, the wav goes in as it is: bigger, but it plays.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path

from voice_interviewer.audio.clip import SAMPLE_RATE


def audio_data_uri(path: Path, compress: bool = True) -> str:
    data, mime = None, "audio/wav"
    if compress:
        try:
            data, mime = to_mp3(path), "audio/mpeg"
        except Exception:  # PyAV/FFmpeg differ across platforms: the wav is a safe fallback
            data = None
    if data is None:
        data, mime = Path(path).read_bytes(), "audio/wav"
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def to_mp3(path: Path, bit_rate: int = 32000) -> bytes:
    import av

    from voice_interviewer.audio.files import load_audio

    samples = load_audio(path).samples  # 16 kHz mono int16, whatever the file was
    buf = io.BytesIO()
    with av.open(buf, "w", format="mp3") as out:
        stream = out.add_stream("libmp3lame", rate=SAMPLE_RATE)
        stream.layout = "mono"
        stream.bit_rate = bit_rate
        frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for packet in list(stream.encode(frame)) + list(stream.encode(None)):
            out.mux(packet)
    if not buf.getvalue():
        raise ValueError("the encoder produced nothing")
    return buf.getvalue()
