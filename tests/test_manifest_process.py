"""The manifest scan runs in the calling process, and finds repeated images exactly."""

from __future__ import annotations

import itertools
import json
import multiprocessing
import os
import subprocess
from typing import TYPE_CHECKING

import pytest
from hypothesis import given
from hypothesis import strategies as st

from manifest_lines import classification, write
from rekog_versions.manifests import validate_manifest
from rekog_versions.manifests._reading import iter_lines

if TYPE_CHECKING:
    from pathlib import Path


def _refuse(*_: object, **__: object) -> None:
    raise AssertionError("validate_manifest made a process")


def test_a_large_manifest_is_read_without_making_processes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A manifest well over the old 16 MB threshold is read in this process alone."""
    line = json.dumps(classification("x.jpg", "cat")).encode()
    pad = b" " * 4000  # whitespace inside the JSON object keeps each line valid
    body = b"".join(
        line.replace(b"x.jpg", f"i{i}.jpg".encode())[:-1] + pad + b"}\n" for i in range(4500)
    )
    path = tmp_path / "large.manifest"
    path.write_bytes(body)
    assert path.stat().st_size > 17 * 1024 * 1024
    for target in (os, subprocess):
        for name in ("fork", "forkpty", "posix_spawn", "Popen"):
            if hasattr(target, name):
                monkeypatch.setattr(target, name, _refuse)
    monkeypatch.setattr(multiprocessing.Process, "start", _refuse)
    report = validate_manifest(path)
    assert (4500, 4500) == (report.training.total_json_lines, report.training.valid_json_lines)


def test_repeated_images_are_found_exactly(tmp_path: Path) -> None:
    """Only a source-ref seen before, to the character, is a duplicate."""
    lines = [
        classification("a.jpg", "cat"),
        classification("b.jpg", "dog"),
        classification("a.jpg", "dog"),  # the same image again
        classification("A.jpg", "cat"),  # another key: S3 keys are case-sensitive
        classification("a.jpg ", "cat"),  # another key still
    ]
    report = validate_manifest(write(tmp_path / "m.manifest", lines))
    duplicates = [
        problem.line for problem in report.problems if problem.code == "RV_DUPLICATE_SOURCE_REF"
    ]
    assert [3] == duplicates
    assert (5, 4, 1) == (
        report.training.total_json_lines,
        report.training.valid_json_lines,
        report.training.ignored_json_lines,
    )


def test_byte_order_mark_only_at_the_start(tmp_path: Path) -> None:
    """A BOM opening the file is a warning on line 1; one opening a later line is bad JSON."""
    good = json.dumps(classification("a.jpg", "cat")).encode()
    other = json.dumps(classification("b.jpg", "dog")).encode()
    path = tmp_path / "m.manifest"
    path.write_bytes(b"\xef\xbb\xbf" + good + b"\n\xef\xbb\xbf" + other + b"\n")
    report = validate_manifest(path)
    found = [
        (problem.code, problem.line) for problem in report.problems if problem.line is not None
    ]
    assert [("RV_BYTE_ORDER_MARK", 1), ("ERROR_INVALID_JSON_LINE", 2)] == found
    assert (1, 1) == (report.training.valid_json_lines, report.training.invalid_json_lines)


def _large_manifest(path: Path, megabytes: int) -> Path:
    line = json.dumps(classification("x.jpg", "cat")).encode()
    pad = b" " * 4000
    count = megabytes * 1024 * 1024 // (len(line) + len(pad))
    path.write_bytes(
        b"".join(
            line.replace(b"x.jpg", f"i{i}.jpg".encode())[:-1] + pad + b"}\n" for i in range(count)
        )
    )
    return path


def _report_of(path: str) -> tuple[int, bool]:
    report = validate_manifest(path)
    return report.training.total_json_lines, report.ok


def test_a_large_manifest_validates_inside_a_pool_worker(tmp_path: Path) -> None:
    """A daemonic pool worker may not make processes; validation needs none."""
    path = _large_manifest(tmp_path / "large.manifest", 17)
    context = multiprocessing.get_context("fork")
    with context.Pool(1) as pool:
        lines, ok = pool.apply(_report_of, (str(path),))
    assert lines > 4000
    assert ok is False  # a single label: too few labels, but a report all the same


def test_a_huge_last_line_over_the_midpoint_is_one_invalid_line(tmp_path: Path) -> None:
    """A 17 MB manifest whose second line is 17 MB long: that line is too long, no crash."""
    path = tmp_path / "long.manifest"
    good = json.dumps(classification("a.jpg", "cat")).encode()
    path.write_bytes(good + b"\n" + b"x" * (17 * 1024 * 1024))
    report = validate_manifest(path)
    found = [
        (problem.code, problem.line) for problem in report.problems if problem.line is not None
    ]
    assert [("RV_LINE_TOO_LONG", 2)] == found


@pytest.mark.parametrize(
    ("signal_name", "returncode"),
    [("SIGKILL", -9), ("SIGTERM", 143), ("SIGINT", 130)],
    ids=["kill", "term", "interrupt"],
)
def test_a_signal_to_the_command_ends_its_output_at_once(
    tmp_path: Path, signal_name: str, returncode: int
) -> None:
    """A signal to rekog-versions mid-validation ends it; no other process keeps its stdout."""
    import signal  # noqa: PLC0415
    import sys  # noqa: PLC0415

    line = json.dumps(classification("x.jpg", "cat")).encode()
    path = tmp_path / "many.manifest"
    path.write_bytes(
        b"".join(line.replace(b"x.jpg", f"i{i}.jpg".encode()) + b"\n" for i in range(200_000))
    )
    assert path.stat().st_size > 17 * 1024 * 1024
    command = [sys.executable, "-c", "from rekog_versions.cli import entry_point; entry_point()"]
    process = subprocess.Popen(
        [*command, "validate-manifest", str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        assert process.stderr is not None
        first = process.stderr.readline()  # the first progress line: it is validating
        assert b"lines" in first
        process.send_signal(getattr(signal, signal_name))
        # With a worker process holding the pipe, this read would not end.
        stdout, _ = process.communicate(timeout=30)
    finally:
        process.kill()
    assert returncode == process.returncode
    assert b"" == stdout


@given(
    lines=st.lists(st.binary(max_size=12).filter(lambda b: b"\n" not in b), max_size=12),
    final_newline=st.booleans(),
    pieces=st.lists(st.integers(min_value=1, max_value=9), min_size=1, max_size=8),
    limit=st.integers(min_value=0, max_value=10),
)
def test_lines_are_split_the_same_whatever_the_chunks(
    lines: list[bytes], final_newline: bool, pieces: list[int], limit: int
) -> None:
    """Any file, read in chunks of any sizes: each line whole, or None when over the limit."""
    data = b"\n".join(lines) + (b"\n" if final_newline and lines else b"")
    position = 0
    parts: list[bytes] = []
    for size in itertools.cycle(pieces):
        if position >= len(data):
            break
        parts.append(data[position : position + size])
        position += size
    chunks = iter(parts)
    expected = [None if len(line) > limit else line for line in data.split(b"\n")]
    if expected and expected[-1] == b"":  # a final newline ends the last line; no empty line
        expected.pop()
    assert list(iter_lines(lambda _size: next(chunks, b""), limit)) == expected
