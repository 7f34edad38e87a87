"""`shadowbox serve`: the app in a web browser (textual-serve), for a meeting-room screen.

Only a browser holding the secret token that `serve` prints can open the page or the
websocket that drives the app, and the websocket is refused unless it comes from a page of
the served address itself (its Origin): a web page on some other site, open in the same
browser, cannot type into the app. Exports from served apps go into one folder, named at
start; no path typed in a browser leaves it.
"""

from __future__ import annotations

import argparse
import hmac
import ipaddress
import re
import secrets
import shlex
import socket
import sys
from pathlib import Path
from urllib.parse import urlsplit

from simulator.errors import ShadowboxError, display_path

LOOPBACK = ("localhost", "127.0.0.1", "::1")
#: Listening on one of these means every address of this computer.
WILDCARD = ("0.0.0.0", "::", "")
#: What a --token may be made of (it goes into an address unquoted).
TOKEN_CHARS = re.compile(r"[A-Za-z0-9._~-]{8,200}")
#: A Host header or an Origin's host that can be trusted into a page: a name or an IP.
HOST_SHAPE = re.compile(r"(?:[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        description="Serve Shadowbox to a web browser with textual-serve: open the printed "
        "address (it carries a secret token, new each run) on the room's screen or a laptop, "
        "no terminal needed. Each browser tab runs its own copy of the app. Only this "
        "computer can connect unless --host says otherwise.",
    )
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only; "
                   "0.0.0.0 lets anyone on the network who has the token connect)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--token", metavar="TOKEN",
                   help="the secret the address must carry (default: a new random one each "
                   "run; 8 or more of A-Z a-z 0-9 . _ ~ -)")
    p.add_argument("--exports", metavar="DIR", type=Path,
                   help="the one folder the served apps export into (default: exports/ in "
                   "the data folder)")
    p.add_argument("--drill", action="store_true",
                   help="open on the drill set-up instead of the library")
    p.add_argument("--projector", action="store_true",
                   help="with --drill: the high-contrast projector layout")
    p.set_defaults(func=run)


def app_command(args: argparse.Namespace, exports: Path | None = None) -> str:
    """The shell command each browser session runs: this Python, `-m simulator`, with its
    exports confined to `exports`."""
    from simulator.export import EXPORT_DIR_ENV

    argv = [sys.executable, "-m", "simulator"]
    for folder in getattr(args, "library", []) or []:
        argv += ["--library", str(folder)]
    if args.drill:
        argv.append("drill")
        if args.projector:
            argv.append("--projector")
    command = shlex.join(argv)
    if exports is not None:
        command = f"{EXPORT_DIR_ENV}={shlex.quote(str(exports))} {command}"
    return command


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK:
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _is_ip(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


class Guard:
    """Who may open the page and the websocket: the token, and for the websocket an
    Origin that is the served address. Pure logic, so it is tested without a server."""

    def __init__(self, host: str, port: int, token: str) -> None:
        self.host, self.port, self.token = host, port, token

    def token_ok(self, given: str | None) -> bool:
        return given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def host_ok(self, host_port: str | None) -> bool:
        """A Host header (or an Origin's netloc) naming this server: its address and port.
        Loopback serves answer to every loopback name; a wildcard serve answers to IP
        addresses and this computer's names (never to an arbitrary domain, so a page that
        rebinds its own domain to this computer is refused)."""
        if not host_port or not HOST_SHAPE.fullmatch(host_port):
            return False
        try:
            parts = urlsplit(f"//{host_port}")
            name, port = (parts.hostname or "").lower(), parts.port
        except ValueError:
            return False
        if port != self.port:
            return False
        if _is_loopback(self.host):
            return _is_loopback(name)
        if self.host in WILDCARD:
            return _is_ip(name) or name in {"localhost", socket.gethostname().lower(),
                                            socket.getfqdn().lower()}
        return name == self.host.lower().strip("[]")

    def origin_ok(self, origin: str | None, host_header: str | None) -> bool:
        """A websocket's Origin: a page of this server, at the address the browser used."""
        if not origin:
            return False
        try:
            parts = urlsplit(origin)
        except ValueError:
            return False
        if parts.scheme not in ("http", "https") or parts.path not in ("", "/"):
            return False
        netloc = parts.netloc
        if parts.port is None:
            netloc += ":443" if parts.scheme == "https" else ":80"
        host = host_header or ""
        if host and urlsplit(f"//{host}").port is None:
            host += ":80"
        return self.host_ok(netloc) and netloc.lower() == host.lower()


def make_server(command: str, host: str, port: int, token: str, title: str):
    """The textual-serve server with the token and Origin checks in front of it."""
    from aiohttp import web
    from textual_serve.server import Server

    guard = Guard(host, port, token)

    class GuardedServer(Server):
        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.router.add_get("/ws/{token}", self.handle_websocket)
            app.middlewares.append(check)
            return app

        async def on_startup(self, app: web.Application) -> None:
            """Quiet: `serve` prints its own address (textual-serve's would show the
            command and an address without the token)."""

        async def handle_index(self, request: web.Request):
            """The page, with its links and its websocket at the address the browser used,
            the websocket carrying the token."""
            import html

            import aiohttp_jinja2

            base = f"{request.scheme}://{request.host}"
            ws = ("wss" if request.scheme == "https" else "ws") + base[base.index(":"):]
            context = {
                "font_size": max(6, min(72, _int(request.query.get("fontsize"), 16))),
                "app_websocket_url": f"{ws}/ws/{token}",
                "config": {"static": {"url": f"{base}/static/"}},
                "application": {"name": self.title},
            }
            page = aiohttp_jinja2.render_template("app_index.html", request, context)
            # textual-serve's page has no <title>: the tab would show the address, token and
            # all, on the meeting-room screen. Name the app instead.
            page.text = page.text.replace(
                "<head>", f"<head>\n    <title>{html.escape(self.title)}</title>", 1)
            return page

    @web.middleware
    async def check(request: web.Request, handler):
        path = request.path
        if path.startswith("/static/"):
            return await handler(request)
        if not guard.host_ok(request.headers.get("Host")):
            raise web.HTTPForbidden(text="Shadowbox: this address is not the one being served\n")
        if path == "/ws" or path.startswith("/ws/"):
            given = request.match_info.get("token") or request.query.get("token")
            if not guard.token_ok(given):
                raise web.HTTPUnauthorized(text="Shadowbox: the token is missing or wrong\n")
            if not guard.origin_ok(request.headers.get("Origin"), request.headers.get("Host")):
                raise web.HTTPForbidden(text="Shadowbox: a page from another site may not "
                                        "drive the app\n")
        elif path == "/":
            if not guard.token_ok(request.query.get("token")):
                raise web.HTTPUnauthorized(
                    text="Shadowbox: open the address `shadowbox serve` printed, with its "
                    "?token=...\n")
        # /download/{key}: the key is a random id the app sends over the guarded websocket.
        response = await handler(request)
        response.headers.setdefault("Cache-Control", "no-store")
        response.headers.setdefault("Referrer-Policy", "no-referrer")
        return response

    return GuardedServer(command, host=host, port=port, title=title)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None and len(value) < 4 else default
    except ValueError:
        return default


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise ShadowboxError(f"--port {args.port}: give a port between 1 and 65535")
    if args.projector and not args.drill:
        raise ShadowboxError("--projector goes with --drill (the projector layout is the drill's)")
    if args.token is not None and not TOKEN_CHARS.fullmatch(args.token):
        raise ShadowboxError("--token: give 8 to 200 of A-Z a-z 0-9 . _ ~ -")
    token = args.token or secrets.token_urlsafe(18)
    host = args.host.strip()
    exports = _export_folder(args.exports)
    if not _is_loopback(host):
        print(f"shadowbox: warning: serving on {host or 'every address'}: anyone who can reach "
              "this computer there and has the address with its token can use the app; "
              "share it only with the room", file=sys.stderr)

    server = make_server(app_command(args, exports), host, args.port, token,
                         "Shadowbox drill" if args.drill else "Shadowbox")
    shown = socket.gethostname() if host in WILDCARD else host
    shown = f"[{shown}]" if ":" in shown else shown
    print(f"Serving Shadowbox at http://{shown}:{args.port}/?token={token}", flush=True)
    print(f"  exports go to {display_path(exports)}; Ctrl+C to stop; add &fontsize=28 to the "
          "address for larger text on a projector", flush=True)
    try:
        server.serve()
    except OSError as exc:
        raise ShadowboxError(f"cannot listen on {host}:{args.port}: "
                             f"{exc.strerror or exc}") from None
    # textual-serve closes its event loop while an app's subprocess transport is still
    # alive; when that transport is collected, asyncio prints a traceback for a loop that
    # is already closed. The server has stopped cleanly by then: keep the exit quiet.
    sys.unraisablehook = _quiet_closed_loop
    return 0


def _export_folder(given: Path | None) -> Path:
    """The served apps' export folder, created now so a bad one fails before serving."""
    from simulator.store import data_dir

    folder = (given.expanduser() if given is not None else data_dir() / "exports")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        folder = folder.resolve()
    except (OSError, RuntimeError) as exc:
        raise ShadowboxError(f"--exports {given or folder}: cannot use it as the export "
                             f"folder: {getattr(exc, 'strerror', None) or exc}") from None
    if not folder.is_dir():
        raise ShadowboxError(f"--exports {given}: not a folder")
    return folder


def _quiet_closed_loop(unraisable: sys.UnraisableHookArgs) -> None:
    """Drop asyncio's 'Event loop is closed' from transports collected after shutdown."""
    exc = unraisable.exc_value
    if isinstance(exc, RuntimeError) and str(exc) == "Event loop is closed":
        return
    sys.__unraisablehook__(unraisable)
