"""`shadowbox serve` in a real browser: start it on a free local port, open it in headless
Chromium, screenshot the home screen, then stop the server and check nothing is left."""

from __future__ import annotations

import asyncio
import base64
import json
import os
import shlex
import shutil
import signal
import socket
import struct
import subprocess
import sys
import time
import zlib
from pathlib import Path

import pytest

from simulator.cli import build_parser
from simulator.commands.serve import app_command

#: The token the served tests use (`serve --token`).
TOKEN = "test-token-0123456789"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
#: Set SHADOWBOX_SHOTS to a folder to keep the screenshot for a look.
SHOTS = os.environ.get("SHADOWBOX_SHOTS")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, timeout: float = 20.0) -> None:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if proc.poll() is not None:
            raise AssertionError(f"server exited early: {proc.communicate()[1]}")
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.1)
    raise AssertionError(f"nothing listening on port {port} after {timeout}s")


def start_chromium(tmp_path: Path, timeout: float = 90.0) -> tuple[subprocess.Popen, int]:
    """Headless Chromium on a debugging port of its own choosing (port 0: no race with a
    port picked beforehand), read from the DevToolsActivePort file it writes once it
    listens. The first start on a fresh machine can be slow; a failure shows its stderr."""
    profile = tmp_path / "chrome"
    log = tmp_path / "chromium.log"
    with log.open("w") as err:
        browser = subprocess.Popen(
            [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
             "--no-first-run", "--disable-background-networking", "--disable-component-update",
             "--disable-sync", f"--user-data-dir={profile}", "--remote-debugging-port=0",
             "--window-size=1280,800", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    active = profile / "DevToolsActivePort"
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if browser.poll() is not None:
            raise AssertionError(f"chromium exited ({browser.returncode}): "
                                 f"{log.read_text()[-2000:]}")
        first = active.read_text().split("\n")[0].strip() if active.exists() else ""
        if first.isdigit():
            return browser, int(first)
        time.sleep(0.1)
    os.killpg(browser.pid, signal.SIGKILL)
    raise AssertionError(f"chromium opened no debugging port after {timeout}s: "
                         f"{log.read_text()[-2000:]}")


def png_pixels(data: bytes) -> tuple[int, int, list[bytes]]:
    """Decode an 8-bit RGB/RGBA PNG (what Chromium writes) into rows of pixels."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        chunk = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, color = struct.unpack(">IIBB", chunk[:10])
            assert depth == 8 and color in (2, 6), (depth, color)
            bpp = 3 if color == 2 else 4
        elif kind == b"IDAT":
            idat += chunk
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * bpp
    rows: list[bytes] = []
    prev = bytearray(stride)
    for y in range(height):
        ftype = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            a = line[i - bpp] if i >= bpp else 0
            b = prev[i]
            c = prev[i - bpp] if i >= bpp else 0
            if ftype == 1:
                line[i] = (line[i] + a) & 0xFF
            elif ftype == 2:
                line[i] = (line[i] + b) & 0xFF
            elif ftype == 3:
                line[i] = (line[i] + (a + b) // 2) & 0xFF
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 0xFF
        rows.append(bytes(line))
        prev = line
    return width, height, [bytes(r[i:i + 3]) for r in rows for i in range(0, stride, bpp)]


async def browse(cdp_port: int, url: str, shot: Path, timeout: float = 40.0) -> dict:
    """Drive Chromium over the DevTools protocol: open `url`, wait until the app has drawn,
    save a screenshot. Returns what the page reported."""
    import aiohttp

    async with aiohttp.ClientSession() as http:
        async with http.put(f"http://127.0.0.1:{cdp_port}/json/new?about:blank") as r:
            target = json.loads(await r.text())
        async with http.ws_connect(target["webSocketDebuggerUrl"], max_msg_size=0) as ws:
            n = 0

            async def call(method: str, **params):
                nonlocal n
                n += 1
                await ws.send_json({"id": n, "method": method, "params": params})
                while True:
                    msg = await ws.receive_json()
                    if msg.get("id") == n:
                        if "error" in msg:
                            raise AssertionError(f"{method}: {msg['error']}")
                        return msg["result"]

            async def classes() -> str:
                res = await call("Runtime.evaluate",
                                 expression="document.body ? document.body.className : ''")
                return res["result"].get("value", "")

            await call("Emulation.setDeviceMetricsOverride", width=1280, height=800,
                       deviceScaleFactor=1, mobile=False)
            await call("Page.navigate", url=url)
            end = time.monotonic() + timeout
            state = ""
            while time.monotonic() < end:
                state = await classes()
                if "-first-byte" in state or "-closed" in state:
                    break
                await asyncio.sleep(0.25)
            assert "-closed" not in state, "the app session ended in the browser"
            assert "-first-byte" in state, f"the app never drew in the browser ({state!r})"
            await asyncio.sleep(2.0)  # let the first screen settle (fade-in is 0.3 s)
            res = await call("Page.captureScreenshot", format="png")
            shot.write_bytes(base64.b64decode(res["data"]))
            title = await call("Runtime.evaluate", expression="document.title")
            return {"classes": await classes(), "title": title["result"].get("value")}


@pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed "
                    "(apt-get install -y chromium) so the browser test cannot run")
def test_serve_home_screen_in_headless_chromium(tmp_path):
    port = free_port()
    env = dict(os.environ, SHADOWBOX_HOME=str(tmp_path / "home"))
    server = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", str(port), "--token", TOKEN],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)  # its own process group: the app sessions it spawns too
    browser = None
    try:
        wait_for_port(port, server)
        browser, cdp_port = start_chromium(tmp_path)
        shot = (Path(SHOTS) if SHOTS else tmp_path) / "serve-home.png"
        seen = asyncio.run(browse(cdp_port, f"http://127.0.0.1:{port}/?token={TOKEN}", shot))
        assert seen["title"] == "Shadowbox"  # the tab: the app's name, never the token

        width, height, pixels = png_pixels(shot.read_bytes())
        assert (width, height) == (1280, 800)
        counts: dict[bytes, int] = {}
        for px in pixels:
            counts[px] = counts.get(px, 0) + 1
        background = max(counts.values())
        # The library draws text, a list and panels: many colours, a real share of the
        # screen that is not background (the splash alone is one dark box and a logo).
        assert len(counts) > 50, len(counts)
        assert background / len(pixels) < 0.9, background / len(pixels)
    finally:
        if browser is not None:
            os.killpg(browser.pid, signal.SIGTERM)
            browser.wait(timeout=20)
        server.send_signal(signal.SIGINT)  # what Ctrl+C does
        try:
            out, err = server.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)
            out, err = server.communicate()
            raise AssertionError("the server did not stop on Ctrl+C") from None
    assert server.returncode == 0, err
    assert "Traceback" not in err, err
    assert f"http://127.0.0.1:{port}" in out
    with socket.socket() as s:
        assert s.connect_ex(("127.0.0.1", port)) != 0, "the port is still open"
    end = time.monotonic() + 10
    while time.monotonic() < end:  # the app sessions go with the server
        try:
            os.killpg(server.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.2)
    else:
        os.killpg(server.pid, signal.SIGKILL)
        raise AssertionError("an app session outlived the server")


def test_serve_command_line():
    args = build_parser().parse_args(["--library", "my lib", "serve", "--drill", "--projector"])
    cmd = app_command(args)
    assert cmd.startswith(shlex.quote(sys.executable) + " ")
    assert cmd.endswith("-m simulator --library 'my lib' drill --projector")
    args = build_parser().parse_args(["serve"])
    assert (args.host, args.port) == ("127.0.0.1", 8000)
    assert app_command(args, Path("/tmp/ex ports")).startswith(
        "SHADOWBOX_EXPORT_DIR='/tmp/ex ports' ")


def test_serve_port_in_use():
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run([sys.executable, "-m", "simulator", "serve", "--port", str(port)],
                              capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert f"cannot listen on 127.0.0.1:{port}" in proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize("argv, message", [
    (["serve", "--port", "70000"], "between 1 and 65535"),
    (["serve", "--projector"], "goes with --drill"),
])
def test_serve_bad_arguments(argv, message):
    proc = subprocess.run([sys.executable, "-m", "simulator", *argv], capture_output=True,
                          text=True, timeout=60)
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and message in proc.stderr


# ---------------------------------------------------------------- the token and the Origin


async def _guarded_requests(port: int) -> dict:
    """What a real client meets at each door: page and websocket, with and without the
    token, from this server's page and from someone else's."""
    import aiohttp

    base = f"http://127.0.0.1:{port}"
    ours = {"Origin": base}
    out: dict = {}
    async with aiohttp.ClientSession() as http:
        for name, url in [("page, no token", "/"), ("page, wrong token", "/?token=nope-nope"),
                          ("page, token", f"/?token={TOKEN}")]:
            async with http.get(base + url) as r:
                out[name] = (r.status, await r.text())
        async with http.get(f"{base}/?token={TOKEN}",
                            headers={"Host": f"rebound.example:{port}"}) as r:
            out["page, foreign Host"] = (r.status, "")
        for name, url, headers in [
            ("ws, no token", "/ws", ours),
            ("ws, wrong token", "/ws/wrong-token-000", ours),
            ("ws, token, foreign Origin", f"/ws/{TOKEN}", {"Origin": "http://evil.example"}),
            ("ws, token, other port Origin", f"/ws/{TOKEN}",
             {"Origin": f"http://127.0.0.1:{port + 1}"}),
            ("ws, token, no Origin", f"/ws/{TOKEN}", {}),
        ]:
            try:
                async with http.ws_connect(base + url, headers=headers):
                    out[name] = 101
            except aiohttp.WSServerHandshakeError as exc:
                out[name] = exc.status
        # the right token from the right page: the app starts and draws
        async with http.ws_connect(f"{base}/ws/{TOKEN}?width=80&height=24",
                                   headers=ours) as ws:
            got = b""
            end = time.monotonic() + 40
            while len(got) < 200 and time.monotonic() < end:
                msg = await ws.receive(timeout=max(0.1, end - time.monotonic()))
                if msg.type == aiohttp.WSMsgType.BINARY:
                    got += msg.data
                elif msg.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                    break
            out["ws, token, our Origin"] = len(got)
    return out


def _start_serve(tmp_path, *extra: str) -> tuple[subprocess.Popen, int]:
    port = free_port()
    env = dict(os.environ, SHADOWBOX_HOME=str(tmp_path / "home"))
    proc = subprocess.Popen(
        [sys.executable, "-m", "simulator", "serve", "--port", str(port), *extra],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        start_new_session=True)
    wait_for_port(port, proc)
    return proc, port


def _stop_serve(proc: subprocess.Popen) -> tuple[str, str]:
    proc.send_signal(signal.SIGINT)
    try:
        return proc.communicate(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        return proc.communicate()


def test_serve_needs_the_token_and_its_own_origin(tmp_path):
    proc, port = _start_serve(tmp_path, "--token", TOKEN)
    try:
        seen = asyncio.run(_guarded_requests(port))
    finally:
        out, err = _stop_serve(proc)
    assert f"http://127.0.0.1:{port}/?token={TOKEN}" in out
    assert seen["page, no token"][0] == 401
    assert seen["page, wrong token"][0] == 401
    status, page = seen["page, token"]
    assert status == 200 and f"ws://127.0.0.1:{port}/ws/{TOKEN}" in page
    # the tab reads the app's name, not the address with its token
    assert "<title>Shadowbox</title>" in page and page.count("<title>") == 1
    assert seen["page, foreign Host"][0] == 403
    assert seen["ws, no token"] == 401
    assert seen["ws, wrong token"] == 401
    assert seen["ws, token, foreign Origin"] == 403
    assert seen["ws, token, other port Origin"] == 403
    assert seen["ws, token, no Origin"] == 403
    assert seen["ws, token, our Origin"] >= 200, "the app did not draw over the websocket"
    assert "Traceback" not in err, err


def test_serve_token_is_new_each_run_and_warns_off_localhost(tmp_path):
    urls = []
    for _ in range(2):
        proc, port = _start_serve(tmp_path)
        out, err = _stop_serve(proc)
        urls.append(out.split("?token=")[1].split()[0])
        assert "warning" not in err
    assert urls[0] != urls[1] and len(urls[0]) >= 20
    proc, port = _start_serve(tmp_path, "--host", "0.0.0.0")
    out, err = _stop_serve(proc)
    assert "warning: serving on 0.0.0.0" in err and "token" in err


def test_serve_bad_token_is_one_line():
    proc = subprocess.run([sys.executable, "-m", "simulator", "serve", "--token", "a b"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1 and "--token" in proc.stderr
    assert proc.stderr.strip().count("\n") == 0


@pytest.mark.parametrize("origin, host, ok", [
    ("http://127.0.0.1:8000", "127.0.0.1:8000", True),
    ("http://localhost:8000", "localhost:8000", True),
    ("http://[::1]:8000", "[::1]:8000", True),
    ("http://localhost:8000", "127.0.0.1:8000", False),   # not the address the page came from
    ("http://evil.example:8000", "evil.example:8000", False),  # DNS rebinding
    ("http://127.0.0.1:8001", "127.0.0.1:8000", False),
    ("null", "127.0.0.1:8000", False),
    ("", "127.0.0.1:8000", False),
    ("http://127.0.0.1:8000/page", "127.0.0.1:8000", False),
])
def test_guard_origin_on_loopback(origin, host, ok):
    from simulator.commands.serve import Guard

    assert Guard("127.0.0.1", 8000, TOKEN).origin_ok(origin, host) is ok


def test_guard_on_every_address_takes_ips_and_this_computer_only():
    from simulator.commands.serve import Guard

    g = Guard("0.0.0.0", 8000, TOKEN)
    assert g.origin_ok("http://192.168.1.20:8000", "192.168.1.20:8000")
    assert g.origin_ok(f"http://{socket.gethostname()}:8000", f"{socket.gethostname()}:8000")
    assert not g.origin_ok("http://evil.example:8000", "evil.example:8000")
    assert not g.host_ok("evil.example:8000") and not g.host_ok("192.168.1.20:9000")
    assert not g.host_ok("<script>:8000")
    assert g.token_ok(TOKEN) and not g.token_ok(TOKEN + "x") and not g.token_ok(None)
