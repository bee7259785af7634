"""Hybrid logical clock: wall-clock milliseconds, a counter, and the device that ticked.

A time is ordered by (milliseconds, counter, device id), and its text form sorts the same
way, so the change log can be ordered by a plain text column. A device's clock never goes
backwards, even when the computer's clock does, and it is never behind a time it has
received: after `receive`, every later local time is greater than every time seen so far.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

MS_DIGITS = 15  # milliseconds since 1970 fit until the year 33658
COUNTER_DIGITS = 6
MAX_COUNTER = 10**COUNTER_DIGITS - 1
_TEXT = re.compile(rf"^(\d{{{MS_DIGITS}}})-(\d{{{COUNTER_DIGITS}}})-(.+)$", re.DOTALL)


class ClockTextError(ValueError):
    """The text is not a hybrid logical clock time."""


@dataclass(frozen=True, order=True)
class HLC:
    """One clock reading; comparison follows (ms, counter, device)."""

    ms: int
    counter: int
    device: str

    def __post_init__(self) -> None:
        if not 0 <= self.ms < 10**MS_DIGITS:
            raise ValueError(f"milliseconds out of range: {self.ms}")
        if not 0 <= self.counter <= MAX_COUNTER:
            raise ValueError(f"counter out of range: {self.counter}")
        if not self.device:
            raise ValueError("a clock time needs a device id")

    def to_text(self) -> str:
        """Return the sortable text form, e.g. `001767225600000-000003-laptop-7`."""
        return f"{self.ms:0{MS_DIGITS}d}-{self.counter:0{COUNTER_DIGITS}d}-{self.device}"

    @classmethod
    def from_text(cls, text: str) -> HLC:
        """Read a time written by `to_text`."""
        match = _TEXT.match(text) if isinstance(text, str) else None
        if match is None:
            raise ClockTextError(f"not a clock time: {text!r}")
        return cls(int(match.group(1)), int(match.group(2)), match.group(3))

    def __str__(self) -> str:
        return self.to_text()


def _advance(ms: int, counter: int, device: str) -> HLC:
    """Return (ms, counter), carrying into the next millisecond if the counter is full."""
    if counter > MAX_COUNTER:
        return HLC(ms + 1, 0, device)
    return HLC(ms, counter, device)


def tick(last: HLC | None, now_ms: int, device: str) -> HLC:
    """Return the time of a new local event after `last` (None: the device's first)."""
    if last is None or now_ms > last.ms:
        return HLC(now_ms, 0, device)
    return _advance(last.ms, last.counter + 1, device)


def receive(last: HLC | None, remote: HLC, now_ms: int, device: str) -> HLC:
    """Return the local time after receiving `remote`: later than both and than `last`."""
    if last is None:
        last = HLC(0, 0, device)
    ms = max(last.ms, remote.ms, now_ms)
    if ms == last.ms == remote.ms:
        counter = max(last.counter, remote.counter) + 1
    elif ms == last.ms:
        counter = last.counter + 1
    elif ms == remote.ms:
        counter = remote.counter + 1
    else:
        counter = 0
    return _advance(ms, counter, device)


def wall_ms() -> int:
    """Return the computer's clock in milliseconds since 1970 (UTC)."""
    return time.time_ns() // 1_000_000


class HybridClock:
    """One device's clock: remembers its last time; safe to share between threads."""

    def __init__(self, device: str, last: HLC | None = None,
                 now_ms: Callable[[], int] = wall_ms) -> None:
        if not device:
            raise ValueError("a clock needs a device id")
        self.device = device
        self._last = last
        self._now_ms = now_ms
        self._lock = threading.Lock()

    @property
    def last(self) -> HLC | None:
        """Return the latest time this clock gave or saw (None before the first)."""
        return self._last

    def now(self) -> HLC:
        """Return the time of a new local event."""
        with self._lock:
            self._last = tick(self._last, self._now_ms(), self.device)
            return self._last

    def observe(self, remote: HLC) -> HLC:
        """Take in a time received from another device; return the new local time."""
        with self._lock:
            self._last = receive(self._last, remote, self._now_ms(), self.device)
            return self._last
