#!/usr/bin/env python
"""Echo and barge-in live, through a userspace PulseAudio (../shared/live-audio/rig.sh).

  * echo: module-loopback speaker.monitor -> micfeed at 300 ms (full level); the interviewer says
    N lines, the candidate stays silent; turns opened by its own voice, mic flushing only
    (headphones mode) vs the echo canceller (speaker mode);
  * barge-in: `paplay` into micfeed 1.5 s into the line; time from the candidate's first sound
    (paplay start + the file's own lead-in) to play() returning. Includes paplay's start-up
    and PulseAudio's buffering, so it is an upper bound.
Writes the "real_rooms_live" section of docs/benchmarks.md (figures, never pass/fail).
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
import bench_common as bc  # noqa: E402
RIG = ROOT.parent / "shared" / "live-audio" / "rig.sh"
T = ROOT.parent / "shared" / "testdata" / "asr"


def main(n: int = 5, rate: int = 48000) -> None:
    folder = tempfile.mkdtemp(prefix="vi-bench-", dir="/tmp")
    subprocess.run(["bash", str(RIG), "start", folder, str(rate)], check=True, capture_output=True)
    for line in subprocess.run(["bash", str(RIG), "env", folder], capture_output=True, text=True).stdout.splitlines():
        k, _, v = line.removeprefix("export ").partition("=")
        if k.startswith(("PULSE", "XDG_")):
            os.environ[k] = v
    reader = subprocess.Popen(["parec", "-d", "speaker.monitor", "--latency-msec=20", "--raw"], stdout=subprocess.DEVNULL)
    from voice_interviewer.audio.duplex import open_duplex
    from voice_interviewer.audio.files import load_audio, write_wav
    from voice_interviewer.listening.listener import Listener
    from voice_interviewer.listening.silero import SileroDetector
    from voice_interviewer.listening.stt import SpeechToText
    from voice_interviewer.listening.turns import TurnSettings

    stt = SpeechToText("tiny.en", device="cpu")
    results: list[str] = []
    listener = Listener(stt)
    lines = [load_audio(p).samples for p in sorted((T / "coqui-tts-ljspeech" / "wavs").glob("*.wav"))[:n]]
    try:
        loop = subprocess.run(["pactl", "load-module", "module-loopback", "source=speaker.monitor", "sink=micfeed",
                               "latency_msec=300"], capture_output=True, text=True).stdout.strip()
        for mode in ("headphones", "speaker"):
            audio = open_duplex(mode)
            opened = 0
            for line in lines:
                audio.play(line, 16000)
                audio.flush()
                heard = listener.listen(audio.frames(), TurnSettings(think_timeout_s=2.0, end_silence_s=1.5))
                opened += heard.first_word_s is not None
                if heard.first_word_s is not None:
                    print(f"  {mode}: opened at {heard.first_word_s:.2f} s: {heard.transcript.text!r}", flush=True)
            audio.close()
            results.append(f"- echo (module-loopback, 300 ms, full level), {mode} mode: **{opened} of {len(lines)}** "
                           "turns opened by the interviewer's own voice")
            print(results[-1], flush=True)
        subprocess.run(["pactl", "unload-module", loop], capture_output=True)
        answer = load_audio(T / "openai-whisper" / "jfk.flac")
        lead = next(i for i, v in enumerate(SileroDetector().label_clip(answer)) if v) * 0.03
        wav = write_wav(Path(folder) / "answer.wav", answer.samples)
        stops = []
        audio = open_duplex("speaker")
        for line in lines:
            started = {}

            def speak():
                time.sleep(1.5)
                started["t"] = time.monotonic()
                subprocess.run(["paplay", "-d", "micfeed", str(wav)])
            th = threading.Thread(target=speak, daemon=True)
            th.start()
            r = audio.play(np.concatenate([line, line]), 16000)
            back = time.monotonic()
            th.join()
            audio.flush()
            if r.interrupted and "t" in started:
                stops.append(back - (started["t"] + lead))
            time.sleep(0.5)
        audio.close()
        results.append(f"- barge-in: playback stopped **{np.median(stops):.2f} s** after the candidate's first sound "
                       f"(median of {len(stops)}, min {min(stops):.2f}, max {max(stops):.2f}; "
                       f"{len(lines) - len(stops)} missed; measured from paplay's start, so an upper bound)")
        print(results[-1])
        head = bc.run_header("Real rooms, live: echo and barge-in through PulseAudio", "bench_live_rig.py",
                             "whisper tiny.en, Silero VAD, Smart Turn v3.2, WebRTC APM",
                             extra=f"- sound server: userspace PulseAudio at {rate} Hz, null sinks (rig.sh), "
                                   "one output stream at 0.2 s latency")
        bc.write_section("real_rooms_live", head + "\n\n" + "\n".join(results))
    finally:
        reader.terminate()
        subprocess.run(["bash", str(RIG), "stop", folder], capture_output=True)


if __name__ == "__main__":
    main()
