"""A large local manifest is read by several processes; the report is the same as one's."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from typing import TYPE_CHECKING

import pytest

from manifest_lines import classification, detection, write

if TYPE_CHECKING:
    from pathlib import Path

pytestmark = pytest.mark.skipif(
    sys.platform != "linux" or (os.cpu_count() or 1) < 2,
    reason="parallel reading uses fork, and more than one core",
)

_COMPARE = textwrap.dedent(
    """
    import json, sys
    import rekog_versions.manifests._validate as validate
    from rekog_versions import validate_manifest

    path, minimum = sys.argv[1], int(sys.argv[2])
    single = validate_manifest(path, max_issues=100_000)
    validate.PARALLEL_MIN_BYTES = minimum
    parts = validate._parallel_parts(len(open(path, "rb").read()), check_images=False)
    parallel = validate_manifest(path, max_issues=100_000)
    print(json.dumps({"parts": parts, "single": single.to_dict(), "parallel": parallel.to_dict()}))
    """
)


def _both(path: Path) -> dict[str, object]:
    result = subprocess.run(
        [sys.executable, "-c", _COMPARE, str(path), "1"], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout)  # type: ignore[no-any-return]


def test_parallel_report_equals_single_process(tmp_path: Path) -> None:
    """Counts, labels, issues and line numbers match, duplicates across parts included."""
    lines: list[object] = []
    for i in range(3000):
        if i % 97 == 0:
            lines.append("{not json")
        elif i % 101 == 0:
            lines.append(detection(f"d{i}.jpg", boxes=[(0, 600, 0, 100, 100), (1, 1, 1, 50, 50)]))
        elif i % 89 == 0:
            lines.append(classification(f"img{i - 2900 if i > 2900 else i}.jpg", "dup"))
        else:
            lines.append(classification(f"img{i}.jpg", f"label{i % 7}"))
    lines.append(classification("img5.jpg", "cat"))  # repeats a line of the first part
    path = write(tmp_path / "m.manifest", lines)
    result = _both(path)
    assert result["parts"] == 2  # the machine running this has at least 2 cores
    assert result["single"] == result["parallel"]
    report = result["parallel"]
    assert isinstance(report, dict)
    assert 3001 == report["training"]["total_json_lines"]
    duplicate_lines = [
        i["line"] for i in report["issues"] if i["code"] == "RV_DUPLICATE_SOURCE_REF"
    ]
    assert 3001 in duplicate_lines


def test_byte_order_mark_only_at_the_start(tmp_path: Path) -> None:
    """The BOM warning belongs to line 1 in both modes."""
    path = tmp_path / "m.manifest"
    body = "".join(json.dumps(classification(f"i{i}.jpg", f"l{i % 3}")) + "\n" for i in range(2000))
    path.write_bytes(b"\xef\xbb\xbf" + body.encode())
    result = _both(path)
    assert result["single"] == result["parallel"]
