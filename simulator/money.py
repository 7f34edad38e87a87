"""Money shown the way a rep reads it: "$8.50", "€2.10", "£11,500"."""

from __future__ import annotations

SYMBOLS = {"USD": "$", "EUR": "€", "GBP": "£", "JPY": "¥", "INR": "₹", "AUD": "A$",
           "CAD": "C$", "CHF": "CHF ", "SEK": "SEK ", "NZD": "NZ$"}


def format_money(amount: float | None, currency: str = "USD") -> str:
    """Format an amount with its currency; cents only where they matter."""
    if amount is None:
        return "—"
    symbol = SYMBOLS.get(currency, f"{currency} ")
    if abs(amount) >= 1000 and float(amount).is_integer():
        body = f"{amount:,.0f}"
    elif abs(amount) >= 1000:
        body = f"{amount:,.2f}"
    else:
        body = f"{amount:.2f}"
    sign = "-" if amount < 0 else ""
    return f"{sign}{symbol}{body.lstrip('-')}"
