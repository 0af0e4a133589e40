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


def test_real_model_follow_ups_stay_in_role_and_never_repeat(llm_server):
    """The 1.5B model phrases two follow-ups on one gap and a challenge. Whatever it says, what the
    interviewer would speak is a second-person question on the topic, the second line differs from
    the first, and a rejected phrasing carries its reason (the bank's line is said instead)."""
    from tests.fakes import FakeEmbedder
    from voice_interviewer.bank.questions import load_bank
    from voice_interviewer.interviewer.phrasing import Phraser, check_phrasing, topic_of
    from voice_interviewer.interviewer.policy import CHALLENGE, decide
    from voice_interviewer.judging import coverage as cov

    q = load_bank().get("mlf-l1-vs-l2")
    answer = "L1 adds absolute values and L2 adds squares. So L2 is the one that gives you exact zeros."
    phraser = Phraser(LLMClient(LLMEndpoint(llm_server.base_url, timeout_s=180)))
    challenge = decide(q, cov.measure(q, [answer], FakeEmbedder()), [], 0, 300, "silence")
    assert challenge.action == CHALLENGE
    lines = []
    probe = decide(q, cov.measure(q, [answer], FakeEmbedder()), ["challenge:l1-sparsity"], 1, 300, "silence")
    for decision in (challenge, probe):
        for _ in range(2):
            line = phraser.phrase(q, decision, answer)
            assert line.source == "llm" or line.rejected  # a bank line only with the reason recorded
            if line.source == "llm":
                assert check_phrasing(line.text, "", topic_of(q) + " " + (decision.said or "")) == ""
            phraser.remember(line.text)
            lines.append(line)
    llm_lines = [l.text for l in lines if l.source == "llm"]
    assert len(llm_lines) == len(set(llm_lines))  # never the same LLM line twice in a session
    print([(l.source, l.text, l.rejected) for l in lines])
