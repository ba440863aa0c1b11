"""Image-level labels from a CSV file."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rekog_versions._validation import preview
from rekog_versions.datasets._items import Item, LabeledImage, Skipped, is_image, join_uri, not_utf8

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["from_csv"]


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
                raise ValueError(f"{path}: {not_utf8(error)}") from None
            if row is None:
                return
            cells = [cell.strip() for cell in row]
            if not cells or not any(cells):
                continue
            image, labels = cells[0], tuple(dict.fromkeys(c for c in cells[1:] if c))
            where = f"{Path(path).name}:{reader.line_num}"
            if not is_image(image):
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
                yield LabeledImage(source_ref=join_uri(images_uri, image), labels=labels)
