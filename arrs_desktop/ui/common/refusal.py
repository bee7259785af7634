"""A refused write in plain words, for the message under a field or a list (one place)."""

from __future__ import annotations


def refusal_text(exc: Exception) -> str:
    """Return a store refusal as one plain sentence: each field at fault and what is wrong
    with it ("need id unknown; person id is not a person on this log"), else the message."""
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict) and errors:
        return "; ".join(f"{k.replace('_', ' ')} {v}" for k, v in errors.items())
    return str(exc)


def refusal_reasons(exc: Exception) -> str:
    """Return only what is wrong (no field names), joined: "is not an episode on this log"."""
    errors = getattr(exc, "errors", None)
    if isinstance(errors, dict) and errors:
        return "; ".join(errors.values())
    return str(exc)
