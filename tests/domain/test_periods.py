"""Reporting periods: pure date logic."""

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrs_desktop.domain.periods import Period, median_days, median_of_counts, month_end


@pytest.mark.parametrize(
    ("today", "kind", "start", "end"),
    [
        (date(2026, 11, 26), "this_month", date(2026, 11, 1), date(2026, 11, 30)),
        (date(2026, 11, 26), "last_month", date(2026, 10, 1), date(2026, 10, 31)),
        (date(2026, 1, 5), "last_month", date(2025, 12, 1), date(2025, 12, 31)),
        (date(2024, 3, 10), "last_month", date(2024, 2, 1), date(2024, 2, 29)),
        (date(2026, 11, 26), "quarter", date(2026, 10, 1), date(2026, 12, 31)),
        (date(2026, 2, 1), "quarter", date(2026, 1, 1), date(2026, 3, 31)),
        (date(2026, 5, 31), "quarter", date(2026, 4, 1), date(2026, 6, 30)),
        (date(2026, 11, 26), "year", date(2026, 4, 1), date(2027, 3, 31)),
        (date(2026, 3, 31), "year", date(2025, 4, 1), date(2026, 3, 31)),
        (date(2026, 4, 1), "year", date(2026, 4, 1), date(2027, 3, 31)),
    ],
)
def test_period_kinds(today, kind, start, end):
    period = Period.of_kind(kind, today)
    assert (period.start, period.end) == (start, end)
    assert period.label


def test_custom_period_needs_both_dates_in_order():
    p = Period.of_kind("custom", date(2026, 1, 1), date(2025, 1, 1), date(2025, 1, 31))
    assert p.days == 31
    with pytest.raises(ValueError):
        Period.of_kind("custom", date(2026, 1, 1), date(2025, 1, 1))
    with pytest.raises(ValueError):
        Period.custom(date(2025, 2, 1), date(2025, 1, 31))
    with pytest.raises(ValueError):
        Period.of_kind("fortnight", date(2026, 1, 1))


def test_months_and_as_of():
    p = Period.custom(date(2025, 11, 15), date(2026, 2, 3))
    assert p.months() == [date(2025, 11, 1), date(2025, 12, 1), date(2026, 1, 1),
                          date(2026, 2, 1)]
    assert p.as_of(date(2026, 1, 10)) == date(2026, 1, 10)
    assert p.as_of(date(2027, 1, 1)) == date(2026, 2, 3)
    assert p.slug() == "2025-11-15_to_2026-02-03"


@given(st.dates(min_value=date(1901, 1, 1), max_value=date(2199, 12, 31)))
def test_periods_contain_today_and_tile(day):
    this = Period.this_month(day)
    last = Period.last_month(day)
    assert this.contains(day)
    assert last.end + timedelta(days=1) == this.start
    assert Period.quarter(day).contains(day)
    assert Period.year(day).contains(day)
    assert Period.year(day).days in (365, 366)
    assert month_end(day).month == day.month
    assert (month_end(day) + timedelta(days=1)).day == 1


@given(st.lists(st.integers(min_value=-30, max_value=400), max_size=60))
def test_median_of_counts_is_the_median_of_the_values(values):
    assert median_of_counts(Counter(values)) == median_days(values)
    assert median_of_counts({}) is None
