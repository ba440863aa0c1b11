"""Reading one manifest, line by line, in this process: what each line counts as.

:func:`read_dataset` opens a manifest (a path or S3), refuses what is too large, and runs
the :class:`Scan`: each line is parsed, checked by the line rules, and counted into the
dataset's statistics; with image checks, each valid line's image is read too.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, Any, Final

import orjson

from rekog_versions.errors import ClientSideError, RekogVersionsError
from rekog_versions.manifests._images import ImageChecks
from rekog_versions.manifests._lines import LineChecker, LineStatus
from rekog_versions.manifests._reading import Inaccessible, iter_lines, open_manifest
from rekog_versions.manifests._report import ManifestProgress
from rekog_versions.models import S3Object
from rekog_versions.results import Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from mypy_boto3_s3 import S3Client

    from rekog_versions._defaults import Feature
    from rekog_versions.manifests._datasets import Dataset, Problems

__all__ = ["MAX_LINE_CHARACTERS", "MAX_MANIFEST_BYTES", "PROGRESS_EVERY", "Source", "read_dataset"]

MAX_MANIFEST_BYTES: Final = 1 << 30  # 1 GB
MAX_LINE_CHARACTERS: Final = 100_000
PROGRESS_EVERY: Final = 10_000
_BOM: Final = b"\xef\xbb\xbf"

#: What names a manifest: a local path, an ``s3://`` URI, or an S3 object.
Source = str | os.PathLike[str] | S3Object


class _Skip:
    """A line that never reached the line rules (too long, blank, not JSON)."""


_SKIPPED: Final = _Skip()


class Scan:
    """The per-line loop over a manifest, counting into a :class:`Dataset`."""

    def __init__(
        self,
        dataset: Dataset,
        checker: LineChecker,
        images: ImageChecks | None,
        on_progress: Callable[[ManifestProgress], object] | None,
    ) -> None:
        """Count ``checker``'s verdicts into ``dataset``; check images with ``images``."""
        self.dataset = dataset
        self.checker = checker
        self.images = images
        self.on_progress = on_progress
        self.seen: set[str] = set()
        """The source-ref of every valid line: a repeated image is found exactly."""
        self._bucket_prefix = "\0"  # matches no source-ref: the first line sets it
        self._recorded: set[str] = set()  # use cases whose first lines are all noted

    def run(self, lines: Iterable[bytes | None]) -> None:
        """Read every line: parse it, check it, count it.

        The loop runs for each of up to 250,000 lines, so a line that parses and passes
        goes the short way, counted here; only a line that does not parse (too long,
        blank, a byte order mark, not JSON) is looked at closely, by :meth:`_parse`, and
        the rare cases of a valid line (a new bucket, a repeated image) by helpers.
        """
        dataset = self.dataset
        check = self.checker.check
        loads, decode_error = orjson.loads, orjson.JSONDecodeError
        count, seen, images = dataset.count, self.seen, self.images
        on_progress = self.on_progress
        valid, invalid = LineStatus.VALID, LineStatus.INVALID  # looked up once, not per line
        number = dataset.total
        for raw in lines:
            number += 1
            dataset.total = number
            if raw is not None and 0 < len(raw) <= MAX_LINE_CHARACTERS:
                try:
                    document = loads(raw)
                except decode_error:
                    document = self._parse(raw, number)
            else:
                document = self._parse(raw, number)
            if document is not _SKIPPED:
                status, source_ref, use_case, labels = check(document, number)
                if status is not valid:
                    if status is invalid:
                        dataset.invalid += 1
                    else:
                        dataset.ignored += 1
                elif not source_ref.startswith(self._bucket_prefix):
                    self._new_bucket(source_ref, number)
                if status is valid:
                    if source_ref in seen:
                        self._repeated(source_ref, number)
                    else:
                        seen.add(source_ref)
                        count(use_case, labels)
                        if use_case not in self._recorded:
                            self._first_line(use_case, number)
                        if images is not None:
                            images.submit(number, source_ref, use_case, labels, document)
            if on_progress is not None and number % PROGRESS_EVERY == 0:
                on_progress(ManifestProgress(dataset=dataset.name, lines=number))

    def _parse(self, raw: bytes | None, number: int) -> Any:  # noqa: ANN401 - a JSON value
        """A line that did not parse at once: its JSON, or its problem and a skip."""
        if raw is not None and raw.endswith(b"\r"):  # a CRLF line: the \r is not counted
            raw = raw[:-1]
        if number == 1 and raw is not None and raw.startswith(_BOM):
            raw = raw[len(_BOM) :]
            self.checker.problem(
                "RV_BYTE_ORDER_MARK",
                "the file starts with a UTF-8 byte order mark; remove it, a JSON Lines file "
                "has none",
                1,
                severity=Severity.WARNING,
            )
        if raw is None or (
            len(raw) > MAX_LINE_CHARACTERS
            and len(raw.decode("utf-8", "replace")) > MAX_LINE_CHARACTERS
        ):
            return self._skip(
                "RV_LINE_TOO_LONG",
                f"the line is longer than {MAX_LINE_CHARACTERS} characters",
                number,
            )
        if not raw or raw.isspace():
            return self._skip(
                "ERROR_INVALID_JSON_LINE",
                "the line is blank; blank lines count as invalid dataset objects",
                number,
            )
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as error:
            return self._skip(
                "ERROR_INVALID_JSON_LINE", f"the JSON line has an invalid format: {error}", number
            )

    def _skip(self, code: str, message: str, number: int) -> _Skip:
        self.dataset.invalid += 1
        self.checker.problem(code, message, number)
        return _SKIPPED

    def _new_bucket(self, source_ref: str, number: int) -> None:
        """A valid line's image in another bucket than the line before's: note it."""
        bucket = source_ref[5 : source_ref.index("/", 5)]
        self._bucket_prefix = f"s3://{bucket}/"
        self.dataset.buckets.setdefault(bucket, number)

    def _repeated(self, source_ref: str, number: int) -> None:
        """A valid line's image given by an earlier line: ignored, with a warning."""
        self.checker.problem(
            "RV_DUPLICATE_SOURCE_REF",
            f"{source_ref} is referenced by an earlier line too; an image can only be "
            "referenced once in a dataset, and the service drops duplicates",
            number,
            "source-ref",
            severity=Severity.WARNING,
        )
        self.dataset.ignored += 1

    def _first_line(self, use_case: str, number: int) -> None:
        """Note the first lines of each use case (five), to name them in a warning."""
        firsts = self.dataset.first_lines.setdefault(use_case, [])
        firsts.append(number)
        if len(firsts) == 5:
            self._recorded.add(use_case)


class _TooLarge(Exception):  # noqa: N818 - internal signal, reported as a problem
    """More bytes than a manifest may have were read (a device, a file still growing)."""


def _at_most(read: Callable[[int], bytes], limit: int) -> Callable[[int], bytes]:
    """``read``, raising _TooLarge once more than ``limit`` bytes came from it.

    The size the file system reports is checked first; this catches what it cannot tell
    (``/dev/zero``, a pipe, a file that grows while it is read).
    """
    total = 0

    def bounded(count: int) -> bytes:
        nonlocal total
        chunk = read(count)
        total += len(chunk)
        if total > limit:
            raise _TooLarge
        return chunk

    return bounded


def _too_large(size: int | None) -> str:
    read = (
        f"{size} bytes" if size is not None else f"more than {MAX_MANIFEST_BYTES} bytes were read"
    )
    return (
        f"the manifest file size exceeds the maximum supported size: {read} "
        f"(at most {MAX_MANIFEST_BYTES // (1 << 30)} GB)"
    )


def read_dataset(  # noqa: PLR0913 - the options of validate_manifest
    source: Source,
    dataset: Dataset,
    feature: Feature,
    problems: Problems,
    *,
    s3_client: Callable[[], S3Client],
    image_workers: int | None,
    on_progress: Callable[[ManifestProgress], object] | None,
) -> None:
    """Read one manifest into ``dataset``, reporting every problem to ``problems``.

    A manifest that cannot be read is the service's terminal error, recorded as a
    problem; when this machine cannot reach S3 at all, the ``ClientSideError`` is raised.
    """

    def file_problem(code: str, message: str) -> None:
        dataset.file_error = True
        problems(dataset.problem(code, message))

    try:
        opened = open_manifest(source, s3_client=s3_client)
    except Inaccessible as error:
        dataset.source = source.uri if isinstance(source, S3Object) else str(source)
        file_problem(
            "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT",
            f"the manifest file extension or contents are invalid: {error}",
        )
        return
    dataset.source = opened.name
    dataset.size = opened.size
    if opened.size is not None and opened.size > MAX_MANIFEST_BYTES:
        opened.close()
        file_problem("ERROR_MANIFEST_SIZE_TOO_LARGE", _too_large(opened.size))
        return
    checker = LineChecker(dataset.name, feature, problems)
    images = None
    try:  # from here on, whatever fails closes the file (or the S3 body) first
        if image_workers is not None:
            images = ImageChecks(s3_client(), dataset, checker, on_progress, image_workers)
        lines = iter_lines(_at_most(opened.read, MAX_MANIFEST_BYTES), MAX_LINE_CHARACTERS * 4)
        Scan(dataset, checker, images, on_progress).run(lines)
    except _TooLarge:
        file_problem("ERROR_MANIFEST_SIZE_TOO_LARGE", _too_large(None))
    except ClientSideError:
        raise  # this machine could not check the manifest: no verdict on it
    except (RekogVersionsError, OSError) as error:
        if images is not None and error is images.fatal:
            raise  # S3 could not be read for the image checks: no verdict either
        file_problem(
            "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT",
            f"reading {dataset.source} failed after {dataset.total} lines: {error}",
        )
    finally:
        opened.close()
        if images is not None:
            images.finish()
    if on_progress is not None:
        on_progress(
            ManifestProgress(
                dataset=dataset.name,
                lines=dataset.total,
                images_checked=images.checked if images else 0,
                images_to_check=images.submitted if images else 0,
                done=True,
            )
        )
