"""Manifests made from datasets as people have them: folders, COCO, YOLO, Pascal VOC, CSV.

Install it with the ``datasets`` extra (``pip install 'rekog-versions[datasets]'``),
which brings Pillow (image headers, read lazily), PyYAML (YOLO's ``data.yaml``) and the
``manifests`` extra. Each ``from_*`` reader yields :class:`LabeledImage` items and a
:class:`Skipped` note for everything it leaves out; :func:`make_manifest` writes them as
Ground Truth lines, with a stable, stratified testing split if asked
(:func:`pick_testing_images`), or the dataset's own. Each reader first yields the
:class:`Layout` it recognised, and a :class:`Note` for what it did to the whole dataset.
"""

from __future__ import annotations

from rekog_versions._extras import require

require("rekog_versions.datasets", "datasets", "orjson", "PIL", "yaml")

# The extra is checked before its modules are imported, so that a missing one is named.
from rekog_versions.datasets._coco import from_coco  # noqa: E402
from rekog_versions.datasets._csv import from_csv  # noqa: E402
from rekog_versions.datasets._folders import from_folders  # noqa: E402
from rekog_versions.datasets._items import (  # noqa: E402
    TESTING,
    TRAINING,
    Box,
    LabeledImage,
    Layout,
    Note,
    Skipped,
)
from rekog_versions.datasets._local import image_size  # noqa: E402
from rekog_versions.datasets._make import ConversionReport, make_manifest  # noqa: E402
from rekog_versions.datasets._split import pick_testing_images  # noqa: E402
from rekog_versions.datasets._voc import from_voc  # noqa: E402
from rekog_versions.datasets._yolo import from_yolo  # noqa: E402

__all__ = [
    "TESTING",
    "TRAINING",
    "Box",
    "ConversionReport",
    "LabeledImage",
    "Layout",
    "Note",
    "Skipped",
    "from_coco",
    "from_csv",
    "from_folders",
    "from_voc",
    "from_yolo",
    "image_size",
    "make_manifest",
    "pick_testing_images",
]
