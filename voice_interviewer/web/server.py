"""`voice-interviewer serve`: the interview in a browser window, on loopback.

One small asyncio server (the `websockets` package; nothing else) answers
plain GETs for the page, its assets and the data folder's pages, and one
WebSocket per open page for everything that changes state: start, "done",
stop, and audio both ways. There is no POST: a GET never changes anything.

Each request passes security.Gate first (Host, token, and Origin on the
socket). One interview runs at a time, owned by the page that started it;
if that page goes away, the interview is stopped (everything said so far is
already on disk).
"""

from __future__ import annotations

import asyncio
import contextlib
import http
import json
import logging
import threading
import time
import webbrowser
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from websockets.asyncio.server import ServerConnection, serve as ws_serve
from websockets.datastructures import Headers
from websockets.exceptions import ConnectionClosed
from websockets.http11 import Request, Response

from voice_interviewer.errors import UserFacingError
from voice_interviewer.session import FrontEnd, SessionControls
from voice_interviewer.web import pages
from voice_interviewer.web.audio_bridge import BargeInSettings, BrowserSink, BrowserSource
from voice_interviewer.web.editor import BrowserCodeEditor
from voice_interviewer.web.live import Defaults, LiveSession, Outcome, choices, run_options, runner_accepts_front_end
from voice_interviewer.web.relay import EventRelay, Outbox
from voice_interviewer.web.security import Gate, new_token, split_target

log = logging.getLogger(__name__)
STATIC = Path(__file__).parent / "static"
ASSETS = {  # URL -> (file in static/, content type); nothing else from the package is served
    "/": ("index.html", "text/html; charset=utf-8"),
    "/static/app.js": ("app.js", "text/javascript; charset=utf-8"),
    "/static/app.css": ("app.css", "text/css; charset=utf-8"),
    "/static/mic-worklet.js": ("mic-worklet.js", "text/javascript; charset=utf-8"),
    "/static/icon.svg": ("icon.svg", "image/svg+xml"),
    # CodeMirror 5, fetched by the page only when a coding round starts (static/vendor/codemirror/README.md)
    "/static/vendor/codemirror/codemirror.min.js": ("vendor/codemirror/codemirror.min.js", "text/javascript; charset=utf-8"),
    "/static/vendor/codemirror/codemirror.css": ("vendor/codemirror/codemirror.css", "text/css; charset=utf-8"),
    "/static/editor.js": ("editor.js", "text/javascript; charset=utf-8"),
    "/static/playback.js": ("playback.js", "text/javascript; charset=utf-8"),
}
MAX_MESSAGE = 1 << 20  # a mic message is ~1 kB; a megabyte is plenty and bounds memory


@dataclass(frozen=True)
class ServeOptions:
    port: int | None = None  # None: a free port
    data_dir: Path | None = None
    open_browser: bool = True
    defaults: Defaults = field(default_factory=Defaults)
    barge_in: BargeInSettings = field(default_factory=BargeInSettings)


class WebServer:
    def __init__(self, options: ServeOptions, run: Callable | None = None, echo=None):
        self.options = options
        self.token = new_token()
        self.gate: Gate | None = None
        self.port = 0
        self._run = run  # tests: a fake run_interview
        self._echo = echo or (lambda line: print(line, flush=True))  # the terminal that started serve
        self._assets = {url: ((STATIC / name).read_bytes(), kind) for url, (name, kind) in ASSETS.items()}
        self._bank = None
        self.live: LiveSession | None = None
        self._owner: ServerConnection | None = None
        self._mic: tuple[BrowserSource, BrowserSink] | None = None
        self._editor: BrowserCodeEditor | None = None
        self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/?token={self.token}"

    # --- lifecycle -----------------------------------------------------------------------
    async def start(self) -> "WebServer":
        self._server = await ws_serve(self._on_socket, "127.0.0.1", self.options.port or 0,
                                      process_request=self._on_request, max_size=MAX_MESSAGE,
                                      server_header=None, ping_interval=20)
        self.port = self._server.sockets[0].getsockname()[1]
        self.gate = Gate(self.token, self.port)  # no await since binding: no request has been seen yet
        return self

    async def close(self) -> None:
        if self.live:
            self.live.controls.stop()
        if self._server:
            self._server.close()
            await self._server.wait_closed()

    def bank(self):
        if self._bank is None:
            from voice_interviewer.bank.questions import load_bank

            self._bank = load_bank()
        return self._bank

    # --- plain HTTP --------------------------------------------------------------------------
    async def _on_request(self, conn: ServerConnection, request: Request) -> Response | None:
        gate = self.gate
        path, query = split_target(request.path)
        if not gate.host_ok(request.headers.get("Host")):
            return _text(421, "Wrong Host header: open the address printed by voice-interviewer serve.")
        if getattr(request, "method", "GET") != "GET":
            return _text(405, "Only GET is served; the page changes things over its WebSocket.")
        token, from_query = gate.offered_token(query, request.headers.get("Cookie"))
        if not gate.token_ok(token):
            return _text(403, "Missing or wrong access token: open the full address printed by "
                              "`voice-interviewer serve` (it ends in ?token=...).")
        if path == "/ws":
            if not gate.origin_ok(request.headers.get("Origin")):
                return _text(403, "This socket only accepts the page served from this address.")
            return None  # go on with the WebSocket handshake
        try:
            response = await self._route(path, query)
        except pages.NotFound as exc:
            response = _text(404, str(exc))
        except UserFacingError as exc:
            response = _text(400, str(exc))
        if from_query:
            response.headers["Set-Cookie"] = gate.set_cookie()
        return response

    async def _route(self, path: str, query: str) -> Response:
        root = self.options.data_dir
        if path in self._assets:
            body, kind = self._assets[path]
            return _response(200, body, kind, _app_csp(self.port) if path == "/" else None)
        if path == "/api/config":
            return _json({**choices(self.bank()), "defaults": self.options.defaults.__dict__,
                          "browser_ready": runner_accepts_front_end(), "running": self.live is not None})
        if path == "/api/sessions":
            return _json(await asyncio.to_thread(pages.session_list, root))
        if path.startswith("/api/sessions/"):
            return _json(await asyncio.to_thread(pages.replay_data, path.removeprefix("/api/sessions/"), root))
        if path.startswith("/report/"):
            html = await asyncio.to_thread(pages.report_html, path.removeprefix("/report/"), root)
            return _response(200, html.encode(), "text/html; charset=utf-8", REPORT_CSP)
        if path == "/progress":
            html = await asyncio.to_thread(pages.progress_html, root)
            return _response(200, html.encode(), "text/html; charset=utf-8", REPORT_CSP)
        if path.startswith("/files/"):
            name, _, rel = path.removeprefix("/files/").partition("/")
            file, kind = await asyncio.to_thread(pages.session_file, name, rel, root)
            return _response(200, await asyncio.to_thread(file.read_bytes), kind)
        raise pages.NotFound("nothing here")

    # --- the WebSocket ---------------------------------------------------------------------------
    async def _on_socket(self, conn: ServerConnection) -> None:
        outbox = Outbox(asyncio.get_running_loop())
        writer = asyncio.create_task(outbox.drain_to(conn.send))
        outbox.post(json.dumps({"type": "hello", "running": self.live is not None}))
        try:
            async for message in conn:
                if isinstance(message, bytes):
                    self._on_mic(conn, message)
                else:
                    await self._on_command(conn, outbox, message)
        except ConnectionClosed:
            pass
        finally:
            outbox.close()
            writer.cancel()
            if self._owner is conn and self.live:
                self.live.controls.stop()  # nobody is left to hear the interviewer
                for end in self._mic or ():
                    end.close()

    def _on_mic(self, conn: ServerConnection, pcm: bytes) -> None:
        if self._owner is not conn or self._mic is None or len(pcm) % 2:
            return
        source, sink = self._mic
        sink.on_mic_frames(source.feed(pcm))

    async def _on_command(self, conn: ServerConnection, outbox: Outbox, text: str) -> None:
        try:
            msg = json.loads(text)
            kind = msg.get("type")
        except (ValueError, AttributeError):
            return
        owner = self._owner is conn and self.live is not None
        if kind == "start":
            await self._start(conn, outbox, msg.get("options") or {})
        elif kind == "done" and owner:
            self.live.controls.end_turn()
        elif kind == "stop" and owner:
            self.live.controls.stop()
        elif kind == "code" and owner and self._editor:
            problem = self._editor.on_code(msg)
            if problem:
                outbox.post(_error(problem, "shorten it (the hidden tests only need the function)"))
        elif kind == "played" and owner and self._mic:
            with contextlib.suppress(TypeError, ValueError):
                self._mic[1].on_played(int(msg["id"]), float(msg.get("played_s", 0)), bool(msg.get("interrupted")))

    async def _start(self, conn: ServerConnection, outbox: Outbox, raw: dict) -> None:
        if self.live is not None:
            outbox.post(_error("A session is already running (in another tab?)", "stop it there first, or wait for it to end"))
            return
        if not isinstance(raw, dict):
            return
        echo = self._echo_to(outbox)
        try:
            opts = await asyncio.to_thread(run_options, raw, self.options.defaults, self.bank(),
                                           self.options.data_dir, echo)
        except UserFacingError as exc:
            outbox.post(_error(exc.message, exc.hint))
            return
        source = BrowserSource()
        sink = BrowserSink(outbox.post, self.options.barge_in)
        editor = BrowserCodeEditor(outbox.post)
        front_end = FrontEnd(source=source, sink=sink, subscribers=(EventRelay(outbox.post),),
                             controls=SessionControls(), name="browser", editor=editor)
        loop = asyncio.get_running_loop()

        def finished(outcome: Outcome) -> None:  # on the session's thread
            outbox.post(json.dumps({"type": "finished", "session": Path(outcome.session_dir).name if outcome.session_dir
                                    else None, "status": outcome.status, "error": outcome.error, "hint": outcome.hint}))
            loop.call_soon_threadsafe(self._clear, conn)

        self._owner, self._mic, self._editor = conn, (source, sink), editor
        self.live = LiveSession(opts, front_end, echo, finished, run=self._run).start()
        outbox.post(json.dumps({"type": "started", "options": {k: str(v) for k, v in opts.__dict__.items()}}))

    def _clear(self, conn: ServerConnection) -> None:
        if self._owner is conn:
            self.live, self._owner, self._mic, self._editor = None, None, None, None

    def _echo_to(self, outbox: Outbox) -> Callable[[str], None]:
        def echo(line: str) -> None:
            self._echo(line)
            outbox.post(json.dumps({"type": "log", "text": str(line)}))
        return echo


# --- responses ---------------------------------------------------------------------------------
REPORT_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; media-src data: 'self'; "
              "frame-ancestors 'self'; base-uri 'none'; form-action 'none'")


def _app_csp(port: int) -> str:
    sockets = " ".join(f"ws://{host}:{port}" for host in ("127.0.0.1", "localhost"))
    return ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            f"media-src 'self' blob: data:; connect-src 'self' {sockets}; frame-src 'self'; "
            "base-uri 'none'; form-action 'none'; frame-ancestors 'none'")


def _response(status: int, body: bytes, kind: str, csp: str | None = None) -> Response:
    headers = Headers([("Content-Type", kind), ("Content-Length", str(len(body))), ("Cache-Control", "no-store"),
                       ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"),
                       ("Cross-Origin-Resource-Policy", "same-origin"), ("Connection", "close")])
    if csp:
        headers["Content-Security-Policy"] = csp
    return Response(status, http.HTTPStatus(status).phrase, headers, body)


def _text(status: int, message: str) -> Response:
    return _response(status, (message + "\n").encode(), "text/plain; charset=utf-8", "default-src 'none'")


def _json(data) -> Response:
    return _response(200, json.dumps(data, default=str).encode(), "application/json")


def _error(message: str, hint: str = "") -> str:
    return json.dumps({"type": "error", "message": message, "hint": hint})


# --- the command's entry point -------------------------------------------------------------------
def serve(options: ServeOptions, ready: Callable[[WebServer], None] | None = None) -> int:
    """Runs until Ctrl-C. `ready` is called once the page can be loaded (tests, benchmarks)."""

    async def main() -> None:
        server = await WebServer(options).start()
        print(f"voice-interviewer is ready at {server.url}", flush=True)
        print("  (only this machine can reach it; the token in the address keeps other users out)", flush=True)
        if options.open_browser:
            threading.Thread(target=_open_browser, args=(server.url,), daemon=True).start()
        if ready:
            ready(server)
        try:
            await asyncio.Future()  # until cancelled by Ctrl-C
        finally:
            await server.close()

    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        print("\nstopped.", flush=True)
    return 0


def _open_browser(url: str) -> None:
    try:
        webbrowser.get()  # raises when this machine has no browser to open (a server, CI)
    except webbrowser.Error:
        print("no browser found here: open the address above in yours", flush=True)
        return
    time.sleep(0.1)
    webbrowser.open(url, new=1)
