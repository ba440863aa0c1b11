r"""Manifest validation before training: the service's rules and error codes, streaming.

>>> import tempfile, os
>>> line = (
...     '{"source-ref": "s3://bkt/a.jpg", "cat": 1, "cat-metadata": {"confidence": 1, '
...     '"class-name": "cat", "human-annotated": "yes", "creation-date": "2026-11-27T09:00:00", '
...     '"type": "groundtruth/image-classification"}}'
... )
>>> with tempfile.TemporaryDirectory() as folder:
...     path = os.path.join(folder, "train.manifest")
...     with open(path, "w") as file:
...         _ = file.write(line + "\n")
...     report = validate_manifest(path)
>>> report.ok, [problem.code for problem in report.problems]
(False, ['ERROR_MANIFEST_TOO_FEW_LABELS'])
"""

from __future__ import annotations

from rekog_versions.manifests._datasets import (
    from_coco,
    from_csv,
    from_folders,
    from_voc,
    from_yolo,
    image_size,
)
from rekog_versions.manifests._make import (
    Box,
    ConversionReport,
    LabeledImage,
    Skipped,
    make_manifest,
    pick_testing_images,
)
from rekog_versions.manifests._validate import ManifestProgress, validate_manifest
from rekog_versions.manifests.report import (
    DatasetReport,
    LabelCount,
    ManifestIssue,
    ManifestProblem,
    ManifestReport,
    Severity,
)

__all__ = [
    "Box",
    "ConversionReport",
    "DatasetReport",
    "LabelCount",
    "LabeledImage",
    "ManifestIssue",
    "ManifestProblem",
    "ManifestProgress",
    "ManifestReport",
    "Severity",
    "Skipped",
    "from_coco",
    "from_csv",
    "from_folders",
    "from_voc",
    "from_yolo",
    "image_size",
    "make_manifest",
    "pick_testing_images",
    "validate_manifest",
]
