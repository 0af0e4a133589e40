"""The embedded llama.cpp server (xllamacpp), run in a child process.

A child process keeps llama.cpp's own logging out of the terminal (it goes to
a log file), frees its ~2 GB the moment it stops, and lets a test kill it to
see what happens when the endpoint goes down.

Run as a module it is the child: it starts the server and waits until its
parent closes stdin or sends SIGTERM.
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from voice_interviewer.errors import LLMUnavailableError
from voice_interviewer.paths import cache_dir

LLM_MODELS = {"qwen-1.5b": "qwen2.5-coder-1.5b", "qwen-0.5b": "qwen2.5-coder-0.5b"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LocalLLMServer:
    """Context manager: `with LocalLLMServer(path) as srv: srv.base_url`."""

    def __init__(self, model_path: Path, threads: int | None = None, ctx: int = 4096, start_timeout_s: float = 90.0):
        self.model_path = Path(model_path)
        self.threads = threads or max(1, min(4, os.cpu_count() or 2))
        self.ctx = ctx
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}/v1"
        self.log_path = cache_dir() / "logs" / "llama-server.log"
        self._timeout = start_timeout_s
        self._proc: subprocess.Popen | None = None

    def start(self) -> "LocalLLMServer":
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        cmd = [sys.executable, "-m", "voice_interviewer.llm.server", "--model", str(self.model_path),
               "--port", str(self.port), "--threads", str(self.threads), "--ctx", str(self.ctx)]
        with open(self.log_path, "ab") as log:  # the child keeps its own handle
            self._proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=log, stderr=log)
        deadline = time.monotonic() + self._timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise LLMUnavailableError(
                    f"The local LLM server exited while starting (code {self._proc.returncode})",
                    f"see {self.log_path}; `voice-interviewer doctor` checks the model files",
                )
            if self.healthy():
                return self
            time.sleep(0.2)
        self.stop()
        raise LLMUnavailableError(f"The local LLM server did not start within {self._timeout:.0f} s", f"see {self.log_path}")

    def healthy(self) -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/health", timeout=1) as r:
                return r.status == 200
        except OSError:
            return False

    def stop(self) -> None:
        if self._proc is None or self._proc.poll() is not None:
            return
        try:
            self._proc.stdin.close()  # the child's signal to exit cleanly
            self._proc.wait(timeout=10)
        except (subprocess.TimeoutExpired, OSError):
            self._proc.kill()
            self._proc.wait()

    @property
    def pid(self) -> int | None:
        return self._proc.pid if self._proc else None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def _serve(args) -> None:
    import xllamacpp

    # Phrasing is opportunistic (the bank's line is the fallback); transcription is not.
    # At a lower priority the LLM takes only the CPU that Whisper and Piper leave.
    try:
        os.nice(5)
    except OSError:
        pass

    params = xllamacpp.CommonParams()
    params.model.path = args.model
    params.n_ctx = args.ctx
    params.n_parallel = 1  # one conversation: one slot keeps the whole prompt cache
    params.cpuparams.n_threads = args.threads
    params.cpuparams_batch.n_threads = args.threads
    # No busy-polling between work items: on a laptop the LLM shares the cores with
    # Whisper and Piper, and a spinning idle thread would slow them down.
    params.cpuparams.poll = 0
    params.cpuparams_batch.poll = 0
    params.port = args.port
    params.cache_prompt = True
    server = xllamacpp.Server(params)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    try:
        sys.stdin.read()  # returns when the parent closes our stdin or dies
    finally:
        del server


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--port", type=int, required=True)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--ctx", type=int, default=4096)
    _serve(p.parse_args())
