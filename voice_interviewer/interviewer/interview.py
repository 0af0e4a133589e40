"""The conversation: ask, listen, measure coverage, probe or move on, keep time.

One Interview runs a planned list of questions over a channel (voice or
text). Every line said, every answer heard, every coverage measurement and
every follow-up decision (with its reason) goes to the session recorder as
it happens.
"""

from __future__ import annotations

import logging
import random
import time
from dataclasses import dataclass, field

from voice_interviewer.judging import coverage as cov
from voice_interviewer.interviewer.phrasing import FollowUpLine, Phraser
from voice_interviewer.interviewer.policy import MOVE_ON, PolicySettings, decide
from voice_interviewer.bank.questions import Bank, LoopProfile, Question
from voice_interviewer.sessions.recorder import SessionRecorder
from voice_interviewer.scoring import AnswerInput, ScoreWorker, Turn
from voice_interviewer.interviewer.speculation import Speculator
from voice_interviewer.listening.stt import vocabulary_prompt
from voice_interviewer.listening.turns import TurnSettings

log = logging.getLogger(__name__)

TRANSITIONS = ["Thanks. Next one.", "Okay, moving on.", "Got it. Let's switch topics.", "Thanks for that. Next question."]
CUT_IN = "Let's pause there, we're at time on that one."


@dataclass(frozen=True)
class PlannedQuestion:
    question: Question
    stage: str
    time_box_s: float


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


@dataclass(frozen=True)
class Exchange:
    question_id: str
    kind: str  # "question" | "follow_up"
    asked: str
    answer: str
    end_reason: str
    follow_up_source: str = ""  # llm | bank | template (follow-ups only)
    rejected: str = ""


@dataclass(frozen=True)
class InterviewResult:
    session_dir: str
    exchanges: tuple[Exchange, ...]
    status: str
    follow_up_sources: dict = field(default_factory=dict)


class Interview:
    def __init__(self, channel, phraser: Phraser, recorder: SessionRecorder, settings: InterviewSettings, clock,
                 scorer: ScoreWorker | None = None):
        self.channel, self.phraser, self.rec, self.s, self.clock = channel, phraser, recorder, settings, clock
        self.scorer = scorer  # scores each finished question on its own thread
        self.exchanges: list[Exchange] = []
        self._t0 = clock()
        self._latency: dict | None = None  # timings since the last turn was decided, until we speak
        self._speculators: list[Speculator] = []  # joined when the session ends

    # --- helpers ---------------------------------------------------------------
    def time_left(self) -> float:
        return float("inf") if self.s.total_s is None else self.s.total_s - (self.clock() - self._t0)

    def say(self, text: str, kind: str, question_id: str | None = None, **extra) -> None:
        start = self.rec.now()
        t_call = time.perf_counter()
        audio, rate, first_audio_wall = self.channel.say(text)
        if self._latency is not None:  # the first thing said after a turn: its response latency
            lat, self._latency = self._latency, None
            lat["tts_s"] = first_audio_wall - t_call
            lat["response_s"] = first_audio_wall - lat.pop("decided_wall")
            extra["latency"] = {k: round(v, 4) for k, v in lat.items()}
        ref = self.rec.save_audio("interviewer", audio, rate) if len(audio) else None
        self.rec.event("interviewer_said", kind=kind, question_id=question_id, text=text, start=start,
                       end=self.rec.now(), audio=ref, **extra)

    def hear(self, q: Question, time_box_s: float, kind: str, turns: list | None = None, speculator=None):
        settings = TurnSettings(think_timeout_s=min(self.s.think_timeout_s, time_box_s),
                                end_silence_s=self.s.answer_patience_s, time_box_s=time_box_s)
        start = self.rec.now()
        heard = self.channel.hear(settings, vocabulary_prompt(q.vocabulary),
                                  on_partial=speculator.on_partial if speculator else None)
        self._latency = {"decided_wall": heard.decided_wall, "stt_s": heard.tail_wait_s}
        ref = self.rec.save_audio("candidate", heard.samples, 16000) if len(heard.samples) else None
        record = self.rec.event("candidate_turn", kind=kind, question_id=q.id, start=start, end=self.rec.now(),
                       text=heard.transcript.text, end_reason=heard.end_reason, audio=ref,
                       first_word_s=heard.first_word_s, speech_end_s=heard.speech_end_s, decided_s=heard.decided_s,
                       tail_wait_s=round(heard.tail_wait_s, 3), stt_model=heard.transcript.model,
                       segments=[{"text": s.text, "start": s.start, "end": s.end,
                                  "words": [[w.text, round(w.start, 2), round(w.end, 2)] for w in s.words]}
                                 for s in heard.transcript.segments])
        if turns is not None:
            turns.append(Turn.from_event(record))
        if heard.end_reason == "stopped":
            raise KeyboardInterrupt
        return heard

    # --- the loop --------------------------------------------------------------
    def run(self, plan: list[PlannedQuestion], intro: str | None, outro: str | None) -> InterviewResult:
        status = "completed"
        try:
            self.channel.prepare([plan[0].question.question] + TRANSITIONS + [CUT_IN] if plan else [])
            if intro:
                self.say(intro, "intro")
            for i, item in enumerate(plan):
                if i + 1 < len(plan):  # while this question runs, voice the next one
                    self.channel.prepare([plan[i + 1].question.question])
                if self.time_left() < 30:
                    self.rec.event("note", text="session time is up")
                    break
                if self.channel.exhausted:
                    self.rec.event("note", text="the recorded candidate has no more answers")
                    status = "completed (out of recorded answers)"
                    break
                self.ask(item, is_last=i == len(plan) - 1)
            if outro:
                self.say(outro, "outro")
        except KeyboardInterrupt:
            status = "interrupted"
            self.rec.event("note", text="stopped by the user (Ctrl-C); everything so far is saved")
        for spec in self._speculators:
            spec.join()
        if self.scorer:
            self.scorer.drain()  # the session's end waits for scoring; the conversation never did
        sources: dict[str, int] = {}
        for e in self.exchanges:
            if e.kind == "follow_up":
                sources[e.follow_up_source] = sources.get(e.follow_up_source, 0) + 1
        self.rec.close(status, follow_up_sources=sources, exchanges=len(self.exchanges))
        return InterviewResult(str(self.rec.folder), tuple(self.exchanges), status, sources)

    def ask(self, item: PlannedQuestion, is_last: bool) -> None:
        q = item.question
        self.rec.event("question_started", question_id=q.id, stage=item.stage, time_box_s=item.time_box_s)
        self.say(q.question, "question", q.id)
        q_start = self.clock()
        turns: list[Turn] = []
        try:
            self._converse(item, q, q_start, turns)
        finally:  # also after Ctrl-C: what was said gets scored
            if self.scorer and turns:
                self.scorer.submit(AnswerInput(q, tuple(turns), item.time_box_s))
        self.rec.event("question_finished", question_id=q.id)
        if not is_last and self.s.small_talk:
            self.say(random.choice(TRANSITIONS), "transition")

    def _speculator(self, q: Question, probed: list[str], answers: list[str], budget) -> Speculator | None:
        tts = getattr(self.channel, "tts", None)
        if not self.s.speculate or tts is None:
            return None
        spec = Speculator(q, self.phraser, tts, self.s.policy, probed, answers, budget)
        self._speculators.append(spec)
        return spec

    def _converse(self, item: PlannedQuestion, q: Question, q_start: float, turns: list) -> None:
        probed: list[str] = []
        answers: list[str] = []
        budget = lambda: min(self.time_left(), item.time_box_s * 2.5 - (self.clock() - q_start))
        spec = self._speculator(q, probed, answers, budget)
        heard = self.hear(q, item.time_box_s, "answer", turns, spec)
        answers.append(heard.transcript.text)
        self.exchanges.append(Exchange(q.id, "question", q.question, heard.transcript.text, heard.end_reason))
        while True:
            t_choice = time.perf_counter()
            if heard.end_reason == "time_box":
                self.say(CUT_IN, "cut_in", q.id)
            coverage = cov.measure(q, " ".join(answers))
            self.rec.event("coverage", question_id=q.id, covered_share=round(coverage.covered_share, 3),
                           points=[{"key_point": p.key_point, "status": p.status, "similarity": round(p.similarity, 3),
                                    "keywords": list(p.keywords_heard), "evidence": p.evidence.text if p.evidence else None}
                                   for p in coverage.points])
            decision = decide(q, coverage, probed, len(probed), budget(), heard.end_reason, self.s.policy)
            self.rec.event("decision", question_id=q.id, action=decision.action, key_point=decision.key_point,
                           reason=decision.reason, speculated=spec.guesses if spec else None)
            if self._latency is not None:
                self._latency["choice_s"] = time.perf_counter() - t_choice
            if decision.action == MOVE_ON:
                if spec:
                    spec.close()
                break
            t_llm = time.perf_counter()
            line = self._follow_up_line(q, decision, answers[-1], spec)
            if self._latency is not None:
                self._latency["llm_wait_s"] = time.perf_counter() - t_llm
            if spec:
                spec.close()
            self.say(line.text, "follow_up", q.id, source=line.source, rejected=line.rejected,
                     llm_s=round(line.llm_s, 3), key_point=decision.key_point)
            probed.append(decision.key_point or decision.bank_follow_up.text)
            spec = self._speculator(q, probed, answers, budget)
            heard = self.hear(q, max(30.0, item.time_box_s * 0.6), "follow_up_answer", turns, spec)
            answers.append(heard.transcript.text)
            self.exchanges.append(Exchange(q.id, "follow_up", line.text, heard.transcript.text, heard.end_reason,
                                           line.source, line.rejected))

    def _follow_up_line(self, q: Question, decision, answer: str, spec: Speculator | None) -> FollowUpLine:
        """The speculatively prepared phrasing if it matches; with speculation on, never wait
        longer than llm_wait_s for the LLM: the bank's line (already voiced) goes out instead."""
        if spec is None or self.phraser.client is None:
            return self.phraser.phrase(q, decision, answer)
        line = spec.line_for(decision, self.s.llm_wait_s)
        if line is not None:
            return line
        bank = Phraser(None).phrase(q, decision, answer)
        return FollowUpLine(bank.text, bank.source, "llm phrasing not ready in time")


# --- planning -------------------------------------------------------------------
def plan_drill(bank: Bank, track: str, count: int, seconds: float | None, rng: random.Random,
               question_ids: list[str] | None = None) -> list[PlannedQuestion]:
    pool = [bank.get(i) for i in question_ids] if question_ids else rng.sample(bank.track(track), min(count, len(bank.track(track))))
    return [PlannedQuestion(q, "drill", float(seconds or q.time_box_s)) for q in pool[:count]]


def plan_phone_screen(bank: Bank, profile: LoopProfile, minutes: float, rng: random.Random) -> list[PlannedQuestion]:
    """Questions across the loop's stages, in the loop's order, until the minutes are used.

    Round by round, each stage that still wants questions (stage.questions) gets one more,
    so a short rehearsal touches every stage before any stage gets a second question.
    A question is budgeted at 1.5x its time box (room for a follow-up), and no time box
    may exceed a fair share of the screen.
    """
    budget = minutes * 60 * 0.9  # leave room for the introduction and the wrap-up
    cap = max(60.0, minutes * 60 / (len(profile.stages) + 1))
    pools = {}
    for stage in profile.stages:
        pool = [q for q in bank.questions if q.track in stage.tracks]
        preferred = [q for q in pool if q.stage == stage.id]
        rng.shuffle(preferred)
        rest = [q for q in pool if q.stage != stage.id]
        rng.shuffle(rest)
        pools[stage.id] = preferred + rest
    chosen: dict[str, list[PlannedQuestion]] = {s.id: [] for s in profile.stages}
    used, seen, progress = 0.0, set(), True
    while progress:
        progress = False
        for stage in profile.stages:
            if len(chosen[stage.id]) >= stage.questions:
                continue
            q = next((q for q in pools[stage.id] if q.id not in seen), None)
            if q is None:
                continue
            box = float(min(q.time_box_s, cap))
            if used + 1.5 * box > budget:
                continue
            seen.add(q.id)
            used += 1.5 * box
            chosen[stage.id].append(PlannedQuestion(q, stage.title, box))
            progress = True
    return [item for stage in profile.stages for item in chosen[stage.id]]


def intro_line(profile: LoopProfile | None, minutes: float | None, mode: str) -> str:
    if mode == "drill":
        return "Rapid fire. Short answers, and I'll cut in when time is up. Here we go."
    what = profile.title if profile else "a machine learning engineer phone screen"
    return (f"Hi, I'm Sam, and I'll be your interviewer today. This is a practice round of {what}. "
            f"We have about {int(minutes or 0)} minutes. Think out loud, and say 'I'm done' when you finish an answer.")


def outro_line(mode: str) -> str:
    if mode == "drill":
        return "That's the drill. Your transcript and notes are saved."
    return "That's all the time we have. Thanks for talking with me today; your session is saved."
