"""The browser server's gate: token, Host, Origin, and no file outside its folders."""

from __future__ import annotations

import os

import pytest

from voice_interviewer.web.security import Gate, file_inside, read_cookie, safe_relative, split_target


@pytest.fixture()
def gate():
    return Gate(token="s3cret-token", port=8123)


def test_host_must_name_this_server(gate):
    assert gate.host_ok("127.0.0.1:8123")
    assert gate.host_ok("localhost:8123")
    for bad in ("evil.example:8123", "127.0.0.1:9999", "127.0.0.1", "localhost", "", None, "rebind.attacker.com"):
        assert not gate.host_ok(bad), bad


def test_origin_must_be_this_server(gate):
    assert gate.origin_ok("http://127.0.0.1:8123")
    assert gate.origin_ok("http://localhost:8123")
    for bad in ("http://evil.example", "https://127.0.0.1:8123", "http://127.0.0.1:8124", "null", "", None):
        assert not gate.origin_ok(bad), bad


def test_token_from_query_then_cookie(gate):
    assert gate.offered_token("token=s3cret-token&start=drill", None) == ("s3cret-token", True)
    cookie = gate.set_cookie().split(";")[0]
    assert gate.offered_token("", f"other=1; {cookie}") == ("s3cret-token", False)
    assert gate.token_ok("s3cret-token")
    assert not gate.token_ok("s3cret-toke")
    assert not gate.token_ok("")
    assert not gate.token_ok(None)
    assert "HttpOnly" in gate.set_cookie() and "SameSite=Strict" in gate.set_cookie()


def test_cookie_of_another_port_is_not_ours(gate):
    assert read_cookie("vi_token_9999=s3cret-token", "vi_token_8123") is None
    assert read_cookie('bad"cookie', "vi_token_8123") is None


def test_relative_paths_that_could_escape_are_refused():
    for bad in ("../x", "a/../../x", "/etc/passwd", "a//b", "a/./b", ".hidden", "a\\..\\b", "a\x00b", ""):
        assert safe_relative(bad) is None, bad
    assert safe_relative("audio/0001-candidate.wav") == ("audio", "0001-candidate.wav")


def test_encoded_dot_dot_is_decoded_once_then_refused():
    path, _ = split_target("/files/s/%2e%2e/%2E%2E/etc/passwd?x=1")
    assert ".." in path.split("/")
    # double encoding decodes to a literal "%2e%2e" name: harmless, and absent
    path, _ = split_target("/files/s/%252e%252e/x")
    assert "%2e%2e" in path


def test_file_inside_follows_symlinks_and_refuses_escapes(tmp_path):
    base = tmp_path / "sessions" / "s1"
    (base / "audio").mkdir(parents=True)
    (base / "audio" / "a.wav").write_bytes(b"RIFF")
    secret = tmp_path / "secret.txt"
    secret.write_text("no")
    os.symlink(secret, base / "audio" / "link.wav")
    os.symlink(tmp_path, base / "audio" / "up")
    assert file_inside(base, "audio/a.wav") == (base / "audio" / "a.wav").resolve()
    assert file_inside(base, "audio/link.wav") is None  # a symlink pointing outside
    assert file_inside(base, "audio/up/secret.txt") is None
    assert file_inside(base, "audio") is None  # not a file
    assert file_inside(base, "audio/missing.wav") is None
