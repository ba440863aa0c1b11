"""ProjectVersionsClient: create a version safely, follow its training, read its results.

>>> client = ProjectVersionsClient(region_name="us-east-1")  # no AWS call yet
>>> client.retry.max_attempts
10
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar, cast

from rekog_versions._aws import default_config, map_errors, service_error
from rekog_versions._constraints import FEATURES
from rekog_versions._retry import CLOCK, Retrying, RetryPolicy
from rekog_versions._validation import check_request
from rekog_versions.arns import ProjectArn, ProjectVersionArn
from rekog_versions.builder import RequestBuilder
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
from rekog_versions.models import CreateProjectVersionRequest, S3Object
from rekog_versions.polling import (
    Follower,
    PollOutcome,
    PollResult,
    next_poll_in,
    outcome_of,
    wait_timeout,
)
from rekog_versions.results import (
    EvaluationSummary,
    ManifestSummary,
    ProjectVersion,
    S3Location,
)

if TYPE_CHECKING:
    import boto3
    from botocore.config import Config
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

__all__ = ["ProjectVersionsClient", "RetryPolicy"]

logger = logging.getLogger("rekog_versions")

_T = TypeVar("_T")

#: How long wait() waits by default: the documented maximum training time is 24 hours.
DEFAULT_TIMEOUT: Final = 24 * 3600.0

_DESCRIBE_BATCH: Final = 10  # DescribeProjectVersions takes at most 10 version names

#: The most a wait may take past its timeout, in seconds; the call it is making when the
#: timeout passes gets this long to answer before the wait gives up on it.
WAIT_SLACK: Final = 1.0

#: How far behind this machine's clock the service's may be, when create() recognises a
#: version it made by its creation time.
CLOCK_SKEW: Final = timedelta(minutes=5)


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


class ProjectVersionsClient:
    """Creates project versions, follows their training, and reads their results.

    Args:
        client: A boto3 Rekognition client to use (the way to point the library at a
            custom endpoint, or at a Stubber). Without one, a client is built on first use
            from ``session`` (or the default session), ``region_name`` and ``config``,
            merged into the library's settings (each request sent once by botocore, all
            retries left to ``retry``; 10 s connect and 60 s read timeouts). A client you
            pass keeps its own botocore retry settings.
        session: The boto3 session to build clients from.
        region_name: The region to build clients for.
        config: botocore settings to merge into the library's defaults.
        s3_client: The S3 client for reading result files; built like ``client`` if not
            given.
        retry: How this library retries (the only retry layer: the clients it builds
            send each request once).

    boto3 is imported when the first client is built, not before.
    Tests replace time with :func:`rekog_versions.testing.fake_clock` and turn retries
    off with :func:`rekog_versions.testing.set_testing`.
    """

    def __init__(  # noqa: PLR0913 - injectable collaborators, all keyword-only
        self,
        client: RekognitionClient | None = None,
        *,
        session: boto3.Session | None = None,
        region_name: str | None = None,
        config: Config | None = None,
        s3_client: S3Client | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        """Set up the client; nothing is called and boto3 is not imported yet."""
        self._client = client
        self._s3_client = s3_client
        self._session = session
        self._region_name = region_name
        self._config = config
        self.retry = retry or RetryPolicy()
        self._projects: dict[tuple[str, str, str, str], str] = {}

    # -- clients -------------------------------------------------------------------

    @property
    def rekognition(self) -> RekognitionClient:
        """The boto3 Rekognition client, built on first use if none was given."""
        if self._client is None:
            self._client = cast("RekognitionClient", self._build("rekognition"))
        return self._client

    @property
    def s3(self) -> S3Client:
        """The boto3 S3 client for result files, built on first use if none was given."""
        if self._s3_client is None:
            self._s3_client = cast("S3Client", self._build("s3"))
        return self._s3_client

    def _build(self, service: Literal["rekognition", "s3"]) -> object:
        with map_errors(f"building a {service} client"):
            session = self._session
            if session is None:
                import boto3  # noqa: PLC0415 - boto3 only when AWS is called

                session = boto3.Session()
            region = self._region_name
            config = default_config(self._config)
            if service == "rekognition":
                # boto3-stubs types every service's overload; only some are installed.
                return session.client("rekognition", region_name=region, config=config)  # pyright: ignore[reportUnknownMemberType]
            if region is None and self._client is not None:
                region = self._client.meta.region_name
            return session.client("s3", region_name=region, config=config)  # pyright: ignore[reportUnknownMemberType]

    # -- calling AWS ---------------------------------------------------------------

    def _call(
        self,
        operation: str,
        function: Callable[..., _T],
        *,
        expect: tuple[str, type[object]] | None = None,
        retrying: Retrying | None = None,
        deadline: float | None = None,
        **params: Any,  # noqa: ANN401 - boto3's own keyword arguments
    ) -> _T:
        """Call ``function(**params)``; retry what can pass; translate what cannot.

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
                with map_errors(operation):
                    result = function(**params)
                if expect is not None:
                    _require(result, operation, *expect)
            except RekogVersionsError as error:  # noqa: PERF203 - the retry loop itself
                delay = retrying.after(error, clock.monotonic())
                if delay is None:
                    raise
                logger.warning(
                    "%s failed (%s); retry %d in %.1f s", operation, error, retrying.retries, delay
                )
                clock.sleep(delay)
            else:
                return result

    # -- create --------------------------------------------------------------------

    def create(
        self,
        request: CreateProjectVersionRequest | RequestBuilder,
        *,
        if_exists: Literal["error", "reuse"] = "error",
    ) -> str:
        """Start training a new version; return its ProjectVersionArn.

        Args:
            request: A validated request, or a builder (built, so validated, here).
            if_exists: What to do when a version of the request's name already exists
                with the request's inputs: ``"error"`` raises
                :class:`~rekog_versions.errors.VersionNameConflictError` (unless this call
                made it, see below); ``"reuse"`` returns its ARN, whatever its status, so
                that a pipeline step run again after a crash finds the training it
                started. A version of that name with other inputs is a conflict either way.

        Raises:
            RequestValidationError: The builder's request is not valid; nothing was sent.
            VersionNameConflictError: The version name is taken by a version with other
                inputs (or, with ``if_exists="error"``, by an earlier one with the same).
            ServiceError: The service refused (its subclass says why).
            ClientSideError: No answer could be had (network, credentials, region).

        ``CreateProjectVersion`` has no idempotency token: when an answer is lost and the
        call is sent again, the second call meets the version the first one created, as
        ``ResourceInUseException``. Then the version of that name is described: if its
        inputs are those of the request and this call can have made it (it was created
        after the call began, allowing :data:`~rekog_versions.client.CLOCK_SKEW` for the
        clocks' difference), its ARN is returned (and logged at INFO); otherwise
        :class:`~rekog_versions.errors.VersionNameConflictError` is raised, which says
        whether the inputs differ or the version is an older one with the same inputs.
        """
        if if_exists not in {"error", "reuse"}:
            raise ValueError(f"if_exists must be 'error' or 'reuse', got {if_exists!r}")
        if isinstance(request, RequestBuilder):
            request = request.build()
        if not isinstance(request, CreateProjectVersionRequest):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(
                "create() takes a CreateProjectVersionRequest or a RequestBuilder, "
                f"got {type(request).__name__}"
            )
        params = request.to_boto()
        # What is sent is checked, however the request was made (by hand, or changed
        # with attrs.evolve): a request that fails validation is never sent.
        errors, _ = check_request(params)
        if errors:
            raise RequestValidationError(errors, subject="CreateProjectVersion request")
        started = CLOCK.clock.wall_time()
        retrying = Retrying(self.retry, CLOCK.clock.monotonic())
        try:
            response = self._call(
                "CreateProjectVersion",
                self.rekognition.create_project_version,
                expect=("ProjectVersionArn", str),
                retrying=retrying,
                **params,
            )
        except ResourceInUseError as error:
            return self._reconcile(
                request, error, started=started, sent=retrying.sent, reuse=if_exists == "reuse"
            )
        arn = response["ProjectVersionArn"]  # _call checked that it is there
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
    ) -> str:
        found = self._describe_names(request.project_arn, [request.version_name])
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

    def describe(self, arn: str, *, project_arn: str | None = None) -> ProjectVersion:
        """The version's current state.

        Args:
            arn: The ProjectVersionArn.
            project_arn: The project's ARN, if known; otherwise it is looked up once by
                project name (``DescribeProjects``, both features) and cached, since it
                cannot be derived from the version ARN.

        Raises:
            ResourceNotFoundError: The project or the version does not exist.
        """
        version_arn = ProjectVersionArn.parse(arn)
        return self._in_project(
            version_arn,
            project_arn,
            lambda project: _the_version(
                self._describe_names(project, [version_arn.version_name]), version_arn
            ),
        )

    def _in_project(
        self,
        version: ProjectVersionArn,
        project_arn: str | None,
        action: Callable[[str], _T],
        *,
        deadline: float | None = None,
        limit: float = 0.0,
    ) -> _T:
        """``action(the version's project ARN)``, looking the project up when not given.

        A not-found answer for a project ARN taken from the cache is not believed at once:
        the project may have been deleted and created again under its name (with a new
        ARN), so it is looked up again, once, and the action repeated. With a
        ``deadline`` (monotonic; a wait's, of ``limit`` seconds), the look-up is given up
        at it like any call of the wait.
        """

        def project_for(given: str | None) -> str:
            if deadline is None:
                return self._project_arn_for(version, given)
            try:
                return _bounded(deadline, lambda: self._project_arn_for(version, given))
            except _Overdue:
                raise wait_timeout(limit, []) from None

        key = (version.partition, version.region, version.account, version.project_name)
        cached = project_arn is None and key in self._projects
        try:
            return action(project_for(project_arn))
        except ResourceNotFoundError:
            if not cached:
                raise
            logger.info("project %s not found as cached; looking it up again", version.project_name)
            del self._projects[key]
            return action(project_for(None))

    def _project_arn_for(self, version: ProjectVersionArn, project_arn: str | None) -> str:
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
        for description in self._describe_projects(version.project_name):
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

    def _describe_projects(self, name: str) -> list[Mapping[str, Any]]:
        response = self._call(
            "DescribeProjects",
            self.rekognition.describe_projects,
            expect=("ProjectDescriptions", list),
            ProjectNames=[name],
            Features=list(FEATURES),
        )
        descriptions = cast("list[object]", response["ProjectDescriptions"])  # _call checked it
        return [
            cast("Mapping[str, Any]", item) for item in descriptions if isinstance(item, Mapping)
        ]

    def _describe_names(
        self, project_arn: str, names: Sequence[str] | None, *, deadline: float | None = None
    ) -> dict[str, ProjectVersion]:
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
                response = cast(
                    "Mapping[str, object]",
                    self._call(
                        "DescribeProjectVersions",
                        self.rekognition.describe_project_versions,
                        expect=("ProjectVersionDescriptions", list),
                        deadline=deadline,
                        **params,
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

    def poll(
        self,
        arn: str,
        *,
        poll_interval: float | None = None,
        project_arn: str | None = None,
    ) -> PollResult:
        """One look at the version's training, without sleeping.

        For a process that cannot stay alive for hours (a Lambda function in a Step
        Functions loop, a scheduler's sensor, a cron job): look, store the result, come
        back at ``result.next_poll_at``. The schedule is ``wait()``'s, counted from the
        version's creation, so polls made by separate processes fall where one ``wait()``
        would have made them. A failed training is an outcome here, not an exception.

        Args:
            arn: The ProjectVersionArn.
            poll_interval: Seconds between looks; by default
                :data:`~rekog_versions.polling.DEFAULT_POLL_SCHEDULE`.
            project_arn: The project's ARN, to skip looking it up.

        Raises:
            ResourceNotFoundError: The project or the version does not exist.
        """
        next_poll_in(0.0, poll_interval)  # a bad interval fails before any call
        version = self.describe(arn, project_arn=project_arn)
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

    def wait(
        self,
        arn: str,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_change: Callable[[ProjectVersion], object] | None = None,
        project_arn: str | None = None,
    ) -> ProjectVersion:
        """Follow the version's training to its end and return its final state.

        Polls only this version. Each status change (the first one seen included) goes
        to ``on_change`` and to the log. Each poll retries transient errors as every call
        does (see :class:`RetryPolicy`); a transient error that outlasts a poll's retries is
        logged and the next poll comes at its time, while any other error ends the wait.

        Args:
            arn: The ProjectVersionArn.
            timeout: Seconds to wait in all (default 24 hours).
            poll_interval: Seconds between polls; by default
                :data:`~rekog_versions.polling.DEFAULT_POLL_SCHEDULE`.
            on_change: Called with the version at each status change.
            project_arn: The project's ARN, to skip looking it up.

        Returns:
            The version, in ``TRAINING_COMPLETED``.

        Raises:
            TrainingFailedError: Training ended in ``TRAINING_FAILED``; it carries the
                final version, the status message and its error codes, and where the
                manifest summary and validation manifests are.
            UnexpectedStatusError: The version is in a status where no training happens
                (``DELETING``, or a hosting or copying status).
            WaitTimeoutError: The timeout passed; it carries the last version seen.
            ResourceNotFoundError: The version does not exist.
        """
        next_poll_in(0.0, poll_interval)  # a bad interval fails before any call
        version_arn = ProjectVersionArn.parse(arn)
        limit = DEFAULT_TIMEOUT if timeout is None else timeout
        deadline = CLOCK.clock.monotonic() + limit
        versions = self._in_project(
            version_arn,
            project_arn,
            lambda project: self._follow(
                project, [version_arn], deadline, limit, poll_interval, on_change, single=True
            ),
            deadline=deadline,
            limit=limit,
        )
        return versions[str(version_arn)]

    def wait_many(
        self,
        arns: Iterable[str],
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_change: Callable[[ProjectVersion], object] | None = None,
    ) -> dict[str, ProjectVersion]:
        """Follow several versions at once; return each final state, by ARN.

        Versions of one project are described together, at most 10 a call (the API's
        limit): 50 versions cost 5 calls a poll, not 50. A failed training does not raise
        here: check each version's ``status``.

        Raises:
            WaitTimeoutError: The timeout passed before every version ended.
            ResourceNotFoundError: A version does not exist.
        """
        next_poll_in(0.0, poll_interval)  # a bad interval fails before any call
        parsed = [ProjectVersionArn.parse(arn) for arn in dict.fromkeys(arns)]
        limit = DEFAULT_TIMEOUT if timeout is None else timeout
        deadline = CLOCK.clock.monotonic() + limit
        by_project: dict[str, list[ProjectVersionArn]] = {}
        for version_arn in parsed:
            project = self._in_project(
                version_arn, None, lambda found: found, deadline=deadline, limit=limit
            )
            by_project.setdefault(project, []).append(version_arn)
        results: dict[str, ProjectVersion] = {}
        for project, members in by_project.items():
            results.update(
                self._follow(
                    project, members, deadline, limit, poll_interval, on_change, single=False
                )
            )
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
    ) -> dict[str, ProjectVersion]:
        """Poll until every version's training ended, or the deadline (monotonic) passed.

        Only the I/O is here; the :class:`~rekog_versions.polling.Follower` decides.
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
                found = _bounded(
                    deadline,
                    lambda: self._describe_names(project, follower.names(), deadline=deadline),
                )
            except _Overdue:
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
            clock.sleep(pause)

    # -- results -------------------------------------------------------------------

    def evaluation(self, version: ProjectVersion | str) -> EvaluationSummary:
        """The evaluation summary of a trained version: aggregate and per-label metrics.

        Reads the summary file training wrote to S3 (``EvaluationResult.Summary``).

        Raises:
            ResultFileError: The version has no summary (training did not succeed), or
                the file is missing, unreadable or not in a documented shape.
        """
        described = self.describe(version) if isinstance(version, str) else version
        document, location = self._result_file(
            described,
            described.evaluation_summary,
            "evaluation summary",
            "the summary is written only when training succeeds",
        )
        return EvaluationSummary.from_json(document, location=location)

    def manifest_summary(self, version: ProjectVersion | str) -> ManifestSummary:
        """The manifest summary of a version: per-dataset line counts and errors.

        Raises:
            ResultFileError: The version has no manifest summary (training stopped on a
                manifest file error or a service error), or the file cannot be read.
        """
        described = self.describe(version) if isinstance(version, str) else version
        document, location = self._result_file(
            described,
            described.manifest_summary,
            "manifest summary",
            "training writes one only when the manifest files could be read",
        )
        return ManifestSummary.from_json(document, location=location)

    def _result_file(
        self, version: ProjectVersion, location: S3Location | None, what: str, when: str
    ) -> tuple[object, S3Location]:
        """A result file's parsed JSON, and where it is; a clear error if there is none."""
        if location is None:
            raise ResultFileError(f"{version.arn} has no {what} ({version.status_text}): {when}")
        return self._read_json(location, what), location

    def _read_json(self, location: S3Location, what: str) -> object:
        params: dict[str, Any] = {"Bucket": location.bucket, "Key": location.name}
        if location.version is not None:
            params["VersionId"] = location.version
        try:
            response = self._call("GetObject", self.s3.get_object, **params)
            body = cast("Any", response)["Body"].read()
        except RekogVersionsError as error:
            raise ResultFileError(
                f"could not read the {what} {location.uri}: {error}", location=location
            ) from error
        try:
            return json.loads(body)
        except (ValueError, UnicodeDecodeError) as error:
            raise ResultFileError(
                f"the {what} {location.uri} is not JSON: {error}", location=location
            ) from error

    # -- comparing -----------------------------------------------------------------

    def compare(
        self, candidate: ProjectVersion | str, baseline: ProjectVersion | str
    ) -> Comparison:
        """Two trained versions' evaluations side by side, aggregate and per label.

        Reads both evaluation summaries. The comparison says when the two were not
        tested on the same test manifests (an automatic split, or other manifests): their
        figures are then not comparable.

        Raises:
            ResultFileError: A version has no evaluation summary, or it cannot be read.
        """
        mine = self.describe(candidate) if isinstance(candidate, str) else candidate
        theirs = self.describe(baseline) if isinstance(baseline, str) else baseline
        return compare_summaries(mine, self.evaluation(mine), theirs, self.evaluation(theirs))

    def latest_trained(self, arn: str, *, project_arn: str | None = None) -> ProjectVersion | None:
        """The newest other version of ``arn``'s project whose training succeeded.

        The baseline a new version is judged against. A version counts when training
        wrote its evaluation summary, whatever its hosting status since; ``arn`` itself
        is left out. Lists every version of the project (``DescribeProjectVersions``).

        Args:
            arn: A ProjectVersionArn of the project (the candidate's).
            project_arn: The project's ARN, to skip looking it up.

        Returns:
            The version, or ``None`` when no other version finished training.
        """
        version_arn = ProjectVersionArn.parse(arn)
        versions = self._in_project(
            version_arn, project_arn, lambda project: self._describe_names(project, None)
        )
        trained = [
            version
            for version in versions.values()
            if version.evaluation_summary is not None and version.arn != str(version_arn)
        ]
        return max(trained, key=_creation, default=None)

    # -- preflight -----------------------------------------------------------------

    def preflight(
        self,
        request: CreateProjectVersionRequest | RequestBuilder,
        *,
        if_exists: Literal["error", "reuse"] = "error",
    ) -> tuple[Problem, ...]:
        """Check the request against the live project; return what would make it fail.

        Checks that the project exists and is ``CREATED``, that ``FeatureConfig`` is
        given only to a ``CONTENT_MODERATION`` project, that manifests are given only to
        a project without datasets (and that a project without datasets gets them), and
        that the version name is free: with ``if_exists="reuse"``, as ``create()``
        takes it, a name taken by a version with the request's inputs is no problem.
        Problems use the paths of the request.
        """
        if isinstance(request, RequestBuilder):
            request = request.build()
        project = request.project
        problems: list[Problem] = []
        matches = [
            description
            for description in self._describe_projects(project.project_name)
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
        description = matches[0]
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
        existing = self._describe_names(request.project_arn, [request.version_name])
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


class _Overdue(Exception):  # noqa: N818 - internal signal, raised as WaitTimeoutError
    """A call did not answer by its caller's deadline."""


def _bounded(deadline: float, action: Callable[[], _T]) -> _T:
    """``action()``, given up on at ``deadline`` (monotonic) plus :data:`WAIT_SLACK`.

    It runs in a daemon thread, since an HTTP call cannot be interrupted: a call given up
    on ends by itself within its read timeout, starts no retry past the deadline, and
    never keeps the process alive.
    """
    outcome: list[tuple[bool, object]] = []

    def run() -> None:
        try:
            outcome.append((True, action()))
        except BaseException as error:  # noqa: BLE001 - handed to the waiting thread
            outcome.append((False, error))

    thread = threading.Thread(target=run, name="rekog-versions-call", daemon=True)
    thread.start()
    thread.join(max(0.0, deadline - CLOCK.clock.monotonic()) + WAIT_SLACK)
    if not outcome:
        raise _Overdue
    succeeded, value = outcome[0]
    if succeeded:
        return cast("_T", value)
    raise cast("BaseException", value)


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
