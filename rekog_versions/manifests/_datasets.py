"""The rules of a whole dataset, on the statistics its lines leave behind.

:class:`Dataset` counts while the lines stream by; once they are read, the rules judge
it: first those of the file (rows, invalid rows, buckets), then, once the model type is
known, those of its labels. Each rule is a small named check that returns its problem
(a code and a message) or ``None``, in the tables :data:`FILE_RULES` and
:data:`LABEL_RULES`; the rules between the two datasets (label overlap, the automatic
split) come last.
"""

from __future__ import annotations

import threading
from collections import Counter
from typing import TYPE_CHECKING, Final

import attrs

from rekog_versions.manifests._lines import CLASSIFICATION, MODERATION, OBJECT_LOCALIZATION
from rekog_versions.results import DatasetManifestSummary, LabelCount, ManifestProblem, Severity

if TYPE_CHECKING:
    from rekog_versions._defaults import Feature

__all__ = [
    "MAX_INVALID_FRACTION",
    "MAX_LABELS",
    "MAX_LINES",
    "MAX_TEST_IMAGES_PER_LABEL",
    "MIN_IMAGES_FOR_AUTOSPLIT",
    "MIN_LABELS",
    "MIN_LABEL_OVERLAP",
    "Dataset",
    "Problems",
    "judge_datasets",
]

MAX_LINES: Final = 250_000
MAX_INVALID_FRACTION: Final = 0.20
MIN_LABELS: Final = {CLASSIFICATION: 2, OBJECT_LOCALIZATION: 1, MODERATION: 1}
MAX_LABELS: Final = 250
MAX_TEST_IMAGES_PER_LABEL: Final = 1000
MIN_LABEL_OVERLAP: Final = 0.5
MIN_IMAGES_FOR_AUTOSPLIT: Final = 2
_UNDETERMINED: Final = "NOT_DETERMINED"


class Problems:
    """Collects problems up to a limit, counting every one, and the lines with errors."""

    def __init__(self, limit: int) -> None:
        """Keep at most ``limit`` problems of lines (every problem of a dataset is kept)."""
        self.limit = limit
        self.kept: list[ManifestProblem] = []
        self.lines_kept = 0
        self.counts: Counter[str] = Counter()
        self.error_lines: dict[str | None, set[int]] = {}
        """The 0-based index of each line with an error, by dataset."""
        self.lock = threading.Lock()

    def __call__(self, problem: ManifestProblem) -> None:
        """Count and keep one problem (from any thread)."""
        with self.lock:
            self.counts[problem.code] += 1
            line = problem.line
            if line is not None and problem.severity is Severity.ERROR:
                self.error_lines.setdefault(problem.dataset, set()).add(line - 1)
            # Problems of a whole dataset are few and decide the verdict: always kept.
            if line is None or self.lines_kept < self.limit:
                self.kept.append(problem)
                if line is not None:
                    self.lines_kept += 1


@attrs.define
class Dataset:
    """Running statistics of one dataset while its lines stream by."""

    name: str
    source: str = ""
    size: int | None = None
    total: int = 0
    invalid: int = 0
    ignored: int = 0
    per_use_case: dict[str, int] = attrs.field(factory=dict[str, int])
    labels: dict[str, dict[str, list[int]]] = attrs.field(factory=dict[str, dict[str, list[int]]])
    """use case → label → [images, boxes]."""
    first_lines: dict[str, list[int]] = attrs.field(factory=dict[str, list[int]])
    buckets: dict[str, int] = attrs.field(factory=dict[str, int])
    """bucket → first line that uses it."""
    file_error: bool = False
    use_case: str = _UNDETERMINED

    def count(self, use_case: str, labels: dict[str, int], sign: int = 1) -> None:
        """Count (or, with ``sign=-1``, take back) a valid line's labels."""
        table = self.labels.get(use_case)
        if table is None:
            table = self.labels[use_case] = {}
        for label, boxes in labels.items():
            if label in table:
                entry = table[label]
                entry[0] += sign
                entry[1] += sign * boxes
            else:
                table[label] = [sign, sign * boxes]
        self.per_use_case[use_case] = self.per_use_case.get(use_case, 0) + sign

    def chosen_labels(self) -> dict[str, list[int]]:
        """The labels of the use case the service trains on, ``[images, boxes]`` each."""
        return {
            label: counts
            for label, counts in self.labels.get(self.use_case, {}).items()
            if counts[0] > 0
        }

    def problem(self, code: str, message: str, *, dataset: str | None = "") -> ManifestProblem:
        """A problem of this dataset as a whole (``dataset=None``: of both datasets)."""
        return ManifestProblem(
            code=code, message=message, dataset=self.name if dataset == "" else dataset
        )

    def summary(self, problems: Problems) -> DatasetManifestSummary:
        """The statistics, in the manifest summary's terms."""
        return DatasetManifestSummary(
            source=self.source,
            use_case=self.use_case,
            total_json_lines=self.total,
            valid_json_lines=self.total - self.invalid - self.ignored,
            invalid_json_lines=self.invalid,
            ignored_json_lines=self.ignored,
            error_json_line_indices=tuple(sorted(problems.error_lines.get(self.name, ()))),
            errors=tuple(
                problem
                for problem in problems.kept
                if problem.line is None
                and problem.dataset == self.name
                and problem.severity is Severity.ERROR
            ),
            labels={
                label: LabelCount(images=counts[0], boxes=counts[1])
                for label, counts in self.chosen_labels().items()
            },
            size_bytes=self.size,
        )


# -- the file's rules: on the lines' statistics ------------------------------------------

#: A rule's verdict: the code and the message, or ``None`` when the rule holds.
Verdict = tuple[str, str] | None


def _too_many_rows(dataset: Dataset) -> Verdict:
    if dataset.total <= MAX_LINES:
        return None
    return (
        "ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM",
        f"the manifest file has too many rows: {dataset.total} (at most {MAX_LINES})",
    )


def _too_many_invalid(dataset: Dataset) -> Verdict:
    counted = dataset.total - dataset.ignored
    if not counted or dataset.invalid / counted <= MAX_INVALID_FRACTION:
        return None
    return (
        "ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST",
        (
            f"the manifest file contains too many invalid rows: {dataset.invalid} of {counted} "
            f"lines ({dataset.invalid / counted:.1%}; more than {MAX_INVALID_FRACTION:.0%} fails "
            "training; ignored lines do not count)"
        ),
    )


def _multiple_buckets(dataset: Dataset) -> Verdict:
    if len(dataset.buckets) <= 1:
        return None
    shown = ", ".join(
        f"{bucket} (line {line})" for bucket, line in list(dataset.buckets.items())[:5]
    )
    return (
        "ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS",
        f"the manifest file contains images from multiple S3 buckets: {shown}",
    )


#: The rules on a dataset's lines, before its model type is known.
FILE_RULES: Final = (_too_many_rows, _too_many_invalid, _multiple_buckets)


# -- the labels' rules: once the model type is known ---------------------------------------


@attrs.frozen
class _Labels:
    """What the label rules judge: the dataset's labels of its model type."""

    dataset: Dataset
    labels: dict[str, list[int]]
    mixed: bool
    """Whether the lines had several model types (the others' are dropped)."""
    testing: bool


def _too_few_labels(given: _Labels) -> Verdict:
    least = MIN_LABELS[given.dataset.use_case]
    if len(given.labels) >= least:
        return None
    usable = "usable " if given.mixed else ""
    return (
        "ERROR_MANIFEST_TOO_FEW_USABLE_LABELS" if given.mixed else "ERROR_MANIFEST_TOO_FEW_LABELS",
        (
            f"the manifest file has too few {usable}labels: {len(given.labels)} "
            f"({given.dataset.use_case} needs at least {least})"
        ),
    )


def _too_many_labels(given: _Labels) -> Verdict:
    if len(given.labels) <= MAX_LABELS:
        return None
    return (
        "ERROR_MANIFEST_TOO_MANY_LABELS",
        f"the manifest file has too many labels: {len(given.labels)} (at most {MAX_LABELS})",
    )


def _too_many_test_images(given: _Labels) -> Verdict:
    if not given.testing:
        return None
    crowded = sorted(
        label for label, (images, _) in given.labels.items() if images > MAX_TEST_IMAGES_PER_LABEL
    )
    if not crowded:
        return None
    return (
        "RV_TOO_MANY_TEST_IMAGES_PER_LABEL",
        (
            f"a testing dataset has at most {MAX_TEST_IMAGES_PER_LABEL} images a label; over it: "
            f"{', '.join(crowded[:10])}"
        ),
    )


#: The rules on a dataset's labels, once its model type is known.
LABEL_RULES: Final = (_too_few_labels, _too_many_labels, _too_many_test_images)


def _choose_use_case(
    dataset: Dataset, problems: Problems, feature: Feature, follows: str | None
) -> None:
    """Set the model type the service trains the dataset as; warn of lines it drops."""
    use_cases = {case: n for case, n in dataset.per_use_case.items() if n > 0}
    if feature == "CONTENT_MODERATION":
        dataset.use_case = MODERATION
        return
    if follows is not None:
        dataset.use_case = follows  # the testing set follows the training set's type
        return
    if not use_cases:
        return
    # The service picks the model type from the lines and drops the other type's.
    chosen = dataset.use_case = max(
        use_cases, key=lambda case: (use_cases[case], case == OBJECT_LOCALIZATION)
    )
    for case, count in use_cases.items():
        if case == chosen:
            continue
        lines = ", ".join(str(n) for n in dataset.first_lines.get(case, []))
        problems(
            ManifestProblem(
                code="RV_MIXED_USE_CASES",
                message=f"the manifest mixes {chosen} lines and {count} {case} lines (first: "
                f"line {lines}); the service trains one model type, picked from the lines "
                f"({chosen} here), and drops the {case} lines",
                severity=Severity.WARNING,
                dataset=dataset.name,
            )
        )


def _judge(
    dataset: Dataset,
    problems: Problems,
    feature: Feature,
    *,
    testing: bool,
    follows: str | None = None,
) -> None:
    """Apply every rule of one dataset, recording its problems."""
    if dataset.file_error:
        return
    if dataset.total == 0:
        dataset.file_error = True
        problems(dataset.problem("ERROR_EMPTY_MANIFEST", "the manifest file is empty"))
        return
    for rule in FILE_RULES:
        verdict = rule(dataset)
        if verdict is not None:
            problems(dataset.problem(*verdict))
    _choose_use_case(dataset, problems, feature, follows)
    if dataset.use_case == _UNDETERMINED:
        return
    mixed = sum(1 for n in dataset.per_use_case.values() if n > 0) > 1
    given = _Labels(dataset, dataset.chosen_labels(), mixed, testing)
    for label_rule in LABEL_RULES:
        verdict = label_rule(given)
        if verdict is not None:
            problems(dataset.problem(*verdict))


def _overlap(training: Dataset, testing: Dataset, problems: Problems) -> None:
    """At least half the training labels must be in the testing set."""
    train_labels = set(training.chosen_labels())
    if not train_labels:
        return
    test_labels = set(testing.chosen_labels())
    overlap = len(train_labels & test_labels) / len(train_labels)
    if overlap >= MIN_LABEL_OVERLAP:
        return
    missing = sorted(train_labels - test_labels)
    problems(
        testing.problem(
            "ERROR_INSUFFICIENT_LABEL_OVERLAP",
            f"less than {MIN_LABEL_OVERLAP:.0%} label overlap between the training and "
            f"testing manifest files: {overlap:.0%} of the training labels are in the testing "
            f"manifest; missing there: {', '.join(missing[:10])}",
            dataset=None,
        )
    )


def _autosplit(training: Dataset, problems: Problems) -> None:
    """Warn of labels with too few images for the automatic split."""
    scarce = sorted(
        label
        for label, (images, _) in training.chosen_labels().items()
        if images < MIN_IMAGES_FOR_AUTOSPLIT
    )
    if not scarce:
        return
    # The service names this error but not the number it needs (its quotas page asks for
    # 1 image a label): the library's reading, 2, is a warning, never a refusal.
    problems(
        ManifestProblem(
            code="ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT",
            message="the auto-split may fail with insufficient labeled images per label: "
            f"fewer than {MIN_IMAGES_FOR_AUTOSPLIT} images for {', '.join(scarce[:10])} (the "
            "split moves 20% of the images to the test set). This is the library's reading, "
            "not a documented limit: the service names the error but not the number, so "
            "training is not refused for it",
            severity=Severity.WARNING,
            dataset=training.name,
        )
    )


def judge_datasets(
    training: Dataset,
    testing: Dataset | None,
    problems: Problems,
    feature: Feature,
    *,
    auto_split: bool,
) -> None:
    """Apply the rules of each dataset, then those between them."""
    _judge(training, problems, feature, testing=False)
    if testing is not None:
        follows = None if training.use_case == _UNDETERMINED else training.use_case
        _judge(testing, problems, feature, testing=True, follows=follows)
        if not training.file_error and not testing.file_error:
            _overlap(training, testing, problems)
    if auto_split and not training.file_error:
        _autosplit(training, problems)
