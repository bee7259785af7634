"""Reporting periods, which part of the team a report covers, and medians (pure data)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from statistics import median

PERIOD_KINDS: dict[str, str] = {
    "this_month": "This month",
    "last_month": "Last month",
    "quarter": "This quarter",
    "year": "This financial year",
    "custom": "Custom dates",
}

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

def month_end(day: date) -> date:
    """Return the last day of the month a day falls in."""
    first_next = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return first_next - timedelta(days=1)

@dataclass(frozen=True)
class Period:
    """A reporting period: every day from `start` to `end`, both included."""

    start: date
    end: date
    label: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("the period's end is before its start")

    @classmethod
    def this_month(cls, today: date) -> Period:
        """Return the calendar month containing today."""
        start = today.replace(day=1)
        return cls(start, month_end(start), f"{_MONTHS[start.month - 1]} {start.year}")

    @classmethod
    def last_month(cls, today: date) -> Period:
        """Return the calendar month before the one containing today."""
        end = today.replace(day=1) - timedelta(days=1)
        return cls.this_month(end)

    @classmethod
    def quarter(cls, today: date) -> Period:
        """Return the calendar quarter containing today (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec)."""
        first_month = 3 * ((today.month - 1) // 3) + 1
        start = date(today.year, first_month, 1)
        end = month_end(date(today.year, first_month + 2, 1))
        label = f"{_MONTHS[first_month - 1]}–{_MONTHS[first_month + 1]} {today.year}"
        return cls(start, end, label)

    @classmethod
    def year(cls, today: date) -> Period:
        """Return the NHS financial year (1 April to 31 March) containing today."""
        first = today.year if today.month >= 4 else today.year - 1
        return cls(date(first, 4, 1), date(first + 1, 3, 31),
                   f"Financial year {first}-{str(first + 1)[-2:]}")

    @classmethod
    def custom(cls, start: date, end: date) -> Period:
        """Return the days from start to end, both included."""
        return cls(start, end, f"{start:%d %b %Y} to {end:%d %b %Y}")

    @classmethod
    def of_kind(cls, kind: str, today: date, start: date | None = None,
                end: date | None = None) -> Period:
        """Return the period of a kind named in PERIOD_KINDS."""
        if kind == "custom":
            if start is None or end is None:
                raise ValueError("a custom period needs a start and an end date")
            return cls.custom(start, end)
        makers = {"this_month": cls.this_month, "last_month": cls.last_month,
                  "quarter": cls.quarter, "year": cls.year}
        if kind not in makers:
            raise ValueError(f"unknown period {kind!r}")
        return makers[kind](today)

    @property
    def days(self) -> int:
        """Return how many days the period covers."""
        return (self.end - self.start).days + 1

    def contains(self, day: date) -> bool:
        """Say whether a day falls in the period."""
        return self.start <= day <= self.end

    def months(self) -> list[date]:
        """Return the first day of each calendar month the period touches."""
        out, day = [], self.start.replace(day=1)
        while day <= self.end:
            out.append(day)
            day = month_end(day) + timedelta(days=1)
        return out

    def as_of(self, today: date) -> date:
        """Return the day 'overdue' is judged on: the period's end, or today if sooner."""
        return min(self.end, today)

    def slug(self) -> str:
        """Return the period as text fit for a file name."""
        return f"{self.start.isoformat()}_to_{self.end.isoformat()}"

@dataclass(frozen=True)
class ReportFilter:
    """Which part of the team a report covers: a role, a worker, or everyone."""

    role: str | None = None
    worker: str | None = None

def median_days(values: list[int]) -> float | None:
    """Return the median of a list of day counts, or None when there are none."""
    return float(median(values)) if values else None

def median_of_counts(counts: dict[int, int]) -> float | None:
    """Return the median of day counts given as {days: how many}, or None when empty.

    The same value as `median_days` of the list the counts stand for.
    """
    total = sum(counts.values())
    if not total:
        return None
    lower_at, upper_at = (total - 1) // 2, total // 2
    lower = upper = None
    seen = 0
    for days in sorted(counts):
        seen += counts[days]
        if lower is None and seen > lower_at:
            lower = days
        if seen > upper_at:
            upper = days
            break
    assert lower is not None and upper is not None
    return float((lower + upper) / 2)
