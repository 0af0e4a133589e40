"""Who may talk to the local server, and which files it may hand out.

The server listens on loopback, but on a shared machine every other user (and
every web page open in the candidate's browser) can reach 127.0.0.1 too. So:
- a random token must come with every request (in the URL the first time,
  then in a cookie the server sets), compared in constant time;
- the Host header must name this server (127.0.0.1:port or localhost:port),
  which defeats DNS rebinding;
- the WebSocket (the only way to change state: start, stop, "done", audio)
  must come from this server's own origin, so no other site can drive it;
- files come only from a fixed list of static assets or from inside the
  sessions folder, after resolving "..", percent-encoding and symlinks.
"""

from __future__ import annotations

import hmac
import secrets
from dataclasses import dataclass
from http.cookies import CookieError, SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

LOOPBACK_NAMES = ("127.0.0.1", "localhost")  # the server binds IPv4 loopback only


def new_token() -> str:
    return secrets.token_urlsafe(24)


def cookie_name(port: int) -> str:
    """Cookies ignore ports, so two servers on one machine must not share a name."""
    return f"vi_token_{port}"


@dataclass(frozen=True)
class Gate:
    """The checks every request passes; one per running server."""

    token: str
    port: int

    @property
    def hosts(self) -> frozenset[str]:
        return frozenset(f"{name}:{self.port}" for name in LOOPBACK_NAMES)

    @property
    def origins(self) -> frozenset[str]:
        return frozenset(f"http://{host}" for host in self.hosts)

    def host_ok(self, host: str | None) -> bool:
        return (host or "").strip().lower() in self.hosts

    def origin_ok(self, origin: str | None) -> bool:
        return (origin or "").strip().lower() in self.origins

    def token_ok(self, offered: str | None) -> bool:
        return bool(offered) and hmac.compare_digest(offered.encode(), self.token.encode())

    def offered_token(self, query: str, cookie_header: str | None) -> tuple[str | None, bool]:
        """The token from the query string (first visit) or the cookie; True when from the query."""
        from_query = parse_qs(query).get("token", [None])[0]
        if from_query:
            return from_query, True
        return read_cookie(cookie_header, cookie_name(self.port)), False

    def set_cookie(self) -> str:
        # HttpOnly: page scripts never need it; SameSite=Strict: no other site's request carries it.
        return f"{cookie_name(self.port)}={self.token}; Path=/; HttpOnly; SameSite=Strict"


def read_cookie(header: str | None, name: str) -> str | None:
    if not header:
        return None
    jar = SimpleCookie()
    try:
        jar.load(header)
    except CookieError:
        return None
    morsel = jar.get(name)
    return morsel.value if morsel else None


def split_target(target: str) -> tuple[str, str]:
    """The request target as (decoded path, raw query)."""
    parts = urlsplit(target)
    return unquote(parts.path), parts.query


def safe_relative(rel: str) -> tuple[str, ...] | None:
    """The parts of a relative path, or None when it could leave its folder.

    Applied to an already percent-decoded path: refuses '..', empty or hidden parts,
    backslashes, NUL and anything absolute. `file_inside` then checks the real place.
    """
    if not rel or "\x00" in rel or "\\" in rel or rel.startswith("/"):
        return None
    parts = tuple(rel.split("/"))
    if any(p in ("", ".", "..") or p.startswith(".") for p in parts):
        return None
    return parts


def file_inside(base: Path, rel: str) -> Path | None:
    """The regular file at base/rel, only if its real location (symlinks followed) is under base."""
    parts = safe_relative(rel)
    if parts is None:
        return None
    real_base = base.resolve()
    try:
        real = real_base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    if real_base not in real.parents or not real.is_file():
        return None
    return real
