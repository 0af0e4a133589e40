"""The conversation: ask, listen, measure coverage, probe or move on, keep time.

One Interview runs a planned list of questions over a channel (voice or
text). Every line said, every answer heard, every coverage measurement and
every follow-up decision (with its reason) goes to the session recorder as
it happens. A follow-up (or the move to the next question) that the candidate
cuts into within its first seconds is withdrawn: they were still answering,
and their next turn continues the answer.
"""

from __future__ import annotations

import concurrent.futures as cf
import dataclasses
import logging
import random
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from voice_interviewer.bank.questions import Question
from voice_interviewer.bus import SessionBus
from voice_interviewer.events import (CandidateTurn, DecisionMade, FollowUpWithdrawn, Latency, LineSaid,
                                      ListeningStarted, Note, PartialTranscript, QuestionFinished, QuestionStarted,
                                      SegmentRecord, SessionEnded, SessionStarted, SpeechActivity, TranscriptRevised)
from voice_interviewer.interfaces import Embedder
from voice_interviewer.interviewer import clarify
from voice_interviewer.interviewer.planning import PlannedQuestion
from voice_interviewer.interviewer.phrasing import FollowUpLine, Phraser
from voice_interviewer.interviewer.policy import CHALLENGE, MOVE_ON, Decision, PolicySettings, decide, probe_mark
from voice_interviewer.interviewer.speculation import Speculator
from voice_interviewer.judging import coverage as cov
from voice_interviewer.listening.stt import vocabulary_prompt
from voice_interviewer.listening.turns import TurnSettings

log = logging.getLogger(__name__)

TRANSITIONS = ["Thanks. Next one.", "Okay, moving on.", "Got it. Let's switch topics.", "Thanks for that. Next question."]
CUT_IN = "Let's pause there, we're at time on that one."
MAX_TAKE_BACKS = 2  # per question: after that, a cut-in is an ordinary barge-in answer to the line
REVISION_WAIT_S = 10.0  # the longest wait for a question's whole decodes (by the scorer, or at the session's end)
REPLY_WAIT_S = 5.0  # a whole decode waits for the reply's first sound at most this long
SaveAudio = Callable[[str, np.ndarray, int], "str | None"]


class EndOfInput(Exception):
    """The candidate's input ran out (end of typed input): the session ends normally."""


@dataclass(frozen=True)
class InterviewSettings:
    mode: str  # "drill" | "phone-screen"
    total_s: float | None = None  # whole-session budget (phone screen)
    think_timeout_s: float = 15.0
    answer_patience_s: float = 2.5
    policy: PolicySettings = PolicySettings()
    small_talk: bool = True
    speculate: bool = True  # prepare the follow-up while the candidate talks
    llm_wait_s: float = 1.0  # at the turn's end, how long to wait for an LLM phrasing still in flight
    # A candidate who speaks within the first 1.5 s of a follow-up or transition has not heard it: they were still
    # answering (the turn ended on a thinking pause), so the line is withdrawn. 0 turns it off.
    take_back_s: float = 1.5


@dataclass(frozen=True)
class InterviewResult:
    status: str
    answers_saved: int
    follow_up_sources: dict = field(default_factory=dict)
    session_dir: str = ""  # filled in by the session that owns the recorder


@dataclass
class _Question:
    """What one question's conversation has gathered so far."""

    item: PlannedQuestion
    started: float
    heard: list = field(default_factory=list)  # the listener's HeardAnswer per turn
    probed: list[str] = field(default_factory=list)
    asked: str = ""  # the line the candidate is answering (the question, then each follow-up)
    taken_back: int = 0  # lines withdrawn because the candidate went on
    transition: bool = False  # moving on says a transition to the next question (which can be taken back too)

    @property
    def transcripts(self) -> list:
        return [h.transcript for h in self.heard]


class Interview:
    """Asks, listens, judges, decides and speaks; publishes every step on the bus.

    Everything it needs is handed in: the channel (audio or text), the phraser
    (with or without an LLM), the embedder for coverage, the bus, and where to
    save audio. It owns no thread that outlives run().
    """

    def __init__(self, channel, phraser: Phraser, embedder: Embedder, bus: SessionBus, save_audio: SaveAudio,
                 settings: InterviewSettings, clock: Callable[[], float], controls=None, editor=None):
        self.channel, self.phraser, self.embedder, self.bus = channel, phraser, embedder, bus
        self.save_audio, self.s, self.clock, self.controls = save_audio, settings, clock, controls
        self.editor = editor  # a CodeEditor for coding problems (coding_round.py)
        self._t0 = clock()
        self._latency: dict | None = None  # timings since the last turn was decided, until we speak
        self._speculators: list[Speculator] = []  # joined when the session ends
        self._sources: dict[str, int] = {}
        self._answers = 0
        # One thread decodes each finished answer again in one piece while the interviewer replies (Listener.revise)
        self._reviser = cf.ThreadPoolExecutor(max_workers=1, thread_name_prefix="revise")
        self._revisions: dict[str, list[cf.Future]] = {}  # question id -> its answers' whole decodes
        # Set as the reply's first sound goes out: a whole decode started at the turn's end took the CPU from the
        # reply (live, 0.4-0.8 s more to the first sound when Piper had to voice the line); while it plays, it is free.
        self._replying = threading.Event()
        self._state: _Question | None = None  # the question in conversation, whose answers a revision updates

    # --- speaking and listening --------------------------------------------------
    def time_left(self) -> float:
        return float("inf") if self.s.total_s is None else self.s.total_s - (self.clock() - self._t0)

    def say(self, text: str, kind: str, question_id: str | None = None, line: FollowUpLine | None = None,
            key_point: str | None = None) -> float | None:
        """Speak and record the line; returns how much of it played before the candidate cut in (None: all)."""
        start = self.bus.now()
        t_call = time.perf_counter()
        self.bus.publish(SpeechActivity(speaker="interviewer", active=True, text=text))
        try:
            spoken = self.channel.say(text, on_first_audio=self._replying.set)
        finally:
            self.bus.publish(SpeechActivity(speaker="interviewer", active=False))
        latency = None
        if self._latency is not None:  # the first thing said after a turn: what the reply cost
            latency, self._latency = self._reply_latency(self._latency, spoken.first_audio_wall, t_call), None
        self.bus.publish(LineSaid(
            kind=kind, question_id=question_id, text=text, start=start, end=self.bus.now(),
            audio=self.save_audio("interviewer", spoken.audio, spoken.rate), latency=latency, heard_s=spoken.heard_s,
            source=line.source if line else None, rejected=(line.rejected or None) if line else None,
            llm_s=round(line.llm_s, 3) if line else None, key_point=key_point))
        return spoken.heard_s

    @staticmethod
    def _reply_latency(lat: dict, first_audio_wall: float, t_call: float) -> Latency:
        response = first_audio_wall - lat["decided_wall"]
        silence = lat["silence_s"]  # from the last word to the decision, on the audio clock
        return Latency(stt_s=_r(lat["stt_s"]), choice_s=_r(lat.get("choice_s")), llm_wait_s=_r(lat.get("llm_wait_s")),
                       tts_s=_r(first_audio_wall - t_call), response_s=_r(response),
                       gap_s=_r(silence + response) if silence is not None else None)

    def hear(self, q: Question, time_box_s: float, kind: str, speculator: Speculator | None,
             think_s: float | None = None):
        patience = self.s.answer_patience_s
        # --patience sets the plain silence window; an answer that sounds unfinished never gets less
        # than the stretched default (thinking pauses of up to 3 s must survive)
        think_s = think_s or self.s.think_timeout_s
        settings = TurnSettings(think_timeout_s=min(think_s, time_box_s), end_silence_s=patience,
                                unfinished_silence_s=max(TurnSettings.unfinished_silence_s, patience),
                                time_box_s=time_box_s)
        self.bus.publish(ListeningStarted(question_id=q.id, kind=kind, time_box_s=time_box_s,
                                          think_timeout_s=settings.think_timeout_s))
        start = self.bus.now()

        def on_partial(text: str) -> None:
            self.bus.publish(PartialTranscript(question_id=q.id, text=text))
            if speculator:
                speculator.on_partial(text)

        prompt = vocabulary_prompt(q.vocabulary)
        heard = self.channel.hear(settings, prompt, on_partial=on_partial, controls=self.controls)
        if heard.end_reason == "end_of_input":
            raise EndOfInput
        silence = heard.decided_s - heard.speech_end_s if heard.speech_end_s is not None else None
        self._latency = {"decided_wall": heard.decided_wall, "stt_s": heard.tail_wait_s, "silence_s": silence}
        asking = clarify.detect(heard.transcript.text) is not None  # recorded, never scored as the answer
        turn = self.bus.publish(CandidateTurn(
            kind="clarification" if asking else kind, question_id=q.id, start=start, end=self.bus.now(),
            text=heard.transcript.text,
            end_reason=heard.end_reason, audio=self.save_audio("candidate", heard.samples, 16000),
            first_word_s=heard.first_word_s, speech_end_s=heard.speech_end_s, decided_s=heard.decided_s,
            tail_wait_s=round(heard.tail_wait_s, 3), stt_model=heard.transcript.model,
            segments=SegmentRecord.from_transcript(heard.transcript), end_detail=heard.end_detail,
            complete_prob=_r(heard.complete_prob), gain_db=round(heard.gain_db, 1) if len(heard.samples) else None))
        if heard.revisable and hasattr(self.channel, "revise"):
            self._replying.clear()
            self._revisions.setdefault(q.id, []).append(self._reviser.submit(self._revise, turn, heard, prompt))
        if (heard.transcript.text or len(heard.samples)) and not asking:
            self._answers += 1
        if heard.end_reason == "stopped":
            raise KeyboardInterrupt
        return heard

    def _revise(self, turn: CandidateTurn, heard, prompt: str | None) -> None:
        """On the reviser thread: the whole answer decoded again; published when its words differ, and
        the conversation's later coverage reads it too."""
        self._replying.wait(REPLY_WAIT_S)
        better = self.channel.revise(heard, prompt)
        if better is None or better.text == turn.text:
            return
        self.bus.publish(TranscriptRevised(question_id=turn.question_id, turn_start=turn.start, text=better.text,
                                           segments=SegmentRecord.from_transcript(better),
                                           decode_s=round(better.decode_s, 3)))
        state = self._state
        for i, h in enumerate(list(state.heard) if state else ()):
            if h is heard:
                state.heard[i] = dataclasses.replace(heard, transcript=better)

    def settle_question(self, question_id: str) -> None:
        """Returns once the whole decodes of that question's answers are published (or REVISION_WAIT_S
        passed): the scorer calls it on its own thread, so that it scores the final words while the
        conversation goes on (they run as the next line plays)."""
        _wait(self._revisions.get(question_id, []))

    def _settle_revisions(self) -> None:
        """At the session's end: no reply is coming, so every whole decode may run now; wait for them."""
        self._replying.set()
        _wait([f for futures in list(self._revisions.values()) for f in futures])

    # --- the loop --------------------------------------------------------------
    def run(self, plan: list[PlannedQuestion], intro: str | None, outro: str | None) -> InterviewResult:
        self.bus.publish(SessionStarted(mode=self.s.mode, plan=tuple(p.question.id for p in plan)))
        status = "completed"
        try:
            self.channel.prepare([plan[0].question.question] + TRANSITIONS + [CUT_IN] if plan else [])
            if intro:
                self.say(intro, "intro")
            for i, item in enumerate(plan):
                if i + 1 < len(plan):  # while this question runs, voice the next one
                    self.channel.prepare([plan[i + 1].question.question])
                if self.time_left() < 30:
                    self.bus.publish(Note(text="session time is up"))
                    break
                if self.channel.exhausted:
                    self.bus.publish(Note(text="the recorded candidate has no more answers"))
                    status = "completed (out of recorded answers)"
                    break
                self.ask(item, number=i + 1, of=len(plan))
            if outro:
                self.say(outro, "outro")
        except EndOfInput:
            status = "completed (end of typed input)"
            self.bus.publish(Note(text="the typed input ended; the session is complete"))
        except KeyboardInterrupt:
            status = "interrupted"
            self.bus.publish(Note(text="stopped by the user; everything so far is saved"))
        finally:
            for spec in self._speculators:
                spec.join()
            self._settle_revisions()
            self._reviser.shutdown(wait=True)
        self.bus.publish(SessionEnded(status=status, answers_saved=self._answers, follow_up_sources=dict(self._sources)))
        return InterviewResult(status, self._answers, dict(self._sources))

    def ask(self, item: PlannedQuestion, number: int, of: int) -> None:
        q = item.question
        transition = number < of and self.s.small_talk  # moving on says a line to the next question
        self.bus.publish(QuestionStarted(question_id=q.id, stage=item.stage, time_box_s=item.time_box_s,
                                         number=number, of=of))
        try:
            if item.problem is not None:  # a coding problem: its own conversation
                from voice_interviewer.interviewer.coding_round import CodingRound

                CodingRound(self, item, self.editor).run()
            else:
                self.say(q.question, "question", q.id)
                self._converse(_Question(item, self.clock(), transition=transition))
        finally:  # also after Ctrl-C: the scorer scores what was said
            self.bus.publish(QuestionFinished(question_id=q.id))
        if transition and item.problem is not None:
            self.say(random.choice(TRANSITIONS), "transition")  # a conversation says its own (_moved_on_too_soon)

    def _budget(self, state: _Question) -> Callable[[], float]:
        return lambda: min(self.time_left(), state.item.time_box_s * 2.5 - (self.clock() - state.started))

    def _policy(self, item: PlannedQuestion) -> PolicySettings:
        """The session's policy, with the stage's follow-up cap (rapid-fire fundamentals get one at most)."""
        if item.follow_ups is None:
            return self.s.policy
        return dataclasses.replace(self.s.policy, max_follow_ups=min(item.follow_ups, self.s.policy.max_follow_ups))

    def _speculator(self, state: _Question) -> Speculator | None:
        voice = getattr(self.channel, "tts", None)
        if not self.s.speculate or voice is None:
            return None
        spec = Speculator(state.item.question, self.phraser, voice, self.embedder, self._policy(state.item), state.probed,
                          state.transcripts, self._budget(state))
        self._speculators.append(spec)
        return spec

    def _converse(self, state: _Question) -> None:
        q, item = state.item.question, state.item
        self._state = state
        spec = self._speculator(state)
        state.asked, kind = q.question, "answer"
        state.heard.append(self._hear_answer(state, _time_box(item, kind), kind, spec))
        while True:
            t_choice = time.perf_counter()
            heard = state.heard[-1]
            if heard.end_reason == "time_box":
                self.say(CUT_IN, "cut_in", q.id)
            coverage = self.bus.publish(cov.measure(q, state.transcripts, self.embedder))
            decision = decide(q, coverage, state.probed, len(state.probed), self._budget(state)(), heard.end_reason,
                              self._policy(item))
            self.bus.publish(DecisionMade(question_id=q.id, action=decision.action, key_point=decision.key_point,
                                          reason=decision.reason, speculated=tuple(spec.guesses) if spec else None))
            if self._latency is not None:
                self._latency["choice_s"] = time.perf_counter() - t_choice
            asked = decision.action != MOVE_ON and self._follow_up(state, decision, spec)  # takes the prepared line
            if spec:
                spec.close()
            if decision.action == MOVE_ON and not self._moved_on_too_soon(state):
                break
            if asked:  # else it was withdrawn: the next turn goes on with the answer it interrupted
                kind = "follow_up_answer"
            spec = self._speculator(state)
            state.heard.append(self._hear_answer(state, _time_box(item, kind), kind, spec))

    def _hear_answer(self, state: _Question, time_box_s: float, kind: str, spec: Speculator | None):
        """hear(), answering "can you repeat that?", "what do you mean by X?" and "give me a second"
        as a person would (a few times at most) until the candidate answers."""
        q, think_s = state.item.question, None
        for requests in range(clarify.MAX_REQUESTS + 1):
            heard = self.hear(q, time_box_s, kind, spec, think_s)
            request = clarify.detect(heard.transcript.text)
            if request is None or requests == clarify.MAX_REQUESTS or heard.end_reason in ("time_box", "stopped"):
                return heard
            self._latency = None  # the reply to a clarification is not a follow-up's reply gap
            self.say(clarify.reply(request, state.asked), "clarification", q.id)
            think_s = clarify.WAIT_THINK_S if request.kind == clarify.WAIT else None
        raise AssertionError("unreachable: the last pass returns")

    def _follow_up(self, state: _Question, decision: Decision, spec) -> bool:
        """Say the follow-up; False when the candidate cut in so early that it was withdrawn."""
        q = state.item.question
        t_llm = time.perf_counter()
        line = self._follow_up_line(q, decision, state.heard[-1].transcript.text, spec)
        if self._latency is not None:
            self._latency["llm_wait_s"] = time.perf_counter() - t_llm
        kind = CHALLENGE if decision.action == CHALLENGE else "follow_up"  # "Are you sure ...?" lines
        heard_s = self.say(line.text, kind, q.id, line=line, key_point=decision.key_point)
        if self._taken_back(state, line.text, heard_s):
            return False  # not asked: not counted, not remembered (saying it again later is fine), not probed
        self._sources[line.source] = self._sources.get(line.source, 0) + 1
        state.asked = line.text
        self.phraser.remember(line.text)  # an LLM line repeating it later is rejected
        state.probed.append(probe_mark(decision))
        return True

    def _moved_on_too_soon(self, state: _Question) -> bool:
        """Says the transition to the next question; True when the candidate cut into its first take_back_s,
        so they were still answering this one (the conversation then hears the rest of the answer)."""
        if not state.transition:
            return False
        text = random.choice(TRANSITIONS)
        return self._taken_back(state, text, self.say(text, "transition"))

    def _taken_back(self, state: _Question, text: str, heard_s: float | None) -> bool:
        """A cut-in within the line's first take_back_s: the candidate was still answering, so the line is
        withdrawn (published; the session's follow-up sources count only lines that stood)."""
        limit = self.s.take_back_s
        if heard_s is None or limit <= 0 or heard_s > limit or state.taken_back >= MAX_TAKE_BACKS:
            return False
        state.taken_back += 1
        self.bus.publish(FollowUpWithdrawn(question_id=state.item.question.id, text=text, heard_s=round(heard_s, 3)))
        return True

    def _follow_up_line(self, q: Question, decision: Decision, answer: str, spec: Speculator | None) -> FollowUpLine:
        """The speculatively prepared phrasing if it matches; with speculation on, never wait
        longer than llm_wait_s for the LLM: the bank's line (already voiced) goes out instead."""
        if spec is None or self.phraser.client is None:
            return self.phraser.phrase(q, decision, answer)
        line = spec.line_for(decision, self.s.llm_wait_s)
        if line is not None:
            return line
        bank = self.phraser.bank_line(q, decision)
        if decision.action == CHALLENGE:  # speculation prepares probes only: no LLM phrasing was tried
            return bank
        return FollowUpLine(bank.text, bank.source, "llm phrasing not ready in time")


def _time_box(item: PlannedQuestion, kind: str) -> float:
    """The answer gets the question's time box; an answer to a follow-up, 60% of it (30 s at least)."""
    return item.time_box_s if kind == "answer" else max(30.0, item.time_box_s * 0.6)


def _wait(futures: list[cf.Future]) -> None:
    done, late = cf.wait(futures, timeout=REVISION_WAIT_S)
    for future in done:
        if future.exception() is not None:  # the live transcript stands; the session goes on
            log.warning("decoding an answer again failed: %s", future.exception())
    if late:
        log.warning("%d answer(s) still being decoded again; their scores use the live transcript", len(late))


def _r(value: float | None) -> float | None:
    return round(value, 4) if value is not None else None
