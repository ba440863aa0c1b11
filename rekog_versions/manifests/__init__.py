r"""Manifest validation before training: the service's rules and error codes, streaming.

Install it with the ``manifests`` extra (``pip install 'rekog-versions[manifests]'``),
which brings orjson; the reports' problems and statistics are the core's
:class:`~rekog_versions.ManifestProblem` and
:class:`~rekog_versions.DatasetManifestSummary`.

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

from rekog_versions._extras import require

require("rekog_versions.manifests", "manifests", "orjson")

# The extra is checked before its modules are imported, so that a missing one is named.
from rekog_versions.manifests._report import ManifestProgress, ManifestReport  # noqa: E402
from rekog_versions.manifests._validate import validate_manifest  # noqa: E402

__all__ = ["ManifestProgress", "ManifestReport", "validate_manifest"]
