"""The LLM: the embedded llama.cpp server through the openai client, and endpoints that fail."""

import socket
import threading
import time

import pytest

from voice_interviewer.errors import LLMUnavailableError
from voice_interviewer.llm.client import LLMClient, LLMEndpoint
from voice_interviewer.llm.server import free_port


def test_local_server_answers_through_openai_client(llm_server):
    client = LLMClient(LLMEndpoint(llm_server.base_url, timeout_s=120))
    reply = client.complete([
        {"role": "system", "content": "You are an interviewer. Reply with one short question."},
        {"role": "user", "content": "Ask the candidate about L2 regularisation."},
    ], max_tokens=40)
    assert reply.text.strip() and reply.completion_tokens > 0
    assert reply.first_token_s <= reply.total_s


def test_json_schema_output(llm_server):
    client = LLMClient(LLMEndpoint(llm_server.base_url, timeout_s=120))
    schema = {"type": "object", "properties": {"score": {"type": "integer", "minimum": 0, "maximum": 5}},
              "required": ["score"], "additionalProperties": False}
    out = client.complete_json([{"role": "user", "content": "Give a score from 0 to 5 for 'bias is error'."}], schema)
    assert isinstance(out["score"], int) and 0 <= out["score"] <= 5


def test_endpoint_down_is_a_clear_error_not_a_hang():
    client = LLMClient(LLMEndpoint(f"http://127.0.0.1:{free_port()}/v1", timeout_s=5), retries=0)
    t0 = time.monotonic()
    with pytest.raises(LLMUnavailableError) as err:
        client.complete([{"role": "user", "content": "hi"}])
    assert "Cannot reach" in err.value.message and err.value.hint
    assert time.monotonic() - t0 < 5


def test_endpoint_that_never_answers_times_out():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(1)
    held = []
    threading.Thread(target=lambda: held.append(sock.accept()), daemon=True).start()
    client = LLMClient(LLMEndpoint(f"http://127.0.0.1:{sock.getsockname()[1]}/v1", timeout_s=1.5), retries=0)
    with pytest.raises(LLMUnavailableError, match="did not answer"):
        client.complete([{"role": "user", "content": "hi"}])
    sock.close()


def test_server_stops_cleanly(llm_server):
    assert llm_server.healthy()
