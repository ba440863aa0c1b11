"""Builders of manifest lines for the tests, valid unless told otherwise."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pathlib import Path


def classification(
    image: str = "a.jpg", label: str = "cat", *, bucket: str = "bkt", **metadata: Any
) -> dict[str, Any]:
    """An image-level (classification) line."""
    meta: dict[str, Any] = {
        "confidence": 1,
        "job-name": "labeling-job/cats",
        "class-name": label,
        "human-annotated": "yes",
        "creation-date": "2026-11-27T09:00:00.000",
        "type": "groundtruth/image-classification",
    }
    meta.update(metadata)
    return {"source-ref": f"s3://{bucket}/{image}", "cats": 1, "cats-metadata": meta}


def detection(
    image: str = "a.jpg",
    boxes: list[tuple[int, int, int, int, int]] | None = None,
    class_map: dict[str, str] | None = None,
    *,
    size: tuple[int, int] = (640, 480),
    bucket: str = "bkt",
    **metadata: Any,
) -> dict[str, Any]:
    """A bounding-box line; each box is (class_id, left, top, width, height)."""
    boxes = [(0, 10, 10, 100, 100)] if boxes is None else boxes
    meta: dict[str, Any] = {
        "objects": [{"confidence": 1} for _ in boxes],
        "class-map": {"0": "cat", "1": "dog"} if class_map is None else class_map,
        "type": "groundtruth/object-detection",
        "human-annotated": "yes",
        "creation-date": "2026-11-27T09:00:00",
        "job-name": "labeling-job/boxes",
    }
    meta.update(metadata)
    return {
        "source-ref": f"s3://{bucket}/{image}",
        "bounding-box": {
            "image_size": [{"width": size[0], "height": size[1], "depth": 3}],
            "annotations": [
                {"class_id": c, "left": x, "top": y, "width": w, "height": h}
                for c, x, y, w, h in boxes
            ],
        },
        "bounding-box-metadata": meta,
    }


def moderation(image: str = "a.jpg", *names: str, bucket: str = "bkt") -> dict[str, Any]:
    """A Content Moderation adapter line."""
    return {
        "source-ref": f"s3://{bucket}/{image}",
        "content-moderation-groundtruth": {"ModerationLabels": [{"Name": n} for n in names]},
    }


def write(path: Path, lines: list[Any]) -> Path:
    """Write lines (dicts as JSON, strings as they are) as a manifest."""
    path.write_text(
        "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines),
        encoding="utf-8",
    )
    return path


def good_classification(count: int = 10) -> list[dict[str, Any]]:
    """A valid classification manifest's lines: two labels, ``count`` images."""
    return [classification(f"img{i}.jpg", "cat" if i % 2 else "dog") for i in range(count)]
