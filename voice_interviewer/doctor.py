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
    from voice_interviewer.audio.devices import list_devices
    from voice_interviewer.errors import AudioDeviceError

    try:
        devices = list_devices()
    except AudioDeviceError as exc:
        return [Check("audio", False, exc.message, exc.hint)]
    mics = [d for d in devices if d.inputs > 0]
    speakers = [d for d in devices if d.outputs > 0]
    fix = "plug in a headset, or use --candidate-audio DIR / --text (headless modes need no sound card)"
    return [
        Check("microphone", bool(mics), ", ".join(d.name for d in mics) or "none found", "" if mics else fix),
        Check("speaker", bool(speakers), ", ".join(d.name for d in speakers) or "none found", "" if speakers else fix),
    ]


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
    return [Check("compute", True, f"speech-to-text on {choice.device} ({choice.compute_type}): {choice.reason}")]


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


def run_checks() -> list[Check]:
    return check_audio() + check_models() + check_compute() + check_llm()
