"""rekog_versions: a thin, typed client for Amazon Rekognition's CreateProjectVersion.

Build a request that cannot be wrong when it leaves the library, with
:class:`RequestBuilder` or the request shapes, or validate an existing boto3-shaped dict
with :meth:`CreateProjectVersionRequest.from_boto`.

Importing the package does not import boto3.
"""

from __future__ import annotations

from rekog_versions.arns import ProjectArn, ProjectVersionArn
from rekog_versions.builder import RequestBuilder
from rekog_versions.client import DEFAULT_POLL_SCHEDULE, ProjectVersionsClient, RetryPolicy
from rekog_versions.errors import (
    ERROR_CLASSES,
    AccessDeniedError,
    ClientSideError,
    ConfigurationError,
    CredentialsError,
    InternalServerError,
    InvalidPaginationTokenError,
    InvalidParameterError,
    LimitExceededError,
    MalformedResponseError,
    NetworkError,
    Problem,
    ProvisionedThroughputExceededError,
    RekogVersionsError,
    RequestValidationError,
    ResourceInUseError,
    ResourceNotFoundError,
    ResultFileError,
    ServiceError,
    ServiceQuotaExceededError,
    ThrottlingError,
    TrainingFailedError,
    UnexpectedStatusError,
    VersionNameConflictError,
    WaitTimeoutError,
)
from rekog_versions.manifests import (
    DatasetReport,
    LabelCount,
    ManifestIssue,
    ManifestProgress,
    ManifestReport,
    Severity,
    validate_manifest,
)
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
from rekog_versions.results import (
    ConfusionMatrixEntry,
    DataResult,
    DatasetManifestSummary,
    EvaluationMetrics,
    EvaluationSummary,
    LabelMetrics,
    ManifestError,
    ManifestSummary,
    ProjectVersion,
    ProjectVersionStatus,
)

__all__ = [
    "DEFAULT_POLL_SCHEDULE",
    "ERROR_CLASSES",
    "AccessDeniedError",
    "Asset",
    "ClientSideError",
    "ConfigurationError",
    "ConfusionMatrixEntry",
    "ContentModerationConfig",
    "CreateProjectVersionRequest",
    "CredentialsError",
    "DataResult",
    "DatasetManifestSummary",
    "DatasetReport",
    "EvaluationMetrics",
    "EvaluationSummary",
    "FeatureConfig",
    "GroundTruthManifest",
    "InternalServerError",
    "InvalidPaginationTokenError",
    "InvalidParameterError",
    "LabelCount",
    "LabelMetrics",
    "LimitExceededError",
    "MalformedResponseError",
    "ManifestError",
    "ManifestIssue",
    "ManifestProgress",
    "ManifestReport",
    "ManifestSummary",
    "NetworkError",
    "OutputConfig",
    "Problem",
    "ProjectArn",
    "ProjectVersion",
    "ProjectVersionArn",
    "ProjectVersionStatus",
    "ProjectVersionsClient",
    "ProvisionedThroughputExceededError",
    "RekogVersionsError",
    "RequestBuilder",
    "RequestValidationError",
    "ResourceInUseError",
    "ResourceNotFoundError",
    "ResultFileError",
    "RetryPolicy",
    "S3Object",
    "ServiceError",
    "ServiceQuotaExceededError",
    "Severity",
    "TestingData",
    "ThrottlingError",
    "TrainingData",
    "TrainingFailedError",
    "UnexpectedStatusError",
    "VersionNameConflictError",
    "WaitTimeoutError",
    "validate_manifest",
]


def __getattr__(name: str) -> str:
    """The installed version, read from the package metadata when first asked for."""
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("rekog-versions")
    raise AttributeError(f"module 'rekog_versions' has no attribute {name!r}")
