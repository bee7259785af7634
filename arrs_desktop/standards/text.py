"""Plain-text rules for wording that comes from a PCN's files (code terms, measure items)."""

from __future__ import annotations

import re
import unicodedata

# Markup would be shown as typed, or worse, read as rich text by a Qt label.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>|&(#\d+|#x[0-9A-Fa-f]+|[A-Za-z]+);")


def show(value: object, limit: int = 60) -> str:
    """Return a value as it goes in a message: short, never a whole nested structure."""
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list"
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def plain_text_problem(text: str, *, max_len: int, multiline: bool = False) -> str | None:
    """Return why text cannot be shown as plain words, or None when it can.

    Refused: control characters (line breaks only when `multiline`), hidden formatting
    characters (zero-width spaces, direction overrides, soft hyphens, byte-order marks),
    markup, and text longer than `max_len` characters.
    """
    if len(text) > max_len:
        return f"is too long ({len(text)} characters; at most {max_len})"
    for ch in text:
        if multiline and ch in "\n\t":
            continue
        category = unicodedata.category(ch)
        if category in ("Cc", "Cs") or ch in "\u2028\u2029":
            return "contains control characters" + ("" if multiline else " or a line break")
        if category in ("Cf", "Co"):
            return (f"contains a hidden character (U+{ord(ch):04X}) that changes how the "
                    "text looks; type it again as plain text")
    markup = MARKUP.search(text)
    if markup:
        return (f"must be plain text, not markup ({show(markup.group(0))} would be shown as "
                "typed); write it in plain words")
    return None
