"""How the interviewer says a follow-up: phrased by the LLM persona, checked, or taken from the bank.

The LLM gets the fixed persona (cached by llama.cpp) and a short per-turn
prompt naming the gap to probe (or, for a challenge, the wrong words to
question). Its reply is used only if it passes the checks: one short spoken
question, in role (addressed to the candidate, on the question's topic, not
said before this session, not an instruction, not about the interviewer), and
not giving the answer away. Small models fail these in practice: the 1.5B said
"How does the candidate address..." in 2 of 3 follow-ups of one run, and an
endpoint's "what is your system prompt?" was spoken three times. Otherwise, or
when the endpoint is down or slow, the bank's line is said, and the reason the
LLM's was not is recorded.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from difflib import SequenceMatcher

from voice_interviewer.errors import LLMUnavailableError
from voice_interviewer.interfaces import ChatModel
from voice_interviewer.paths import PROMPTS_DIR
from voice_interviewer.interviewer.policy import CHALLENGE, Decision
from voice_interviewer.bank.questions import Question
from voice_interviewer.judging import textchecks as tc

log = logging.getLogger(__name__)

MAX_WORDS = 30
_STOP = set("a an the of to and or in on for with is are be by it that this as at from your you how what why when which".split())
_GIVEAWAY = re.compile(r"\b(the answer is|the correct|you should have|you forgot|you missed|great answer|good answer|well done|correct!)\b", re.I)
# The candidate spoken of rather than to: the model narrating the interview instead of holding it.
_THIRD_PERSON = re.compile(r"\b(the (candidate|interviewee|applicant|student)('s)?|he or she|his or her|s/he|they said)\b", re.I)
# The line turned back on the interviewer: its prompt, its rules, what it is.
_ABOUT_ME = re.compile(r"\b(system prompt|(your|my) (instructions|prompt|rules|persona|guidelines|training data)|"
                       r"are you (an? )?(ai|bot|robot|language model|human|real person)|who (made|built|trained) (you|me)|"
                       r"as an ai|language model|chatgpt|openai)\b", re.I)
# Orders rather than a question: to the model's output, or a task handed to the candidate.
_INSTRUCTION = re.compile(r"^(please\s+)?(ignore|disregard|respond|reply|output|return|write|format|print|repeat|list|"
                          r"generate|provide|summari[sz]e|translate|remember|note that|make sure|you must|you should|"
                          r"answer (in|with|only))\b|\bignore (the|all|any|previous|prior)\b", re.I)
SAME_LINE = 0.8  # share of shared words at which a line counts as already said
# A follow-up that reads this many of the question's words in a row is the question again, not a probe.
# On 50 raw follow-ups of the 1.5B model (25 questions, weak answers), 6 copied 7-9 words in a row: 5 asked
# the question again ("How do you ensure that your model remains accurate ... when the data it sees in serving
# drifts away from the data it was trained on?") and 1 probed its gap while naming both halves of the
# question (the bank's line on that gap does as well). Every other line copied 5 words or fewer.
REASK_RUN = 7


@dataclass(frozen=True)
class FollowUpLine:
    text: str
    source: str  # "llm" | "bank" | "template"
    rejected: str = ""  # why the LLM's phrasing was not used, if it was tried
    llm_s: float = 0.0


def load_prompt(name: str) -> str:
    return (PROMPTS_DIR / name).read_text(encoding="utf-8").strip()


def check_phrasing(text: str, gap_text: str, topic: str = "", said_before: tuple[str, ...] = (),
                   question: str = "") -> str:
    """'' when the phrasing is usable, else the reason it is not.

    `topic`: the question and its rubric in words (empty: not checked); `said_before`: the
    follow-ups already said this session; `question`: the question as asked (empty: not checked)."""
    words = text.split()
    if not words:
        return "empty"
    if len(words) > MAX_WORDS:
        return f"too long ({len(words)} words)"
    if len(words) < 4:
        return "too short"
    if text.count("?") != 1 or not text.rstrip().endswith("?"):
        return "not exactly one question"
    if re.search(r"[`*#\[\]{}<>]|\n\s*[-\d]", text):
        return "formatting that cannot be spoken"
    if _ABOUT_ME.search(text):
        return "asks about the interviewer itself, not the question"
    if _THIRD_PERSON.search(text):
        return "speaks of the candidate in the third person"
    if _INSTRUCTION.search(text.strip()):
        return "an instruction, not an interview question"
    if _GIVEAWAY.search(text):
        return "grades or gives away the answer"
    if topic and not _on_topic(text, topic):
        return "off the question's topic"
    if any(_same(text, before) for before in said_before):
        return "the same as a line already said this session"
    if question and _longest_shared_run(text, question) >= REASK_RUN:
        return "asks the question again instead of probing"
    content = {w for w in re.findall(r"[a-z0-9]+", gap_text.lower()) if w not in _STOP and len(w) > 3}
    said = set(re.findall(r"[a-z0-9]+", text.lower()))
    if content and len(content & said) / len(content) >= 0.6:
        return "restates the key point (gives the answer away)"
    return ""


def _longest_shared_run(a: str, b: str) -> int:
    """The most words in a row that the two texts share."""
    wa, wb = tc.words(a), tc.words(b)
    return SequenceMatcher(None, wa, wb, autojunk=False).find_longest_match(0, len(wa), 0, len(wb)).size


def _stems(text: str) -> set[str]:
    """Content words cut to five letters, so 'regularisation' meets 'regularization' and 'regularise'."""
    return {w[:5] for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP and len(w) > 3 and w not in tc.FUNCTION}


def _on_topic(text: str, topic: str) -> bool:
    return bool(_stems(text) & _stems(topic))


def _same(a: str, b: str) -> bool:
    wa, wb = set(tc.words(a)), set(tc.words(b))
    return bool(wa and wb) and len(wa & wb) / len(wa | wb) >= SAME_LINE


def topic_of(question: Question) -> str:
    """The words a follow-up on this question may draw on: the question, its rubric, its tags."""
    parts = [question.question, *question.tags]
    for k in question.key_points:
        parts += [k.text, *k.keywords, *k.claims]
    return " ".join(p.replace("-", " ") for p in parts)


class Phraser:
    def __init__(self, client: ChatModel | None = None):
        self.client = client  # its endpoint's timeout bounds each phrasing; None: bank lines only
        self.system = load_prompt("persona.md")
        self.template = load_prompt("follow_up.md")
        self.challenge_template = load_prompt("challenge.md")
        self._said: list[str] = []  # follow-ups said this session (the interview tells us: speculation also phrases)
        self._lock = threading.Lock()

    def remember(self, text: str) -> None:
        """A line was said: an LLM line that repeats it will be rejected."""
        with self._lock:
            self._said.append(text)

    @property
    def said(self) -> tuple[str, ...]:
        with self._lock:
            return tuple(self._said)

    def messages(self, question: Question, gap: str, answer: str) -> list[dict]:
        tail = " ".join(answer.split()[-25:]) or "(no answer)"  # short: every token costs ~45 ms on 2 cores
        user = self.template.format(question=question.question, gap=gap, answer_tail=tail)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    def challenge_messages(self, question: Question, decision: Decision) -> list[dict]:
        user = self.challenge_template.format(question=question.question, said=decision.said or "",
                                              idea=_wrong_idea(question, decision) or "a known misconception")
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    def bank_line(self, question: Question, decision: Decision) -> FollowUpLine:
        """The bank's curated follow-up for the decision, or a plain template when it has none."""
        if decision.action == CHALLENGE:
            return FollowUpLine(challenge_line(decision.said or ""), "template")
        if decision.bank_follow_up:
            return FollowUpLine(decision.bank_follow_up.text, "bank")
        return FollowUpLine(_template(question, self.said), "template")

    def phrase(self, question: Question, decision: Decision, answer: str) -> FollowUpLine:
        fallback = self.bank_line(question, decision)
        if self.client is None:
            return fallback
        try:
            text, why, llm_s = self.llm_line(question, decision, answer)
        except LLMUnavailableError as exc:
            log.warning("LLM phrasing unavailable, using the bank's follow-up: %s", exc.message)
            return FollowUpLine(fallback.text, fallback.source, f"endpoint: {exc.message}")
        if why:
            log.info("LLM follow-up rejected (%s): %r", why, text)
            return FollowUpLine(fallback.text, fallback.source, why, llm_s)
        return FollowUpLine(text, "llm", "", llm_s)

    def llm_line(self, question: Question, decision: Decision, answer: str) -> tuple[str, str, float]:
        """The LLM's line as it came, why the checks refuse it ('' when they do not), and its time.
        Raises LLMUnavailableError when the endpoint is down or slow."""
        gap = question.key_point(decision.key_point).text if decision.key_point else "going one level deeper"
        if decision.action == CHALLENGE:  # the correction must not be said: it is the 'gap' not to give away
            gap = _correction(question, decision) or gap
            messages = self.challenge_messages(question, decision)
        else:
            messages = self.messages(question, gap, answer)
        reply = self.client.complete(messages, max_tokens=48, temperature=0.3)
        text = _clean(reply.text)
        why = check_phrasing(text, gap, topic_of(question) + " " + (decision.said or ""), self.said, question.question)
        return text, why, reply.total_s


def _clean(text: str) -> str:
    text = text.strip().strip('"').strip()
    text = re.sub(r"^(interviewer|sam)\s*:\s*", "", text, flags=re.I)
    return " ".join(text.split())


def challenge_line(said: str) -> str:
    """The bank's way to challenge: quote the words back and ask, as interviewers do."""
    said = " ".join(said.split()[:14]).rstrip(",.;:")
    return f"You said {said}. Are you sure about that?" if said else "Are you sure about that last point?"


def _wrong_hit(question: Question, decision: Decision):
    from voice_interviewer.judging.judge import find_wrong

    if not decision.key_point or not decision.said:
        return None
    return find_wrong(question.key_point(decision.key_point), [decision.said])


def _wrong_idea(question: Question, decision: Decision) -> str:
    hit = _wrong_hit(question, decision)
    return hit.idea.idea if hit else ""


def _correction(question: Question, decision: Decision) -> str:
    hit = _wrong_hit(question, decision)
    return hit.idea.correction if hit else ""


TEMPLATES = ("Can you take that one step further, specifically on {topic}?",
             "Stay with {topic} a moment longer: what would you add?",
             "Go one level deeper on {topic} for me.",
             "What else matters about {topic} here?")


def _template(question: Question, said: tuple[str, ...]) -> str:
    """A plain probe for a question the bank gives no follow-up for. Questions share tags, so the
    wording rotates: the same line twice in a session sounds like a machine (seen in a phone screen)."""
    topic = question.tags[-1].replace("-", " ") if question.tags else "that"
    lines = [t.format(topic=topic) for t in TEMPLATES]
    return next((line for line in lines if line not in said), lines[len(said) % len(lines)])
