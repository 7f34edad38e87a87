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
        print(json.dumps(s.to_dict(), ensure_ascii=False))
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


def _context_of(obj: dict[str, Any]) -> Context:
    """A Context from one JSON object; ValueError names the bad field."""
    kw: dict[str, Any] = {}
    for key in _PRICE_FIELDS:
        v = obj.get(key)
        if v is None:
            continue
        if isinstance(v, bool) or not isinstance(v, (int, float)) or not math.isfinite(v) or v < 0:
            raise ValueError(f"{key} must be a non-negative number")
        kw[key] = float(v)
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
    except (json.JSONDecodeError, RecursionError) as exc:
        return {"line": n, "error": f"invalid JSON: {getattr(exc, 'msg', 'too deeply nested')}"}
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
    return score(text, ctx).to_dict()


def _run_jsonl(name: str) -> int:
    if name == "-":
        stream = sys.stdin
        close = False
    else:
        try:
            stream = open(name, encoding="utf-8-sig", errors="strict")
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
        n = 0
        while True:
            try:
                line = stream.readline()
            except UnicodeDecodeError:
                n += 1
                errors += 1
                print(json.dumps({"line": n, "error": "not UTF-8 text"}), flush=True)
                break
            if not line:
                break
            n += 1
            if not line.strip():
                out = {"line": n, "error": "empty line"}
            else:
                out = score_line(line, n)
            if "error" in out and "question" not in out:
                errors += 1
            sys.stdout.write(json.dumps(out, ensure_ascii=False) + "\n")
        sys.stdout.flush()
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
            lines.append(f"{'':10}> \"{ev.text}\" [{ev.start}:{ev.end}]")
    if s.named_price is not None:
        extra = "  BELOW WALK-AWAY" if s.below_walk_away else ""
        lines.append(f"{'Named:':10}{_money(s.named_price, ctx)} (standing offer {_money(ctx.our_price, ctx)}){extra}")
    lines.append("")
    lines.append("Tips:")
    for k, tip in s.tips.items():
        lines.append(f"  - {k.replace('_', ' ')}: {tip}")
    return "\n".join(lines)
