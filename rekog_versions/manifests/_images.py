"""An image's header, read as training judges it: format by content, bytes, sides.

One place for what makes an image unusable, for the images in S3 that
``validate_manifest(check_images=True)`` reads with ranged GETs (:class:`ImageChecks`)
and for the local files that the dataset converters read (:func:`local_header`).
"""

from __future__ import annotations

import io
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from rekog_versions._aws import translate
from rekog_versions.errors import ClientSideError, RekogVersionsError, ServiceError
from rekog_versions.manifests._lines import declared_sizes, dimension_problem
from rekog_versions.manifests._reading import retried
from rekog_versions.manifests._report import ManifestProgress
from rekog_versions.results import Severity

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_s3 import S3Client

    from rekog_versions.manifests._datasets import Dataset
    from rekog_versions.manifests._lines import LineChecker

__all__ = [
    "MAX_IMAGE_BYTES",
    "Header",
    "ImageChecks",
    "Unreadable",
    "local_header",
    "read_header",
]

#: The largest image training takes ([CLG:limits]).
MAX_IMAGE_BYTES: Final = 15 * 1024 * 1024

#: How much of an image is read first: enough for a PNG's header and for a JPEG's size
#: marker behind a usual EXIF block. When the marker lies further (large EXIF, XMP or
#: ICC blocks), the read grows to HEADER_RETRY bytes, then to the whole image.
HEADER_BYTES: Final = 64 * 1024
HEADER_RETRY: Final = 1024 * 1024


class Unreadable(Exception):  # noqa: N818 - the image cannot be used, and why
    pass


@attrs.frozen
class Header:
    """An image's format (Pillow's name), sides in pixels, size in bytes, and channels."""

    format: str
    width: int
    height: int
    size: int
    depth: int = 3

    def problem(self) -> str | None:
        """What makes this image unusable for training, or ``None`` ([CLG:limits])."""
        if self.format not in ("PNG", "JPEG"):
            return f"is {self.format}, not PNG or JPEG (whatever its name)"
        if self.size > MAX_IMAGE_BYTES:
            return f"is {self.size} bytes; an image is at most 15 MB"
        dimensions = dimension_problem(self.width, self.height)
        return None if dimensions is None else f"is {dimensions}"


def read_header(fetch: Callable[[int, int], tuple[bytes, int]]) -> Header:
    """An image's format and dimensions from its first bytes, read lazily with Pillow.

    ``fetch(start, end)`` returns the image's bytes from ``start`` up to ``end`` (fewer at
    its end) and its whole size. A read that grows asks only for the bytes it lacks, and
    a read that asked for the whole image is the last, whatever came back.
    """
    from PIL import Image, UnidentifiedImageError  # noqa: PLC0415 - the datasets extra

    data = b""
    wanted = HEADER_BYTES
    while True:
        more, total = fetch(len(data), wanted)
        data += more
        try:
            opened: Any = _opened(data)  # Pillow's annotations leave parts unknown
            with opened as image:
                bands = len(image.getbands())
                return Header(str(image.format), int(image.width), int(image.height), total, bands)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning):
            # Only an image of another format gets here (PNG and JPEG are read without
            # Pillow's check), one of more pixels than Pillow opens unasked.
            raise Unreadable(
                "is not a PNG or JPEG (and has more pixels than Pillow opens)"
            ) from None
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            if wanted >= total or not more:  # all of it was asked for: it is not an image
                raise Unreadable(f"is not a readable PNG or JPEG ({error})") from None
        wanted = HEADER_RETRY if wanted < HEADER_RETRY else total


#: How a PNG and a JPEG begin, whatever the file's name.
_PNG: Final = b"\x89PNG\r\n\x1a\n"
_JPEG: Final = b"\xff\xd8\xff"


def _opened(data: bytes) -> object:
    """The image in ``data``, opened without decoding it, by its content.

    A PNG or a JPEG is opened by its own reader: so its size is read however large it
    claims to be (``Image.open`` refuses more than 179 million pixels, and the service's
    limits judge the size), and a JPEG that carries more pictures (an MPF index, as
    phones write for a depth map) is a JPEG, not Pillow's MPO. Anything else is opened
    by ``Image.open``, for its format's name.
    """
    from PIL import Image, JpegImagePlugin, PngImagePlugin  # noqa: PLC0415 - datasets extra

    if data.startswith(_PNG):
        return PngImagePlugin.PngImageFile(io.BytesIO(data))
    if data.startswith(_JPEG):
        return JpegImagePlugin.JpegImageFile(io.BytesIO(data))
    return Image.open(io.BytesIO(data))


def local_header(path: str | Path) -> Header:
    """The header of a local image file, read as :func:`read_header` reads one from S3.

    Raises:
        Unreadable: The file is not a readable PNG or JPEG (or cannot be opened).
    """
    try:
        with Path(path).open("rb") as file:
            total = Path(path).stat().st_size

            def fetch(start: int, end: int) -> tuple[bytes, int]:
                file.seek(start)
                return file.read(end - start), total

            return read_header(fetch)
    except OSError as error:
        raise Unreadable(f"cannot be read: {error.strerror or error}") from None


#: S3's answers for an object that is not there: a GET's code, and a ranged or HEAD
#: answer's bare status.
_NOT_FOUND: Final = frozenset({"NoSuchKey", "NotFound", "404"})

#: Declared sizes and boxes of a line: ``(attribute, width, height, boxes)``.
Declared = list[tuple[str, int, int, list[tuple[float, ...]]]]


class ImageChecks:
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
        dataset: Dataset,
        checker: LineChecker,
        on_progress: Callable[[ManifestProgress], object] | None,
        workers: int,
    ) -> None:
        """Check the images of ``dataset``'s lines with ``workers`` threads."""
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
        self.fatal: RekogVersionsError | None = None
        """What stopped the checks: S3 failing, not an image being wrong."""

    def submit(
        self,
        line: int,
        source_ref: str,
        use_case: str,
        labels: dict[str, int],
        document: dict[str, Any],
    ) -> None:
        """Read the header of a valid line's image, unless an earlier line's is read.

        Raises:
            RekogVersionsError: S3 could not be read (after retries): no verdict is made.
        """
        if self.fatal is not None:
            raise self.fatal
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
        def get(start: int, end: int) -> tuple[bytes, int]:
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

        def fetch(start: int, end: int) -> tuple[bytes, int]:  # S3's passing faults retried
            return retried(lambda: get(start, end), "GetObject")

        return read_header(fetch)

    def _done(  # noqa: PLR0913, PLR0917 - a line's facts, and the image's
        self,
        future: Future[Header],
        line: int,
        source_ref: str,
        use_case: str,
        labels: dict[str, int],
        declared: Declared,
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
        self, future: Future[Header], source_ref: str, line: int, declared: Declared
    ) -> str | None:
        """What makes the image unusable, or ``None``; warns about what may."""
        error = future.exception()
        if isinstance(error, Unreadable):
            return str(error)
        if error is not None:
            translated = (
                error if isinstance(error, RekogVersionsError) else translate(error, "GetObject")
            )
            if isinstance(translated, ServiceError) and (
                translated.code in _NOT_FOUND or translated.http_status == 404
            ):
                return "cannot be read: it does not exist"
            # S3 failing (no connection, no credentials, a 5xx after retries, access
            # denied to this machine) is no verdict on the image: it stops the checks.
            with self.lock:
                if self.fatal is None:
                    self.fatal = translated or ClientSideError(f"GetObject {source_ref}: {error!r}")
            return None
        header = future.result()
        problem = header.problem()
        if problem is None:
            self._compare(header, source_ref, line, declared)
        return problem

    def _compare(self, header: Header, source_ref: str, line: int, declared: Declared) -> None:
        """Warn where a line's declared size or boxes do not fit its real image."""
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

    def _warn(self, code: str, message: str, line: int, path: str) -> None:
        with self.lock:
            self.checker.problem(code, message, line, path, severity=Severity.WARNING)

    def _fail(self, line: int, use_case: str, labels: dict[str, int], message: str) -> None:
        with self.lock:
            self.checker.problem("ERROR_INVALID_IMAGE", message, line, "source-ref")
            self.failures.append((line, use_case, labels))

    def finish(self) -> None:
        """Wait for every read; count the lines whose image failed as invalid.

        Raises:
            RekogVersionsError: S3 could not be read: the checks stopped, no verdict.
        """
        self.pool.shutdown(wait=True)
        if self.fatal is not None:
            raise self.fatal
        for _, use_case, labels in self.failures:
            # The line was counted valid when read; the image makes it invalid.
            self.dataset.count(use_case, labels, sign=-1)
            self.dataset.invalid += 1
