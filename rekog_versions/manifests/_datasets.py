"""Datasets as people have them, read into labelled images for :func:`make_manifest`.

Each ``from_*`` function yields :class:`LabeledImage` items, and a :class:`Skipped` note
for everything it leaves out (an unsupported file, a box outside its image, an unknown
class), never silently. Image paths become ``s3://`` URIs under ``images_uri``: the
dataset is read here, the images are where training will read them.
"""

from __future__ import annotations

import gc
import math
from contextlib import contextmanager
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any, cast

import orjson

from rekog_versions._validation import preview
from rekog_versions.manifests._images import Unreadable, local_header
from rekog_versions.manifests._make import IMAGE_SUFFIXES, Box, LabeledImage, Skipped
from rekog_versions.models import S3Object

if TYPE_CHECKING:
    from collections.abc import Generator, Iterator, Mapping

    from mypy_boto3_s3 import S3Client

__all__ = ["from_coco", "from_csv", "from_folders", "from_voc", "from_yolo", "image_size"]

Item = LabeledImage | Skipped


def _prefix(images_uri: str) -> str:
    """``images_uri`` checked, ending in one ``/``: the start of every ``source-ref``."""
    prefix = images_uri.rstrip("/") + "/"
    S3Object.from_uri(prefix + "x")  # a bad URI fails here, named
    return prefix


def _join(images_uri: str, relative: str) -> str:
    return _prefix(images_uri) + relative.lstrip("/")


def _is_image(name: str) -> bool:
    """Whether ``name`` ends in ``.jpg``, ``.jpeg`` or ``.png`` (any case)."""
    dot = name.rfind(".")
    return dot > name.rfind("/") and name[dot:].lower() in IMAGE_SUFFIXES


def _not_image(where: str) -> Skipped:
    suffix = PurePosixPath(where).suffix.lower() or "no extension"
    return Skipped(where, f"not a PNG or JPEG ({suffix}); the service trains on PNG and JPEG")


# -- folders named by label --------------------------------------------------------


def from_folders(
    root: str | Path,
    *,
    images_uri: str | None = None,
    s3_client: S3Client | None = None,
    check_images: bool = False,
) -> Iterator[Item]:
    """Image-level labels from folder names, as the console's "folder name as label".

    Each image's label is the name of the folder that holds it, at any depth: in
    ``cats/black/1.jpg`` the label is ``black`` (each nested folder is a label of its
    own). Images directly in ``root`` have no label and are skipped.

    Args:
        root: A local folder that mirrors where the images are in S3, or an
            ``s3://bucket/prefix/`` listed directly.
        images_uri: Where ``root``'s files are in S3 (``s3://bucket/prefix/``); for a
            local ``root`` only.
        s3_client: The boto3 S3 client to list an ``s3://`` root; built if not given.
        check_images: For a local root, read each image's header (with Pillow) and skip,
            with its reason, an image training would refuse: not a PNG or JPEG by its
            content, over 15 MB, sides outside 64 to 4096 px or wider than 20:1. Before
            anything is uploaded; for images already in S3, see ``validate_manifest``'s
            ``check_images``.

    Raises:
        ValueError: A local root without ``images_uri``, or an S3 root with one.
        FileNotFoundError: A local root that is not a folder.
    """
    text = str(root)
    if text.startswith("s3://"):
        if images_uri is not None:
            raise ValueError("images_uri is for a local root; an s3:// root is where they are")
        if check_images:
            raise ValueError(
                "check_images reads local files; for images in S3, validate the manifest "
                "with check_images=True"
            )
        yield from _s3_folders(text, s3_client)
        return
    if images_uri is None:
        raise ValueError("a local root needs images_uri: where its files are in S3")
    base = Path(root)
    if not base.is_dir():
        raise FileNotFoundError(f"no such folder: {base}")
    prefix = _prefix(images_uri)
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        relative = path.relative_to(base).as_posix()
        item = _folder_item(relative, prefix + relative)
        if check_images and isinstance(item, LabeledImage):
            problem = _local_problem(path)
            if problem is not None:
                item = Skipped(relative, problem)
        yield item


def _real_size(path: Path, declared: tuple[int, int]) -> tuple[tuple[int, int] | None, str | None]:
    """A local image's real size (``None`` if training would refuse it), and a note.

    The note says why the image is left out, or that its real size differs from
    ``declared`` (the boxes are then judged against the real one).
    """
    try:
        header = local_header(path)
    except Unreadable as error:
        return None, f"{path.name} {error}"
    problem = header.problem()
    if problem is not None:
        return None, f"{path.name} {problem}"
    real = (header.width, header.height)
    if real != declared:
        return real, (
            f"the annotation says {declared[0]}x{declared[1]}, but {path.name} is "
            f"{real[0]}x{real[1]}: the real size is written, and the boxes judged against it"
        )
    return real, None


def _local_problem(path: Path) -> str | None:
    """What makes a local image unusable for training, or ``None``."""
    try:
        return local_header(path).problem()
    except Unreadable as error:
        return str(error)


def _folder_item(relative: str, uri: str) -> Item:
    parts = PurePosixPath(relative).parts
    if not _is_image(relative):
        return _not_image(relative)
    if len(parts) < 2:
        return Skipped(relative, "not in a folder, so it has no label")
    return LabeledImage(source_ref=uri, labels=(parts[-2],))


def _s3_folders(root: str, s3_client: S3Client | None) -> Iterator[Item]:
    from rekog_versions._aws import build_s3_client, map_errors  # noqa: PLC0415

    bucket, _, prefix = _prefix(root)[5:].partition("/")  # a whole bucket, or a prefix
    client = s3_client or build_s3_client()
    with map_errors("ListObjectsV2"):
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        keys = sorted(item.get("Key", "") for page in pages for item in page.get("Contents", []))
    for key in keys:
        if key.endswith("/"):
            continue  # a folder marker
        yield _folder_item(key[len(prefix) :], f"s3://{bucket}/{key}")


def _boxed(
    where: str, source_ref: str, boxes: list[Box], size: tuple[int, int], depth: int | None = 3
) -> Item:
    """The image with its boxes; or, when none is left, a note (the service ignores it)."""
    if not boxes:
        return Skipped(where, "no bounding box left (the service ignores such lines)")
    return LabeledImage(
        source_ref=source_ref,
        boxes=tuple(boxes),
        size=size,
        depth=depth if depth in (1, 3) else 3,
    )


# -- COCO --------------------------------------------------------------------------


def from_coco(
    path: str | Path, *, images_uri: str, images: str | Path | None = None
) -> Iterator[Item]:
    """Bounding boxes from a COCO instances file (``annotations/instances_*.json``).

    Category names are the labels; COCO's ``bbox`` ``[x, y, width, height]`` is already
    left, top, width and height in pixels. A crowd region (``iscrowd``) is skipped (it
    marks many objects, not one); a box reaching past its image is clipped to it, and one
    wholly outside is skipped; an image without a box left is skipped, since the service
    ignores such a line. Each is reported.

    Args:
        path: The COCO JSON file.
        images_uri: Where the images' ``file_name`` paths are in S3.
        images: A local folder with the images: each one's header is then read, an image
            training would refuse is left out, and a size that differs from the file's
            is reported and replaced by the real one.
    """
    where = str(path)
    prefix = _prefix(images_uri)
    with _collector_paused():  # millions of objects made, none of them garbage
        try:
            data = orjson.loads(Path(path).read_bytes())
        except orjson.JSONDecodeError as error:
            raise ValueError(f"{where} is not JSON: {error}") from None
        if not isinstance(data, dict):
            raise ValueError(f"{where} is not a COCO file: a JSON object was expected")  # noqa: TRY004 - bad input
        document = cast("dict[str, Any]", data)
        names: dict[int | str, str] = {}
        for category in _records(document, "categories", where):
            key, name = _id(category.get("id")), category.get("name")
            if key is None or type(name) is not str or not name:
                note = "has no id and name: the boxes of its id are skipped as unknown"
                yield Skipped(f"{where}: category {preview(category)}", note)
            else:
                names[key] = name
        boxes: dict[int | str, list[dict[str, Any]]] = {}
        for annotation in _records(document, "annotations", where):
            key = _id(annotation.get("image_id"))
            if key is None:
                note = f"image_id is not an id: {preview(annotation.get('image_id'))}"
                yield Skipped(f"{where}: annotation {preview(annotation.get('id'))}", note)
            else:
                boxes.setdefault(key, []).append(annotation)
        listed = _records(document, "images", where)
        local = None if images is None else Path(images)
        yield from _coco_images(listed, boxes, names, prefix, where, local)


def _coco_images(  # noqa: PLR0913, PLR0917 - the file's parts, and where the images are
    images: list[dict[str, Any]],
    boxes: Mapping[int | str, list[dict[str, Any]]],
    names: Mapping[int | str, str],
    prefix: str,
    where: str,
    local: Path | None,
) -> Iterator[Item]:
    for image in images:
        file_name = image.get("file_name")
        width, height = _whole(image.get("width")), _whole(image.get("height"))
        if type(file_name) is not str or not file_name:
            yield Skipped(f"{where}: image {preview(image.get('id'))}", "has no file_name")
            continue
        if not _is_image(file_name):
            yield _not_image(file_name)
            continue
        if width is None or height is None or width <= 0 or height <= 0:
            yield Skipped(
                file_name,
                "has no usable width and height "
                f"({preview(image.get('width'))}, {preview(image.get('height'))})",
            )
            continue
        if local is not None:
            real, note = _real_size(local / file_name, (width, height))
            if note is not None:
                yield Skipped(file_name, note)
            if real is None:
                continue
            width, height = real
        kept: list[Box] = []
        key = _id(image.get("id"))
        for annotation in () if key is None else boxes.get(key, ()):
            box, note = _coco_box(annotation, names, width, height)
            if note is not None:
                yield Skipped(f"{file_name}: annotation {preview(annotation.get('id'))}", note)
            if box is not None:
                kept.append(box)
        yield _boxed(file_name, prefix + file_name.lstrip("/"), kept, (width, height))


@contextmanager
def _collector_paused() -> Generator[None, None, None]:
    """Pause Python's cycle collector while a large dataset becomes objects and lines.

    Each collection walks the objects made since the last one, and a COCO file of a
    million boxes makes several million, none of them garbage: converting it with the
    collector paused takes half the time. The collector is restarted when the block
    ends, however it ends (a generator closed early included), unless it was off.
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


def _whole(value: object) -> int | None:
    """A whole number of pixels (``640`` or ``640.0``), or ``None``."""
    if type(value) is int:
        return value
    if type(value) is float and value.is_integer():
        return int(value)
    return None


#: The types a coordinate may have (``bool`` is not one, although it is an ``int``).
_NUMBERS = (int, float)


def _coco_box(
    annotation: Mapping[str, Any], names: Mapping[int | str, str], width: int, height: int
) -> tuple[Box | None, str | None]:
    """The box of one annotation, clipped to the image, and a note if it was changed."""
    key = _id(annotation.get("category_id"))
    name = None if key is None else names.get(key)
    if name is None:
        return None, f"unknown category_id {preview(annotation.get('category_id'))}"
    if annotation.get("iscrowd"):
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
            return _clipped(name, x, y, w, h, width, height)
    return None, f"bbox is not [x, y, width, height] in numbers: {preview(annotation.get('bbox'))}"


def _clipped(  # noqa: PLR0913, PLR0917 - a box and its image, in a tight loop
    name: str,
    left: float,
    top: float,
    width: float,
    height: float,
    image_width: float,
    image_height: float,
) -> tuple[Box | None, str | None]:
    """The box clipped to the image, or ``None``; and a note when it was changed."""
    right, bottom = left + width, top + height
    if (
        left >= 0
        and top >= 0
        and right <= image_width
        and bottom <= image_height
        and width > 0
        and height > 0
    ):
        return Box(name, left, top, width, height), None  # inside: the usual case
    new_left, new_top = max(left, 0), max(top, 0)
    new_right, new_bottom = min(right, image_width), min(bottom, image_height)
    if new_right <= new_left or new_bottom <= new_top:
        return None, (
            f"the box {preview(name)} ({left:g}, {top:g}, {width:g} x {height:g}) is outside "
            f"the {image_width:g} x {image_height:g} image, or empty"
        )
    box = Box(name, new_left, new_top, new_right - new_left, new_bottom - new_top)
    return box, f"the box {preview(name)} reached past the image and was clipped to it"


# -- Pascal VOC --------------------------------------------------------------------


def from_voc(
    folder: str | Path, *, images_uri: str, images: str | Path | None = None
) -> Iterator[Item]:
    """Bounding boxes from Pascal VOC XML files (one ``.xml`` an image, in ``folder``).

    The image is the XML's ``filename`` (under ``images_uri``), its size the XML's
    ``size``; each ``object``'s ``name`` is a label and its ``bndbox`` (``xmin``,
    ``ymin``, ``xmax``, ``ymax``) the box. Boxes past the image are clipped or skipped
    as for COCO, and reported.

    Args:
        folder: The folder of XML files.
        images_uri: Where the images are in S3.
        images: A local folder with the images (VOC's ``JPEGImages``): each one's header
            is then read, an image training would refuse is left out, and a size that
            differs from the XML's is reported and replaced by the real one.
    """
    local = None if images is None else Path(images)
    for path in sorted(Path(folder).glob("*.xml")):
        yield from _voc_file(path, images_uri, local)


def _voc_file(path: Path, images_uri: str, images: Path | None) -> Iterator[Item]:
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
    if not _is_image(file_name):
        yield _not_image(file_name)
        return
    width, height, depth = (_int(root.findtext(f"size/{n}")) for n in ("width", "height", "depth"))
    if width is None or height is None or width <= 0 or height <= 0:
        yield Skipped(where, "has no usable <size> (width and height)")
        return
    if images is not None:
        real, note = _real_size(images / file_name, (width, height))
        if note is not None:
            yield Skipped(where, note)
        if real is None:
            return
        width, height = real
    kept: list[Box] = []
    for index, element in enumerate(root.iter("object")):
        name = (element.findtext("name") or "").strip()
        corners = [
            _number(element.findtext(f"bndbox/{n}")) for n in ("xmin", "ymin", "xmax", "ymax")
        ]
        if not name or None in corners:
            yield Skipped(f"{where}: object {index}", "has no name or no complete <bndbox>")
            continue
        xmin, ymin, xmax, ymax = cast("list[float]", corners)
        box, note = _clipped(name, xmin, ymin, xmax - xmin, ymax - ymin, width, height)
        if note is not None:
            yield Skipped(f"{where}: object {index}", note)
        if box is not None:
            kept.append(box)
    yield _boxed(where, _join(images_uri, file_name), kept, (width, height), depth)


def _reason(error: UnicodeDecodeError) -> str:
    """What is wrong with a file's text that is not UTF-8, in words."""
    return f"not UTF-8 text (byte {error.object[error.start]:#04x})"


def _text(path: Path) -> str:
    """A small text file's contents, or a ValueError naming it."""
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path}: {_reason(error)}") from None


def _number(text: str | None) -> float | None:
    try:
        value = float(text or "")
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _int(text: str | None) -> int | None:
    value = _number(text)
    return int(value) if value is not None and value.is_integer() else None


# -- CSV -----------------------------------------------------------------------------


def from_csv(path: str | Path, *, images_uri: str | None = None) -> Iterator[Item]:
    """Image-level labels from a CSV file: an image, then its labels, on each row.

    The layout of the Custom Labels guide's CSV script: the first cell is the image (an
    ``s3://`` URI, or a path under ``images_uri``), each further non-empty cell a label;
    several labels give one line with a label attribute each. A row whose first cell is
    not a PNG or JPEG (a header, say) is skipped and reported.
    """
    import csv  # noqa: PLC0415 - only for this format

    with Path(path).open(newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file)
        while True:
            try:
                row = next(reader, None)
            except csv.Error as error:
                raise ValueError(f"{path}:{reader.line_num}: {error}") from None
            except UnicodeDecodeError as error:  # decoded ahead of the rows: no line number
                raise ValueError(f"{path}: {_reason(error)}") from None
            if row is None:
                return
            cells = [cell.strip() for cell in row]
            if not cells or not any(cells):
                continue
            image, labels = cells[0], tuple(dict.fromkeys(c for c in cells[1:] if c))
            where = f"{Path(path).name}:{reader.line_num}"
            if not _is_image(image):
                yield Skipped(where, f"{preview(image)} is not a PNG or JPEG image (a header?)")
            elif not labels:
                yield Skipped(where, f"{preview(image)} has no label")
            elif image.startswith("s3://"):
                yield LabeledImage(source_ref=image, labels=labels)
            elif images_uri is None:
                yield Skipped(
                    where, f"{preview(image)} is not an s3:// URI, and no images_uri was given"
                )
            else:
                yield LabeledImage(source_ref=_join(images_uri, image), labels=labels)


# -- YOLO ----------------------------------------------------------------------------


def image_size(path: str | Path) -> tuple[int, int, int]:
    """An image's width, height and channels, read from its header (Pillow, lazily).

    Raises:
        ValueError: The file is not a usable PNG or JPEG: not one by its content, its
            header cut, over 15 MB, or sides or aspect ratio past the service's limits.
    """
    try:
        header = local_header(path)
    except Unreadable as error:
        raise ValueError(f"{path} {error}") from None
    problem = header.problem()
    if problem is not None:
        raise ValueError(f"{path} {problem}")
    return header.width, header.height, header.depth


def _yolo_names(dataset: Path) -> list[str]:
    classes = dataset / "classes.txt"
    if classes.is_file():
        return [line.strip() for line in _text(classes).splitlines() if line.strip()]
    data = dataset / "data.yaml"
    if not data.is_file():
        raise FileNotFoundError(f"{dataset} has neither classes.txt nor data.yaml")
    import yaml  # noqa: PLC0415 - the datasets extra

    try:
        loaded: object = yaml.safe_load(_text(data))
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
        if not _is_image(relative):
            yield _not_image(relative)
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
            yield Skipped(labels.relative_to(base).as_posix(), f"is {_reason(error)}")
            continue
        kept: list[Box] = []
        for number, text in enumerate(lines, start=1):
            where = f"{labels.relative_to(base).as_posix()}:{number}"
            box, note = _yolo_box(text, names, (width, height))
            if note is not None:
                yield Skipped(where, note)
            if box is not None:
                kept.append(box)
        yield _boxed(relative, _join(images_uri, relative), kept, (width, height), depth)


def _yolo_box(text: str, names: list[str], size: tuple[int, int]) -> tuple[Box | None, str | None]:
    fields = text.split()
    if not fields:
        return None, None
    if len(fields) != 5:  # the class and four coordinates
        return None, f"expected 'class cx cy w h', got {preview(text.strip())}"
    numbers = [_number(field) for field in fields[1:]]
    class_id = _int(fields[0])
    if class_id is None or None in numbers:
        return None, f"expected numbers, got {preview(text.strip())}"
    if not 0 <= class_id < len(names):
        return None, f"unknown class id {class_id} ({len(names)} names)"
    cx, cy, w, h = cast("list[float]", numbers)
    width, height = size
    return _clipped(
        names[class_id],
        round((cx - w / 2) * width, 3),
        round((cy - h / 2) * height, 3),
        round(w * width, 3),
        round(h * height, 3),
        width,
        height,
    )
