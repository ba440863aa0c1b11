"""AsyncProjectVersionsClient: the client for asyncio, on aiobotocore.

The same operations as :class:`~rekog_versions.ProjectVersionsClient`, with the same
arguments, results and errors, awaited: both clients run one set of operations
(``rekog_versions._operations``) and differ only in how they send, pause and bound
them. Install it with the ``async`` extra (``pip install 'rekog-versions[async]'``);
aiobotocore is imported when the first client is built, not before.

>>> client = AsyncProjectVersionsClient(region_name="us-east-1")  # no AWS call yet
>>> client.retry.max_attempts
10
"""

from __future__ import annotations

import asyncio
import contextlib
from contextlib import AsyncExitStack
from typing import TYPE_CHECKING, Any, Literal, TypeVar, cast

from rekog_versions._aws import client_settings, map_errors
from rekog_versions._extras import require
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
from rekog_versions._retry import CLOCK
from rekog_versions.builder import RequestBuilder
from rekog_versions.client import ProjectVersionsClient
from rekog_versions.polling import WAIT_SLACK

if TYPE_CHECKING:
    from collections.abc import Callable, Coroutine, Iterable
    from types import TracebackType

    from aiobotocore.session import AioSession
    from botocore.config import Config
    from types_aiobotocore_rekognition import RekognitionClient
    from types_aiobotocore_s3 import S3Client
    from typing_extensions import Self

    from rekog_versions._retry import RetryPolicy
    from rekog_versions.errors import Problem
    from rekog_versions.gate import Comparison
    from rekog_versions.models import CreateProjectVersionRequest
    from rekog_versions.polling import PollResult
    from rekog_versions.results import EvaluationSummary, ManifestSummary, ProjectVersion

__all__ = ["AsyncProjectVersionsClient"]

_T = TypeVar("_T")
_F = TypeVar("_F", bound="Callable[..., Any]")


def _documented_as(synchronous: Callable[..., object]) -> Callable[[_F], _F]:
    """Give a method the documentation of its synchronous twin: they mean the same."""

    def document(method: _F) -> _F:
        method.__doc__ = (
            f"{synchronous.__doc__}\n\n"
            "        Awaited; see :meth:`rekog_versions.ProjectVersionsClient."
            f"{synchronous.__name__}`, which does the same without asyncio."
        )
        return method

    return document


class AsyncProjectVersionsClient(Operations):
    """Creates project versions, follows their training and reads their results, for asyncio.

    Args:
        client: An aiobotocore Rekognition client to use (already entered; the caller
            closes it). Without one, a client is built on first use from ``session`` (or
            a new aiobotocore session), ``region_name`` and ``config``, merged into the
            library's settings (each request sent once by botocore, all retries left to
            ``retry``; 10 s connect and 60 s read timeouts), and closed by
            :meth:`aclose` (or at the end of ``async with``).
        session: The aiobotocore session to build clients from.
        region_name: The region to build clients for.
        config: botocore settings to merge into the library's defaults.
        s3_client: The aiobotocore S3 client for reading result files; built like
            ``client`` if not given.
        retry: How this library retries (the only retry layer).

    Raises:
        TypeError: ``client`` or ``s3_client`` is a boto3 client, whose calls would block
            the event loop.

    Every method means what the synchronous client's method of the same name means, and
    raises the same errors::

        async with AsyncProjectVersionsClient(region_name="us-east-1") as client:
            arn = await client.create(request, if_exists="reuse")
            version = await client.wait(arn)

    Cancelling a task that awaits a method ends it at once: the request in flight is
    abandoned and nothing keeps running. A ``RequestBuilder`` that names its version
    ``auto`` reads the manifests' ETags with boto3 (in a worker thread, so that the loop
    is not blocked).
    """

    _awaited = True

    def __init__(  # noqa: PLR0913 - injectable collaborators, all keyword-only
        self,
        client: RekognitionClient | None = None,
        *,
        session: AioSession | None = None,
        region_name: str | None = None,
        config: Config | None = None,
        s3_client: S3Client | None = None,
        retry: RetryPolicy | None = None,
    ) -> None:
        """Set up the client; nothing is called and aiobotocore is not imported yet.

        Raises:
            MissingExtraError: aiobotocore is not installed (the ``async`` extra).
        """
        require("AsyncProjectVersionsClient", "async", "aiobotocore")
        super().__init__(retry, client, s3_client)
        self._client = client
        self._s3_client = s3_client
        self._session = session
        self._region_name = region_name
        self._config = config
        self._opened = AsyncExitStack()
        self._closed = False
        self._building: asyncio.Lock | None = None

    # -- clients -------------------------------------------------------------------

    async def __aenter__(self) -> Self:
        """Use the client in an ``async with`` block, which closes what it opened."""
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        """Close the clients this client built (never those it was given)."""
        await self.aclose()

    async def aclose(self) -> None:
        """Close the clients this client built (never those it was given); idempotent."""
        self._closed = True
        await self._opened.aclose()

    async def rekognition(self) -> RekognitionClient:
        """The aiobotocore Rekognition client, built on first use if none was given."""
        self._check_open()
        if self._client is None:
            self._client = cast("RekognitionClient", await self._build("rekognition"))
        return self._client

    async def s3(self) -> S3Client:
        """The aiobotocore S3 client for result files, built on first use if none was given."""
        self._check_open()
        if self._s3_client is None:
            self._s3_client = cast("S3Client", await self._build("s3"))
        return self._s3_client

    def _check_open(self) -> None:
        if self._closed:
            raise RuntimeError(
                "this AsyncProjectVersionsClient is closed (aclose, or the end of its "
                "async with block): make a new one"
            )

    async def _build(self, service: Literal["rekognition", "s3"]) -> object:
        if self._building is None:
            self._building = asyncio.Lock()
        async with self._building:  # tasks that start at once share one client
            built = self._client if service == "rekognition" else self._s3_client
            if built is not None:
                return built
            self._check_open()
            with map_errors(f"building a {service} client"):
                # Off the event loop: importing aiobotocore, reading the configuration and
                # loading the service's JSON models took 0.1 to 0.7 s on the loop.
                session, settings = await asyncio.to_thread(self._prepare, service)
                # The stubs type every service's overload; only some are installed.
                creating: Any = session.create_client(service, **settings)  # pyright: ignore[reportUnknownMemberType]
                return await self._opened.enter_async_context(creating)

    def _prepare(self, service: Literal["rekognition", "s3"]) -> tuple[AioSession, dict[str, Any]]:
        """In a thread: the session (one, kept) and the client's settings, models loaded.

        What a client's creation reads from disk is read here, into the session's
        caches, so that creating it on the loop finds it there.
        """
        from aiobotocore.config import AioConfig  # noqa: PLC0415
        from aiobotocore.session import get_session  # noqa: PLC0415

        if self._session is None:
            self._session = get_session()
        session = self._session
        settings = client_settings(
            service,
            region_name=self._region_name,
            beside=self._client,
            config=self._config,
            base=AioConfig(),
        )
        loader: Any = session.get_component("data_loader")  # it caches what it reads
        for kind in ("service-2", "endpoint-rule-set-1"):
            with contextlib.suppress(Exception):  # an older botocore has no rule set
                loader.load_service_model(service, kind)
        for name in ("endpoints", "partitions"):
            with contextlib.suppress(Exception):
                loader.load_data(name)
        return session, settings

    # -- running operations --------------------------------------------------------

    async def _run(self, steps: Steps[_T]) -> _T:
        """Run an operation's steps to their end, awaiting each effect they yield."""
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
                    value = await self._perform(effect)
                except Exception as failure:  # noqa: BLE001 - raised into the operation
                    error = failure
        finally:
            steps.close()

    async def _perform(self, effect: object) -> object:
        if isinstance(effect, Send):
            client: Any = await (
                self.rekognition() if effect.service == "rekognition" else self.s3()
            )
            check_region(effect, client)
            with map_errors(effect.operation):
                answer = await getattr(client, effect.method)(**effect.params)
                if effect.service == "s3":  # a result file: its body, read here
                    async with answer["Body"] as body:
                        answer = {**answer, "Body": await body.read()}
            return answer
        if isinstance(effect, Pause):
            await CLOCK.clock.sleep_async(effect.seconds)
            return None
        if isinstance(effect, Within):
            left = max(0.0, effect.deadline - CLOCK.clock.monotonic()) + WAIT_SLACK
            return await _within(self._run(effect.steps), left)
        if isinstance(effect, Together):  # side by side; the first error ends the others
            tasks = [asyncio.ensure_future(self._run(steps)) for steps in effect.steps]
            try:
                return await asyncio.gather(*tasks)
            finally:
                for task in tasks:
                    await _cancelled(task)
        raise TypeError(f"not an effect: {effect!r}")  # pragma: no cover

    async def _built(
        self, request: CreateProjectVersionRequest | RequestBuilder
    ) -> CreateProjectVersionRequest | RequestBuilder:
        """A builder built in a worker thread: an ``auto`` name reads ETags with boto3."""
        if isinstance(request, RequestBuilder):
            return await asyncio.to_thread(request.build)
        return request

    # -- the operations --------------------------------------------------------------

    @_documented_as(ProjectVersionsClient.create)
    async def create(
        self,
        request: CreateProjectVersionRequest | RequestBuilder,
        *,
        if_exists: Literal["error", "reuse"] = "error",
    ) -> str:
        """Start training a new version; return its ProjectVersionArn."""
        return await self._run(self._create(await self._built(request), if_exists))

    @_documented_as(ProjectVersionsClient.describe)
    async def describe(self, arn: str, *, project_arn: str | None = None) -> ProjectVersion:
        """The version's current state."""
        return await self._run(self._limited(self._describe(arn, project_arn)))

    @_documented_as(ProjectVersionsClient.poll)
    async def poll(
        self,
        arn: str,
        *,
        poll_interval: float | None = None,
        project_arn: str | None = None,
    ) -> PollResult:
        """One look at the version's training, without sleeping."""
        return await self._run(self._limited(self._poll(arn, poll_interval, project_arn)))

    @_documented_as(ProjectVersionsClient.wait)
    async def wait(
        self,
        arn: str,
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_change: Callable[[ProjectVersion], object] | None = None,
        project_arn: str | None = None,
    ) -> ProjectVersion:
        """Follow the version's training to its end and return its final state."""
        return await self._run(self._wait(arn, timeout, poll_interval, on_change, project_arn))

    @_documented_as(ProjectVersionsClient.wait_many)
    async def wait_many(
        self,
        arns: Iterable[str],
        *,
        timeout: float | None = None,
        poll_interval: float | None = None,
        on_change: Callable[[ProjectVersion], object] | None = None,
    ) -> dict[str, ProjectVersion]:
        """Follow several versions at once (each project's concurrently); return each."""
        return await self._run(self._wait_many(arns, timeout, poll_interval, on_change))

    @_documented_as(ProjectVersionsClient.evaluation)
    async def evaluation(self, version: ProjectVersion | str) -> EvaluationSummary:
        """The evaluation summary of a trained version: aggregate and per-label metrics."""
        return await self._run(self._limited(self._evaluation(version)))

    @_documented_as(ProjectVersionsClient.manifest_summary)
    async def manifest_summary(self, version: ProjectVersion | str) -> ManifestSummary:
        """The manifest summary of a version: per-dataset line counts and errors."""
        return await self._run(self._limited(self._manifest_summary(version)))

    @_documented_as(ProjectVersionsClient.compare)
    async def compare(
        self, candidate: ProjectVersion | str, baseline: ProjectVersion | str
    ) -> Comparison:
        """Two trained versions' evaluations side by side, aggregate and per label."""
        return await self._run(self._limited(self._compare(candidate, baseline)))

    @_documented_as(ProjectVersionsClient.latest_trained)
    async def latest_trained(
        self, arn: str, *, project_arn: str | None = None
    ) -> ProjectVersion | None:
        """The newest other version of ``arn``'s project whose training succeeded."""
        return await self._run(self._limited(self._latest_trained(arn, project_arn)))

    @_documented_as(ProjectVersionsClient.preflight)
    async def preflight(
        self,
        request: CreateProjectVersionRequest | RequestBuilder,
        *,
        if_exists: Literal["error", "reuse"] = "error",
    ) -> tuple[Problem, ...]:
        """Check the request against the live project; return what would make it fail.

        Raises:
            RequestValidationError: The request itself breaks a rule; the project is
                not asked.
        """
        return await self._run(
            self._limited(self._preflight(await self._built(request), if_exists))
        )


async def _within(steps: Coroutine[Any, Any, _T], seconds: float) -> _T:
    """``steps``' value, or :class:`Overdue` after ``seconds``; a cancellation always wins.

    Not ``asyncio.wait_for``: before Python 3.12 it returns the value instead of raising
    when it is cancelled just as the awaited task ends, so a cancelled wait went on.
    """
    task = asyncio.ensure_future(steps)
    try:
        done, _ = await asyncio.wait({task}, timeout=seconds)
    except asyncio.CancelledError:
        await _cancelled(task)
        raise
    if not done:
        await _cancelled(task)
        raise Overdue
    return task.result()


async def _cancelled(task: asyncio.Future[Any]) -> None:
    """Cancel ``task`` and let it end (it may close a connection) before going on."""
    task.cancel()
    await asyncio.wait({task})
