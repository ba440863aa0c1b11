"""What every operation is made of: the effects a client performs, and the shared calls.

An operation is a generator of effects (send one request, pause, run some steps within a
deadline, run some steps side by side) that returns its result. :class:`Calls` holds what
every operation uses: one request sent and retried as the retry layer decides, a
project's versions described, a version's project looked up (and cached).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator, Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, ClassVar, Final, Literal, TypeAlias, TypeVar, cast

import attrs

from rekog_versions._aws import check_kind, service_error
from rekog_versions._defaults import FEATURES
from rekog_versions._retry import CLOCK, Retrying, RetryPolicy
from rekog_versions.arns import ProjectArn, ProjectVersionArn, region_of
from rekog_versions.errors import (
    ConfigurationError,
    MalformedResponseError,
    NetworkError,
    Problem,
    RekogVersionsError,
    RequestValidationError,
    ResourceNotFoundError,
)
from rekog_versions.polling import wait_timeout
from rekog_versions.results import ProjectVersion

__all__ = [
    "Calls",
    "Overdue",
    "Pause",
    "Send",
    "Steps",
    "Together",
    "Within",
    "check_region",
    "creation",
    "returned",
    "the_version",
]

logger: Final = logging.getLogger("rekog_versions")

_T = TypeVar("_T")

_DESCRIBE_BATCH: Final = 10  # DescribeProjectVersions takes at most 10 version names


# Never compared, so no __eq__ or __hash__ of their own (eq=False): each class made
# costs the client's import time.
@attrs.frozen(eq=False)
class Send:
    """Send one request, once; give its answer (a result file's ``Body`` read to bytes).

    The client raises the library's error for a failure (``map_errors``).
    """

    service: Literal["rekognition", "s3"]
    method: str
    """The boto3 method, ``describe_project_versions``."""
    operation: str
    """The API's name for it, ``DescribeProjectVersions``: the errors say it."""
    params: Mapping[str, Any]
    region: str | None = None
    """The region the call is about (its ARN's): sent nowhere else, refused at once if
    the client calls another."""


def check_region(send: Send, client: object) -> None:
    """Refuse, before it is sent, a call about a resource of another region than ``client``'s.

    Sent all the same, it would reach the client's region and fail there, in words about
    the resource's (not found, or an ARN the region does not know).

    Raises:
        ConfigurationError: Naming both regions.
    """
    meta = getattr(client, "meta", None)
    calls: object = getattr(meta, "region_name", None)
    if send.region is None or not isinstance(calls, str) or calls == send.region:
        return
    raise ConfigurationError(
        f"{send.operation}: the resource is in {send.region}, but this Rekognition client "
        f"calls {calls}: use a client of {send.region} (region_name=), or a resource of "
        f"{calls}"
    )


@attrs.frozen(eq=False)
class Pause:
    """Wait ``seconds``."""

    seconds: float


@attrs.frozen(eq=False)
class Within:
    """Run ``steps``; give up on them at ``deadline`` (monotonic) plus the wait's slack.

    The client raises :class:`Overdue` into the operation when it gave up.
    """

    deadline: float
    steps: Steps[Any]


@attrs.frozen(eq=False)
class Together:
    """Run each of ``steps`` (side by side, where the client can); give their values.

    An error in one ends the others and is raised into the operation.
    """

    steps: Sequence[Steps[Any]]


Effect: TypeAlias = "Send | Pause | Within | Together"
#: An operation: a generator of effects that returns its result.
Steps: TypeAlias = Generator[Effect, Any, _T]


class Overdue(Exception):  # noqa: N818 - internal signal, raised as WaitTimeoutError
    """Steps run :class:`Within` a deadline did not end by it."""


def _member(answer: object, name: str) -> object:
    if isinstance(answer, Mapping):
        return cast("Mapping[str, object]", answer).get(name)
    return None


def _require(answer: object, operation: str, member: str, kind: type[object]) -> None:
    value = _member(answer, member)
    if not isinstance(value, kind) or (kind is str and not value):
        raise MalformedResponseError(
            f"{operation}: the answer has no {member} ({kind.__name__}): {str(answer)[:200]}"
        )


class Calls:
    """What every operation shares: one call retried, a project's versions described.

    Args:
        retry: How operations retry.
        clients: The botocore clients the caller gave, refused at once if they are of
            the other kind than this client drives (see ``_aws.check_kind``).
    """

    #: Whether this client awaits its calls (aiobotocore) or blocks on them (boto3).
    _awaited: ClassVar[bool] = False

    def __init__(self, retry: RetryPolicy | None, *clients: object) -> None:
        """Start with no project ARN looked up."""
        for given in clients:
            check_kind(given, awaited=self._awaited, owner=type(self).__name__)
        self.retry: RetryPolicy = retry or RetryPolicy()
        self._projects: dict[tuple[str, str, str, str], str] = {}

    # -- one call, retried ---------------------------------------------------------

    def _call(
        self,
        send: Send,
        *,
        expect: tuple[str, type[object]] | None = None,
        retrying: Retrying | None = None,
        deadline: float | None = None,
    ) -> Steps[Any]:
        """``send``, retried while :class:`~rekog_versions._retry.Retrying` says so.

        ``expect`` names a member the answer must have, and its type: an answer without
        it is malformed (a proxy's page, a truncated body) and retried like one.
        ``retrying`` is the operation's retry state, for a caller that needs to know how
        many requests were sent; ``deadline`` (monotonic) is when its caller stops waiting.
        """
        clock = CLOCK.clock
        if retrying is None:
            retrying = Retrying(self.retry, clock.monotonic(), deadline)
        while True:
            try:
                result = yield send
                if expect is not None:
                    _require(result, send.operation, *expect)
            except RekogVersionsError as error:  # noqa: PERF203 - the retry loop itself
                delay = retrying.after(error, clock.monotonic())
                if delay is None:
                    raise
                logger.warning(
                    "%s failed (%s); retry %d in %.1f s",
                    send.operation,
                    error,
                    retrying.retries,
                    delay,
                )
                yield Pause(delay)
            else:
                return result

    def _in_project(
        self,
        version: ProjectVersionArn,
        project_arn: str | None,
        action: Callable[[str], Steps[_T]],
        *,
        deadline: float | None = None,
        limit: float = 0.0,
    ) -> Steps[_T]:
        """``action(the version's project ARN)``, looking the project up when not given.

        A not-found answer for a project ARN taken from the cache is not believed at once:
        the project may have been deleted and created again under its name (with a new
        ARN), so it is looked up again, once, and the action repeated. With a
        ``deadline`` (monotonic; a wait's, of ``limit`` seconds), the look-up is given up
        at it like any call of the wait.
        """

        def project_for(given: str | None) -> Steps[str]:
            if deadline is None:
                return (yield from self._project_arn_for(version, given))
            try:
                return cast("str", (yield Within(deadline, self._project_arn_for(version, given))))
            except Overdue:
                raise wait_timeout(limit, []) from None

        key = (version.partition, version.region, version.account, version.project_name)
        cached = project_arn is None and key in self._projects
        try:
            return (yield from action((yield from project_for(project_arn))))
        except ResourceNotFoundError:
            if not cached:
                raise
            logger.info("project %s not found as cached; looking it up again", version.project_name)
            self._projects.pop(key, None)
            return (yield from action((yield from project_for(None))))

    def _limited(self, steps: Steps[_T]) -> Steps[_T]:
        """``steps``, given up on after :attr:`RetryPolicy.deadline` seconds in all.

        Raises:
            NetworkError: Not done by then (not retryable: the time was spent).
        """
        seconds = self.retry.deadline
        try:
            return cast("_T", (yield Within(CLOCK.clock.monotonic() + seconds, steps)))
        except Overdue:
            error = NetworkError(
                f"no whole answer within {seconds:g} s (RetryPolicy.deadline), retries "
                "included: the endpoint answers too slowly, or not at all"
            )
            error.retryable = False
            raise error from None

    def _project_arn_for(self, version: ProjectVersionArn, project_arn: str | None) -> Steps[str]:
        if project_arn is not None:
            project = ProjectArn.parse(project_arn, path="project_arn")
            if project.project_name != version.project_name:
                raise RequestValidationError(
                    [
                        Problem(
                            "project_arn",
                            f"names project {project.project_name!r}, but the version "
                            f"belongs to {version.project_name!r}",
                        )
                    ],
                    subject="arguments",
                )
            return str(project)
        key = (version.partition, version.region, version.account, version.project_name)
        cached = self._projects.get(key)
        if cached is not None:
            return cached
        found = yield from self._describe_projects(version.project_name, version.region)
        for description in found:
            candidate = description.get("ProjectArn")
            if not isinstance(candidate, str):
                continue
            try:
                parsed = ProjectArn.parse(candidate)
            except RekogVersionsError:
                continue
            if (parsed.partition, parsed.region, parsed.account, parsed.project_name) == key:
                self._projects[key] = candidate
                return candidate
        raise service_error(
            "ResourceNotFoundException",
            f"no project named {version.project_name!r} in {version.region} for account "
            f"{version.account} (DescribeProjects, both features)",
            operation="DescribeProjects",
        )

    def _describe_projects(self, name: str, region: str) -> Steps[list[Mapping[str, Any]]]:
        params = {"ProjectNames": [name], "Features": list(FEATURES)}
        send = Send("rekognition", "describe_projects", "DescribeProjects", params, region)
        response = yield from self._call(send, expect=("ProjectDescriptions", list))
        descriptions = cast("list[object]", response["ProjectDescriptions"])  # _call checked it
        return [
            cast("Mapping[str, Any]", item) for item in descriptions if isinstance(item, Mapping)
        ]

    def _describe_names(
        self, project_arn: str, names: Sequence[str] | None, *, deadline: float | None = None
    ) -> Steps[dict[str, ProjectVersion]]:
        """Describe versions by name, at most 10 a call (all, if ``names`` is ``None``)."""
        found: dict[str, ProjectVersion] = {}
        batches: list[list[str] | None] = (
            [None]
            if names is None
            else [
                list(dict.fromkeys(names[start : start + _DESCRIBE_BATCH]))
                for start in range(0, len(names), _DESCRIBE_BATCH)
            ]
        )
        region = region_of(project_arn)
        for batch in batches:
            token: str | None = None
            while True:
                params: dict[str, Any] = {"ProjectArn": project_arn}
                if batch is not None:
                    params["VersionNames"] = batch
                if token:
                    params["NextToken"] = token
                send = Send(
                    "rekognition",
                    "describe_project_versions",
                    "DescribeProjectVersions",
                    params,
                    region,
                )
                response = cast(
                    "Mapping[str, object]",
                    (
                        yield from self._call(
                            send, expect=("ProjectVersionDescriptions", list), deadline=deadline
                        )
                    ),
                )
                descriptions = cast("list[object]", response["ProjectVersionDescriptions"])
                for description in descriptions:  # _call checked that the list is there
                    version = ProjectVersion.from_boto(description)
                    found[version.name] = version
                next_token = response.get("NextToken")
                if not isinstance(next_token, str) or not next_token:
                    break
                token = next_token
        return found

    def _describe(self, arn: str, project_arn: str | None) -> Steps[ProjectVersion]:
        version_arn = ProjectVersionArn.parse(arn)

        def describe(project: str) -> Steps[ProjectVersion]:
            found = yield from self._describe_names(project, [version_arn.version_name])
            return the_version(found, version_arn)

        return (yield from self._in_project(version_arn, project_arn, describe))

    def _described(self, version: ProjectVersion | str) -> Steps[ProjectVersion]:
        if isinstance(version, str):
            return (yield from self._describe(version, None))
        return version


def returned(value: _T) -> Steps[_T]:
    """Steps that do nothing and return ``value``."""
    yield from ()
    return value


def the_version(found: Mapping[str, ProjectVersion], arn: ProjectVersionArn) -> ProjectVersion:
    """The version of ``arn`` among ``found``; ``ResourceNotFoundError`` if it is not there."""
    version = found.get(arn.version_name)
    if version is None or version.arn != str(arn):
        detail = (
            f" (the project has a version named {arn.version_name!r}, but its ARN is {version.arn})"
            if version is not None
            else ""
        )
        raise service_error(
            "ResourceNotFoundException",
            f"no such project version: {arn}{detail}",
            operation="DescribeProjectVersions",
        )
    return version


def creation(version: ProjectVersion) -> datetime:
    """When a version was created; the earliest time there is when the service omits it."""
    return version.created_at or datetime.min.replace(tzinfo=timezone.utc)
