"""The request shapes: construction, URIs, to_boto / from_boto."""

from __future__ import annotations

import pickle
from decimal import Decimal

import attrs
import pytest

from conftest import PROJECT_ARN, full_request, minimal_request
from rekog_versions import (
    Asset,
    ContentModerationConfig,
    CreateProjectVersionRequest,
    FeatureConfig,
    GroundTruthManifest,
    OutputConfig,
    ProjectArn,
    RequestValidationError,
    S3Object,
    TestingData,
    TrainingData,
)
from rekog_versions.models import checked_params


def test_from_boto_round_trips_a_full_request() -> None:
    """from_boto(d).to_boto() == d for a request that sets every member."""
    request = full_request()
    request["FeatureConfig"] = {"ContentModeration": {"ConfidenceThreshold": 70.5}}
    assert request == CreateProjectVersionRequest.from_boto(request).to_boto()


def test_to_boto_returns_a_fresh_plain_dict() -> None:
    """Changing what to_boto() returned does not change the request."""
    built = CreateProjectVersionRequest.from_boto(full_request())
    first = built.to_boto()
    first["Tags"]["team"] = "changed"  # type: ignore[index]
    first["TrainingData"]["Assets"].clear()  # type: ignore[union-attr]
    assert full_request() == built.to_boto()
    assert type(built.to_boto()["Tags"]) is dict


def test_from_boto_does_not_keep_the_callers_containers() -> None:
    """Changing the input dict afterwards does not change the request."""
    source = full_request()
    built = CreateProjectVersionRequest.from_boto(source)
    source["Tags"]["team"] = "changed"
    assert "vision" == (built.tags or {})["team"]


def test_from_boto_builds_typed_objects() -> None:
    """Nested members become the typed shapes, with snake_case fields."""
    built = CreateProjectVersionRequest.from_boto(full_request())
    assert OutputConfig(s3_bucket="output-bucket", s3_key_prefix="results/") == built.output_config
    assert built.training_data is not None
    assert (
        S3Object(bucket="data-bucket", name="train.manifest")
        == built.training_data.assets[0].manifest
    )
    assert built.testing_data is not None
    assert built.testing_data.auto_create is None
    assert ProjectArn.parse(PROJECT_ARN) == built.project


def test_direct_construction_equals_from_boto() -> None:
    """Building the shapes by hand gives the same request as from_boto."""
    by_hand = CreateProjectVersionRequest(
        project_arn=ProjectArn.parse(PROJECT_ARN),
        version_name="v1",
        output_config=OutputConfig(s3_bucket="bkt"),
    )
    assert CreateProjectVersionRequest.from_boto(minimal_request()) == by_hand
    assert hash(CreateProjectVersionRequest.from_boto(minimal_request())) == hash(by_hand)


def test_direct_construction_validates_the_whole_request() -> None:
    """A hand-built request with bad members is refused by validate(), every problem listed."""
    request = CreateProjectVersionRequest(
        project_arn="nope",
        version_name="bad name",
        output_config=OutputConfig(s3_bucket="bkt"),
        training_data=TrainingData(assets=[Asset.from_uri("s3://bkt/train.manifest")]),
    )
    with pytest.raises(RequestValidationError) as caught:
        request.validate()
    assert ["ProjectArn", "VersionName", "TestingData"] == [
        problem.path for problem in caught.value.problems
    ]


def test_wrong_nested_type_is_reported() -> None:
    """Passing a URI where a shape is expected is a problem, not an AttributeError."""
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest(
            project_arn=PROJECT_ARN,
            version_name="v1",
            output_config="s3://bkt/out/",  # type: ignore[arg-type]
        ).validate()
    (problem,) = caught.value.problems
    assert "OutputConfig" == problem.path


def _manifest(**changes: object) -> Asset:
    return Asset.of(attrs.evolve(S3Object(bucket="bkt", name="k"), **changes))


def _with(**members: object) -> CreateProjectVersionRequest:
    fields: dict[str, object] = {
        "project_arn": PROJECT_ARN,
        "version_name": "v1",
        "output_config": OutputConfig(s3_bucket="bkt"),
        "training_data": TrainingData(assets=[_manifest()]),
        "testing_data": TestingData(auto_create=True),
    }
    fields.update(members)
    return CreateProjectVersionRequest(**fields)  # type: ignore[arg-type]


_MANIFEST = "TrainingData.Assets[0].GroundTruthManifest.S3Object"


@pytest.mark.parametrize(
    ("members", "path"),
    [
        ({"training_data": TrainingData(assets=[_manifest(bucket="b")])}, f"{_MANIFEST}.Bucket"),
        ({"training_data": TrainingData(assets=[_manifest(name="")])}, f"{_MANIFEST}.Name"),
        (
            {"training_data": TrainingData(assets=[_manifest(version="")])},
            f"{_MANIFEST}.Version",
        ),
        ({"output_config": OutputConfig(s3_bucket="b!b")}, "OutputConfig.S3Bucket"),
        ({"training_data": TrainingData(assets=[])}, "TrainingData.Assets"),
        (
            {
                "training_data": TrainingData(
                    assets=[
                        Asset(ground_truth_manifest=GroundTruthManifest(s3_object="s3://bkt/k"))
                    ]  # type: ignore[arg-type]
                )
            },
            _MANIFEST,
        ),
        (
            {
                "feature_config": FeatureConfig(
                    content_moderation=ContentModerationConfig(confidence_threshold=101)
                )
            },
            "FeatureConfig.ContentModeration.ConfidenceThreshold",
        ),
        (
            {
                "feature_config": FeatureConfig(
                    content_moderation=ContentModerationConfig(confidence_threshold=True)
                )
            },
            "FeatureConfig.ContentModeration.ConfidenceThreshold",
        ),
        (
            {
                "feature_config": FeatureConfig(
                    content_moderation=ContentModerationConfig(confidence_threshold=10**400)
                )
            },
            "FeatureConfig.ContentModeration.ConfidenceThreshold",
        ),
    ],
    ids=[
        "short-bucket",
        "empty-key",
        "empty-version",
        "bad-output-bucket",
        "no-training-assets",
        "manifest-as-uri",
        "threshold-over-100",
        "threshold-bool",
        "threshold-huge-int",
    ],
)
def test_nested_shapes_are_judged_in_the_request(members: dict[str, object], path: str) -> None:
    """The shapes are plain data; the request they go into names the fault by its AWS path."""
    with pytest.raises(RequestValidationError) as caught:
        _with(**members).validate()
    assert [path] == [problem.path for problem in caught.value.problems]


def test_nested_shapes_build_without_judging() -> None:
    """Building a shape on its own checks nothing: it is a value."""
    assert "b" == S3Object(bucket="b", name="").bucket
    assert 101.0 == ContentModerationConfig(confidence_threshold=101).confidence_threshold


@pytest.mark.parametrize(
    "testing",
    [
        TestingData(),
        TestingData(auto_create=False, assets=()),
        TestingData(auto_create=True, assets=[_manifest()]),
    ],
    ids=["empty-testing", "no-autocreate-no-assets", "autocreate-with-assets"],
)
def test_inferred_testing_rules_are_warnings(testing: TestingData) -> None:
    """What the documentation does not state is a warning on the request, not a refusal."""
    request = _with(testing_data=testing)
    assert ["TestingData"] == [warning.path for warning in request.warnings]
    assert "a warning, not sent as an error" in request.warnings[0].message


def test_assets_must_be_a_sequence() -> None:
    """A URI where a list of assets belongs is a TypeError, not a list of characters."""
    with pytest.raises(TypeError, match="sequence of Asset, got str"):
        TrainingData(assets="s3://bkt/k")  # type: ignore[arg-type]


def test_shapes_are_frozen() -> None:
    """The shapes cannot be changed after construction."""
    s3_object = S3Object(bucket="bkt", name="k")
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        s3_object.bucket = "other"  # type: ignore[misc]


def test_shapes_are_keyword_only() -> None:
    """Positional arguments are refused: the fields are named after AWS members."""
    with pytest.raises(TypeError):
        S3Object("bkt", "k")  # type: ignore[misc]


def test_evolve_then_validate() -> None:
    """A request changed with attrs.evolve is checked by validate() like any other."""
    request = CreateProjectVersionRequest.from_boto(minimal_request())
    with pytest.raises(RequestValidationError):
        attrs.evolve(request, version_name="").validate()
    assert "v2" == attrs.evolve(request, version_name="v2").validate().to_boto()["VersionName"]


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("s3://bkt/train.manifest", S3Object(bucket="bkt", name="train.manifest")),
        ("s3://bkt/a/b/c.manifest", S3Object(bucket="bkt", name="a/b/c.manifest")),
        (
            "s3://bkt/k.manifest?versionId=3HL4kqtJ",
            S3Object(bucket="bkt", name="k.manifest", version="3HL4kqtJ"),
        ),
        ("s3://bkt/what?.manifest", S3Object(bucket="bkt", name="what?.manifest")),
    ],
    ids=["simple", "nested", "version", "question-mark-in-key"],
)
def test_s3_object_from_uri(uri: str, expected: S3Object) -> None:
    """s3:// URIs parse into bucket, key and version, and print back the same."""
    assert expected == S3Object.from_uri(uri)
    assert uri == expected.uri


@pytest.mark.parametrize(
    ("uri", "fragment"),
    [
        ("https://bkt.s3.amazonaws.com/k", "an https:// URL is not accepted"),
        ("S3://bkt/k", "the scheme is lower-case s3://"),
        ("bkt/k", "must be an s3://bucket/key URI"),
        ("s3:///k", "names no bucket"),
        ("s3://bkt", "names no object key"),
        ("s3://bkt/", "names no object key"),
        ("s3://bkt/k?versionId=", "empty versionId"),
        ("s3://b/k", "at least 3 characters"),
        (42, "must be an s3:// URI, got int"),
    ],
    ids=[
        "https",
        "upper-scheme",
        "no-scheme",
        "no-bucket",
        "no-key",
        "slash-no-key",
        "empty-version",
        "short-bucket",
        "not-a-string",
    ],
)
def test_s3_object_from_bad_uri(uri: str, fragment: str) -> None:
    """A bad URI raises one clear problem."""
    with pytest.raises(RequestValidationError) as caught:
        S3Object.from_uri(uri)
    (problem,) = caught.value.problems
    assert fragment in problem.message
    assert problem.path.startswith("S3Object")


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("s3://bkt/results/", OutputConfig(s3_bucket="bkt", s3_key_prefix="results/")),
        ("s3://bkt/results", OutputConfig(s3_bucket="bkt", s3_key_prefix="results")),
        ("s3://bkt/", OutputConfig(s3_bucket="bkt")),
        ("s3://bkt", OutputConfig(s3_bucket="bkt")),
    ],
    ids=["prefix-slash", "prefix", "bucket-slash", "bucket"],
)
def test_output_config_from_uri(uri: str, expected: OutputConfig) -> None:
    """An output location keeps its prefix as written."""
    assert expected == OutputConfig.from_uri(uri)


def test_output_config_refuses_a_version() -> None:
    """An output location takes no versionId."""
    with pytest.raises(RequestValidationError, match="takes no versionId"):
        OutputConfig.from_uri("s3://bkt/out/?versionId=1")


def test_numbers_are_normalised_to_float() -> None:
    """int and Decimal thresholds become floats; the boto form compares equal."""
    assert 50.0 == ContentModerationConfig(confidence_threshold=50).confidence_threshold
    assert (
        50.5 == ContentModerationConfig(confidence_threshold=Decimal("50.5")).confidence_threshold
    )
    request = minimal_request()
    request["FeatureConfig"] = {"ContentModeration": {"ConfidenceThreshold": 50}}
    assert request == CreateProjectVersionRequest.from_boto(request).to_boto()


def test_empty_feature_config_round_trips() -> None:
    """Members the model makes optional stay absent, or present, as given."""
    request = minimal_request()
    request["FeatureConfig"] = {}
    assert request == CreateProjectVersionRequest.from_boto(request).to_boto()
    request["FeatureConfig"] = {"ContentModeration": {}}
    assert request == CreateProjectVersionRequest.from_boto(request).to_boto()
    assert {"ContentModeration": {}} == FeatureConfig(
        content_moderation=ContentModerationConfig()
    ).to_boto()


def test_asset_helpers() -> None:
    """Asset.of takes a URI or an S3Object; from_uris builds whole data sets."""
    s3_object = S3Object(bucket="bkt", name="k")
    assert Asset.of("s3://bkt/k") == Asset.of(s3_object)
    assert (Asset.of(s3_object),) == TrainingData.from_uris("s3://bkt/k").assets
    assert (Asset.of(s3_object),) == TestingData.from_uris("s3://bkt/k").assets


def test_requests_pickle() -> None:
    """Requests cross process boundaries (multiprocessing, task queues)."""
    request = CreateProjectVersionRequest.from_boto(full_request())
    assert request == pickle.loads(pickle.dumps(request))  # noqa: S301 - our own bytes


def test_a_valid_equal_request_does_not_vouch_for_another() -> None:
    """A request is checked on its own, though an equal one (True == 1.0) passed before."""
    base = {**minimal_request(), "FeatureConfig": {"ContentModeration": {}}}
    kept = CreateProjectVersionRequest.from_boto(
        {**base, "FeatureConfig": {"ContentModeration": {"ConfidenceThreshold": 1.0}}}
    ).validate()
    bad = attrs.evolve(
        kept,
        feature_config=FeatureConfig(
            content_moderation=ContentModerationConfig(confidence_threshold=True)
        ),
    )
    assert bad == kept
    with pytest.raises(RequestValidationError, match="ConfidenceThreshold: must be a number"):
        bad.validate()


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"tags": {"k": ["x"]}}, 'Tags["k"]: the value must be a string, got list'),
        ({"version_name": ["x"]}, "VersionName: must be a string, got list"),
    ],
    ids=["list-tag", "list-name"],
)
def test_unhashable_members_are_a_validation_error(
    changes: dict[str, object], fragment: str
) -> None:
    """A list where a string belongs is named by validate(), not a TypeError from hashing."""
    request = attrs.evolve(CreateProjectVersionRequest.from_boto(minimal_request()), **changes)
    with pytest.raises(RequestValidationError) as caught:
        request.validate()
    assert fragment in str(caught.value)


def test_a_pickled_request_sends_the_same_dict() -> None:
    """A request carried through pickle (before or after it was sent) sends its own dict."""
    request = CreateProjectVersionRequest.from_boto(full_request())
    assert checked_params(pickle.loads(pickle.dumps(request))) == full_request()  # noqa: S301
    checked_params(request)
    assert checked_params(pickle.loads(pickle.dumps(request))) == full_request()  # noqa: S301
