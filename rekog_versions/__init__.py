"""rekog_versions: a thin, typed client for Amazon Rekognition's CreateProjectVersion.

Build a request that cannot be wrong when it leaves the library, with
:class:`RequestBuilder` or the request shapes, or validate an existing boto3-shaped dict
with :meth:`CreateProjectVersionRequest.from_boto`.

Importing the package does not import boto3.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # what type checkers see; at run time each name is imported on first use
    from rekog_versions.aio import *  # noqa: F403
    from rekog_versions.arns import *  # noqa: F403
    from rekog_versions.builder import *  # noqa: F403
    from rekog_versions.client import *  # noqa: F403
    from rekog_versions.comparison import *  # noqa: F403
    from rekog_versions.errors import *  # noqa: F403
    from rekog_versions.manifests import *  # noqa: F403
    from rekog_versions.models import *  # noqa: F403
    from rekog_versions.polling import *  # noqa: F403
    from rekog_versions.results import *  # noqa: F403
    from rekog_versions.stepfunctions import *  # noqa: F403

__all__ = [
    "DEFAULT_POLL_SCHEDULE",
    "ERROR_CLASSES",
    "AccessDeniedError",
    "AppliedContentModeration",
    "AppliedFeatureConfig",
    "Asset",
    "AsyncProjectVersionsClient",
    "ClientSideError",
    "Comparison",
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
    "GateResult",
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
    "ManifestProblem",
    "ManifestProgress",
    "ManifestReport",
    "ManifestSummary",
    "MetricsComparison",
    "NetworkError",
    "OutputConfig",
    "PollOutcome",
    "PollResult",
    "Problem",
    "ProjectArn",
    "ProjectVersion",
    "ProjectVersionArn",
    "ProjectVersionStatus",
    "ProjectVersionsClient",
    "ProvisionedThroughputExceededError",
    "QualityGate",
    "RekogVersionsError",
    "RequestBuilder",
    "RequestValidationError",
    "ResourceInUseError",
    "ResourceNotFoundError",
    "ResultFileError",
    "RetryPolicy",
    "S3Location",
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
    "auto_version_name",
    "compare_summaries",
    "next_poll_in",
    "outcome_of",
    "raise_for_outcome",
    "state_machine",
    "step_functions_error",
    "validate_manifest",
]

# The modules that define the public names, lightest first: a name is looked up in them
# in this order, so that using a request shape does not import the client or manifests.
_MODULES = (
    "rekog_versions.errors",
    "rekog_versions.arns",
    "rekog_versions.models",
    "rekog_versions.builder",
    "rekog_versions.results",
    "rekog_versions.polling",
    "rekog_versions.comparison",
    "rekog_versions.client",
    "rekog_versions.manifests",
    "rekog_versions.stepfunctions",
    "rekog_versions.aio",  # last: it imports asyncio, which only its one name needs
)


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the public name is
    """A public name, imported on first use; ``__version__`` from the package metadata."""
    if name in __all__:
        for module_name in _MODULES:
            module = import_module(module_name)
            if name in module.__all__:
                value = getattr(module, name)
                globals()[name] = value
                return value
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("rekog-versions")
    raise AttributeError(f"module 'rekog_versions' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, for completion in shells and notebooks."""
    return sorted([*__all__, "__version__"])
