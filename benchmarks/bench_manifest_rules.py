"""What the manifest line rules cost, next to the least a check of a line can cost.

Times, per line of bench_manifest.py's four-box object-detection lines (already parsed,
so that parsing does not count): the library's line checker with every rule, and a
check written for these lines alone that keeps only their type and frame rules (no
label names, class map, metadata dates, dimensions, thin boxes or non-integer numbers).
The second is not the library's and checks too little to be; it shows how little time
pure Python leaves, which is why bench_manifest.py's budget is out of reach with the
rules written once.

Run: ``python benchmarks/bench_manifest_rules.py`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import gc
import re
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import orjson
from bench_manifest import generate

from rekog_versions.manifests._lines import LineChecker

LINES = 20_000
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?")


def least_check(document: Any) -> dict[str, int] | None:  # noqa: PLR0911 - a JSON line
    """Only the type and frame rules of a valid four-box line; ``None`` if one fails."""
    if type(document) is not dict:
        return None
    source = document.get("source-ref")
    if type(source) is not str or not source.startswith("s3://"):
        return None
    value, metadata = document["bounding-box"], document["bounding-box-metadata"]
    if type(value) is not dict or type(metadata) is not dict:
        return None
    if metadata.get("type") != "groundtruth/object-detection":
        return None
    size = value["image_size"][0]
    width, height = size["width"], size["height"]
    if type(width) is not int or type(height) is not int:
        return None
    if metadata.get("human-annotated") not in ("yes", "no"):
        return None
    if _DATE.fullmatch(metadata["creation-date"]) is None:
        return None
    class_map, labels = metadata["class-map"], {}
    for box in value["annotations"]:
        name = class_map.get(str(box["class_id"]))
        left, top, box_width, box_height = box["left"], box["top"], box["width"], box["height"]
        if not type(left) is type(top) is type(box_width) is type(box_height) is int:
            return None
        if left < 0 or top < 0 or left + box_width > width or top + box_height > height:
            return None
        labels[name] = labels.get(name, 0) + 1
    if len(metadata["objects"]) != len(value["annotations"]):
        return None
    return labels


def per_line(check: Any, documents: list[Any], rounds: int = 15) -> float:
    """The best of ``rounds`` passes, in microseconds a line."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for document in documents:
            check(document)
        best = min(best, time.perf_counter() - started)
    return best / len(documents) * 1e6


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "rules.manifest"
        generate(path, lines=LINES)
        documents = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    gc.freeze()  # the parsed lines stay alive: keep the collector from walking them
    checker = LineChecker("training", "CUSTOM_LABELS", lambda _problem: None)
    if any(least_check(document) is None for document in documents):
        raise SystemExit("the least check refused a valid line")
    every_rule = per_line(lambda document: checker.check(document, 1), documents)
    least = per_line(least_check, documents)
    print(f"python {sys.version.split()[0]}, {LINES} four-box lines, already parsed")
    print(f"  the library's line rules: {every_rule:.2f} us a line")
    print(f"  type and frame rules only: {least:.2f} us a line")
    return 0


if __name__ == "__main__":
    sys.exit(main())
