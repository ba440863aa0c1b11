"""Checked by mypy --strict and pyright (nox -s typing); not run.

Pins the public types: if a public name degrades to Any, or a field loses its precise
type, an assert_type here fails, and so does an ignore comment that is no longer needed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import boto3
from typing_extensions import assert_type

from rekog_versions import (
    Asset,
    Comparison,
    CreateProjectVersionRequest,
    EvaluationSummary,
    GateResult,
    ManifestProblem,
    OutputConfig,
    PollOutcome,
    PollResult,
    Problem,
    ProjectArn,
    ProjectVersion,
    ProjectVersionsClient,
    ProjectVersionStatus,
    QualityGate,
    RequestBuilder,
    RequestValidationError,
    S3Object,
    ServiceError,
    TestingData,
    ThrottlingError,
    TrainingData,
    TrainingFailedError,
)
from rekog_versions.datasets import (
    Box,
    ConversionReport,
    LabeledImage,
    Layout,
    Note,
    Skipped,
    from_coco,
    from_yolo,
    image_size,
    make_manifest,
    pick_testing_images,
)
from rekog_versions.manifests import ManifestReport, validate_manifest
from rekog_versions.results import LabelMetrics
from rekog_versions.stepfunctions import state_machine
from rekog_versions.testing import LocalRekognition

PROJECT = "arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000"

builder = RequestBuilder(project_arn=PROJECT, version_name="v1")
assert_type(builder.output("s3://bkt/out/"), RequestBuilder)
assert_type(builder.training_manifest("s3://bkt/t.manifest").auto_split(), RequestBuilder)
request = builder.build()
assert_type(request, CreateProjectVersionRequest)

# The request goes straight into a typed boto3 client (boto3-stubs[rekognition]).
# boto3-stubs types every service's overload; only rekognition's is installed here.
client = boto3.client("rekognition")  # pyright: ignore[reportUnknownMemberType]
response = client.create_project_version(**request.to_boto())
assert_type(response["ProjectVersionArn"], str)

assert_type(request.project_arn, str)
assert_type(request.version_name, str)
assert_type(request.output_config, OutputConfig)
assert_type(request.output_config.s3_key_prefix, str | None)
assert_type(request.training_data, TrainingData | None)
assert_type(request.testing_data, TestingData | None)
assert_type(request.tags, Mapping[str, str] | None)
assert_type(request.project, ProjectArn)
if request.training_data is not None:
    assert_type(request.training_data.assets, tuple[Asset, ...])
    assert_type(request.training_data.assets[0].manifest, S3Object)

same = CreateProjectVersionRequest.from_boto(request.to_boto())
assert_type(same, CreateProjectVersionRequest)

try:
    S3Object.from_uri("s3://bkt/k")
except RequestValidationError as error:
    assert_type(error.problems, tuple[Problem, ...])
    assert_type(error.problems[0].path, str)

# Wrong types are refused: these ignores are needed, and an unneeded one is an error.
S3Object(bucket=1, name="k")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
RequestBuilder(project_arn=PROJECT, version_name=2)  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
OutputConfig("bkt")  # type: ignore[call-arg]  # pyright: ignore[reportCallIssue]
request.to_boto()["NoSuchMember"]  # type: ignore[typeddict-item]  # pyright: ignore[reportGeneralTypeIssues]

# The client's results are typed, not Any.
versions = ProjectVersionsClient(client)
assert_type(versions.create(request), str)
assert_type(versions.create(builder), str)
seen: list[ProjectVersionStatus] = []
version = versions.wait("arn", timeout=60, on_change=lambda latest: seen.append(latest.status))
assert_type(version, ProjectVersion)
assert_type(version.status, ProjectVersionStatus)
assert_type(version.f1_score, float | None)
assert_type(versions.describe("arn"), ProjectVersion)
assert_type(versions.wait_many(["arn"]), dict[str, ProjectVersion])
summary = versions.evaluation(version)
assert_type(summary, EvaluationSummary)
assert_type(summary.per_label, tuple[LabelMetrics, ...])
assert_type(versions.preflight(request), tuple[Problem, ...])

# Pipelines: one look, reruns, the quality gate, Step Functions.
assert_type(state_machine(builder, min_f1=0.8, poll_interval=30), dict[str, Any])
state_machine(request, poll_interval="30")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
poll = versions.poll("arn", poll_interval=30)
assert_type(poll, PollResult)
assert_type(poll.outcome, PollOutcome)
assert_type(poll.next_poll_in, float | None)
assert_type(PollResult.from_json(poll.to_json()), PollResult)
assert_type(versions.create(request, if_exists="reuse"), str)
versions.create(request, if_exists="overwrite")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
assert_type(RequestBuilder(project_arn=PROJECT).version_name(auto="cats"), RequestBuilder)
comparison = versions.compare(version, "arn")
assert_type(comparison, Comparison)
assert_type(comparison.aggregate.f1_delta, float | None)
assert_type(versions.latest_trained("arn"), ProjectVersion | None)
verdict = QualityGate(min_f1=0.8).check(version, summary, comparison)
assert_type(verdict, GateResult)
assert_type(verdict.failures, tuple[str, ...])

try:
    versions.create(request)
except ThrottlingError as throttled:
    assert_type(throttled.code, str)
    assert_type(throttled.request_id, str | None)
    assert_type(throttled.http_status, int | None)
    assert_type(throttled.retryable, bool)
except ServiceError as failed:
    assert_type(failed.operation, str | None)
except TrainingFailedError as training:
    assert_type(training.error_codes, tuple[str, ...])

versions.create({"ProjectArn": PROJECT})  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
versions.wait("arn", timeout="soon")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# Manifest validation and the emulator.
report = validate_manifest("train.manifest", auto_split=True)
assert_type(report, ManifestReport)
assert_type(report.ok, bool)
assert_type(report.problems, tuple[ManifestProblem, ...])
assert_type(report.problems[0].line, int | None)
with LocalRekognition(training_seconds=1) as local:
    assert_type(local.endpoint_url, str)
validate_manifest("train.manifest", feature="faces")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]

# Making manifests.
made = make_manifest(
    from_coco("instances.json", images_uri="s3://bkt/images/", images="local/images"),
    "train.manifest",
    test_output="s3://bkt/test.manifest",
    test_fraction=0.2,
    seed=7,
)
assert_type(made, ConversionReport)
assert_type(made.testing, str | None)
assert_type(made.skipped, tuple[Skipped, ...])
assert_type(made.training_labels, Mapping[str, int])
assert_type(made.layout, str | None)
assert_type(made.split, str)
assert_type(made.notes, tuple[str, ...])
for item in from_yolo("dataset", images_uri="s3://bkt/images/", testing_splits=("val",)):
    assert_type(item, LabeledImage | Skipped | Layout | Note)
    if isinstance(item, LabeledImage):
        assert_type(item.split, str | None)
assert_type(pick_testing_images([LabeledImage("s3://bkt/a.jpg", ("cat",))], 0.2), set[str])
assert_type(Box("cat", 1, 2, 3, 4).width, float)
assert_type(image_size("a.jpg"), tuple[int, int, int])
validate_manifest("train.manifest", check_images=True, image_workers=32)
make_manifest([], "m", test_fraction="0.2")  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]
