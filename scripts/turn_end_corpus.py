"""Real recordings cut into finished answers and thinking pauses, for the end-of-turn benchmarks.

An answer is *finished* when its reference text (the dataset's own transcript, written long before any
detector here ran) ends a sentence. LJSpeech splits sentences across clips, so consecutive clips are
joined until one ends with . ? or !: a clip that stops at a comma is not a finished answer, and the
join between two clips of one sentence is a pause the reader really made mid-sentence. Conversational
turns (pyannote's sample, AMI) and the JFK clip end sentences as they are.

Pauses come three ways:
  * "joined": the reader's own pause between two clips of one sentence (natural prosody);
  * "word": silence inserted at a random word boundary inside a finished answer (the issue's test);
  * "sentence": silence inserted after a sentence that is not the last one (the hard case: words and
    intonation both say "finished", only what comes next says otherwise).
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from voice_interviewer.audio.clip import SAMPLE_RATE
from voice_interviewer.audio.files import load_audio

SENTENCE_END = (".", "?", "!")
# Conversational turns whose transcript has no punctuation but which are whole utterances.
WHOLE_UTTERANCES = {"lhotse/ami_segments/ES2011a_seg0.wav", "lhotse/ami_segments/ES2011a_seg1.wav",
                    "lhotse/2412-153948-0000.flac"}


@dataclass(frozen=True, eq=False)
class Answer:
    name: str
    samples: np.ndarray  # 16 kHz int16
    text: str
    joins_s: tuple[float, ...] = ()  # where one clip of a sentence ends and the next begins

    @property
    def duration_s(self) -> float:
        return len(self.samples) / SAMPLE_RATE


def _rows(root: Path) -> list[dict]:
    return list(csv.DictReader(open(root / "asr" / "manifest.tsv"), delimiter="\t"))


def finished_answers(root: Path) -> list[Answer]:
    """Whole sentences from testdata/asr: LJSpeech clips joined into sentences, plus the rest."""
    answers, group = [], []
    for row in _rows(root):
        name, text = row["file"], row["reference"].strip()
        if name.startswith("coqui-tts-ljspeech/"):
            group.append((name, text))
            if text.endswith(SENTENCE_END):
                answers.append(_join(root, group))
                group = []
        elif text.endswith(SENTENCE_END) or name in WHOLE_UTTERANCES:
            answers.append(Answer(Path(name).stem, load_audio(root / "asr" / name).samples, text))
    return answers


def _join(root: Path, group: list[tuple[str, str]]) -> Answer:
    parts, joins, t = [], [], 0.0
    for name, _ in group:
        samples = load_audio(root / "asr" / name).samples
        parts.append(samples)
        t += len(samples) / SAMPLE_RATE
        joins.append(t)
    stems = [Path(n).stem for n, _ in group]
    label = stems[0] if len(stems) == 1 else f"{stems[0]}..{stems[-1][-4:]}"
    return Answer(label, np.concatenate(parts), " ".join(x for _, x in group), tuple(joins[:-1]))


def with_silence(samples: np.ndarray, at_s: float, pause_s: float) -> np.ndarray:
    i = int(at_s * SAMPLE_RATE)
    return np.concatenate([samples[:i], np.zeros(int(pause_s * SAMPLE_RATE), np.int16), samples[i:]])


def word_boundary(words, rng: random.Random) -> float | None:
    """A random word end inside the answer (not in its first two or last three words)."""
    inner = words[2:-3]
    return rng.choice(inner).end if inner else None


def sentence_boundaries(words) -> list[float]:
    """Ends of sentences other than the last, from the recogniser's punctuation."""
    return [w.end for w in words[:-2] if w.text.strip().endswith(SENTENCE_END)]
