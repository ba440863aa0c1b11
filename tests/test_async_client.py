"""What only the asyncio client has: cancellation, one event loop, the clients it opens.

The behaviour both clients share is in test_both_clients.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys
from typing import TYPE_CHECKING, Any

import pytest

from both_clients import BUCKET, S3Server, create_project, http_world
from rekog_versions import (
    AsyncProjectVersionsClient,
    MissingExtraError,
    NetworkError,
    ProjectVersionsClient,
    RequestBuilder,
    ThrottlingError,
    WaitTimeoutError,
)
from rekog_versions.testing import fake_clock, set_testing, version_arn, version_description

if TYPE_CHECKING:
    from collections.abc import AsyncIterator, Iterator

    from rekog_versions.testing import LocalRekognition


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    server = S3Server()
    yield server
    server.server.stop()


@pytest.fixture
def local(s3: S3Server, monkeypatch: pytest.MonkeyPatch) -> Iterator[LocalRekognition]:
    with http_world(monkeypatch, s3, training_seconds=30.0, seed=3) as emulator:
        yield emulator


def request(project: str, name: str = "v1") -> RequestBuilder:
    return (
        RequestBuilder(project_arn=project, version_name=name)
        .output(f"s3://{BUCKET}/out/")
        .training_manifest(f"s3://{BUCKET}/train.manifest")
        .auto_split()
    )


async def _counting_sends(client: AsyncProjectVersionsClient) -> list[int]:
    """A counter of the DescribeProjectVersions requests the client sends (not the server's
    count, which also sees a request already on the wire when the wait was cancelled)."""
    sent = [0]
    (await client.rekognition()).meta.events.register(
        "before-send.rekognition.DescribeProjectVersions",
        lambda **_: sent.__setitem__(0, sent[0] + 1),
    )
    return sent


def test_cancelling_a_wait_ends_it_and_leaves_nothing_running(local: LocalRekognition) -> None:
    """Cancelling a wait ends it; no task or request is left behind."""

    async def scenario() -> tuple[int, int, set[asyncio.Task[Any]]]:
        async with AsyncProjectVersionsClient(region_name="us-east-1") as client:
            sent = await _counting_sends(client)
            arn = await client.create(request(create_project(local)))
            waiting = asyncio.ensure_future(client.wait(arn, poll_interval=0.05))
            while sent[0] < 3:  # noqa: ASYNC110 - a counter, no event
                await asyncio.sleep(0.01)
            waiting.cancel()
            with pytest.raises(asyncio.CancelledError):
                await waiting
            polls = sent[0]
            await asyncio.sleep(0.3)  # six poll intervals: a wait still running would poll
            others = asyncio.all_tasks() - {asyncio.current_task()}
            return polls, sent[0], others

    polls, later, others = asyncio.run(scenario())
    assert later == polls
    assert others == set()


def test_cancelling_wait_many_cancels_every_project(local: LocalRekognition) -> None:
    """Cancelling wait_many ends every project's polling."""

    async def scenario() -> tuple[int, int]:
        async with AsyncProjectVersionsClient(region_name="us-east-1") as client:
            sent = await _counting_sends(client)
            arns = [
                await client.create(request(create_project(local, name)))
                for name in ("cats", "dogs")
            ]
            waiting = asyncio.ensure_future(client.wait_many(arns, poll_interval=0.05))
            while sent[0] < 4:  # noqa: ASYNC110 - a counter, no event
                await asyncio.sleep(0.01)
            waiting.cancel()
            await asyncio.gather(waiting, return_exceptions=True)
            polls = sent[0]
            await asyncio.sleep(0.3)
            return polls, sent[0]

    polls, later = asyncio.run(scenario())
    assert later == polls


def test_wait_many_follows_projects_side_by_side(local: LocalRekognition) -> None:
    """The projects' polls interleave: one project's wait does not hold up the other's."""
    local.training_seconds = 0.5
    polled: list[str] = []

    async def scenario() -> dict[str, Any]:
        async with AsyncProjectVersionsClient(region_name="us-east-1") as client:
            arns = [
                await client.create(request(create_project(local, name)))
                for name in ("cats", "dogs")
            ]
            rekognition = await client.rekognition()
            rekognition.meta.events.register(
                "before-parameter-build.rekognition.DescribeProjectVersions",
                lambda params, **_: polled.append(params["ProjectArn"].split("/")[1]),
            )
            return await client.wait_many(arns, poll_interval=0.05)

    final = asyncio.run(scenario())
    assert {version.status_text for version in final.values()} == {"TRAINING_COMPLETED"}
    first_dogs = polled.index("dogs")
    assert "cats" in polled[first_dogs:], polled  # cats still polled after dogs began


def test_a_wait_ends_at_its_timeout_when_the_server_never_answers(
    local: LocalRekognition,
) -> None:
    """A wait ends at its timeout even when the server never answers."""

    async def scenario() -> BaseException:
        async with AsyncProjectVersionsClient(region_name="us-east-1") as client:
            arn = await client.create(request(create_project(local)))
            local.faults.latency(3600.0, "DescribeProjectVersions")
            with pytest.raises(WaitTimeoutError) as raised:
                # the outer bound only keeps a broken timeout from hanging the suite
                await asyncio.wait_for(client.wait(arn, timeout=0.5, poll_interval=0.05), 30)
            return raised.value

    error = asyncio.run(scenario())
    assert isinstance(error, WaitTimeoutError)
    assert error.timeout == 0.5


def test_twenty_creates_at_once_at_half_throttling(local: LocalRekognition) -> None:
    """Twenty creates at once at half throttling all succeed, none twice."""
    local.faults.throttle("CreateProjectVersion", fraction=0.5)
    set_testing(True, attempts=20)
    try:

        async def scenario() -> list[str]:
            async with AsyncProjectVersionsClient(region_name="us-east-1") as client:
                project = create_project(local)
                return await asyncio.gather(
                    *(client.create(request(project, f"v{i}")) for i in range(20))
                )

        arns = asyncio.run(scenario())
    finally:
        set_testing(False)
    assert len(set(arns)) == 20
    assert len(local.versions()) == 20
    assert local.faults.injected.get("throttle", 0) > 0


def test_a_refused_connection_is_a_network_error_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A refused connection is a NetworkError at once, not retried."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_REKOGNITION", "http://127.0.0.1:1")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")

    async def scenario() -> NetworkError:
        async with AsyncProjectVersionsClient(region_name="us-east-1") as client:
            with pytest.raises(NetworkError) as raised:
                await client.describe(version_arn("cats", "v1"))
            return raised.value

    error = asyncio.run(scenario())
    assert error.retryable is False
    assert "DescribeProjects" in str(error)


def test_closes_what_it_opened_and_only_that(local: LocalRekognition) -> None:
    """The async client closes the clients it built, never those it was given."""
    from aiobotocore.session import get_session  # noqa: PLC0415

    async def scenario() -> None:
        session = get_session()
        async with session.create_client("rekognition", region_name="us-east-1") as given:
            client = AsyncProjectVersionsClient(given)
            project = create_project(local)
            async with client:
                arn = await client.create(request(project))
                await client.s3()  # built by the client: closed with it
            # the given client still works after the library's client closed
            answer = await given.describe_project_versions(ProjectArn=project)
            assert [d["ProjectVersionArn"] for d in answer["ProjectVersionDescriptions"]] == [arn]
            with pytest.raises(RuntimeError, match="closed"):
                await client.s3()
            await client.aclose()  # closing again is harmless

    asyncio.run(scenario())


ARN = version_arn("cats", "v1")
PROJECT = ARN.split("/version/")[0] + "/1700000000000"


@contextlib.asynccontextmanager
async def stubbed() -> AsyncIterator[tuple[AsyncProjectVersionsClient, Any]]:
    """The async client on an aiobotocore client with an active AioStubber."""
    from aiobotocore.session import get_session  # noqa: PLC0415
    from aiobotocore.stub import AioStubber  # noqa: PLC0415

    async with get_session().create_client(
        "rekognition",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - never sent
    ) as rekognition:
        with AioStubber(rekognition) as stubber:
            yield AsyncProjectVersionsClient(rekognition), stubber
            stubber.assert_no_pending_responses()


def test_a_stubbed_error_surfaces_on_its_first_answer() -> None:
    """With set_testing, aiobotocore's Stubber works as botocore's does with the sync client."""

    async def scenario() -> None:
        async with stubbed() as (client, stubber):
            stubber.add_response(
                "describe_project_versions",
                {"ProjectVersionDescriptions": [version_description(arn=ARN)]},
            )
            stubber.add_client_error("describe_project_versions", "ThrottlingException")
            version = await client.describe(ARN, project_arn=PROJECT)
            assert version.arn == ARN
            with pytest.raises(ThrottlingError):
                await client.describe(ARN, project_arn=PROJECT)

    set_testing(True)
    try:
        asyncio.run(scenario())
    finally:
        set_testing(False)


def test_a_fake_clock_makes_the_pauses_free() -> None:
    """The wait's pauses go to the FakeClock, on the default schedule, in no real time."""

    async def scenario() -> str:
        async with stubbed() as (client, stubber):
            for status in ("TRAINING_IN_PROGRESS", "TRAINING_IN_PROGRESS", "TRAINING_COMPLETED"):
                stubber.add_response(
                    "describe_project_versions",
                    {"ProjectVersionDescriptions": [version_description(ARN, status=status)]},
                )
            version = await client.wait(ARN, project_arn=PROJECT)
            return version.status_text

    with fake_clock() as clock:
        status = asyncio.run(scenario())
    assert status == "TRAINING_COMPLETED"
    assert clock.sleeps == [5.0, 5.0]


@pytest.mark.parametrize(
    ("region_name", "expected"), [(None, "eu-west-1"), ("ap-south-1", "ap-south-1")]
)
def test_result_files_are_read_in_the_rekognition_client_region(
    region_name: str | None, expected: str
) -> None:
    """The S3 client it builds takes the given client's region unless one is named."""
    from aiobotocore.session import get_session  # noqa: PLC0415

    async def scenario() -> str:
        session = get_session()
        async with (
            session.create_client("rekognition", region_name="eu-west-1") as given,
            AsyncProjectVersionsClient(given, region_name=region_name) as client,
        ):
            return (await client.s3()).meta.region_name

    assert asyncio.run(scenario()) == expected


def test_a_client_of_the_other_kind_is_refused_at_once() -> None:
    """Each client refuses at once a botocore client of the other kind (boto3 or aiobotocore)."""
    import boto3  # noqa: PLC0415
    from aiobotocore.session import get_session  # noqa: PLC0415

    with pytest.raises(TypeError, match="takes aiobotocore clients; a boto3 client's calls"):
        AsyncProjectVersionsClient(boto3.client("rekognition", region_name="us-east-1"))  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="takes aiobotocore clients"):
        AsyncProjectVersionsClient(s3_client=boto3.client("s3", region_name="us-east-1"))  # type: ignore[arg-type]

    async def scenario() -> None:
        async with get_session().create_client("rekognition", region_name="us-east-1") as given:
            with pytest.raises(TypeError, match="use AsyncProjectVersionsClient"):
                ProjectVersionsClient(given)  # type: ignore[arg-type]

    asyncio.run(scenario())

    class Fake:  # a fake of the user's is not a botocore client: not judged
        async def describe_projects(self, **_: object) -> dict[str, object]:
            return {}

    AsyncProjectVersionsClient(Fake())  # type: ignore[arg-type]
    ProjectVersionsClient(Fake())  # type: ignore[arg-type]


def test_without_aiobotocore_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without the async extra, making the client names the install line at once."""
    monkeypatch.setitem(sys.modules, "aiobotocore", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'rekog-versions\[async\]'"):
        AsyncProjectVersionsClient()


def test_building_a_client_reads_its_models_off_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The JSON models a client is made from are first read in a thread, not on the loop."""
    import threading  # noqa: PLC0415

    from botocore.loaders import Loader  # noqa: PLC0415

    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    first_read: dict[tuple[str, str], bool] = {}
    load = Loader.load_service_model

    def recording(self: Loader, service: str, kind: str, *args: Any, **kwargs: Any) -> Any:
        first_read.setdefault((service, kind), threading.current_thread() is loop_thread)
        return load(self, service, kind, *args, **kwargs)

    monkeypatch.setattr(Loader, "load_service_model", recording)
    loop_thread = threading.current_thread()  # asyncio.run's loop runs in this thread

    async def build() -> None:
        async with AsyncProjectVersionsClient(region_name="us-east-1") as client:
            await client.rekognition()
            await client.s3()

    asyncio.run(build())
    assert first_read[("rekognition", "service-2")] is False  # False: not on the loop
    assert first_read[("s3", "service-2")] is False
