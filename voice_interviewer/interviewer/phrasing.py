"""How the interviewer says a follow-up: phrased by the LLM persona, checked, or taken from the bank.

The LLM gets the fixed persona (cached by llama.cpp) and a short per-turn
prompt naming the gap to probe. Its reply is used only if it passes the
checks: one question, short, spoken English, and not giving the answer away.
Otherwise, or when the endpoint is down or slow, the bank's follow-up is said.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass

from voice_interviewer.errors import LLMUnavailableError
from voice_interviewer.interfaces import ChatModel
from voice_interviewer.paths import PROMPTS_DIR
from voice_interviewer.interviewer.policy import Decision
from voice_interviewer.bank.questions import Question

log = logging.getLogger(__name__)

MAX_WORDS = 30
_STOP = set("a an the of to and or in on for with is are be by it that this as at from your you how what why when which".split())
_GIVEAWAY = re.compile(r"\b(the answer is|the correct|you should have|you forgot|you missed|great answer|good answer|well done|correct!)\b", re.I)


@dataclass(frozen=True)
class FollowUpLine:
    text: str
    source: str  # "llm" | "bank" | "template"
    rejected: str = ""  # why the LLM's phrasing was not used, if it was tried
    llm_s: float = 0.0


def load_prompt(name: str) -> str:
    return (PROMPTS_DIR / name).read_text(encoding="utf-8").strip()


def check_phrasing(text: str, gap_text: str) -> str:
    """'' when the phrasing is usable, else the reason it is not."""
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
    if _GIVEAWAY.search(text):
        return "grades or gives away the answer"
    content = {w for w in re.findall(r"[a-z0-9]+", gap_text.lower()) if w not in _STOP and len(w) > 3}
    said = set(re.findall(r"[a-z0-9]+", text.lower()))
    if content and len(content & said) / len(content) >= 0.6:
        return "restates the key point (gives the answer away)"
    return ""


class Phraser:
    def __init__(self, client: ChatModel | None = None):
        self.client = client  # its endpoint's timeout bounds each phrasing; None: bank lines only
        self.system = load_prompt("persona.md")
        self.template = load_prompt("follow_up.md")

    def messages(self, question: Question, gap: str, answer: str) -> list[dict]:
        tail = " ".join(answer.split()[-25:]) or "(no answer)"  # short: every token costs ~45 ms on 2 cores
        user = self.template.format(question=question.question, gap=gap, answer_tail=tail)
        return [{"role": "system", "content": self.system}, {"role": "user", "content": user}]

    @staticmethod
    def bank_line(question: Question, decision: Decision) -> FollowUpLine:
        """The bank's curated follow-up for the decision, or a plain template when it has none."""
        if decision.bank_follow_up:
            return FollowUpLine(decision.bank_follow_up.text, "bank")
        return FollowUpLine(_template(question, decision), "template")

    def phrase(self, question: Question, decision: Decision, answer: str) -> FollowUpLine:
        gap = question.key_point(decision.key_point).text if decision.key_point else "going one level deeper"
        fallback = self.bank_line(question, decision)
        if self.client is None:
            return fallback
        try:
            reply = self.client.complete(self.messages(question, gap, answer), max_tokens=48, temperature=0.3)
        except LLMUnavailableError as exc:
            log.warning("LLM phrasing unavailable, using the bank's follow-up: %s", exc.message)
            return FollowUpLine(fallback.text, fallback.source, f"endpoint: {exc.message}")
        text = _clean(reply.text)
        why = check_phrasing(text, gap)
        if why:
            log.info("LLM follow-up rejected (%s): %r", why, text)
            return FollowUpLine(fallback.text, fallback.source, why, reply.total_s)
        return FollowUpLine(text, "llm", "", reply.total_s)


def _clean(text: str) -> str:
    text = text.strip().strip('"').strip()
    text = re.sub(r"^(interviewer|sam)\s*:\s*", "", text, flags=re.I)
    return " ".join(text.split())


def _template(question: Question, decision: Decision) -> str:
    topic = question.tags[-1].replace("-", " ") if question.tags else "that"
    return f"Can you take that one step further, specifically on {topic}?"
