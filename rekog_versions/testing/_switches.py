"""The testing switches: retries off, and a clock that moves only when code sleeps."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Final

from rekog_versions._retry import CLOCK, Clock

if TYPE_CHECKING:
    from collections.abc import Generator

__all__ = ["FakeClock", "fake_clock", "set_testing"]


def set_testing(testing: bool, *, attempts: int = 1) -> None:
    """Turn testing mode on or off, for every client in the process.

    In testing mode an operation is sent at most ``attempts`` times and never waits
    between attempts, so an error a Stubber queues surfaces on its first answer instead
    of being retried. Turn it off again when the test ends (or use a fixture).

    >>> set_testing(True)
    >>> set_testing(False)
    """
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts}")
    CLOCK.testing_attempts = attempts if testing else None


#: The time of day a FakeClock starts at.
FAKE_WALL_START: Final = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)


class FakeClock(Clock):
    """A clock that moves only when the code under test sleeps.

    Attributes:
        now: The monotonic reading, in seconds.
        sleeps: Every wait asked for, in order.
    """

    def __init__(self, start: float = 1000.0) -> None:
        """Start at ``start`` seconds (and at noon UTC, 2026-11-27), with no sleeps."""
        self.now: float = start
        self._start = start
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        """The current reading."""
        return self.now

    def wall_time(self) -> datetime:
        """Noon UTC on 2026-11-27, plus the time slept since."""
        return FAKE_WALL_START + timedelta(seconds=self.now - self._start)

    def sleep(self, seconds: float) -> None:
        """Record the wait and move the clock on by it, at once."""
        if seconds < 0:
            raise ValueError(f"cannot sleep {seconds} seconds")
        self.sleeps.append(seconds)
        self.now += seconds

    async def sleep_async(self, seconds: float) -> None:
        """As :meth:`sleep`, then let the event loop run its other tasks once."""
        import asyncio  # noqa: PLC0415 - only the asyncio client waits this way

        self.sleep(seconds)
        await asyncio.sleep(0)

    def uniform(self, low: float, high: float) -> float:
        """The midpoint: jitter that is the same in every run."""
        return (low + high) / 2


@contextmanager
def fake_clock(clock: FakeClock | None = None) -> Generator[FakeClock, None, None]:
    """Make every client in the process read time from a :class:`FakeClock` in the block.

    Waits and retry backoffs then take no real time, and the test can check them in
    ``clock.sleeps``.
    """
    fake = clock if clock is not None else FakeClock()
    previous = CLOCK.clock
    CLOCK.clock = fake
    try:
        yield fake
    finally:
        CLOCK.clock = previous
