"""Bounding boxes from Pascal VOC XML files."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rekog_versions.datasets._items import (
    OUTSIDE,
    Box,
    Item,
    Layout,
    Note,
    Skipped,
    boxed,
    clipped,
    is_image,
    join_uri,
    not_image,
    number,
    whole_number,
)
from rekog_versions.datasets._local import real_size

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["from_voc"]


def from_voc(
    folder: str | Path,
    *,
    images_uri: str,
    images: str | Path | None = None,
    skip_difficult: bool = False,
) -> Iterator[Item]:
    """Bounding boxes from Pascal VOC XML files (one ``.xml`` an image, in ``folder``).

    The image is the XML's ``filename`` (under ``images_uri``), its size the XML's
    ``size``; each ``object``'s ``name`` is a label and its ``bndbox`` (``xmin``,
    ``ymin``, ``xmax``, ``ymax``) the box. Boxes past the image are clipped or skipped
    as for COCO, and reported. An object marked ``<difficult>1</difficult>`` is kept, as
    AWS's and most converters read VOC, and the count of them is said once (a
    :class:`Note`); ``skip_difficult`` leaves each out, reported. ``<truncated>`` and
    ``<occluded>`` objects are boxes like any other.

    Args:
        folder: The folder of XML files.
        images_uri: Where the images are in S3.
        images: A local folder with the images (VOC's ``JPEGImages``): each one's header
            is then read, an image training would refuse is left out, and a size that
            differs from the XML's is reported and replaced by the real one.
        skip_difficult: Leave out the objects marked difficult.

    Raises:
        FileNotFoundError: ``folder`` is not a folder.
        ValueError: ``folder`` holds no ``.xml`` file.
    """
    local = None if images is None else Path(images)
    if not Path(folder).is_dir():
        raise FileNotFoundError(f"no such folder: {folder}")
    if not any(Path(folder).glob("*.xml")):
        inner = (
            " (its Annotations/ folder holds them?)"
            if (Path(folder) / "Annotations").is_dir()
            else ""
        )
        raise ValueError(
            f"{folder} has no .xml file{inner}: the layout read is a folder of Pascal VOC "
            "XML files, one an image (see the datasets guide's Pascal VOC page)"
        )
    kept = "skipped" if skip_difficult else "kept"
    yield Layout(f"voc: a folder of Pascal VOC XML files; objects marked difficult {kept}")
    difficult = [0]
    for path in sorted(Path(folder).glob("*.xml")):
        yield from _voc_file(path, images_uri, local, difficult if not skip_difficult else None)
    if difficult[0]:
        yield Note(
            f"{difficult[0]} objects marked <difficult> were kept as boxes "
            "(skip_difficult, or --skip-difficult, leaves them out)"
        )


def _voc_file(
    path: Path, images_uri: str, images: Path | None, difficult: list[int] | None
) -> Iterator[Item]:
    """One XML file's image and boxes.

    ``difficult`` counts the objects marked difficult, kept; ``None`` leaves them out.
    """
    import xml.etree.ElementTree as ET  # noqa: PLC0415 - only for this format

    where = path.name
    try:
        root = ET.parse(path).getroot()  # noqa: S314 - expat refuses entity bombs
    except ET.ParseError as error:
        yield Skipped(where, f"not XML: {error}")
        return
    file_name = (root.findtext("filename") or "").strip()
    if not file_name:
        yield Skipped(where, "has no <filename>")
        return
    if not is_image(file_name):
        yield not_image(file_name)
        return
    width, height, depth = (
        whole_number(root.findtext(f"size/{n}")) for n in ("width", "height", "depth")
    )
    if width is None or height is None or width <= 0 or height <= 0:
        yield Skipped(where, "has no usable <size> (width and height)")
        return
    if images is not None:
        real, note = real_size(images / file_name, (width, height))
        if note is not None:
            yield Skipped(where, note)
        if real is None:
            return
        width, height = real
    kept: list[Box] = []
    for index, element in enumerate(root.iter("object")):
        name = (element.findtext("name") or "").strip()
        corners = [
            number(element.findtext(f"bndbox/{n}")) for n in ("xmin", "ymin", "xmax", "ymax")
        ]
        if not name or None in corners:
            yield Skipped(f"{where}: object {index}", "has no name or no complete <bndbox>")
            continue
        if _marked(element.findtext("difficult")):
            if difficult is None:
                yield Skipped(f"{where}: object {index}", "marked difficult (skip_difficult)")
                continue
            difficult[0] += 1
        xmin, ymin, xmax, ymax = cast("list[float]", corners)
        box, note = clipped(name, xmin, ymin, xmax - xmin, ymax - ymin, width, height)
        if note is not None:
            yield Skipped(f"{where}: object {index}", note)
        if box is not None:
            kept.append(box)
    ref = join_uri(images_uri, file_name)
    if ref is None:
        yield Skipped(where, f"{file_name}: {OUTSIDE}")
        return
    yield boxed(where, ref, kept, (width, height), depth)


def _marked(flag: str | None) -> bool:
    """Whether ``<difficult>`` says so: ``1`` (or ``1.0``, ``true``), as tools write it."""
    text = (flag or "").strip().lower()
    return text == "true" or whole_number(text) == 1
