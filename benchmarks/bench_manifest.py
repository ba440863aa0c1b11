"""Manifest validation speed and memory on the service's largest manifest.

Generates a 250,000-line object-detection manifest (the service's maximum line count,
about 180 MB), then times ``validate_manifest`` against a bare stdlib ``json.loads``
loop over the same file, alternating them, and reports the median of each round's
ratio (budget: at most 1.5): the two run side by side in every round, so a drift of the
machine moves both. The same loop with ``orjson.loads`` shows what parsing alone
costs the library, and so what is left for the rules. Peak memory is the maximum
resident set size of a fresh process that validates the file (budget: under 100 MB).

Run: ``python benchmarks/bench_manifest.py [--rounds N]`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING

import orjson

from _common import paired_ratio

if TYPE_CHECKING:
    from collections.abc import Callable

LINES = 250_000
#: validate_manifest at most this many times the json.loads loop, in one process.
BUDGET = 1.5
LABELS = [f"label-{i:03d}" for i in range(40)]


def generate(path: Path, lines: int = LINES, seed: int = 7) -> None:
    """Write a valid object-detection manifest of ``lines`` lines."""
    rng = random.Random(seed)
    with path.open("w", encoding="utf-8") as handle:
        for index in range(lines):
            width, height = rng.randint(640, 4000), rng.randint(480, 3000)
            ids = rng.sample(range(len(LABELS)), 4)
            boxes = []
            for class_id in ids:
                box_width, box_height = rng.randint(40, width // 3), rng.randint(40, height // 3)
                boxes.append(
                    {
                        "left": rng.randint(0, width - box_width),
                        "top": rng.randint(0, height - box_height),
                        "width": box_width,
                        "height": box_height,
                        "class_id": class_id,
                    }
                )
            line = {
                "source-ref": f"s3://bench-images/photos/{index:07d}.jpg",
                "bounding-box": {
                    "image_size": [{"width": width, "height": height, "depth": 3}],
                    "annotations": boxes,
                },
                "bounding-box-metadata": {
                    "objects": [{"confidence": 1} for _ in boxes],
                    "class-map": {str(i): LABELS[i] for i in ids},
                    "type": "groundtruth/object-detection",
                    "human-annotated": "yes",
                    "creation-date": "2026-11-27T09:00:00.000",
                    "job-name": "labeling-job/bench-boxes",
                },
            }
            handle.write(json.dumps(line, separators=(",", ":")) + "\n")


def parse_loop(path: Path, loads: Callable[[bytes], object] = json.loads) -> int:
    """The baseline: parse every line with the standard library (or ``loads``), nothing
    else. With orjson, the library's parser, it shows what parsing alone costs."""
    count = 0
    with path.open("rb") as handle:
        for line in handle:
            loads(line)
            count += 1
    return count


def validate(path: Path) -> int:
    from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

    report = validate_manifest(path)
    if not report.ok or report.training.valid_json_lines != LINES:
        raise SystemExit(f"the generated manifest did not validate:\n{report.to_text()}")
    return report.training.total_json_lines


_MEMORY_PROBE = """
import resource, sys
from rekog_versions.manifests import validate_manifest
imported = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
report = validate_manifest(sys.argv[1])
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(imported, peak, report.training.total_json_lines)
"""


def peak_memory_mb(path: Path) -> tuple[float, float]:
    """Max RSS (MB) of a fresh process after import and after validating."""
    output = subprocess.run(  # noqa: S603 - this interpreter, our own probe
        [sys.executable, "-c", _MEMORY_PROBE, str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    # ru_maxrss is in KiB on Linux.
    return int(output[0]) / 1024, int(output[1]) / 1024


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--manifest", type=Path, default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = args.manifest or Path(folder) / "bench.manifest"
        if not path.exists():
            started = time.perf_counter()
            generate(path)
            elapsed = time.perf_counter() - started
            print(f"generated {path.stat().st_size / 1e6:.1f} MB in {elapsed:.1f} s")
        # Measured first, while this process is small: a child's maximum RSS includes what
        # it shared with its parent between fork and exec.
        imported, peak = peak_memory_mb(path)
        runs = [
            ("json.loads loop", parse_loop),
            ("orjson.loads loop", lambda path: parse_loop(path, orjson.loads)),
            ("validate_manifest", validate),
        ]
        times: dict[str, list[float]] = {name: [] for name, _ in runs}
        for round_index in range(args.rounds):
            order = list(runs)
            if round_index % 2:
                order.reverse()
            for name, function in order:
                started = time.perf_counter()
                function(path)
                times[name].append(time.perf_counter() - started)
        medians = {name: statistics.median(values) for name, values in times.items()}
        ratio = paired_ratio(times, "validate_manifest", "json.loads loop")
    print(f"python {sys.version.split()[0]}, {LINES} lines")
    for name, seconds in medians.items():
        print(f"{name:>18}: {seconds:6.2f} s (median of {args.rounds})")
    print(
        "ratio validate_manifest / json.loads loop, the median of each round's: "
        f"{ratio:.2f} (budget {BUDGET:.2f})"
    )
    parsing = medians["orjson.loads loop"] / medians["json.loads loop"]
    print(f"ratio orjson.loads loop / json.loads loop: {parsing:.2f} (parsing alone)")
    print(f"peak RSS: {peak:.0f} MB ({imported:.0f} MB after import); budget 100 MB")
    return 0 if ratio <= BUDGET and peak < 100 else 1


if __name__ == "__main__":
    sys.exit(main())
