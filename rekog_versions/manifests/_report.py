"""What manifest validation found: problems, statistics in the service's terms, a verdict."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import attrs

from rekog_versions.results import Severity

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rekog_versions._defaults import Feature
    from rekog_versions.results import DatasetManifestSummary, ManifestProblem

__all__ = ["ManifestProgress", "ManifestReport"]


@attrs.frozen(kw_only=True)
class ManifestProgress:
    """How far validation has got, for ``on_progress``."""

    dataset: str
    lines: int
    images_checked: int = 0
    images_to_check: int = 0
    done: bool = False


@attrs.frozen(kw_only=True)
class ManifestReport:
    """The result of :func:`~rekog_versions.manifests.validate_manifest`.

    Attributes:
        ok: Whether training would proceed: no error concerns a whole dataset (line
            errors only drop their lines, unless too many lines are invalid).
        feature: What the manifests train: ``CUSTOM_LABELS`` or ``CONTENT_MODERATION``.
        training: The training dataset's statistics.
        testing: The testing dataset's, when a testing manifest was given.
        problems: The problems found, dataset-level first; at most ``max_problems`` of them.
        problem_counts: How many problems of each code were found, including any left out
            of ``problems``.
        truncated: Whether ``problems`` was cut at ``max_problems``.
    """

    ok: bool
    feature: Feature
    training: DatasetManifestSummary
    testing: DatasetManifestSummary | None
    problems: tuple[ManifestProblem, ...]
    problem_counts: Mapping[str, int]
    truncated: bool = False

    @property
    def errors(self) -> tuple[ManifestProblem, ...]:
        """The problems of severity ``ERROR``."""
        return tuple(problem for problem in self.problems if problem.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[ManifestProblem, ...]:
        """The problems of severity ``WARNING``."""
        return tuple(problem for problem in self.problems if problem.severity is Severity.WARNING)

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "ok": self.ok,
            "feature": self.feature,
            "training": self.training.to_dict(),
            "testing": None if self.testing is None else self.testing.to_dict(),
            "problem_counts": dict(sorted(self.problem_counts.items())),
            "truncated": self.truncated,
            "problems": [problem.to_dict() for problem in self.problems],
        }

    def to_json(self, *, indent: int | None = 2) -> str:
        """The report as a JSON document."""
        return json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)

    def to_text(self, *, max_lines: int = 50) -> str:
        """The report for people: verdict, statistics, then the problems (at most ``max_lines``)."""
        lines = [
            "training would proceed"
            if self.ok
            else "training would fail: see the errors without a line number below"
        ]
        for dataset in (self.training, self.testing):
            if dataset is None:
                continue
            name = "training" if dataset is self.training else "testing"
            lines.append(
                f"{name}: {dataset.source}: {dataset.use_case}, {dataset.total_json_lines} lines "
                f"({dataset.valid_json_lines} valid, {dataset.invalid_json_lines} invalid, "
                f"{dataset.ignored_json_lines} ignored), {len(dataset.labels)} labels"
            )
            for label, count in sorted(dataset.labels.items())[:20]:
                boxes = f", {count.boxes} boxes" if count.boxes else ""
                lines.append(f"  {label}: {count.images} images{boxes}")
            if len(dataset.labels) > 20:
                lines.append(f"  ... and {len(dataset.labels) - 20} more labels")
        shown = self.problems[:max_lines]
        lines.extend(str(problem) for problem in shown)
        hidden = sum(self.problem_counts.values()) - len(shown)
        if hidden > 0:
            counts = ", ".join(f"{code} {n}" for code, n in sorted(self.problem_counts.items()))
            lines.append(f"... {hidden} more problems not shown (by code: {counts})")
        return "\n".join(lines)
