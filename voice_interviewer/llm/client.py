"""One OpenAI-compatible client for every endpoint: the embedded server,
Ollama, llama.cpp, vLLM or the OpenAI API.

Endpoint choice: explicit arguments, then OPENAI_BASE_URL / OPENAI_API_KEY /
VOICE_INTERVIEWER_LLM_MODEL from the environment, else the embedded server.
Every call has a timeout; failures become LLMUnavailableError, never a hang.
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import Iterator

from voice_interviewer.errors import LLMUnavailableError


@dataclass(frozen=True)
class LLMEndpoint:
    base_url: str
    model: str = "local"
    api_key: str = "not-needed"
    timeout_s: float = 20.0

    @staticmethod
    def from_env(timeout_s: float = 20.0) -> "LLMEndpoint | None":
        url = os.environ.get("OPENAI_BASE_URL")
        if not url:
            return None
        return LLMEndpoint(
            base_url=url,
            model=os.environ.get("VOICE_INTERVIEWER_LLM_MODEL", "gpt-4o-mini"),
            api_key=os.environ.get("OPENAI_API_KEY", "not-needed"),
            timeout_s=timeout_s,
        )


@dataclass(frozen=True)
class Completion:
    text: str
    first_token_s: float
    total_s: float
    completion_tokens: int


class LLMClient:
    def __init__(self, endpoint: LLMEndpoint, retries: int = 1):
        from openai import OpenAI

        self.endpoint = endpoint
        self._client = OpenAI(base_url=endpoint.base_url, api_key=endpoint.api_key,
                              timeout=endpoint.timeout_s, max_retries=retries)

    def _args(self, messages, max_tokens, temperature, json_schema):
        args = dict(model=self.endpoint.model, messages=messages, max_tokens=max_tokens, temperature=temperature)
        if json_schema is not None:
            args["response_format"] = {"type": "json_schema", "json_schema": {"name": "answer", "schema": json_schema, "strict": True}}
        return args

    def stream(self, messages: list[dict], max_tokens: int = 80, temperature: float = 0.3,
               deadline_s: float | None = None) -> Iterator[str]:
        """Text pieces as they are generated. The HTTP timeout applies to each read; deadline_s
        (default: the endpoint's timeout) bounds the whole reply, so a slow model cannot stall a turn."""
        deadline = time.perf_counter() + (deadline_s or self.endpoint.timeout_s)
        try:
            stream = self._client.chat.completions.create(stream=True, **self._args(messages, max_tokens, temperature, None))
            for event in stream:
                if time.perf_counter() > deadline:
                    stream.close()
                    raise TimeoutError("deadline")
                if event.choices and event.choices[0].delta.content:
                    yield event.choices[0].delta.content
        except Exception as exc:
            raise self._unavailable(exc) from exc

    def complete(self, messages: list[dict], max_tokens: int = 80, temperature: float = 0.3,
                 json_schema: dict | None = None, deadline_s: float | None = None) -> Completion:
        t0 = time.perf_counter()
        first = None
        pieces = []
        if json_schema is None:
            for piece in self.stream(messages, max_tokens, temperature, deadline_s):
                first = first if first is not None else time.perf_counter() - t0
                pieces.append(piece)
            text = "".join(pieces)
        else:
            try:
                r = self._client.chat.completions.create(**self._args(messages, max_tokens, temperature, json_schema))
            except Exception as exc:
                raise self._unavailable(exc) from exc
            text = r.choices[0].message.content or ""
        total = time.perf_counter() - t0
        return Completion(text, first if first is not None else total, total, len(pieces))

    def complete_json(self, messages: list[dict], schema: dict, max_tokens: int = 200) -> dict:
        text = self.complete(messages, max_tokens, 0.0, schema).text
        try:
            return json.loads(text)
        except ValueError as exc:
            raise LLMUnavailableError(f"The LLM answered something that is not JSON: {text[:80]!r}",
                                      "try another model or endpoint") from exc

    def _unavailable(self, exc: Exception) -> LLMUnavailableError:
        name = type(exc).__name__
        if "Timeout" in name or isinstance(exc, TimeoutError):
            return LLMUnavailableError(f"The LLM at {self.endpoint.base_url} did not answer within {self.endpoint.timeout_s:.0f} s",
                                       "use a faster model (--llm qwen-0.5b) or a longer --llm-timeout")
        if "Connection" in name:
            return LLMUnavailableError(f"Cannot reach the LLM at {self.endpoint.base_url}",
                                       "start the server, fix OPENAI_BASE_URL, or unset it to use the embedded model")
        return LLMUnavailableError(f"The LLM at {self.endpoint.base_url} failed: {name}: {exc}",
                                   "check the model name and API key (`voice-interviewer doctor`)")
