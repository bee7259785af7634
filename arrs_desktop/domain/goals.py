"""Rules about goals and the progress scores given against them."""

from __future__ import annotations

from datetime import date


def before_agreed(set_date: date) -> str:
    """Say that a score cannot be dated before its goal was agreed."""
    return f"cannot be before the goal was agreed ({set_date:%d %b %Y})"


def score_allowed_on(set_date: date | None, day: date) -> bool:
    """Return whether a progress score may be dated `day` (not before the goal was agreed)."""
    return set_date is None or day >= set_date
