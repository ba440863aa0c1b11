"""Both clients over real HTTP: LocalRekognition and moto's S3 server on loopback.

A :class:`Runner` calls a client's method by name and returns what it returned, so one
test body drives :class:`~rekog_versions.ProjectVersionsClient` and
:class:`~rekog_versions.AsyncProjectVersionsClient` alike; the async one runs each call to
its end in an event loop of its own. Each client builds its own botocore clients, and
finds the servers through the per-service endpoint variables.
"""

from __future__ import annotations

import asyncio
import os
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import pytest

from emulated import MotoServer
from manifest_lines import classification, good_classification
from rekog_versions import ProjectVersionsClient
from rekog_versions.testing import LocalRekognition

if TYPE_CHECKING:
    from collections.abc import Iterator

BUCKET = "both-clients"
KINDS = ("sync", "async")

try:
    import aiobotocore  # noqa: F401
except ImportError:
    # nox's tests-async session installs the extra and sets this: there, a skip is a failure.
    if os.environ.get("REKOG_VERSIONS_REQUIRE_ASYNC"):
        raise
    pytest.skip(
        "the async extra is not installed (nox -s tests-async installs it)",
        allow_module_level=True,
    )


class S3Server(MotoServer):
    """moto's S3 in server mode, with the manifests the scenarios train from."""

    def __init__(self) -> None:
        """Start it, with a good manifest and one of a single label."""
        one_label = [classification(f"i{i}.jpg", "cat") for i in range(20)]
        super().__init__(
            BUCKET, {"train.manifest": good_classification(20), "one-label.manifest": one_label}
        )


class Runner:
    """One kind of client, called by method name, synchronously."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.loop: asyncio.AbstractEventLoop | None = None
        if kind == "sync":
            self.client: Any = ProjectVersionsClient(region_name="us-east-1")
        else:
            from rekog_versions import AsyncProjectVersionsClient  # noqa: PLC0415

            self.loop = asyncio.new_event_loop()
            self.client = AsyncProjectVersionsClient(region_name="us-east-1")

    def __call__(self, method: str, *args: Any, **kwargs: Any) -> Any:
        result = getattr(self.client, method)(*args, **kwargs)
        if self.loop is not None:
            return self.loop.run_until_complete(result)
        return result

    def close(self) -> None:
        if self.loop is not None:
            self.loop.run_until_complete(self.client.aclose())
            self.loop.close()


@contextmanager
def http_world(
    monkeypatch: pytest.MonkeyPatch, s3: S3Server, **settings: Any
) -> Iterator[LocalRekognition]:
    """A LocalRekognition on loopback, reading from ``s3``; clients find both by variable."""
    with LocalRekognition(s3_client=s3.client, **settings) as local:
        monkeypatch.setenv("AWS_ENDPOINT_URL_REKOGNITION", local.endpoint_url)
        monkeypatch.setenv("AWS_ENDPOINT_URL_S3", s3.url)
        monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
        monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
        monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
        yield local


@contextmanager
def runner(kind: str) -> Iterator[Runner]:
    made = Runner(kind)
    try:
        yield made
    finally:
        made.close()


def create_project(local: LocalRekognition, name: str = "cats") -> str:
    return str(local.handle("CreateProject", {"ProjectName": name})["ProjectArn"])
