"""The client against LocalRekognition with faults injected, through real HTTP on loopback.

Each scenario is bounded in calls and time, and stops by itself.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import attrs
import pytest

from emulated import BUCKET, World
from rekog_versions import (
    MalformedResponseError,
    NetworkError,
    ProjectVersionsClient,
    ProjectVersionStatus,
    RequestBuilder,
    RetryPolicy,
    ServiceError,
)

QUICK = RetryPolicy(max_attempts=8, base_delay=0.01, max_delay=0.05, budget=20, not_found_grace=5)


def _request(project: str, name: str) -> Any:
    return (
        RequestBuilder(project_arn=project, version_name=name)
        .output(f"s3://{BUCKET}/out/{name}/")
        .training_manifest(f"s3://{BUCKET}/train.manifest")
        .auto_split()
        .build()
    )


def _project(world: World) -> str:
    return str(world.rekognition().create_project(ProjectName="reliable")["ProjectArn"])


def test_lost_response_on_create(world: World) -> None:
    """The service commits the version but the answer is lost: one version, its ARN returned."""
    project = _project(world)
    world.local.faults.lose_response("CreateProjectVersion", count=1)
    client = ProjectVersionsClient(world.rekognition(), s3_client=world.s3, retry=QUICK)
    arn = client.create(_request(project, "v1"))
    versions = world.local.versions()
    assert [arn] == [v["ProjectVersionArn"] for v in versions]
    assert 2 == world.local.calls["CreateProjectVersion"]
    assert 1 == world.local.faults.injected["lose"]


def test_half_the_calls_throttled(world: World) -> None:
    """With 50% of calls throttled, create and wait succeed and nothing is created twice."""
    project = _project(world)
    world.local.faults.throttle("*", fraction=0.5)
    rekognition = world.rekognition(retries={"mode": "standard", "total_max_attempts": 1})
    client = ProjectVersionsClient(rekognition, s3_client=world.s3, retry=QUICK)
    arn = client.create(_request(project, "v1"))
    version = client.wait(arn, poll_interval=0.1, timeout=60, project_arn=project)
    assert ProjectVersionStatus.TRAINING_COMPLETED == version.status
    assert 1 == len(world.local.versions())
    assert world.local.faults.injected["throttle"] > 0


def test_twenty_concurrent_creates_with_half_the_calls_throttled(world: World) -> None:
    """20 creates at once, half of all their calls throttled: all succeed, none twice.

    The default retry policy, but with short backoffs; the first 20 calls are throttled
    (not a random half), so the outcome does not depend on how the threads interleave.
    """
    project = _project(world)
    world.local.faults.throttle("CreateProjectVersion", count=20)
    rekognition = world.rekognition(
        retries={"mode": "standard", "total_max_attempts": 1}, max_pool_connections=20
    )
    client = ProjectVersionsClient(
        rekognition, s3_client=world.s3, retry=RetryPolicy(base_delay=0.02, max_delay=0.1)
    )
    with ThreadPoolExecutor(max_workers=20) as pool:
        arns = list(
            pool.map(lambda index: client.create(_request(project, f"c{index:02d}")), range(20))
        )
    assert 20 == len(set(arns))
    assert sorted(arns) == sorted(v["ProjectVersionArn"] for v in world.local.versions())
    assert (40, 20) == (
        world.local.calls["CreateProjectVersion"],
        world.local.faults.injected["throttle"],
    )


def test_thirty_two_threads(world: World) -> None:
    """32 threads create and wait on distinct versions through throttling: all complete, once."""
    project = _project(world)
    world.local.faults.throttle("*", fraction=0.3)
    rekognition = world.rekognition(
        retries={"mode": "standard", "total_max_attempts": 1}, max_pool_connections=32
    )
    # The 30% are drawn at random across threads, so how many throttles in a row one call
    # meets depends on the interleaving: with hundreds of calls, 8 attempts fail about one
    # run in fifty (0.3**8 a call); 20 make it one in billions. This test is about
    # concurrency, not the retry bound, which tests/test_client_http.py holds.
    patient = attrs.evolve(QUICK, max_attempts=20)
    client = ProjectVersionsClient(rekognition, s3_client=world.s3, retry=patient)

    def train(index: int) -> ProjectVersionStatus:
        arn = client.create(_request(project, f"v{index:02d}"))
        return client.wait(arn, poll_interval=0.2, timeout=90, project_arn=project).status

    with ThreadPoolExecutor(max_workers=32) as pool:
        statuses = list(pool.map(train, range(32)))
    assert [ProjectVersionStatus.TRAINING_COMPLETED] * 32 == statuses
    names = sorted(
        v["ProjectVersionArn"].split("/version/")[1].split("/")[0] for v in world.local.versions()
    )
    assert [f"v{i:02d}" for i in range(32)] == names


def test_server_stops_mid_wait(world: World) -> None:
    """The endpoint going away ends the wait with a NetworkError, not a timeout."""
    project = _project(world)
    client = ProjectVersionsClient(
        world.rekognition(
            retries={"mode": "standard", "total_max_attempts": 1}, connect_timeout=1, read_timeout=2
        ),
        s3_client=world.s3,
        retry=RetryPolicy(base_delay=0.01, max_delay=0.05),
    )
    world.local.training_seconds = 3600  # it would never finish
    arn = client.create(_request(project, "v1"))
    threading.Timer(0.5, world.local.stop).start()
    with pytest.raises(NetworkError) as caught:
        client.wait(arn, poll_interval=0.1, timeout=120, project_arn=project)
    assert caught.value.retryable is False  # refused: nothing listens there any more


@pytest.mark.parametrize("kind", ["truncated-json", "html", "wrong-content-type", "random-bytes"])
def test_garbage_from_the_server(world: World, kind: str) -> None:
    """Garbage answers become typed errors; once the garbage stops, calls succeed again."""
    project = _project(world)
    client = ProjectVersionsClient(
        world.rekognition(retries={"mode": "standard", "total_max_attempts": 1}),
        s3_client=world.s3,
        retry=RetryPolicy(max_attempts=3, base_delay=0.001, max_delay=0.002),
    )
    arn = client.create(_request(project, "v1"))
    world.local.faults.garbage(kind, "DescribeProjectVersions", count=3)
    with pytest.raises((MalformedResponseError, ServiceError)) as caught:
        client.describe(arn, project_arn=project)
    assert caught.value.retryable
    world.local.faults.garbage(kind, "DescribeProjectVersions", count=1)
    assert arn == client.describe(arn, project_arn=project).arn
