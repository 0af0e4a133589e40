"""Shared fixtures: the real models, loaded once per test session, and the test data."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
TESTDATA = Path(os.environ.get("VOICE_INTERVIEWER_TESTDATA", REPO.parent / "shared" / "testdata"))


_exit_status: list[int] = []


def pytest_sessionfinish(session, exitstatus):
    from voice_interviewer.audio.echo import release_native_runtime

    release_native_runtime()
    _exit_status.append(int(exitstatus))


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config):
    """Leave without the interpreter's teardown once pytest has reported everything: native runtimes
    loaded by the tests (livekit's, ONNX Runtime's threads) can abort it, which turned one complete,
    green run into a failed one. Nothing of ours runs at exit (no atexit handlers in the package)."""
    if _exit_status:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(_exit_status[0])


@pytest.fixture(scope="session")
def testdata() -> Path:
    if not TESTDATA.exists():
        pytest.fail(f"test data not found at {TESTDATA}; set VOICE_INTERVIEWER_TESTDATA")
    return TESTDATA


@pytest.fixture(scope="session")
def stt():
    from voice_interviewer.listening.stt import SpeechToText

    return SpeechToText("tiny.en", device="cpu")


@pytest.fixture(scope="session")
def tts(tmp_path_factory):
    from voice_interviewer.speaking.tts import TextToSpeech

    return TextToSpeech(cache=tmp_path_factory.mktemp("phrases"))


@pytest.fixture(scope="session")
def llm_server():
    from voice_interviewer.models import store as model_store
    from voice_interviewer.llm.server import LocalLLMServer

    folder = model_store.resolve("qwen2.5-coder-1.5b", progress=False)
    with LocalLLMServer(next(folder.glob("*.gguf"))) as server:
        yield server


def load(testdata: Path, rel: str):
    from voice_interviewer.audio.files import load_audio

    return load_audio(testdata / rel)


@pytest.fixture(scope="session")
def embedder():
    from voice_interviewer.judging.embeddings import shared_embedder

    return shared_embedder()  # one instance for the whole run, as the helpers of test_interview use
