"""Bounding boxes from a COCO instances file."""

from __future__ import annotations

import gc
import json
import math
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from rekog_versions._validation import preview
from rekog_versions.datasets._items import (
    OUTSIDE,
    Box,
    Item,
    Layout,
    Skipped,
    boxed,
    clipped,
    images_prefix,
    is_image,
    not_image,
    not_utf8,
    number,
    relative_key,
    whole,
)
from rekog_versions.datasets._local import real_size

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator, Mapping

__all__ = ["from_coco"]

_SEE: Final = "see the datasets guide's COCO page"

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
    prefix = images_prefix(images_uri)
    with _collector_paused():
        first, images_read = _read(Path(path), images, keep_crowds)
    crowds = "kept as boxes" if keep_crowds else "skipped"
    yield Layout(f"coco: an instances file (images, annotations, categories); crowds {crowds}")
    yield from first
    for index, each in enumerate(images_read):
        images_read[index] = None  # let each image's boxes go once it is given
        if isinstance(each, Skipped):
            yield each
        elif each is not None:
            yield from each.notes or ()
            key = relative_key(each.file_name)
            if key is None:
                yield Skipped(each.file_name, OUTSIDE)
                continue
            size = (each.width, each.height)
            yield boxed(each.file_name, prefix + key, each.boxes or [], size)


@attrs.define(eq=False, slots=True)
class _Image:
    """An image of the file as its annotations are read: its size, boxes and notes.

    Kept small, a quarter of a million of them beside the parsed file: the file's own
    strings and numbers, and a list made only when there is something to put in it.
    """

    file_name: str
    width: int
    height: int
    boxes: list[Box] | None = None
    notes: list[Skipped] | None = None

    def note(self, note: Skipped) -> None:
        """Add a note on the image, given before it."""
        if self.notes is None:
            self.notes = []
        self.notes.append(note)


def _read(
    path: Path, images: str | Path | None, keep_crowds: bool
) -> tuple[list[Skipped], list[_Image | Skipped | None]]:
    """The notes on the whole file, and each image with its boxes, in the file's order.

    Each annotation becomes a small record as it is parsed (its dict is never kept),
    and the parsed file is let go as it is read: each image's and each annotation's
    record is dropped once what the lines need of it is kept (a box is a small tuple).
    """
    where = str(path)
    try:
        # The standard library's parser, not orjson: as fast here with the collector
        # paused, and orjson's whole-document tree, built before the objects, took half
        # as much memory again at its peak (docs/performance.md). The text is read as
        # text, so that the file's bytes are gone before the objects are made.
        data = json.loads(path.read_text(encoding="utf-8-sig"), object_hook=_compact)
    except UnicodeDecodeError as error:
        raise ValueError(f"{where} is {not_utf8(error)}") from None
    except ValueError as error:  # JSONDecodeError, or an integer of over 4,300 digits
        raise ValueError(f"{where} is not JSON: {error}") from None
    except RecursionError:
        raise ValueError(f"{where} is not a COCO file: it is nested too deep") from None
    if not isinstance(data, dict):
        raise ValueError(f"{where} is not a COCO file: a JSON object was expected ({_SEE})")  # noqa: TRY004 - bad input
    document = cast("dict[str, Any]", data)
    notes: list[Skipped] = []
    names: dict[int | str, str] = {}
    categories, listed = (_records(document, key, where, notes) for key in ("categories", "images"))
    annotations = _annotations(document, where)
    document.clear()  # the records are in the lists above, to be let go one by one
    for category in categories:
        key, name = _id(category.get("id")), category.get("name")
        if key is None or type(name) is not str or not name:
            why = "has no id and name: the boxes of its id are skipped as unknown"
            notes.append(Skipped(f"{where}: category {preview(category)}", why))
        else:
            names[key] = name
    local = None if images is None else Path(images)
    read, by_id = _coco_images(listed, where, local)
    annotations.reverse()
    while annotations:  # in the file's order, each record let go once read
        image_id, category_id, bbox, iscrowd, number = annotations.pop()
        key = _id(image_id)
        if key is None:
            why = f"image_id is not an id: {preview(image_id)}"
            notes.append(Skipped(f"{where}: annotation {preview(number)}", why))
            continue
        wanted = _id(category_id)
        label = None if wanted is None else names.get(wanted)
        for image in by_id.get(key, ()):
            box, note = _coco_box(
                label, category_id, iscrowd if not keep_crowds else 0, bbox, image
            )
            if note is not None:
                image.note(Skipped(f"{image.file_name}: annotation {preview(number)}", note))
            if box is None:
                continue
            if image.boxes is None:
                image.boxes = [box]
            else:
                image.boxes.append(box)
    return notes, read


def _coco_images(
    images: list[dict[str, Any]], where: str, local: Path | None
) -> tuple[list[_Image | Skipped | None], dict[int | str, list[_Image]]]:
    """Each image record read (or why it is left out), and the images of each id."""
    read: list[_Image | Skipped | None] = []
    by_id: dict[int | str, list[_Image]] = {}
    images.reverse()
    while images:  # in the file's order, each record let go once read
        image = images.pop()
        file_name = image.get("file_name")
        width, height = whole(image.get("width")), whole(image.get("height"))
        if type(file_name) is not str or not file_name:
            read.append(Skipped(f"{where}: image {preview(image.get('id'))}", "has no file_name"))
            continue
        if not is_image(file_name):
            read.append(not_image(file_name))
            continue
        if width is None or height is None or width <= 0 or height <= 0:
            shown = f"({preview(image.get('width'))}, {preview(image.get('height'))})"
            read.append(Skipped(file_name, f"has no usable width and height {shown}"))
            continue
        noted = None
        if local is not None:
            real, note = real_size(local / file_name, (width, height))
            noted = None if note is None else [Skipped(file_name, note)]
            if real is None:
                read.extend(noted or ())
                continue
            width, height = real
        each = _Image(file_name, width, height, notes=noted)
        read.append(each)
        key = _id(image.get("id"))
        if key is not None:
            by_id.setdefault(key, []).append(each)
    return read, by_id


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


#: What a line needs of an annotation, made as it is parsed (a dict of it is four times
#: the size): ``image_id``, ``category_id``, ``bbox``, ``iscrowd`` and ``id``. The parser
#: makes lists, never tuples, so a tuple in the annotations is one of these.
_Annotation = tuple[object, object, object, object, object]


def _annotation(record: Mapping[str, Any]) -> _Annotation:
    """The members of an annotation's record that a line needs."""
    get = record.get
    return (get("image_id"), get("category_id"), get("bbox"), get("iscrowd"), get("id"))


def _compact(record: dict[str, Any]) -> dict[str, Any] | _Annotation:
    """Each JSON object as it is parsed: an annotation's as an :data:`_Annotation`."""
    if "bbox" in record and "image_id" in record:
        return _annotation(record)
    return record


def _list(document: Mapping[str, Any], key: str, where: str) -> list[object]:
    value = document.get(key)
    if not isinstance(value, list):
        raise ValueError(  # noqa: TRY004 - bad input
            f"{where} is not a COCO instances file: no {key!r} list (the layout read: "
            f"images, annotations and categories lists; {_SEE})"
        )
    return cast("list[object]", value)


def _records(
    document: Mapping[str, Any], key: str, where: str, notes: list[Skipped]
) -> list[dict[str, Any]]:
    """The objects of a member's list; a note in ``notes`` for anything else in it."""
    records: list[dict[str, Any]] = []
    for index, item in enumerate(_list(document, key, where)):
        if type(item) is dict:
            records.append(cast("dict[str, Any]", item))
        else:
            what = "an annotation's (bbox and image_id)" if type(item) is tuple else "no record"
            notes.append(Skipped(f"{where}: {key}[{index}]", f"is {what}, left out"))
    return records


def _annotations(document: Mapping[str, Any], where: str) -> list[_Annotation]:
    """The annotations, each as what a line needs (one without a ``bbox`` too)."""
    found: list[_Annotation] = []
    for item in _list(document, "annotations", where):
        if type(item) is tuple:
            found.append(cast("_Annotation", item))
        elif type(item) is dict:
            found.append(_annotation(cast("dict[str, Any]", item)))
    return found


def _id(value: object) -> int | str | None:
    """A COCO id: an integer (or a string, as some exporters write), else ``None``."""
    return value if type(value) is int or type(value) is str else None


def _coco_box(
    label: str | None, category_id: object, iscrowd: object, bbox: object, image: _Image
) -> tuple[Box | None, str | None]:
    """The box of one annotation, clipped to the image, and a note if it was changed.

    ``label`` is its category's name (``None`` for an unknown ``category_id``);
    ``iscrowd`` is 0 when crowds are kept.
    """
    if label is None:
        return None, f"unknown category_id {preview(category_id)}"
    if iscrowd and iscrowd != "0":
        return None, "a crowd region (iscrowd), which marks many objects, not one box"
    shown = bbox  # as written, whatever it is
    if type(bbox) is list and len(bbox) == 4:  # x, y, width, height  # pyright: ignore[reportUnknownArgumentType]
        x, y, w, h = cast("list[float]", bbox)
        try:
            numbers = (
                type(x) in _NUMBERS
                and type(y) in _NUMBERS
                and type(w) in _NUMBERS
                and type(h) in _NUMBERS
                and math.isfinite(x + y + w + h)
            )
        except OverflowError:  # an integer past any float: not a coordinate
            numbers = False
        if numbers:
            return clipped(label, x, y, w, h, image.width, image.height)
        # Numbers written as strings ("996.0000"), as some exporters write them.
        written: list[object] = [x, y, w, h]
        values = [_coordinate(value) for value in written]
        if None not in values and any(type(value) is str for value in written):
            left, top, width, height = cast("list[float]", values)
            return clipped(label, left, top, width, height, image.width, image.height)
    return None, f"bbox is not [x, y, width, height] in numbers: {preview(shown)}"


def _coordinate(value: object) -> float | None:
    """A coordinate: a number (not ``True``), or a finite number written as a string."""
    if type(value) in _NUMBERS:
        try:
            return float(cast("float", value))
        except OverflowError:  # an integer past any float
            return None
    return number(value) if type(value) is str else None
