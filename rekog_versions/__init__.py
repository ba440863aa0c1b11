"""rekog_versions: a thin, typed client for Amazon Rekognition's CreateProjectVersion.

Build a request that cannot be wrong when it leaves the library, with
:class:`RequestBuilder` or the request shapes, or validate an existing boto3-shaped dict
with :meth:`CreateProjectVersionRequest.from_boto`.

Importing the package does not import boto3.
"""

from __future__ import annotations

from rekog_versions.arns import ProjectArn, ProjectVersionArn
from rekog_versions.builder import RequestBuilder
from rekog_versions.errors import Problem, RekogVersionsError, RequestValidationError
from rekog_versions.models import (
    Asset,
    ContentModerationConfig,
    CreateProjectVersionRequest,
    FeatureConfig,
    GroundTruthManifest,
    OutputConfig,
    S3Object,
    TestingData,
    TrainingData,
)

__all__ = [
    "Asset",
    "ContentModerationConfig",
    "CreateProjectVersionRequest",
    "FeatureConfig",
    "GroundTruthManifest",
    "OutputConfig",
    "Problem",
    "ProjectArn",
    "ProjectVersionArn",
    "RekogVersionsError",
    "RequestBuilder",
    "RequestValidationError",
    "S3Object",
    "TestingData",
    "TrainingData",
]


def __getattr__(name: str) -> str:
    """The installed version, read from the package metadata when first asked for."""
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("rekog-versions")
    raise AttributeError(f"module 'rekog_versions' has no attribute {name!r}")
