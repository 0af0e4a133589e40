#!/usr/bin/env python3
"""Does prompting Whisper with disfluent text make it keep "um" and "uh"?

Whisper was trained mostly on cleaned transcripts and drops fillers, so filler
counts are a lower bound. The test data has no human transcripts with
fillers, so this measures the mechanism on SYNTHETIC speech: answers with a
known number of fillers, read by the Piper voice, transcribed with the
question-vocabulary prompt alone and with a disfluent prompt prepended.
Reported: fillers recovered out of fillers spoken, and the WER on the words
that are not fillers (a prompt that keeps fillers but garbles words is no gain).
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench_common import add_common_args, run_header, table, write_section  # noqa: E402

ANSWERS = [
    "Um, so bias is the error from a model that is, uh, too simple for the data.",
    "I would, um, look at precision and recall instead of accuracy, uh, because the classes are imbalanced.",
    "Uh, the first thing I'd check is, um, whether the training data leaks the label.",
    "So, um, L2 regularisation shrinks the weights, and, uh, that lowers the variance.",
    "Um, for the A/B test I would randomise by user, uh, not by session.",
    "The model was, uh, fine offline, but, um, online the click-through rate dropped.",
    "Uh, I think I would start with, um, logistic regression as a baseline.",
    "We, um, rolled back the deploy, and, uh, wrote a postmortem the next day.",
]
FILLER = re.compile(r"\b(u+m+|u+h+|e+r+m*|hmm+|mm+)\b", re.I)


def words_without_fillers(text):
    return [w for w in re.sub(r"[^a-z0-9' ]+", " ", FILLER.sub(" ", text.lower())).split()]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--stt", default="tiny.en", choices=["tiny.en", "base"])
    add_common_args(ap)
    args = ap.parse_args()
    from voice_interviewer.listening.wer import word_edits
    from voice_interviewer.audio.clip import resample
    from voice_interviewer.listening.stt import SpeechToText, vocabulary_prompt
    from voice_interviewer.speaking.tts import TextToSpeech
    import tempfile

    tts = TextToSpeech(cache=Path(tempfile.mkdtemp()))
    stt = SpeechToText(args.stt)
    terms = ["bias", "precision", "regularisation", "A/B test", "baseline"]
    prompts = {"vocabulary prompt only (the default)": vocabulary_prompt(terms),
               "disfluent prompt + vocabulary": vocabulary_prompt(terms, keep_fillers=True)}
    rows = []
    for name, prompt in prompts.items():
        spoken = heard = edits = ref_words = 0
        for text in ANSWERS:
            audio = tts.synthesize(text)
            out = " ".join(s.text for s in stt.transcribe(resample(audio.samples, audio.rate), prompt=prompt))
            spoken += len(FILLER.findall(text))
            heard += min(len(FILLER.findall(out)), len(FILLER.findall(text)))
            ref, hyp = words_without_fillers(text), words_without_fillers(out)
            edits += word_edits(ref, hyp)
            ref_words += len(ref)
        rows.append([name, f"{heard}/{spoken}", f"{heard / spoken:.0%}", f"{edits / ref_words:.1%}"])
    tab = table(["Whisper prompt", "fillers kept", "share", "WER without fillers"], rows)
    print(tab)
    body = "\n".join([run_header("Filler words: does a disfluent Whisper prompt keep them?", "bench_fillers.py",
                                 f"stt {args.stt}, piper-joe (SYNTHETIC speech)"), "", tab, "",
                      "Synthetic speech (Piper reading answers with fillers); no human-transcribed disfluent speech is in "
                      "the test data. Piper's 'um' and 'uh' are cleaner than a person's, so real recovery may be lower."])
    if not args.no_doc:
        write_section("bench_fillers", body)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
