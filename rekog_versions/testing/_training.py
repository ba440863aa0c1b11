"""A version's training, as LocalRekognition ends it: manifests read, result files written.

Training validates the manifests with :func:`rekog_versions.manifests.validate_manifest`
(so the emulator needs the ``manifests`` extra), fails as the service does on what it
finds, and otherwise writes the manifest summary and an evaluation summary of made-up,
repeatable metrics.
"""

# Requests and answers are JSON of the API's shapes, handled as plain dicts here.
# pyright: reportUnknownVariableType=false, reportUnknownMemberType=false
# pyright: reportUnknownArgumentType=false

from __future__ import annotations

import email.utils
import json
import random
import time
from typing import TYPE_CHECKING, Any, Final, Protocol

import attrs

from rekog_versions.arns import ProjectVersionArn
from rekog_versions.models import S3Object
from rekog_versions.results import ManifestSummary, ProjectVersionStatus

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

    from rekog_versions._defaults import Feature

__all__ = ["Settings", "Version", "train"]

_TERMINAL_MESSAGES: Final = {
    "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT": (
        "The manifest file extension or contents are invalid."
    ),
    "ERROR_EMPTY_MANIFEST": "The manifest file is empty.",
    "ERROR_MANIFEST_SIZE_TOO_LARGE": ("The manifest file size exceeds the maximum supported size."),
    "ERROR_CANNOT_WRITE_OUTPUT_S3_BUCKET": "Unable to write to output S3 bucket.",
}


class Settings(Protocol):
    """What training reads of the emulator's settings."""

    s3_client: S3Client | None
    training_seconds: float
    seed: int | None
    region: str
    account: str


@attrs.define
class Version:
    """A version the emulator holds: its request and where its training stands."""

    arn: str
    name: str
    project_arn: str
    request: dict[str, Any]
    created: float
    feature: Feature
    status: ProjectVersionStatus = ProjectVersionStatus.TRAINING_IN_PROGRESS
    status_message: str | None = "The model is being trained."
    finished: float | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


def train(version: Version, settings: Settings) -> None:
    """End a version's training as the service would: read its manifests, write results."""
    from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

    version.finished = time.time()
    request = version.request
    training = request.get("TrainingData", {}).get("Assets", [])
    testing_data = request.get("TestingData", {})
    testing = testing_data.get("Assets") or []
    auto_split = bool(testing_data.get("AutoCreate"))
    if not training:
        # Trained from the project's datasets: nothing to read in the emulator.
        _succeed(version, settings, {}, [])
        return
    if settings.s3_client is None:
        _fail(version, "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT")
        return
    train_object = S3Object.from_boto(training[0]["GroundTruthManifest"]["S3Object"])
    test_object = (
        S3Object.from_boto(testing[0]["GroundTruthManifest"]["S3Object"]) if testing else None
    )
    report = validate_manifest(
        train_object,
        testing=test_object,
        auto_split=auto_split,
        feature=version.feature,
        s3_client=settings.s3_client,
    )
    file_codes = [
        problem.code
        for problem in report.problems
        if problem.line is None and problem.code in _TERMINAL_MESSAGES
    ]
    if file_codes:
        _fail(version, file_codes[0])
        return
    summary = ManifestSummary(
        training=report.training,
        testing=report.testing,
        errors=tuple(
            problem
            for problem in report.problems
            if problem.line is None and problem.dataset is None
        ),
    )
    summary_key = _write(version, settings.s3_client, "ManifestSummary", summary.to_dict())
    if summary_key is None:
        _fail(version, "ERROR_CANNOT_WRITE_OUTPUT_S3_BUCKET")
        return
    version.extra["ManifestSummary"] = {"S3Object": summary_key}
    errors = [
        problem
        for problem in report.problems
        if problem.line is None and problem.severity.value == "error"
    ]
    if errors:
        version.status = ProjectVersionStatus.TRAINING_FAILED
        version.status_message = f"{errors[0].code}: {errors[0].message}"
        return
    labels = sorted(report.training.labels)
    images = report.training.valid_json_lines
    _succeed(version, settings, {"labels": labels, "images": images, "report": report}, labels)


def _succeed(
    version: Version, settings: Settings, facts: dict[str, Any], labels: list[str]
) -> None:
    rng = random.Random(f"{settings.seed}:{version.arn}")  # noqa: S311 - made-up metrics
    images = int(facts.get("images", 10))
    split = max(1, int(images * 0.2 / max(1, len(labels))))  # AutoCreate's share
    report = facts.get("report")
    tested = report.testing.labels if report is not None and report.testing else {}
    testing_images = {label: tested[label].images if label in tested else split for label in labels}
    rows: list[tuple[str, float, float, float, float]] = []
    for label in labels:
        threshold = round(rng.uniform(0.3, 0.7), 3)
        precision = round(rng.uniform(0.8, 1.0), 3)
        recall = round(rng.uniform(0.75, 1.0), 3)
        f1 = round(2 * precision * recall / (precision + recall), 3)
        rows.append((label, threshold, precision, recall, f1))
    rows.sort(key=lambda row: row[4])

    def mean(values: list[float]) -> float:
        return round(sum(values) / len(values), 3) if values else 0.9

    f1 = mean([row[4] for row in rows])
    document = {
        "Version": 1,
        "EvaluationDetails": {
            "ProjectVersionArn": version.arn,
            "EvaluationEndTimestamp": email.utils.formatdate(usegmt=True),
            "Labels": labels,
            "NumberOfTrainingImages": images,
            "NumberOfTestingImages": sum(testing_images.values()),
        },
        "AggregatedEvaluationResults": {
            "Metrics": {
                "Precision": mean([row[2] for row in rows]),
                "Recall": mean([row[3] for row in rows]),
                "F1Score": f1,
            }
        },
        "LabelEvaluationResults": [
            {
                "Label": label,
                "NumberOfTestingImages": testing_images[label],
                "Metrics": {
                    "Threshold": threshold,
                    "Precision": precision,
                    "Recall": recall,
                    "F1Score": label_f1,
                },
            }
            for label, threshold, precision, recall, label_f1 in rows
        ],
    }
    location = (
        _write(version, settings.s3_client, "EvaluationResultSummary", document) if labels else None
    )
    version.status = ProjectVersionStatus.TRAINING_COMPLETED
    version.status_message = "The model is ready to run."
    version.extra["BillableTrainingTimeInSeconds"] = max(1, round(settings.training_seconds * 900))
    version.extra["TrainingEndTimestamp"] = version.finished
    evaluation: dict[str, Any] = {"F1Score": f1}
    if location is not None:
        evaluation["Summary"] = {"S3Object": location}
    version.extra["EvaluationResult"] = evaluation


def _fail(version: Version, code: str) -> None:
    version.status = ProjectVersionStatus.TRAINING_FAILED
    version.status_message = f"{code}: {_TERMINAL_MESSAGES[code]}"


def _write(
    version: Version, s3_client: S3Client | None, kind: str, document: object
) -> dict[str, str] | None:
    if s3_client is None:
        return None
    output = version.request["OutputConfig"]
    project = ProjectVersionArn.parse(version.arn).project_name
    key = f"{output.get('S3KeyPrefix') or ''}{kind}-{project}-{version.name}.json"
    try:
        s3_client.put_object(Bucket=output["S3Bucket"], Key=key, Body=json.dumps(document).encode())
    except Exception:  # noqa: BLE001 - any failure to write is the service's terminal error
        return None
    return {"Bucket": output["S3Bucket"], "Name": key}
