"""The exceptions rekog_versions raises, and the one table that maps AWS errors to them.

The tree::

    RekogVersionsError
    ├── RequestValidationError (also ValueError)   the request breaks the service's rules;
    │                                              nothing was sent. .problems lists each one
    ├── ServiceError                               the service answered with an error
    │   ├── AccessDeniedError
    │   ├── InternalServerError                    retryable
    │   ├── InvalidPaginationTokenError
    │   ├── InvalidParameterError
    │   ├── LimitExceededError                     too many concurrent jobs: not retryable
    │   ├── ProvisionedThroughputExceededError     retryable
    │   ├── ResourceInUseError
    │   │   └── VersionNameConflictError           the version name is taken by another job
    │   ├── ResourceNotFoundError
    │   ├── ServiceQuotaExceededError              not retryable
    │   └── ThrottlingError                        retryable
    ├── ClientSideError                            the request never got an answer
    │   ├── ConfigurationError                     no region, unknown profile, ...
    │   │   └── CredentialsError                   no or partial credentials
    │   ├── NetworkError                           endpoint unreachable, timeouts, dropped
    │   │                                          connections: retryable
    │   └── MalformedResponseError                 the answer could not be read
    ├── TrainingFailedError                        the version ended in TRAINING_FAILED
    ├── UnexpectedStatusError                      the version left training another way
    ├── WaitTimeoutError                           the wait ran out of time
    ├── ResultFileError                            an S3 result file is missing or malformed
    └── MissingExtraError (also ImportError)       a feature's extra is not installed

Errors from AWS are classified by their ``Error.Code``, never by botocore's exception
classes (those differ per client): :data:`ERROR_CLASSES` is the table; a code it does not
know becomes a plain :class:`ServiceError`. No botocore exception leaves the client
unwrapped; the original is chained as ``__cause__``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from rekog_versions.models import S3Object
    from rekog_versions.results import ProjectVersion

__all__ = [
    "ERROR_CLASSES",
    "AccessDeniedError",
    "ClientSideError",
    "ConfigurationError",
    "CredentialsError",
    "InternalServerError",
    "InvalidPaginationTokenError",
    "InvalidParameterError",
    "LimitExceededError",
    "MalformedResponseError",
    "MissingExtraError",
    "NetworkError",
    "Problem",
    "ProvisionedThroughputExceededError",
    "RekogVersionsError",
    "RequestValidationError",
    "ResourceInUseError",
    "ResourceNotFoundError",
    "ResultFileError",
    "ServiceError",
    "ServiceQuotaExceededError",
    "ThrottlingError",
    "TrainingFailedError",
    "UnexpectedStatusError",
    "VersionNameConflictError",
    "WaitTimeoutError",
]


class RekogVersionsError(Exception):
    """Base class of every exception this library raises.

    Attributes:
        retryable: Whether trying again later can succeed (the one place the retry layer
            and callers look).
        attempts: How many requests were sent before this error, when known.
    """

    retryable: bool = False
    attempts: int | None = None


@attrs.frozen
class Problem:
    """One thing wrong with a request, at one place in it.

    Attributes:
        path: Where, in the AWS request shape:
            ``VersionName``, ``OutputConfig.S3Bucket``,
            ``TrainingData.Assets[0].GroundTruthManifest.S3Object.Bucket``, ``Tags["aws:team"]``.
        message: What the rule is and what was given.

    >>> str(Problem("VersionName", "must not be empty"))
    'VersionName: must not be empty'
    """

    path: str
    message: str

    def __str__(self) -> str:
        """``path: message``, or the message alone for the request as a whole."""
        return f"{self.path}: {self.message}" if self.path else self.message


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class RequestValidationError(RekogVersionsError, ValueError):
    """The request breaks one or more of the service's rules; it was not sent.

    Attributes:
        problems: Every problem found, in the order of the request's fields.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem], *, subject: str = "request") -> None:
        """Build the error from the problems found; there must be at least one."""
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("a RequestValidationError needs at least one problem")
        self.subject = subject
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{_plural(len(self.problems), 'problem')} in the {subject}:\n{lines}")

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by the problems, so the error crosses process boundaries intact."""
        return (_rebuild_validation_error, (self.problems, self.subject))


def _rebuild_validation_error(
    problems: tuple[Problem, ...], subject: str
) -> RequestValidationError:
    return RequestValidationError(problems, subject=subject)


class ServiceError(RekogVersionsError):
    """The service answered with an error.

    Attributes:
        code: The AWS error code, e.g. ``ThrottlingException``.
        message: The service's message.
        request_id: The AWS request ID, for AWS Support; ``None`` when there was none.
        http_status: The HTTP status of the answer.
        operation: The API operation, e.g. ``CreateProjectVersion``.
        retryable: Whether trying again later can succeed.
        attempts: How many times the request was sent before this answer.
    """

    #: Whether errors of this class are worth retrying (the default of ``retryable``).
    default_retryable: ClassVar[bool] = False
    #: What to do about it, added to the message.
    advice: ClassVar[str] = ""

    def __init__(  # noqa: PLR0913 - every attribute the error carries
        self,
        message: str,
        *,
        code: str,
        request_id: str | None = None,
        http_status: int | None = None,
        operation: str | None = None,
        retryable: bool | None = None,
        attempts: int | None = None,
    ) -> None:
        """Build the error from what the service answered."""
        self.code = code
        self.message = message
        self.request_id = request_id
        self.http_status = http_status
        self.operation = operation
        if retryable is None:
            retryable = self.default_retryable or (http_status is not None and http_status >= 500)
        self.retryable = retryable
        self.attempts = attempts
        super().__init__(self._render())

    def _render(self) -> str:
        text = f"[{self.code}] {self.message}" if self.message else f"[{self.code}]"
        if self.advice:
            text = f"{text}. {self.advice}" if not text.endswith(".") else f"{text} {self.advice}"
        details: list[str] = []
        if self.operation:
            details.append(f"operation: {self.operation}")
        if self.attempts and self.attempts > 1:
            details.append(f"after {self.attempts} attempts")
        if self.request_id:
            details.append(f"request id: {self.request_id}")
        return f"{text} ({', '.join(details)})" if details else text

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by the attributes."""
        return (
            _rebuild_service_error,
            (
                type(self),
                self.message,
                {
                    "code": self.code,
                    "request_id": self.request_id,
                    "http_status": self.http_status,
                    "operation": self.operation,
                    "retryable": self.retryable,
                    "attempts": self.attempts,
                },
            ),
        )


def _rebuild_service_error(
    cls: type[ServiceError], message: str, attributes: dict[str, object]
) -> ServiceError:
    return cls(message, **attributes)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


class AccessDeniedError(ServiceError):
    """The caller's IAM policy does not allow the operation."""

    advice = "Check the IAM permissions for this operation and the S3 buckets it uses"


class InternalServerError(ServiceError):
    """Amazon Rekognition had a service issue; try again."""

    default_retryable = True


class InvalidPaginationTokenError(ServiceError):
    """A pagination token was not valid (expired, or from another call)."""


class InvalidParameterError(ServiceError):
    """The service refused a parameter, e.g. FeatureConfig on a Custom Labels project."""


class LimitExceededError(ServiceError):
    """Too many training jobs or models are running in this account and region."""

    advice = (
        "Wait for a running training job to finish, or ask for a higher quota in "
        "Service Quotas; retrying at once will not help"
    )


class ProvisionedThroughputExceededError(ServiceError):
    """The request rate is over the account's throughput; back off and try again."""

    default_retryable = True


class ResourceInUseError(ServiceError):
    """The resource is in use, e.g. the version name is taken."""


class VersionNameConflictError(ResourceInUseError):
    """The version name is already taken, by a version with other inputs.

    Attributes:
        existing: The version that holds the name.
    """

    existing: ProjectVersion | None

    def __init__(
        self, message: str, *, existing: ProjectVersion | None = None, **kwargs: object
    ) -> None:
        """Build the error; ``existing`` is the version that holds the name."""
        self.existing = existing
        super().__init__(message, **kwargs)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


class ResourceNotFoundError(ServiceError):
    """The project or version does not exist (in this account and region)."""


class ServiceQuotaExceededError(ServiceError):
    """A service quota would be exceeded."""

    advice = "Ask for a higher quota in Service Quotas, or free up what counts against it"


class ThrottlingError(ServiceError):
    """The request was throttled; back off and try again."""

    default_retryable = True


#: Every error code the operations this library calls can answer with, and its class.
#: ``ValidationException`` is the service's answer to a length or pattern violation.
ERROR_CLASSES: Mapping[str, type[ServiceError]] = {
    "AccessDeniedException": AccessDeniedError,
    "InternalServerError": InternalServerError,
    "InvalidPaginationTokenException": InvalidPaginationTokenError,
    "InvalidParameterException": InvalidParameterError,
    "LimitExceededException": LimitExceededError,
    "ProvisionedThroughputExceededException": ProvisionedThroughputExceededError,
    "ResourceInUseException": ResourceInUseError,
    "ResourceNotFoundException": ResourceNotFoundError,
    "ServiceQuotaExceededException": ServiceQuotaExceededError,
    "ThrottlingException": ThrottlingError,
    "ValidationException": InvalidParameterError,
}


class ClientSideError(RekogVersionsError):
    """The request got no answer from the service: botocore failed before or after sending."""

    def __init__(self, message: str, *, retryable: bool | None = None) -> None:
        """Build the error; ``retryable`` overrides the class's default."""
        if retryable is not None:
            self.retryable = retryable
        super().__init__(message)


class ConfigurationError(ClientSideError):
    """The client is not configured to call AWS: no region, an unknown profile, ..."""


class CredentialsError(ConfigurationError):
    """No AWS credentials were found, or only part of them."""


class NetworkError(ClientSideError):
    """The endpoint could not be reached, or the connection timed out or was dropped.

    A dropped connection or a timeout is retryable; an endpoint that refuses the
    connection (nothing listens there, or the name does not resolve) is not.
    """

    retryable = True


class MalformedResponseError(ClientSideError):
    """The service's answer could not be read: not the JSON the API defines."""

    retryable = True


class TrainingFailedError(RekogVersionsError):
    """The version's training ended in ``TRAINING_FAILED``.

    Attributes:
        version: The final state of the version.
        status_message: The service's reason.
        error_codes: The Rekognition error codes (``ERROR_...``) found in the reason.
        manifest_summary: Where the manifest summary file is, if training wrote one.
        validation_manifests: Where the training and testing validation manifests are.
    """

    def __init__(self, version: ProjectVersion) -> None:
        """Build the error from the failed version."""
        self.version = version
        self.status_message: str = version.status_message or ""
        self.error_codes: tuple[str, ...] = version.error_codes
        self.manifest_summary: S3Object | None = version.manifest_summary
        self.validation_manifests: tuple[S3Object, ...] = version.validation_manifests
        lines = [f"training of {version.arn} failed: {self.status_message or '(no reason given)'}"]
        if self.manifest_summary is not None:
            lines.append(f"manifest summary: {self.manifest_summary.uri}")
        lines.extend(
            f"validation manifest: {location.uri}" for location in self.validation_manifests
        )
        super().__init__("\n".join(lines))


class UnexpectedStatusError(RekogVersionsError):
    """The version is in a state where no training is happening, other than completed or failed.

    Attributes:
        version: The version as last seen.
    """

    def __init__(self, version: ProjectVersion, explanation: str) -> None:
        """Build the error from the version and what its status means."""
        self.version = version
        super().__init__(f"{version.arn} is {version.status_text}: {explanation}")


class WaitTimeoutError(RekogVersionsError):
    """The wait ran out of time before training ended.

    Attributes:
        last: The version as last seen, if it was seen at all.
        timeout: The time allowed, in seconds.
    """

    def __init__(self, message: str, *, last: ProjectVersion | None, timeout: float) -> None:
        """Build the error from the last state seen."""
        self.last = last
        self.timeout = timeout
        super().__init__(message)


class ResultFileError(RekogVersionsError):
    """A training result file in S3 is missing, unreadable or not in the documented shape.

    Attributes:
        location: The S3 object, when there is one.
    """

    def __init__(self, message: str, *, location: S3Object | None = None) -> None:
        """Build the error."""
        self.location = location
        super().__init__(message)


class MissingExtraError(RekogVersionsError, ImportError):
    """A feature needs an install extra that is not installed; the message names it.

    Attributes:
        extra: The extra to install, e.g. ``manifests``.
        install: The command that installs it, e.g. ``pip install 'rekog-versions[manifests]'``.
    """

    def __init__(self, feature: str, extra: str, missing: str | None) -> None:
        """Build the error: ``feature`` needs ``extra``, whose module ``missing`` is absent."""
        self.extra: str = extra
        self.install: str = f"pip install 'rekog-versions[{extra}]'"
        what = f" ({missing} is not installed)" if missing else ""
        super().__init__(f"{feature} needs the {extra} extra{what}: {self.install}", name=missing)
