"""`shadowbox score`: score one rep response, or a JSON-lines file of them.

    shadowbox score "OK, we can do $7.90" --our-price 8.50 --their-price 7.50 --walk-away 8.20
    shadowbox score "I can do that." --our-price 8.50 --buyer "Can you do 7.50?"
    shadowbox score "Send it over, and can we hold 15 minutes Tuesday?" --scenario send-information
    shadowbox score --jsonl responses.jsonl      # or - for stdin

With --scenario, the response is scored against that scenario's opening deal (the rep's
offer, the buyer's number, the walk-away, the currency) and its own gives and gets, as in
practice; --our-price and the other flags override the scenario's values.

With --jsonl, each input line is a JSON object with `text` and optional `our_price`,
`their_price`, `walk_away`, `currency` and `buyer` (the buyer's line being answered); each
output line is `Score.to_dict()` (with
`question`, `price`, `exchange`…) or, for a bad line, `{"line": n, "error": "..."}`.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import sys
from dataclasses import replace
from typing import Any

from simulator.scoring import Context, Score, score

_PRICE_FIELDS = ("our_price", "their_price", "walk_away")
_SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "AUD": "A$", "CAD": "C$"}


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "score",
        description="Score TEXT on holding price, trading and open questions, with the "
        "evidence behind each verdict. With --jsonl, score one JSON object per line.",
    )
    p.add_argument("text", nargs="?", metavar="TEXT", help="the rep's response")
    p.add_argument("--our-price", type=_price, metavar="N", help="the rep's standing offer")
    p.add_argument("--their-price", type=_price, metavar="N", help="the buyer's number")
    p.add_argument("--walk-away", type=_price, metavar="N", help="the rep's floor")
    p.add_argument("--currency", default=None, metavar="C", help="currency code (default USD, or the scenario's)")
    p.add_argument("--scenario", metavar="ID",
                   help="score against this scenario's prices, gives and gets (as in practice)")
    p.add_argument("--buyer", default="", metavar="LINE",
                   help="the buyer's line the response answers (so 'I can do that' is read against it)")
    p.add_argument("--jsonl", metavar="FILE", help="JSON lines to score ('-' for stdin)")
    p.add_argument("--json", action="store_true", help="print the score as JSON instead of text")
    p.set_defaults(func=run)


def _price(value: str) -> float:
    try:
        v = float(value.replace(",", ""))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not math.isfinite(v) or v < 0:
        raise argparse.ArgumentTypeError(f"not a price: {value!r}")
    return v


def run(args: argparse.Namespace) -> int:
    if args.jsonl is not None:
        if args.text is not None:
            print("shadowbox score: error: give TEXT or --jsonl, not both", file=sys.stderr)
            return 2
        return _run_jsonl(args.jsonl)
    if args.text is None:
        print("shadowbox score: error: give TEXT to score, or --jsonl FILE", file=sys.stderr)
        return 2
    base = _scenario_context(args) if args.scenario else Context()
    given = {k: getattr(args, k) for k in _PRICE_FIELDS if getattr(args, k) is not None}
    ctx = replace(
        base,
        currency=(args.currency or base.currency or "USD").upper(),
        buyer_said=args.buyer or "",
        **given,
    )
    s = score(args.text, ctx)
    if args.json:
        print(json.dumps(faithful(s.to_dict(), args.text), ensure_ascii=False))
    else:
        print(render(s, ctx))
    return 0


def _scenario_context(args: argparse.Namespace) -> Context:
    """The context practice would score the first response of a scenario with."""
    from simulator.commands.common import load
    from simulator.session import Session

    lib = load(args, report=False)
    scenario = lib.scenario(args.scenario)  # a one-line error naming the ids on a typo
    return Session(scenario, lib.persona_of(scenario), seed=0).context()


def faithful(out: dict[str, Any], text: str) -> dict[str, Any]:
    """A score's dict with each evidence span's text as the reply has it (the scorer gives
    its whitespace-normalised copy: a newline read as a space)."""
    spans = [f["span"] for f in out.get("findings_detail") or () if f.get("span")]
    for verdict in (out.get("verdicts") or {}).values():
        spans += verdict.get("evidence") or ()
        spans += [f["span"] for f in verdict.get("findings") or () if f.get("span")]
    for ev in spans:
        ev["text"] = text[ev["start"]:ev["end"]]
    return out


def _context_of(obj: dict[str, Any]) -> Context:
    """A Context from one JSON object; ValueError names the bad field."""
    kw: dict[str, Any] = {}
    for key in _PRICE_FIELDS:
        v = obj.get(key)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            raise ValueError(f"{key} must be a non-negative number")
        try:
            v = float(v)
        except OverflowError:  # an integer with hundreds of digits
            raise ValueError(f"{key} is too large to be a price") from None
        if not math.isfinite(v) or v < 0:
            raise ValueError(f"{key} must be a non-negative number")
        kw[key] = v
    cur = obj.get("currency", "USD")
    if cur is None:
        cur = "USD"
    if not isinstance(cur, str):
        raise ValueError("currency must be a string")
    buyer = obj.get("buyer")
    if buyer is not None and not isinstance(buyer, str):
        raise ValueError("buyer must be a string")
    return Context(currency=cur.upper(), buyer_said=buyer or "", **kw)


def score_line(line: str, n: int) -> dict[str, Any]:
    """The output object for input line `n` (1-based): a score or an error."""
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return {"line": n, "error": f"invalid JSON: {exc.msg} (column {exc.colno})"}
    except RecursionError:
        return {"line": n, "error": "invalid JSON: too deeply nested"}
    except ValueError as exc:  # an integer of 5,000 digits (Python's limit is 4,300)
        why = ("a number of more than 4,300 digits" if "digits" in str(exc)
               else " ".join(str(exc).split())[:120])
        return {"line": n, "error": f"invalid JSON: {why}"}
    if not isinstance(obj, dict):
        return {"line": n, "error": "expected a JSON object"}
    text = obj.get("text")
    if text is None:
        return {"line": n, "error": "missing 'text'"}
    if not isinstance(text, str):
        return {"line": n, "error": "'text' must be a string"}
    try:
        ctx = _context_of(obj)
    except ValueError as exc:
        return {"line": n, "error": str(exc)}
    try:
        return faithful(score(text, ctx).to_dict(), text)
    except Exception as exc:  # noqa: BLE001 - one line's failure never loses the run
        return {"line": n, "error": f"could not score this line ({type(exc).__name__}: "
                                    f"{' '.join(str(exc).split())[:120]})"}


#: Longest JSON line read, and most bytes read from one input, before giving up on it.
MAX_LINE_BYTES = 1_000_000
MAX_JSONL_BYTES = 200_000_000


def _lines(stream) -> Any:
    """(n, text or None, error or None) for each line of a binary stream: each line is
    decoded on its own (a bad byte names its own line, the next lines still count), no
    line is read past MAX_LINE_BYTES and no stream past MAX_JSONL_BYTES."""
    n = total = 0
    while True:
        raw = stream.readline(MAX_LINE_BYTES + 1)
        if not raw:
            return
        n += 1
        total += len(raw)
        if len(raw) > MAX_LINE_BYTES and not raw.endswith(b"\n"):
            while raw and not raw.endswith(b"\n") and total <= MAX_JSONL_BYTES:
                raw = stream.readline(MAX_LINE_BYTES)  # skip the rest of this line
                total += len(raw)
            yield n, None, "line longer than 1 MB"
        elif n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if total > MAX_JSONL_BYTES:
            yield n + 1, None, "input larger than 200 MB; stopped reading here"
            return
        if len(raw) > MAX_LINE_BYTES:
            continue
        try:
            yield n, raw.decode("utf-8"), None
        except UnicodeDecodeError as exc:
            yield n, None, f"not UTF-8 text (byte {exc.start + 1} of the line)"


def _run_jsonl(name: str) -> int:
    if name == "-":
        # a real stdin has bytes underneath; a text stream put in its place (a test, an
        # embedding program) is read as text
        stream = getattr(sys.stdin, "buffer", None) or io.BytesIO(
            sys.stdin.read().encode("utf-8", "surrogatepass"))
        close = False
    else:
        try:
            stream = open(name, "rb")
        except FileNotFoundError:
            print(f"shadowbox score: error: {name}: no such file", file=sys.stderr)
            return 2
        except IsADirectoryError:
            print(f"shadowbox score: error: {name}: is a directory", file=sys.stderr)
            return 2
        except OSError as exc:
            print(f"shadowbox score: error: {name}: {exc.strerror or exc}", file=sys.stderr)
            return 2
        close = True
    errors = 0
    try:
        for n, line, error in _lines(stream):
            if error is not None:
                out: dict[str, Any] = {"line": n, "error": error}
            elif not line.strip():
                out = {"line": n, "error": "empty line"}
            else:
                out = score_line(line, n)
            if "error" in out and "question" not in out:
                errors += 1
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    except OSError as exc:
        print(f"shadowbox score: error: {name}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    finally:
        if close:
            stream.close()
    return 1 if errors else 0


def _money(v: float | None, ctx: Context) -> str:
    if v is None:
        return "-"
    sym = _SYMBOLS.get(ctx.currency, ctx.currency + " ")
    return f"{sym}{v:,.2f}" if v < 1000 else f"{sym}{v:,.0f}"


def render(s: Score, ctx: Context) -> str:
    """A readable verdict with the evidence behind it."""
    lines = ([f"Buyer:    {ctx.buyer_said}"] if ctx.buyer_said else []) + [f"Response: {s.text}", ""]
    rows = [
        ("Question", s.question),
        ("Price", s.price),
        ("Exchange", s.exchange),
        ("Stall", s.stall),
    ]
    if s.is_telling:
        rows.append(("Telling", s.telling))
    for name, v in rows:
        label = v.label
        if name == "Exchange" and s.gets:
            label += f" (asks for: {', '.join(s.gets)})"
        lines.append(f"{name + ':':10}{label}")
        if v.reason and v.label not in ("no",):
            lines.append(f"{'':10}{v.reason}" + (f"  [{v.rule}]" if v.rule else ""))
        for ev in v.evidence[:4]:
            lines.append(f"{'':10}> \"{s.text[ev.start:ev.end]}\" [{ev.start}:{ev.end}]")
        if v.findings:
            lines.append(f"{'':10}because: {v.because()}")
    if s.named_price is not None:
        extra = "  BELOW WALK-AWAY" if s.below_walk_away else ""
        lines.append(f"{'Named:':10}{_money(s.named_price, ctx)} (standing offer {_money(ctx.our_price, ctx)}){extra}")
    if s.findings:
        lines.append("")
        lines.append("Findings:")
        lines += [f"  - {f}" for f in s.findings]
    lines.append("")
    lines.append("Tips:")
    for k, tip in s.tips.items():
        lines.append(f"  - {k.replace('_', ' ')}: {tip}")
    return "\n".join(lines)
