"""Reading a manifest as a stream of lines, from a local file or from S3.

Memory does not grow with the manifest: it is read in chunks, and a line longer than
the limit is skipped over without being kept whole.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar, cast

import attrs

from rekog_versions._aws import map_errors
from rekog_versions._retry import CLOCK, Retrying, RetryPolicy
from rekog_versions.errors import RekogVersionsError, ServiceError
from rekog_versions.models import S3Object

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from mypy_boto3_s3 import S3Client

__all__ = ["Inaccessible", "Opened", "iter_lines", "open_manifest", "retried"]

_T = TypeVar("_T")

CHUNK: Final = 1 << 20


class Inaccessible(Exception):  # noqa: N818 - internal signal, reported as a problem
    """The manifest cannot be read at all (missing, a directory, access denied, ...)."""


@attrs.frozen
class Opened:
    """An open manifest: where it is, its size if known, and how to read it."""

    name: str
    size: int | None
    read: Callable[[int], bytes]
    close: Callable[[], None]


def _open_local(path: str) -> Opened:
    try:  # is_dir() too raises for some names (one too long for the file system)
        if Path(path).is_dir():
            raise Inaccessible(f"{path} is a directory, not a manifest file")
        handle = Path(path).open("rb")  # noqa: SIM115 - closed by the caller through Opened.close
    except FileNotFoundError:
        raise Inaccessible(f"no such file: {path}") from None
    except OSError as error:
        raise Inaccessible(f"cannot open {path}: {error.strerror or error}") from None
    size = os.fstat(handle.fileno()).st_size
    return Opened(path, size, handle.read, handle.close)


def retried(call: Callable[[], _T], operation: str) -> _T:
    """``call()``, retried as the clients retry a call: by the one retry layer.

    S3's passing faults (a 5xx, ``SlowDown``, a dropped connection, a body shorter than
    it said) are tried again with backoff, within :class:`~rekog_versions.RetryPolicy`'s
    bounds; the error that is left is raised, the library's.
    """
    retrying = Retrying(RetryPolicy(), CLOCK.clock.monotonic())
    while True:
        try:
            with map_errors(operation):
                return call()
        except RekogVersionsError as error:  # noqa: PERF203 - the retry loop itself
            delay = retrying.after(error, CLOCK.clock.monotonic())
            if delay is None:
                raise
            CLOCK.clock.sleep(delay)


def _open_s3(location: S3Object, s3_client: Callable[[], S3Client]) -> Opened:
    client = s3_client()
    params: dict[str, Any] = {"Bucket": location.bucket, "Key": location.name}
    if location.version is not None:
        params["VersionId"] = location.version
    try:
        response = retried(lambda: client.get_object(**params), "GetObject")
    except ServiceError as error:
        if error.retryable:  # S3 failed, again and again: no verdict on the manifest
            raise
        # S3 answered about the object: no such object, access denied, ...
        raise Inaccessible(f"cannot read {location.uri}: {error}") from error
    body = response["Body"]
    size = response.get("ContentLength")

    def read(count: int) -> bytes:
        with map_errors("GetObject"):
            return body.read(count)

    length = cast("object", size)
    return Opened(location.uri, length if isinstance(length, int) else None, read, body.close)


def open_manifest(
    source: str | os.PathLike[str] | S3Object, *, s3_client: Callable[[], S3Client]
) -> Opened:
    """Open a local path, an ``s3://bucket/key[?versionId=...]`` URI or an S3Object.

    ``s3_client()`` gives the S3 client, built when first needed.
    """
    if isinstance(source, S3Object):
        return _open_s3(source, s3_client)
    text = os.fspath(source)
    if text.startswith("s3://"):
        try:
            location = S3Object.from_uri(text)
        except RekogVersionsError as error:
            raise Inaccessible(str(error)) from None
        return _open_s3(location, s3_client)
    return _open_local(text)


def iter_lines(read: Callable[[int], bytes], limit: int) -> Iterator[bytes | None]:
    r"""Yield each line's bytes (without ``\n``), or ``None`` for a line over ``limit`` bytes.

    A final line without a newline is yielded too; an empty file yields nothing.
    """
    pending = b""
    skipping = False
    while True:
        chunk = read(CHUNK)
        if not chunk:
            break
        start = 0
        while True:
            end = chunk.find(b"\n", start)
            if end == -1:
                break
            if skipping:
                skipping = False
                yield None
            elif pending:
                line = pending + chunk[start:end]
                pending = b""
                yield None if len(line) > limit else line
            else:
                yield None if end - start > limit else chunk[start:end]
            start = end + 1
        if skipping:
            continue
        rest = chunk[start:]
        if len(pending) + len(rest) > limit:
            pending = b""
            skipping = True
        else:
            pending += rest
    if skipping:
        yield None
    elif pending:
        yield pending
