"""What a dataset reader yields, and the helpers every reader shares.

Each reader yields :class:`LabeledImage` items, and a :class:`Skipped` note for
everything it leaves out, never silently; :func:`~rekog_versions.datasets.make_manifest`
writes the items as manifest lines.
"""

from __future__ import annotations

import math
import posixpath
from pathlib import PurePosixPath
from typing import TYPE_CHECKING, Final, NamedTuple, cast

import attrs

from rekog_versions._validation import preview
from rekog_versions.models import S3Object

if TYPE_CHECKING:
    from collections.abc import Callable
    from pathlib import Path

__all__ = [
    "IMAGE_SUFFIXES",
    "OUTSIDE",
    "TESTING",
    "TRAINING",
    "Box",
    "Item",
    "LabeledImage",
    "Layout",
    "Note",
    "Skipped",
    "boxed",
    "clipped",
    "images_prefix",
    "is_image",
    "join_uri",
    "not_image",
    "not_utf8",
    "number",
    "read_text",
    "relative_key",
    "whole_number",
]

#: The extensions of the image formats the service trains on (PNG and JPEG).
IMAGE_SUFFIXES: Final = frozenset({".jpg", ".jpeg", ".png"})


class Box(NamedTuple):
    """A bounding box in pixels: ``left`` and ``top`` of its upper-left corner, its size.

    A named tuple: a dataset can hold millions, made and read in a tight loop.
    """

    label: str
    left: float
    top: float
    width: float
    height: float


#: ``tuple.__new__``: a :class:`Box` made without the Python-level ``__new__`` of a named
#: tuple's class, a million times in a large dataset.
_box = cast("Callable[[type[Box], tuple[str, float, float, float, float]], Box]", tuple.__new__)  # pyright: ignore[reportUnknownMemberType]


@attrs.frozen
class LabeledImage:
    """One image and its labels, as a manifest line will carry them.

    Attributes:
        source_ref: The image's ``s3://`` URI.
        labels: Its image-level labels (a classification line, one attribute a label).
        boxes: Its bounding boxes (a detection line); ``None`` for image-level labels.
        size: Its width and height in pixels; a detection line needs them.
        depth: Its number of channels.
        split: The manifest the dataset itself puts it in, :data:`TRAINING` or
            :data:`TESTING` (a Roboflow or Ultralytics export's own splits); ``None`` to
            leave it to :func:`~rekog_versions.datasets.make_manifest`'s split.
    """

    source_ref: str
    labels: tuple[str, ...] = ()
    boxes: tuple[Box, ...] | None = None
    size: tuple[int, int] | None = None
    depth: int = 3
    split: str | None = None

    @property
    def names(self) -> tuple[str, ...]:
        """Every label the image carries, image-level or on a box, each once, sorted."""
        if self.boxes is None:
            return tuple(sorted(set(self.labels)))
        return tuple(sorted({box.label for box in self.boxes}))


@attrs.frozen
class Skipped:
    """Something a conversion left out, where it was and why (never silently)."""

    where: str
    reason: str

    def __str__(self) -> str:
        """``where: reason``."""
        return f"{self.where}: {self.reason}"


@attrs.frozen
class Layout:
    """How a reader read its dataset, said once, before its first image.

    Attributes:
        name: The layout recognised, with what told it apart (``csv: one box a row
            (filename, width, height, class, xmin, ymin, xmax, ymax)``).
        split: The dataset's own split, when it has one and the reader follows it
            (``train -> training; valid, test -> testing``); ``None`` when it has none.
    """

    name: str
    split: str | None = None


@attrs.frozen
class Note:
    """Something a reader did to the whole dataset, said once (polygons read as boxes)."""

    text: str


#: A :class:`LabeledImage`'s ``split`` when the dataset puts it in the training manifest.
TRAINING: Final = "training"
#: A :class:`LabeledImage`'s ``split`` when the dataset puts it in the testing manifest.
TESTING: Final = "testing"

#: What a reader yields: an image with its labels, a note of what it left out, the
#: layout it read, or a note about the whole dataset.
Item = LabeledImage | Skipped | Layout | Note


def images_prefix(images_uri: str) -> str:
    """``images_uri`` checked, ending in one ``/``: the start of every ``source-ref``."""
    prefix = images_uri.rstrip("/") + "/"
    S3Object.from_uri(prefix + "x")  # a bad URI fails here, named
    return prefix


#: Why an image whose relative path leaves the images' folder is left out.
OUTSIDE: Final = "its path leaves the images' folder ('..'), so its place in S3 is not known"


def relative_key(relative: str) -> str | None:
    """A relative path as the key under the images' prefix (``./`` and ``..`` resolved).

    ``None`` when it leaves the prefix: an S3 key is taken literally, so
    ``s3://b/images/./a.jpg`` is not ``s3://b/images/a.jpg``.
    """
    key = relative.lstrip("/")
    if "." in key and ("/./" in f"/{key}/" or "/../" in f"/{key}/"):
        key = posixpath.normpath(key)
        if key in (".", "..") or key.startswith("../"):
            return None
    return key


def join_uri(images_uri: str, relative: str) -> str | None:
    """The ``s3://`` URI of a dataset's file at ``relative`` under ``images_uri``.

    ``None`` when ``relative`` leaves ``images_uri`` (see :func:`relative_key`).
    """
    key = relative_key(relative)
    return None if key is None else images_prefix(images_uri) + key


def is_image(name: str) -> bool:
    """Whether ``name`` ends in ``.jpg``, ``.jpeg`` or ``.png`` (any case)."""
    dot = name.rfind(".")
    return dot > name.rfind("/") and name[dot:].lower() in IMAGE_SUFFIXES


def not_image(where: str) -> Skipped:
    """The note for a file that is not a PNG or JPEG."""
    suffix = PurePosixPath(where).suffix.lower() or "no extension"
    return Skipped(where, f"not a PNG or JPEG ({suffix}); the service trains on PNG and JPEG")


def boxed(  # noqa: PLR0913 - an image's parts
    where: str,
    source_ref: str,
    boxes: list[Box],
    size: tuple[int, int],
    depth: int | None = 3,
    *,
    split: str | None = None,
) -> LabeledImage | Skipped:
    """The image with its boxes; or, when none is left, a note (the service ignores it)."""
    if not boxes:
        return Skipped(where, "no bounding box left (the service ignores such lines)")
    return LabeledImage(
        source_ref=source_ref,
        boxes=tuple(boxes),
        size=size,
        depth=depth if depth in (1, 3) else 3,
        split=split,
    )


def clipped(  # noqa: PLR0913, PLR0917 - a box and its image, in a tight loop
    name: str,
    left: float,
    top: float,
    width: float,
    height: float,
    image_width: float,
    image_height: float,
) -> tuple[Box | None, str | None]:
    """The box clipped to the image, or ``None``; and a note when it was changed.

    A box of numbers that are not finite, or whose sums are not (``1e308``), is ``None``.
    """
    right, bottom = left + width, top + height
    if (
        left >= 0
        and top >= 0
        and right <= image_width
        and bottom <= image_height
        and width > 0
        and height > 0
    ):
        return _box(Box, (name, left, top, width, height)), None  # inside: the usual case
    if not all(math.isfinite(value) for value in (left, top, right, bottom)):
        return None, (
            f"the box {preview(name)} ({left:g}, {top:g}, {width:g} x {height:g}) is not "
            "in finite numbers"
        )
    new_left, new_top = max(left, 0), max(top, 0)
    new_right, new_bottom = min(right, image_width), min(bottom, image_height)
    if new_right <= new_left or new_bottom <= new_top:
        return None, (
            f"the box {preview(name)} ({left:g}, {top:g}, {width:g} x {height:g}) is outside "
            f"the {image_width:g} x {image_height:g} image, or empty"
        )
    box = Box(name, new_left, new_top, new_right - new_left, new_bottom - new_top)
    return box, f"the box {preview(name)} reached past the image and was clipped to it"


def not_utf8(error: UnicodeDecodeError) -> str:
    """What is wrong with a file's text that is not UTF-8, in words."""
    return f"not UTF-8 text (byte {error.object[error.start]:#04x})"


def read_text(path: Path) -> str:
    """A small text file's contents (a byte-order mark dropped), or a ValueError naming it."""
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: {not_utf8(error)}") from None


def number(text: str | None) -> float | None:
    """A finite number written in ASCII digits, or ``None``.

    Python's ``float`` also takes ``1_0`` and other scripts' digits (``١٢``), which no
    dataset means as numbers.
    """
    if text is not None and ("_" in text or not text.isascii()):
        return None
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if math.isfinite(value) else None


#: The largest whole number read from a dataset (a size, a class id): the largest 32-bit
#: integer. No image comes near it, and a manifest's numbers stay within what every JSON
#: reader takes (``1e20`` is a whole number that orjson cannot write).
MAX_WHOLE: Final = 2**31 - 1


def whole(value: object) -> int | None:
    """A whole number (``640``, or ``640.0``) from 0 to :data:`MAX_WHOLE`, else ``None``."""
    if type(value) is float and value.is_integer():
        value = int(value)
    return value if type(value) is int and 0 <= value <= MAX_WHOLE else None


def whole_number(text: str | None) -> int | None:
    """A whole number written as text (``640`` or ``640.0``), as :func:`whole`, or ``None``."""
    return whole(number(text))
