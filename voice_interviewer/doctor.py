"""`voice-interviewer doctor`: is everything in place, and if not, what to do."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str
    fix: str = ""


def check_audio() -> list[Check]:
    """PortAudio, a microphone and a speaker, found without opening or loading anything."""
    from voice_interviewer.audio.devices import audio_check

    check = audio_check()
    if check.ok:
        return [Check("audio devices", True, check.summary().removeprefix("audio ok: "))]
    return [Check("audio devices", False, *_what_and_fix(problem)) for problem in check.problems]


def _what_and_fix(problem: str) -> tuple[str, str]:
    """"what is missing: what to do" (or a UserFacingError's "message\n  -> hint") as two parts."""
    what, sep, fix = problem.partition("\n  -> ")
    if not sep:
        what, _, fix = problem.partition(": ")
    return what, fix


def check_microphone(seconds: float = 4.0) -> list[Check]:
    """A few seconds of the user talking: too quiet, clipping, noisy, or fine, with what to do."""
    from voice_interviewer.audio.mic_check import run_mic_check
    from voice_interviewer.errors import AudioDeviceError

    try:
        verdict = run_mic_check(seconds)
    except AudioDeviceError as exc:
        return [Check("microphone level", False, exc.message, exc.hint)]
    lv = verdict.levels
    detail = f"{verdict.verdict}: voice {lv.speech_dbfs:.0f} dBFS, peak {lv.peak_dbfs:.0f}, room {lv.noise_dbfs:.0f}"
    return [Check("microphone level", verdict.ok, detail if not verdict.ok else verdict.advice,
                  "" if verdict.ok else verdict.advice)]


def check_models() -> list[Check]:
    from voice_interviewer.models import store as model_store

    out = []
    for name in model_store.load_manifest():
        st = model_store.status(name, hash_now=True)
        where = f"{st.origin}: {st.path}" if st.path else st.origin
        out.append(Check(f"model {name}", st.verified, f"{where}{' (sha256 ok)' if st.verified else ''}", st.problem))
    return out


def check_compute() -> list[Check]:
    from voice_interviewer.listening.stt import choose_device

    choice = choose_device("auto")
    return [Check("compute", True, f"speech-to-text runs on {choice.device.upper()} ({choice.compute_type}) "
                                   f"because: {choice.reason}")]


def check_llm(endpoint=None) -> list[Check]:
    from voice_interviewer.llm.client import LLMClient, LLMEndpoint
    from voice_interviewer.errors import LLMUnavailableError

    endpoint = endpoint or LLMEndpoint.from_env(timeout_s=10)
    if endpoint is None:
        return [Check("LLM endpoint", True, "embedded llama.cpp server (started on demand; set OPENAI_BASE_URL to use another)")]
    try:
        reply = LLMClient(endpoint, retries=0).complete([{"role": "user", "content": "Say OK."}], max_tokens=5)
        return [Check("LLM endpoint", True, f"{endpoint.base_url} model {endpoint.model} answered in {reply.total_s:.1f} s")]
    except LLMUnavailableError as exc:
        return [Check("LLM endpoint", False, exc.message, exc.hint)]


def run_checks(mic_check: bool = True) -> list[Check]:
    audio = check_audio()
    # the level check needs a working microphone; without one the device check already says why
    mic = check_microphone() if mic_check and all(c.ok for c in audio) else []
    return audio + mic + check_models() + check_compute() + check_llm()
