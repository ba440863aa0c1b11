"""Bounding boxes from a COCO instances file."""

from __future__ import annotations

import gc
import math
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import orjson

from rekog_versions._validation import preview
from rekog_versions.datasets._items import (
    Box,
    Item,
    Layout,
    Skipped,
    boxed,
    clipped,
    images_prefix,
    is_image,
    not_image,
    number,
    whole,
)
from rekog_versions.datasets._local import real_size

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator, Mapping

__all__ = ["from_coco"]

#: The types a coordinate may have (``bool`` is not one, although it is an ``int``).
_NUMBERS = (int, float)


def from_coco(
    path: str | Path,
    *,
    images_uri: str,
    images: str | Path | None = None,
    keep_crowds: bool = False,
) -> Iterator[Item]:
    """Bounding boxes from a COCO instances file (``annotations/instances_*.json``).

    Category names are the labels; COCO's ``bbox`` ``[x, y, width, height]`` is already
    left, top, width and height in pixels (numbers, or numbers written as strings, as
    some exporters write them). A crowd region (``iscrowd``) is skipped unless
    ``keep_crowds`` (it marks many objects, not one); a box reaching past its image is
    clipped to it, and one wholly outside is skipped; an image without a box left is
    skipped, since the service ignores such a line. Each is reported. Roboflow's
    exports (``_annotations.coco.json``, a category for the project that owns no box)
    read the same way.

    Args:
        path: The COCO JSON file.
        images_uri: Where the images' ``file_name`` paths are in S3.
        images: A local folder with the images: each one's header is then read, an image
            training would refuse is left out, and a size that differs from the file's
            is reported and replaced by the real one.
        keep_crowds: Keep crowd regions (``iscrowd: 1``) as boxes, each its ``bbox``.
    """
    # Read whole, with the cycle collector paused, inside this first step: the file makes
    # millions of objects and none is garbage. The collector runs again before the
    # first item is given back, so nothing outlives the call (a caller's code never
    # runs with it paused).
    with _collector_paused():
        items = _read(Path(path), images_prefix(images_uri), images, keep_crowds=keep_crowds)
    crowds = "kept as boxes" if keep_crowds else "skipped"
    yield Layout(f"coco: an instances file (images, annotations, categories); crowds {crowds}")
    yield from items


def _read(path: Path, prefix: str, images: str | Path | None, *, keep_crowds: bool) -> list[Item]:
    """Every item of a COCO file, in order; the parsed file is let go on return."""
    where = str(path)
    try:
        data = orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as error:
        raise ValueError(f"{where} is not JSON: {error}") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where} is not a COCO file: a JSON object was expected")  # noqa: TRY004 - bad input
    document = cast("dict[str, Any]", data)
    items: list[Item] = []
    names: dict[int | str, str] = {}
    for category in _records(document, "categories", where):
        key, name = _id(category.get("id")), category.get("name")
        if key is None or type(name) is not str or not name:
            note = "has no id and name: the boxes of its id are skipped as unknown"
            items.append(Skipped(f"{where}: category {preview(category)}", note))
        else:
            names[key] = name
    boxes: dict[int | str, list[dict[str, Any]]] = {}
    for annotation in _records(document, "annotations", where):
        key = _id(annotation.get("image_id"))
        if key is None:
            note = f"image_id is not an id: {preview(annotation.get('image_id'))}"
            items.append(Skipped(f"{where}: annotation {preview(annotation.get('id'))}", note))
        else:
            boxes.setdefault(key, []).append(annotation)
    listed = _records(document, "images", where)
    local = None if images is None else Path(images)
    items.extend(_coco_images(listed, boxes, names, prefix, where, local, keep_crowds))
    return items


def _coco_images(  # noqa: PLR0913, PLR0917 - the file's parts, and where the images are
    images: list[dict[str, Any]],
    boxes: Mapping[int | str, list[dict[str, Any]]],
    names: Mapping[int | str, str],
    prefix: str,
    where: str,
    local: Path | None,
    keep_crowds: bool,
) -> Iterator[Item]:
    for image in images:
        file_name = image.get("file_name")
        width, height = whole(image.get("width")), whole(image.get("height"))
        if type(file_name) is not str or not file_name:
            yield Skipped(f"{where}: image {preview(image.get('id'))}", "has no file_name")
            continue
        if not is_image(file_name):
            yield not_image(file_name)
            continue
        if width is None or height is None or width <= 0 or height <= 0:
            yield Skipped(
                file_name,
                "has no usable width and height "
                f"({preview(image.get('width'))}, {preview(image.get('height'))})",
            )
            continue
        if local is not None:
            real, note = real_size(local / file_name, (width, height))
            if note is not None:
                yield Skipped(file_name, note)
            if real is None:
                continue
            width, height = real
        kept: list[Box] = []
        key = _id(image.get("id"))
        for annotation in () if key is None else boxes.get(key, ()):
            box, note = _coco_box(annotation, names, (width, height), keep_crowds=keep_crowds)
            if note is not None:
                yield Skipped(f"{file_name}: annotation {preview(annotation.get('id'))}", note)
            if box is not None:
                kept.append(box)
        yield boxed(file_name, prefix + file_name.lstrip("/"), kept, (width, height))


@contextmanager
def _collector_paused() -> Generator[None, None, None]:
    """Pause Python's cycle collector while a large dataset becomes objects.

    Each collection walks the objects made since the last one, and a COCO file of a
    million boxes makes several million, none of them garbage: reading it with the
    collector paused takes half the time. The block must not yield: the collector is
    restarted when it ends, however it ends, unless it was off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _records(document: Mapping[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    value = document.get(key)
    if not isinstance(value, list):
        raise ValueError(f"{where} is not a COCO instances file: no {key!r} list")  # noqa: TRY004 - bad input
    items = cast("list[object]", value)
    return [cast("dict[str, Any]", item) for item in items if type(item) is dict]


def _id(value: object) -> int | str | None:
    """A COCO id: an integer (or a string, as some exporters write), else ``None``."""
    return value if type(value) is int or type(value) is str else None


def _coco_box(
    annotation: Mapping[str, Any],
    names: Mapping[int | str, str],
    size: tuple[int, int],
    *,
    keep_crowds: bool,
) -> tuple[Box | None, str | None]:
    """The box of one annotation, clipped to the image, and a note if it was changed."""
    key = _id(annotation.get("category_id"))
    name = None if key is None else names.get(key)
    if name is None:
        return None, f"unknown category_id {preview(annotation.get('category_id'))}"
    if annotation.get("iscrowd") and not keep_crowds:
        return None, "a crowd region (iscrowd), which marks many objects, not one box"
    bbox: object = annotation.get("bbox")
    if type(bbox) is list and len(bbox) == 4:  # x, y, width, height  # pyright: ignore[reportUnknownArgumentType]
        x, y, w, h = cast("list[float]", bbox)
        if (
            type(x) in _NUMBERS
            and type(y) in _NUMBERS
            and type(w) in _NUMBERS
            and type(h) in _NUMBERS
            and math.isfinite(x + y + w + h)
        ):
            return clipped(name, x, y, w, h, *size)
        # Numbers written as strings ("996.0000"), as some exporters write them.
        written: list[object] = [x, y, w, h]
        values = [_coordinate(value) for value in written]
        if None not in values and any(type(value) is str for value in written):
            left, top, width, height = cast("list[float]", values)
            return clipped(name, left, top, width, height, *size)
    return None, f"bbox is not [x, y, width, height] in numbers: {preview(annotation.get('bbox'))}"


def _coordinate(value: object) -> float | None:
    """A coordinate: a number (not ``True``), or a finite number written as a string."""
    if type(value) in _NUMBERS:
        return cast("float", value)
    return number(value) if type(value) is str else None
