"""What the dataset tests share: the images' prefix, a manifest's lines, the command."""

from __future__ import annotations

import io
import json
from typing import TYPE_CHECKING, Any

from rekog_versions.cli import main

if TYPE_CHECKING:
    from pathlib import Path

#: Where the tests' datasets say their images are in S3.
IMAGES = "s3://bkt/images/"


def lines_of(path: Path) -> list[dict[str, Any]]:
    """A manifest's lines, parsed."""
    return [json.loads(line) for line in path.read_text().splitlines()]


def reasons(report: Any) -> dict[str, str]:
    """What a conversion left out: each place, and why."""
    return {item.where: item.reason for item in report.skipped}


def picture(path: Path, size: tuple[int, int] = (200, 100), kind: str = "JPEG") -> Path:
    """A real image of ``size`` at ``path`` (Pillow)."""
    from PIL import Image  # noqa: PLC0415 - the tests' dependency group

    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", size, (120, 30, 200)).save(path, kind)
    return path


def cli(*argv: str) -> tuple[int, str, str]:
    """``rekog-versions`` run in this process: its exit code, stdout and stderr."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdin=io.StringIO(), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()
