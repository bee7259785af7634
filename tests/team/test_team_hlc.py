"""Hybrid logical clock: monotonic, never behind what it received, text sorts like times."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arrs_desktop.team.hlc import (
    HLC,
    MAX_COUNTER,
    ClockTextError,
    HybridClock,
    receive,
    tick,
)

devices = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1,
                  max_size=12)
millis = st.integers(min_value=0, max_value=2_000_000_000_000)
times = st.builds(HLC, millis, st.integers(min_value=0, max_value=MAX_COUNTER), devices)
# A step is a local event at a wall-clock reading, or a time received from elsewhere.
steps = st.lists(st.one_of(st.tuples(st.just("tick"), millis),
                           st.tuples(st.just("receive"), millis, times)), max_size=60)


@given(times)
def test_text_form_reads_back(t: HLC):
    assert HLC.from_text(t.to_text()) == t


@given(times, times)
def test_text_form_sorts_like_the_times(a: HLC, b: HLC):
    assert (a < b) == (a.to_text() < b.to_text())
    assert (a < b) == (a.to_text().encode() < b.to_text().encode())  # SQLite BINARY, C collation


@given(devices, steps)
def test_a_clock_only_goes_forwards_and_is_never_behind_what_it_received(device, events):
    last: HLC | None = None
    seen: list[HLC] = []
    for event in events:
        if event[0] == "tick":
            new = tick(last, event[1], device)
        else:
            new = receive(last, event[2], event[1], device)
            seen.append(event[2])
        assert last is None or new > last
        assert all(new > s for s in seen)
        assert new.ms >= (event[1])  # never behind the computer's clock either
        assert new.device == device
        last = new


def test_a_clock_set_back_keeps_counting_on_from_its_last_time():
    readings = iter([5_000, 4_000, 4_000, 6_000])
    clock = HybridClock("laptop-a", now_ms=lambda: next(readings))
    got = [clock.now() for _ in range(4)]
    assert got == [HLC(5_000, 0, "laptop-a"), HLC(5_000, 1, "laptop-a"),
                   HLC(5_000, 2, "laptop-a"), HLC(6_000, 0, "laptop-a")]


def test_receiving_a_time_from_a_clock_running_ahead_moves_past_it():
    clock = HybridClock("laptop-a", now_ms=lambda: 1_000)
    clock.now()
    after = clock.observe(HLC(9_000, 4, "laptop-b"))
    assert after == HLC(9_000, 5, "laptop-a")
    assert clock.now() == HLC(9_000, 6, "laptop-a")


def test_a_full_counter_carries_into_the_next_millisecond():
    assert tick(HLC(7, MAX_COUNTER, "d"), 7, "d") == HLC(8, 0, "d")


def test_equal_readings_on_two_devices_are_ordered_by_device():
    assert HLC(10, 0, "laptop-a") < HLC(10, 0, "laptop-b")


@pytest.mark.parametrize("text", ["", "12-3-x", "000000000000001-000001-", "abc", None])
def test_text_that_is_not_a_time_is_refused(text):
    with pytest.raises(ClockTextError):
        HLC.from_text(text)
