"""The wait's decisions without a client: the Follower driven by hand, no I/O, no clock."""

from __future__ import annotations

import logging

import pytest

from rekog_versions import (
    ProjectVersion,
    ResourceNotFoundError,
    ThrottlingError,
    TrainingFailedError,
    UnexpectedStatusError,
    WaitTimeoutError,
)
from rekog_versions.errors import AccessDeniedError
from rekog_versions.polling import Follower
from rekog_versions.testing import version_arn, version_description

V1 = version_arn("cats", "v1")
V2 = version_arn("cats", "v2")


def _version(arn: str, status: str = "TRAINING_IN_PROGRESS", **extra: str) -> ProjectVersion:
    return ProjectVersion.from_boto(version_description(arn, status=status, **extra))


def _follower(*, single: bool = True, limit: float = 3600.0, grace: float = 30.0) -> Follower:
    return Follower(
        {"v1": V1} if single else {"v1": V1, "v2": V2},
        started=100.0,
        limit=limit,
        poll_interval=None,
        not_found_grace=grace,
        single=single,
    )


def test_a_training_followed_to_its_end() -> None:
    """Changes are reported once each; the pauses follow the schedule's grid."""
    follower = _follower()
    assert ["v1"] == follower.names()
    assert [V1] == [v.arn for v in follower.seen({"v1": _version(V1)}, now=100.0)]
    assert 5.0 == follower.pause(now=100.0)
    assert [] == follower.seen({"v1": _version(V1)}, now=105.0)  # no change, nothing to report
    assert 5.0 == follower.pause(now=105.0)
    done = _version(V1, "TRAINING_COMPLETED")
    assert [done] == follower.seen({"v1": done}, now=110.0)
    assert follower.pause(now=110.0) is None
    assert {V1: done} == follower.done


def test_a_failed_training_is_reported_then_raised() -> None:
    """A failed training is reported first, then raised by the next pause."""
    follower = _follower()
    failed = _version(V1, "TRAINING_FAILED", status_message="ERROR_EMPTY_MANIFEST: empty")
    assert [failed] == follower.seen({"v1": failed}, now=100.0)  # reported first
    with pytest.raises(TrainingFailedError, match="ERROR_EMPTY_MANIFEST"):
        follower.pause(now=100.0)


def test_wait_many_returns_failures_instead_of_raising() -> None:
    """Waiting for many returns failed trainings among the results."""
    follower = _follower(single=False)
    follower.seen(
        {"v1": _version(V1, "TRAINING_FAILED"), "v2": _version(V2, "DELETING")}, now=100.0
    )
    assert follower.pause(now=100.0) is None
    assert {V1: "TRAINING_FAILED", V2: "DELETING"} == {
        arn: version.status_text for arn, version in follower.done.items()
    }


def test_no_training_happens_in_a_hosting_status() -> None:
    """A hosting status ends a wait with UnexpectedStatusError."""
    follower = _follower()
    follower.seen({"v1": _version(V1, "RUNNING")}, now=100.0)
    with pytest.raises(UnexpectedStatusError, match="the model is running"):
        follower.pause(now=100.0)


def test_a_missing_version_within_and_after_the_grace() -> None:
    """A missing version is polled again in the grace, then not found."""
    follower = _follower(grace=30.0)
    assert [] == follower.seen({}, now=120.0)  # 20 s in: not listed yet, polled again
    assert follower.pause(now=120.0) is not None
    other = _version(version_arn("cats", "v1", timestamp=1800000000000))
    with pytest.raises(ResourceNotFoundError, match="does not list it"):
        follower.seen({"v1": other}, now=131.0)  # another ARN under the name counts as missing


def test_an_unknown_status_is_polled_through_and_logged_once(
    caplog: pytest.LogCaptureFixture,
) -> None:
    """An unknown status is polled through and logged once."""
    follower = _follower()
    with caplog.at_level(logging.WARNING, logger="rekog_versions"):
        for now in (100.0, 105.0, 110.0):
            follower.seen({"v1": _version(V1, "TRAINING_PAUSED")}, now=now)
            assert follower.pause(now=now) is not None
    assert 1 == caplog.text.count("a status this library does not know (TRAINING_PAUSED)")


def test_a_failed_poll_can_pass_or_ends_the_wait(caplog: pytest.LogCaptureFixture) -> None:
    """A retryable failed poll is logged and passes; any other ends the wait."""
    follower = _follower()
    throttled = ThrottlingError("Rate exceeded", code="ThrottlingException")
    with caplog.at_level(logging.WARNING, logger="rekog_versions"):
        follower.failed(throttled, "arn:project")
    assert "polling arn:project failed" in caplog.text
    denied = AccessDeniedError("no", code="AccessDeniedException")
    with pytest.raises(AccessDeniedError):
        follower.failed(denied, "arn:project")


def test_the_timeout_carries_the_last_version_seen() -> None:
    """The last pause stops at the deadline; the timeout carries the last version."""
    follower = _follower(limit=25.0)
    follower.seen({"v1": _version(V1)}, now=100.0)
    assert 5.0 == follower.pause(now=120.0)  # the last pause stops at the deadline
    with pytest.raises(WaitTimeoutError, match="gave up waiting after 25 s") as caught:
        follower.pause(now=125.0)
    assert caught.value.last is not None
    assert V1 == caught.value.last.arn
