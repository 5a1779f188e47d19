"""The clock every rule takes as a parameter.

All instants are timezone-aware UTC; conversion to WIB happens at the edges.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

JAKARTA = ZoneInfo("Asia/Jakarta")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...

    @property
    def simulated(self) -> bool: ...


class SystemClock:
    simulated = False

    def now(self) -> datetime:
        return datetime.now(UTC)


class SimulatedClock:
    """Starts at a chosen instant and then runs at real speed.

    Used by training databases (`--now`) so a demo can sit inside a session
    while the screen's clock still ticks.
    """

    simulated = True

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("a simulated clock needs a timezone-aware start")
        self._start = start.astimezone(UTC)
        self._origin = time.monotonic()

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.monotonic() - self._origin)


class FixedClock:
    """A clock that only moves when told to; for tests."""

    simulated = True

    def __init__(self, at: datetime) -> None:
        self.set(at)

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("a fixed clock needs a timezone-aware instant")
        self._at = at.astimezone(UTC)

    def advance(self, **delta: float) -> None:
        self._at += timedelta(**delta)

    def now(self) -> datetime:
        return self._at


def parse_instant(text: str) -> datetime:
    """Parse an ISO-8601 instant; a naive one is taken as WIB, the desk's time."""
    value = datetime.fromisoformat(text.strip())
    if value.tzinfo is None:
        value = value.replace(tzinfo=JAKARTA)
    return value.astimezone(UTC)


def to_wib(instant: datetime) -> datetime:
    return instant.astimezone(JAKARTA)
