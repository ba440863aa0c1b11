"""Converting a large COCO file: make_manifest(from_coco(...)) against a naive stdlib script.

Generates a COCO instances file of 250,000 images and 1,000,000 boxes in 80 categories,
then converts it with the library and with the script a user would write by hand
(``json.load`` the file, group the annotations by image, ``json.dumps`` each line),
each in a fresh process, alternating, and compares the medians of their wall times and
their peak resident memory. Both write the same lines (the library also reports what it
skipped, and nothing is skipped here).

Budgets: time at most 1.0x the script's; peak memory at most 1.0x the script's.

Run: ``python benchmarks/bench_coco.py [--rounds N]`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
from pathlib import Path

from _common import NAIVE_LINE, conversions, library_script

IMAGES = 250_000
BOXES = 1_000_000
TIME_BUDGET = 1.0
MEMORY_BUDGET = 1.0

#: The script a user writes by hand, after the Custom Labels guide's COCO example.
NAIVE = (
    NAIVE_LINE
    + """
import json, sys, time
start = time.perf_counter()
with open(sys.argv[1]) as file:
    coco = json.load(file)
names = {c["id"]: c["name"] for c in coco["categories"]}
by_image = {}
for a in coco["annotations"]:
    by_image.setdefault(a["image_id"], []).append(a)
with open(sys.argv[2], "w") as out:
    for image in coco["images"]:
        boxes = by_image.get(image["id"], [])
        ids = {}
        annotations = []
        for a in boxes:
            name = names[a["category_id"]]
            class_id = ids.setdefault(name, len(ids))
            x, y, w, h = a["bbox"]
            annotations.append({"class_id": class_id, "left": x, "top": y, "width": w, "height": h})
        made = line(image["file_name"], image["width"], image["height"], annotations, ids)
        out.write(json.dumps(made) + "\\n")
"""
)

LIBRARY = library_script("from_coco")


def generate(path: Path, seed: int = 11) -> None:
    """A COCO instances file of IMAGES images and BOXES boxes, every box inside its image."""
    rng = random.Random(seed)
    images = [
        {
            "id": index,
            "file_name": f"{index:012d}.jpg",
            "width": rng.randint(320, 1024),
            "height": rng.randint(240, 1024),
        }
        for index in range(IMAGES)
    ]
    annotations = []
    per_image = BOXES // IMAGES
    for image in images:
        for _ in range(per_image):
            w = rng.randint(20, image["width"] // 2)
            h = rng.randint(20, image["height"] // 2)
            annotations.append(
                {
                    "id": len(annotations),
                    "image_id": image["id"],
                    "category_id": rng.randint(1, 80),
                    "bbox": [
                        round(rng.uniform(0, image["width"] - w), 2),
                        round(rng.uniform(0, image["height"] - h), 2),
                        w,
                        h,
                    ],
                    "area": w * h,
                    "iscrowd": 0,
                }
            )
    categories = [{"id": i, "name": f"category-{i}", "supercategory": "x"} for i in range(1, 81)]
    path.write_text(
        json.dumps({"images": images, "annotations": annotations, "categories": categories})
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    rounds = parser.parse_args().rounds
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "instances.json"
        generate(source)
        print(f"COCO file: {source.stat().st_size / 1e6:.0f} MB, {IMAGES} images, {BOXES} boxes")
        times, peaks, lines = conversions(
            {"script": NAIVE, "library": LIBRARY}, source, rounds, IMAGES
        )
    script, library = times["script"], times["library"]
    memory = peaks["library"] / peaks["script"]
    print(
        f"Python {sys.version.split()[0]}: script {script:.2f} s, library {library:.2f} s, "
        f"ratio {library / script:.2f} (budget {TIME_BUDGET}); peak memory ratio {memory:.2f} "
        f"(budget {MEMORY_BUDGET}), script {peaks['script'] / 1024:.0f} MB, library "
        f"{peaks['library'] / 1024:.0f} MB; lines {lines}"
    )
    ok = (
        library / script <= TIME_BUDGET
        and memory <= MEMORY_BUDGET
        and len(set(lines.values())) == 1
    )
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
