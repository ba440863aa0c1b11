"""rekog_versions: a thin, typed client for Amazon Rekognition's CreateProjectVersion.

Build a request that cannot be wrong when it leaves the library, with
:class:`RequestBuilder` or the request shapes, or validate an existing boto3-shaped dict
with :meth:`CreateProjectVersionRequest.from_boto`; create it, follow its training and
read its results with :class:`ProjectVersionsClient` (or, in asyncio,
:class:`AsyncProjectVersionsClient`).

This module holds the core's names only. The parts beside the core are subpackages with
an install extra each: :mod:`rekog_versions.manifests` (``manifests``),
:mod:`rekog_versions.datasets` (``datasets``), :mod:`rekog_versions.stepfunctions`,
:mod:`rekog_versions.testing` and the command line, :mod:`rekog_versions.cli`.

Importing the package imports none of its modules, nor boto3: each name below is imported
from its module on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    # The one table of the public names: each name and the module that defines it. Type
    # checkers read it as it stands; at run time, __getattr__ reads it from this file.
    from rekog_versions._retry import RetryPolicy as RetryPolicy
    from rekog_versions.aio import AsyncProjectVersionsClient as AsyncProjectVersionsClient
    from rekog_versions.arns import ProjectArn as ProjectArn
    from rekog_versions.arns import ProjectVersionArn as ProjectVersionArn
    from rekog_versions.builder import RequestBuilder as RequestBuilder
    from rekog_versions.client import ProjectVersionsClient as ProjectVersionsClient
    from rekog_versions.errors import AccessDeniedError as AccessDeniedError
    from rekog_versions.errors import ClientSideError as ClientSideError
    from rekog_versions.errors import ConfigurationError as ConfigurationError
    from rekog_versions.errors import CredentialsError as CredentialsError
    from rekog_versions.errors import InternalServerError as InternalServerError
    from rekog_versions.errors import InvalidPaginationTokenError as InvalidPaginationTokenError
    from rekog_versions.errors import InvalidParameterError as InvalidParameterError
    from rekog_versions.errors import LimitExceededError as LimitExceededError
    from rekog_versions.errors import MalformedResponseError as MalformedResponseError
    from rekog_versions.errors import MissingExtraError as MissingExtraError
    from rekog_versions.errors import NetworkError as NetworkError
    from rekog_versions.errors import Problem as Problem
    from rekog_versions.errors import (
        ProvisionedThroughputExceededError as ProvisionedThroughputExceededError,
    )
    from rekog_versions.errors import RekogVersionsError as RekogVersionsError
    from rekog_versions.errors import RequestValidationError as RequestValidationError
    from rekog_versions.errors import ResourceInUseError as ResourceInUseError
    from rekog_versions.errors import ResourceNotFoundError as ResourceNotFoundError
    from rekog_versions.errors import ResultFileError as ResultFileError
    from rekog_versions.errors import ServiceError as ServiceError
    from rekog_versions.errors import ServiceQuotaExceededError as ServiceQuotaExceededError
    from rekog_versions.errors import ThrottlingError as ThrottlingError
    from rekog_versions.errors import TrainingFailedError as TrainingFailedError
    from rekog_versions.errors import UnexpectedStatusError as UnexpectedStatusError
    from rekog_versions.errors import VersionNameConflictError as VersionNameConflictError
    from rekog_versions.errors import WaitTimeoutError as WaitTimeoutError
    from rekog_versions.gate import Comparison as Comparison
    from rekog_versions.gate import GateResult as GateResult
    from rekog_versions.gate import QualityGate as QualityGate
    from rekog_versions.models import Asset as Asset
    from rekog_versions.models import ContentModerationConfig as ContentModerationConfig
    from rekog_versions.models import CreateProjectVersionRequest as CreateProjectVersionRequest
    from rekog_versions.models import FeatureConfig as FeatureConfig
    from rekog_versions.models import GroundTruthManifest as GroundTruthManifest
    from rekog_versions.models import OutputConfig as OutputConfig
    from rekog_versions.models import S3Object as S3Object
    from rekog_versions.models import TestingData as TestingData
    from rekog_versions.models import TrainingData as TrainingData
    from rekog_versions.polling import PollOutcome as PollOutcome
    from rekog_versions.polling import PollResult as PollResult
    from rekog_versions.results import DatasetManifestSummary as DatasetManifestSummary
    from rekog_versions.results import EvaluationSummary as EvaluationSummary
    from rekog_versions.results import ManifestProblem as ManifestProblem
    from rekog_versions.results import ManifestSummary as ManifestSummary
    from rekog_versions.results import ProjectVersion as ProjectVersion
    from rekog_versions.results import ProjectVersionStatus as ProjectVersionStatus
    from rekog_versions.results import Severity as Severity

_table: dict[str, str] | None = None


def _public_names() -> dict[str, str]:
    """Each public name and its module, read once from the table above.

    The table is built whole, then published in one assignment: a thread that asks at
    the same time sees no table (and builds its own) or the whole one, never a part.
    """
    global _table  # noqa: PLW0603 - the one cache of this module
    if _table is None:
        import re  # noqa: PLC0415 - only on the first public name asked for

        loader: Any = __spec__.loader  # its bytes: get_source would import tokenize
        source = loader.get_data(__spec__.origin).decode("utf-8")
        block = source[source.index("if TYPE_CHECKING:") : source.index("\n_table")]
        found = re.findall(
            r"^    from ([\w.]+) import \(?\s*(\w+) as \2,?\s*\)?$", block, re.MULTILINE
        )
        _table = {name: module for module, name in found}
    return _table


def __getattr__(name: str) -> Any:  # noqa: ANN401 - whatever the public name is
    """A public name, imported from its module on first use; ``__version__``; ``__all__``."""
    if name == "__all__":
        return sorted(_public_names())
    module_name = _public_names().get(name)
    if module_name is not None:
        from importlib import import_module  # noqa: PLC0415

        value = getattr(import_module(module_name), name)
        globals()[name] = value
        return value
    if name == "__version__":
        from importlib.metadata import version  # noqa: PLC0415 - only when asked

        return version("rekog-versions")
    raise AttributeError(f"module 'rekog_versions' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names, for completion in shells and notebooks."""
    return sorted([*_public_names(), "__version__"])
