"""RequestBuilder: friendly values in, one validated request or one error out."""

from __future__ import annotations

import pytest

from conftest import PROJECT_ARN, full_request
from rekog_versions import (
    CreateProjectVersionRequest,
    OutputConfig,
    ProjectArn,
    RequestBuilder,
    RequestValidationError,
    S3Object,
)


def _builder() -> RequestBuilder:
    return RequestBuilder(project_arn=PROJECT_ARN, version_name="v1")


def test_builds_the_same_request_as_from_boto() -> None:
    """Every builder method maps to its AWS member."""
    built = (
        _builder()
        .output("s3://output-bucket/results/")
        .training_manifest("s3://data-bucket/train.manifest")
        .testing_manifest(
            S3Object(bucket="data-bucket", name="test.manifest", version="3HL4kqtJlcpXroDTDmJ")
        )
        .tags({"team": "vision"})
        .tag("cost-center", "42")
        .kms_key("arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab")
        .description("first model (baseline)")
        .build()
    )
    assert CreateProjectVersionRequest.from_boto(full_request()) == built


def test_auto_split_and_content_moderation() -> None:
    """auto_split sets AutoCreate; content_moderation sets the threshold."""
    built = (
        RequestBuilder(project_arn=ProjectArn.parse(PROJECT_ARN), version_name="adapter-1")
        .output(OutputConfig(s3_bucket="bkt"))
        .training_manifest("s3://bkt/train.manifest")
        .auto_split()
        .content_moderation(70)
        .build()
        .to_boto()
    )
    assert {"AutoCreate": True} == built["TestingData"]
    assert {"ContentModeration": {"ConfidenceThreshold": 70}} == built["FeatureConfig"]


def test_content_moderation_without_threshold() -> None:
    """A Content Moderation request need not set a threshold."""
    built = _builder().output("s3://bkt").content_moderation().build().to_boto()
    assert {"ContentModeration": {}} == built["FeatureConfig"]


def test_every_problem_including_bad_uris() -> None:
    """Bad URIs and bad values are reported together, each at its AWS path."""
    builder = (
        RequestBuilder(project_arn=PROJECT_ARN, version_name="bad name")
        .output("https://bkt.s3.amazonaws.com/out/")
        .training_manifest("s3://bkt/train.manifest", "s3://bkt")
        .testing_manifest("s3://b/test.manifest")
        .tag("aws:team", "x")
        .content_moderation(150)
    )
    with pytest.raises(RequestValidationError) as caught:
        builder.build()
    assert [
        "VersionName",
        "OutputConfig",
        "TrainingData.Assets[1].GroundTruthManifest.S3Object",
        "TestingData.Assets[0].GroundTruthManifest.S3Object.Bucket",
        'Tags["aws:team"]',
        "FeatureConfig.ContentModeration.ConfidenceThreshold",
    ] == [problem.path for problem in caught.value.problems]


def test_missing_output_is_reported() -> None:
    """Without output(), OutputConfig is reported as required."""
    with pytest.raises(RequestValidationError) as caught:
        _builder().build()
    assert ["OutputConfig"] == [problem.path for problem in caught.value.problems]


def test_training_without_testing() -> None:
    """The cross-field rules apply to built requests too."""
    with pytest.raises(RequestValidationError, match="TestingData: is required"):
        _builder().output("s3://bkt/out/").training_manifest("s3://bkt/t.manifest").build()


def test_auto_split_with_testing_manifest_is_a_warning() -> None:
    """auto_split and a testing manifest together are sent, with a warning (not documented)."""
    request = (
        _builder()
        .output("s3://bkt/out/")
        .training_manifest("s3://bkt/t.manifest")
        .testing_manifest("s3://bkt/u.manifest")
        .auto_split()
        .build()
    )
    assert request.testing_data is not None
    assert (True, 1) == (request.testing_data.auto_create, len(request.testing_data.assets or ()))
    assert ["TestingData"] == [warning.path for warning in request.warnings]


def test_tags_that_are_not_a_mapping() -> None:
    """tags() of a list is a problem at Tags, not a crash."""
    builder = _builder().output("s3://bkt").tags([("k", "v")])  # type: ignore[arg-type]
    with pytest.raises(RequestValidationError) as caught:
        builder.build()
    assert ["Tags"] == [problem.path for problem in caught.value.problems]


def test_builder_can_build_twice() -> None:
    """build() does not consume the builder."""
    builder = _builder().output("s3://bkt").tag("k", "v")
    assert builder.build() == builder.build()


def test_output_uri_with_version_is_refused() -> None:
    """An output location with ?versionId= is a problem at OutputConfig."""
    with pytest.raises(RequestValidationError) as caught:
        _builder().output("s3://bkt/out/?versionId=1").build()
    assert ["OutputConfig"] == [problem.path for problem in caught.value.problems]


def test_an_unhashable_tag_key_is_a_problem() -> None:
    """tag() with a list as key is reported with the other problems, not a TypeError."""
    builder = _builder().output("s3://bkt/out/").tag(["team"], "vision")  # type: ignore[arg-type]
    with pytest.raises(RequestValidationError) as caught:
        builder.build()
    assert ["Tags[['team']]"] == [problem.path for problem in caught.value.problems]
    assert "the key must be a string, got list" in caught.value.problems[0].message
