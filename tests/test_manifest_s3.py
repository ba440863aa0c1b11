"""Manifests and images on S3, against moto's in-process S3."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulated import moto_s3
from manifest_lines import classification, good_classification
from rekog_versions import S3Object, validate_manifest

if TYPE_CHECKING:
    from collections.abc import Iterator


@pytest.fixture
def s3(monkeypatch: pytest.MonkeyPatch) -> Iterator[Any]:
    """A moto S3 client with a versioned bucket 'bkt'."""
    with moto_s3(monkeypatch, "bkt") as client:
        client.put_bucket_versioning(Bucket="bkt", VersioningConfiguration={"Status": "Enabled"})
        yield client


def _body(lines: list[Any]) -> bytes:
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def test_reads_a_manifest_from_s3(s3: Any) -> None:
    """An s3:// manifest is streamed and validated like a local one."""
    s3.put_object(Bucket="bkt", Key="m/train.manifest", Body=_body(good_classification(6)))
    report = validate_manifest("s3://bkt/m/train.manifest", s3_client=s3)
    assert report.ok, report.to_text()
    assert "s3://bkt/m/train.manifest" == report.training.source
    assert 6 == report.training.total_json_lines
    assert report.training.size_bytes == len(_body(good_classification(6)))


def test_reads_a_version_of_a_manifest(s3: Any) -> None:
    """?versionId= reads that version, not the latest."""
    first = s3.put_object(Bucket="bkt", Key="m.manifest", Body=_body(good_classification(4)))
    s3.put_object(Bucket="bkt", Key="m.manifest", Body=b"")
    assert not validate_manifest("s3://bkt/m.manifest", s3_client=s3).ok
    old = validate_manifest(f"s3://bkt/m.manifest?versionId={first['VersionId']}", s3_client=s3)
    assert old.ok, old.to_text()
    as_object = validate_manifest(
        S3Object(bucket="bkt", name="m.manifest", version=first["VersionId"]), s3_client=s3
    )
    assert 4 == as_object.training.total_json_lines


@pytest.mark.parametrize(
    "source",
    ["s3://bkt/missing.manifest", "s3://no-such-bucket/m.manifest", "s3://bkt"],
    ids=["no-key", "no-bucket", "bad-uri"],
)
def test_unreadable_s3_manifest(s3: Any, source: str) -> None:
    """A missing object or bucket is the service's inaccessible-manifest error."""
    report = validate_manifest(source, s3_client=s3)
    assert not report.ok
    assert ["ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT"] == [i.code for i in report.issues]


def test_check_images(s3: Any) -> None:
    """HEAD every image: missing, too large and not-an-image lines become invalid."""
    lines = good_classification(8)
    for line in lines:
        s3.put_object(Bucket="bkt", Key=line["source-ref"][len("s3://bkt/") :], Body=b"jpeg")
    lines.append(classification("missing.jpg", "cat"))
    lines.append(classification("notes.txt", "dog"))
    s3.put_object(Bucket="bkt", Key="notes.txt", Body=b"text")
    s3.put_object(Bucket="bkt", Key="huge.png", Body=b"\0" * (15 * 1024 * 1024 + 1))
    lines.append(classification("huge.png", "dog"))
    s3.put_object(Bucket="bkt", Key="m.manifest", Body=_body(lines))
    progress: list[Any] = []
    report = validate_manifest(
        "s3://bkt/m.manifest", s3_client=s3, check_images=True, on_progress=progress.append
    )
    invalid = sorted((i.line, i.code) for i in report.issues if i.line is not None)
    assert [
        (9, "ERROR_INVALID_IMAGE"),
        (10, "ERROR_INVALID_IMAGE"),
        (11, "ERROR_INVALID_IMAGE"),
    ] == invalid
    messages = {i.line: i.message for i in report.issues}
    assert "does not exist" in messages[9]
    assert "not a .png, .jpg or .jpeg" in messages[10]
    assert "at most 15 MB" in messages[11]
    assert (11, 3) == (report.training.total_json_lines, report.training.invalid_json_lines)
    assert {"cat": 4, "dog": 4} == {k: v.images for k, v in report.training.labels.items()}
    assert progress[-1].done
    assert (10, 10) == (progress[-1].images_checked, progress[-1].images_to_check)  # not the .txt


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.binary(max_size=2000)
    | st.lists(
        st.sampled_from(
            [
                b"{",
                b"}",
                b"[",
                b'"source-ref"',
                b":",
                b",",
                b"\n",
                b"\r",
                b"\xef\xbb\xbf",
                b"\xff",
                b"null",
                b'"s3://bkt/a.jpg"',
                b"1e999",
            ]
        ),
        max_size=40,
    ).map(b"".join)
)
def test_any_bytes_give_a_report(s3: Any, data: bytes) -> None:
    """Whatever the bytes, validation returns a report; it never raises."""
    s3.put_object(Bucket="bkt", Key="fuzz.manifest", Body=data)
    report = validate_manifest("s3://bkt/fuzz.manifest", s3_client=s3)
    stats = report.training
    assert (
        stats.total_json_lines
        == stats.valid_json_lines + stats.invalid_json_lines + stats.ignored_json_lines
    )
    assert report.ok is not any(
        i.line is None and i.severity.value == "error" for i in report.issues
    )
