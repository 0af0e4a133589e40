"""Clarification requests: "can you repeat that?", "what do you mean by X?", "give me a second".

A candidate who asks one of these has not started answering, so the turn must
not be judged, scored or probed: a person across the table would repeat the
question, say what they meant, or wait. `detect` looks at a whole turn's
transcript and says which of the three it is, if any; `reply` gives the line
to say back (from the bank's own wording and a few templates, no LLM, so it
is instant and never gives the answer away).

Only short turns count. A request inside a real answer ("I'd repeat the
experiment with a holdout set", "what do you mean by fair? I'd start from the
metric...") is part of that answer, so a long turn is never a clarification.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

REPEAT, EXPLAIN, WAIT = "repeat", "explain", "wait"
MAX_WORDS = 16  # longer turns are answers, whatever words they contain
WAIT_THINK_S = 30.0  # after "give me a second": how long the silence before the first word may be
MAX_REQUESTS = 3  # a turn after this many requests is taken as the answer, whatever it says

# Words people put around a request that change nothing about it.
_FILLER = re.compile(r"\b(?:um+|uh+|er+|hmm+|mm+|oh|okay|ok|so|sorry|yeah|well|right|actually|just|"
                     r"please|sir|ma'?am)\b")
_YOU = r"(?:can|could|would|will|do) you(?: mind)?"

_REPEAT = [
    rf"^{_YOU} (?:repeat|say|ask|read)(?:ing)? (?:that|it|the question|this|the last part|what you said)(?: again| once more| one more time)?$",
    rf"^{_YOU} (?:repeat|say that again|say again|rephrase|repeat yourself)$",
    r"^(?:can|could) i (?:hear|have|get) (?:that|the question|it) again$",
    r"^(?:repeat|say) (?:that|the question|it)(?: again)?$",
    r"^(?:pardon(?: me)?|excuse me|come again|say again|what|huh|sorry what|one more time|once more|again)$",
    r"^(?:what|which) (?:was|is) the question(?: again)?$",
    r"^i (?:didn'?t|did not|couldn'?t|could not) (?:catch|hear|get|understand) (?:that|the question|it|you|what you said)"
    r"(?: (?:can|could) you (?:repeat|say) (?:that|it)(?: again)?)?$",
    r"^i (?:missed|lost) (?:that|the question|it|the last part)(?: (?:can|could) you (?:repeat|say) (?:that|it)(?: again)?)?$",
]
_EXPLAIN = [  # the group "term" is what the candidate asked about, when they named it
    r"^what (?:do|did) you mean(?: by| with)?(?: the word| the term)?(?: (?P<term>.+?))?$",
    r"^what does (?P<term>.+?) (?:mean|stand for|refer to)(?: here| in this context| exactly)?$",
    r"^what is meant by (?P<term>.+)$",
    r"^when you say (?P<term>.+?)(?:,)? (?:do|did) you mean .+$",
    r"^by (?P<term>.+?) do you mean .+$",
    rf"^{_YOU} (?:clarify|explain|define)(?: what you mean by| what| the)? (?P<term>.+?)(?: means| is| means here)?$",
    rf"^{_YOU} (?:clarify|explain)(?: that| the question| what you mean)?$",
    r"^(?:i'?m|i am) not sure what you mean(?: by (?P<term>.+?))?$",
    r"^i don'?t (?:understand|follow)(?: the question| what you mean(?: by (?P<term>.+?))?)?$",
    r"^(?:is|are) you asking (?:about|for|whether|if) .+$",
    r"^do you mean .+$",
]
_WAIT = [
    r"^(?:can|could|may) i (?:have|take|get) (?:a|one) (?:second|sec|moment|minute|bit)(?: to think(?: about it)?)?$",
    r"^(?:give|let) me (?:a|one) (?:second|sec|moment|minute|bit)(?: to think(?: about (?:it|that|this))?)?$",
    r"^let me (?:think|think about (?:it|that|this)|think for a (?:second|sec|moment|minute)|gather my thoughts|"
    r"collect my thoughts)$",
    r"^(?:one|a|just a|give me a) (?:second|sec|moment|minute)$",
    r"^(?:hold on|hang on|wait)(?: a (?:second|sec|moment|minute))?$",
    r"^(?:i need|i'?d like) (?:a|one) (?:second|sec|moment|minute)(?: to think(?: about (?:it|that|this))?)?$",
    r"^(?:good|great|interesting|tough|hard) question(?: let me think(?: about (?:it|that|this))?)?$",
]


@dataclass(frozen=True)
class Clarification:
    kind: str  # REPEAT | EXPLAIN | WAIT
    term: str | None = None  # EXPLAIN: the word or phrase they asked about, when they named it


def _normalise(text: str, fillers: bool = True) -> str:
    """Lower case, fillers and punctuation out, one space between words; sentence breaks become spaces,
    so "Sorry. Could you repeat that?" reads as one request."""
    text = text.lower().replace("’", "'")
    text = re.sub(r"[^a-z0-9' ]+", " ", text)
    text = _FILLER.sub(" ", text) if fillers else text
    return " ".join(text.split())


def detect(text: str) -> Clarification | None:
    """The clarification this whole turn asks for, or None when it is (part of) an answer."""
    said = _normalise(text)
    if not said and _normalise(text, fillers=False) in ("sorry", "sorry sorry"):
        return Clarification(REPEAT)  # a bare "Sorry?" asks for the line again
    if not said or len(said.split()) > MAX_WORDS:
        return None
    for kind, patterns in ((REPEAT, _REPEAT), (WAIT, _WAIT), (EXPLAIN, _EXPLAIN)):
        for pattern in patterns:
            m = re.match(pattern, said)
            if m:
                term = m.groupdict().get("term")
                return Clarification(kind, _tidy_term(term) if term else None)
    return None


def _tidy_term(term: str) -> str | None:
    term = re.sub(r"^(?:the|a|an|that|this|your) ", "", term.strip())
    term = re.sub(r" (?:here|exactly|there)$", "", term)
    return term if term and term not in ("that", "it", "this", "question") else None


def reply(request: Clarification, asked: str) -> str:
    """What the interviewer says back; `asked` is the line the candidate was answering."""
    if request.kind == REPEAT:
        return f"Sure. {asked}"
    if request.kind == WAIT:
        return "Of course, take your time."
    if request.term:
        # An interviewer states the intended reading without giving the answer away, and restates the ask.
        return (f"By {request.term} I mean it in the usual machine-learning sense; if you see more than one "
                f"reading, pick one and say which. The question again: {asked}")
    return f"Let me put it another way. {asked} Say what you would assume, and go from there."
