#!/usr/bin/env python
"""Live chunks with a shorter Whisper encoder window: word error rate and time per chunk.

Whisper's encoder always sees a 30 s window (faster-whisper pads every chunk to it), and on two CPU
cores that window is ~90% of a live chunk's decode. CTranslate2 accepts a shorter one. This cuts the
10 testdata/asr clips into chunks at pauses as the live listener does (Silero VAD, the turn
detector's 0.3 s commit and 4 s ceiling), decodes each chunk on its own, greedy, no prompt, with the
window cut to N seconds (never shorter than the chunk plus 0.5 s), and reports the WER of the joined
chunks against the dataset's transcripts and the mean time per chunk. The last two rows are the live
path (faster-whisper, word timestamps, the hallucination filters) with the full 30 s window and with
its own short one (stt.LIVE_WINDOW_S).

Printed only (docs/benchmarks.md keeps the figures by hand).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import bench_common as bc  # noqa: E402
from bench_real_rooms import clips, wer_total  # noqa: E402


def decoder(stt):
    """audio (16 kHz int16), window_s -> text, through CTranslate2 directly."""
    import ctranslate2
    from faster_whisper.tokenizer import Tokenizer

    model = stt._model  # the loaded faster-whisper model: its feature extractor, tokenizer and CTranslate2 model
    tok = Tokenizer(model.hf_tokenizer, False, task="transcribe", language="en")
    prompt = list(tok.sot_sequence) + [tok.no_timestamps]

    def decode(audio: np.ndarray, window_s: float) -> str:
        features = model.feature_extractor(audio.astype(np.float32) / 32768.0)
        frames = int(window_s * 100)
        features = features[:, :frames]
        features = np.pad(features, ((0, 0), (0, frames - features.shape[1])))
        batch = ctranslate2.StorageView.from_array(np.ascontiguousarray(features[None], np.float32))
        result = model.model.generate(batch, [prompt], beam_size=1, max_length=200, suppress_blank=True)
        return tok.decode([t for t in result[0].sequences_ids[0] if t < tok.eot]).strip()
    return decode


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--windows", default="30,15,10,8", help="encoder windows to try, in seconds (default %(default)s)")
    args = ap.parse_args()
    from voice_interviewer.listening.silero import SileroDetector
    from voice_interviewer.listening.stt import SpeechToText
    from voice_interviewer.listening.turns import speech_chunks

    stt = SpeechToText("tiny.en", device="cpu")
    items = clips(bc.require_testdata(), n=10)
    refs = [ref for _, ref in items]
    detector = SileroDetector()
    chunked = [[c.samples for c in speech_chunks(clip, detector)] for clip, _ in items]
    n = sum(map(len, chunked))
    print(f"{bc.machine_line()}\n{len(items)} clips, {n} chunks, the longest "
          f"{max(len(c) for cs in chunked for c in cs) / 16000:.1f} s\n")
    decode, rows = decoder(stt), []
    for window in (float(w) for w in args.windows.split(",")):
        t0 = time.perf_counter()
        hyps = [" ".join(decode(c, max(window, len(c) / 16000 + 0.5)) for c in cs) for cs in chunked]
        rows.append([f"CTranslate2, {window:g} s window", bc.pct(wer_total(zip(refs, hyps))),
                     f"{(time.perf_counter() - t0) / n:.3f}"])
    for live_window in (None, stt.live_window_s):
        stt.live_window_s = live_window
        t0 = time.perf_counter()
        live = [" ".join(" ".join(s.text for s in stt.transcribe_greedy(c)[0]) for c in cs) for cs in chunked]
        rows.append([f"faster-whisper, live chunk decode ({live_window or 30:g} s window, word times)",
                     bc.pct(wer_total(zip(refs, live))), f"{(time.perf_counter() - t0) / n:.3f}"])
    print(bc.table(["chunk decode", "WER, chunks joined", "s per chunk"], rows))


if __name__ == "__main__":
    main()
