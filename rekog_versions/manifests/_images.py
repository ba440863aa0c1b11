"""An image's header, read as training judges it: format by content, bytes, sides.

One place for what makes an image unusable, for the images in S3 that
``validate_manifest(check_images=True)`` reads with ranged GETs and for the local files
that the dataset converters read.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from rekog_versions.manifests._lines import dimension_problem

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = ["MAX_IMAGE_BYTES", "Header", "Unreadable", "local_header", "read_header"]

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
            opened: Any = Image.open(io.BytesIO(data))  # Pillow's annotations leave parts unknown
            with opened as image:
                bands = len(image.getbands())
                return Header(str(image.format), int(image.width), int(image.height), total, bands)
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            if wanted >= total or not more:  # all of it was asked for: it is not an image
                raise Unreadable(f"is not a readable PNG or JPEG ({error})") from None
        wanted = HEADER_RETRY if wanted < HEADER_RETRY else total


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
