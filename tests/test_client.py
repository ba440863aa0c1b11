"""ProjectVersionsClient through botocore's Stubber: every method, good and bad paths."""

from __future__ import annotations

import io
import json
import logging
import math
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any

import attrs
import pytest
from botocore.response import StreamingBody

from fakes import stubbed
from rekog_versions import (
    AccessDeniedError,
    ConfigurationError,
    InternalServerError,
    LimitExceededError,
    ProjectVersion,
    ProjectVersionsClient,
    ProjectVersionStatus,
    RequestBuilder,
    RequestValidationError,
    ResourceInUseError,
    ResourceNotFoundError,
    ResultFileError,
    RetryPolicy,
    ServiceError,
    ServiceQuotaExceededError,
    ThrottlingError,
    TrainingFailedError,
    UnexpectedStatusError,
    VersionNameConflictError,
    WaitTimeoutError,
)
from rekog_versions.polling import CLOCK_SKEW
from rekog_versions.stepfunctions import state_machine
from rekog_versions.testing import (
    FakeClock,
    fake_clock,
    project_arn,
    project_description,
    set_testing,
    stub_create_project_version,
    stub_describe_project_versions,
    stub_describe_projects,
    version_arn,
    version_description,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

    from botocore.stub import Stubber

PROJECT = project_arn("cats")
VERSION = version_arn("cats", "v1")


def _request(**changes: Any) -> Any:
    builder = (
        RequestBuilder(project_arn=PROJECT, version_name=changes.pop("name", "v1"))
        .output(changes.pop("output", "s3://out-bucket/results/"))
        .training_manifest("s3://data-bucket/train.manifest")
        .auto_split()
    )
    return builder.build()


class Harness:
    """A ProjectVersionsClient on a stubbed Rekognition client, with a fake clock."""

    def __init__(self, rekognition: Any, stubber: Stubber, clock: FakeClock, **kwargs: Any) -> None:
        self.stubber = stubber
        self.clock = clock
        self.client = ProjectVersionsClient(rekognition, **kwargs)

    def error(self, method: str, code: str, status: int = 400, message: str = "nope") -> None:
        self.stubber.add_client_error(
            method,
            service_error_code=code,
            service_message=message,
            http_status_code=status,
            response_meta={"RequestId": "req-1234"},
        )

    def project(self, **kwargs: Any) -> None:
        stub_describe_projects(self.stubber, "cats", [project_description(PROJECT, **kwargs)])

    def versions(self, names: list[str], *descriptions: dict[str, Any]) -> None:
        stub_describe_project_versions(self.stubber, PROJECT, names, list(descriptions))


@pytest.fixture
def harness(clock: FakeClock) -> Iterator[Harness]:
    with stubbed("rekognition") as (rekognition, stubber):
        yield Harness(rekognition, stubber, clock)


# -- create ---------------------------------------------------------------------------


def test_create_sends_the_request_and_returns_the_arn(harness: Harness) -> None:
    """create() sends exactly request.to_boto() and returns the new version's ARN."""
    request = _request()
    arn = stub_create_project_version(harness.stubber, request)
    assert arn == harness.client.create(request)


def test_create_accepts_a_builder(harness: Harness) -> None:
    """A builder is built (so validated) by create()."""
    builder = (
        RequestBuilder(project_arn=PROJECT, version_name="v2")
        .output("s3://out-bucket/")
        .training_manifest("s3://data-bucket/t.manifest")
        .auto_split()
    )
    arn = stub_create_project_version(harness.stubber, builder)
    assert arn == harness.client.create(builder)


def test_create_refuses_an_invalid_builder_without_calling(harness: Harness) -> None:
    """An invalid request raises before anything is sent (the Stubber expects nothing)."""
    with pytest.raises(RequestValidationError):
        harness.client.create(RequestBuilder(project_arn=PROJECT, version_name="bad name"))


def test_create_refuses_an_invalid_hand_built_request_without_calling(harness: Harness) -> None:
    """A request built from the shapes is validated before it is sent (nothing is stubbed)."""
    request = attrs.evolve(_request(), version_name="bad name")
    with pytest.raises(RequestValidationError) as caught:
        harness.client.create(request)
    assert ["VersionName"] == [problem.path for problem in caught.value.problems]


@pytest.mark.parametrize("taker", ["create", "preflight", "state_machine"])
def test_what_takes_a_request_refuses_other_types(harness: Harness, taker: str) -> None:
    """What takes a request refuses a dict with a TypeError pointing to from_boto()."""
    take = getattr(harness.client, taker, None) or state_machine
    said = rf"{taker}\(\) takes a CreateProjectVersionRequest.*from_boto"
    with pytest.raises(TypeError, match=said):
        take({"ProjectArn": PROJECT})
    with pytest.raises(TypeError, match=r"got int$"):
        take(5)


@pytest.mark.parametrize(
    ("code", "status", "cls", "retryable"),
    [
        ("AccessDeniedException", 400, AccessDeniedError, False),
        ("InternalServerError", 500, InternalServerError, True),
        ("InvalidParameterException", 400, ServiceError, False),
        ("LimitExceededException", 400, LimitExceededError, False),
        ("ProvisionedThroughputExceededException", 400, ServiceError, True),
        ("ResourceNotFoundException", 400, ResourceNotFoundError, False),
        ("ServiceQuotaExceededException", 400, ServiceQuotaExceededError, False),
        ("ThrottlingException", 500, ThrottlingError, True),
        ("SomethingNewException", 400, ServiceError, False),
        ("SomethingNewServerException", 503, ServiceError, True),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_errors_are_typed_by_code(
    code: str, status: int, cls: type[ServiceError], retryable: bool, clock: FakeClock
) -> None:
    """Each code becomes its class, with every attribute, and botocore's error as cause."""
    with stubbed("rekognition") as (rekognition, stubber):
        harness = Harness(rekognition, stubber, clock, retry=RetryPolicy(max_attempts=1))
        harness.error("create_project_version", code, status, "it went wrong")
        with pytest.raises(cls) as caught:
            harness.client.create(_request())
    error = caught.value
    assert (code, "it went wrong", "req-1234", status, "CreateProjectVersion", retryable) == (
        error.code,
        error.message,
        error.request_id,
        error.http_status,
        error.operation,
        error.retryable,
    )
    assert str(error).startswith(f"[{code}] it went wrong")
    assert "request id: req-1234" in str(error)
    assert type(error.__cause__).__name__ in {code, "ClientError"}


def test_str_reads_like_the_service() -> None:
    """str(error) is '[Code] message (request id: ...)'."""
    error = ThrottlingError("Rate exceeded", code="ThrottlingException", request_id="4f1c")
    assert "[ThrottlingException] Rate exceeded (request id: 4f1c)" == str(error)


def test_limit_exceeded_says_what_to_do(harness: Harness) -> None:
    """LimitExceeded is not retried and its message says to wait or raise the quota."""
    harness.error("create_project_version", "LimitExceededException")
    with pytest.raises(LimitExceededError, match="Wait for a running training job") as caught:
        harness.client.create(_request())
    assert caught.value.retryable is False
    assert [] == harness.clock.sleeps


def test_throttling_is_retried_with_jittered_backoff(harness: Harness) -> None:
    """Throttled calls are sent again after capped, jittered waits; then succeed."""
    request = _request()
    for _ in range(3):
        harness.error("create_project_version", "ThrottlingException", 400, "Rate exceeded")
    arn = stub_create_project_version(harness.stubber, request)
    assert arn == harness.client.create(request)
    # The fake clock's jitter is the midpoint of each full-jitter range.
    assert [0.5, 1.0, 2.0] == harness.clock.sleeps


def test_retries_stop_at_max_attempts(harness: Harness) -> None:
    """After max_attempts requests (10 by default) the last error is raised."""
    for _ in range(10):
        harness.error("create_project_version", "InternalServerError", 500)
    with pytest.raises(InternalServerError):
        harness.client.create(_request())
    assert 9 == len(harness.clock.sleeps)


def test_testing_mode_surfaces_a_stubbed_error_at_once(harness: Harness) -> None:
    """With set_testing(True), a queued throttling error is raised on its first answer."""
    harness.error("create_project_version", "ThrottlingException")
    set_testing(True)
    try:
        with pytest.raises(ThrottlingError):
            harness.client.create(_request())
    finally:
        set_testing(False)
    assert [] == harness.clock.sleeps


def test_retries_stop_at_the_budget() -> None:
    """Retrying stops when the next wait would pass the time budget."""

    class Longest(FakeClock):
        def uniform(self, low: float, high: float) -> float:  # noqa: ARG002 - the upper bound
            return high

    with stubbed("rekognition") as (rekognition, stubber), fake_clock(Longest()) as clock:
        client = ProjectVersionsClient(
            rekognition,
            retry=RetryPolicy(max_attempts=50, base_delay=10, max_delay=10, budget=25),
        )
        for _ in range(3):
            stubber.add_client_error("create_project_version", "ThrottlingException")
        with pytest.raises(ThrottlingError):
            client.create(_request())
    assert [10, 10] == clock.sleeps


# -- create: the lost response ------------------------------------------------------


def test_resource_in_use_for_our_own_version_returns_its_arn(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A retried create that meets the version its first attempt made returns that ARN."""
    request = _request()
    harness.error("create_project_version", "InternalServerError", 500)  # made, then lost
    harness.error("create_project_version", "ResourceInUseException")
    existing = version_description(VERSION, request=request, created=harness.clock.wall_time())
    harness.versions(["v1"], existing)
    with caplog.at_level(logging.INFO, logger="rekog_versions"):
        assert VERSION == harness.client.create(request)
    assert "already exists with this request's inputs" in caplog.text


def test_one_request_answered_taken_is_a_conflict_whatever_the_time(harness: Harness) -> None:
    """One request, answered "taken": the version (made a minute ago) is not this call's."""
    request = _request()
    harness.error("create_project_version", "ResourceInUseException")
    recent = harness.clock.wall_time() - timedelta(minutes=1)
    existing = version_description(
        VERSION, request=request, created=recent, status="TRAINING_FAILED"
    )
    harness.versions(["v1"], existing)
    with pytest.raises(VersionNameConflictError, match="this call sent one request") as caught:
        harness.client.create(request)
    assert caught.value.existing is not None
    assert VERSION == caught.value.existing.arn


def test_an_older_version_with_the_same_inputs_is_a_conflict(harness: Harness) -> None:
    """A version of that name made before this call began is not returned as if new."""
    request = _request()
    harness.error("create_project_version", "ThrottlingException")
    harness.error("create_project_version", "ResourceInUseException")
    yesterday = harness.clock.wall_time() - timedelta(days=1)
    existing = version_description(
        VERSION, request=request, created=yesterday, status="TRAINING_FAILED"
    )
    harness.versions(["v1"], existing)
    with pytest.raises(VersionNameConflictError, match="same inputs but was created before"):
        harness.client.create(request)


def test_a_version_within_the_clock_skew_is_this_calls(harness: Harness) -> None:
    """Created up to CLOCK_SKEW before the call began (the service's clock behind): ours."""
    request = _request()
    harness.error("create_project_version", "InternalServerError", 500)
    harness.error("create_project_version", "ResourceInUseException")
    skewed = harness.clock.wall_time() - CLOCK_SKEW + timedelta(seconds=1)
    harness.versions(["v1"], version_description(VERSION, request=request, created=skewed))
    assert VERSION == harness.client.create(request)


def test_resource_in_use_by_another_job_is_a_conflict(harness: Harness) -> None:
    """The name taken by a version with other inputs raises VersionNameConflictError."""
    request = _request()
    other = _request(output="s3://other-bucket/x/")
    harness.error("create_project_version", "ResourceInUseException")
    harness.versions(
        ["v1"], version_description(VERSION, request=other, status="TRAINING_COMPLETED")
    )
    with pytest.raises(VersionNameConflictError) as caught:
        harness.client.create(request)
    error = caught.value
    assert isinstance(error, ResourceInUseError)
    assert error.existing is not None
    assert ProjectVersionStatus.TRAINING_COMPLETED == error.existing.status
    assert "status TRAINING_COMPLETED, created 2026-11-27T09:00:00+00:00" in str(error)
    assert "output s3://other-bucket/x/" in str(error)


def test_resource_in_use_without_such_version_is_raised_as_is(harness: Harness) -> None:
    """ResourceInUse for another reason (the project) is raised as the service said."""
    harness.error("create_project_version", "ResourceInUseException", message="project busy")
    harness.versions(["v1"])
    with pytest.raises(ResourceInUseError, match="project busy") as caught:
        harness.client.create(_request())
    assert not isinstance(caught.value, VersionNameConflictError)


def test_kms_key_reported_as_arn_matches_the_key_id(harness: Harness) -> None:
    """A key ID in the request matches the key ARN the service reports."""
    request = (
        RequestBuilder(project_arn=PROJECT, version_name="v1")
        .output("s3://out-bucket")
        .training_manifest("s3://d-b/t")
        .auto_split()
        .kms_key("1234abcd")
        .build()
    )
    harness.error("create_project_version", "InternalServerError", 500)
    harness.error("create_project_version", "ResourceInUseException")
    existing = version_description(VERSION, request=request, created=harness.clock.wall_time())
    existing["KmsKeyId"] = "arn:aws:kms:us-east-1:111122223333:key/1234abcd"
    harness.versions(["v1"], existing)
    assert VERSION == harness.client.create(request)


@pytest.mark.parametrize("operation", ["describe", "wait", "poll", "evaluation", "create"])
def test_a_resource_of_another_region_is_refused_before_any_call(
    harness: Harness, operation: str
) -> None:
    """An ARN of eu-west-1 given to a us-east-1 client: refused, naming both, nothing sent."""
    other = version_arn("cats", "v1", region="eu-west-1")
    calls: dict[str, Any] = {
        "describe": lambda: harness.client.describe(other),
        "wait": lambda: harness.client.wait(other),
        "poll": lambda: harness.client.poll(other),
        "evaluation": lambda: harness.client.evaluation(other),
        "create": lambda: harness.client.create(
            attrs.evolve(_request(), project_arn=project_arn("cats", region="eu-west-1"))
        ),
    }
    with pytest.raises(
        ConfigurationError, match="is in eu-west-1, but this Rekognition client calls us-east-1"
    ):
        calls[operation]()


# -- describe -------------------------------------------------------------------------


def test_describe_resolves_the_project_once(harness: Harness) -> None:
    """The project ARN is looked up by name (both features) and cached."""
    harness.project()
    harness.versions(["v1"], version_description(VERSION, status="TRAINING_IN_PROGRESS"))
    harness.versions(["v1"], version_description(VERSION, status="TRAINING_COMPLETED"))
    assert ProjectVersionStatus.TRAINING_IN_PROGRESS == harness.client.describe(VERSION).status
    assert ProjectVersionStatus.TRAINING_COMPLETED == harness.client.describe(VERSION).status


def test_a_project_created_again_is_looked_up_again(harness: Harness) -> None:
    """A not-found answer for a cached project refreshes it once, then is believed."""
    harness.project()
    harness.versions(["v1"], version_description(VERSION))
    assert VERSION == harness.client.describe(VERSION).arn
    # The project is deleted and created again under its name: a new ARN.
    again = project_arn("cats", timestamp=1800000000000)
    version_again = version_arn("cats", "v2", timestamp=1800000000001)
    harness.error("describe_project_versions", "ResourceNotFoundException")
    stub_describe_projects(harness.stubber, "cats", [project_description(again)])
    stub_describe_project_versions(
        harness.stubber, again, ["v2"], [version_description(version_again)]
    )
    assert version_again == harness.client.describe(version_again).arn
    # Looked up once more only: when the fresh ARN is not found either, that is believed.
    harness.error("describe_project_versions", "ResourceNotFoundException")
    stub_describe_projects(harness.stubber, "cats", [project_description(again)])
    harness.error("describe_project_versions", "ResourceNotFoundException")
    with pytest.raises(ResourceNotFoundError):
        harness.client.describe(version_again)


def test_describe_with_project_arn_skips_the_lookup(harness: Harness) -> None:
    """project_arn= avoids DescribeProjects."""
    harness.versions(["v1"], version_description(VERSION))
    assert VERSION == harness.client.describe(VERSION, project_arn=PROJECT).arn


def test_describe_project_arn_of_another_project(harness: Harness) -> None:
    """A project_arn naming another project is refused before any call."""
    with pytest.raises(RequestValidationError, match="names project 'dogs'"):
        harness.client.describe(VERSION, project_arn=project_arn("dogs"))


def test_describe_missing_version(harness: Harness) -> None:
    """An empty answer is ResourceNotFoundError, not an IndexError."""
    harness.project()
    harness.versions(["v1"])
    with pytest.raises(ResourceNotFoundError, match="no such project version"):
        harness.client.describe(VERSION)


def test_describe_a_version_of_that_name_with_another_arn(harness: Harness) -> None:
    """Not the one asked for: the message says what is known, not why (it cannot know)."""
    harness.project()
    other = version_arn("cats", "v1", timestamp=1800000000000)
    harness.versions(["v1"], version_description(other))
    with pytest.raises(ResourceNotFoundError) as caught:
        harness.client.describe(VERSION)
    message = str(caught.value)
    assert f"no such project version: {VERSION} (the project has a version named 'v1', but " in (
        message
    )
    assert f"its ARN is {other})" in message
    assert "deleted" not in message


def test_describe_missing_project(harness: Harness) -> None:
    """No project of that name is ResourceNotFoundError naming it."""
    stub_describe_projects(harness.stubber, "cats", [])
    with pytest.raises(ResourceNotFoundError, match="no project named 'cats' in us-east-1"):
        harness.client.describe(VERSION)


def test_describe_rejects_a_project_arn() -> None:
    """A project ARN where a version ARN is needed is named as such."""
    client = ProjectVersionsClient(region_name="us-east-1")
    with pytest.raises(RequestValidationError, match="is a project ARN"):
        client.describe(PROJECT)


@pytest.mark.parametrize(
    ("region_name", "expected"), [(None, "eu-west-1"), ("ap-south-1", "ap-south-1")]
)
def test_result_files_are_read_in_the_rekognition_client_region(
    region_name: str | None, expected: str
) -> None:
    """The S3 client it builds takes the given client's region unless one is named."""
    import boto3  # noqa: PLC0415

    given = boto3.client("rekognition", region_name="eu-west-1")
    client = ProjectVersionsClient(given, region_name=region_name)
    assert client.s3.meta.region_name == expected


# -- wait -----------------------------------------------------------------------------


def test_wait_follows_to_completion(harness: Harness) -> None:
    """wait() polls on the default schedule, reports each change, returns the version."""
    harness.project()
    for _ in range(3):
        harness.versions(["v1"], version_description(VERSION))
    harness.versions(
        ["v1"], version_description(VERSION, status="TRAINING_COMPLETED", f1_score=0.9)
    )
    changes: list[ProjectVersion] = []
    version = harness.client.wait(VERSION, on_change=changes.append)
    assert ProjectVersionStatus.TRAINING_COMPLETED == version.status
    assert 0.9 == version.f1_score
    assert ["TRAINING_IN_PROGRESS", "TRAINING_COMPLETED"] == [c.status_text for c in changes]
    assert [5.0, 5.0, 10.0] == harness.clock.sleeps


def test_wait_with_a_fixed_interval(harness: Harness) -> None:
    """poll_interval fixes the wait between polls."""
    harness.versions(["v1"], version_description(VERSION))
    harness.versions(["v1"], version_description(VERSION, status="TRAINING_COMPLETED"))
    harness.client.wait(VERSION, project_arn=PROJECT, poll_interval=42)
    assert [42] == harness.clock.sleeps


def test_wait_raises_training_failed_with_the_reason(harness: Harness) -> None:
    """TRAINING_FAILED raises with the message, its codes and where to look."""
    summary = {"Bucket": "out-bucket", "Name": "results/ManifestSummary-cats-v1.json"}
    failed = version_description(
        VERSION,
        status="TRAINING_FAILED",
        status_message="ERROR_MANIFEST_TOO_FEW_LABELS: The manifest file has too few labels.",
        manifest_summary=summary,
        extra={
            "TrainingDataResult": {
                "Validation": {
                    "Assets": [
                        {
                            "GroundTruthManifest": {
                                "S3Object": {
                                    "Bucket": "out-bucket",
                                    "Name": "results/TrainingManifestWithValidation.json",
                                }
                            }
                        }
                    ]
                }
            }
        },
    )
    harness.versions(["v1"], failed)
    with pytest.raises(TrainingFailedError) as caught:
        harness.client.wait(VERSION, project_arn=PROJECT)
    error = caught.value
    assert ("ERROR_MANIFEST_TOO_FEW_LABELS",) == error.error_codes
    assert error.manifest_summary is not None
    assert "s3://out-bucket/results/ManifestSummary-cats-v1.json" == error.manifest_summary.uri
    assert 1 == len(error.validation_manifests)
    assert "too few labels" in str(error)
    assert ProjectVersionStatus.TRAINING_FAILED == error.version.status


@pytest.mark.parametrize(
    ("status", "fragment"),
    [
        ("DELETING", "being deleted"),
        ("RUNNING", "finished earlier"),
        ("FAILED", "hosting status"),
        ("STOPPED", "stopped"),
    ],
    ids=["deleting", "running", "failed", "stopped"],
)
def test_wait_stops_on_statuses_without_training(
    harness: Harness, status: str, fragment: str
) -> None:
    """A status where no training happens raises an error that says why."""
    harness.versions(["v1"], version_description(VERSION, status=status))
    with pytest.raises(UnexpectedStatusError, match=fragment) as caught:
        harness.client.wait(VERSION, project_arn=PROJECT)
    assert status == caught.value.version.status_text


def test_wait_keeps_polling_through_throttling(harness: Harness) -> None:
    """Transient errors while polling never end the wait."""
    harness.versions(["v1"], version_description(VERSION))
    for _ in range(6):  # retried inside the poll, by the one retry layer
        harness.error("describe_project_versions", "ThrottlingException")
    harness.versions(["v1"], version_description(VERSION, status="TRAINING_COMPLETED"))
    version = harness.client.wait(VERSION, project_arn=PROJECT, poll_interval=60)
    assert ProjectVersionStatus.TRAINING_COMPLETED == version.status


def test_wait_polls_again_after_a_poll_that_ran_out_of_retries(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """Ten throttles exhaust one poll's retries; the wait polls again at the next interval."""
    harness.versions(["v1"], version_description(VERSION))
    for _ in range(10):  # the whole of one poll's attempts
        harness.error("describe_project_versions", "ThrottlingException")
    harness.versions(["v1"], version_description(VERSION, status="TRAINING_COMPLETED"))
    with caplog.at_level(logging.WARNING, logger="rekog_versions"):
        version = harness.client.wait(VERSION, project_arn=PROJECT, poll_interval=60)
    assert ProjectVersionStatus.TRAINING_COMPLETED == version.status
    assert "polling again" in caplog.text
    backoff = [0.5, 1.0, 2.0, 4.0, 8.0, 10.0, 10.0, 10.0, 10.0]  # 55.5 s, the poll at 60 s
    assert [60.0, *backoff, 4.5] == harness.clock.sleeps  # the next poll keeps to 120 s


def test_wait_does_not_retry_access_denied(harness: Harness) -> None:
    """A permanent error while polling ends the wait at once."""
    harness.error("describe_project_versions", "AccessDeniedException")
    with pytest.raises(AccessDeniedError):
        harness.client.wait(VERSION, project_arn=PROJECT)


def test_wait_times_out_with_the_last_version(harness: Harness) -> None:
    """The timeout raises WaitTimeoutError carrying the last state seen (polled at 0-25 s)."""
    for _ in range(4):
        harness.versions(["v1"], version_description(VERSION))
    with pytest.raises(WaitTimeoutError, match="gave up waiting after 25 s") as caught:
        harness.client.wait(VERSION, project_arn=PROJECT, timeout=25, poll_interval=10)
    assert caught.value.last is not None
    assert ProjectVersionStatus.TRAINING_IN_PROGRESS == caught.value.last.status
    assert [10, 10, 5] == harness.clock.sleeps


def test_wait_tolerates_a_version_not_yet_listed(harness: Harness) -> None:
    """Just after creation the version may be missing for a moment: polling goes on."""
    harness.versions(["v1"])
    harness.versions(["v1"], version_description(VERSION, status="TRAINING_COMPLETED"))
    version = harness.client.wait(VERSION, project_arn=PROJECT, poll_interval=5)
    assert (VERSION, ProjectVersionStatus.TRAINING_COMPLETED) == (version.arn, version.status)
    assert [5] == harness.clock.sleeps


def test_wait_missing_version_after_the_grace(harness: Harness) -> None:
    """A version still missing after the grace period is not found."""
    for _ in range(4):
        harness.versions(["v1"])
    with pytest.raises(ResourceNotFoundError):
        harness.client.wait(VERSION, project_arn=PROJECT, poll_interval=10)


def test_wait_unknown_status_polls_on(harness: Harness, caplog: pytest.LogCaptureFixture) -> None:
    """A status from a newer service is kept as text, logged, and polled through."""
    harness.versions(["v1"], version_description(VERSION, status="TRAINING_QUEUED"))
    harness.versions(["v1"], version_description(VERSION, status="TRAINING_COMPLETED"))
    changes: list[ProjectVersion] = []
    harness.client.wait(VERSION, project_arn=PROJECT, poll_interval=1, on_change=changes.append)
    assert ProjectVersionStatus.UNKNOWN == changes[0].status
    assert "TRAINING_QUEUED" == changes[0].status_text
    assert "does not know (TRAINING_QUEUED)" in caplog.text


@pytest.mark.parametrize("interval", [0, -1.0, math.nan, 5e-324, 0.0009, math.inf, 1e300])
@pytest.mark.parametrize("method", ["wait", "poll"])
def test_wait_and_poll_reject_a_bad_interval_before_any_call(
    harness: Harness, method: str, interval: float
) -> None:
    """poll_interval is 1 ms to a year (5e-324 overflowed); nothing is called."""
    said = "poll_interval must be 0.001 to 3.1536e[+]07 seconds"
    with pytest.raises(ValueError, match=said):
        getattr(harness.client, method)(VERSION, project_arn=PROJECT, poll_interval=interval)
    with pytest.raises(ValueError, match=said):
        harness.client.wait_many([VERSION], poll_interval=interval)


@pytest.mark.parametrize(
    ("timeout", "error", "said"),
    [
        (-1, ValueError, "timeout must be 0 or more seconds, got -1"),
        (math.nan, ValueError, "timeout must be 0 or more seconds, got nan"),
        ("5", TypeError, "timeout must be a number of seconds or None, got str"),
        (True, TypeError, "got bool"),
    ],
)
def test_wait_rejects_a_bad_timeout_before_any_call(
    harness: Harness, timeout: Any, error: type[Exception], said: str
) -> None:
    """A timeout is a number, 0 or more; nothing is called (the Stubber has no answers)."""
    with pytest.raises(error, match=said):
        harness.client.wait(VERSION, project_arn=PROJECT, timeout=timeout)
    with pytest.raises(error, match=said):
        harness.client.wait_many([VERSION], timeout=timeout)


def test_an_endless_timeout_waits_a_year(harness: Harness) -> None:
    """math.inf (or 1e300) raised an OverflowError; it waits a year, the longest wait."""
    for timeout in (math.inf, 1e300):
        harness.versions(["v1"], version_description(VERSION))
        harness.versions(["v1"], version_description(VERSION, status="TRAINING_COMPLETED"))
        version = harness.client.wait(VERSION, project_arn=PROJECT, timeout=timeout)
        assert version.status is ProjectVersionStatus.TRAINING_COMPLETED


def test_wait_many_refuses_one_arn_given_as_a_string(harness: Harness) -> None:
    """A string is iterable: its characters were taken for ARNs."""
    with pytest.raises(TypeError, match=r"takes a list of version ARNs, not one: use wait\(\)"):
        harness.client.wait_many(VERSION)


def test_wait_many_batches_ten_names_a_call(harness: Harness) -> None:
    """12 versions of one project cost 2 DescribeProjectVersions calls a poll."""
    names = [f"v{i}" for i in range(12)]
    arns = [version_arn("cats", name) for name in names]
    harness.project()
    harness.versions(names[:10], *(version_description(a) for a in arns[:10]))
    harness.versions(names[10:], *(version_description(a) for a in arns[10:]))
    harness.versions(
        names[:10],
        *(version_description(a, status="TRAINING_COMPLETED") for a in arns[:9]),
        version_description(arns[9], status="TRAINING_FAILED"),
    )
    harness.versions(
        names[10:], *(version_description(a, status="TRAINING_COMPLETED") for a in arns[10:])
    )
    results = harness.client.wait_many(arns, poll_interval=30)
    assert set(arns) == set(results)
    assert ProjectVersionStatus.TRAINING_FAILED == results[arns[9]].status
    assert [30] == harness.clock.sleeps


# -- results --------------------------------------------------------------------------


def _s3_body(document: Any) -> dict[str, Any]:
    data = document if isinstance(document, bytes) else json.dumps(document).encode()
    return {"Body": StreamingBody(io.BytesIO(data), len(data))}


SUMMARY = {"Bucket": "out-bucket", "Name": "results/EvaluationResultSummary-cats-v1.json"}
EVALUATION_WITH_METRICS = {
    "Version": 1,
    "EvaluationDetails": {
        "ProjectVersionArn": VERSION,
        "EvaluationEndTimestamp": "2026-11-27T10:00:00Z",
        "Labels": ["CAP", "WATCH"],
        "NumberOfTrainingImages": 1000,
        "NumberOfTestingImages": 250,
    },
    "AggregatedEvaluationResults": {
        "Metrics": {
            "Precision": 0.95,
            "Recall": 0.9,
            "F1Score": 0.92,
            "ConfusionMatrix": [
                {"GroundTruthLabel": "CAP", "PredictedLabel": "CAP", "Value": 0.98}
            ],
        }
    },
    "LabelEvaluationResults": [
        {
            "Label": "CAP",
            "NumberOfTestingImages": 130,
            "Metrics": {"Threshold": 0.51, "Precision": 0.98, "Recall": 0.97, "F1Score": 0.975},
        }
    ],
}
EVALUATION_FLAT = {
    **EVALUATION_WITH_METRICS,
    "AggregatedEvaluationResults": EVALUATION_WITH_METRICS["AggregatedEvaluationResults"][
        "Metrics"
    ],  # type: ignore[index]
}


@pytest.mark.parametrize(
    "document", [EVALUATION_WITH_METRICS, EVALUATION_FLAT], ids=["metrics-wrapper", "flat"]
)
def test_evaluation_reads_both_documented_shapes(document: dict[str, Any]) -> None:
    """The summary file is read with or without the Metrics wrapper."""
    with stubbed("rekognition") as (rekognition, _), stubbed("s3") as (s3, s3_stubber):
        s3_stubber.add_response(
            "get_object", _s3_body(document), {"Bucket": SUMMARY["Bucket"], "Key": SUMMARY["Name"]}
        )
        client = ProjectVersionsClient(rekognition, s3_client=s3)
        version = ProjectVersion.from_boto(
            version_description(
                VERSION, status="TRAINING_COMPLETED", f1_score=0.92, evaluation_summary=SUMMARY
            )
        )
        summary = client.evaluation(version)
    assert (0.95, 0.9, 0.92) == (
        summary.aggregate.precision,
        summary.aggregate.recall,
        summary.aggregate.f1_score,
    )
    assert ("CAP", 130, 0.51, 0.98, 0.97, 0.975) == (
        summary.per_label[0].label,
        summary.per_label[0].testing_images,
        summary.per_label[0].threshold,
        summary.per_label[0].precision,
        summary.per_label[0].recall,
        summary.per_label[0].f1_score,
    )
    assert ("CAP", "WATCH") == summary.labels
    assert 1 == len(summary.aggregate.confusion_matrix)


def test_evaluation_of_a_version_without_one() -> None:
    """A version that did not train successfully has no evaluation summary."""
    client = ProjectVersionsClient(region_name="us-east-1")
    version = ProjectVersion.from_boto(version_description(VERSION, status="TRAINING_FAILED"))
    with pytest.raises(ResultFileError, match="written only when training succeeds"):
        client.evaluation(version)


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        (b"<html>not json", "is not JSON"),
        (b"[" * 100_000 + b"]" * 100_000, "is not JSON"),  # deeper than the decoder recurses
        (b'{"AggregatedEvaluationResults": {"F1Score": "high"}}', "should be a finite number"),
        (b'{"Version": 1}', "AggregatedEvaluationResults should be a structure"),
        (b"[1, 2]", "(top level) should be a structure"),
    ],
    ids=["html", "nested-100000", "string-metric", "no-aggregate", "array"],
)
def test_evaluation_malformed_file(body: bytes, fragment: str) -> None:
    """A file that is not a summary raises ResultFileError naming the file and the fault."""
    with stubbed("rekognition") as (rekognition, _), stubbed("s3") as (s3, s3_stubber):
        s3_stubber.add_response(
            "get_object", _s3_body(body), {"Bucket": SUMMARY["Bucket"], "Key": SUMMARY["Name"]}
        )
        client = ProjectVersionsClient(rekognition, s3_client=s3)
        version = ProjectVersion.from_boto(
            version_description(
                VERSION, status="TRAINING_COMPLETED", f1_score=0.9, evaluation_summary=SUMMARY
            )
        )
        with pytest.raises(
            ResultFileError, match=fragment.replace("(", r"\(").replace(")", r"\)")
        ) as caught:
            client.evaluation(version)
    assert caught.value.location is not None
    assert SUMMARY["Name"] == caught.value.location.name


def test_evaluation_missing_file() -> None:
    """A missing object raises ResultFileError with the S3 error as cause."""
    with stubbed("rekognition") as (rekognition, _), stubbed("s3") as (s3, s3_stubber):
        s3_stubber.add_client_error(
            "get_object", "NoSuchKey", "The specified key does not exist.", 404
        )
        client = ProjectVersionsClient(rekognition, s3_client=s3)
        version = ProjectVersion.from_boto(
            version_description(
                VERSION, status="TRAINING_COMPLETED", f1_score=0.9, evaluation_summary=SUMMARY
            )
        )
        with pytest.raises(ResultFileError, match="NoSuchKey") as caught:
            client.evaluation(version)
    assert isinstance(caught.value.__cause__, ServiceError)


def test_manifest_summary_is_typed() -> None:
    """The manifest summary file becomes a typed ManifestSummary."""
    document = {
        "statistics": {
            "training": {
                "use_case": "NOT_DETERMINED",
                "total_json_lines": 301,
                "valid_json_lines": 146,
                "invalid_json_lines": 155,
                "ignored_json_lines": 0,
                "error_json_line_indices": [2, 5],
                "errors": [
                    {
                        "code": "ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST",
                        "message": "The manifest file contains too many invalid rows.",
                    }
                ],
            },
            "testing": {
                "use_case": "NOT_DETERMINED",
                "total_json_lines": 0,
                "valid_json_lines": 0,
                "invalid_json_lines": 0,
                "ignored_json_lines": 0,
                "error_json_line_indices": [],
                "errors": [],
            },
        },
        "errors": [
            {
                "code": "ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP",
                "message": "Less than 50% usable label overlap.",
            }
        ],
    }
    location = {"Bucket": "out-bucket", "Name": "results/ManifestSummary-cats-v1.json"}
    with stubbed("rekognition") as (rekognition, _), stubbed("s3") as (s3, s3_stubber):
        s3_stubber.add_response(
            "get_object", _s3_body(document), {"Bucket": "out-bucket", "Key": location["Name"]}
        )
        client = ProjectVersionsClient(rekognition, s3_client=s3)
        version = ProjectVersion.from_boto(
            version_description(VERSION, status="TRAINING_FAILED", manifest_summary=location)
        )
        summary = client.manifest_summary(version)
    assert summary.training is not None
    assert (301, 146, 155, 0, (2, 5)) == (
        summary.training.total_json_lines,
        summary.training.valid_json_lines,
        summary.training.invalid_json_lines,
        summary.training.ignored_json_lines,
        summary.training.error_json_line_indices,
    )
    assert "ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST" == summary.training.errors[0].code
    assert "ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP" == summary.errors[0].code
    assert document == summary.to_dict()  # the file's shape, and only its members


def test_a_manifest_summary_nested_too_deep_is_a_result_file_error() -> None:
    """A manifest summary nested 100,000 deep is a ResultFileError, not a RecursionError."""
    body = b'{"statistics": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"
    with stubbed("rekognition") as (rekognition, _), stubbed("s3") as (s3, s3_stubber):
        s3_stubber.add_response(
            "get_object", _s3_body(body), {"Bucket": SUMMARY["Bucket"], "Key": SUMMARY["Name"]}
        )
        client = ProjectVersionsClient(rekognition, s3_client=s3)
        version = ProjectVersion.from_boto(
            version_description(VERSION, status="TRAINING_FAILED", manifest_summary=SUMMARY)
        )
        with pytest.raises(ResultFileError, match="is not JSON"):
            client.manifest_summary(version)


def test_manifest_summary_absent() -> None:
    """No manifest summary (a manifest file error) is a ResultFileError that says so."""
    client = ProjectVersionsClient(region_name="us-east-1")
    version = ProjectVersion.from_boto(version_description(VERSION, status="TRAINING_FAILED"))
    with pytest.raises(ResultFileError, match="no manifest summary"):
        client.manifest_summary(version)


# -- preflight ------------------------------------------------------------------------


def test_preflight_passes(harness: Harness) -> None:
    """A Custom Labels project without datasets and a free name: no problems."""
    harness.project()
    harness.versions(["v1"])
    assert () == harness.client.preflight(_request())


def test_preflight_finds_every_problem(harness: Harness) -> None:
    """Feature mismatch, datasets with manifests, and a taken name, all at once."""
    request = (
        RequestBuilder(project_arn=PROJECT, version_name="v1")
        .output("s3://out-bucket")
        .training_manifest("s3://data-bucket/t.manifest")
        .auto_split()
        .content_moderation(60)
        .build()
    )
    harness.project(datasets=["TRAIN", "TEST"], status="CREATED")
    harness.versions(["v1"], version_description(VERSION, status="TRAINING_COMPLETED"))
    problems = harness.client.preflight(request)
    assert ["FeatureConfig", "TrainingData", "VersionName"] == [p.path for p in problems]
    assert "this project is CUSTOM_LABELS" in problems[0].message
    assert "TEST, TRAIN" in problems[1].message


@pytest.mark.parametrize(
    ("if_exists", "same_inputs", "taken"),
    [("reuse", True, False), ("reuse", False, True), ("error", True, True)],
)
def test_preflight_takes_the_name_as_create_would(
    harness: Harness, if_exists: Any, same_inputs: bool, taken: bool
) -> None:
    """With reuse, a name taken by a version of the request's inputs is no problem."""
    request = _request()
    existing = request if same_inputs else _request(output="s3://other-bucket/x/")
    harness.project()
    harness.versions(["v1"], version_description(VERSION, request=existing))
    problems = harness.client.preflight(request, if_exists=if_exists)
    assert (["VersionName"] if taken else []) == [p.path for p in problems]


def test_preflight_no_datasets_and_no_manifests(harness: Harness) -> None:
    """A project without datasets needs manifests in the request."""
    request = (
        RequestBuilder(project_arn=PROJECT, version_name="v1").output("s3://out-bucket").build()
    )
    harness.project(feature="CONTENT_MODERATION", status="CREATING")
    harness.versions(["v1"])
    problems = harness.client.preflight(request)
    assert ["ProjectArn", "TrainingData"] == [p.path for p in problems]


def test_preflight_missing_project(harness: Harness) -> None:
    """No project with that ARN is the one problem reported."""
    stub_describe_projects(
        harness.stubber, "cats", [project_description(project_arn("cats", timestamp=1))]
    )
    problems = harness.client.preflight(_request())
    assert ["ProjectArn"] == [p.path for p in problems]


# -- ProjectVersion -------------------------------------------------------------------


def test_project_version_reads_every_field() -> None:
    """Every member of the description is typed; timestamps are aware UTC."""
    description = version_description(
        VERSION,
        status="TRAINING_COMPLETED",
        status_message="The model is ready to run.",
        request=_request(),
        f1_score=0.91,
        evaluation_summary=SUMMARY,
        manifest_summary={"Bucket": "out-bucket", "Name": "m.json"},
        billable_seconds=5499,
        extra={
            "TrainingEndTimestamp": datetime(2026, 11, 27, 12, 0, tzinfo=timezone.utc),
            "MinInferenceUnits": 1,
            "MaxInferenceUnits": 2,
            "Feature": "CUSTOM_LABELS",
            "BaseModelVersion": "1.0",
            "SourceProjectVersionArn": version_arn("dogs", "v9"),
            "KmsKeyId": "key",
            "VersionDescription": "d",
        },
    )
    version = ProjectVersion.from_boto(description)
    assert "v1" == version.name
    assert "The model is ready to run." == version.status_message
    assert 0.91 == version.f1_score
    assert "1h 31m 39s" == version.billable_training_time
    assert timezone.utc == version.created_at.tzinfo  # type: ignore[union-attr]
    assert (1, 2) == (version.min_inference_units, version.max_inference_units)
    assert ("out-bucket", "results/") == (version.output_bucket, version.output_prefix)
    assert version.testing_data is not None
    assert version.testing_data.auto_create is True
    assert version.training_data is not None
    assert "train.manifest" == version.training_data.input[0].name
    assert ("CUSTOM_LABELS", "1.0", "key", "d") == (
        version.feature,
        version.base_model_version,
        version.kms_key_id,
        version.version_description,
    )


@pytest.mark.parametrize(
    ("description", "fragment"),
    [
        ([], "should be a structure"),
        ({"Status": "RUNNING"}, "ProjectVersionArn"),
        ({"ProjectVersionArn": VERSION}, "Status"),
        ({"ProjectVersionArn": VERSION, "Status": 3}, "Status should be a status"),
        ({"ProjectVersionArn": "", "Status": "RUNNING"}, "ProjectVersionArn"),
    ],
    ids=["list", "no-arn", "no-status", "status-int", "empty-arn"],
)
def test_project_version_without_what_the_library_needs(description: Any, fragment: str) -> None:
    """Only a missing or malformed ARN or status makes a description unreadable."""
    from rekog_versions import MalformedResponseError  # noqa: PLC0415

    with pytest.raises(MalformedResponseError, match=fragment):
        ProjectVersion.from_boto(description)


@pytest.mark.parametrize(
    ("members", "attribute"),
    [
        ({"BillableTrainingTimeInSeconds": "9"}, "billable_training_seconds"),
        ({"EvaluationResult": {"F1Score": True}}, "f1_score"),
        ({"EvaluationResult": {"F1Score": 10**400}}, "f1_score"),
        ({"CreationTimestamp": "yesterday"}, "created_at"),
        ({"CreationTimestamp": 1e300}, "created_at"),
        ({"StatusMessage": ["no"]}, "status_message"),
        ({"ManifestSummary": {"S3Object": {"Bucket": 5}}}, "manifest_summary"),
        ({"FeatureConfig": "moderation"}, "feature_config"),
    ],
    ids=[
        "seconds-str",
        "f1-bool",
        "f1-huge-int",
        "timestamp-str",
        "timestamp-beyond-python",
        "message-list",
        "summary-bucket-int",
        "feature-config-str",
    ],
)
def test_project_version_reads_unexpected_members_as_absent(
    members: dict[str, Any], attribute: str
) -> None:
    """A member of an unexpected type is read as absent; the raw answer keeps it."""
    version = ProjectVersion.from_boto(
        {"ProjectVersionArn": VERSION, "Status": "TRAINING_IN_PROGRESS", **members}
    )
    assert getattr(version, attribute) is None
    assert ProjectVersionStatus.TRAINING_IN_PROGRESS == version.status
    assert members.items() <= version.raw.items()


def test_project_version_keeps_what_it_does_not_know() -> None:
    """New statuses, out-of-range numbers and new members are read, not judged."""
    version = ProjectVersion.from_boto(
        {
            "ProjectVersionArn": VERSION,
            "Status": "TRAINING_PAUSED",
            "FeatureConfig": {"ContentModeration": {"ConfidenceThreshold": 101}},
            "TrainingDataResult": {"Input": {"Assets": "x"}},
            "SomethingNew": {"Nested": [1, 2]},
        }
    )
    assert (ProjectVersionStatus.UNKNOWN, "TRAINING_PAUSED") == (
        version.status,
        version.status_text,
    )
    assert version.feature_config is not None
    assert version.feature_config.content_moderation is not None
    assert 101.0 == version.feature_config.content_moderation.confidence_threshold
    assert version.training_data is not None
    assert () == version.training_data.input
    assert {"Nested": [1, 2]} == version.raw["SomethingNew"]


def test_status_enum_has_the_fourteen_values() -> None:
    """All 14 statuses of the model, and UNKNOWN."""
    import botocore.session  # noqa: PLC0415

    model = botocore.session.get_session().get_service_model("rekognition")
    values = set(model.shape_for("ProjectVersionStatus").enum)
    assert values == {s.value for s in ProjectVersionStatus} - {"UNKNOWN"}
    assert ProjectVersionStatus.UNKNOWN == ProjectVersionStatus.parse("NEW_THING")
