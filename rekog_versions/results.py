"""Typed views of what the service returns: a project version, and the result files.

These are read from the service (or from S3), never sent, so they have classes of their
own: a request's rules never judge an answer.
A ``ProjectVersionDescription`` is read tolerantly: a member the service leaves out, sends
with an unexpected type, or fills with a value this library does not know (a new status,
a number out of the documented range, a new member) never raises. Only a member the
library needs (the version's ARN and its status) raises
:class:`~rekog_versions.errors.MalformedResponseError` when it is missing or malformed.
The result files in S3 are read strictly: a file not in the documented shape is a
:class:`~rekog_versions.errors.ResultFileError` naming what is wrong.

A manifest summary's statistics and problems are the types that
:func:`rekog_versions.manifests.validate_manifest` reports with, so that what validation
predicts and what training wrote read the same.
"""

from __future__ import annotations

import enum
import math
import re
from collections.abc import Mapping, Sequence
from datetime import datetime, timezone
from typing import Any, Final, cast

import attrs

from rekog_versions._validation import preview
from rekog_versions.arns import ProjectVersionArn
from rekog_versions.errors import MalformedResponseError, RekogVersionsError, ResultFileError
from rekog_versions.models import S3Object

__all__ = [
    "AppliedContentModeration",
    "AppliedFeatureConfig",
    "ConfusionMatrixEntry",
    "DataResult",
    "DatasetManifestSummary",
    "EvaluationMetrics",
    "EvaluationSummary",
    "LabelCount",
    "LabelMetrics",
    "ManifestProblem",
    "ManifestSummary",
    "ProjectVersion",
    "ProjectVersionStatus",
    "Severity",
]


class ProjectVersionStatus(str, enum.Enum):
    """The status of a project version: the service's 14 values, and ``UNKNOWN``.

    ``UNKNOWN`` stands for a value a newer service may send that this library does not
    know; :attr:`ProjectVersion.status_text` keeps the raw string.
    """

    TRAINING_IN_PROGRESS = "TRAINING_IN_PROGRESS"
    TRAINING_COMPLETED = "TRAINING_COMPLETED"
    TRAINING_FAILED = "TRAINING_FAILED"
    STARTING = "STARTING"
    RUNNING = "RUNNING"
    FAILED = "FAILED"
    STOPPING = "STOPPING"
    STOPPED = "STOPPED"
    DELETING = "DELETING"
    COPYING_IN_PROGRESS = "COPYING_IN_PROGRESS"
    COPYING_COMPLETED = "COPYING_COMPLETED"
    COPYING_FAILED = "COPYING_FAILED"
    DEPRECATED = "DEPRECATED"
    EXPIRED = "EXPIRED"
    UNKNOWN = "UNKNOWN"

    @classmethod
    def parse(cls, value: str) -> ProjectVersionStatus:
        """The member for ``value``; ``UNKNOWN`` for a value this library does not know."""
        try:
            return cls(value)
        except ValueError:
            return cls.UNKNOWN

    def __str__(self) -> str:
        """The AWS spelling."""
        return self.value


_ERROR_CODE: Final = re.compile(r"\b(?:ERROR|WARNING)_[A-Z0-9_]+\b")


@attrs.frozen(kw_only=True)
class AppliedContentModeration:
    """The Content Moderation settings a version was trained with, as reported."""

    confidence_threshold: float | None = None


@attrs.frozen(kw_only=True)
class AppliedFeatureConfig:
    """The feature-specific configuration applied during training, as reported."""

    content_moderation: AppliedContentModeration | None = None


def _where(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


class _Reader:
    """Reads one answer, naming the member at fault when it is malformed.

    A tolerant reader reads an optional member of an unexpected type as absent; a strict
    one raises. Members read with ``required=True`` raise in both.
    """

    def __init__(self, what: str, *, tolerant: bool = False) -> None:
        self.what = what
        self.tolerant = tolerant

    def wrong(self, path: str, expected: str, value: object) -> None:
        """An optional member of the wrong type: absent if tolerant, else an error."""
        if not self.tolerant:
            raise self.fail(path, expected, value)

    def fail(self, path: str, expected: str, value: object) -> MalformedResponseError:
        return MalformedResponseError(
            f"{self.what}: {path} should be {expected}, got {type(value).__name__} {preview(value)}"
        )

    def mapping(self, value: object, path: str) -> Mapping[str, Any]:
        if not isinstance(value, Mapping):
            raise self.fail(path, "a structure", value)
        return cast("Mapping[str, Any]", value)

    def optional_mapping(
        self, parent: Mapping[str, Any], key: str, path: str
    ) -> Mapping[str, Any] | None:
        value = parent.get(key)
        if value is None or isinstance(value, Mapping):
            return cast("Mapping[str, Any] | None", value)
        self.wrong(_where(path, key), "a structure", value)
        return None

    def string(self, parent: Mapping[str, Any], key: str, path: str) -> str | None:
        value = parent.get(key)
        if value is None or isinstance(value, str):
            return value
        self.wrong(_where(path, key), "a string", value)
        return None

    def number(self, parent: Mapping[str, Any], key: str, path: str) -> float | None:
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                number = float(value)
            except OverflowError:  # an integer beyond any float
                pass
            else:
                if math.isfinite(number):
                    return number
        self.wrong(_where(path, key), "a finite number", value)
        return None

    def integer(self, parent: Mapping[str, Any], key: str, path: str) -> int | None:
        value = parent.get(key)
        if value is None or (isinstance(value, int) and not isinstance(value, bool)):
            return value
        self.wrong(_where(path, key), "an integer", value)
        return None

    def boolean(self, parent: Mapping[str, Any], key: str, path: str) -> bool | None:
        value = parent.get(key)
        if value is None or isinstance(value, bool):
            return value
        self.wrong(_where(path, key), "true or false", value)
        return None

    def timestamp(self, parent: Mapping[str, Any], key: str, path: str) -> datetime | None:
        value = parent.get(key)
        if value is None:
            return None
        if isinstance(value, datetime):
            if value.tzinfo is None:  # botocore gives aware datetimes; be safe anyway
                return value.replace(tzinfo=timezone.utc)
            return value.astimezone(timezone.utc)
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            try:
                return datetime.fromtimestamp(value, tz=timezone.utc)
            except (OverflowError, OSError, ValueError):  # beyond the dates Python has
                pass
        self.wrong(_where(path, key), "a timestamp", value)
        return None

    def s3_object(self, parent: Mapping[str, Any] | None, key: str, path: str) -> S3Object | None:
        fields = None if parent is None else self.optional_mapping(parent, key, path)
        if fields is None:
            return None
        where = _where(path, key)
        bucket = self.string(fields, "Bucket", where)
        name = self.string(fields, "Name", where)
        if bucket is None or name is None:
            self.wrong(where, "an S3 object with Bucket and Name", fields)
            return None
        return S3Object(bucket=bucket, name=name, version=self.string(fields, "Version", where))

    def assets(self, parent: Mapping[str, Any] | None, path: str) -> tuple[S3Object, ...]:
        if parent is None or parent.get("Assets") is None:
            return ()
        assets = parent["Assets"]
        if not isinstance(assets, list | tuple):
            self.wrong(f"{path}.Assets", "a list", assets)
            return ()
        found: list[S3Object] = []
        for index, asset in enumerate(cast("Sequence[object]", assets)):
            where = f"{path}.Assets[{index}]"
            manifest = self.optional_mapping({"Asset": asset}, "Asset", where)
            location = self.s3_object(
                None
                if manifest is None
                else self.optional_mapping(manifest, "GroundTruthManifest", where),
                "S3Object",
                f"{where}.GroundTruthManifest",
            )
            if location is not None:
                found.append(location)
        return tuple(found)


@attrs.frozen(kw_only=True)
class DataResult:
    """The training or testing data of a version, as the service reports it.

    Attributes:
        input: The manifests given in the request.
        auto_create: Whether the test set was split off the training set (testing only).
        output: The manifests actually used (with predictions, for testing).
        validation: The validation manifests: each line annotated with its errors.
    """

    input: tuple[S3Object, ...] = ()
    auto_create: bool | None = None
    output: tuple[S3Object, ...] = ()
    validation: tuple[S3Object, ...] = ()


def _data_result(reader: _Reader, value: Mapping[str, Any] | None, path: str) -> DataResult | None:
    if value is None:
        return None
    given = reader.optional_mapping(value, "Input", path)
    return DataResult(
        input=reader.assets(given, f"{path}.Input"),
        auto_create=None if given is None else reader.boolean(given, "AutoCreate", f"{path}.Input"),
        output=reader.assets(reader.optional_mapping(value, "Output", path), f"{path}.Output"),
        validation=reader.assets(
            reader.optional_mapping(value, "Validation", path), f"{path}.Validation"
        ),
    )


def _no_members() -> dict[str, Any]:
    return {}


@attrs.frozen(kw_only=True)
class ProjectVersion:
    """A frozen, typed view of one ``ProjectVersionDescription``.

    Every member of the description is here, snake_case; members the service left out
    are ``None`` (or empty). Timestamps are timezone-aware, in UTC.
    """

    arn: str
    status: ProjectVersionStatus
    status_text: str
    """The status exactly as the service sent it (useful when ``status`` is ``UNKNOWN``)."""
    status_message: str | None = None
    created_at: datetime | None = None
    training_ended_at: datetime | None = None
    billable_training_seconds: int | None = None
    min_inference_units: int | None = None
    max_inference_units: int | None = None
    output_bucket: str | None = None
    output_prefix: str | None = None
    training_data: DataResult | None = None
    testing_data: DataResult | None = None
    f1_score: float | None = None
    evaluation_summary: S3Object | None = None
    manifest_summary: S3Object | None = None
    kms_key_id: str | None = None
    version_description: str | None = None
    feature: str | None = None
    """``CUSTOM_LABELS`` or ``CONTENT_MODERATION``."""
    base_model_version: str | None = None
    feature_config: AppliedFeatureConfig | None = None
    source_project_version_arn: str | None = None
    raw: Mapping[str, Any] = attrs.field(factory=_no_members, eq=False, repr=False)
    """The description as the service sent it."""

    @classmethod
    def from_boto(cls, description: object) -> ProjectVersion:
        """Read a ``ProjectVersionDescription`` from ``DescribeProjectVersions``, tolerantly.

        Raises:
            MalformedResponseError: The description is not a structure, or its ARN or its
                status is missing or not a string.
        """
        reader = _Reader("the ProjectVersionDescription", tolerant=True)
        value = reader.mapping(description, "ProjectVersionDescription")
        arn = value.get("ProjectVersionArn")
        status_text = value.get("Status")
        if not isinstance(arn, str) or not arn:
            raise reader.fail("ProjectVersionArn", "the version's ARN", arn)
        if not isinstance(status_text, str):
            raise reader.fail("Status", "a status", status_text)
        output = reader.optional_mapping(value, "OutputConfig", "")
        evaluation = reader.optional_mapping(value, "EvaluationResult", "")
        feature_config = reader.optional_mapping(value, "FeatureConfig", "")
        moderation = (
            None
            if feature_config is None
            else reader.optional_mapping(feature_config, "ContentModeration", "FeatureConfig")
        )
        return cls(
            arn=arn,
            status=ProjectVersionStatus.parse(status_text),
            status_text=status_text,
            status_message=reader.string(value, "StatusMessage", ""),
            created_at=reader.timestamp(value, "CreationTimestamp", ""),
            training_ended_at=reader.timestamp(value, "TrainingEndTimestamp", ""),
            billable_training_seconds=reader.integer(value, "BillableTrainingTimeInSeconds", ""),
            min_inference_units=reader.integer(value, "MinInferenceUnits", ""),
            max_inference_units=reader.integer(value, "MaxInferenceUnits", ""),
            output_bucket=None
            if output is None
            else reader.string(output, "S3Bucket", "OutputConfig"),
            output_prefix=None
            if output is None
            else reader.string(output, "S3KeyPrefix", "OutputConfig"),
            training_data=_data_result(
                reader,
                reader.optional_mapping(value, "TrainingDataResult", ""),
                "TrainingDataResult",
            ),
            testing_data=_data_result(
                reader, reader.optional_mapping(value, "TestingDataResult", ""), "TestingDataResult"
            ),
            f1_score=None
            if evaluation is None
            else reader.number(evaluation, "F1Score", "EvaluationResult"),
            evaluation_summary=reader.s3_object(
                None
                if evaluation is None
                else reader.optional_mapping(evaluation, "Summary", "EvaluationResult"),
                "S3Object",
                "EvaluationResult.Summary",
            ),
            manifest_summary=reader.s3_object(
                reader.optional_mapping(value, "ManifestSummary", ""),
                "S3Object",
                "ManifestSummary",
            ),
            kms_key_id=reader.string(value, "KmsKeyId", ""),
            version_description=reader.string(value, "VersionDescription", ""),
            feature=reader.string(value, "Feature", ""),
            base_model_version=reader.string(value, "BaseModelVersion", ""),
            feature_config=None
            if feature_config is None
            else AppliedFeatureConfig(
                content_moderation=None
                if moderation is None
                else AppliedContentModeration(
                    confidence_threshold=reader.number(
                        moderation, "ConfidenceThreshold", "FeatureConfig.ContentModeration"
                    )
                )
            ),
            source_project_version_arn=reader.string(value, "SourceProjectVersionArn", ""),
            raw=dict(value),
        )

    @property
    def name(self) -> str:
        """The version name, read from the ARN (the ARN itself if it is not a version's)."""
        try:
            return ProjectVersionArn.parse(self.arn).version_name
        except RekogVersionsError:
            return self.arn

    @property
    def error_codes(self) -> tuple[str, ...]:
        """The Rekognition error codes (``ERROR_...``) in the status message, in order."""
        return tuple(dict.fromkeys(_ERROR_CODE.findall(self.status_message or "")))

    @property
    def validation_manifests(self) -> tuple[S3Object, ...]:
        """The training and testing validation manifests, where training wrote them."""
        found: list[S3Object] = []
        for result in (self.training_data, self.testing_data):
            if result is not None:
                found.extend(result.validation)
        return tuple(found)

    def to_dict(self) -> dict[str, Any]:
        """The version as JSON-ready data: ISO 8601 times, ``s3://`` URIs, no ``raw``."""

        def uris(objects: tuple[S3Object, ...]) -> list[str]:
            return [item.uri for item in objects]

        def data(result: DataResult | None) -> dict[str, Any] | None:
            if result is None:
                return None
            return {
                "input": uris(result.input),
                "auto_create": result.auto_create,
                "output": uris(result.output),
                "validation": uris(result.validation),
            }

        threshold = (
            None
            if self.feature_config is None or self.feature_config.content_moderation is None
            else self.feature_config.content_moderation.confidence_threshold
        )
        return {
            "arn": self.arn,
            "name": self.name,
            "status": self.status_text,
            "status_message": self.status_message,
            "error_codes": list(self.error_codes),
            "created_at": None if self.created_at is None else self.created_at.isoformat(),
            "training_ended_at": None
            if self.training_ended_at is None
            else self.training_ended_at.isoformat(),
            "billable_training_seconds": self.billable_training_seconds,
            "f1_score": self.f1_score,
            "evaluation_summary": None
            if self.evaluation_summary is None
            else self.evaluation_summary.uri,
            "manifest_summary": None
            if self.manifest_summary is None
            else self.manifest_summary.uri,
            "output": None
            if self.output_bucket is None
            else f"s3://{self.output_bucket}/{self.output_prefix or ''}",
            "training_data": data(self.training_data),
            "testing_data": data(self.testing_data),
            "feature": self.feature,
            "base_model_version": self.base_model_version,
            "confidence_threshold": threshold,
            "kms_key_id": self.kms_key_id,
            "version_description": self.version_description,
            "min_inference_units": self.min_inference_units,
            "max_inference_units": self.max_inference_units,
            "source_project_version_arn": self.source_project_version_arn,
        }

    @property
    def billable_training_time(self) -> str | None:
        """The billable training time as ``1h 31m 39s``."""
        seconds = self.billable_training_seconds
        if seconds is None:
            return None
        hours, rest = divmod(seconds, 3600)
        minutes, secs = divmod(rest, 60)
        return f"{hours}h {minutes}m {secs}s" if hours else f"{minutes}m {secs}s"


class Severity(str, enum.Enum):
    """How bad a manifest problem is: an error stops training or drops a line; a warning not."""

    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        """The lower-case name."""
        return self.value


@attrs.frozen(kw_only=True)
class ManifestProblem:
    """One thing wrong with a manifest, a line of it, or a part of a line.

    What training wrote into a manifest summary, and what
    :func:`~rekog_versions.manifests.validate_manifest` finds before training.

    Attributes:
        code: The service's code where it has one (``ERROR_MISSING_CLASS_MAP_ID``), so it
            can be matched with what a failed training writes; otherwise this library's,
            prefixed ``RV_``.
        message: What is wrong, and what was found.
        severity: ``ERROR`` or ``WARNING``.
        dataset: ``training`` or ``testing``; ``None`` for a problem of both.
        line: The 1-based line number, or ``None`` for a problem of the whole manifest.
        path: Where in the line's JSON, e.g. ``bounding-box.annotations[2].width``.
    """

    code: str
    message: str
    severity: Severity = Severity.ERROR
    dataset: str | None = None
    line: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        """``dataset line N (path): severity: CODE: message``."""
        where = self.dataset or "manifests"
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


@attrs.frozen(kw_only=True)
class LabelCount:
    """How often a label occurs in a dataset's usable lines."""

    images: int
    """Lines (images) that carry the label."""
    boxes: int
    """Bounding boxes of the label (object localization only)."""


def _no_labels() -> Mapping[str, LabelCount]:
    return {}


@attrs.frozen(kw_only=True)
class DatasetManifestSummary:
    """The statistics of one dataset (training or testing), in the manifest summary's terms.

    Read from the manifest summary training writes, or made by
    :func:`~rekog_versions.manifests.validate_manifest`, which also fills the members the
    service's file does not have (``source``, ``size_bytes``, ``labels``).
    """

    use_case: str | None
    """``IMAGE_LEVEL_LABELS``, ``OBJECT_LOCALIZATION``, ``CONTENT_MODERATION`` or
    ``NOT_DETERMINED``."""
    total_json_lines: int | None
    valid_json_lines: int | None
    invalid_json_lines: int | None
    ignored_json_lines: int | None
    error_json_line_indices: tuple[int, ...] = ()
    """The 0-based indices of the lines with an error."""
    errors: tuple[ManifestProblem, ...] = ()
    """The problems of the dataset as a whole."""
    source: str | None = None
    """Where the manifest is, a path or an ``s3://`` URI."""
    size_bytes: int | None = None
    labels: Mapping[str, LabelCount] = attrs.field(factory=_no_labels)
    """Each label of the usable lines, with its images and boxes."""

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data: the manifest summary's members, then the library's own."""
        return {
            "use_case": self.use_case,
            "total_json_lines": self.total_json_lines,
            "valid_json_lines": self.valid_json_lines,
            "invalid_json_lines": self.invalid_json_lines,
            "ignored_json_lines": self.ignored_json_lines,
            "error_json_line_indices": list(self.error_json_line_indices),
            "errors": [problem.to_dict() for problem in self.errors],
            "source": self.source,
            "size_bytes": self.size_bytes,
            "labels": {
                name: {"images": count.images, "boxes": count.boxes}
                for name, count in sorted(self.labels.items())
            },
        }


@attrs.frozen(kw_only=True)
class ManifestSummary:
    """The manifest summary file training writes (``ManifestSummary-*.json``)."""

    training: DatasetManifestSummary | None
    testing: DatasetManifestSummary | None
    errors: tuple[ManifestProblem, ...]
    """Errors that span both datasets, e.g. ``ERROR_INSUFFICIENT_USABLE_LABEL_OVERLAP``."""

    def to_dict(self) -> dict[str, Any]:
        """The summary in the shape of the file, ``{"statistics": {...}, "errors": [...]}``.

        The service's members only: what :meth:`from_json` reads back, without the
        members the library adds (a dataset's ``source``, ``size_bytes``, ``labels``; a
        problem's ``severity``, ``dataset``, ``line``, ``path``).
        """
        statistics = {
            name: {
                **{
                    key: value
                    for key, value in dataset.to_dict().items()
                    if key in _SUMMARY_MEMBERS
                },
                "errors": [_file_error(error) for error in dataset.errors],
            }
            for name, dataset in (("training", self.training), ("testing", self.testing))
            if dataset is not None
        }
        return {"statistics": statistics, "errors": [_file_error(error) for error in self.errors]}

    @classmethod
    def from_json(cls, document: object, *, location: S3Object | None = None) -> ManifestSummary:
        """Read the parsed JSON of a manifest summary file.

        Raises:
            ResultFileError: The document is not in the documented shape.
        """
        reader = _FileReader("manifest summary", location)
        root = reader.mapping(document, "(top level)")
        statistics = reader.optional_mapping(root, "statistics", "")
        return cls(
            training=None
            if statistics is None
            else _dataset_summary(reader, statistics, "training"),
            testing=None if statistics is None else _dataset_summary(reader, statistics, "testing"),
            errors=_manifest_errors(reader, root, "errors"),
        )


#: A dataset's members in the manifest summary file (the rest are the library's own).
_SUMMARY_MEMBERS: Final = frozenset(
    {
        "use_case",
        "total_json_lines",
        "valid_json_lines",
        "invalid_json_lines",
        "ignored_json_lines",
        "error_json_line_indices",
    }
)


def _file_error(problem: ManifestProblem) -> dict[str, str]:
    """A problem as the manifest summary file writes it: its code and its message."""
    return {"code": problem.code, "message": problem.message}


def _dataset_summary(
    reader: _FileReader, statistics: Mapping[str, Any], key: str
) -> DatasetManifestSummary | None:
    data = reader.optional_mapping(statistics, key, "statistics")
    if data is None:
        return None
    path = f"statistics.{key}"
    indices = cast("object", data.get("error_json_line_indices", []))
    if not isinstance(indices, list) or not all(
        isinstance(index, int) and not isinstance(index, bool)
        for index in cast("list[object]", indices)
    ):
        raise reader.fail(
            f"{path}.error_json_line_indices",
            "a list of integers",
            indices,  # pyright: ignore[reportUnknownArgumentType]
        )
    return DatasetManifestSummary(
        use_case=reader.string(data, "use_case", path),
        total_json_lines=reader.integer(data, "total_json_lines", path),
        valid_json_lines=reader.integer(data, "valid_json_lines", path),
        invalid_json_lines=reader.integer(data, "invalid_json_lines", path),
        ignored_json_lines=reader.integer(data, "ignored_json_lines", path),
        error_json_line_indices=tuple(cast("list[int]", indices)),
        errors=_manifest_errors(reader, data, "errors", path, dataset=key),
    )


def _manifest_errors(
    reader: _FileReader,
    parent: Mapping[str, Any],
    key: str,
    path: str = "",
    *,
    dataset: str | None = None,
) -> tuple[ManifestProblem, ...]:
    where = _where(path, key)
    items = cast("object", parent.get(key, []))
    if not isinstance(items, list):
        raise reader.fail(where, "a list", items)
    found: list[ManifestProblem] = []
    for index, item in enumerate(cast("list[object]", items)):
        entry = reader.mapping(item, f"{where}[{index}]")
        code = reader.string(entry, "code", f"{where}[{index}]") or ""
        found.append(
            ManifestProblem(
                code=code,
                message=reader.string(entry, "message", f"{where}[{index}]") or "",
                severity=Severity.WARNING if code.startswith("WARNING_") else Severity.ERROR,
                dataset=dataset,
            )
        )
    return tuple(found)


class _FileReader(_Reader):
    """A reader whose failures are ResultFileErrors naming the file."""

    def __init__(self, what: str, location: S3Object | None) -> None:
        super().__init__(what if location is None else f"{what} {location.uri}")
        self.location = location

    def fail(self, path: str, expected: str, value: object) -> MalformedResponseError:
        raise ResultFileError(str(super().fail(path, expected, value)), location=self.location)


@attrs.frozen(kw_only=True)
class LabelMetrics:
    """The evaluation metrics of one label on the test set."""

    label: str
    testing_images: int | None
    threshold: float | None
    """The assumed threshold, from 0 to 1, the confidence with the best F1 on the test set."""
    precision: float | None
    recall: float | None
    f1_score: float | None


@attrs.frozen(kw_only=True)
class ConfusionMatrixEntry:
    """One cell of a classification model's confusion matrix."""

    ground_truth_label: str
    predicted_label: str
    value: float


@attrs.frozen(kw_only=True)
class EvaluationMetrics:
    """The aggregate metrics over all labels."""

    precision: float | None
    recall: float | None
    f1_score: float | None
    average_precision: float | None
    """Object detection only (mAP)."""
    average_recall: float | None
    """Object detection only (mAR)."""
    confusion_matrix: tuple[ConfusionMatrixEntry, ...]
    """Image classification only."""


@attrs.frozen(kw_only=True)
class EvaluationSummary:
    """The evaluation summary file training writes (``EvaluationResultSummary-*.json``)."""

    version: int | None
    project_version_arn: str | None
    evaluated_at: str | None
    labels: tuple[str, ...]
    training_images: int | None
    testing_images: int | None
    aggregate: EvaluationMetrics
    per_label: tuple[LabelMetrics, ...]

    def to_dict(self) -> dict[str, Any]:
        """The summary as JSON-ready data."""
        return attrs.asdict(self, recurse=True)

    @classmethod
    def from_json(cls, document: object, *, location: S3Object | None = None) -> EvaluationSummary:
        """Read the parsed JSON of an evaluation summary file.

        Both documented shapes are read: metrics inside ``AggregatedEvaluationResults.Metrics``
        (the reference schema) or directly under ``AggregatedEvaluationResults`` (the
        published example file).

        Raises:
            ResultFileError: The document is not in either shape.
        """
        reader = _FileReader("evaluation summary", location)
        root = reader.mapping(document, "(top level)")
        details = reader.optional_mapping(root, "EvaluationDetails", "") or {}
        aggregated = reader.optional_mapping(root, "AggregatedEvaluationResults", "")
        if aggregated is None:
            raise reader.fail("AggregatedEvaluationResults", "a structure", None)
        metrics_path = "AggregatedEvaluationResults"
        metrics = aggregated
        if "Metrics" in aggregated:
            metrics = reader.mapping(aggregated["Metrics"], f"{metrics_path}.Metrics")
            metrics_path = f"{metrics_path}.Metrics"
        labels = cast("object", details.get("Labels", []))
        if not isinstance(labels, list) or not all(
            isinstance(label, str) for label in cast("list[object]", labels)
        ):
            raise reader.fail(
                "EvaluationDetails.Labels",
                "a list of strings",
                labels,  # pyright: ignore[reportUnknownArgumentType]
            )
        per_label_items = cast("object", root.get("LabelEvaluationResults", []))
        if not isinstance(per_label_items, list):
            raise reader.fail("LabelEvaluationResults", "a list", per_label_items)
        per_label: list[LabelMetrics] = []
        for index, item in enumerate(cast("list[object]", per_label_items)):
            where = f"LabelEvaluationResults[{index}]"
            entry = reader.mapping(item, where)
            label = reader.string(entry, "Label", where)
            if label is None:
                raise reader.fail(f"{where}.Label", "a label name", None)
            label_metrics = reader.optional_mapping(entry, "Metrics", where) or {}
            per_label.append(
                LabelMetrics(
                    label=label,
                    testing_images=reader.integer(entry, "NumberOfTestingImages", where),
                    threshold=reader.number(label_metrics, "Threshold", f"{where}.Metrics"),
                    precision=reader.number(label_metrics, "Precision", f"{where}.Metrics"),
                    recall=reader.number(label_metrics, "Recall", f"{where}.Metrics"),
                    f1_score=reader.number(label_metrics, "F1Score", f"{where}.Metrics"),
                )
            )
        return cls(
            version=reader.integer(root, "Version", ""),
            project_version_arn=reader.string(details, "ProjectVersionArn", "EvaluationDetails"),
            evaluated_at=reader.string(details, "EvaluationEndTimestamp", "EvaluationDetails"),
            labels=tuple(cast("list[str]", labels)),
            training_images=reader.integer(details, "NumberOfTrainingImages", "EvaluationDetails"),
            testing_images=reader.integer(details, "NumberOfTestingImages", "EvaluationDetails"),
            aggregate=EvaluationMetrics(
                precision=reader.number(metrics, "Precision", metrics_path),
                recall=reader.number(metrics, "Recall", metrics_path),
                f1_score=reader.number(metrics, "F1Score", metrics_path),
                average_precision=reader.number(metrics, "AveragePrecision", metrics_path),
                average_recall=reader.number(metrics, "AverageRecall", metrics_path),
                confusion_matrix=_confusion_matrix(reader, metrics, metrics_path),
            ),
            per_label=tuple(per_label),
        )


def _confusion_matrix(
    reader: _FileReader, metrics: Mapping[str, Any], path: str
) -> tuple[ConfusionMatrixEntry, ...]:
    items = cast("object", metrics.get("ConfusionMatrix", []))
    if not isinstance(items, list):
        raise reader.fail(f"{path}.ConfusionMatrix", "a list", items)
    cells: list[ConfusionMatrixEntry] = []
    for index, item in enumerate(cast("list[object]", items)):
        where = f"{path}.ConfusionMatrix[{index}]"
        entry = reader.mapping(item, where)
        truth = reader.string(entry, "GroundTruthLabel", where)
        predicted = reader.string(entry, "PredictedLabel", where)
        value = reader.number(entry, "Value", where)
        if truth is None or predicted is None or value is None:
            raise reader.fail(where, "GroundTruthLabel, PredictedLabel and Value", item)
        cells.append(
            ConfusionMatrixEntry(ground_truth_label=truth, predicted_label=predicted, value=value)
        )
    return tuple(cells)
