"""Building an interview from command-line options: plan, channel, LLM, recorder; then run it."""

from __future__ import annotations

import contextlib
import logging
import random
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

from voice_interviewer.models import store as model_store
from voice_interviewer.audio.files import load_audio, write_wav
from voice_interviewer.audio.virtual import VirtualAudioDevice
from voice_interviewer.interviewer.channels import AudioChannel, TextChannel
from voice_interviewer.errors import LLMUnavailableError, UserFacingError
from voice_interviewer.interviewer.interview import (Interview, InterviewResult, InterviewSettings, intro_line, outro_line,
                                         plan_drill, plan_phone_screen)
from voice_interviewer.listening.listener import Listener
from voice_interviewer.llm.client import LLMClient, LLMEndpoint
from voice_interviewer.llm.server import LLM_MODELS, LocalLLMServer
from voice_interviewer.interviewer.phrasing import Phraser
from voice_interviewer.interviewer.policy import PolicySettings
from voice_interviewer.bank.questions import load_bank
from voice_interviewer.sessions.recorder import SessionRecorder
from voice_interviewer.scoring import ScoreWorker, score_answer, summarize

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunOptions:
    mode: str = "drill"
    track: str = "ml-fundamentals"
    count: int = 5
    seconds: float | None = None
    profile: str = "netflix-mle"
    minutes: float = 30
    candidate_audio: Path | None = None
    text: bool = False
    stt: str = "tiny.en"
    device: str = "auto"
    llm: str = "qwen-1.5b"  # qwen-1.5b | qwen-0.5b | none
    llm_timeout_s: float = 15.0
    seed: int | None = None
    question_ids: tuple[str, ...] = ()
    data_root: Path | None = None
    patience_s: float = 2.5
    simulated: bool = False  # the demo's synthetic candidate


@contextlib.contextmanager
def llm_client(opts: RunOptions, echo):
    """The phrasing LLM: OPENAI_BASE_URL if set, else the embedded server; None when unavailable."""
    if opts.llm == "none":
        yield None
        return
    endpoint = LLMEndpoint.from_env(timeout_s=opts.llm_timeout_s)
    if endpoint:
        yield LLMClient(endpoint)
        return
    try:
        folder = model_store.resolve(LLM_MODELS[opts.llm])
        server = LocalLLMServer(next(folder.glob("*.gguf"))).start()
    except UserFacingError as exc:
        echo(f"note: no LLM ({exc.message}); follow-ups come from the question bank")
        yield None
        return
    try:
        client = LLMClient(LLMEndpoint(server.base_url, model=opts.llm, timeout_s=opts.llm_timeout_s))
        _warm_prompt_cache(server, opts.llm)
        yield client
    finally:
        server.stop()


def _warm_prompt_cache(server: LocalLLMServer, model: str) -> None:
    """Process the fixed persona once now (about 10 s on 2 cores), so each follow-up
    only pays for its short per-turn prompt. Patient and not retried: it runs before
    the first question, never inside a turn."""
    warm = LLMClient(LLMEndpoint(server.base_url, model=model, timeout_s=120), retries=0)
    with contextlib.suppress(LLMUnavailableError):
        warm.complete([{"role": "system", "content": Phraser().system}, {"role": "user", "content": "Ready?"}], max_tokens=1)


def build_plan(opts: RunOptions, bank):
    rng = random.Random(opts.seed)
    if opts.mode == "drill":
        return plan_drill(bank, opts.track, opts.count, opts.seconds, rng, list(opts.question_ids) or None), None
    profile = bank.profile(opts.profile)
    return plan_phone_screen(bank, profile, opts.minutes, rng), profile


def run_interview(opts: RunOptions, echo=print) -> InterviewResult:
    bank = load_bank()
    plan, profile = build_plan(opts, bank)
    if not plan:
        raise UserFacingError("No questions matched", "check --track / --profile (voice-interviewer bank list)")
    settings = InterviewSettings(
        mode=opts.mode, total_s=opts.minutes * 60 if opts.mode == "phone-screen" else None,
        answer_patience_s=opts.patience_s,
        policy=PolicySettings(max_follow_ups=1 if opts.mode == "drill" else 2,
                              min_time_for_follow_up_s=20 if opts.mode == "drill" else 40),
        small_talk=opts.mode != "drill",
        # Headless runs feed audio faster than real time, so "in time" has no meaning there:
        # give the LLM its whole timeout. Live, the bank's line goes out after 1 s.
        llm_wait_s=opts.llm_timeout_s if (opts.candidate_audio or opts.simulated) else 1.0,
    )
    with contextlib.ExitStack() as stack:
        channel, device, clock, candidate = _channel(opts, stack, echo)
        stack.callback(channel.close)
        client = stack.enter_context(llm_client(opts, echo))
        meta = {"options": {k: str(v) for k, v in asdict(opts).items()}, "profile": profile.id if profile else None,
                "plan": [p.question.id for p in plan], "models": {"stt": opts.stt, "tts": "piper-joe",
                "llm": (client.endpoint.base_url + " " + client.endpoint.model) if client else "none (bank follow-ups)"},
                "candidate": _candidate_label(opts)}
        rec = SessionRecorder(opts.mode, meta, clock, root=opts.data_root, observers=(candidate,) if candidate else ())
        echo(f"session folder: {rec.folder}")
        scorer = ScoreWorker(score_answer, lambda score: rec.event("score", **score.as_event()))
        interview = Interview(channel, Phraser(client), rec, settings, clock, scorer)
        result = interview.run(plan, intro_line(profile, opts.minutes, opts.mode), outro_line(opts.mode))
        if device is not None:
            write_wav(Path(result.session_dir) / "conversation.wav", device.recording())
        topics = {q.question.id: q.question.id.split("-", 1)[-1] for q in plan}  # one topic per question
        summary = summarize([s.as_event() for s in scorer.scores], topics)
        (Path(result.session_dir) / "summary.txt").write_text(summary.text() + "\n")
        echo("\n" + summary.text())
        return result


def _channel(opts: RunOptions, stack, echo):
    if opts.text:
        import time

        return TextChannel(echo=echo), None, time.monotonic, None
    from voice_interviewer.listening.stt import SpeechToText
    from voice_interviewer.speaking.tts import TextToSpeech

    echo("loading speech models...")
    tts = TextToSpeech()
    listener = Listener(SpeechToText(opts.stt, device=opts.device))
    if opts.candidate_audio or opts.simulated:
        answers = _answer_files(opts.candidate_audio) if opts.candidate_audio else []
        device = VirtualAudioDevice(answers, think_s=1.2)
        candidate = None
        if opts.simulated:
            from voice_interviewer.demo.candidate import SyntheticCandidate

            candidate = SyntheticCandidate(tts, device)
        return AudioChannel(device, device, tts, listener, lockstep=True, echo=echo), device, device.clock.now, candidate
    from voice_interviewer.audio.devices import MicrophoneInput, RealClock, SpeakerOutput

    mic = MicrophoneInput()
    stack.callback(mic.close)
    return AudioChannel(mic, SpeakerOutput(), tts, listener, lockstep=False, echo=echo), None, RealClock().now, None


def _answer_files(folder: Path):
    folder = Path(folder)
    if not folder.is_dir():
        raise UserFacingError(f"--candidate-audio {folder} is not a folder", "give a folder of wav files, one per answer, in name order")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".wav", ".flac", ".mp3", ".ogg"))
    if not files:
        raise UserFacingError(f"No audio files in {folder}", "add wav files named so that they sort in answer order")
    return [load_audio(f) for f in files]


def _candidate_label(opts: RunOptions) -> str:
    if opts.simulated:
        return "SYNTHETIC: scripted answers of mixed quality read by the Piper voice (demo/candidate_answers.yaml)"
    if opts.candidate_audio:
        return f"recorded answers from {opts.candidate_audio}"
    return "typed" if opts.text else "live microphone"
