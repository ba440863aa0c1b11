"""validate_manifest: the dataset rules on top of the line rules, streaming."""

from __future__ import annotations

import importlib.util
import os
import threading
import warnings
from collections import Counter
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs
import orjson

from rekog_versions._aws import translate
from rekog_versions.errors import ClientSideError, RekogVersionsError
from rekog_versions.manifests._images import Header, Unreadable, read_header
from rekog_versions.manifests._lines import (
    CLASSIFICATION,
    MODERATION,
    OBJECT_LOCALIZATION,
    LineChecker,
    LineStatus,
    declared_sizes,
)
from rekog_versions.manifests._reading import Inaccessible, iter_lines, open_manifest
from rekog_versions.manifests.report import (
    DatasetReport,
    LabelCount,
    ManifestProblem,
    ManifestReport,
    Severity,
)
from rekog_versions.models import S3Object
from rekog_versions.results import S3Location

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from mypy_boto3_s3 import S3Client

__all__ = ["ManifestProgress", "validate_manifest"]

MAX_MANIFEST_BYTES: Final = 1 << 30  # 1 GB
MAX_LINES: Final = 250_000
MAX_LINE_CHARACTERS: Final = 100_000
MAX_INVALID_FRACTION: Final = 0.20
MIN_LABELS: Final = {CLASSIFICATION: 2, OBJECT_LOCALIZATION: 1, MODERATION: 1}
MAX_LABELS: Final = 250
MAX_TEST_IMAGES_PER_LABEL: Final = 1000
MIN_LABEL_OVERLAP: Final = 0.5
MIN_IMAGES_FOR_AUTOSPLIT: Final = 2
PROGRESS_EVERY: Final = 10_000
IMAGE_WORKERS: Final = 16
MAX_IMAGE_WORKERS: Final = 1024  # a thread each: thousands fail to start on most machines
_BOM: Final = b"\xef\xbb\xbf"

Kind = Literal["custom-labels", "content-moderation"]
Source = str | os.PathLike[str] | S3Object | S3Location


@attrs.frozen(kw_only=True)
class ManifestProgress:
    """How far validation has got, for ``on_progress``."""

    dataset: str
    lines: int
    images_checked: int = 0
    images_to_check: int = 0
    done: bool = False


class _Problems:
    """Collects problems up to a limit, counting every one."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.kept: list[ManifestProblem] = []
        self.lines_kept = 0
        self.counts: Counter[str] = Counter()
        self.lock = threading.Lock()

    def __call__(self, problem: ManifestProblem) -> None:
        with self.lock:
            self.counts[problem.code] += 1
            self.add(problem)

    def add(self, problem: ManifestProblem) -> None:
        """Keep a problem already counted (or counted elsewhere), within the limit."""
        # Problems of a whole dataset are few and decide the verdict: always kept.
        if problem.line is None or self.lines_kept < self.limit:
            self.kept.append(problem)
            if problem.line is not None:
                self.lines_kept += 1


@attrs.define
class _Dataset:
    """Running statistics of one dataset while its lines stream by."""

    name: str
    source: str = ""
    size: int | None = None
    total: int = 0
    invalid: int = 0
    ignored: int = 0
    per_use_case: dict[str, int] = attrs.field(factory=dict[str, int])
    labels: dict[str, dict[str, list[int]]] = attrs.field(factory=dict[str, dict[str, list[int]]])
    """use case → label → [images, boxes]."""
    first_lines: dict[str, list[int]] = attrs.field(factory=dict[str, list[int]])
    buckets: dict[str, int] = attrs.field(factory=dict[str, int])
    """bucket → first line that uses it."""
    file_error: bool = False
    use_case: str = "NOT_DETERMINED"

    def count(self, use_case: str, labels: dict[str, int], sign: int = 1) -> None:
        table = self.labels.setdefault(use_case, {})
        for label, boxes in labels.items():
            entry = table.get(label)
            if entry is None:
                entry = table[label] = [0, 0]
            entry[0] += sign
            entry[1] += sign * boxes
        self.per_use_case[use_case] = self.per_use_case.get(use_case, 0) + sign

    def chosen_labels(self) -> dict[str, list[int]]:
        return {
            label: counts
            for label, counts in self.labels.get(self.use_case, {}).items()
            if counts[0] > 0
        }


class _ImageChecks:
    """Reads each referenced image's header (ranged GETs, in threads) while lines stream by.

    Checks what training checks of an image: it exists; it is a PNG or JPEG by its
    content; it is at most 15 MB; its sides are 64 to 4096 px with an aspect ratio of at
    most 20:1 (``ERROR_INVALID_IMAGE``, and the line counts as invalid). For a line with
    bounding boxes, it also compares the declared ``image_size`` with the real size, and
    the boxes with the real image (warnings: the library's reading).
    """

    def __init__(
        self,
        client: S3Client,
        dataset: _Dataset,
        checker: LineChecker,
        on_progress: Callable[[ManifestProgress], object] | None,
        workers: int,
    ) -> None:
        self.client = client
        self.dataset = dataset
        self.checker = checker
        self.on_progress = on_progress
        self.pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="rv-image")
        self.slots = threading.BoundedSemaphore(workers * 4)
        self.lock = threading.Lock()
        self.submitted = 0
        self.checked = 0
        self.seen: set[str] = set()
        self.failures: list[tuple[int, str, dict[str, int]]] = []

    def submit(
        self,
        line: int,
        source_ref: str,
        use_case: str,
        labels: dict[str, int],
        document: dict[str, Any],
    ) -> None:
        if source_ref in self.seen:
            return
        self.seen.add(source_ref)
        bucket, _, key = source_ref[5:].partition("/")
        declared = declared_sizes(document)
        self.slots.acquire()
        self.submitted += 1
        future = self.pool.submit(self._probe, bucket, key)
        future.add_done_callback(
            lambda done: self._done(done, line, source_ref, use_case, labels, declared)
        )

    def _probe(self, bucket: str, key: str) -> Header:
        def fetch(start: int, end: int) -> tuple[bytes, int]:
            response = self.client.get_object(
                Bucket=bucket, Key=key, Range=f"bytes={start}-{end - 1}"
            )
            body = response["Body"]
            try:
                data = body.read()
            finally:
                body.close()
            content_range = str(response.get("ContentRange") or "")
            total = content_range.rpartition("/")[2]
            return data, int(total) if total.isdigit() else len(data)

        return read_header(fetch)

    def _done(  # noqa: PLR0913, PLR0917 - a line's facts, and the image's
        self,
        future: Future[Header],
        line: int,
        source_ref: str,
        use_case: str,
        labels: dict[str, int],
        declared: list[tuple[str, int, int, list[tuple[float, ...]]]],
    ) -> None:
        try:
            problem = self._judge(future, source_ref, line, declared)
            if problem is not None:
                self._fail(line, use_case, labels, f"{source_ref} {problem}")
        finally:
            with self.lock:
                self.checked += 1
                checked = self.checked
            self.slots.release()
            if self.on_progress is not None and checked % 100 == 0:
                self.on_progress(
                    ManifestProgress(
                        dataset=self.dataset.name,
                        lines=self.dataset.total,
                        images_checked=checked,
                        images_to_check=self.submitted,
                    )
                )

    def _judge(
        self,
        future: Future[Header],
        source_ref: str,
        line: int,
        declared: list[tuple[str, int, int, list[tuple[float, ...]]]],
    ) -> str | None:
        """What makes the image unusable, or ``None``; warns about what may."""
        error = future.exception()
        if isinstance(error, Unreadable):
            return str(error)
        if error is not None:
            translated = translate(error, "GetObject")
            reason = str(translated) if translated is not None else repr(error)
            if "404" in reason or "NoSuchKey" in reason or "Not Found" in reason:
                reason = "it does not exist"
            return f"cannot be read: {reason}"
        header = future.result()
        problem = header.problem()
        if problem is not None:
            return problem
        for attribute, width, height, boxes in declared:
            if (width, height) != (header.width, header.height):
                self._warn(
                    "RV_IMAGE_SIZE_MISMATCH",
                    f"image_size says {width}x{height}, but {source_ref} is "
                    f"{header.width}x{header.height}: the boxes are judged against the "
                    "wrong size (the library's reading; the service does not document this)",
                    line,
                    f"{attribute}.image_size[0]",
                )
            for index, (left, top, box_width, box_height) in enumerate(boxes):
                if left + box_width > header.width or top + box_height > header.height:
                    self._warn(
                        "RV_BOX_OUTSIDE_IMAGE",
                        f"the box reaches past the real {header.width}x{header.height} "
                        f"image of {source_ref} (the library's reading: the service judges "
                        "boxes against image_size)",
                        line,
                        f"{attribute}.annotations[{index}]",
                    )
        return None

    def _warn(self, code: str, message: str, line: int, path: str) -> None:
        with self.lock:
            self.checker.problem(code, message, line, path, severity=Severity.WARNING)

    def _fail(self, line: int, use_case: str, labels: dict[str, int], message: str) -> None:
        with self.lock:
            self.checker.problem("ERROR_INVALID_IMAGE", message, line, "source-ref")
            self.failures.append((line, use_case, labels))

    def finish(self) -> None:
        self.pool.shutdown(wait=True)
        for _, use_case, labels in self.failures:
            # The line was counted valid when read; the image makes it invalid.
            self.dataset.count(use_case, labels, sign=-1)
            self.dataset.invalid += 1


class _Scan:
    """The per-line loop over a manifest, in this process, counting into a _Dataset."""

    def __init__(
        self,
        dataset: _Dataset,
        checker: LineChecker,
        images: _ImageChecks | None,
        on_progress: Callable[[ManifestProgress], object] | None,
    ) -> None:
        self.dataset = dataset
        self.checker = checker
        self.images = images
        self.on_progress = on_progress
        self.seen: set[str] = set()
        """The source-ref of every valid line: a repeated image is found exactly."""

    def run(self, lines: Iterable[bytes | None]) -> None:  # noqa: PLR0915
        dataset = self.dataset
        checker = self.checker
        images = self.images
        on_progress = self.on_progress
        seen = self.seen
        loads = orjson.loads
        check = checker.check
        valid, invalid = LineStatus.VALID, LineStatus.INVALID  # looked up once, not per line
        bucket_prefix = "\0"  # matches no source-ref: the first line sets it
        count = dataset.count
        first_lines = dataset.first_lines
        recorded: set[str] = set()  # use cases whose first lines are all noted
        number = dataset.total
        for line_bytes in lines:
            raw = line_bytes
            number += 1
            dataset.total = number
            if number == 1 and raw is not None and raw.startswith(_BOM):
                raw = raw[3:]
                checker.problem(
                    "RV_BYTE_ORDER_MARK",
                    "the file starts with a UTF-8 byte order mark; remove it, a JSON Lines "
                    "file has none",
                    1,
                    severity=Severity.WARNING,
                )
            if raw is not None and raw.endswith(b"\r"):
                raw = raw[:-1]
            if raw is None or (
                len(raw) > MAX_LINE_CHARACTERS
                and len(raw.decode("utf-8", "replace")) > MAX_LINE_CHARACTERS
            ):
                dataset.invalid += 1
                checker.problem(
                    "RV_LINE_TOO_LONG",
                    f"the line is longer than {MAX_LINE_CHARACTERS} characters",
                    number,
                )
                continue
            if not raw or raw.isspace():
                dataset.invalid += 1
                checker.problem(
                    "ERROR_INVALID_JSON_LINE",
                    "the line is blank; blank lines count as invalid dataset objects",
                    number,
                )
                continue
            try:
                document = loads(raw)
            except orjson.JSONDecodeError as error:
                dataset.invalid += 1
                checker.problem(
                    "ERROR_INVALID_JSON_LINE",
                    f"the JSON line has an invalid format: {error}",
                    number,
                )
                continue
            status, source_ref, use_case, labels = check(document, number)
            if (
                status is valid
                and source_ref is not None
                and use_case is not None
                and labels is not None
            ):
                if not source_ref.startswith(bucket_prefix):
                    bucket = source_ref[5 : source_ref.index("/", 5)]
                    bucket_prefix = f"s3://{bucket}/"
                    if bucket not in dataset.buckets:
                        dataset.buckets[bucket] = number
                if source_ref in seen:
                    _duplicate(checker, source_ref, number)
                    dataset.ignored += 1
                    continue
                seen.add(source_ref)
                count(use_case, labels)
                if use_case not in recorded:
                    firsts = first_lines.setdefault(use_case, [])
                    firsts.append(number)
                    if len(firsts) == 5:
                        recorded.add(use_case)
                if images is not None:
                    images.submit(number, source_ref, use_case, labels, document)
            elif status is invalid:
                dataset.invalid += 1
            else:
                dataset.ignored += 1
            if on_progress is not None and number % PROGRESS_EVERY == 0:
                on_progress(ManifestProgress(dataset=dataset.name, lines=number))


def _duplicate(checker: LineChecker, source_ref: str, line: int) -> None:
    checker.problem(
        "RV_DUPLICATE_SOURCE_REF",
        f"{source_ref} is referenced by an earlier line too; an image can only be referenced "
        "once in a dataset, and the service drops duplicates",
        line,
        "source-ref",
        severity=Severity.WARNING,
    )


def _read_dataset(  # noqa: PLR0913 - the options of validate_manifest
    source: Source,
    dataset: _Dataset,
    kind: Kind,
    problems: _Problems,
    *,
    s3_client: S3Client | None,
    make_client: Callable[[], S3Client],
    image_workers: int | None,
    on_progress: Callable[[ManifestProgress], object] | None,
) -> None:
    def file_problem(code: str, message: str) -> None:
        dataset.file_error = True
        problems(ManifestProblem(code=code, message=message, dataset=dataset.name))

    try:
        opened = open_manifest(source, s3_client=s3_client, make_client=make_client)
    except Inaccessible as error:
        dataset.source = source.uri if isinstance(source, S3Object | S3Location) else str(source)
        file_problem(
            "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT",
            f"the manifest file extension or contents are invalid: {error}",
        )
        return
    dataset.source = opened.name
    dataset.size = opened.size
    checker = LineChecker(dataset.name, kind, problems)
    images = None
    try:
        if opened.size is not None and opened.size > MAX_MANIFEST_BYTES:
            file_problem(
                "ERROR_MANIFEST_SIZE_TOO_LARGE",
                f"the manifest file size exceeds the maximum supported size: {opened.size} "
                "bytes (at most 1 GB)",
            )
            return
        if image_workers is not None:
            client = s3_client or make_client()
            images = _ImageChecks(client, dataset, checker, on_progress, image_workers)
        _Scan(dataset, checker, images, on_progress).run(
            iter_lines(_at_most(opened.read, MAX_MANIFEST_BYTES), MAX_LINE_CHARACTERS * 4)
        )
    except _TooLarge:
        file_problem(
            "ERROR_MANIFEST_SIZE_TOO_LARGE",
            f"the manifest file size exceeds the maximum supported size: more than "
            f"{MAX_MANIFEST_BYTES} bytes were read (at most 1 GB)",
        )
    except ClientSideError:
        raise  # this machine could not check the manifest: no verdict on it
    except (RekogVersionsError, OSError) as error:
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


def _dataset_problem(problems: _Problems, dataset: _Dataset, code: str, message: str) -> None:
    problems(ManifestProblem(code=code, message=message, dataset=dataset.name))


def _dataset_rules(
    dataset: _Dataset,
    problems: _Problems,
    kind: Kind,
    *,
    testing: bool,
    use_case: str | None = None,
) -> None:
    if dataset.file_error:
        return
    if dataset.total == 0:
        _dataset_problem(problems, dataset, "ERROR_EMPTY_MANIFEST", "the manifest file is empty")
        dataset.file_error = True
        return
    if dataset.total > MAX_LINES:
        _dataset_problem(
            problems,
            dataset,
            "ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM",
            f"the manifest file has too many rows: {dataset.total} (at most {MAX_LINES})",
        )
    counted = dataset.total - dataset.ignored
    if counted and dataset.invalid / counted > MAX_INVALID_FRACTION:
        _dataset_problem(
            problems,
            dataset,
            "ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST",
            f"the manifest file contains too many invalid rows: {dataset.invalid} of "
            f"{counted} lines ({dataset.invalid / counted:.1%}; more than 20% fails "
            "training; ignored lines do not count)",
        )
    if len(dataset.buckets) > 1:
        shown = ", ".join(
            f"{bucket} (line {line})" for bucket, line in list(dataset.buckets.items())[:5]
        )
        _dataset_problem(
            problems,
            dataset,
            "ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS",
            f"the manifest file contains images from multiple S3 buckets: {shown}",
        )
    use_cases = {case: n for case, n in dataset.per_use_case.items() if n > 0}
    if kind == "content-moderation":
        dataset.use_case = MODERATION
    elif use_case is not None:
        dataset.use_case = use_case  # the testing set follows the training set's type
    elif use_cases:
        # The service picks the model type from the lines and drops the other type's.
        dataset.use_case = max(
            use_cases, key=lambda case: (use_cases[case], case == OBJECT_LOCALIZATION)
        )
        dropped = {case: n for case, n in use_cases.items() if case != dataset.use_case}
        for case, count in dropped.items():
            lines = ", ".join(str(n) for n in dataset.first_lines.get(case, []))
            problems(
                ManifestProblem(
                    code="RV_MIXED_USE_CASES",
                    message=f"the manifest mixes {dataset.use_case} lines and {count} "
                    f"{case} lines (first: line {lines}); the service trains one model type, "
                    f"picked from the lines ({dataset.use_case} here), and drops the "
                    f"{case} lines",
                    severity=Severity.WARNING,
                    dataset=dataset.name,
                )
            )
    labels = dataset.chosen_labels()
    if dataset.use_case == "NOT_DETERMINED":
        return
    least = MIN_LABELS[dataset.use_case]
    mixed = len(use_cases) > 1
    if len(labels) < least:
        _dataset_problem(
            problems,
            dataset,
            "ERROR_MANIFEST_TOO_FEW_USABLE_LABELS" if mixed else "ERROR_MANIFEST_TOO_FEW_LABELS",
            f"the manifest file has too few {'usable ' if mixed else ''}labels: {len(labels)} "
            f"({dataset.use_case} needs at least {least})",
        )
    if len(labels) > MAX_LABELS:
        _dataset_problem(
            problems,
            dataset,
            "ERROR_MANIFEST_TOO_MANY_LABELS",
            f"the manifest file has too many labels: {len(labels)} (at most {MAX_LABELS})",
        )
    if testing:
        crowded = sorted(
            label for label, (images, _) in labels.items() if images > MAX_TEST_IMAGES_PER_LABEL
        )
        if crowded:
            _dataset_problem(
                problems,
                dataset,
                "RV_TOO_MANY_TEST_IMAGES_PER_LABEL",
                f"a testing dataset has at most {MAX_TEST_IMAGES_PER_LABEL} images a label; "
                f"over it: {', '.join(crowded[:10])}",
            )


def _report(dataset: _Dataset) -> DatasetReport:
    return DatasetReport(
        source=dataset.source,
        use_case=dataset.use_case,
        total_json_lines=dataset.total,
        valid_json_lines=dataset.total - dataset.invalid - dataset.ignored,
        invalid_json_lines=dataset.invalid,
        ignored_json_lines=dataset.ignored,
        labels={
            label: LabelCount(images=counts[0], boxes=counts[1])
            for label, counts in dataset.chosen_labels().items()
        },
        size_bytes=dataset.size,
    )


def validate_manifest(  # noqa: PLR0913 - every option is keyword-only
    source: Source,
    *,
    testing: Source | None = None,
    auto_split: bool = False,
    kind: Kind = "custom-labels",
    check_images: bool = False,
    image_workers: int = IMAGE_WORKERS,
    s3_client: S3Client | None = None,
    on_progress: Callable[[ManifestProgress], object] | None = None,
    max_problems: int = 10_000,
    max_issues: int | None = None,
) -> ManifestReport:
    """Check a training manifest (and its testing manifest) as the service would.

    Args:
        source: The training manifest: a local path, an ``s3://bucket/key`` URI
            (optionally ``?versionId=``), or an :class:`~rekog_versions.S3Object`.
        testing: The testing manifest, if there is one.
        auto_split: Whether the test set will be split off the training set
            (``TestingData.AutoCreate``); it cannot go with ``testing``.
        kind: ``custom-labels`` (Ground Truth image-level and bounding-box lines) or
            ``content-moderation`` (adapter lines with ``content-moderation-groundtruth``).
        check_images: Also read every referenced image's header (a ranged GET of its
            first 64 KB, more when a JPEG's size marker lies further) and check it as
            training does: it exists, is a PNG or JPEG by its content, is at most 15 MB,
            has sides of 64 to 4096 px and an aspect ratio of at most 20:1; an image
            that fails makes its line invalid (``ERROR_INVALID_IMAGE``), counted against
            the 20% limit. A bounding-box line's ``image_size`` and boxes are compared
            with the real image (warnings). Needs Pillow (the ``datasets`` extra).
        image_workers: How many images are read at once, 1 to 1,024, a thread each (16
            by default: S3 serves each GET in tens of milliseconds, so 16 threads keep a
            core busy parsing).
        s3_client: The boto3 S3 client for ``s3://`` manifests and images; built on first
            use if not given.
        on_progress: Called with a :class:`ManifestProgress` every 10,000 lines, during
            image checks, and when a dataset is done.
        max_problems: How many problems the report keeps (all are counted).
        max_issues: The former name of ``max_problems``, still accepted (deprecated).

    Returns:
        The report, whose ``ok`` says whether training would proceed.

    Raises:
        ValueError: The arguments contradict each other, name an unknown kind, or are
            out of range (``image_workers``).
        TypeError: ``source`` or ``testing`` is not a path, an ``s3://`` URI or an
            S3Object.
        ImportError: ``check_images`` without Pillow (the ``datasets`` extra).
        ClientSideError: This machine could not read an S3 manifest at all (network,
            credentials, region).

    A manifest that cannot be read (missing, a directory, access denied) is not an
    exception: the report carries the service's own terminal error for it,
    ``ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT``. But when this machine cannot
    check it at all (S3 unreachable, no credentials), that is no verdict on the manifest:
    the :class:`~rekog_versions.ClientSideError` is raised.
    """
    for given in (source,) if testing is None else (source, testing):
        if not isinstance(given, str | os.PathLike | S3Object | S3Location):  # pyright: ignore[reportUnnecessaryIsInstance]
            raise TypeError(
                f"a manifest is a path, an s3:// URI or an S3Object, got {type(given).__name__}"
            )
    if kind not in ("custom-labels", "content-moderation"):
        raise ValueError(f"kind must be 'custom-labels' or 'content-moderation', got {kind!r}")
    if auto_split and testing is not None:
        raise ValueError("auto_split splits the training manifest; give no testing manifest too")
    if max_issues is not None:
        warnings.warn("max_issues is now max_problems", DeprecationWarning, stacklevel=2)
        max_problems = max_issues
    if max_problems < 0:
        raise ValueError(f"max_problems must be 0 or more, got {max_problems}")
    if not 1 <= image_workers <= MAX_IMAGE_WORKERS:
        raise ValueError(f"image_workers must be 1 to {MAX_IMAGE_WORKERS}, got {image_workers}")
    if check_images and importlib.util.find_spec("PIL") is None:  # said before any work
        raise ImportError(
            "check_images reads image headers with Pillow: pip install 'rekog-versions[datasets]'",
            name="PIL",
        )
    problems = _Problems(max_problems)
    clients: list[S3Client] = []

    def make_client() -> S3Client:
        if not clients:
            from botocore.config import Config  # noqa: PLC0415

            from rekog_versions.client import ProjectVersionsClient  # noqa: PLC0415

            # A connection for each image read at once (botocore keeps 10 by default).
            pool = Config(max_pool_connections=max(10, image_workers))
            clients.append(ProjectVersionsClient(config=pool).s3)
        return clients[0]

    options: dict[str, Any] = {
        "s3_client": s3_client,
        "make_client": make_client,
        "image_workers": image_workers if check_images else None,
        "on_progress": on_progress,
    }
    training = _Dataset("training")
    _read_dataset(source, training, kind, problems, **options)
    _dataset_rules(training, problems, kind, testing=False)
    tested: _Dataset | None = None
    if testing is not None:
        tested = _Dataset("testing")
        _read_dataset(testing, tested, kind, problems, **options)
        _dataset_rules(
            tested,
            problems,
            kind,
            testing=True,
            use_case=None if training.use_case == "NOT_DETERMINED" else training.use_case,
        )
        _overlap(training, tested, problems)
    if auto_split and not training.file_error:
        _autosplit(training, problems)
    kept = sorted(
        problems.kept,
        key=lambda problem: (
            problem.line is not None,
            problem.dataset != "training",
            problem.line or 0,
        ),
    )
    return ManifestReport(
        ok=not any(problem.severity is Severity.ERROR and problem.line is None for problem in kept),
        kind=kind,
        training=_report(training),
        testing=None if tested is None else _report(tested),
        problems=tuple(kept),
        problem_counts=dict(problems.counts),
        truncated=sum(problems.counts.values()) > len(problems.kept),
    )


def _overlap(training: _Dataset, testing: _Dataset, problems: _Problems) -> None:
    if training.file_error or testing.file_error:
        return
    train_labels = set(training.chosen_labels())
    test_labels = set(testing.chosen_labels())
    if not train_labels:
        return
    overlap = len(train_labels & test_labels) / len(train_labels)
    if overlap < MIN_LABEL_OVERLAP:
        missing = sorted(train_labels - test_labels)
        problems(
            ManifestProblem(
                code="ERROR_INSUFFICIENT_LABEL_OVERLAP",
                message=f"less than 50% label overlap between the training and testing "
                f"manifest files: {overlap:.0%} of the training labels are in the testing "
                f"manifest; missing there: {', '.join(missing[:10])}",
                dataset="testing",
            )
        )


def _autosplit(training: _Dataset, problems: _Problems) -> None:
    scarce = sorted(
        label
        for label, (images, _) in training.chosen_labels().items()
        if images < MIN_IMAGES_FOR_AUTOSPLIT
    )
    if scarce:
        # The service names this error but not the number it needs (its quotas page asks
        # for 1 image a label): the library's reading, 2, is a warning, never a refusal.
        problems(
            ManifestProblem(
                code="ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT",
                message="the auto-split may fail with insufficient labeled images per label: "
                f"fewer than {MIN_IMAGES_FOR_AUTOSPLIT} images for {', '.join(scarce[:10])} "
                "(the split moves 20% of the images to the test set). This is the library's "
                "reading, not a documented limit: the service names the error but not the "
                "number, so training is not refused for it",
                severity=Severity.WARNING,
                dataset="training",
            )
        )
