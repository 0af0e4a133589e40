"""A session and what a front-end hands to it: its audio ends, its subscribers, its buttons."""

from __future__ import annotations

import contextlib
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from voice_interviewer.events import Event
from voice_interviewer.interfaces import AudioSink, AudioSource, CodeEditor


class SessionControls:
    """Buttons a front-end can press from any thread: "I'm done" and "stop the session"."""

    def __init__(self):
        self._end_turn = threading.Event()
        self._stop = threading.Event()

    def end_turn(self) -> None:
        """The candidate finished the current answer (the "done" button or key)."""
        self._end_turn.set()

    def stop(self) -> None:
        """End the session as Ctrl-C would: everything so far is kept."""
        self._stop.set()

    def take_end_turn(self) -> bool:
        """True once per press (the listener polls this every frame)."""
        if self._end_turn.is_set():
            self._end_turn.clear()
            return True
        return False

    @property
    def stopped(self) -> bool:
        return self._stop.is_set()


@dataclass(frozen=True)
class FrontEnd:
    """A way to hold an interview: the terminal, wav files, a browser.

    source/sink None: the default for the run's options (microphone and speaker,
    or the virtual device for wav answers and the demo).
    """

    source: AudioSource | None = None
    sink: AudioSink | None = None
    subscribers: tuple[Callable[[Event], None], ...] = ()
    controls: SessionControls = field(default_factory=SessionControls)
    name: str = "terminal"
    editor: CodeEditor | None = None  # the coding round's editor; None: the terminal's watched file


# --- the session: one owner for every model, thread and file --------------------------------------


class InterviewSession:
    """Starts everything a session needs in one order and stops it in the reverse order.

    On entry: the audio ends (checked before any model loads), the speech models,
    the LLM (endpoint or embedded server), the recorder, the bus and its
    subscribers (recorder first, then the scorer, the front-end's, the demo
    candidate). On exit, whatever happened: the interview's own threads are
    joined by Interview.run, then the scorer is drained, the LLM server stopped
    and the recorder closed, each with a line saying so. No thread outlives it.
    """

    def __init__(self, opts, front_end: FrontEnd, meta: dict, echo=print):
        self.opts, self.front_end, self.echo = opts, front_end, echo
        self._meta = meta
        self._stack = contextlib.ExitStack()
        self.status = "interrupted"
        self.answers_saved = 0  # set by the runner from the interview's own count
        self.scorer = None
        self.recorder = None

    def __enter__(self) -> "InterviewSession":
        try:
            self._start()
        except BaseException:
            self._stack.close()
            raise
        return self

    def _start(self) -> None:
        from voice_interviewer.bus import SessionBus
        from voice_interviewer.judging.embeddings import Embedder
        from voice_interviewer.sessions.recorder import SessionRecorder

        opts = self.opts
        self.channel, self.device, self.clock, voice = self._channel()
        self._stack.callback(self.channel.close)
        self.embedder = Embedder()
        self.client = self._stack.enter_context(_llm_client(opts, self.echo))
        llm = (self.client.endpoint.base_url + " " + self.client.endpoint.model) if self.client else "none (bank follow-ups)"
        self.recorder = SessionRecorder(opts.mode, {**self._meta, "models": {**self._meta.get("models", {}), "llm": llm}},
                                        root=opts.data_root)
        self._stack.callback(self._close_recorder)
        self.echo(f"session folder: {self.recorder.folder}")
        self.bus = SessionBus(self.clock)
        self.bus.subscribe(self.recorder, critical=True)  # a session that cannot be saved must stop
        self._start_scorer()
        for handler in self.front_end.subscribers:
            self.bus.subscribe(handler)
        if opts.simulated and voice is not None:
            from voice_interviewer.demo.candidate import SyntheticCandidate

            self.bus.subscribe(SyntheticCandidate(voice, self.device))

    def _start_scorer(self) -> None:
        from voice_interviewer.bank.questions import load_bank
        from voice_interviewer.scoring import ScoreWorker, make_scorer
        from voice_interviewer.scoring.worker import LISTENS_TO

        bank = load_bank()
        known = {q.id: q for q in bank.questions}
        self.scorer = ScoreWorker(known.get, make_scorer(self.embedder), self.bus.publish)
        self.bus.subscribe(self.scorer, *LISTENS_TO)
        self._stack.callback(self._drain_scorer)

    def _drain_scorer(self) -> None:
        if self.scorer.pending:
            self.echo(f"finishing the scores of {self.scorer.pending} answer(s)...")
        left = self.scorer.close()
        if left:
            self.echo(f"note: {left} answer(s) were not scored in time; `voice-interviewer replay SESSION --rescore` scores them")
        for err in self.scorer.errors:
            self.echo(f"note: scoring failed for {err}")

    def _close_recorder(self) -> None:
        for failure in self.bus.failures if hasattr(self, "bus") else ():
            self.echo(f"note: a session observer failed and was detached: {failure}")
        self.recorder.close(self.status, answers_saved=self.answers_saved)

    def _channel(self):
        """The front-end's audio ends, else the run's: typed, wav files / demo, or mic and speaker."""
        from voice_interviewer.interviewer.channels import AudioChannel, TextChannel

        opts, fe = self.opts, self.front_end
        if opts.text:
            return TextChannel(echo=self.echo), None, time.monotonic, None
        source, sink, device, clock = fe.source, fe.sink, None, time.monotonic
        if source is None and (opts.candidate_audio or opts.simulated):
            from voice_interviewer.audio.virtual import VirtualAudioDevice

            device = VirtualAudioDevice(_answer_files(opts.candidate_audio) if opts.candidate_audio else [], think_s=1.2)
            source, sink, clock = device, device, device.clock.now
        elif source is None:
            source = self._live_audio(need_output=sink is None)
            sink = sink or source
        voice, listener = self._speech_models()
        lockstep = device is not None
        return AudioChannel(source, sink, voice, listener, lockstep=lockstep, echo=self.echo), device, clock, voice

    def _live_audio(self, need_output: bool):
        """Microphone and speaker as one duplex device: checked, then opened, before any model loads,
        so a machine without them hears what is missing at once instead of after a minute of loading."""
        from voice_interviewer.audio.devices import audio_check
        from voice_interviewer.audio.duplex import open_duplex
        from voice_interviewer.errors import AudioDeviceError

        check = audio_check(need_input=True, need_output=need_output)
        if not check.ok:
            raise AudioDeviceError("Live audio is not available:\n  " + "\n  ".join(check.problems),
                                   "`voice-interviewer devices` lists what PortAudio sees")
        if getattr(self.opts, "mic_check", False):  # before the duplex stream holds the microphone
            from voice_interviewer.audio.mic_check import run_mic_check

            run_mic_check(4.0)  # prints the meter and its advice; a poor level is the user's call, not an error
        mode = "headphones" if getattr(self.opts, "headphones", False) else "speaker"
        audio = open_duplex(mode)
        self._stack.callback(audio.close)
        self.echo(f"audio: {check.summary().removeprefix('audio ok: ')}; "
                  + ("headphones mode (no echo cancellation)" if mode == "headphones"
                     else "speaker mode: echo cancellation on, you can interrupt (use --headphones with a headset)"))
        return audio

    def _speech_models(self):
        from voice_interviewer.listening.listener import Listener
        from voice_interviewer.listening.stt import SpeechToText
        from voice_interviewer.speaking.tts import TextToSpeech

        self.echo("loading speech models...")
        return TextToSpeech(), Listener(SpeechToText(self.opts.stt, device=self.opts.device))

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is not None and self.status == "interrupted" and not issubclass(exc_type, KeyboardInterrupt):
            self.status = f"failed ({exc_type.__name__}: {exc})"
        self._stack.close()


def _answer_files(folder: Path):
    from voice_interviewer.audio.files import load_audio
    from voice_interviewer.errors import UserFacingError

    folder = Path(folder)
    if not folder.is_dir():
        raise UserFacingError(f"--candidate-audio {folder} is not a folder", "give a folder of wav files, one per answer, in name order")
    files = sorted(p for p in folder.iterdir() if p.suffix.lower() in (".wav", ".flac", ".mp3", ".ogg"))
    if not files:
        raise UserFacingError(f"No audio files in {folder}", "add wav files named so that they sort in answer order")
    return [load_audio(f) for f in files]


@contextlib.contextmanager
def _llm_client(opts, echo):
    """The phrasing LLM: OPENAI_BASE_URL if set, else the embedded server; None when unavailable."""
    from voice_interviewer.errors import UserFacingError
    from voice_interviewer.llm.client import LLMClient, LLMEndpoint
    from voice_interviewer.llm.server import LLM_MODELS, LocalLLMServer
    from voice_interviewer.models import store as model_store

    if opts.llm == "none":
        yield None
        return
    endpoint = LLMEndpoint.from_env(timeout_s=opts.llm_timeout_s)
    if endpoint:
        yield LLMClient(endpoint)
        return
    try:
        echo(f"starting the local LLM ({opts.llm})...")
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
        echo("stopping the local LLM server")
        server.stop()


def _warm_prompt_cache(server, model: str) -> None:
    """Process the fixed persona once now (about 10 s on 2 cores), so each follow-up
    only pays for its short per-turn prompt. Patient and not retried: it runs before
    the first question, never inside a turn."""
    from voice_interviewer.errors import LLMUnavailableError
    from voice_interviewer.interviewer.phrasing import Phraser
    from voice_interviewer.llm.client import LLMClient, LLMEndpoint

    warm = LLMClient(LLMEndpoint(server.base_url, model=model, timeout_s=120), retries=0)
    with contextlib.suppress(LLMUnavailableError):
        warm.complete([{"role": "system", "content": Phraser().system}, {"role": "user", "content": "Ready?"}], max_tokens=1)
