"""`shadowbox serve`: the app in a web browser (textual-serve), for a meeting-room screen."""

from __future__ import annotations

import argparse
import ipaddress
import shlex
import sys

from simulator.errors import ShadowboxError

LOOPBACK = ("localhost", "127.0.0.1", "::1")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        description="Serve Shadowbox to a web browser with textual-serve: open the printed "
        "address on the room's screen or a laptop, no terminal needed. Each browser tab runs "
        "its own copy of the app. Only this computer can connect unless --host says otherwise.",
    )
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this computer only; "
                   "0.0.0.0 lets anyone on the network connect)")
    p.add_argument("--port", type=int, default=8000, help="port to listen on (default 8000)")
    p.add_argument("--drill", action="store_true",
                   help="open on the drill set-up instead of the library")
    p.add_argument("--projector", action="store_true",
                   help="with --drill: the high-contrast projector layout")
    p.set_defaults(func=run)


def app_command(args: argparse.Namespace) -> str:
    """The shell command each browser session runs: this Python, `-m simulator`."""
    argv = [sys.executable, "-m", "simulator"]
    for folder in getattr(args, "library", []) or []:
        argv += ["--library", str(folder)]
    if args.drill:
        argv.append("drill")
        if args.projector:
            argv.append("--projector")
    return shlex.join(argv)


def run(args: argparse.Namespace) -> int:
    if not 1 <= args.port <= 65535:
        raise ShadowboxError(f"--port {args.port}: give a port between 1 and 65535")
    if args.projector and not args.drill:
        raise ShadowboxError("--projector goes with --drill (the projector layout is the drill's)")
    host = args.host.strip()
    if host not in LOOPBACK:
        try:
            private = not ipaddress.ip_address(host).is_loopback
        except ValueError:
            private = True
        if private:
            print(f"shadowbox: warning: serving on {host}: anyone who can reach this computer "
                  "on that address can open the app", file=sys.stderr)
    from textual_serve.server import Server

    server = Server(app_command(args), host=host, port=args.port,
                    title="Shadowbox drill" if args.drill else "Shadowbox")
    shown = f"[{host}]" if ":" in host else host
    print(f"Serving Shadowbox at http://{shown}:{args.port}  (Ctrl+C to stop; add "
          "?fontsize=28 to the address for larger text on a projector)", flush=True)
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


def _quiet_closed_loop(unraisable: sys.UnraisableHookArgs) -> None:
    """Drop asyncio's 'Event loop is closed' from transports collected after shutdown."""
    exc = unraisable.exc_value
    if isinstance(exc, RuntimeError) and str(exc) == "Event loop is closed":
        return
    sys.__unraisablehook__(unraisable)
