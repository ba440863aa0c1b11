"""The offline demo runs end to end."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from rekog_versions.cli import main
from rekog_versions.testing.demo import run_demo

if TYPE_CHECKING:
    import pytest


def test_demo_end_to_end() -> None:
    """Every step of the demo runs, offline, and it ends with exit code 0."""
    out, err = io.StringIO(), io.StringIO()
    assert 0 == run_demo(out, err, training_seconds=0.2)
    text = out.getvalue()
    for step in ("1. ", "2. ", "3. ", "4. ", "5. ", "6. "):
        assert f"\n{step}" in f"\n{text}"
    assert "training would proceed" in text
    assert "animals-v1: TRAINING_COMPLETED" in text
    assert "training would fail" in text
    assert "ERROR_INVALID_SOURCE_REF_FORMAT" in text
    assert "TrainingFailedError" in text
    assert "error codes: ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT" in text


def test_demo_command_is_wired(monkeypatch: pytest.MonkeyPatch) -> None:
    """rekog-versions demo runs the demo."""
    calls: list[object] = []

    def fake_demo(out: object, err: object) -> int:
        calls.append((out, err))
        return 0

    monkeypatch.setattr("rekog_versions.testing.demo.run_demo", fake_demo)
    assert 0 == main(["demo"], stdout=io.StringIO(), stderr=io.StringIO())
    assert 1 == len(calls)
