"""Shared values: realistic ARNs and a full, valid request."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

import pytest
import regex
from hypothesis import settings

from emulated import world  # noqa: F401 - the fixture of the emulator tests
from fakes import stubbed
from rekog_versions import CreateProjectVersionRequest, RequestBuilder
from rekog_versions.testing import FakeClock, fake_clock

if TYPE_CHECKING:
    from collections.abc import Iterator

    from botocore.stub import Stubber

# Type-checked by nox -s typing, never run: it builds a boto3 client at import.
collect_ignore_glob = ["typing/*"]

# No test asserts on time: an example that runs slowly on a loaded machine (CI runs four
# Pythons' sessions one after another on two cores) is not a failure.
settings.register_profile("project", deadline=None)
settings.load_profile("project")

PROJECT_ARN = "arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000"
VERSION_ARN = "arn:aws:rekognition:us-east-1:111122223333:project/cats/version/v1/1700000000001"

_FULL_REQUEST: dict[str, Any] = {
    "ProjectArn": PROJECT_ARN,
    "VersionName": "v1",
    "OutputConfig": {"S3Bucket": "output-bucket", "S3KeyPrefix": "results/"},
    "TrainingData": {
        "Assets": [
            {
                "GroundTruthManifest": {
                    "S3Object": {"Bucket": "data-bucket", "Name": "train.manifest"}
                }
            }
        ]
    },
    "TestingData": {
        "Assets": [
            {
                "GroundTruthManifest": {
                    "S3Object": {
                        "Bucket": "data-bucket",
                        "Name": "test.manifest",
                        "Version": "3HL4kqtJlcpXroDTDmJ",
                    }
                }
            }
        ]
    },
    "Tags": {"team": "vision", "cost-center": "42"},
    "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "VersionDescription": "first model (baseline)",
}


def full_request() -> dict[str, Any]:
    """A fresh copy of a valid request that sets every member but FeatureConfig."""
    return copy.deepcopy(_FULL_REQUEST)


def minimal_request() -> dict[str, Any]:
    """A fresh copy of the smallest valid request."""
    return {"ProjectArn": PROJECT_ARN, "VersionName": "v1", "OutputConfig": {"S3Bucket": "bkt"}}


def model_pattern_matches(pattern: str, text: str) -> bool:
    """The model's pattern applied to the whole text, with the service's meaning of ``\\d``.

    The service evaluates ``\\d`` as ASCII digits (Java); ``regex.ASCII`` gives that
    meaning but also narrows ``\\p{..}`` classes to ASCII, so it is used only for the
    patterns without them.
    """
    flags = 0 if "\\p{" in pattern else regex.ASCII
    return regex.fullmatch(pattern, text, flags=flags) is not None


def closed_port() -> int:
    """A loopback port where nothing listens (it was bound, then released)."""
    import socket  # noqa: PLC0415

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nested_list(depth: int) -> list[object]:
    """A list nested ``depth`` lists deep, built without recursion."""
    root: list[object] = []
    current = root
    for _ in range(depth):
        inner: list[object] = []
        current.append(inner)
        current = inner
    return root


def set_path(request: dict[str, Any], path: tuple[str | int, ...], value: object) -> None:
    """Set the member at ``path`` (keys and list indices) to ``value``."""
    target: Any = request
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


@pytest.fixture
def request_dict() -> dict[str, Any]:
    """A full, valid request dict the test may change."""
    return full_request()


def small_request() -> CreateProjectVersionRequest:
    """A small valid request: version v1 of the cats project, one manifest, auto-split."""
    return (
        RequestBuilder(project_arn=PROJECT_ARN, version_name="v1")
        .output("s3://out-bucket/results/")
        .training_manifest("s3://data-bucket/train.manifest")
        .auto_split()
        .build()
    )


@pytest.fixture
def rekognition() -> Iterator[tuple[Any, Stubber]]:
    """A real boto3 Rekognition client and its Stubber; every queued answer must be used."""
    with stubbed("rekognition") as pair:
        yield pair


@pytest.fixture
def clock() -> Iterator[FakeClock]:
    """Every client in the test reads time from a fake clock that moves only on sleep."""
    with fake_clock() as fake:
        yield fake
