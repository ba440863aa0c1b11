"""Every constraint of the request is enforced at its boundaries, with a clear message."""

from __future__ import annotations

import logging
import math
from decimal import Decimal
from typing import Any

import pytest

from conftest import (
    PROJECT_ARN,
    VERSION_ARN,
    full_request,
    minimal_request,
    nested_list,
    set_path,
)
from rekog_versions import CreateProjectVersionRequest, Problem, RequestValidationError

TRAIN_S3 = ("TrainingData", "Assets", 0, "GroundTruthManifest", "S3Object")
TEST_S3 = ("TestingData", "Assets", 0, "GroundTruthManifest", "S3Object")
MODERATION = ("FeatureConfig", "ContentModeration", "ConfidenceThreshold")


def _arn_of_length(length: int) -> str:
    base = "arn:aws:rekognition:us-east-1:111122223333:project/cats/"
    return base + "1" * (length - len(base))


# (path, value, valid?) — min-1, min, max, max+1 and pattern edge characters.
BOUNDARIES: list[tuple[tuple[str | int, ...], object, bool]] = [
    (("ProjectArn",), "a" * 19, False),
    (("ProjectArn",), _arn_of_length(2048), True),
    (("ProjectArn",), _arn_of_length(2049), False),
    (("ProjectArn",), "arn:aws:rekognition:us-east-1:11112222333:project/cats/1", False),
    (("ProjectArn",), "arn:aws:rekognition:us-east-1:111122223333:project/ca ts/1", False),
    (("ProjectArn",), "arn:aws:rekognition:us-east-1:١١١١٢٢٢٢٣٣٣٣:project/cats/1", False),
    (("ProjectArn",), PROJECT_ARN + "\n", False),
    (("VersionName",), "", False),
    (("VersionName",), "a", True),
    (("VersionName",), "a" * 255, True),
    (("VersionName",), "a" * 256, False),
    (("VersionName",), "v_1.0-rc", True),
    (("VersionName",), "v 1", False),
    (("VersionName",), "v/1", False),
    (("VersionName",), "vé", False),
    (("OutputConfig", "S3Bucket"), "ab", False),
    (("OutputConfig", "S3Bucket"), "abc", True),
    (("OutputConfig", "S3Bucket"), "a" * 255, True),
    (("OutputConfig", "S3Bucket"), "a" * 256, False),
    (("OutputConfig", "S3Bucket"), "My_Legacy.bucket-1", True),
    (("OutputConfig", "S3Bucket"), "bad/bucket", False),
    (("OutputConfig", "S3KeyPrefix"), "", True),
    (("OutputConfig", "S3KeyPrefix"), "p" * 1024, True),
    (("OutputConfig", "S3KeyPrefix"), "p" * 1025, False),
    ((*TRAIN_S3, "Bucket"), "ab", False),
    ((*TRAIN_S3, "Bucket"), "abc", True),
    ((*TRAIN_S3, "Bucket"), "b" * 256, False),
    ((*TRAIN_S3, "Bucket"), "b!c", False),
    ((*TRAIN_S3, "Name"), "", False),
    ((*TRAIN_S3, "Name"), "k", True),
    ((*TRAIN_S3, "Name"), "k" * 1024, True),
    ((*TRAIN_S3, "Name"), "k" * 1025, False),
    ((*TRAIN_S3, "Name"), "é" * 512, True),
    ((*TRAIN_S3, "Name"), "é" * 513, False),
    ((*TEST_S3, "Version"), "", False),
    ((*TEST_S3, "Version"), "v", True),
    ((*TEST_S3, "Version"), "v" * 1024, True),
    ((*TEST_S3, "Version"), "v" * 1025, False),
    (("KmsKeyId",), "", False),
    (("KmsKeyId",), "k", True),
    (("KmsKeyId",), "k" * 2048, True),
    (("KmsKeyId",), "k" * 2049, False),
    (("KmsKeyId",), "alias/my-key", True),
    (("KmsKeyId",), "-starts-with-dash", False),
    (("KmsKeyId",), "key id", False),
    (("VersionDescription",), "", False),
    (("VersionDescription",), "d", True),
    (("VersionDescription",), "d" * 255, True),
    (("VersionDescription",), "d" * 256, False),
    (("VersionDescription",), "Run 3 (retrain): cats, dogs; ok?'", True),
    (("VersionDescription",), "a<b>", False),
    (("VersionDescription",), "great!", False),
    ((*MODERATION,), -0.001, False),
    ((*MODERATION,), 0, True),
    ((*MODERATION,), 0.0, True),
    ((*MODERATION,), 100.0, True),
    ((*MODERATION,), 100.001, False),
    ((*MODERATION,), True, False),
    ((*MODERATION,), "50", False),
    ((*MODERATION,), math.nan, False),
    ((*MODERATION,), math.inf, False),
    ((*MODERATION,), Decimal("50.5"), True),
    ((*MODERATION,), 10**400, False),
    ((*MODERATION,), -(10**400), False),
    (("TestingData", "AutoCreate"), "yes", False),
    (("TestingData", "AutoCreate"), 1, False),
]


def _ids() -> list[str]:
    ids = []
    for path, value, valid in BOUNDARIES:
        if len(repr(value)) < 20:
            shown = repr(value)
        elif isinstance(value, str):
            shown = f"len{len(value)}"
        else:
            shown = f"{'-' if str(value).startswith('-') else ''}{len(str(value))}digits"
        ids.append(f"{'.'.join(map(str, path))}={shown}-{'ok' if valid else 'bad'}")
    return ids


@pytest.mark.parametrize(("path", "value", "valid"), BOUNDARIES, ids=_ids())
def test_boundaries(path: tuple[str | int, ...], value: object, valid: bool) -> None:
    """Each limit accepts its edge values and rejects the ones just past them."""
    request = full_request()
    if path[0] == "FeatureConfig":
        request["FeatureConfig"] = {"ContentModeration": {}}
    if path == ("TestingData", "AutoCreate"):
        request["TestingData"] = {}
    set_path(request, path, value)
    if valid:
        CreateProjectVersionRequest.from_boto(request)
        return
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    expected_path = ".".join(
        f"[{step}]" if isinstance(step, int) else step for step in path
    ).replace(".[", "[")
    assert [expected_path] == [problem.path for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("count", "valid"), [(0, True), (1, True), (200, True), (201, False)], ids=str
)
def test_tag_count(count: int, valid: bool) -> None:
    """At most 200 tags; an empty map is allowed by the model."""
    request = minimal_request()
    request["Tags"] = {f"k{i}": "v" for i in range(count)}
    if valid:
        assert count == len(CreateProjectVersionRequest.from_boto(request).tags or {})
    else:
        with pytest.raises(RequestValidationError, match="at most 200 entries, got 201"):
            CreateProjectVersionRequest.from_boto(request)


@pytest.mark.parametrize(
    ("key", "value", "valid"),
    [
        ("k" * 128, "", True),
        ("k" * 129, "", False),
        ("", "v", False),
        ("k", "v" * 256, True),
        ("k", "v" * 257, False),
        ("équipe", "visión", True),
        ("チーム", "ビジョン", True),
        ("AWS:team", "x", True),
        ("aws:team", "x", False),
        ("team#1", "x", False),
        ("team", "x!", False),
    ],
    ids=[
        "key-max",
        "key-max+1",
        "key-empty",
        "value-max",
        "value-max+1",
        "accented",
        "japanese",
        "upper-AWS-prefix",
        "aws-prefix",
        "hash-in-key",
        "bang-in-value",
    ],
)
def test_tag_keys_and_values(key: str, value: str, valid: bool) -> None:
    """Tag keys and values follow the model's limits and Unicode patterns."""
    request = minimal_request()
    request["Tags"] = {key: value}
    if valid:
        CreateProjectVersionRequest.from_boto(request)
        return
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    shown = key if len(key) <= 60 else key[:59] + "…"  # keys are shown up to 60 characters
    assert [f'Tags["{shown}"]'] == [problem.path for problem in caught.value.problems]


def test_aws_prefix_message() -> None:
    """A reserved tag key says why it is refused."""
    request = minimal_request()
    request["Tags"] = {"aws:team": "vision"}
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    (problem,) = caught.value.problems
    assert 'Tags["aws:team"]' == problem.path
    assert "the key must not start with 'aws:', which is reserved" in problem.message


def test_every_problem_is_reported_at_once() -> None:
    """One error lists every problem, in the order of the request's members."""
    request = full_request()
    request["VersionName"] = "bad name!"
    request["OutputConfig"] = {"S3Bucket": "b", "Prefix": "x"}
    set_path(request, (*TRAIN_S3, "Bucket"), "no/slash")
    request["Tags"] = {"aws:team": "x"}
    request["KmsKeyId"] = ""
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    assert [
        "VersionName",
        "OutputConfig.S3Bucket",
        "OutputConfig.Prefix",
        "TrainingData.Assets[0].GroundTruthManifest.S3Object.Bucket",
        'Tags["aws:team"]',
        "KmsKeyId",
    ] == [problem.path for problem in caught.value.problems]
    assert str(caught.value).startswith("6 problems in the CreateProjectVersion request:")


def test_unknown_member_is_a_problem_at_its_own_path() -> None:
    """An unknown key names itself, the valid members and a close match."""
    request = minimal_request()
    request["OutputConfig"] = {"S3Bucket": "bkt", "Prefix": "x"}
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    assert [
        Problem(
            "OutputConfig.Prefix",
            "is not a member of OutputConfig (valid members: S3Bucket, S3KeyPrefix); "
            "did you mean 'S3KeyPrefix'?",
        )
    ] == list(caught.value.problems)


@pytest.mark.parametrize(
    ("member", "value", "path", "fragment"),
    [
        ("OutputConfig", "s3://bkt/out", "OutputConfig", "must be a mapping"),
        ("TrainingData", {"Assets": {"a": 1}}, "TrainingData.Assets", "must be a list, got dict"),
        ("TrainingData", {"Assets": ["s3://b/k"]}, "TrainingData.Assets[0]", "got str"),
        ("Tags", [("k", "v")], "Tags", "must be a mapping of strings to strings, got list"),
        ("Tags", {1: "v"}, "Tags[1]", "the key must be a string, got int"),
        ("Tags", {"k": 1}, 'Tags["k"]', "the value must be a string, got int"),
        ("VersionName", 5, "VersionName", "must be a string, got int"),
        ("VersionName", None, "VersionName", "must not be None"),
        ("FeatureConfig", [], "FeatureConfig", "must be a mapping"),
    ],
    ids=[
        "output-as-uri",
        "assets-as-dict",
        "asset-as-uri",
        "tags-as-list",
        "tag-key-int",
        "tag-value-int",
        "name-int",
        "name-none",
        "feature-list",
    ],
)
def test_wrong_container_types_are_problems(
    member: str, value: object, path: str, fragment: str
) -> None:
    """Wrong types anywhere become problems at their path, never a TypeError."""
    request = minimal_request()
    request[member] = value
    if member == "TrainingData":
        request["TestingData"] = {"AutoCreate": True}
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    assert path in [problem.path for problem in caught.value.problems]
    assert any(fragment in problem.message for problem in caught.value.problems)


@pytest.mark.parametrize("value", [None, [], "request", 42], ids=["none", "list", "str", "int"])
def test_a_request_that_is_not_a_mapping(value: object) -> None:
    """from_boto of a non-mapping is one problem, not a crash."""
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(value)  # type: ignore[arg-type]
    (problem,) = caught.value.problems
    assert "" == problem.path
    assert "must be a mapping" in problem.message


def test_missing_required_members() -> None:
    """Each required member missing is its own problem."""
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto({})
    assert ["ProjectArn", "VersionName", "OutputConfig"] == [
        problem.path for problem in caught.value.problems
    ]


def test_output_bucket_missing_is_only_a_warning(caplog: pytest.LogCaptureFixture) -> None:
    """OutputConfig without S3Bucket is sent, with a logged warning: the model allows it."""
    request = minimal_request()
    request["OutputConfig"] = {"S3KeyPrefix": "out/"}
    with caplog.at_level(logging.WARNING, logger="rekog_versions"):
        built = CreateProjectVersionRequest.from_boto(request)
    assert request == built.to_boto()
    assert ["OutputConfig.S3Bucket"] == [warning.path for warning in built.warnings]
    assert "is required (a warning, not sent as an error" in built.warnings[0].message
    assert ["OutputConfig.S3Bucket"] == [
        record.getMessage().split(": ")[1] for record in caplog.records
    ]


def _with(**members: Any) -> dict[str, Any]:
    request = minimal_request()
    request.update(members)
    return request


_ASSETS = full_request()["TrainingData"]["Assets"]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (
            {"TrainingData": {"Assets": _ASSETS}},
            [("TestingData", "is required when TrainingData is given")],
        ),
        (
            {"TestingData": {"Assets": _ASSETS}},
            [("TrainingData", "is required when TestingData is given")],
        ),
        (
            {"TestingData": {"AutoCreate": True}},
            [("TrainingData", "AutoCreate splits the training manifest")],
        ),
        (
            {"TrainingData": {"Assets": []}, "TestingData": {"AutoCreate": True}},
            [("TrainingData.Assets", "at least 1 item")],
        ),
        (
            {"TrainingData": {}, "TestingData": {"AutoCreate": True}},
            [("TrainingData.Assets", "is required")],
        ),
        (
            {
                "TrainingData": {
                    "Assets": [{"GroundTruthManifest": {"S3Object": {"Bucket": "bkt"}}}]
                },
                "TestingData": {"AutoCreate": True},
            },
            [("TrainingData.Assets[0].GroundTruthManifest.S3Object.Name", "is required")],
        ),
        (
            {"TrainingData": {"Assets": [{}]}, "TestingData": {"AutoCreate": True}},
            [("TrainingData.Assets[0].GroundTruthManifest", "is required")],
        ),
    ],
    ids=[
        "training-without-testing",
        "testing-without-training",
        "autocreate-without-training",
        "no-training-assets",
        "training-without-assets-member",
        "manifest-without-name",
        "asset-without-manifest",
    ],
)
def test_cross_field_rules(members: dict[str, Any], expected: list[tuple[str, str]]) -> None:
    """The documented rules between members are enforced, each with its reason."""
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(_with(**members))
    problems = caught.value.problems
    assert [path for path, _ in expected] == [problem.path for problem in problems]
    for (_, fragment), problem in zip(expected, problems, strict=True):
        assert fragment in problem.message


@pytest.mark.parametrize(
    ("testing", "fragment"),
    [
        ({"AutoCreate": True, "Assets": _ASSETS}, "testing Assets are given too"),
        ({}, "gives neither testing Assets"),
        ({"AutoCreate": False}, "gives neither testing Assets"),
    ],
    ids=["autocreate-and-assets", "empty-testing", "autocreate-false-no-assets"],
)
def test_inferred_testing_rules_warn(testing: dict[str, Any], fragment: str) -> None:
    """What the documentation does not say about TestingData is a warning, never a refusal."""
    request = _with(TrainingData={"Assets": _ASSETS}, TestingData=testing)
    built = CreateProjectVersionRequest.from_boto(request)
    assert request == built.to_boto()
    (warning,) = built.warnings
    assert ("TestingData", True) == (warning.path, fragment in warning.message)
    assert "the documentation does not say" in warning.message


@pytest.mark.parametrize(
    "testing",
    [
        {"AutoCreate": True},
        {"AutoCreate": True, "Assets": []},
        {"Assets": _ASSETS, "AutoCreate": False},
    ],
    ids=["autocreate", "autocreate-empty-assets", "assets-autocreate-false"],
)
def test_valid_testing_data_forms(testing: dict[str, Any]) -> None:
    """AutoCreate alone, or assets alone, are both valid testing data."""
    request = _with(TrainingData={"Assets": _ASSETS}, TestingData=testing)
    assert testing == CreateProjectVersionRequest.from_boto(request).to_boto()["TestingData"]


def test_version_arn_for_project_arn_is_called_out() -> None:
    """Passing a version ARN as ProjectArn says what it is and what is needed."""
    request = _with(ProjectArn=VERSION_ARN)
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    (problem,) = caught.value.problems
    assert "ProjectArn" == problem.path
    assert "is a project *version* ARN" in problem.message
    assert "arn:aws:rekognition:us-east-1:111122223333:project/cats/" in problem.message


def test_messages_are_truncated() -> None:
    """A huge value is previewed, never dumped whole."""
    request = _with(VersionName="x" * 2000 + "!")
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    (problem,) = caught.value.problems
    assert "got 2001" in problem.message
    assert len(problem.message) < 200


def test_lone_surrogates_are_refused() -> None:
    """A string that is not valid Unicode cannot be sent and says so."""
    request = _with(OutputConfig={"S3Bucket": "bkt", "S3KeyPrefix": "out\ud800/"})
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    (problem,) = caught.value.problems
    assert "OutputConfig.S3KeyPrefix" == problem.path
    assert "lone surrogate at index 3" in problem.message


def test_a_surrogate_in_a_tag_key_leaves_the_message_printable() -> None:
    """The path shows the key's lone surrogate escaped, so the error can be printed."""
    request = _with(Tags={"\ud800x": "v", "équipe": "ok"})
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    assert ['Tags["\\ud800x"]'] == [problem.path for problem in caught.value.problems]
    str(caught.value).encode("utf-8")  # a raw surrogate would raise here


def test_none_member_is_a_problem() -> None:
    """None is not 'leave it out' in a boto3 dict: it is refused with a hint."""
    request = _with(KmsKeyId=None)
    with pytest.raises(RequestValidationError, match="leave the member out"):
        CreateProjectVersionRequest.from_boto(request)


@pytest.mark.parametrize(
    ("members", "path"),
    [
        (
            {"FeatureConfig": {"ContentModeration": {"ConfidenceThreshold": 10**5000}}},
            "FeatureConfig.ContentModeration.ConfidenceThreshold",
        ),
        ({"TestingData": {"AutoCreate": 10**5000}}, "TestingData.AutoCreate"),
        ({"Tags": {10**5000: "x"}}, "Tags[an integer of about 5001 digits]"),
        (
            {"FeatureConfig": {"ContentModeration": {"ConfidenceThreshold": Decimal("sNaN")}}},
            "FeatureConfig.ContentModeration.ConfidenceThreshold",
        ),
        ({"VersionDescription": nested_list(5000)}, "VersionDescription"),
        ({"Unknown": nested_list(5000)}, "Unknown"),
        ({"Tags": {"team": nested_list(5000)}}, 'Tags["team"]'),
    ],
    ids=[
        "threshold-5000-digits",
        "autocreate-5000-digits",
        "tag-key-5000-digits",
        "signaling-nan",
        "deep-list-as-member",
        "deep-list-as-unknown-member",
        "deep-list-as-tag-value",
    ],
)
def test_hostile_values_are_problems(members: dict[str, Any], path: str) -> None:
    """Huge integers, signaling NaN and 5,000-deep nesting are problems, nothing else."""
    request = full_request()
    request.update(members)
    with pytest.raises(RequestValidationError) as caught:
        CreateProjectVersionRequest.from_boto(request)
    assert [path] == [problem.path for problem in caught.value.problems]
    assert all(len(str(problem)) < 400 for problem in caught.value.problems)
