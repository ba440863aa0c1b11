"""Project and project-version ARNs."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from conftest import PROJECT_ARN, VERSION_ARN
from rekog_versions import ProjectArn, ProjectVersionArn, RequestValidationError


def test_project_arn_parts() -> None:
    """A project ARN exposes its parts and prints back unchanged."""
    arn = ProjectArn.parse(PROJECT_ARN)
    assert ("aws", "us-east-1", "111122223333", "cats", 1700000000000) == (
        arn.partition,
        arn.region,
        arn.account,
        arn.project_name,
        arn.timestamp,
    )
    assert datetime(2023, 11, 14, 22, 13, 20, tzinfo=timezone.utc) == arn.created_at
    assert PROJECT_ARN == str(arn)


def test_version_arn_parts() -> None:
    """A version ARN exposes project, version and creation time."""
    arn = ProjectVersionArn.parse(VERSION_ARN)
    assert ("cats", "v1", 1700000000001) == (arn.project_name, arn.version_name, arn.timestamp)
    assert VERSION_ARN == str(arn)


def test_other_partitions() -> None:
    """China and GovCloud partitions parse too."""
    arn = ProjectArn.parse("arn:aws-cn:rekognition:cn-north-1:111122223333:project/p/1")
    assert ("aws-cn", "cn-north-1") == (arn.partition, arn.region)


def test_version_arn_where_project_arn_is_needed() -> None:
    """The common mistake is named as such."""
    with pytest.raises(RequestValidationError, match=r"is a project \*version\* ARN"):
        ProjectArn.parse(VERSION_ARN)


def test_project_arn_where_version_arn_is_needed() -> None:
    """The reverse mistake is named too."""
    with pytest.raises(RequestValidationError, match=r"is a project ARN; a project \*version\*"):
        ProjectVersionArn.parse(PROJECT_ARN)


@pytest.mark.parametrize(
    "text",
    [
        "arn:aws:s3:::bucket/key/that/is/long",
        "arn:aws:rekognition:us-east-1:1111:project/p/1",
        "arn:aws:rekognition:us-east-1:111122223333:project/p/x",
        "short",
        "arn:aws:rekognition:us-east-1:111122223333:project/p/1" + "1" * 2048,
        42,
    ],
    ids=[
        "other-service",
        "short-account",
        "bad-timestamp",
        "too-short",
        "too-long",
        "not-a-string",
    ],
)
@pytest.mark.parametrize("kind", [ProjectArn, ProjectVersionArn], ids=["project", "version"])
def test_invalid_arns(kind: type[ProjectArn | ProjectVersionArn], text: object) -> None:
    """Anything else is refused with one problem at the given path."""
    with pytest.raises(RequestValidationError) as caught:
        kind.parse(text, path="Arn")
    assert ["Arn"] == [problem.path for problem in caught.value.problems]


def test_out_of_range_timestamp() -> None:
    """A timestamp no datetime can hold gives created_at None, not an error."""
    arn = ProjectArn.parse("arn:aws:rekognition:us-east-1:111122223333:project/p/" + "9" * 30)
    assert arn.created_at is None
