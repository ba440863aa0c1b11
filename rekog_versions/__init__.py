"""rekog_versions: a thin, typed client for Amazon Rekognition's CreateProjectVersion.

Build a request that cannot be wrong when it leaves the library, with
:class:`RequestBuilder` or the request shapes, or validate an existing boto3-shaped dict
with :meth:`CreateProjectVersionRequest.from_boto`.

Importing the package does not import boto3.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Each public name is imported from its module when first used, so that the command
# line's --version and --help, and code that needs one corner of the library, start
# quickly. Type checkers read the imports above.
_MODULES: dict[str, str] = {
    "DEFAULT_POLL_SCHEDULE": "rekog_versions.client",
    "ERROR_CLASSES": "rekog_versions.errors",
    "AccessDeniedError": "rekog_versions.errors",
    "Asset": "rekog_versions.models",
    "ClientSideError": "rekog_versions.errors",
    "ConfigurationError": "rekog_versions.errors",
    "ConfusionMatrixEntry": "rekog_versions.results",
    "ContentModerationConfig": "rekog_versions.models",
    "CreateProjectVersionRequest": "rekog_versions.models",
    "CredentialsError": "rekog_versions.errors",
    "DataResult": "rekog_versions.results",
    "DatasetManifestSummary": "rekog_versions.results",
    "DatasetReport": "rekog_versions.manifests",
    "EvaluationMetrics": "rekog_versions.results",
    "EvaluationSummary": "rekog_versions.results",
    "FeatureConfig": "rekog_versions.models",
    "GroundTruthManifest": "rekog_versions.models",
    "InternalServerError": "rekog_versions.errors",
    "InvalidPaginationTokenError": "rekog_versions.errors",
    "InvalidParameterError": "rekog_versions.errors",
    "LabelCount": "rekog_versions.manifests",
    "LabelMetrics": "rekog_versions.results",
    "LimitExceededError": "rekog_versions.errors",
    "MalformedResponseError": "rekog_versions.errors",
    "ManifestError": "rekog_versions.results",
    "ManifestIssue": "rekog_versions.manifests",
    "ManifestProgress": "rekog_versions.manifests",
    "ManifestReport": "rekog_versions.manifests",
    "ManifestSummary": "rekog_versions.results",
    "NetworkError": "rekog_versions.errors",
    "OutputConfig": "rekog_versions.models",
    "Problem": "rekog_versions.errors",
    "ProjectArn": "rekog_versions.arns",
    "ProjectVersion": "rekog_versions.results",
    "ProjectVersionArn": "rekog_versions.arns",
    "ProjectVersionStatus": "rekog_versions.results",
    "ProjectVersionsClient": "rekog_versions.client",
    "ProvisionedThroughputExceededError": "rekog_versions.errors",
    "RekogVersionsError": "rekog_versions.errors",
    "RequestBuilder": "rekog_versions.builder",
    "RequestValidationError": "rekog_versions.errors",
    "ResourceInUseError": "rekog_versions.errors",
    "ResourceNotFoundError": "rekog_versions.errors",
    "ResultFileError": "rekog_versions.errors",
    "RetryPolicy": "rekog_versions.client",
    "S3Object": "rekog_versions.models",
    "ServiceError": "rekog_versions.errors",
    "ServiceQuotaExceededError": "rekog_versions.errors",
    "Severity": "rekog_versions.manifests",
    "TestingData": "rekog_versions.models",
    "ThrottlingError": "rekog_versions.errors",
    "TrainingData": "rekog_versions.models",
    "TrainingFailedError": "rekog_versions.errors",
    "UnexpectedStatusError": "rekog_versions.errors",
    "VersionNameConflictError": "rekog_versions.errors",
    "WaitTimeoutError": "rekog_versions.errors",
    "validate_manifest": "rekog_versions.manifests",
}


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the public name is
    """A public name, imported on first use; ``__version__`` from the package metadata."""
    module = _MODULES.get(name)
    if module is not None:
        value = getattr(import_module(module), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("rekog-versions")
    raise AttributeError(f"module 'rekog_versions' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, for completion in shells and notebooks."""
    return sorted([*__all__, "__version__"])
