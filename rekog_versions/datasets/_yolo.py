"""Bounding boxes from a YOLO dataset."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import attrs

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
    from collections.abc import Iterable, Iterator

__all__ = ["from_yolo"]


@attrs.frozen
class _Names:
    """Each class id's name, and why an id in the list or mapping has none."""

    named: dict[int, str]
    unnamed: dict[int, str]
    source: str
    """The file the names are read from, as messages name it."""


def _name(value: object, where: str) -> str | None:
    """A label from a class's name; why not (a reason) if the name is missing or not text."""
    if isinstance(value, str) and value.strip():
        return None
    return f"its name in {where} is {'empty' if isinstance(value, str) else preview(value)}"


def _names(pairs: Iterable[tuple[int, object]], where: str) -> _Names:
    named: dict[int, str] = {}
    unnamed: dict[int, str] = {}
    for class_id, value in pairs:
        reason = _name(value, where)
        if reason is None:
            named[class_id] = cast("str", value).strip()
        else:
            unnamed[class_id] = f"class id {class_id} has no name: {reason}"
    return _Names(named, unnamed, where)


def _yolo_names(dataset: Path) -> _Names:
    """Class id N's name: line N of ``classes.txt`` (blank lines counted), or ``names[N]``."""
    classes = dataset / "classes.txt"
    if classes.is_file():
        return _names(enumerate(read_text(classes).splitlines()), "classes.txt")
    data = dataset / "data.yaml"
    if not data.is_file():
        raise FileNotFoundError(f"{dataset} has neither classes.txt nor data.yaml")
    loaded = load_yaml(data)
    names = cast("dict[str, object]", loaded).get("names") if isinstance(loaded, dict) else None
    if isinstance(names, list):
        return _names(enumerate(cast("list[object]", names)), "data.yaml")
    if isinstance(names, dict):
        table = cast("dict[object, object]", names)
        if not all(type(key) is int for key in table):
            raise ValueError(f"{data}: the keys of names must be class ids (0, 1, ...)")
        return _names(sorted(cast("dict[int, object]", table).items()), "data.yaml")
    raise ValueError(f"{data} has no names (a list, or a mapping of class ids)")


def load_yaml(path: Path) -> object:
    """A YAML file's document, read safely and without aliases.

    An alias (``*name``) repeats what its anchor holds, so a few hundred bytes of nested
    aliases can stand for gigabytes; a dataset's ``data.yaml`` has no need of them, so
    one is refused where it stands, before anything is expanded.

    Raises:
        ValueError: The file is not YAML, or holds an alias; naming the file and where.
    """
    import yaml  # noqa: PLC0415 - the datasets extra

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401 - PyYAML's
            if self.check_event(yaml.AliasEvent):
                loader: Any = self  # peek_event is untyped in the stubs
                mark: Any = loader.peek_event().start_mark
                raise ValueError(
                    f"{path} uses a YAML alias (line {mark.line + 1}, column "
                    f"{mark.column + 1}); aliases are not read: write the names out"
                )
            return super().compose_node(parent, index)

    try:
        return yaml.load(read_text(path), Loader=NoAliases)  # noqa: S506 - a SafeLoader
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = "" if mark is None else f" (line {mark.line + 1}, column {mark.column + 1})"
        what = getattr(error, "problem", None) or error
        raise ValueError(f"{path} is not YAML: {what}{where}") from None


def from_yolo(dataset: str | Path, *, images_uri: str) -> Iterator[Item]:
    """Bounding boxes from a YOLO dataset: ``images/``, ``labels/``, and the class names.

    The class names come from ``classes.txt`` (class id N is line N, blank lines
    counted) or ``data.yaml`` (``names[N]``, of a list or of a mapping of class ids); a
    class id without a name (a blank line, a missing or non-string name) is no label:
    its boxes are skipped with the reason. Each image's ``labels/<stem>.txt`` has a line
    ``class cx cy w h`` a box, in fractions of the image's size. Pixels need each
    image's real size, read from its header (see :func:`image_size`). Unknown class
    ids and malformed lines are skipped and reported; an image without a label file has
    no box and is skipped.

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


def _yolo_box(text: str, names: _Names, size: tuple[int, int]) -> tuple[Box | None, str | None]:
    fields = text.split()
    if not fields:
        return None, None
    if len(fields) != 5:  # the class and four coordinates
        return None, f"expected 'class cx cy w h', got {preview(text.strip())}"
    numbers = [number(field) for field in fields[1:]]
    class_id = whole_number(fields[0])
    if class_id is None or None in numbers:
        return None, f"expected numbers, got {preview(text.strip())}"
    name = names.named.get(class_id)
    if name is None:
        unknown = f"class id {class_id} has no name in {names.source}"
        return None, names.unnamed.get(class_id, unknown)
    cx, cy, w, h = cast("list[float]", numbers)
    width, height = size
    return clipped(
        name,
        round((cx - w / 2) * width, 3),
        round((cy - h / 2) * height, 3),
        round(w * width, 3),
        round(h * height, 3),
        width,
        height,
    )
