"""Converting a large box-a-row CSV: make_manifest(from_csv(...)) against a plain script.

Generates a CSV in the TensorFlow Object Detection layout
(``filename,width,height,class,xmin,ymin,xmax,ymax``) of 1,000,000 box rows, 250,000
images of four boxes each in 80 classes, the rows of an image together as
``xml_to_csv.py`` writes them; then converts it with the library and with the script a
user would write (``csv.reader`` the rows, group them by image, ``json.dumps`` each
line), each in a fresh process, alternating, and compares the medians of their wall
times and the library's peak resident memory. Both write the same lines (the library
also reports what it skipped, and nothing is skipped here).

Budgets: time at most 1.0x the script's; the library's peak resident memory at most
200 MB.

Run: ``python benchmarks/bench_csv.py [--rounds N]`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
from pathlib import Path

from _common import NAIVE_LINE, conversions, library_script

IMAGES = 250_000
BOXES_PER_IMAGE = 4
TIME_BUDGET = 1.0
MEMORY_BUDGET_MB = 200

#: The script a user writes: csv.reader, the rows grouped by image, json.dumps a line.
NAIVE = (
    NAIVE_LINE
    + """
import csv, json, sys, time
start = time.perf_counter()
by_image = {}
with open(sys.argv[1], newline="") as file:
    rows = csv.reader(file)
    next(rows)
    for row in rows:
        by_image.setdefault(row[0], []).append(row)
with open(sys.argv[2], "w") as out:
    for filename, rows in by_image.items():
        ids = {}
        annotations = []
        for _, width, height, name, xmin, ymin, xmax, ymax in rows:
            class_id = ids.setdefault(name, len(ids))
            left, top = float(xmin), float(ymin)
            annotations.append({
                "class_id": class_id, "left": left, "top": top,
                "width": float(xmax) - left, "height": float(ymax) - top,
            })
        made = line(filename, int(width), int(height), annotations, ids)
        out.write(json.dumps(made) + "\\n")
"""
)

LIBRARY = library_script("from_csv")


def generate(path: Path, seed: int = 11) -> None:
    """IMAGES images of BOXES_PER_IMAGE box rows each, every box inside its image."""
    rng = random.Random(seed)
    with path.open("w", newline="") as file:
        file.write("filename,width,height,class,xmin,ymin,xmax,ymax\n")
        for index in range(IMAGES):
            width, height = rng.randint(320, 1024), rng.randint(240, 1024)
            for _ in range(BOXES_PER_IMAGE):
                w, h = rng.randint(20, width // 2), rng.randint(20, height // 2)
                x, y = rng.randint(0, width - w), rng.randint(0, height - h)
                name = f"class-{rng.randint(1, 80)}"
                file.write(f"{index:012d}.jpg,{width},{height},{name},{x},{y},{x + w},{y + h}\n")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "boxes.csv"
        generate(source)
        rows = IMAGES * BOXES_PER_IMAGE
        print(f"CSV file: {source.stat().st_size / 1e6:.0f} MB, {IMAGES} images, {rows} rows")
        times, peaks, lines = conversions(
            {"script": NAIVE, "library": LIBRARY}, source, rounds, IMAGES
        )
    script, library = times["script"], times["library"]
    peak_mb = peaks["library"] / 1024
    print(
        f"Python {sys.version.split()[0]}: script {script:.2f} s, library {library:.2f} s, "
        f"ratio {library / script:.2f} (budget {TIME_BUDGET}); library peak {peak_mb:.0f} MB "
        f"(budget {MEMORY_BUDGET_MB}), script peak {peaks['script'] / 1024:.0f} MB; "
        f"lines {lines}"
    )
    ok = (
        library / script <= TIME_BUDGET
        and peak_mb <= MEMORY_BUDGET_MB
        and len(set(lines.values())) == 1
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
