"""What manifest validation found: problems, statistics in the service's terms, a verdict."""

from __future__ import annotations

import enum
import json
import warnings
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = [
    "DatasetReport",
    "LabelCount",
    "ManifestIssue",
    "ManifestProblem",
    "ManifestReport",
    "Severity",
]


class Severity(str, enum.Enum):
    """How bad a problem is: an error stops training or drops the line; a warning does not."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        """The lower-case name."""
        return self.value


@attrs.frozen(kw_only=True)
class ManifestProblem:
    """One thing wrong with a manifest, a line of it, or a part of a line.

    Attributes:
        code: The service's code where it has one (``ERROR_MISSING_CLASS_MAP_ID``), so it
            can be matched with what a failed training writes; otherwise this library's,
            prefixed ``RV_``.
        message: What is wrong, and what was found.
        severity: ``ERROR`` or ``WARNING``.
        dataset: ``training`` or ``testing``.
        line: The 1-based line number, or ``None`` for a problem of the whole manifest.
        path: Where in the line's JSON, e.g. ``bounding-box.annotations[2].width``.
    """

    code: str
    message: str
    severity: Severity = Severity.ERROR
    dataset: str = "training"
    line: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        """``dataset line N (path): CODE: message``."""
        where = self.dataset
        if self.line is not None:
            where += f" line {self.line}"
        if self.path:
            where += f" ({self.path})"
        return f"{where}: {self.severity}: {self.code}: {self.message}"

    def to_dict(self) -> dict[str, Any]:
        """The problem as JSON-ready data."""
        return {
            "code": self.code,
            "message": self.message,
            "severity": self.severity.value,
            "dataset": self.dataset,
            "line": self.line,
            "path": self.path,
        }


ManifestIssue = ManifestProblem
"""The former name of :class:`ManifestProblem`, still accepted."""


@attrs.frozen(kw_only=True)
class LabelCount:
    """How often a label occurs in a dataset's usable lines."""

    images: int
    """Lines (images) that carry the label."""
    boxes: int
    """Bounding boxes of the label (object localization only)."""


@attrs.frozen(kw_only=True)
class DatasetReport:
    """The statistics of one dataset, in the terms of the service's manifest summary."""

    source: str
    use_case: str
    """``IMAGE_LEVEL_LABELS``, ``OBJECT_LOCALIZATION``, ``CONTENT_MODERATION`` or
    ``NOT_DETERMINED``."""
    total_json_lines: int
    valid_json_lines: int
    invalid_json_lines: int
    ignored_json_lines: int
    labels: Mapping[str, LabelCount]
    size_bytes: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """The statistics as JSON-ready data."""
        return {
            "source": self.source,
            "use_case": self.use_case,
            "total_json_lines": self.total_json_lines,
            "valid_json_lines": self.valid_json_lines,
            "invalid_json_lines": self.invalid_json_lines,
            "ignored_json_lines": self.ignored_json_lines,
            "size_bytes": self.size_bytes,
            "labels": {
                name: {"images": count.images, "boxes": count.boxes}
                for name, count in sorted(self.labels.items())
            },
        }


@attrs.frozen(kw_only=True)
class ManifestReport:
    """The result of :func:`~rekog_versions.validate_manifest`.

    Attributes:
        ok: Whether training would proceed: no error concerns a whole dataset (line
            errors only drop their lines, unless too many lines are invalid).
        training: The training dataset's statistics.
        testing: The testing dataset's, when a testing manifest was given.
        problems: The problems found, dataset-level first; at most ``max_problems`` of them.
        problem_counts: How many problems of each code were found, including any left out
            of ``problems``.
        truncated: Whether ``problems`` was cut at ``max_problems``.
    """

    ok: bool
    kind: str
    training: DatasetReport
    testing: DatasetReport | None
    problems: tuple[ManifestProblem, ...]
    problem_counts: Mapping[str, int]
    truncated: bool = False

    @property
    def issues(self) -> tuple[ManifestProblem, ...]:
        """The former name of :attr:`problems`, still accepted (deprecated)."""
        warnings.warn("ManifestReport.issues is now .problems", DeprecationWarning, stacklevel=2)
        return self.problems

    @property
    def issue_counts(self) -> Mapping[str, int]:
        """The former name of :attr:`problem_counts`, still accepted (deprecated)."""
        message = "ManifestReport.issue_counts is now .problem_counts"
        warnings.warn(message, DeprecationWarning, stacklevel=2)
        return self.problem_counts

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
            "kind": self.kind,
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
