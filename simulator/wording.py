"""Counted nouns in plain English: "1 free concession", "180 users a month".

Core, no UI: every count a rep reads goes through `counted`, never "response(s)".
"""

from __future__ import annotations

#: Words after which the noun before them is the one counted ("user a month").
_RATE_WORDS = ("a", "an", "per", "each")


def _inflect(word: str) -> str:
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    if len(word) > 1 and word.endswith("y") and word[-2] not in "aeiou":
        return word[:-1] + "ies"
    return word + "s"


def plural(noun: str) -> str:
    """`noun` in the plural: its last word, or the word before a rate ("user a month" ->
    "users a month", "free concession" -> "free concessions")."""
    words = noun.split(" ")
    at = next((k - 1 for k, w in enumerate(words) if k and w in _RATE_WORDS), len(words) - 1)
    words[at] = _inflect(words[at])
    return " ".join(words)


def counted(n: float, noun: str) -> str:
    """"1 response", "4 responses", "400,000 drives" (a whole number, with separators)."""
    return f"{n:,.0f} {noun if n == 1 else plural(noun)}"
