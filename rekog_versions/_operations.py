"""What the clients do, written once as steps that do no I/O.

Every operation of :class:`~rekog_versions.ProjectVersionsClient` and
:class:`~rekog_versions.AsyncProjectVersionsClient` is a generator here: it yields an
effect (send one request, pause, run some steps within a deadline, run some steps side
by side), receives what the effect gave, or the library's error for it, and decides.
Each client only performs the effects, the synchronous one with boto3 and threads, the
asynchronous one with aiobotocore and asyncio (a "sans-I/O" core, as h11's): so what is
retried, what a status means, when a wait ends, whether an existing version matches a
request and how a result file is read are decided in one place for both.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Generator, Iterable, Mapping, Sequence
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, ClassVar, Literal, TypeAlias, TypeVar, cast

import attrs

from rekog_versions._aws import check_kind, service_error
from rekog_versions._constraints import FEATURES
from rekog_versions._retry import CLOCK, Retrying, RetryPolicy
from rekog_versions._validation import check_request
from rekog_versions.arns import ProjectArn, ProjectVersionArn
from rekog_versions.builder import RequestBuilder, built
from rekog_versions.comparison import Comparison, compare_summaries
from rekog_versions.errors import (
    MalformedResponseError,
    Problem,
    RekogVersionsError,
    RequestValidationError,
    ResourceInUseError,
    ResourceNotFoundError,
    ResultFileError,
    VersionNameConflictError,
)
from rekog_versions.polling import (
    CLOCK_SKEW,
    Follower,
    PollOutcome,
    PollResult,
    next_poll_in,
    outcome_of,
    wait_limit,
    wait_timeout,
)
from rekog_versions.results import (
    EvaluationSummary,
    ManifestSummary,
    ProjectVersion,
    S3Location,
)

if TYPE_CHECKING:
    from rekog_versions.models import CreateProjectVersionRequest, S3Object

__all__ = ["Operations", "Overdue", "Pause", "Send", "Steps", "Together", "Within"]

logger = logging.getLogger("rekog_versions")

_T = TypeVar("_T")

_DESCRIBE_BATCH = 10  # DescribeProjectVersions takes at most 10 version names


@attrs.frozen
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


@attrs.frozen
class Pause:
    """Wait ``seconds``."""

    seconds: float


@attrs.frozen
class Within:
    """Run ``steps``; give up on them at ``deadline`` (monotonic) plus the wait's slack.

    The client raises :class:`Overdue` into the operation when it gave up.
    """

    deadline: float
    steps: Steps[Any]


@attrs.frozen
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


class Operations:
    """The operations both clients share, as :data:`Steps`; a client runs them.

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
        self.retry = retry or RetryPolicy()
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

    # -- create --------------------------------------------------------------------

    def _create(
        self, request: CreateProjectVersionRequest | RequestBuilder, if_exists: str
    ) -> Steps[str]:
        if if_exists not in {"error", "reuse"}:
            raise ValueError(f"if_exists must be 'error' or 'reuse', got {if_exists!r}")
        request = built(request, "create()")
        params = request.to_boto()
        # What is sent is checked, however the request was made (by hand, or changed
        # with attrs.evolve): a request that fails validation is never sent.
        errors, _ = check_request(params)
        if errors:
            raise RequestValidationError(errors, subject="CreateProjectVersion request")
        started = CLOCK.clock.wall_time()
        retrying = Retrying(self.retry, CLOCK.clock.monotonic())
        send = Send("rekognition", "create_project_version", "CreateProjectVersion", params)
        try:
            response = yield from self._call(
                send, expect=("ProjectVersionArn", str), retrying=retrying
            )
        except ResourceInUseError as error:
            return (
                yield from self._reconcile(
                    request, error, started=started, sent=retrying.sent, reuse=if_exists == "reuse"
                )
            )
        arn = cast("str", response["ProjectVersionArn"])  # _call checked that it is there
        logger.info("created project version %s", arn)
        return arn

    def _reconcile(
        self,
        request: CreateProjectVersionRequest,
        error: ResourceInUseError,
        *,
        started: datetime,
        sent: int,
        reuse: bool,
    ) -> Steps[str]:
        found = yield from self._describe_names(request.project_arn, [request.version_name])
        existing = found.get(request.version_name)
        if existing is None:
            raise error  # in use for another reason (the project, say): as the service said
        differences = _differences(request, existing)
        if not differences and reuse:
            logger.info(
                "reusing project version %s (status %s): it has this request's name and inputs",
                existing.arn,
                existing.status_text,
            )
            return existing.arn
        if not differences and _made_by_this_call(existing, started=started, sent=sent):
            logger.info(
                "project version %s already exists with this request's inputs (status %s, "
                "created %s): a retried CreateProjectVersion met the version its first "
                "attempt created; returning its ARN",
                existing.arn,
                existing.status_text,
                existing.created_at.isoformat() if existing.created_at else "at an unknown time",
            )
            return existing.arn
        created = existing.created_at.isoformat() if existing.created_at else "unknown"
        why = (
            f"whose inputs differ: {'; '.join(differences)}"
            if differences
            else "which has the same inputs but was created before this call began, so it "
            "is not this call's version (to follow it, describe or wait for its ARN, or "
            "create with if_exists='reuse')"
        )
        raise VersionNameConflictError(
            f"the version name {request.version_name!r} is taken in this project by "
            f"{existing.arn} (status {existing.status_text}, created {created}), {why}. "
            "Choose another version name",
            existing=existing,
            code=error.code,
            request_id=error.request_id,
            http_status=error.http_status,
            operation=error.operation,
            retryable=False,
            attempts=error.attempts,
        ) from error

    # -- describe ------------------------------------------------------------------

    def _describe(self, arn: str, project_arn: str | None) -> Steps[ProjectVersion]:
        version_arn = ProjectVersionArn.parse(arn)

        def describe(project: str) -> Steps[ProjectVersion]:
            found = yield from self._describe_names(project, [version_arn.version_name])
            return _the_version(found, version_arn)

        return (yield from self._in_project(version_arn, project_arn, describe))

    def _described(self, version: ProjectVersion | str) -> Steps[ProjectVersion]:
        if isinstance(version, str):
            return (yield from self._describe(version, None))
        return version

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
        for description in (yield from self._describe_projects(version.project_name)):
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

    def _describe_projects(self, name: str) -> Steps[list[Mapping[str, Any]]]:
        params = {"ProjectNames": [name], "Features": list(FEATURES)}
        send = Send("rekognition", "describe_projects", "DescribeProjects", params)
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

    # -- poll and wait -------------------------------------------------------------

    def _poll(
        self, arn: str, poll_interval: float | None, project_arn: str | None
    ) -> Steps[PollResult]:
        next_poll_in(0.0, poll_interval)  # a bad interval fails before any call
        version = yield from self._describe(arn, project_arn)
        polled_at = CLOCK.clock.wall_time()
        outcome = outcome_of(version.status)
        if outcome is not PollOutcome.IN_PROGRESS:
            return PollResult(
                version=version, outcome=outcome, polled_at=polled_at, next_poll_in=None
            )
        created = version.created_at or ProjectVersionArn.parse(arn).created_at
        elapsed = 0.0 if created is None else (polled_at - created).total_seconds()
        return PollResult(
            version=version,
            outcome=outcome,
            polled_at=polled_at,
            next_poll_in=next_poll_in(elapsed, poll_interval),
        )

    def _wait(
        self,
        arn: str,
        timeout: float | None,
        poll_interval: float | None,
        on_change: Callable[[ProjectVersion], object] | None,
        project_arn: str | None,
    ) -> Steps[ProjectVersion]:
        next_poll_in(0.0, poll_interval)  # a bad interval fails before any call
        limit = wait_limit(timeout)
        version_arn = ProjectVersionArn.parse(arn)
        deadline = CLOCK.clock.monotonic() + limit

        def follow(project: str) -> Steps[dict[str, ProjectVersion]]:
            return self._follow(
                project, [version_arn], deadline, limit, poll_interval, on_change, single=True
            )

        versions = yield from self._in_project(
            version_arn, project_arn, follow, deadline=deadline, limit=limit
        )
        return versions[str(version_arn)]

    def _wait_many(
        self,
        arns: Iterable[str],
        timeout: float | None,
        poll_interval: float | None,
        on_change: Callable[[ProjectVersion], object] | None,
    ) -> Steps[dict[str, ProjectVersion]]:
        next_poll_in(0.0, poll_interval)  # a bad interval fails before any call
        limit = wait_limit(timeout)
        if isinstance(arns, str):
            raise TypeError("wait_many() takes a list of version ARNs, not one: use wait()")
        parsed = [ProjectVersionArn.parse(arn) for arn in dict.fromkeys(arns)]
        deadline = CLOCK.clock.monotonic() + limit
        by_project: dict[str, list[ProjectVersionArn]] = {}
        for version_arn in parsed:
            project = yield from self._in_project(
                version_arn, None, _returned, deadline=deadline, limit=limit
            )
            by_project.setdefault(project, []).append(version_arn)
        followed = yield Together(
            [
                self._follow(
                    project, members, deadline, limit, poll_interval, on_change, single=False
                )
                for project, members in by_project.items()
            ]
        )
        results: dict[str, ProjectVersion] = {}
        for each in cast("list[dict[str, ProjectVersion]]", followed):
            results.update(each)
        return results

    def _follow(  # noqa: PLR0913, PLR0917 - the polling loop, in one place
        self,
        project: str,
        versions: list[ProjectVersionArn],
        deadline: float,
        limit: float,
        poll_interval: float | None,
        on_change: Callable[[ProjectVersion], object] | None,
        *,
        single: bool,
    ) -> Steps[dict[str, ProjectVersion]]:
        """Poll until every version's training ended, or the deadline (monotonic) passed.

        The :class:`~rekog_versions.polling.Follower` decides; this only describes,
        reports and pauses.
        """
        clock = CLOCK.clock
        follower = Follower(
            {version.version_name: str(version) for version in versions},
            started=deadline - limit,
            limit=limit,
            poll_interval=poll_interval,
            not_found_grace=self.retry.not_found_grace,
            single=single,
        )
        while True:
            try:
                found = yield Within(
                    deadline, self._describe_names(project, follower.names(), deadline=deadline)
                )
            except Overdue:
                raise follower.timeout() from None
            except RekogVersionsError as error:
                follower.failed(error, project)
            else:
                for version in follower.seen(found, clock.monotonic()):
                    if on_change is not None:
                        on_change(version)
            pause = follower.pause(clock.monotonic())
            if pause is None:
                return follower.done
            yield Pause(pause)

    # -- results -------------------------------------------------------------------

    def _evaluation(self, version: ProjectVersion | str) -> Steps[EvaluationSummary]:
        described = yield from self._described(version)
        document, location = yield from self._result_file(
            described,
            described.evaluation_summary,
            "evaluation summary",
            "the summary is written only when training succeeds",
        )
        return EvaluationSummary.from_json(document, location=location)

    def _manifest_summary(self, version: ProjectVersion | str) -> Steps[ManifestSummary]:
        described = yield from self._described(version)
        document, location = yield from self._result_file(
            described,
            described.manifest_summary,
            "manifest summary",
            "training writes one only when the manifest files could be read",
        )
        return ManifestSummary.from_json(document, location=location)

    def _result_file(
        self, version: ProjectVersion, location: S3Location | None, what: str, when: str
    ) -> Steps[tuple[object, S3Location]]:
        """A result file's parsed JSON, and where it is; a clear error if there is none."""
        if location is None:
            raise ResultFileError(f"{version.arn} has no {what} ({version.status_text}): {when}")
        params: dict[str, Any] = {"Bucket": location.bucket, "Key": location.name}
        if location.version is not None:
            params["VersionId"] = location.version
        try:
            response = yield from self._call(Send("s3", "get_object", "GetObject", params))
        except RekogVersionsError as error:
            raise ResultFileError(
                f"could not read the {what} {location.uri}: {error}", location=location
            ) from error
        try:
            return json.loads(cast("Mapping[str, bytes]", response)["Body"]), location
        except (ValueError, UnicodeDecodeError) as error:
            raise ResultFileError(
                f"the {what} {location.uri} is not JSON: {error}", location=location
            ) from error

    # -- comparing -----------------------------------------------------------------

    def _compare(
        self, candidate: ProjectVersion | str, baseline: ProjectVersion | str
    ) -> Steps[Comparison]:
        mine = yield from self._described(candidate)
        theirs = yield from self._described(baseline)
        return compare_summaries(
            mine, (yield from self._evaluation(mine)), theirs, (yield from self._evaluation(theirs))
        )

    def _latest_trained(self, arn: str, project_arn: str | None) -> Steps[ProjectVersion | None]:
        version_arn = ProjectVersionArn.parse(arn)

        def every_version(project: str) -> Steps[dict[str, ProjectVersion]]:
            return self._describe_names(project, None)

        versions = yield from self._in_project(version_arn, project_arn, every_version)
        trained = [
            version
            for version in versions.values()
            if version.evaluation_summary is not None and version.arn != str(version_arn)
        ]
        return max(trained, key=_creation, default=None)

    # -- preflight -----------------------------------------------------------------

    def _preflight(
        self, request: CreateProjectVersionRequest | RequestBuilder, if_exists: str
    ) -> Steps[tuple[Problem, ...]]:
        request = built(request, "preflight()")
        project = request.project
        problems: list[Problem] = []
        matches = [
            description
            for description in (yield from self._describe_projects(project.project_name))
            if description.get("ProjectArn") == request.project_arn
        ]
        if not matches:
            return (
                Problem(
                    "ProjectArn",
                    f"no project with this ARN in {project.region} for account {project.account} "
                    "(a project of the same name created again has another timestamp)",
                ),
            )
        problems.extend(_project_problems(request, matches[0]))
        existing = yield from self._describe_names(request.project_arn, [request.version_name])
        taken = existing.get(request.version_name)
        reusable = taken is not None and if_exists == "reuse" and not _differences(request, taken)
        if taken is not None and not reusable:
            problems.append(
                Problem(
                    "VersionName",
                    f"is taken in this project by {taken.arn} (status {taken.status_text})",
                )
            )
        return tuple(problems)


def _returned(value: _T) -> Steps[_T]:
    """Steps that do nothing and return ``value``."""
    yield from ()
    return value


def _project_problems(
    request: CreateProjectVersionRequest, description: Mapping[str, Any]
) -> list[Problem]:
    """What in the project's description would make the request fail."""
    problems: list[Problem] = []
    status = description.get("Status")
    if status not in (None, "CREATED"):
        problems.append(Problem("ProjectArn", f"the project is {status}; it must be CREATED"))
    feature = description.get("Feature") or "CUSTOM_LABELS"
    if request.feature_config is not None and feature != "CONTENT_MODERATION":
        problems.append(
            Problem(
                "FeatureConfig",
                f"is only for CONTENT_MODERATION projects; this project is {feature}, "
                "and the service answers InvalidParameterException",
            )
        )
    datasets = cast("list[object]", description.get("Datasets") or [])
    manifests = request.training_data is not None or request.testing_data is not None
    if manifests and datasets:
        kinds = ", ".join(
            sorted(
                {
                    str(cast("Mapping[str, object]", d).get("DatasetType", "?"))
                    for d in datasets
                    if isinstance(d, Mapping)
                }
            )
        )
        problems.append(
            Problem(
                "TrainingData",
                f"the project has datasets ({kinds}); manifests can be given only to a "
                "project without datasets: train from the datasets (leave out "
                "TrainingData and TestingData) or use a new project",
            )
        )
    if not manifests and not datasets:
        problems.append(
            Problem(
                "TrainingData",
                "the project has no datasets, so the request must give training "
                "manifests (TrainingData and TestingData)",
            )
        )
    return problems


def _the_version(found: Mapping[str, ProjectVersion], arn: ProjectVersionArn) -> ProjectVersion:
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


def _creation(version: ProjectVersion) -> datetime:
    """When a version was created; the earliest time there is when the service omits it."""
    return version.created_at or datetime.min.replace(tzinfo=timezone.utc)


def _made_by_this_call(version: ProjectVersion, *, started: datetime, sent: int) -> bool:
    """Whether a version met by create() can be the one this create() made.

    It can if it was created after the call began (allowing for the clocks' difference);
    when the service gives no creation time, if an earlier attempt was sent.
    """
    if version.created_at is None:
        return sent > 1
    return version.created_at >= started - CLOCK_SKEW


def _same_kms_key(given: str | None, reported: str | None) -> bool:
    if given == reported:
        return True
    if given is None or reported is None:
        return False
    # The service may report the key's ARN for a key ID or alias given in the request.
    return reported.endswith((f"/{given}", f":{given}")) or given.endswith(
        (f"/{reported}", f":{reported}")
    )


def _manifests(objects: Iterable[S3Object | S3Location]) -> list[tuple[str, str, str | None]]:
    return [(item.bucket, item.name, item.version) for item in objects]


def _differences(request: CreateProjectVersionRequest, version: ProjectVersion) -> list[str]:
    """The inputs in which an existing version differs from the request, in words."""
    found: list[str] = []
    output = request.output_config
    if (output.s3_bucket, output.s3_key_prefix or "") != (
        version.output_bucket,
        version.output_prefix or "",
    ):
        found.append(
            f"output s3://{version.output_bucket}/{version.output_prefix or ''} "
            f"instead of {output.uri}"
        )
    wanted_training = (
        []
        if request.training_data is None
        else _manifests(a.manifest for a in request.training_data.assets)
    )
    had_training = [] if version.training_data is None else _manifests(version.training_data.input)
    if wanted_training != had_training:
        found.append("other training manifests")
    testing = request.testing_data
    wanted_testing = (
        []
        if testing is None or testing.assets is None
        else _manifests(a.manifest for a in testing.assets)
    )
    had_testing = [] if version.testing_data is None else _manifests(version.testing_data.input)
    if wanted_testing != had_testing:
        found.append("other testing manifests")
    wanted_auto = bool(testing is not None and testing.auto_create)
    had_auto = bool(version.testing_data is not None and version.testing_data.auto_create)
    if wanted_auto != had_auto:
        found.append(f"AutoCreate {had_auto} instead of {wanted_auto}")
    if not _same_kms_key(request.kms_key_id, version.kms_key_id):
        found.append("another KMS key")
    if request.version_description != version.version_description:
        found.append(f"description {version.version_description!r}")
    wanted_threshold = (
        None
        if request.feature_config is None or request.feature_config.content_moderation is None
        else request.feature_config.content_moderation.confidence_threshold
    )
    had_threshold = (
        None
        if version.feature_config is None or version.feature_config.content_moderation is None
        else version.feature_config.content_moderation.confidence_threshold
    )
    if wanted_threshold != had_threshold:
        found.append(f"confidence threshold {had_threshold} instead of {wanted_threshold}")
    return found
