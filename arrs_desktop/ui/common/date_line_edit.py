"""A text field for an optional date typed as DD/MM/YYYY."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from PySide6.QtWidgets import (
    QLineEdit,
    QWidget,
)


def parse_uk_date(text: str) -> date | str | None:
    """Read DD/MM/YYYY (or YYYY-MM-DD); return a date, None when blank, or the raw text
    (so the store's validation names the problem) when it cannot be read."""
    text = text.strip()
    if not text:
        return None
    m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
    if m:
        day, month, year = (int(g) for g in m.groups())
        try:
            return date(year, month, day)
        except ValueError:
            return "not-a-date"
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return "not-a-date"
    return "not-a-date"


def format_uk_date(value: date | None) -> str:
    """Show a date as DD/MM/YYYY."""
    return f"{value:%d/%m/%Y}" if value else ""


class DateLineEdit(QLineEdit):
    """A text field for an optional date typed as DD/MM/YYYY."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("DD/MM/YYYY")

    def value(self) -> date | str | None:
        """Return the date typed, None if blank, or text the store will reject."""
        return parse_uk_date(self.text())

    def set_value(self, value: date | None) -> None:
        """Show a date."""
        self.setText(format_uk_date(value))


def date_check(edit: DateLineEdit, *, required: bool = False, not_future: bool = False,
               earliest: Callable[[], tuple[date, str] | None] | None = None
               ) -> Callable[[], str | None]:
    """Return a check for a DD/MM/YYYY field: readable, required, not in the future, and
    not before `earliest()` (a day and how to say it) when given."""
    def check() -> str | None:
        day = edit.value()
        if day is None:
            return "is required" if required else None
        if not isinstance(day, date):
            return "is not a real date (type it as DD/MM/YYYY)"
        if not_future and day > date.today():
            return "cannot be in the future"
        limit = earliest() if earliest is not None else None
        if limit is not None and day < limit[0]:
            return limit[1]
        return None

    return check
