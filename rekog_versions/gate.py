"""Two trained versions side by side, and the quality gate a new version must pass.

:func:`compare_summaries` and :meth:`QualityGate.check` do no I/O:
``ProjectVersionsClient.compare()`` reads the evaluation summaries and calls them, and
so does the ``rekog-versions gate`` command.
"""

from __future__ import annotations

import math
import unicodedata
from typing import TYPE_CHECKING, Any, Final

import attrs

if TYPE_CHECKING:
    from rekog_versions.models import S3Object
    from rekog_versions.results import (
        DataResult,
        EvaluationSummary,
        LabelMetrics,
        ProjectVersion,
    )

__all__ = [
    "Comparison",
    "GateResult",
    "MetricsComparison",
    "QualityGate",
    "compare_summaries",
]


def _delta(candidate: float | None, baseline: float | None) -> float | None:
    if candidate is None or baseline is None:
        return None
    return candidate - baseline


@attrs.frozen(kw_only=True)
class MetricsComparison:
    """One label's metrics (or the aggregate's, ``label`` ``None``) on both sides.

    Each metric is a ``(candidate, baseline)`` pair; ``None`` where a side has no value.
    """

    label: str | None
    f1_score: tuple[float | None, float | None]
    precision: tuple[float | None, float | None]
    recall: tuple[float | None, float | None]
    threshold: tuple[float | None, float | None]
    testing_images: tuple[int | None, int | None]

    @property
    def f1_delta(self) -> float | None:
        """Candidate F1 minus baseline F1, or ``None`` if either is unknown."""
        return _delta(*self.f1_score)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: each metric as ``{"candidate", "baseline", "delta"}``."""
        data: dict[str, Any] = {"label": self.label}
        for name in ("f1_score", "precision", "recall", "threshold", "testing_images"):
            candidate, baseline = getattr(self, name)
            data[name] = {
                "candidate": candidate,
                "baseline": baseline,
                "delta": _delta(candidate, baseline),
            }
        return data


def _pair(
    label: str | None, candidate: LabelMetrics | None, baseline: LabelMetrics | None
) -> MetricsComparison:
    def side(metrics: LabelMetrics | None, name: str) -> Any:  # noqa: ANN401 - a metric
        return None if metrics is None else getattr(metrics, name)

    return MetricsComparison(
        label=label,
        f1_score=(side(candidate, "f1_score"), side(baseline, "f1_score")),
        precision=(side(candidate, "precision"), side(baseline, "precision")),
        recall=(side(candidate, "recall"), side(baseline, "recall")),
        threshold=(side(candidate, "threshold"), side(baseline, "threshold")),
        testing_images=(side(candidate, "testing_images"), side(baseline, "testing_images")),
    )


@attrs.frozen(kw_only=True)
class Comparison:
    """A candidate version's evaluation next to a baseline's.

    Attributes:
        candidate: The candidate version, as described.
        baseline: The baseline version, as described.
        aggregate: The aggregate metrics on both sides (F1, precision, recall; the test
            images of each summary).
        per_label: The labels both versions were evaluated on, sorted.
        only_in_candidate: Labels only the candidate was evaluated on.
        only_in_baseline: Labels only the baseline was evaluated on.
        not_comparable: Why the figures are not comparable (the two versions were not
            tested on the same test manifests), or ``None`` when they are.
    """

    candidate: ProjectVersion
    baseline: ProjectVersion
    aggregate: MetricsComparison
    per_label: tuple[MetricsComparison, ...]
    only_in_candidate: tuple[str, ...]
    only_in_baseline: tuple[str, ...]
    not_comparable: str | None

    @property
    def comparable(self) -> bool:
        """Whether both versions were tested on the same test manifests."""
        return self.not_comparable is None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "candidate": self.candidate.arn,
            "baseline": self.baseline.arn,
            "comparable": self.comparable,
            "not_comparable": self.not_comparable,
            "aggregate": self.aggregate.to_dict(),
            "per_label": [item.to_dict() for item in self.per_label],
            "only_in_candidate": list(self.only_in_candidate),
            "only_in_baseline": list(self.only_in_baseline),
        }


def _test_sets(data: DataResult | None) -> tuple[bool, list[S3Object]]:
    if data is None:
        return False, []
    return bool(data.auto_create), list(data.input)


def _not_comparable(candidate: ProjectVersion, baseline: ProjectVersion) -> str | None:
    """Why two versions' figures cannot be compared, from their TestingDataResult."""
    candidate_auto, candidate_input = _test_sets(candidate.testing_data)
    baseline_auto, baseline_input = _test_sets(baseline.testing_data)
    if candidate_auto or baseline_auto:
        which = "both were" if candidate_auto and baseline_auto else "one was"
        return (
            f"{which} tested on a test set split automatically from the training data "
            "(AutoCreate), which differs from one training to the next"
        )
    if not candidate_input or not baseline_input:
        return "the service reports no test manifest for at least one of the versions"
    key = [(item.bucket, item.name, item.version) for item in candidate_input]
    if key != [(item.bucket, item.name, item.version) for item in baseline_input]:
        return (
            "they were tested on different test manifests: "
            f"{', '.join(item.uri for item in candidate_input)} (candidate) and "
            f"{', '.join(item.uri for item in baseline_input)} (baseline)"
        )
    return None


def compare_summaries(
    candidate: ProjectVersion,
    candidate_summary: EvaluationSummary,
    baseline: ProjectVersion,
    baseline_summary: EvaluationSummary,
) -> Comparison:
    """Compare two versions' evaluation summaries, aggregate and per label."""
    mine = {item.label: item for item in candidate_summary.per_label}
    theirs = {item.label: item for item in baseline_summary.per_label}
    aggregate = MetricsComparison(
        label=None,
        f1_score=(_f1(candidate, candidate_summary), _f1(baseline, baseline_summary)),
        precision=(candidate_summary.aggregate.precision, baseline_summary.aggregate.precision),
        recall=(candidate_summary.aggregate.recall, baseline_summary.aggregate.recall),
        threshold=(None, None),
        testing_images=(candidate_summary.testing_images, baseline_summary.testing_images),
    )
    return Comparison(
        candidate=candidate,
        baseline=baseline,
        aggregate=aggregate,
        per_label=tuple(
            _pair(label, mine[label], theirs[label]) for label in sorted(mine.keys() & theirs)
        ),
        only_in_candidate=tuple(sorted(mine.keys() - theirs.keys())),
        only_in_baseline=tuple(sorted(theirs.keys() - mine.keys())),
        not_comparable=_not_comparable(candidate, baseline),
    )


def _f1(version: ProjectVersion, summary: EvaluationSummary) -> float | None:
    """The aggregate F1: the summary's, or the one DescribeProjectVersions reports."""
    value = summary.aggregate.f1_score
    return version.f1_score if value is None else value


def _unit(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A gate's bound is a fraction, 0 to 1, as F1 scores are."""
    if value is not None and not (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and 0 <= value <= 1
    ):
        raise ValueError(f"{attribute.name} must be between 0 and 1, got {value!r}")


@attrs.frozen(kw_only=True)
class QualityGate:
    """The conditions a candidate version must meet; each is off when ``None``.

    Attributes:
        min_f1: The least aggregate F1 (0 to 1).
        min_label_f1: The least F1 of every label the candidate was evaluated on.
        max_f1_drop: The most the aggregate F1 may fall below the baseline's.
    """

    min_f1: float | None = attrs.field(default=None, validator=_unit)
    min_label_f1: float | None = attrs.field(default=None, validator=_unit)
    max_f1_drop: float | None = attrs.field(default=None, validator=_unit)

    def check(
        self,
        candidate: ProjectVersion,
        summary: EvaluationSummary,
        comparison: Comparison | None = None,
    ) -> GateResult:
        """Judge the candidate; every failed condition is named.

        Raises:
            ValueError: ``max_f1_drop`` is set and there is no comparison.
        """
        if self.max_f1_drop is not None and comparison is None:
            raise ValueError("max_f1_drop compares with a baseline: give a comparison")
        failures: list[str] = []
        f1 = _f1(candidate, summary)
        if self.min_f1 is not None and (f1 is None or f1 < self.min_f1):
            failures.append(f"aggregate F1 {_show(f1)} is below the minimum {self.min_f1:g}")
        if self.min_label_f1 is not None:
            failures.extend(
                f"label {item.label!r}: F1 {_show(item.f1_score)} is below the minimum "
                f"{self.min_label_f1:g}"
                for item in summary.per_label
                if item.f1_score is None or item.f1_score < self.min_label_f1
            )
        if self.max_f1_drop is not None and comparison is not None:
            delta = comparison.aggregate.f1_delta
            if delta is None:
                failures.append("the F1 drop cannot be measured: an F1 score is unknown")
            elif -delta > self.max_f1_drop:
                failures.append(
                    f"aggregate F1 fell by {-delta:.3f} from the baseline's "
                    f"{_show(comparison.aggregate.f1_score[1])} (at most {self.max_f1_drop:g})"
                )
        return GateResult(
            gate=self,
            candidate=candidate,
            summary=summary,
            comparison=comparison,
            failures=tuple(failures),
        )


def _show(value: float | None) -> str:
    return "unknown" if value is None else f"{value:.3f}"


@attrs.frozen(kw_only=True)
class GateResult:
    """The judgement of a :class:`QualityGate`, with what it judged."""

    gate: QualityGate
    candidate: ProjectVersion
    summary: EvaluationSummary
    comparison: Comparison | None
    failures: tuple[str, ...]
    """Each failed condition, in words; empty when the gate passed."""
    notes: tuple[str, ...] = ()
    """What the reader should know besides (a condition that was not checked, say)."""

    @property
    def passed(self) -> bool:
        """Whether every condition holds."""
        return not self.failures

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data."""
        return {
            "passed": self.passed,
            "failures": list(self.failures),
            "notes": list(self.notes),
            "conditions": attrs.asdict(self.gate),
            "candidate": self.candidate.arn,
            "f1_score": _f1(self.candidate, self.summary),
            "comparison": None if self.comparison is None else self.comparison.to_dict(),
            "per_label": [attrs.asdict(item) for item in self.summary.per_label],
        }

    def _notes(self) -> list[str]:
        notes = [f"baseline: {self.comparison.baseline.arn}"] if self.comparison else []
        notes.extend(self.notes)
        if self.comparison is not None:
            if self.comparison.not_comparable:
                notes.append(f"not comparable: {self.comparison.not_comparable}")
            if self.comparison.only_in_baseline:
                notes.append(
                    "labels only the baseline has: " + ", ".join(self.comparison.only_in_baseline)
                )
        return notes

    def _table(self) -> tuple[list[str], list[list[str]]]:
        return metrics_table(
            self.summary, f1=_f1(self.candidate, self.summary), comparison=self.comparison
        )

    def to_text(self) -> str:
        """Plain text: the verdict, each failure, the table."""
        lines = [
            f"{'PASSED' if self.passed else 'FAILED'}: {self.candidate.arn}",
            *(f"  - {failure}" for failure in self.failures),
            *self._notes(),
            "",
            text_table(*self._table()),
        ]
        return "\n".join(lines)

    def to_markdown(self) -> str:
        """Markdown for a CI job summary or a pull-request comment."""
        header, rows = self._table()
        verdict = "✅ passed" if self.passed else "❌ failed"
        lines = [f"### Quality gate {verdict}: `{self.candidate.name}`", ""]
        lines.extend(f"- {_escape(failure)}" for failure in self.failures)
        lines.extend(f"- {_escape(note)}" for note in self._notes())
        if len(lines) > 2:  # anything under the heading and its blank line
            lines.append("")
        lines.append("| " + " | ".join(header) + " |")
        lines.append("| --- |" + " ---: |" * (len(header) - 1))
        lines.extend("| " + " | ".join(_escape(cell) for cell in row) + " |" for row in rows)
        return "\n".join(lines)


def metrics_table(
    summary: EvaluationSummary,
    *,
    f1: float | None = None,
    comparison: Comparison | None = None,
) -> tuple[list[str], list[list[str]]]:
    """An evaluation's metrics as a table: a row a label, then the aggregate.

    ``f1`` is the aggregate F1 to show (by default the summary's); with a comparison,
    the baseline's F1 and the change are two more columns.
    """
    header = ["label", "images", "threshold", "precision", "recall", "F1"]
    by_label = {} if comparison is None else {item.label: item for item in comparison.per_label}
    if comparison is not None:
        header += ["baseline F1", "Δ F1"]
    rows: list[list[str]] = []
    for item in summary.per_label:
        row = [
            item.label,
            _cell(item.testing_images),
            _cell(item.threshold),
            _cell(item.precision),
            _cell(item.recall),
            _cell(item.f1_score),
        ]
        if comparison is not None:
            paired = by_label.get(item.label)
            row += (
                ["(new)", ""]
                if paired is None
                else [_cell(paired.f1_score[1]), _cell(paired.f1_delta, signed=True)]
            )
        rows.append(row)
    aggregate = summary.aggregate
    total = [
        "(all labels)",
        _cell(summary.testing_images),
        "",
        _cell(aggregate.precision),
        _cell(aggregate.recall),
        _cell(aggregate.f1_score if f1 is None else f1),
    ]
    if comparison is not None:
        total += [
            _cell(comparison.aggregate.f1_score[1]),
            _cell(comparison.aggregate.f1_delta, signed=True),
        ]
    rows.append(total)
    return header, rows


def text_table(header: list[str], rows: list[list[str]]) -> str:
    """Columns aligned for a terminal: the first to the left, the numbers to the right."""
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    return "\n".join(
        "  ".join(
            cell.ljust(widths[i]) if i == 0 else cell.rjust(widths[i]) for i, cell in enumerate(row)
        ).rstrip()
        for row in [header, *rows]
    )


def _cell(value: float | None, *, signed: bool = False) -> str:
    if value is None:
        return "-"
    if isinstance(value, int):
        return str(value)
    return f"{value:+.3f}" if signed else f"{value:.3f}"


#: How a character that would end a Markdown line or cell is shown instead.
_SHOWN: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(text: str) -> str:
    r"""Text safe in a Markdown table cell or list item, whatever a label holds.

    Markdown's own characters (``|``, ``*``, ...) are escaped with a backslash; a line
    break, which would end the row, and any other control character or line separator
    are shown as escapes (``\n``, ``\u2028``), so a label can neither leave its cell nor
    add Markdown of its own.
    """
    shown: list[str] = []
    for char in text:
        if char in "\\|*_`[]<>#":
            shown.append(f"\\{char}")
        elif char in _SHOWN:
            shown.append(_SHOWN[char])
        elif unicodedata.category(char) in ("Cc", "Zl", "Zp"):
            shown.append(f"\\u{ord(char):04x}")
        else:
            shown.append(char)
    return "".join(shown)
