"""Labels and boxes from a CSV file, in the layout its header shows.

Three layouts are read, told apart by the first row:

* **labels**: an image, then its labels (the Custom Labels guide's CSV script), with or
  without a header (``image,label``);
* **one-hot**: a header naming the image column then one column a label, each cell 0 or
  1 (Roboflow's ``_classes.csv``, Kaggle's multi-label sets);
* **boxes**: one box a row, its columns named by the header (``filename, width, height,
  class, xmin, ymin, xmax, ymax`` of the TensorFlow Object Detection tutorials and
  Roboflow; ``image, xmin, ymin, xmax, ymax, label`` of VoTT), grouped by image.

A header that names box columns but not all of them, or a file whose "labels" are box
coordinates or 0/1 cells, is refused by name: it is never read as numeric labels.
"""

from __future__ import annotations

import csv
import itertools
import re
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Final
from urllib.parse import unquote

import attrs

from rekog_versions._validation import preview
from rekog_versions.datasets._items import (
    OUTSIDE,
    Box,
    Item,
    LabeledImage,
    Layout,
    Skipped,
    boxed,
    clipped,
    images_prefix,
    is_image,
    not_utf8,
    number,
    relative_key,
    whole_number,
)
from rekog_versions.datasets._local import real_size

if TYPE_CHECKING:
    from _csv import Reader  # the type of what csv.reader returns
    from collections.abc import Generator, Iterable, Iterator, Sequence

__all__ = ["LAYOUTS", "from_csv"]

#: The CSV layouts read, in words, as a refusal lists them.
LAYOUTS: Final = (
    "image,label[,label...] rows (a header is optional); "
    "a one-hot header (filename, then a column a label, cells 0 or 1); "
    "one box a row (a header with image, label, xmin, ymin, xmax, ymax, and width, height "
    "or the images on disk)"
)
_SEE: Final = "see the datasets guide's CSV page"

#: Header names of the column that holds the image, lower-cased, ``_`` for a space; the
#: first one a header has is the image column.
_IMAGE_COLUMNS: Final = (
    "filename", "file_name", "image", "image_name", "image_path", "file", "path", "img",
    "image_id", "id", "name",
)  # fmt: skip
#: Header names of a box's label column, the first one a header has taken.
_LABEL_COLUMNS: Final = ("class", "label", "class_name", "category", "labels", "name")
#: Header names of the labels layout's label columns (``label``, ``label_2``, ``tags``).
_GENERIC_LABEL: Final = re.compile(r"(label|class|tag|category)(e?s)?[_ ]?\d*")
#: Each box corner's column, with the other spellings of its name.
_CORNERS: Final = {
    "xmin": ("xmin", "x_min"),
    "ymin": ("ymin", "y_min"),
    "xmax": ("xmax", "x_max"),
    "ymax": ("ymax", "y_max"),
}
_SIZES: Final = {"width": ("width", "image_width"), "height": ("height", "image_height")}


def from_csv(
    path: str | Path, *, images_uri: str | None = None, images: str | Path | None = None
) -> Iterator[Item]:
    """Labels or boxes from a CSV file, in the layout its first row shows (said first).

    * A first row whose first cell is an image, or a header of the image column then
      generic label columns (``image,label``, ``filename,labels``): each row is an image
      then its labels, every non-empty cell after the first a label; several labels give
      one line with a label attribute each (the Custom Labels guide's layout).
    * A header of the image column (``filename``, ``image``, ``image_id``...) then one
      column a label, each cell 0 or 1: the labels are the columns whose cell is 1
      (multi-label). A cell that is neither refuses the file, naming the row.
    * A header naming ``xmin``, ``ymin``, ``xmax``, ``ymax``, the image and the label
      (``class``, ``label``...): one box a row, in pixels, the rows grouped by image.
      The image's size is in its ``width`` and ``height`` columns, or read from its
      header under ``images``; boxes past the image are clipped or skipped as for COCO.

    A row whose image is not a PNG or JPEG, or that has no label, is skipped and
    reported; a relative image needs ``images_uri`` (an ``s3://`` one does not).

    Args:
        path: The CSV file (UTF-8, a BOM allowed; a comma between cells, a space after
            it or not).
        images_uri: Where the relative images are in S3.
        images: A local folder with the images: each box row's image header is read,
            an image training would refuse left out, its real size used (and the
            only source of sizes when the file has no ``width`` and ``height``).

    Raises:
        ValueError: The file is not UTF-8 CSV, or its header names a layout it does not
            fit (box columns missing, a one-hot cell that is not 0 or 1, box rows
            without a header), naming the file, the row and the layouts read.
    """
    source = Path(path)
    prefix = None if images_uri is None else images_prefix(images_uri)
    with source.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file, skipinitialspace=True)
        rows = _rows(reader, source)
        first = next(rows, None)
        if first is None:
            return
        line, header = first
        if _has_box_columns(header):
            local = None if images is None else Path(images)
            boxes = _Boxes.of(source, header, local, prefix)
            yield Layout(f"csv: one box a row (header: {', '.join(header)})")
            together = _images_together(source, line, boxes.image)
            yield from boxes.read(reader, together=together)
            return
        if images is not None:
            raise ValueError(
                f"{source}: images (--images-dir) is for box rows, whose sizes it gives; "
                "this file's rows are labels"
            )
        if is_image(header[0]):
            yield Layout("csv: an image and its labels a row (no header)")
            yield from _labels(source, [(line, header)], rows, prefix, header=None)
            return
        if _name(header[0]) in _IMAGE_COLUMNS[:-1] and len(header) > 1:
            peek = next(rows, None)
            ahead = [] if peek is None else [peek]
            generic = all(_GENERIC_LABEL.fullmatch(_name(cell)) for cell in header[1:])
            if generic and not _one_hot_row(header, peek):
                yield Layout(f"csv: an image and its labels a row (header: {', '.join(header)})")
                yield from _labels(source, ahead, rows, prefix, header=header)
            else:
                yield Layout(f"csv: one-hot, a 0/1 column a label (header: {', '.join(header)})")
                yield from _one_hot(source, header, itertools.chain(ahead, rows), prefix)
            return
        yield Layout("csv: an image and its labels a row (an unknown first row, skipped)")
        yield Skipped(f"{source.name}:{line}", f"{preview(header[0])} is not a PNG or JPEG image")
        yield from _labels(source, [], rows, prefix, header=header)


def _one_hot_row(header: list[str], row: tuple[int, list[str]] | None) -> bool:
    """Whether a row under ``label_1, label_2, ...`` columns is 0s and 1s, one a column.

    Such a file names its columns like labels' but is one-hot (``image,class_0,class_1``);
    a single label column of digits stays labels (a digit classifier).
    """
    if row is None or len(header) < 3 or len(row[1]) != len(header):
        return False
    return all(cell in ("0", "1") for cell in row[1][1:])


@contextmanager
def _named(source: Path, reader: Reader) -> Generator[None, None, None]:
    """A file that is not CSV, or not UTF-8, as a ValueError naming it (and the line)."""
    try:
        yield
    except csv.Error as error:
        raise ValueError(f"{source}:{reader.line_num}: {error}") from None
    except UnicodeDecodeError as error:  # decoded ahead of the rows: no line number
        raise ValueError(f"{source}: {not_utf8(error)}") from None


def _images_together(source: Path, header_line: int, column: int) -> bool:
    """Whether each image's rows are next to each other, as producers write them.

    Read once before the rows are, so that each image's line can be written when its
    rows end, instead of every image held until the end of the file.
    """
    seen: set[str] = set()
    last = None
    with source.open(newline="", encoding="utf-8-sig") as file:
        reader = csv.reader(file, skipinitialspace=True)
        with _named(source, reader):
            for row in reader:
                if reader.line_num <= header_line or len(row) <= column:
                    continue
                name = row[column].strip()
                if name != last:
                    if name in seen:
                        return False
                    seen.add(name)
                    last = name
    return True


def _rows(reader: Reader, source: Path) -> Iterator[tuple[int, list[str]]]:
    """Each row that has a cell, stripped, with its line number; a broken file named."""
    with _named(source, reader):
        for row in reader:
            cells = [cell.strip() for cell in row]
            if any(cells):
                yield reader.line_num, cells


def _name(cell: str) -> str:
    """A header cell as the layouts name columns: lower case, ``_`` for spaces and dashes."""
    return cell.strip().lower().replace(" ", "_").replace("-", "_")


def _has_box_columns(header: Sequence[str]) -> bool:
    names = {_name(cell) for cell in header}
    return any(spelling in names for spellings in _CORNERS.values() for spelling in spellings)


def _source_ref(image: str, prefix: str | None) -> str | Skipped:
    """The image's ``s3://`` URI: itself, or its path under ``prefix``; or why not.

    The :class:`Skipped` has no place yet: the caller gives it one.
    """
    if image.startswith("s3://"):
        return image
    if prefix is None:
        return Skipped("", f"{preview(image)} is not an s3:// URI, and no images_uri was given")
    key = relative_key(image)
    return Skipped("", f"{preview(image)}: {OUTSIDE}") if key is None else prefix + key


def _labels(
    source: Path,
    first: list[tuple[int, list[str]]],
    rows: Iterator[tuple[int, list[str]]],
    prefix: str | None,
    *,
    header: list[str] | None,
) -> Iterator[Item]:
    """An image then its labels, each row; box rows without a header refused by name.

    Under a header of no layout read, labels that are all numbers refuse the file: they
    are a layout's numbers (boxes, 0/1 cells), not labels.
    """
    unknown = header is not None and not all(
        _GENERIC_LABEL.fullmatch(_name(cell)) for cell in header[1:]
    )
    for line, cells in (*first, *rows):
        image, labels = cells[0], tuple(dict.fromkeys(c for c in cells[1:] if c))
        where = f"{source.name}:{line}"
        if header is None and len(cells) == 6 and all(number(c) is not None for c in cells[1:5]):
            raise ValueError(
                f"{where}: {preview(','.join(cells))} reads as a box without a header "
                "(image,xmin,ymin,xmax,ymax,label), not as labels: add the header row "
                f"'image,xmin,ymin,xmax,ymax,label' to read boxes ({_SEE})"
            )
        if unknown and labels and all(number(label) is not None for label in labels):
            raise ValueError(
                f"{where}: its labels are numbers ({preview(', '.join(labels))}) under a "
                f"header ({preview(', '.join(header or ()))}) of no layout read: {LAYOUTS} "
                f"({_SEE})"
            )
        yield _labelled(where, image, labels, prefix, "")


def _one_hot(
    source: Path,
    header: list[str],
    rows: Iterator[tuple[int, list[str]]],
    prefix: str | None,
) -> Iterator[Item]:
    """The labels whose cell is 1, each row; a cell that is not 0 or 1 refuses the file."""
    names = header[1:]
    for line, cells in rows:
        where = f"{source.name}:{line}"
        if len(cells) != len(header):
            raise ValueError(
                f"{where}: {len(cells)} cells under a one-hot header of {len(header)} "
                f"({preview(', '.join(header))})"
            )
        labels: list[str] = []
        for name, cell in zip(names, cells[1:], strict=True):
            if cell == "1" and name:
                labels.append(name)
            elif cell != "0" and (name or cell):  # a trailing comma: no name, no cell
                raise ValueError(
                    f"{where}: read as one-hot (header {preview(', '.join(header))}), but "
                    f"the cell of {preview(name)} is {preview(cell)}: each label's cell is 0 "
                    f"or 1 ({_SEE})"
                )
        unlabelled = " (each label's cell is 0)"
        yield _labelled(where, cells[0], tuple(dict.fromkeys(labels)), prefix, unlabelled)


def _labelled(
    where: str, image: str, labels: tuple[str, ...], prefix: str | None, unlabelled: str
) -> Item:
    """A row's image with its labels; or why it is left out (``unlabelled``: why none)."""
    if not is_image(image):
        return Skipped(where, f"{preview(image)} is not a PNG or JPEG image")
    if not labels:
        return Skipped(where, f"{preview(image)} has no label{unlabelled}")
    ref = _source_ref(image, prefix)
    if isinstance(ref, Skipped):
        return attrs.evolve(ref, where=where)
    return LabeledImage(source_ref=ref, labels=labels)


@attrs.define(eq=False)
class _Image:
    """A box-row image as its rows are read: where it first was, its size, its boxes."""

    where: str
    source_ref: str
    size: tuple[int, int]
    boxes: list[Box] = attrs.field(factory=list[Box])


@attrs.define(eq=False)
class _Boxes:
    """The box-row layout: which column is which, and where the image sizes come from."""

    source: Path
    image: int
    label: int
    corners: tuple[int, int, int, int]
    sizes: tuple[int, int] | None
    local: Path | None
    prefix: str | None
    """Where relative images are in S3 (``images_uri``, checked once)."""
    labels: dict[str, str] = attrs.field(factory=dict[str, str])
    """Each label once: the boxes of a million rows share a few label strings."""

    @classmethod
    def of(cls, source: Path, header: list[str], local: Path | None, prefix: str | None) -> _Boxes:
        """The columns of ``header``; a ValueError naming those missing."""
        found = {_name(cell): index for index, cell in reversed(list(enumerate(header)))}

        def column(spellings: Iterable[str]) -> int | None:
            return next((found[s] for s in spellings if s in found), None)

        image, label = column(_IMAGE_COLUMNS), column(_LABEL_COLUMNS)
        if label == image:  # "name" is the label when another column is the image
            label = None
        corners = {key: column(spellings) for key, spellings in _CORNERS.items()}
        sizes = [column(spellings) for spellings in _SIZES.values()]
        missing = [key for key, index in corners.items() if index is None]
        missing += ["an image column (filename)"] if image is None else []
        missing += ["a label column (class)"] if label is None else []
        if not missing and None in sizes and local is None:
            missing.append("width and height (or the images on disk: --images-dir)")
        if missing or image is None or label is None:
            raise ValueError(
                f"{source}: the header ({preview(', '.join(header))}) names box columns, "
                f"but not {', '.join(missing)}; the layouts read: {LAYOUTS} ({_SEE})"
            )
        xmin, ymin, xmax, ymax = (int(index or 0) for index in corners.values())
        width, height = sizes
        both = None if width is None or height is None else (width, height)
        return cls(source, image, label, (xmin, ymin, xmax, ymax), both, local, prefix)

    def read(self, reader: Reader, *, together: bool) -> Iterator[Item]:
        """The rows' boxes, an image each.

        An image is given when its rows end if the images' rows are ``together``;
        otherwise every image is held, grouped, until the end of the file.
        """
        held: dict[str, _Image | None] = {}
        current: _Image | None = None
        name: str | None = None
        column = self.image
        with _named(self.source, reader):
            for row in reader:
                if len(row) <= column:
                    if any(cell.strip() for cell in row):
                        where = f"{self.source.name}:{reader.line_num}"
                        yield Skipped(where, "has fewer cells than the header")
                    continue
                image = row[column].strip()
                if image != name:
                    if together and current is not None:
                        yield self._done(current)
                    if image in held:
                        current = held[image]
                    else:
                        current, notes = self._first(image, reader.line_num, row)
                        yield from notes
                        if not together:
                            held[image] = current
                    name = image
                if current is not None:
                    reason = self._box(current, row)
                    if reason is not None:
                        yield Skipped(f"{self.source.name}:{reader.line_num}", reason)
        if together and current is not None:
            yield self._done(current)
        for each in held.values():
            if each is not None:
                yield self._done(each)

    @staticmethod
    def _done(image: _Image) -> Item:
        return boxed(image.where, image.source_ref, image.boxes, image.size)

    def _first(self, image: str, line: int, row: list[str]) -> tuple[_Image | None, list[Skipped]]:
        """The image of a first row: its place and size; or why it is left out."""
        where = f"{self.source.name}:{line}"
        if not is_image(image):
            return None, [Skipped(where, f"{preview(image)} is not a PNG or JPEG image")]
        ref = _source_ref(image, self.prefix)
        if isinstance(ref, Skipped):
            return None, [attrs.evolve(ref, where=where)]
        size = None
        if self.sizes is not None:
            width, height = (
                whole_number(row[i].strip()) if i < len(row) else None for i in self.sizes
            )
            if not width or not height:
                return None, [Skipped(where, f"{preview(image)} has no usable width and height")]
            size = (width, height)
        if self.local is None:
            return _Image(image, ref, size or (0, 0)), []
        path = self.local / image
        if not path.exists() and (self.local / unquote(image)).exists():
            # VoTT writes names URL-encoded: the file is under its decoded name, and so
            # is its copy in S3, uploaded from here.
            path = self.local / unquote(image)
            decoded = _source_ref(unquote(image), self.prefix)
            ref = decoded if isinstance(decoded, str) and not image.startswith("s3://") else ref
        real, note = real_size(path, size or (0, 0))
        if size is None and real is not None:
            note = None  # no size in the file: the real one is the only one
        notes = [] if note is None else [Skipped(image, note)]
        return (None if real is None else _Image(image, ref, real)), notes

    def _box(self, image: _Image, row: list[str]) -> str | None:
        """Add the row's box to its image; why, when it is left out or changed."""
        xmin, ymin, xmax, ymax = self.corners
        try:
            label = row[self.label].strip()
            written = (row[xmin], row[ymin], row[xmax], row[ymax])
        except IndexError:
            return "has fewer cells than the header"
        if not label:
            return "has no label"
        try:
            joined = "".join(written)
            if "_" in joined or not joined.isascii():  # float() takes 1_0 and other digits
                raise ValueError(joined)  # noqa: TRY301 - the one refusal of a number
            left, top, right, bottom = (float(value) for value in written)
        except ValueError:
            shown = ", ".join(value.strip() for value in written)
            return f"xmin, ymin, xmax, ymax are not numbers: {preview(shown)}"
        label = self.labels.setdefault(label, label)
        width, height = image.size
        box, note = clipped(label, left, top, right - left, bottom - top, width, height)
        if box is not None:
            image.boxes.append(box)
        return note
