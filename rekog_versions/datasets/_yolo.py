"""Bounding boxes from a YOLO dataset."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, cast

from rekog_versions._validation import preview
from rekog_versions.datasets._items import (
    Box,
    Item,
    Skipped,
    boxed,
    clipped,
    is_image,
    join_uri,
    not_image,
    not_utf8,
    number,
    read_text,
    whole_number,
)
from rekog_versions.datasets._local import image_size

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["from_yolo"]


def _yolo_names(dataset: Path) -> list[str]:
    classes = dataset / "classes.txt"
    if classes.is_file():
        return [line.strip() for line in read_text(classes).splitlines() if line.strip()]
    data = dataset / "data.yaml"
    if not data.is_file():
        raise FileNotFoundError(f"{dataset} has neither classes.txt nor data.yaml")
    import yaml  # noqa: PLC0415 - the datasets extra

    try:
        loaded: object = yaml.safe_load(read_text(data))
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = "" if mark is None else f" (line {mark.line + 1}, column {mark.column + 1})"
        what = getattr(error, "problem", None) or error
        raise ValueError(f"{data} is not YAML: {what}{where}") from None
    names = cast("dict[str, object]", loaded).get("names") if isinstance(loaded, dict) else None
    if isinstance(names, list):
        return [str(name) for name in cast("list[object]", names)]
    if isinstance(names, dict):
        table = cast("dict[object, object]", names)
        if not all(type(key) is int for key in table):
            raise ValueError(f"{data}: the keys of names must be class ids (0, 1, ...)")
        ids = cast("dict[int, object]", table)
        return [str(ids[key]) for key in sorted(ids)]
    raise ValueError(f"{data} has no names (a list, or a mapping of class ids)")


def from_yolo(dataset: str | Path, *, images_uri: str) -> Iterator[Item]:
    """Bounding boxes from a YOLO dataset: ``images/``, ``labels/``, and the class names.

    The class names come from ``classes.txt`` (one a line) or ``data.yaml`` (``names``);
    each image's ``labels/<stem>.txt`` has a line ``class cx cy w h`` a box, in fractions
    of the image's size. Pixels need each image's real size, read from its header (see
    :func:`image_size`). Unknown class ids and malformed lines are skipped and reported;
    an image without a label file has no box and is skipped.

    Args:
        dataset: The folder with ``images/`` and ``labels/``.
        images_uri: Where ``images/``'s files are in S3.
    """
    base = Path(dataset)
    names = _yolo_names(base)
    images = base / "images"
    if not images.is_dir():
        raise FileNotFoundError(f"{base} has no images/ folder")
    for path in sorted(p for p in images.rglob("*") if p.is_file()):
        relative = path.relative_to(images).as_posix()
        if not is_image(relative):
            yield not_image(relative)
            continue
        try:
            width, height, depth = image_size(path)
        except ValueError as error:
            yield Skipped(relative, str(error))
            continue
        labels = base / "labels" / Path(relative).with_suffix(".txt")
        if not labels.is_file():
            yield Skipped(relative, f"no label file {labels.relative_to(base).as_posix()}")
            continue
        try:
            lines = labels.read_text(encoding="utf-8").splitlines()
        except UnicodeDecodeError as error:
            yield Skipped(labels.relative_to(base).as_posix(), f"is {not_utf8(error)}")
            continue
        kept: list[Box] = []
        for line_number, text in enumerate(lines, start=1):
            where = f"{labels.relative_to(base).as_posix()}:{line_number}"
            box, note = _yolo_box(text, names, (width, height))
            if note is not None:
                yield Skipped(where, note)
            if box is not None:
                kept.append(box)
        yield boxed(relative, join_uri(images_uri, relative), kept, (width, height), depth)


def _yolo_box(text: str, names: list[str], size: tuple[int, int]) -> tuple[Box | None, str | None]:
    fields = text.split()
    if not fields:
        return None, None
    if len(fields) != 5:  # the class and four coordinates
        return None, f"expected 'class cx cy w h', got {preview(text.strip())}"
    numbers = [number(field) for field in fields[1:]]
    class_id = whole_number(fields[0])
    if class_id is None or None in numbers:
        return None, f"expected numbers, got {preview(text.strip())}"
    if not 0 <= class_id < len(names):
        return None, f"unknown class id {class_id} ({len(names)} names)"
    cx, cy, w, h = cast("list[float]", numbers)
    width, height = size
    return clipped(
        names[class_id],
        round((cx - w / 2) * width, 3),
        round((cy - h / 2) * height, 3),
        round(w * width, 3),
        round(h * height, 3),
        width,
        height,
    )
