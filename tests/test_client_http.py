"""The client through all of botocore (retries, parsing), with HTTP answers made in-process."""

from __future__ import annotations

import random
from typing import Any

import pytest
from botocore.exceptions import ConnectionClosedError

from fakes import FakeClock, HttpFake, boto_client, error_body
from rekog_versions import (
    LimitExceededError,
    ProjectVersionsClient,
    RequestBuilder,
    ThrottlingError,
)
from rekog_versions.testing import project_arn, version_arn

PROJECT = project_arn("cats")
VERSION = version_arn("cats", "v1")


def _request() -> Any:
    return (
        RequestBuilder(project_arn=PROJECT, version_name="v1")
        .output("s3://out-bucket/results/")
        .training_manifest("s3://data-bucket/train.manifest")
        .auto_split()
        .build()
    )


def _client(monkeypatch: pytest.MonkeyPatch) -> tuple[ProjectVersionsClient, HttpFake, FakeClock]:
    rekognition = boto_client("rekognition")
    fake = HttpFake(rekognition, monkeypatch)
    clock = FakeClock()
    client = ProjectVersionsClient(
        rekognition, clock=clock, sleep=clock.sleep, rng=random.Random(1)
    )
    return client, fake, clock


def test_lost_response_creates_exactly_one_version(monkeypatch: pytest.MonkeyPatch) -> None:
    """The first answer is lost; botocore resends; create() returns the one version's ARN."""
    client, fake, _ = _client(monkeypatch)
    created: list[dict[str, Any]] = []

    def create(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        if not created:
            created.append(body)  # the service commits the version ...
            raise ConnectionClosedError(
                endpoint_url="https://rekognition"
            )  # ... the answer is lost
        return 400, error_body("ResourceInUseException", "The version name already exists")

    def describe(body: dict[str, Any]) -> tuple[int, dict[str, Any]]:
        assert ["v1"] == body["VersionNames"]
        given = created[0]
        return 200, {
            "ProjectVersionDescriptions": [
                {
                    "ProjectVersionArn": VERSION,
                    "Status": "TRAINING_IN_PROGRESS",
                    "CreationTimestamp": 1764234000.0,
                    "OutputConfig": given["OutputConfig"],
                    "TrainingDataResult": {"Input": given["TrainingData"]},
                    "TestingDataResult": {"Input": given["TestingData"]},
                }
            ]
        }

    fake.handlers = {"CreateProjectVersion": create, "DescribeProjectVersions": describe}
    assert VERSION == client.create(_request())
    assert 1 == len(created)
    assert 2 == fake.count("CreateProjectVersion")  # botocore's own retry met the version
    assert 1 == len(fake.botocore_sleeps)


def test_throttling_storm_beyond_botocores_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    """Five throttles outlast botocore's three attempts; the library's retries carry on."""
    client, fake, clock = _client(monkeypatch)
    answers = iter(
        [(400, error_body("ThrottlingException", "Rate exceeded"))] * 5
        + [(200, {"ProjectVersionArn": VERSION})]
    )
    fake.handlers = {"CreateProjectVersion": lambda _: next(answers)}
    assert VERSION == client.create(_request())
    assert 6 == fake.count("CreateProjectVersion")
    assert 1 == len(clock.sleeps)  # one library-level retry, after botocore's three attempts


def test_throttling_error_counts_botocores_attempts(monkeypatch: pytest.MonkeyPatch) -> None:
    """The error says how many times botocore sent the request."""
    client, fake, _ = _client(monkeypatch)
    client.retry = client.retry.__class__(max_attempts=1)
    fake.handlers = {
        "CreateProjectVersion": lambda _: (400, error_body("ThrottlingException", "Rate exceeded"))
    }
    with pytest.raises(ThrottlingError) as caught:
        client.create(_request())
    assert 3 == caught.value.attempts
    assert "after 3 attempts" in str(caught.value)
    assert "request id: req-3" in str(caught.value)


def test_limit_exceeded_is_not_retried_by_the_library(monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's standard mode retries LimitExceeded (3 attempts); the library adds none."""
    client, fake, clock = _client(monkeypatch)
    fake.handlers = {
        "CreateProjectVersion": lambda _: (
            400,
            error_body("LimitExceededException", "Too many jobs"),
        )
    }
    with pytest.raises(LimitExceededError) as caught:
        client.create(_request())
    assert 3 == fake.count("CreateProjectVersion")
    assert [] == clock.sleeps
    assert caught.value.retryable is False
