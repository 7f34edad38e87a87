"""Every CLI command, fuzzed with hostile arguments, files and stdin: never a traceback, never
a raw escape on the terminal, and no run over 5 s.

Runs `simulator.cli.main` in-process (a subprocess per example would make the suite
minutes longer); the app-opening paths (`shadowbox`, practice, drill, serve) run up to the
point where the app or the server would start, which is stubbed. Set SHADOWBOX_FUZZ_EXAMPLES
for a longer run (default 6 examples per command).
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from simulator.cli import COMMANDS, build_parser, main
from test_tui_support import PERSONA, SCENARIO

EXAMPLES = int(os.environ.get("SHADOWBOX_FUZZ_EXAMPLES", "6"))
#: The issue's bound for one run of one command, in CPU seconds: on a shared machine (other
#: test suites running) wall time can be several times the work done. A hang would use no
#: CPU, so wall time is bounded too, loosely.
SLOWEST = 5.0
HUNG = 60.0


def _files(root: Path) -> dict[str, str]:
    """Hostile files and folders, made once; name -> path."""
    root.mkdir(parents=True, exist_ok=True)
    lib = root / "lib"
    (lib / "personas").mkdir(parents=True)
    (lib / "scenarios").mkdir(parents=True)
    (lib / "personas" / "it-director.yaml").write_text(
        PERSONA.replace("name: Dana Whitlow", 'name: "[/]Dana \\e[2J [bold]W"'))
    (lib / "scenarios" / "renewal.yaml").write_text(
        SCENARIO.replace("title: The backup renewal under budget pressure",
                         'title: "\\e]0;pwned\\a[/] Renewal [@click=app.quit]x"'))
    (lib / "scenarios" / "deep.yaml").write_text("a: " + "[" * 10_000 + "]" * 10_000)
    (lib / "scenarios" / "loop.yaml").symlink_to(lib / "scenarios" / "loop.yaml")
    (lib / "scenarios" / "zero.yaml").symlink_to("/dev/zero")
    (lib / "scenarios" / "broken.yaml").write_text("id: [unclosed\n")
    files = {
        "lib": str(lib),
        "deep": str(lib / "scenarios" / "deep.yaml"),
        "loop": str(lib / "scenarios" / "loop.yaml"),
        "zero": "/dev/zero",
        "dir": str(root),
        "missing": str(root / "nowhere" / "file.yaml"),
        "big": str(root / "big.txt"),
        "binary": str(root / "binary.yaml"),
        "latin1": str(root / "latin1.txt"),
        "script": str(root / "script.txt"),
        "team": str(root / "team.txt"),
        "jsonl": str(root / "in.jsonl"),
        "empty": str(root / "empty.txt"),
        "test": str(root / "x.test.yaml"),
    }
    Path(files["big"]).write_bytes(b"x" * 5_000_100)
    Path(files["binary"]).write_bytes(b"\x89PNG\r\n\x1a\n\x00\xff" * 50)
    Path(files["latin1"]).write_bytes("Our price is 8,50 €\ncafé\n".encode("latin-1",
                                                                           "replace"))
    Path(files["script"]).write_text("[/] fine\n\x1b]0;x\x07 we can do $7.50\n=cmd|' /C calc'!A0\n"
                                     + "What is behind that target? " * 200 + "\n")
    Path(files["team"]).write_text("=HYPERLINK(\"x\")\n[/]\n[bold]Ben\n\x1b[2J\n")
    Path(files["jsonl"]).write_bytes(b"\n".join([
        b'{"text": "x", "our_price": ' + b"1" * 5000 + b"}", b'{"text": "\\ud800"}',
        b"\xff\xfe", b"[" * 50_000, b'{"text": "ok"}']) + b"\n")
    Path(files["empty"]).write_text("")
    Path(files["test"]).write_text("scenario: renewal\npaths:\n  - name: x\n    lines: "
                                   "['[/]']\n    expect: {outcome: " + "[" * 5000 + "\n")
    return files


FILES = _files(Path(os.environ.get("TMPDIR", "/tmp")) / f"shadowbox-fuzz-{os.getpid()}")

#: Values an argument may take: markup, escapes, huge and odd numbers, hostile paths.
VALUES = st.sampled_from([
    "[/]", "[bold]x", "\x1b]0;pwned\x07\x1b[2J", "\x9b31m", "\ud800", "=HYPERLINK(\"x\")",
    "1" * 5000, str(10**23), "-1", "0", "nan", "inf", "1e400", "", " ", "-", "--",
    "procurement-head", "renewal", "tiny", "1", "md", "csv", "json", "html", "mermaid",
    "scenario", "persona", "Ana,Ben", ",,,", "a" * 300, "../../etc/passwd", "~",
    *FILES.values(),
])


def _options(command: str) -> list[str]:
    parser = build_parser(command)
    sub = next(a for a in parser._actions if a.dest == "command")
    return [o for a in sub.choices[command]._actions for o in a.option_strings
            if o not in ("-h", "--help")]


def _argv(command: str) -> st.SearchStrategy[list[str]]:
    options = _options(command) if command else []
    token = st.one_of(VALUES, st.sampled_from(options)) if options else VALUES
    head = st.sampled_from([[], ["--library", FILES["lib"]], ["--library", FILES["loop"]]])
    cmd = [command] if command else []
    return st.tuples(head, st.lists(token, max_size=6)).map(lambda t: t[0] + cmd + t[1])


STDIN = st.one_of(
    st.binary(max_size=400),
    st.sampled_from([Path(FILES["script"]).read_bytes(), Path(FILES["jsonl"]).read_bytes(),
                     b"\xff" * 10, b""]),
)


@pytest.fixture
def sandbox(tmp_path, monkeypatch):
    """A working folder and history of its own; the app and the server never start."""
    import textual_serve.server

    import simulator.tui.app

    monkeypatch.setenv("SHADOWBOX_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("SHADOWBOX_LIBRARY", raising=False)
    monkeypatch.delenv("SHADOWBOX_EXPORT_DIR", raising=False)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(simulator.tui.app, "run_app", lambda app: 0)
    monkeypatch.setattr(textual_serve.server.Server, "serve", lambda self, debug=False: None)
    return tmp_path


def run(argv: list[str], stdin: bytes) -> tuple[str, str, float, float]:
    """main(argv) as a terminal would see it: strict UTF-8 out, `stdin` in."""
    out, err = io.BytesIO(), io.BytesIO()
    saved = sys.stdin, sys.stdout, sys.stderr
    streams = (io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8"),
               io.TextIOWrapper(out, encoding="utf-8", write_through=True),
               io.TextIOWrapper(err, encoding="utf-8", write_through=True))
    sys.stdin, sys.stdout, sys.stderr = streams
    start, cpu = time.monotonic(), time.process_time()
    try:
        try:
            main(argv)
        except SystemExit:
            pass  # argparse's usage errors
        except BaseException as exc:  # noqa: BLE001 - any other escape is the bug
            raise AssertionError(f"shadowbox {argv!r} raised {type(exc).__name__}: {exc}") \
                from exc
        finally:
            sys.stdout.flush()
            sys.stderr.flush()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved
        for stream in streams:
            stream.detach()  # keep the buffers open to read them
    return (out.getvalue().decode("utf-8"), err.getvalue().decode("utf-8"),
            time.process_time() - cpu, time.monotonic() - start)


@pytest.mark.parametrize("command", ["", *COMMANDS])
def test_fuzz_every_command(sandbox, command):
    run([command] if command else [], b"")  # imports and first loads are not the run timed
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(argv=_argv(command), stdin=STDIN)
    def one(argv, stdin):
        out, err, took, wall = run(argv, stdin)
        assert "Traceback" not in err, (argv, err[-2000:])
        assert not any(c in out + err for c in "\x1b\x07\x9b"), (argv, (out + err)[:500])
        assert took < SLOWEST and wall < HUNG, (argv, took, wall)
        if "--json" in argv and out.strip() and "error" not in err:
            json.loads(out)  # machine output stays machine-readable

    one()
