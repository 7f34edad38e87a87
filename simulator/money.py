"""Money shown the way a rep reads it: "$8.50", "€2.10", "£11,500", "$950"."""

from __future__ import annotations

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "AUD": "A$",
           "CAD": "C$", "CHF": "CHF ", "SEK": "SEK ", "NZD": "NZ$"}


#: The mark for "no value" (no price agreed, a habit that never came up), everywhere.
BLANK = "–"


def amount_text(amount: float) -> str:
    """An amount without its currency, by the one rule every screen and export uses: cents
    on small amounts ("8.50", "10.00", so a unit price never reads "$8" beside "$8.50") and on
    any amount that has them ("1,150.50"); none on whole amounts of 100 and more ("950",
    "1,150", so "$950" sits beside "$1,150", not "$950.00")."""
    if abs(amount) >= 100 and float(amount).is_integer():
        return f"{amount:,.0f}"
    return f"{amount:,.2f}"


def format_money(amount: float | None, currency: str = "USD") -> str:
    """Format an amount with its currency; cents only where they matter."""
    if amount is None:
        return BLANK
    symbol = SYMBOLS.get(currency, f"{currency} ")
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{amount_text(abs(amount))}"
