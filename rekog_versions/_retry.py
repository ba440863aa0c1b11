"""The one retry layer: when to try an operation again, and how long to wait first.

botocore sends each request once in the clients this library builds
(``total_max_attempts=1``); every retry is decided here, by :class:`Retrying`, a small
state machine that does no I/O: the client calls, and asks it what to do after each
failure. So which errors are retried, how long to back off and when to give up are
written once, for every operation and for any client that does the I/O.

The clock, the sleep and the randomness live in one object, :data:`CLOCK`, which the
testing helpers replace (:func:`rekog_versions.testing.fake_clock`);
:func:`rekog_versions.testing.set_testing` turns retries off, as stamina's switch of the
same name does, so that a Stubber's error surfaces on its first answer.
"""

from __future__ import annotations

import random
import time
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Final

import attrs

if TYPE_CHECKING:
    from rekog_versions.errors import RekogVersionsError

__all__ = ["CLOCK", "Clock", "RetryPolicy", "Retrying"]


class Clock:
    """Time and chance, as the library uses them: real ones here, fakes in tests."""

    def monotonic(self) -> float:
        """Seconds from a monotonic clock."""
        return time.monotonic()

    def wall_time(self) -> datetime:
        """The time of day, in UTC (to compare with times the service reports)."""
        return datetime.now(timezone.utc)

    def sleep(self, seconds: float) -> None:
        """Wait ``seconds``."""
        time.sleep(seconds)

    async def sleep_async(self, seconds: float) -> None:
        """Wait ``seconds`` in the running event loop."""
        import asyncio  # noqa: PLC0415 - only the asyncio client waits this way

        await asyncio.sleep(seconds)

    def uniform(self, low: float, high: float) -> float:
        """A random number between ``low`` and ``high`` (backoff jitter)."""
        return random.uniform(low, high)  # noqa: S311 - jitter, not secrets


@attrs.define
class _Switches:
    clock: Clock = attrs.field(factory=Clock)
    testing_attempts: int | None = None


#: What the library reads the time and chance from; see the module's docstring.
CLOCK: Final = _Switches()


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """How the client retries what can pass.

    Throttling, ``ProvisionedThroughputExceededException``, ``InternalServerError``, any
    5xx, dropped connections, timeouts and unreadable answers are retried with capped,
    jittered exponential backoff ("full jitter": a random wait up to
    ``base_delay * 2**n``, at most ``max_delay``), until ``max_attempts`` requests were
    sent or ``budget`` seconds are spent. ``LimitExceededException``,
    ``ServiceQuotaExceededException``, every other 4xx and an endpoint that refuses the
    connection are never retried.

    A client the library builds sends each request once, so ``max_attempts`` bounds the
    requests sent per operation. A client you pass in keeps its own botocore retry
    settings; the requests botocore reports sending count against the same bound.

    Attributes:
        max_attempts: Requests sent per operation at most, the first included.
        base_delay: The first backoff's upper bound, in seconds.
        max_delay: The largest backoff, in seconds.
        budget: Seconds an operation may spend retrying before its error is raised.
        not_found_grace: While waiting, how long a version may be missing from
            ``DescribeProjectVersions`` (just after creation) before it is not found.
        deadline: Seconds an operation that is not a wait (a describe, a look, a result
            file, a comparison, a preflight) may take in all, its retries included,
            before it is given up with a ``NetworkError``: a server that sends its
            answer a byte at a time never trips a read timeout. A wait has its timeout.
    """

    max_attempts: int = 10
    base_delay: float = 1.0
    max_delay: float = 20.0
    budget: float = 120.0
    not_found_grace: float = 30.0
    deadline: float = 240.0

    def backoff(self, attempt: int) -> float:
        """The wait before retry number ``attempt`` (1 for the first retry)."""
        ceiling = min(self.max_delay, self.base_delay * (2 ** (attempt - 1)))
        return CLOCK.clock.uniform(0, ceiling)


class Retrying:
    """The retry decisions of one operation; the caller does the calling and the sleeping.

    Args:
        policy: The limits.
        started: When the operation began, on :data:`CLOCK`'s monotonic clock.
        deadline: When the caller stops waiting for the operation (a wait's timeout), on
            the same clock: no retry is started that would end after it.
    """

    def __init__(self, policy: RetryPolicy, started: float, deadline: float | None = None) -> None:
        """Start counting for one operation."""
        self.policy = policy
        self.started = started
        self.deadline = deadline
        self.sent = 0
        self.retries = 0

    def after(self, error: RekogVersionsError, now: float) -> float | None:
        """After a failed attempt: the seconds to wait before the next, or ``None`` to stop."""
        sent = error.attempts or 1
        self.sent += sent
        limit = self.policy.max_attempts
        testing = CLOCK.testing_attempts
        if testing is not None:
            limit = min(limit, testing)
        if not error.retryable or self.sent + sent > limit:
            return None
        self.retries += 1
        if testing is not None:
            return 0.0
        delay = self.policy.backoff(self.retries)
        if now - self.started + delay > self.policy.budget:
            return None
        if self.deadline is not None and now + delay > self.deadline:
            return None
        return delay
