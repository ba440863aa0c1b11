"""One look at a training, and the decisions behind every wait.

:func:`outcome_of` (what a status means for a wait) and :func:`next_poll_in` (when to
look next) do no I/O: ``wait()``, ``wait_many()`` and ``poll()`` ask them, and nothing
else decides whether a training is still going or when the next poll comes.
:class:`PollResult` is what ``ProjectVersionsClient.poll()`` returns: one look, ready to
be stored as JSON between the steps of a scheduler or a state machine.
"""

from __future__ import annotations

import enum
import json
import logging
import math
from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import Any, Final, cast

import attrs

from rekog_versions._aws import service_error
from rekog_versions._defaults import (
    DEFAULT_POLL_SCHEDULE,
    DEFAULT_TIMEOUT,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
)
from rekog_versions.errors import (
    MalformedResponseError,
    RekogVersionsError,
    TrainingFailedError,
    UnexpectedStatusError,
    WaitTimeoutError,
)
from rekog_versions.results import ProjectVersion, ProjectVersionStatus

logger: Final = logging.getLogger("rekog_versions")

__all__ = [
    "CLOCK_SKEW",
    "DEFAULT_POLL_SCHEDULE",
    "DEFAULT_TIMEOUT",
    "WAIT_SLACK",
    "PollOutcome",
    "PollResult",
    "next_poll_in",
    "outcome_of",
    "raise_for_outcome",
]

_LONGEST_WAIT: Final = 365 * 24 * 3600.0

#: The most a wait may take past its timeout, in seconds; the call it is making when the
#: timeout passes gets this long to answer before the wait gives up on it.
WAIT_SLACK: Final = 1.0

#: How far behind this machine's clock the service's may be, when ``create()`` recognises
#: a version it made by its creation time.
CLOCK_SKEW: Final = timedelta(minutes=5)


class PollOutcome(str, enum.Enum):
    """What one look at a version says about its training."""

    IN_PROGRESS = "in_progress"
    """Training goes on (``TRAINING_IN_PROGRESS``, or a status this library does not know,
    which is polled through)."""
    COMPLETED = "completed"
    """``TRAINING_COMPLETED``."""
    FAILED = "failed"
    """``TRAINING_FAILED``."""
    NOT_TRAINING = "not_training"
    """A status where no training happens (``DELETING``, a hosting or a copying status)."""


#: Why each status where no training happens ends a wait.
NOT_TRAINING: Final[Mapping[ProjectVersionStatus, str]] = {
    ProjectVersionStatus.DELETING: "the version is being deleted; its training will not finish",
    ProjectVersionStatus.STARTING: (
        "its training finished earlier and the model is being started; describe() "
        "gives the training result"
    ),
    ProjectVersionStatus.RUNNING: (
        "its training finished earlier and the model is running; describe() gives the "
        "training result"
    ),
    ProjectVersionStatus.STOPPING: "its training finished earlier and the model is stopping",
    ProjectVersionStatus.STOPPED: "its training finished earlier and the model was stopped",
    ProjectVersionStatus.FAILED: (
        "its training finished earlier, then the model failed to start (FAILED is a "
        "hosting status, not a training one)"
    ),
    ProjectVersionStatus.COPYING_IN_PROGRESS: "the version is being copied, not trained",
    ProjectVersionStatus.COPYING_COMPLETED: "the version is a copy, not a training",
    ProjectVersionStatus.COPYING_FAILED: "the version's copy failed; it was not trained here",
    ProjectVersionStatus.DEPRECATED: (
        "the adapter was trained on an older base model and is deprecated"
    ),
    ProjectVersionStatus.EXPIRED: "the adapter's base model has expired",
}


def outcome_of(status: ProjectVersionStatus) -> PollOutcome:
    """What a status means for a wait."""
    if status is ProjectVersionStatus.TRAINING_COMPLETED:
        return PollOutcome.COMPLETED
    if status is ProjectVersionStatus.TRAINING_FAILED:
        return PollOutcome.FAILED
    if status in NOT_TRAINING:
        return PollOutcome.NOT_TRAINING
    return PollOutcome.IN_PROGRESS  # TRAINING_IN_PROGRESS, and UNKNOWN: polled through


def raise_for_outcome(version: ProjectVersion) -> None:
    """Raise as ``wait()`` does for a training that ended other than in success.

    Raises:
        TrainingFailedError: ``TRAINING_FAILED``.
        UnexpectedStatusError: A status where no training happens.
    """
    outcome = outcome_of(version.status)
    if outcome is PollOutcome.FAILED:
        raise TrainingFailedError(version)
    if outcome is PollOutcome.NOT_TRAINING:
        raise UnexpectedStatusError(version, NOT_TRAINING[version.status])


def next_poll_in(elapsed: float, poll_interval: float | None = None) -> float:
    """Seconds from now to the next poll, ``elapsed`` seconds after the schedule's start.

    The polls fall on a fixed grid from the start (a wait's start, or the version's
    creation for ``poll()``): every ``poll_interval`` seconds, or by default at the
    running sums of :data:`~rekog_versions.polling.DEFAULT_POLL_SCHEDULE` (5, 10, 20,
    35, 65, 125 s, then every 60 s). The next poll is the first grid point after
    ``elapsed``, so a slow poll does not push the later ones back.
    """
    if poll_interval is not None and not (
        MIN_POLL_INTERVAL <= poll_interval <= MAX_POLL_INTERVAL  # NaN fails this too
    ):
        raise ValueError(
            f"poll_interval must be {MIN_POLL_INTERVAL:g} to {MAX_POLL_INTERVAL:g} seconds, "
            f"got {poll_interval!r}"
        )
    if not math.isfinite(elapsed) or elapsed < 0:
        elapsed = 0.0  # a creation time ahead of this clock: look again soon
    if poll_interval is not None:
        return poll_interval * (math.floor(elapsed / poll_interval) + 1) - elapsed
    point = 0.0
    for step in DEFAULT_POLL_SCHEDULE:
        point += step
        if point > elapsed:
            return point - elapsed
    last = DEFAULT_POLL_SCHEDULE[-1]
    return point + last * (math.floor((elapsed - point) / last) + 1) - elapsed


def _jsonable(value: object) -> object:
    """A description as botocore parsed it, with its datetimes as epoch seconds."""
    if isinstance(value, datetime):
        return value.timestamp()
    if isinstance(value, Mapping):
        members = cast("Mapping[object, object]", value)
        return {str(key): _jsonable(item) for key, item in members.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in cast("Sequence[object]", value)]
    return value


def _utc(moment: datetime) -> str:
    """``2026-11-27T12:00:05Z``: RFC 3339 in UTC, as a Step Functions ``TimestampPath`` takes it."""
    text = moment.astimezone(timezone.utc).isoformat().replace("+00:00", "Z")
    return text if text.endswith("Z") else text + "Z"


@attrs.frozen(kw_only=True)
class PollResult:
    """One look at a version: its state, what it means, and when to look again.

    Attributes:
        version: The version as described at ``polled_at``.
        outcome: What its status means for the training.
        polled_at: When it was described (UTC).
        next_poll_in: Seconds from ``polled_at`` to the next look, on the same schedule
            as ``wait()`` counted from the version's creation; ``None`` once the
            training has ended (any outcome but ``IN_PROGRESS``).
    """

    version: ProjectVersion
    outcome: PollOutcome
    polled_at: datetime
    next_poll_in: float | None

    @property
    def done(self) -> bool:
        """Whether the training has ended, well or not; then no next look is needed."""
        return self.outcome is not PollOutcome.IN_PROGRESS

    def raise_for_outcome(self) -> None:
        """Raise as ``wait()`` would for this look; nothing if it went well or goes on.

        Raises:
            TrainingFailedError: The training failed.
            UnexpectedStatusError: The version is in a status where no training happens.
        """
        raise_for_outcome(self.version)

    @property
    def next_poll_at(self) -> datetime | None:
        """When to look next (UTC), or ``None`` once the training has ended."""
        if self.next_poll_in is None:
            return None
        return self.polled_at + timedelta(seconds=self.next_poll_in)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data; :meth:`from_dict` reads it back to an equal result.

        ``wait_seconds`` is ``next_poll_in`` rounded up to whole seconds, and
        ``next_poll_at`` an RFC 3339 UTC time, for a Step Functions ``Wait`` state's
        ``SecondsPath`` or ``TimestampPath``; ``description`` is the service's answer.
        """
        at = self.next_poll_at
        return {
            "arn": self.version.arn,
            "status": self.version.status_text,
            "status_message": self.version.status_message,
            "outcome": self.outcome.value,
            "done": self.done,
            "polled_at": _utc(self.polled_at),
            "next_poll_in": self.next_poll_in,
            "next_poll_at": None if at is None else _utc(at),
            "wait_seconds": None if self.next_poll_in is None else math.ceil(self.next_poll_in),
            "version": self.version.to_dict(),
            "description": _jsonable(self.version.raw),
        }

    def to_json(self) -> str:
        """:meth:`to_dict` as a JSON document."""
        return json.dumps(self.to_dict(), ensure_ascii=False)

    @classmethod
    def from_dict(cls, data: object) -> PollResult:
        """Read back what :meth:`to_dict` wrote.

        Raises:
            ValueError: ``data`` is not such a dict; the message names the member.
        """
        if not isinstance(data, Mapping):
            raise ValueError(f"a poll result is a JSON object, got {type(data).__name__}")  # noqa: TRY004 - bad input, as for every other member
        fields = cast("Mapping[str, object]", data)
        try:
            outcome = PollOutcome(fields.get("outcome"))
        except ValueError:
            choices = ", ".join(item.value for item in PollOutcome)
            raise ValueError(
                f"poll result: 'outcome' must be one of {choices}, got {fields.get('outcome')!r}"
            ) from None
        polled_text = fields.get("polled_at")
        try:
            polled_at = datetime.fromisoformat(str(polled_text).replace("Z", "+00:00"))
        except ValueError:
            raise ValueError(
                f"poll result: 'polled_at' must be an ISO 8601 time, got {polled_text!r}"
            ) from None
        if polled_at.tzinfo is None:
            raise ValueError(f"poll result: 'polled_at' has no time zone: {polled_text!r}")
        wait = fields.get("next_poll_in")
        if wait is not None and (
            isinstance(wait, bool) or not isinstance(wait, int | float) or not wait >= 0
        ):
            raise ValueError(
                f"poll result: 'next_poll_in' must be a number of seconds or null, got {wait!r}"
            )
        if (wait is None) != (outcome is not PollOutcome.IN_PROGRESS):
            raise ValueError(
                "poll result: 'next_poll_in' is null exactly when the training has ended "
                f"(outcome {outcome.value!r}, next_poll_in {wait!r})"
            )
        try:
            version = ProjectVersion.from_boto(fields.get("description"))
        except MalformedResponseError as error:
            raise ValueError(f"poll result: 'description': {error}") from None
        if outcome_of(version.status) is not outcome:
            raise ValueError(
                f"poll result: 'outcome' {outcome.value!r} does not go with the status "
                f"{version.status_text!r} of its description"
            )
        return cls(
            version=version,
            outcome=outcome,
            polled_at=polled_at.astimezone(timezone.utc),
            next_poll_in=None if wait is None else float(wait),
        )

    @classmethod
    def from_json(cls, text: str | bytes) -> PollResult:
        """Read back what :meth:`to_json` wrote.

        Raises:
            ValueError: ``text`` is not JSON, or not a poll result.
        """
        try:
            data = json.loads(text)
        except (ValueError, RecursionError) as error:
            raise ValueError(f"a poll result must be JSON: {error}") from None
        return cls.from_dict(data)


def wait_limit(timeout: float | None) -> float:
    """A wait's timeout in seconds: ``timeout``, or :data:`DEFAULT_TIMEOUT` for ``None``.

    ``math.inf``, or any time over a year, waits a year: far past the 24 hours a training
    can take, and within what every platform's clocks and locks can wait for.

    Raises:
        TypeError: ``timeout`` is not a number.
        ValueError: It is negative, or NaN.
    """
    if timeout is None:
        return DEFAULT_TIMEOUT
    if type(timeout) not in (int, float):
        raise TypeError(
            f"timeout must be a number of seconds or None, got {type(timeout).__name__}"
        )
    if not timeout >= 0:
        raise ValueError(f"timeout must be 0 or more seconds, got {timeout!r}")
    return min(float(timeout), _LONGEST_WAIT)


def wait_timeout(limit: float, seen: Sequence[ProjectVersion]) -> WaitTimeoutError:
    """The error of a wait that ran out of time, with the versions as last seen."""
    shown = ", ".join(f"{v.arn} is {v.status_text}" for v in seen) or "no status seen yet"
    return WaitTimeoutError(
        f"gave up waiting after {limit:g} s: {shown}", last=seen[0] if seen else None, timeout=limit
    )


class Follower:
    """The decisions of a wait over versions of one project, without I/O.

    A client describes :meth:`names`, hands the answer to :meth:`seen` (or a failed
    poll's error to :meth:`failed`), reports the versions it returns, and sleeps what
    :meth:`pause` says; :meth:`pause` returns ``None`` once every training has ended.
    What a status means, when the next poll comes, how long a version may be missing,
    what is logged and when the wait ends are decided here, for every client.

    Args:
        versions: The versions to follow, by version name.
        started: When the wait began (monotonic seconds).
        limit: The wait's timeout, in seconds; it ends at ``started + limit``.
        poll_interval: Seconds between polls; ``None`` for the default schedule.
        not_found_grace: How long a version may be missing from the answers.
        single: Raise for a training that ended other than in success (``wait()``),
            instead of returning it (``wait_many()``).
    """

    def __init__(  # noqa: PLR0913 - the wait's settings, all keyword-only
        self,
        versions: Mapping[str, str],
        *,
        started: float,
        limit: float,
        poll_interval: float | None,
        not_found_grace: float,
        single: bool,
    ) -> None:
        """Start following ``versions`` (ARN by version name)."""
        self.pending: dict[str, str] = dict(versions)
        """The versions still training, ARN by version name."""
        self.started: float = started
        self.limit: float = limit
        self.deadline: float = started + limit
        self.poll_interval: float | None = poll_interval
        self.not_found_grace: float = not_found_grace
        self.single: bool = single
        self.last: dict[str, ProjectVersion] = {}
        self.done: dict[str, ProjectVersion] = {}
        """The versions whose training ended, by ARN."""
        self._warned_unknown: set[str] = set()
        self._ended_badly: ProjectVersion | None = None

    def names(self) -> list[str]:
        """The version names the next poll describes."""
        return list(self.pending)

    def failed(self, error: RekogVersionsError, project: str) -> None:
        """A poll failed: raise ``error`` unless it can pass, then the next poll comes.

        A poll whose retries ran out is followed by the next poll, at its time: the
        schedule paces a wait that spans hours, and its timeout bounds it.
        """
        if not error.retryable:
            raise error
        logger.warning("polling %s failed (%s); polling again", project, error)

    def seen(self, found: Mapping[str, ProjectVersion], now: float) -> list[ProjectVersion]:
        """Take a poll's answer; return the versions whose status changed, to report.

        Raises:
            ResourceNotFoundError: A version is still missing after the grace period.
        """
        elapsed = now - self.started
        missing = [
            name
            for name in self.pending
            if name not in found or found[name].arn != self.pending[name]
        ]
        if missing and elapsed >= self.not_found_grace:
            raise service_error(
                "ResourceNotFoundException",
                "no such project version: "
                + ", ".join(self.pending[name] for name in missing)
                + " (DescribeProjectVersions does not list it)",
                operation="DescribeProjectVersions",
            )
        changed: list[ProjectVersion] = []
        for name in list(self.pending):
            version = found.get(name)
            if name in missing or version is None:
                continue
            previous = self.last.get(name)
            if previous is None or previous.status_text != version.status_text:
                logger.info(
                    "%s: %s%s (after %.0f s)",
                    version.arn,
                    f"{previous.status_text} -> " if previous else "",
                    version.status_text,
                    elapsed,
                )
                changed.append(version)
            self.last[name] = version
            if outcome_of(version.status) is PollOutcome.IN_PROGRESS:
                if version.status is ProjectVersionStatus.UNKNOWN and (
                    name not in self._warned_unknown
                ):
                    self._warned_unknown.add(name)
                    logger.warning(
                        "%s has a status this library does not know (%s); polling on",
                        version.arn,
                        version.status_text,
                    )
                continue
            if self.single and outcome_of(version.status) is not PollOutcome.COMPLETED:
                self._ended_badly = version  # raised by pause(), after the change is reported
            self.done[self.pending.pop(name)] = version
        return changed

    def timeout(self) -> WaitTimeoutError:
        """The error of this wait running out of time, with the versions as last seen."""
        return wait_timeout(self.limit, [self.last[n] for n in self.pending if n in self.last])

    def pause(self, now: float) -> float | None:
        """Seconds to sleep before the next poll; ``None`` once every training has ended.

        Raises:
            TrainingFailedError: With ``single``, the training failed.
            UnexpectedStatusError: With ``single``, no training happens in its status.
            WaitTimeoutError: The timeout passed.
        """
        if self._ended_badly is not None:
            raise_for_outcome(self._ended_badly)
        if not self.pending:
            return None
        if now >= self.deadline:
            raise self.timeout()
        return min(next_poll_in(now - self.started, self.poll_interval), self.deadline - now)
