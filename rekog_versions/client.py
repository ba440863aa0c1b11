"""ProjectVersionsClient: create a version safely, follow its training, read its results.

>>> client = ProjectVersionsClient(region_name="us-east-1")  # no AWS call yet
>>> client.retry.max_attempts
10
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from rekog_versions._aws import boto3_client, map_errors
from rekog_versions._operations import (
    Operations,
    Overdue,
    Pause,
    Send,
    Steps,
    Together,
    Within,
    check_region,
)
from rekog_versions._retry import CLOCK, RetryPolicy
from rekog_versions.polling import WAIT_SLACK

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    import boto3
    from botocore.config import Config
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

    from rekog_versions.builder import RequestBuilder
    from rekog_versions.errors import Problem
    from rekog_versions.gate import Comparison
    from rekog_versions.models import CreateProjectVersionRequest
    from rekog_versions.polling import PollResult
    from rekog_versions.results import EvaluationSummary, ManifestSummary, ProjectVersion

__all__ = ["ProjectVersionsClient"]

_T = TypeVar("_T")


class ProjectVersionsClient(Operations):
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

    Raises:
        TypeError: ``client`` or ``s3_client`` is an aiobotocore client (those go to
            :class:`~rekog_versions.AsyncProjectVersionsClient`).

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
        super().__init__(retry, client, s3_client)
        self._client = client
        self._s3_client = s3_client
        self._session = session
        self._region_name = region_name
        self._config = config

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
        return boto3_client(
            service,
            session=self._session,
            region_name=self._region_name,
            beside=self._client,
            config=self._config,
        )

    # -- running operations --------------------------------------------------------

    def _run(self, steps: Steps[_T]) -> _T:
        """Run an operation's steps to their end, performing each effect they yield."""
        value: object = None
        error: Exception | None = None
        try:
            while True:
                try:
                    effect = steps.send(value) if error is None else steps.throw(error)
                except StopIteration as stop:
                    return cast("_T", stop.value)
                value, error = None, None
                try:
                    value = self._perform(effect)
                except Exception as failure:  # noqa: BLE001 - raised into the operation
                    error = failure
        finally:
            steps.close()

    def _perform(self, effect: object) -> object:
        if isinstance(effect, Send):
            client: Any = self.rekognition if effect.service == "rekognition" else self.s3
            check_region(effect, client)
            with map_errors(effect.operation):
                answer = getattr(client, effect.method)(**effect.params)
                if effect.service == "s3":  # a result file: its body, read here
                    answer = {**answer, "Body": answer["Body"].read()}
            return answer
        if isinstance(effect, Pause):
            CLOCK.clock.sleep(effect.seconds)
            return None
        if isinstance(effect, Within):
            steps = effect.steps
            return _bounded(effect.deadline, lambda: self._run(steps))
        if isinstance(effect, Together):  # one after another: the deadline bounds them all
            return [self._run(steps) for steps in effect.steps]
        raise TypeError(f"not an effect: {effect!r}")  # pragma: no cover

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
        after the call began, allowing :data:`~rekog_versions.polling.CLOCK_SKEW` for the
        clocks' difference), its ARN is returned (and logged at INFO); otherwise
        :class:`~rekog_versions.errors.VersionNameConflictError` is raised, which says
        whether the inputs differ or the version is an older one with the same inputs.
        """
        return self._run(self._create(request, if_exists))

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
        return self._run(self._limited(self._describe(arn, project_arn)))

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

        A version not listed yet, within :attr:`RetryPolicy.not_found_grace` of the
        creation time its ARN carries (as just after ``create()``), is ``IN_PROGRESS``:
        its ``status`` is ``UNKNOWN``, its ``status_text`` empty and its
        ``status_message`` says so, as a wait grants it the same grace.

        Raises:
            ResourceNotFoundError: The project does not exist, or the version after the
                grace.
        """
        return self._run(self._limited(self._poll(arn, poll_interval, project_arn)))

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
            timeout: Seconds to wait in all, 0 or more (default 24 hours; ``math.inf``,
                or anything over a year, waits a year).
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
            ValueError: ``timeout`` is negative or NaN, or ``poll_interval`` is not
                positive (before any call).
            TypeError: ``timeout`` is not a number (before any call).
        """
        return self._run(self._wait(arn, timeout, poll_interval, on_change, project_arn))

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

        ``timeout``, ``poll_interval`` and ``on_change`` are as for :meth:`wait`.

        Raises:
            WaitTimeoutError: The timeout passed before every version ended.
            ResourceNotFoundError: A version does not exist.
            TypeError: ``arns`` is one ARN (a string), not a list of them.
        """
        return self._run(self._wait_many(arns, timeout, poll_interval, on_change))

    # -- results -------------------------------------------------------------------

    def evaluation(self, version: ProjectVersion | str) -> EvaluationSummary:
        """The evaluation summary of a trained version: aggregate and per-label metrics.

        Reads the summary file training wrote to S3 (``EvaluationResult.Summary``).

        Raises:
            ResultFileError: The version has no summary (training did not succeed), or
                the file is missing, unreadable or not in a documented shape.
        """
        return self._run(self._limited(self._evaluation(version)))

    def manifest_summary(self, version: ProjectVersion | str) -> ManifestSummary:
        """The manifest summary of a version: per-dataset line counts and errors.

        Raises:
            ResultFileError: The version has no manifest summary (training stopped on a
                manifest file error or a service error), or the file cannot be read.
        """
        return self._run(self._limited(self._manifest_summary(version)))

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
        return self._run(self._limited(self._compare(candidate, baseline)))

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
        return self._run(self._limited(self._latest_trained(arn, project_arn)))

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

        Raises:
            RequestValidationError: The request itself breaks a rule (checked first,
                as :meth:`create` checks it); the project is not asked.
        """
        return self._run(self._limited(self._preflight(request, if_exists)))


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
        raise Overdue
    succeeded, value = outcome[0]
    if succeeded:
        return cast("_T", value)
    raise cast("BaseException", value)
