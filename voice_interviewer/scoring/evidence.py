"""Where a verdict's evidence sits in the candidate's turns, with times when the words have them.

The judge reads all of a question's turns joined into one text and quotes a stretch of it; the
report and the replay need that stretch back in one turn with start and end times, so the
candidate can hear it. Words are compared the way cues are (lowercase, punctuation dropped),
because Whisper's word tokens and its joined text punctuate differently.
"""

from __future__ import annotations

from voice_interviewer.events import CandidateTurn, Evidence
from voice_interviewer.judging.textchecks import norm

HEAD = 3  # tokens of the evidence that must match where it starts


def _tokens(turn: CandidateTurn) -> list[tuple[str, float | None, float | None]]:
    """The turn's normalised tokens with the times of the word each came from."""
    if turn.words:
        return [(part, w.start, w.end) for w in turn.words for part in norm(w.text).split()]
    return [(part, None, None) for part in norm(turn.text).split()]


def locate(evidence: str | None, turns: tuple[CandidateTurn, ...]) -> Evidence | None:
    if not evidence:
        return None
    wanted = norm(evidence).split()
    head = wanted[:HEAD]
    for i, turn in enumerate(turns):
        toks = _tokens(turn)
        for j in range(len(toks) - len(head) + 1):
            if [t for t, _, _ in toks[j:j + len(head)]] == head:
                last = toks[min(len(toks), j + len(wanted)) - 1]  # a stretch across turns ends with this turn
                return Evidence(text=evidence, start=toks[j][1], end=last[2], turn=i)
    return Evidence(text=evidence)
