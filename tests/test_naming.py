"""Names that make reruns safe: automatic version names and create(if_exists=)."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from emulated import moto_s3
from fakes import stubbed
from rekog_versions import (
    ProjectVersionsClient,
    RequestBuilder,
    RequestValidationError,
    ServiceError,
    VersionNameConflictError,
)
from rekog_versions.builder import auto_version_name
from rekog_versions.cli import main
from rekog_versions.testing import (
    FakeClock,
    project_arn,
    stub_describe_project_versions,
    version_arn,
    version_description,
)

if TYPE_CHECKING:
    from collections.abc import Iterator

PROJECT = project_arn("cats")
BUCKET = "data-bucket"
TRAIN = f"s3://{BUCKET}/train.manifest"
#: The service model's VersionName: 1 to 255 of these.
NAME = re.compile(r"[a-zA-Z0-9_.\-]{1,255}")


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    with moto_s3(monkeypatch, BUCKET) as client:
        client.put_object(Bucket=BUCKET, Key="train.manifest", Body=b'{"source-ref": "a"}\n')
        client.put_object(Bucket=BUCKET, Key="test.manifest", Body=b'{"source-ref": "b"}\n')
        yield client


def _builder(s3: Any, prefix: bool | str = "cats", **changes: Any) -> RequestBuilder:
    builder = (
        RequestBuilder(project_arn=PROJECT)
        .version_name(auto=prefix, s3_client=s3)
        .output(changes.get("output", "s3://out/results/"))
        .training_manifest(changes.get("training", TRAIN))
        .testing_manifest(f"s3://{BUCKET}/test.manifest")
    )
    for key, value in changes.get("tags", {}).items():
        builder.tag(key, value)
    return builder


def test_the_same_inputs_give_the_same_name(s3: Any) -> None:
    """Deterministic; tags are not inputs of the training, so they change nothing."""
    first = _builder(s3).build().version_name
    assert re.fullmatch(r"cats-[0-9a-f]{16}", first)
    assert first == _builder(s3).build().version_name
    assert first == _builder(s3, tags={"team": "vision"}).build().version_name
    assert first != _builder(s3, output="s3://out/other/").build().version_name
    assert _builder(s3, prefix=True).build().version_name.startswith("v-")
    assert re.fullmatch(r"[0-9a-f]{16}", _builder(s3, prefix="").build().version_name)


def test_a_manifest_fixed_in_place_gives_a_new_name(s3: Any) -> None:
    """A manifest changed in place (a new ETag) gives the version a new name."""
    before = _builder(s3).build().version_name
    s3.put_object(Bucket=BUCKET, Key="train.manifest", Body=b'{"source-ref": "fixed"}\n')
    assert before != _builder(s3).build().version_name


def test_a_version_id_is_the_identity_without_reading_s3() -> None:
    """With ?versionId= nothing is read: the Stubber has no answers, so a call would fail."""
    with stubbed("s3") as (s3, _):

        def build(version: str) -> str:
            return (
                RequestBuilder(project_arn=PROJECT)
                .version_name(auto="cats", s3_client=s3)
                .output("s3://out/results/")
                .training_manifest(f"{TRAIN}?versionId={version}")
                .auto_split()
                .build()
                .version_name
            )

        assert build("111") == build("111")
        assert build("111") != build("222")


def test_auto_version_name_is_a_pure_function() -> None:
    """The name is a function of the request, prefix and identities alone."""
    request = _request("x")
    name = auto_version_name(request, "cats", ['etag:"abc"'])
    assert name == auto_version_name(request, "cats", ['etag:"abc"'])
    assert name != auto_version_name(request, "cats", ['etag:"abd"'])
    assert name.startswith("cats-")


@pytest.mark.parametrize("prefix", ["a b", "x" * 239, "ü", "a/b"])
def test_a_bad_prefix_is_a_problem_at_version_name(s3: Any, prefix: str) -> None:
    """A prefix that cannot make a valid name is a problem at VersionName."""
    with pytest.raises(RequestValidationError) as caught:
        _builder(s3, prefix=prefix).build()
    [problem] = caught.value.problems
    assert "VersionName" == problem.path
    assert "the automatic name's prefix" in problem.message
    assert "must be at most 238 of a-z A-Z 0-9 _ . -" in problem.message


@settings(max_examples=50)
@given(st.from_regex(r"[a-zA-Z0-9_.\-]{0,238}", fullmatch=True))
def test_any_valid_prefix_gives_a_valid_name(prefix: str) -> None:
    """Any valid prefix gives a name that passes the model's rules."""
    with stubbed("s3") as (s3, _):
        request = (
            RequestBuilder(project_arn=PROJECT)
            .version_name(auto=prefix, s3_client=s3)
            .output("s3://out/results/")
            .training_manifest(f"{TRAIN}?versionId=1")
            .auto_split()
            .build()
        )
    assert NAME.fullmatch(request.version_name)


def test_other_problems_are_reported_before_s3_is_read() -> None:
    """An invalid request reads nothing (the Stubber has no answers) and names the problem."""
    with stubbed("s3") as (s3, _), pytest.raises(RequestValidationError) as caught:
        RequestBuilder(project_arn=PROJECT).version_name(auto="cats", s3_client=s3).output(
            "s3://out/results/"
        ).training_manifest("not-a-uri").auto_split().build()
    assert ["TrainingData.Assets[0].GroundTruthManifest.S3Object"] == [
        p.path for p in caught.value.problems
    ]


def test_a_missing_manifest_is_named(s3: Any) -> None:
    """A manifest whose ETag cannot be read is named in the service error."""
    with pytest.raises(ServiceError, match=r"s3://data-bucket/gone\.manifest: its ETag") as caught:
        _builder(s3, training=f"s3://{BUCKET}/gone.manifest").build()
    assert ("404", 404) == (caught.value.code, caught.value.http_status)
    assert "it cannot be read (Not Found)" in str(caught.value)


@pytest.mark.parametrize(
    "call",
    [lambda b: b.version_name(), lambda b: b.version_name("v1", auto=True)],
    ids=["neither", "both"],
)
def test_version_name_takes_a_name_or_auto(call: Any) -> None:
    """version_name() takes a name or auto=, never both or neither."""
    with pytest.raises(TypeError, match="takes a name or auto="):
        call(RequestBuilder(project_arn=PROJECT))


def test_a_name_given_later_replaces_auto() -> None:
    """A name given after auto= replaces the automatic one."""
    builder = RequestBuilder(project_arn=PROJECT).version_name(auto=True).version_name("v9")
    request = builder.output("s3://out/r/").training_manifest(TRAIN).auto_split().build()
    assert "v9" == request.version_name


# -- create(if_exists=) ----------------------------------------------------------------


def _request(name: str = "v1", output: str = "s3://out-bucket/results/") -> Any:
    return (
        RequestBuilder(project_arn=PROJECT, version_name=name)
        .output(output)
        .training_manifest(TRAIN)
        .auto_split()
        .build()
    )


@pytest.mark.parametrize("status", ["TRAINING_IN_PROGRESS", "TRAINING_FAILED", "RUNNING"])
def test_reuse_returns_the_existing_version_whatever_its_status(
    clock: FakeClock, status: str, caplog: pytest.LogCaptureFixture
) -> None:
    """A rerun after a crash: the version of that name and inputs, made yesterday."""
    request = _request()
    existing = version_description(
        version_arn("cats", "v1"),
        request=request,
        status=status,
        created=clock.wall_time() - timedelta(days=1),
    )
    with stubbed("rekognition") as (rekognition, stubber):
        stubber.add_client_error("create_project_version", "ResourceInUseException")
        stub_describe_project_versions(stubber, PROJECT, ["v1"], [existing])
        caplog.set_level("INFO", logger="rekog_versions")
        arn = ProjectVersionsClient(rekognition).create(request, if_exists="reuse")
    assert existing["ProjectVersionArn"] == arn
    assert f"reusing project version {arn} (status {status})" in caplog.text


def test_error_is_the_default_and_names_the_way_out(clock: FakeClock) -> None:
    """A taken name is an error by default, naming if_exists='reuse'."""
    request = _request()
    existing = version_description(request=request, created=clock.wall_time() - timedelta(days=1))
    with stubbed("rekognition") as (rekognition, stubber):
        stubber.add_client_error("create_project_version", "ResourceInUseException")
        stub_describe_project_versions(stubber, PROJECT, ["v1"], [existing])
        with pytest.raises(VersionNameConflictError, match="if_exists='reuse'"):
            ProjectVersionsClient(rekognition).create(request)


def test_reuse_never_returns_a_version_with_other_inputs() -> None:
    """if_exists='reuse' never returns a version with other inputs."""
    request = _request()
    other = _request(output="s3://out-bucket/elsewhere/")
    with stubbed("rekognition") as (rekognition, stubber):
        stubber.add_client_error("create_project_version", "ResourceInUseException")
        stub_describe_project_versions(
            stubber, PROJECT, ["v1"], [version_description(request=other)]
        )
        with pytest.raises(VersionNameConflictError, match="whose inputs differ"):
            ProjectVersionsClient(rekognition).create(request, if_exists="reuse")


def test_a_bad_if_exists_is_refused_before_any_call() -> None:
    """An unknown if_exists is a ValueError before any call."""
    with stubbed("rekognition") as (rekognition, _), pytest.raises(ValueError, match="if_exists"):
        ProjectVersionsClient(rekognition).create(_request(), if_exists="overwrite")  # type: ignore[arg-type]


# -- the command line ------------------------------------------------------------------


def _cli(argv: list[str], **clients: Any) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdout=out, stderr=err, **clients)
    return code, out.getvalue(), err.getvalue()


CREATE = [
    "create",
    "--project-arn",
    PROJECT,
    "--output-config",
    "s3://out-bucket/results/",
    "--training-data",
    TRAIN,
    "--auto-split",
]


def test_cli_auto_name_is_stable(s3: Any) -> None:
    """--version-name auto gives the same name for the same inputs; a bad prefix exits 2."""
    argv = [*CREATE, "--version-name", "auto:cats", "--dry-run"]
    code, out, err = _cli(argv, s3=s3)
    assert 0 == code, err
    name = json.loads(out)["VersionName"]
    assert re.fullmatch(r"cats-[0-9a-f]{16}", name)
    assert name == json.loads(_cli(argv, s3=s3)[1])["VersionName"]
    plain = _cli([*CREATE, "--version-name", "auto", "--dry-run"], s3=s3)[1]
    assert json.loads(plain)["VersionName"].startswith("v-")
    bad = _cli([*CREATE, "--version-name", "auto:a b", "--dry-run"], s3=s3)
    assert (2, "") == bad[:2]
    assert "the automatic name's prefix 'a b'" in bad[2]


def test_cli_if_exists_reuse(clock: FakeClock) -> None:
    """--if-exists reuse prints the existing version's ARN and exits 0."""
    request = _request()
    existing = version_description(request=request, created=clock.wall_time() - timedelta(days=1))
    with stubbed("rekognition") as (rekognition, stubber):
        stubber.add_client_error("create_project_version", "ResourceInUseException")
        stub_describe_project_versions(stubber, PROJECT, ["v1"], [existing])
        code, out, err = _cli(
            [*CREATE, "--version-name", "v1", "--if-exists", "reuse"],
            rekognition=rekognition,
            s3=object(),
        )
    assert 0 == code, err
    assert {"ProjectVersionArn": existing["ProjectVersionArn"]} == json.loads(out)
