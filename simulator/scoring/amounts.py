"""Reading money out of a rep's text: "$8.20", "8.2", "eight twenty", "120k", "€2,10",
"£11,500", "11.2k", "5%", "fifty cents off".

Every pattern here is bounded (no nested unbounded repetition), so matching is linear.
Amounts are found first; whether an amount is an offer, the buyer's number or a decline is
decided by the price rules in `simulator.scoring.price`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from simulator.scoring.fastre import lazy, lower_exact

AmountKind = Literal["price", "pct", "delta"]


@dataclass(frozen=True)
class Amount:
    """One amount in the text: a price, a percentage, or a money reduction ("50 cents off")."""

    value: float
    start: int
    end: int
    kind: AmountKind
    explicit: bool  # carries a currency sign/word or a k/m suffix: surely money


_CODES = r"USD|EUR|GBP|CAD|AUD|CHF|INR|SGD|NZD|JPY|ZAR|HKD|SEK|NOK|DKK|MXN|BRL|CNY|AED"
_CUR_PRE = r"(?:US\$|A\$|AU\$|C\$|CA\$|S\$|NZ\$|HK\$|R\$|\$|€|£|¥|₹|Rs\.?|Fr\.|R(?= ?\d)|" + _CODES + r")"
_CUR_POST = r"(?:€|£|\$|¥|₹|dollars?|euros?|pounds?|bucks|quid|rupees?|yen|francs?|rand|" + _CODES + r")"
_DIGITS = lazy(
    r"(?<![\w.,/:#-])"
    r"(?P<cur>" + _CUR_PRE + r" ?)?"
    r"(?P<num>\d{1,2}(?:,\d{2}){1,4},\d{3}(?:\.\d{1,2})?"  # Indian grouping: 4,50,000
    r"|\d{1,3}(?:['’]\d{3}){1,4}(?:\.\d{1,2})?"  # Swiss grouping: 1'850
    r"|\d{1,3}(?:,\d{3}){1,4}(?:\.\d{1,2})?"
    r"|\d{1,3}(?:\.\d{3}){1,4}(?:,\d{1,2})?"
    r"|\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3}){1,4}(?:[.,]\d{1,2})?"  # space grouping: SEK 78 000
    r"|\d{1,9}(?:[.,]\d{1,3})?"
    r"|[.,]\d{1,2})"
    r"(?![\d]|[:.,]\d)"  # not a time (10:30) nor a number cut short ("$8.50:" is 8.50)
    r"(?P<suf> ?(?:k|K|m|M|mn|bn|million|thousand|grand|lakhs?|lacs?|Lakhs?|crores?|Crores?|cr)(?![a-zA-Z]))?"
    r"(?P<cur2> ?" + _CUR_POST + r"(?![a-zA-Z]))?"
    r"(?P<cents> ?(?:cents?|c|p|pence)(?![a-zA-Z]))?"
    r"(?P<pct> ?(?:%|percent(?:age points?)?|per ?cent|pct)(?![a-zA-Z]))?"
)

_UNITS = {
    "zero": 0, "oh": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
_TENS = {
    "twenty": 20, "thirty": 30, "forty": 40, "fourty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
}
_SCALES = {"hundred": 100, "thousand": 1000, "grand": 1000, "million": 1_000_000, "lakh": 100_000, "crore": 10_000_000}
_NUMWORD = r"(?:" + "|".join(sorted(list(_UNITS) + list(_TENS), key=len, reverse=True)) + r")"
# A run of number words: "eight twenty", "eleven thousand five hundred", "seven-fifty",
# "a dollar", "half a percent". At most 8 words, so the match is bounded.
_WORDS = lazy(
    r"(?<![\w-])(?P<w>(?:a|an|" + _NUMWORD + r")(?:(?:[ -]|-and-| and )"
    r"(?:" + _NUMWORD + r"|hundred|thousand|million|grand|lakh|crore|point|a half|half)){0,7})"
    r"(?![\w-])"
    r"(?P<cur2> (?:dollars?|euros?|pounds?|bucks|quid))?"
    r"(?P<and> (?:and )?(?P<w2>" + _NUMWORD + r"(?:[ -]" + _NUMWORD + r")?) (?:cents?|pence|p))?"
    r"(?P<cents> (?:cents?|pence))?"
    r"(?P<pct> (?:percent|per cent|%))?",
    re.I,
)
# The same pattern without re.I, for text lower-cased first: about twice as fast in `re`,
# and exact where fastre.lower_exact() allows it.
_WORDS_LOW = lazy(_WORDS.pattern)
_OFF_AFTER = lazy(
    r"\A ?(?:off\b|discount|reduction|rebate|lower\b|less\b|cheaper|knocked off|taken off|"
    r"below\b|under\b|cut\b|down\b|saving)",
    re.I,
)
# A count or duration: the number is followed by a unit, possibly after one describing word
# ("five other vendors", "three new sites", "two more years").
_COUNT_AFTER = lazy(
    r"\A[ -]?(?:(?:other|more|new|extra|additional|different|separate|approved|existing|"
    r"competing|rival|big|major|main|smaller|larger|full|whole|straight|consecutive|local|"
    r"regional|national|key|active|open|possible|further|previous|past|last|next|first) )?"
    r"(?:years?|yrs?|months?|mos?|weeks?|wks?|days?|hours?|hrs?|minutes?|mins?|"
    r"seconds?|units?|pieces?|pcs|pallets?|cases?|boxes|seats?|licen[cs]es?|users?|people|"
    r"staff|sites?|locations?|stores?|trucks?|loads?|lanes?|shipments?|containers?|"
    r"deliveries|orders?|vendors?|suppliers?|competitors?|others|times?|calls?|meetings?|"
    r"rollouts?|percent|%|am\b|pm\b|o'?clock|th\b|st\b|nd\b|rd\b|of (?:them|us|you|the)|"
    r"modules?|features?|phases?|floors?|beds?|devices?|systems?|machines?|engineers?|"
    r"reps?|projects?|clients?|customers?|accounts?|quarters?|installs?|tonnes?|tons?|"
    r"kg|lbs?|miles?|km|sq|square|feet|ft|metres?|meters?|hospitals?|clinics?|"
    r"employees?|members?|steps?|points?|pages?|slides?|references?|case stud|"
    r"questions?|things?|ways?|options?|reasons?|more\b|x\b|-year|-month|-week|-day)",
    re.I,
)
_COUNT_BEFORE = lazy(
    r"(?:\bnet|\btop|\bpage|\bstep|\bphase|\bversion|\bv|\bq|\bqtr|\bquarter|\bnumber|"
    r"\bno\.|#|\bfor|\bwithin|\bin|\bfirst|\blast|\bnext|\bat least|\bsigned by)\s?\Z",
    re.I,
)
_COUNT_BEFORE_BARE = lazy(r"(?:\bfor|\bwithin|\bin|\bfirst|\blast|\bnext|\bby)\s\Z", re.I)


def _parse_digits(num: str, euro: bool) -> float | None:
    """Parse "11,500", "2,10", "8.20", "11.500" (euro), ".50" into a float."""
    s = num.replace("'", "").replace("’", "")
    if re.fullmatch(r"\d{1,2}(?:,\d{2})+,\d{3}(?:\.\d{1,2})?", s):
        s = s.replace(",", "")  # Indian grouping
    if "," in s and "." in s:
        if s.rfind(",") > s.rfind("."):
            s = s.replace(".", "").replace(",", ".")
        else:
            s = s.replace(",", "")
    elif "," in s:
        if re.fullmatch(r"\d{1,3}(?:,\d{3})+", s):
            s = s.replace(",", "")
        else:
            s = s.replace(",", ".")
    elif "." in s and euro and re.fullmatch(r"\d{1,3}(?:\.\d{3})+", s):
        s = s.replace(".", "")
    try:
        return float(s)
    except ValueError:
        return None


def _scale(suf: str) -> float:
    suf = suf.strip().lower()
    if suf in ("k", "thousand", "grand"):
        return 1000.0
    if suf in ("m", "mn", "million"):
        return 1_000_000.0
    if suf == "bn":
        return 1_000_000_000.0
    if suf.startswith(("lakh", "lac")):
        return 100_000.0
    if suf.startswith("cr"):
        return 10_000_000.0
    return 1.0


def _words_value(words: str) -> list[float]:
    """All readings of a run of number words.

    "eight twenty" reads as 8.20 (dollars and cents, as people say prices) and as 820;
    "eleven thousand five hundred" as 11500; "eight and a half" as 8.5. The caller picks the
    reading closest to the standing offer.
    """
    toks = [t for t in re.split(r"[ -]+", words.lower()) if t and t != "and"]
    if not toks:
        return []
    toks = ["one" if t in ("a", "an") else t for t in toks]
    # "eight and a half", "nine and a half grand": a half joins the group before it.
    merged: list[str] = []
    for t in toks:
        if t == "half" and merged and merged[-1] == "one" and len(merged) > 1:
            merged[-1] = "half"  # "a" (read as one) + "half"
        else:
            merged.append(t)
    toks = merged
    if "point" in toks:
        i = toks.index("point")
        whole = _words_value(" ".join(toks[:i])) if i else [0.0]
        frac = "".join(str(_UNITS.get(t, "")) for t in toks[i + 1 :] if t in _UNITS)
        if not whole or not frac:
            return []
        return [whole[0] + float("0." + frac)]
    # Split into groups: each group is a number below 100 possibly scaled.
    total = 0.0
    current = 0.0
    groups: list[float] = []
    for t in toks:
        if t in _UNITS:
            if current and (current % 10 != 0 or current >= 100 or current < 20) and current < 100:
                groups.append(current)
                current = 0.0
            current += _UNITS[t]
        elif t in _TENS:
            if current and current < 100:
                groups.append(current)
                current = 0.0
            current += _TENS[t]
        elif t == "half":
            current += 0.5
        elif t in _SCALES:
            sc = _SCALES[t]
            if sc == 100:
                current = (current or 1) * 100
            else:
                total += (current or 1) * sc
                current = 0.0
        else:
            return []
    if total and groups:
        return []
    if total:
        return [total + current]
    groups.append(current)
    if len(groups) == 1:
        return [groups[0]]
    if len(groups) == 2:
        a, b = groups
        if b < 100 and a < 1000:
            return [a + b / 100.0, a * 100 + b] if b >= 10 or toks[-2] in ("oh", "zero") else [a * 100 + b]
    return []


def _closest(values: list[float], ref: float | None) -> float:
    if ref is None or len(values) == 1:
        return values[0]
    return min(values, key=lambda v: abs(v - ref) / max(ref, 1e-9))


def _pct_kind(pct_priced: bool, after: str) -> AmountKind:
    return "price" if pct_priced and not _OFF_AFTER.match(after) else "pct"


MAX_AMOUNTS = 64  # a response naming more prices than this is read on its first 64


_SPACES = lazy(r"[ \u00a0\u202f\u2009]")  # the spaces of "78 000"


def _near(val: float, ref: float | None) -> bool:
    """Within a factor of about three of the standing offer: a reading of the price."""
    return ref is not None and 0.3 * ref <= val <= 3 * ref


_LAST: tuple = ("", None, None, ())  # the last call's (text, ref, pct_priced, amounts)


def find_amounts(text: str, ref: float | None = None, pct_priced: bool = False) -> list[Amount]:
    """`_find_amounts`, remembered for the last text: the price rules and the learned layer
    read the same response's amounts one after the other (a pure function of its
    arguments; Amounts are frozen, and each caller gets its own list)."""
    global _LAST
    last = _LAST
    if last[1] == ref and last[2] == pct_priced and last[0] == text:
        return list(last[3])
    out = _find_amounts(text, ref, pct_priced)
    _LAST = (text, ref, pct_priced, tuple(out))
    return out


def _find_amounts(text: str, ref: float | None = None, pct_priced: bool = False) -> list[Amount]:
    """Every amount in `text` (the first MAX_AMOUNTS of each kind of writing, digits and
    words, so that hostile text with thousands of "$1"s costs no more than a long reply).
    `ref` (the standing offer) decides ambiguous readings and whether a bare number is a
    price at all. Where the deal itself is priced in percent (a fee of 22% of salary, a
    12.5% commission), `pct_priced` reads "11%" as a price, and only "2% off" as money off."""
    out: list[Amount] = []
    for m in _DIGITS.finditer(text):
        if len(out) >= MAX_AMOUNTS:
            break
        cur, num, suf, cur2, cents, pct = m.group("cur", "num", "suf", "cur2", "cents", "pct")
        euro = bool((cur and "€" in cur) or (cur and "EUR" in cur) or (cur2 and ("€" in cur2 or "eur" in cur2.lower())))
        spaced = _SPACES.search(num) is not None
        val = _parse_digits(_SPACES.sub("", num) if spaced else num, euro)
        if val is None:
            continue
        if spaced and not (cur or cur2 or suf) and not _near(val, ref):
            continue  # "78 000" is one number beside a currency or near the price, not in "2 500-seat plans"
        if suf:
            val *= _scale(suf)
        end = m.end()
        after = text[end : end + 24]
        before = text[max(0, m.start() - 12) : m.start()]
        if pct:
            out.append(Amount(val, m.start(), end, _pct_kind(pct_priced, after), True))
            continue
        if cents and not cur and (_OFF_AFTER.match(after) or not _near(val, ref)):
            val = val / 100.0  # "45c" on a $1.20 price; but "25.1p" where the deal is priced in pence
        explicit = bool(cur or cur2 or suf or cents)
        if not explicit:
            if _COUNT_AFTER.match(after) or _COUNT_BEFORE.search(before):
                continue
            if ref is None:
                # A bare number with no standing offer: only decimals look like prices.
                if not re.search(r"[.,]\d", num):
                    continue
            else:
                if ref >= 1000 and val < 1000 and 0.4 * ref <= val * 1000 <= 2.5 * ref:
                    val *= 1000  # "we can do 115" on a 120k deal
                if not _near(val, ref):
                    continue
        kind: AmountKind = "delta" if _OFF_AFTER.match(after) else "price"
        out.append(Amount(val, m.start(), end, kind, explicit))
    taken = [(a.start, a.end) for a in out]
    low = lower_exact(text)
    words = _WORDS_LOW.finditer(low) if low is not None else _WORDS.finditer(text)
    n_digits = len(out)
    for m in words:
        if len(out) - n_digits >= MAX_AMOUNTS:
            break
        w = m.group("w")
        if w.lower() in ("a", "an"):
            if not (m.group("cur2") or m.group("cents") or m.group("pct")):
                continue
        if any(s < m.end() and m.start() < e for s, e in taken):
            continue
        vals = _words_value(w)
        if not vals:
            continue
        end = m.end()
        after = text[end : end + 24]
        before = text[max(0, m.start() - 12) : m.start()]
        if m.group("pct"):
            out.append(Amount(vals[0], m.start(), end, _pct_kind(pct_priced, after), True))
            continue
        cents_only = bool(m.group("cents")) and not m.group("cur2")
        if cents_only:
            val = _closest(vals, None) / 100.0
            explicit = True
        else:
            val = _closest(vals, ref)
            explicit = bool(m.group("cur2"))
            if m.group("and") and m.group("w2"):
                sub = _words_value(m.group("w2"))
                if sub:
                    val = vals[0] + sub[0] / 100.0
                    explicit = True
        if not explicit:
            if _COUNT_AFTER.match(after) or _COUNT_BEFORE_BARE.search(before):
                continue
            if len(w.split()) == 1 and len(w.split("-")) == 1 and max(vals) < 10 and ref is not None and ref >= 10:
                continue  # "covering two depots" on a $1,150 rate: a count, not "two" thousand
            if ref is not None and ref >= 1000:
                scaled = [v * 1000 for v in vals if v < 1000]
                near = [v for v in scaled if 0.5 * ref <= v <= 2 * ref]
                if near and not (0.5 * ref <= val <= 2 * ref):
                    val = _closest(near, ref)
            if ref is None or not (0.5 * ref <= val <= 2 * ref):
                continue
            if len(w.split()) == 1 and len(w.split("-")) == 1 and val < 10 and ref >= 10:
                continue
        kind: AmountKind = "delta" if _OFF_AFTER.match(after) else "price"
        out.append(Amount(val, m.start(), end, kind, explicit))
    out.sort(key=lambda a: a.start)
    return out
