"""poll() and PollResult: one look at a training, the schedule, and the JSON round trip."""

from __future__ import annotations

import json
import math
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fakes import stubbed
from rekog_versions import (
    PollOutcome,
    PollResult,
    ProjectVersion,
    ProjectVersionsClient,
    ProjectVersionStatus,
    ResourceNotFoundError,
)
from rekog_versions.polling import DEFAULT_POLL_SCHEDULE, next_poll_in, outcome_of
from rekog_versions.testing import (
    FakeClock,
    project_arn,
    stub_describe_project_versions,
    version_arn,
    version_description,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from botocore.stub import Stubber

PROJECT = project_arn("cats")
VERSION = version_arn("cats", "v1")

#: The running sums of the default schedule: where its polls fall.
GRID = (5.0, 10.0, 20.0, 35.0, 65.0, 125.0, 185.0, 245.0)


# -- the decisions -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("elapsed", "expected"),
    [
        (0.0, 5.0),
        (4.5, 0.5),
        (5.0, 5.0),  # on a grid point: the next one
        (7.0, 3.0),
        (20.0, 15.0),
        (64.0, 1.0),
        (125.0, 60.0),
        (200.0, 45.0),
        (3 * 3600.0, 5.0),  # 10,800 s: the grid point is 10,805
        (-30.0, 5.0),  # a creation time ahead of this clock
        (math.inf, 5.0),
        (math.nan, 5.0),
    ],
)
def test_the_default_schedule(elapsed: float, expected: float) -> None:
    """The default polls fall at 5, 10, 20, 35, 65, 125 s, then every 60 s."""
    assert expected == pytest.approx(next_poll_in(elapsed))


@pytest.mark.parametrize(("elapsed", "expected"), [(0.0, 30.0), (29.0, 1.0), (30.0, 30.0)])
def test_a_fixed_interval(elapsed: float, expected: float) -> None:
    """With a fixed interval, the next poll is the next multiple of it."""
    assert expected == pytest.approx(next_poll_in(elapsed, 30.0))


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False))
def test_the_next_poll_is_the_first_grid_point_after_now(elapsed: float) -> None:
    """Property: positive, on the grid, and no grid point is skipped."""
    wait = next_poll_in(elapsed)
    assert 0 < wait <= DEFAULT_POLL_SCHEDULE[-1]
    point = elapsed + wait
    if point <= GRID[-1]:
        assert min(p for p in GRID if p > elapsed) == pytest.approx(point)
    else:
        assert 0 == pytest.approx(math.remainder(point - GRID[-1], 60.0), abs=1e-6)


def test_the_schedule_is_the_documented_one() -> None:
    """The default schedule is the one the docs state."""
    assert (5.0, 5.0, 10.0, 15.0, 30.0, 60.0) == DEFAULT_POLL_SCHEDULE


@pytest.mark.parametrize("status", list(ProjectVersionStatus))
def test_every_status_has_an_outcome(status: ProjectVersionStatus) -> None:
    """Training goes on only in TRAINING_IN_PROGRESS (and an unknown status, polled through)."""
    expected = {
        ProjectVersionStatus.TRAINING_IN_PROGRESS: PollOutcome.IN_PROGRESS,
        ProjectVersionStatus.UNKNOWN: PollOutcome.IN_PROGRESS,
        ProjectVersionStatus.TRAINING_COMPLETED: PollOutcome.COMPLETED,
        ProjectVersionStatus.TRAINING_FAILED: PollOutcome.FAILED,
    }.get(status, PollOutcome.NOT_TRAINING)
    assert expected is outcome_of(status)


# -- poll() --------------------------------------------------------------------------


@pytest.fixture
def stubbed_client(clock: FakeClock) -> Iterator[tuple[ProjectVersionsClient, Stubber]]:
    del clock  # in use: the wall time is 2026-11-27 12:00 UTC
    with stubbed("rekognition") as (rekognition, stubber):
        yield ProjectVersionsClient(rekognition), stubber


NOON = datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc)


def test_poll_in_progress_says_when_to_look_next(
    stubbed_client: tuple[ProjectVersionsClient, Stubber], clock: FakeClock
) -> None:
    """Created 7 s ago: the next look is at 10 s after creation, in 3 s. No sleeping."""
    client, stubber = stubbed_client
    created = NOON - timedelta(seconds=7)
    stub_describe_project_versions(
        stubber, PROJECT, ["v1"], [version_description(VERSION, created=created)]
    )
    result = client.poll(VERSION, project_arn=PROJECT)
    assert (PollOutcome.IN_PROGRESS, False) == (result.outcome, result.done)
    assert (NOON, 3.0) == (result.polled_at, result.next_poll_in)
    assert NOON + timedelta(seconds=3) == result.next_poll_at
    assert [] == clock.sleeps


def test_a_version_not_listed_yet_is_in_progress_within_the_grace(
    stubbed_client: tuple[ProjectVersionsClient, Stubber],
) -> None:
    """Just created, not listed yet: in progress, as wait() grants; after 30 s, not found."""
    client, stubber = stubbed_client
    just_made = version_arn("cats", "v1", timestamp=int(NOON.timestamp() * 1000) - 2000)
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [])
    result = client.poll(just_made, project_arn=PROJECT)
    assert (PollOutcome.IN_PROGRESS, ProjectVersionStatus.UNKNOWN, 3.0) == (
        result.outcome,
        result.version.status,
        result.next_poll_in,
    )
    assert "not listed by DescribeProjectVersions yet (created 2 s ago" in str(
        result.version.status_message
    )
    older = version_arn("cats", "v1", timestamp=int(NOON.timestamp() * 1000) - 31_000)
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [])
    with pytest.raises(ResourceNotFoundError, match="no such project version"):
        client.poll(older, project_arn=PROJECT)


@pytest.mark.parametrize(
    ("status", "outcome"),
    [
        ("TRAINING_COMPLETED", PollOutcome.COMPLETED),
        ("TRAINING_FAILED", PollOutcome.FAILED),
        ("DELETING", PollOutcome.NOT_TRAINING),
    ],
)
def test_poll_an_ended_training(
    stubbed_client: tuple[ProjectVersionsClient, Stubber], status: str, outcome: PollOutcome
) -> None:
    """A failed training is an outcome, not an exception; nothing more to look at."""
    client, stubber = stubbed_client
    description = version_description(VERSION, status=status, status_message="The manifest ...")
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [description])
    result = client.poll(VERSION, project_arn=PROJECT)
    assert (outcome, True, None, None) == (
        result.outcome,
        result.done,
        result.next_poll_in,
        result.next_poll_at,
    )
    assert "The manifest ..." == result.version.status_message


def test_poll_an_unknown_status_polls_on(
    stubbed_client: tuple[ProjectVersionsClient, Stubber],
) -> None:
    """poll() of a status the library does not know says the training goes on."""
    client, stubber = stubbed_client
    description = version_description(VERSION, status="TRAINING_PAUSED", created=NOON)
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [description])
    result = client.poll(VERSION, project_arn=PROJECT, poll_interval=30)
    assert (PollOutcome.IN_PROGRESS, 30.0) == (result.outcome, result.next_poll_in)
    assert "TRAINING_PAUSED" == result.version.status_text


def test_poll_without_a_creation_time_counts_from_the_arn(
    stubbed_client: tuple[ProjectVersionsClient, Stubber],
) -> None:
    """The ARN's timestamp is the creation time when the description has none."""
    client, stubber = stubbed_client
    arn = version_arn("cats", "v1", timestamp=int((NOON.timestamp() - 12) * 1000))
    description = version_description(arn)
    del description["CreationTimestamp"]
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [description])
    assert 8.0 == client.poll(arn, project_arn=PROJECT).next_poll_in


def test_poll_a_missing_version(stubbed_client: tuple[ProjectVersionsClient, Stubber]) -> None:
    """poll() of a version not listed is ResourceNotFoundError."""
    client, stubber = stubbed_client
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [])
    with pytest.raises(ResourceNotFoundError, match="no such project version"):
        client.poll(VERSION, project_arn=PROJECT)


# -- PollResult as JSON ----------------------------------------------------------------


def _result(status: str = "TRAINING_IN_PROGRESS", wait: float | None = 3.0) -> PollResult:
    description = version_description(
        VERSION, status=status, created=NOON - timedelta(seconds=7), f1_score=0.9
    )
    version = ProjectVersion.from_boto(description)
    return PollResult(
        version=version, outcome=outcome_of(version.status), polled_at=NOON, next_poll_in=wait
    )


def test_poll_result_round_trips_through_json() -> None:
    """A PollResult read back from its JSON equals it."""
    for result in (_result(), _result("TRAINING_COMPLETED", None)):
        again = PollResult.from_json(result.to_json())
        assert result == again
        assert result.version.raw["Status"] == again.version.raw["Status"]


def test_poll_result_json_is_ready_for_a_state_machine() -> None:
    """A PollResult's JSON has the members a state machine's Wait reads."""
    data = json.loads(_result(wait=2.5).to_json())
    assert {
        "arn": VERSION,
        "status": "TRAINING_IN_PROGRESS",
        "outcome": "in_progress",
        "done": False,
        "polled_at": "2026-11-27T12:00:00Z",
        "next_poll_in": 2.5,
        "next_poll_at": "2026-11-27T12:00:02.500000Z",
        "wait_seconds": 3,
    } == {key: data[key] for key in data if key not in {"version", "description", "status_message"}}
    assert NOON.timestamp() - 7 == data["description"]["CreationTimestamp"]


@given(
    created=st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001 - hypothesis adds the zone
        max_value=datetime(2100, 1, 1),  # noqa: DTZ001
        timezones=st.just(timezone.utc),
    ),
    wait=st.floats(min_value=0, max_value=1e6, allow_nan=False),
)
def test_poll_result_round_trips_any_time(created: datetime, wait: float) -> None:
    """A PollResult round-trips through JSON at any creation time and wait."""
    version = ProjectVersion.from_boto(version_description(VERSION, created=created))
    result = PollResult(
        version=version, outcome=PollOutcome.IN_PROGRESS, polled_at=created, next_poll_in=wait
    )
    assert result == PollResult.from_json(result.to_json())


def _good() -> dict[str, Any]:
    return json.loads(_result().to_json())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(outcome="sleeping"), "'outcome' must be one of in_progress"),
        (lambda d: d.update(polled_at="noon"), "'polled_at' must be an ISO 8601 time"),
        (lambda d: d.update(polled_at="2026-11-27T12:00:00"), "'polled_at' has no time zone"),
        (lambda d: d.update(next_poll_in="soon"), "'next_poll_in' must be a number"),
        (lambda d: d.update(next_poll_in=-1), "'next_poll_in' must be a number"),
        (lambda d: d.update(next_poll_in=None), "null exactly when the training has ended"),
        (lambda d: d.update(outcome="completed"), "null exactly when the training has ended"),
        (lambda d: d.pop("description"), "'description'"),
        (
            lambda d: d["description"].update(Status="TRAINING_COMPLETED"),
            "does not go with the status 'TRAINING_COMPLETED'",
        ),
    ],
)
def test_a_bad_poll_result_names_what_is_wrong(change: Any, message: str) -> None:
    """A malformed poll result is a ValueError naming the member at fault."""
    data = _good()
    change(data)
    with pytest.raises(ValueError, match=message):
        PollResult.from_dict(data)


@pytest.mark.parametrize(
    ("text", "message"),
    [("[]", "a JSON object, got list"), ("{", "must be JSON"), ("[" * 100_000, "must be JSON")],
)
def test_poll_result_from_bad_json(text: str, message: str) -> None:
    """Text that is not a poll result's JSON is a ValueError saying so."""
    with pytest.raises(ValueError, match=message):
        PollResult.from_json(text)


_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=20,
)


@given(
    st.fixed_dictionaries(
        {},
        optional={
            "outcome": st.sampled_from([o.value for o in PollOutcome]) | _JSON,
            "polled_at": st.just("2026-11-27T12:00:00Z") | _JSON,
            "next_poll_in": st.floats(0, 100) | _JSON,
            "description": st.fixed_dictionaries(
                {},
                optional={
                    "ProjectVersionArn": st.just(VERSION) | _JSON,
                    "Status": st.sampled_from(["TRAINING_IN_PROGRESS", "TRAINING_FAILED"]) | _JSON,
                    "CreationTimestamp": st.floats() | _JSON,
                },
            )
            | _JSON,
        },
    )
    | _JSON
)
def test_any_json_is_a_poll_result_or_a_value_error(data: Any) -> None:
    """Property: what from_json() is given never raises anything but ValueError."""
    try:
        result = PollResult.from_json(json.dumps(data))
    except ValueError as error:
        assert str(error).startswith(("poll result", "a poll result"))
    else:
        assert result == PollResult.from_json(result.to_json())
