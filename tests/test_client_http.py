"""The client through all of botocore (retries, parsing), with HTTP answers made in-process."""

from __future__ import annotations

from typing import Any

import pytest
from botocore.config import Config
from botocore.exceptions import ConnectionClosedError

from conftest import small_request
from fakes import HttpFake, boto_client, error_body
from rekog_versions import (
    InternalServerError,
    LimitExceededError,
    ProjectVersionsClient,
    ThrottlingError,
)
from rekog_versions._aws import default_config
from rekog_versions.testing import FakeClock, project_arn, version_arn

PROJECT = project_arn("cats")
VERSION = version_arn("cats", "v1")


def _client(
    monkeypatch: pytest.MonkeyPatch, config: Config | None = None
) -> tuple[ProjectVersionsClient, HttpFake]:
    """A client on a real boto3 client; by default configured as the library builds one."""
    rekognition = boto_client("rekognition", config=config or default_config())
    fake = HttpFake(rekognition, monkeypatch)
    return ProjectVersionsClient(rekognition), fake


#: A client a user built with botocore's own retries: 3 attempts a call, set explicitly
#: so that the tests do not depend on the default of the installed botocore.
USER_RETRIES = Config(retries={"mode": "standard", "total_max_attempts": 3})
#: botocore's default before 1.44.0 (inside the supported range): legacy mode, 5 attempts.
USER_LEGACY_RETRIES = Config(retries={"mode": "legacy"})


def test_lost_response_creates_exactly_one_version(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    """The first answer is lost; the library resends; create() returns the one version's ARN."""
    client, fake = _client(monkeypatch)
    created: list[dict[str, Any]] = []

    def create(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not created:
            created.append(body)  # the service commits the version ...
            raise ConnectionClosedError(endpoint_url="https://rekognition")  # ... it is lost
        return 400, error_body("ResourceInUseException", "The version name already exists")

    def describe(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        assert ["v1"] == body["VersionNames"]
        given = created[0]
        return 200, {
            "ProjectVersionDescriptions": [
                {
                    "ProjectVersionArn": VERSION,
                    "Status": "TRAINING_IN_PROGRESS",
                    "CreationTimestamp": clock.wall_time().timestamp(),  # the lost attempt
                    "OutputConfig": given["OutputConfig"],
                    "TrainingDataResult": {"Input": given["TrainingData"]},
                    "TestingDataResult": {"Input": given["TestingData"]},
                }
            ]
        }

    fake.handlers = {"CreateProjectVersion": create, "DescribeProjectVersions": describe}
    assert VERSION == client.create(small_request())
    assert 1 == len(created)
    assert 2 == fake.count("CreateProjectVersion")  # the library's retry met the version
    assert ([], 1) == (fake.botocore_sleeps, len(clock.sleeps))  # one layer: the library's


def test_throttling_storm_is_retried_by_the_library(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock
) -> None:
    """Five throttles in a row: botocore sends each request once, the library retries."""
    client, fake = _client(monkeypatch)
    answers = iter(
        [(400, error_body("ThrottlingException", "Rate exceeded"))] * 5
        + [(200, {"ProjectVersionArn": VERSION})]
    )
    fake.handlers = {"CreateProjectVersion": lambda _: next(answers)}
    assert VERSION == client.create(small_request())
    assert 6 == fake.count("CreateProjectVersion")
    assert ([], 5) == (fake.botocore_sleeps, len(clock.sleeps))


def test_sends_per_operation_are_bounded(monkeypatch: pytest.MonkeyPatch, clock: FakeClock) -> None:
    """With the defaults an operation that keeps failing is sent exactly 10 times."""
    client, fake = _client(monkeypatch)
    fake.handlers = {
        "CreateProjectVersion": lambda _: (500, error_body("InternalServerError", "oops"))
    }
    with pytest.raises(InternalServerError):
        client.create(small_request())
    assert 10 == fake.count("CreateProjectVersion")
    assert 9 == len(clock.sleeps)


@pytest.mark.parametrize(
    ("config", "expected"),
    [(USER_RETRIES, (9, 2, 3)), (USER_LEGACY_RETRIES, (10, 1, 5))],
    ids=["standard-3", "legacy-5"],
)
def test_a_users_botocore_retries_count_against_the_bound(
    monkeypatch: pytest.MonkeyPatch,
    clock: FakeClock,
    config: Config,
    expected: tuple[int, int, int],
) -> None:
    """A passed-in client keeps its botocore retries; the library stops before 10 sends."""
    client, fake = _client(monkeypatch, config)
    fake.handlers = {
        "CreateProjectVersion": lambda _: (400, error_body("ThrottlingException", "Rate exceeded"))
    }
    sends, sleeps, attempts = expected  # requests, library sleeps, botocore's per call
    with pytest.raises(ThrottlingError) as caught:
        client.create(small_request())
    assert sends == fake.count("CreateProjectVersion")  # whole calls, never more than 10
    assert (sleeps, attempts) == (len(clock.sleeps), caught.value.attempts)
    assert f"after {attempts} attempts" in str(caught.value)
    assert f"request id: req-{sends}" in str(caught.value)


@pytest.mark.parametrize("config", [None, USER_RETRIES], ids=["library-client", "user-client"])
def test_limit_exceeded_is_not_retried_by_the_library(
    monkeypatch: pytest.MonkeyPatch, clock: FakeClock, config: Config | None
) -> None:
    """LimitExceeded is never retried by the library (a user's botocore may, 3 attempts)."""
    client, fake = _client(monkeypatch, config)
    fake.handlers = {
        "CreateProjectVersion": lambda _: (400, error_body("LimitExceededException", "Too many"))
    }
    with pytest.raises(LimitExceededError) as caught:
        client.create(small_request())
    assert (1 if config is None else 3) == fake.count("CreateProjectVersion")
    assert [] == clock.sleeps
    assert caught.value.retryable is False
