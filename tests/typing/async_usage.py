"""The async client's types; checked by mypy --strict and pyright (nox -s typing), not run.

Every method is awaited to the type the synchronous client's method returns.
"""

from __future__ import annotations

from aiobotocore.config import AioConfig
from aiobotocore.session import get_session
from types_aiobotocore_rekognition import RekognitionClient
from typing_extensions import assert_type

from rekog_versions import (
    AsyncProjectVersionsClient,
    Comparison,
    EvaluationSummary,
    ManifestSummary,
    PollResult,
    Problem,
    ProjectVersion,
    ProjectVersionStatus,
    RequestBuilder,
    RetryPolicy,
)

PROJECT = "arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000"


async def usage() -> None:
    builder = RequestBuilder(project_arn=PROJECT, version_name="v1")
    request = builder.output("s3://bkt/out/").training_manifest("s3://bkt/t").auto_split().build()
    session = get_session()
    # types-aiobotocore types every service's overload; only some are installed here.
    async with session.create_client("rekognition") as rekognition:  # pyright: ignore[reportUnknownMemberType]
        given = AsyncProjectVersionsClient(rekognition, retry=RetryPolicy(max_attempts=3))
        assert_type(await given.rekognition(), RekognitionClient)
        AsyncProjectVersionsClient(s3_client=rekognition)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    async with AsyncProjectVersionsClient(
        session=session, region_name="us-east-1", config=AioConfig(connect_timeout=5)
    ) as versions:
        assert_type(versions, AsyncProjectVersionsClient)
        assert_type(await versions.create(request), str)
        assert_type(await versions.create(builder, if_exists="reuse"), str)
        seen: list[ProjectVersionStatus] = []
        version = await versions.wait("arn", timeout=60, on_change=lambda v: seen.append(v.status))
        assert_type(version, ProjectVersion)
        assert_type(await versions.describe("arn", project_arn=PROJECT), ProjectVersion)
        assert_type(await versions.wait_many(["a", "b"]), dict[str, ProjectVersion])
        assert_type(await versions.poll("arn", poll_interval=30), PollResult)
        assert_type(await versions.evaluation(version), EvaluationSummary)
        assert_type(await versions.manifest_summary("arn"), ManifestSummary)
        assert_type(await versions.compare(version, "arn"), Comparison)
        assert_type(await versions.latest_trained("arn"), ProjectVersion | None)
        assert_type(await versions.preflight(builder), tuple[Problem, ...])

        # Wrong arguments are refused: these ignores are needed.
        await versions.create(request, if_exists="overwrite")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        await versions.wait("arn", timeout="soon")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
        await versions.create({"ProjectArn": PROJECT})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
    # An operation not awaited is a coroutine, not a result.
    forgot: ProjectVersion = versions.describe("arn")  # type: ignore[assignment]  # pyright: ignore[reportAssignmentType]
    del forgot
