"""Manifests and images on S3, against moto's in-process S3."""

from __future__ import annotations

import gc
import io
import json
import sys
import warnings
from typing import TYPE_CHECKING, Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from emulated import moto_s3
from fakes import stubbed
from manifest_lines import classification, detection, good_classification
from rekog_versions import ConfigurationError, RequestValidationError, S3Object, ServiceError
from rekog_versions.manifests import validate_manifest
from rekog_versions.manifests._images import Unreadable, read_header

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
    ["s3://bkt/missing.manifest", "s3://no-such-bucket/m.manifest"],
    ids=["no-key", "no-bucket"],
)
def test_unreadable_s3_manifest(s3: Any, source: str) -> None:
    """A missing object or bucket is the service's inaccessible-manifest error."""
    report = validate_manifest(source, s3_client=s3)
    assert not report.ok
    assert ["ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT"] == [
        i.code for i in report.problems
    ]


@pytest.mark.parametrize(
    ("source", "error", "said"),
    [
        ("s3://bkt", RequestValidationError, "names no object key: 's3://bkt'"),
        ("s3://", RequestValidationError, "names no bucket"),
        ("", ValueError, "a manifest's path is empty"),
    ],
    ids=["no-key", "no-bucket", "empty"],
)
def test_a_source_that_names_no_manifest_is_refused(
    source: str, error: type[Exception], said: str
) -> None:
    """An s3:// URI without a key, or an empty path, is a bad argument, not a verdict."""
    with pytest.raises(error, match=said):
        validate_manifest(source)
    with pytest.raises(error, match=said):
        validate_manifest("s3://bkt/train.manifest", testing=source)


def _image(size: tuple[int, int], kind: str = "JPEG", **options: Any) -> bytes:
    """A real image of ``size``, made with Pillow."""
    from PIL import Image  # noqa: PLC0415 - in the tests dependency group

    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, kind, **options)
    return out.getvalue()


def test_check_images_reads_each_header(s3: Any) -> None:
    """Every image read as training reads it: by content, size, sides and aspect ratio."""
    pytest.importorskip("PIL")
    lines = good_classification(10)
    for line in lines:
        s3.put_object(Bucket="bkt", Key=line["source-ref"][5 + 4 :], Body=_image((320, 240)))
    bad = {
        "missing.jpg": None,
        "truncated.jpg": _image((320, 240))[:40],
        "gif.jpg": _image((320, 240), "GIF"),
        "small.png": _image((63, 200), "PNG"),
        "wide.jpg": _image((1344, 64)),
        "huge.jpg": _image((320, 240)) + b"\0" * (15 * 1024 * 1024),
    }
    for name, body in bad.items():
        if body is not None:
            s3.put_object(Bucket="bkt", Key=name, Body=body)
        lines.append(classification(name, "cat"))
    s3.put_object(Bucket="bkt", Key="m.manifest", Body=_body(lines))
    progress: list[Any] = []
    report = validate_manifest(
        "s3://bkt/m.manifest", s3_client=s3, check_images=True, on_progress=progress.append
    )
    messages = {i.line: (i.code, i.message) for i in report.problems if i.line is not None}
    assert {line: code for line, (code, _) in messages.items()} == dict.fromkeys(
        range(11, 17), "ERROR_INVALID_IMAGE"
    )
    assert "does not exist" in messages[11][1]
    assert "is not a readable PNG or JPEG" in messages[12][1]
    assert "is GIF, not PNG or JPEG" in messages[13][1]
    assert "63x200 (each side 64 to 4096 px)" in messages[14][1]
    assert "1344x64, an aspect ratio over 20:1" in messages[15][1]
    assert "at most 15 MB" in messages[16][1]
    # 6 of 16 lines invalid: more than 20%, as the service counts them
    assert (16, 6) == (report.training.total_json_lines, report.training.invalid_json_lines)
    assert not report.ok
    assert progress[-1].done
    assert (16, 16) == (progress[-1].images_checked, progress[-1].images_to_check)


def test_check_images_compares_the_declared_size(s3: Any) -> None:
    """A wrong image_size, and a box past the real image, are warned about."""
    pytest.importorskip("PIL")
    lines = [detection(f"{i}.jpg", size=(640, 480)) for i in range(4)]
    lines.append(detection("small.jpg", size=(640, 480), boxes=[(0, 10, 10, 600, 400)]))
    for line in lines:
        real = (320, 240) if "small" in line["source-ref"] else (640, 480)
        s3.put_object(Bucket="bkt", Key=line["source-ref"][9:], Body=_image(real))
    s3.put_object(Bucket="bkt", Key="m.manifest", Body=_body(lines))
    report = validate_manifest("s3://bkt/m.manifest", s3_client=s3, check_images=True)
    assert report.ok
    assert sorted((i.code, i.line, i.path) for i in report.problems) == [
        ("RV_BOX_OUTSIDE_IMAGE", 5, "bounding-box.annotations[0]"),
        ("RV_IMAGE_SIZE_MISMATCH", 5, "bounding-box.image_size[0]"),
    ]


def test_check_images_reads_further_for_a_late_size_marker(s3: Any) -> None:
    """A size marker past a 200 KB ICC profile is read in a second GET of the missing bytes."""
    pytest.importorskip("PIL")
    late = _image((320, 240), icc_profile=b"\1" * 200_000)
    lines = good_classification(4)
    for line in lines:
        s3.put_object(Bucket="bkt", Key=line["source-ref"][9:], Body=late)
    s3.put_object(Bucket="bkt", Key="m.manifest", Body=_body(lines))
    ranges: list[str] = []
    s3.meta.events.register(
        "before-parameter-build.s3.GetObject",
        lambda params, **_: ranges.append(params.get("Range", "")),
    )
    report = validate_manifest("s3://bkt/m.manifest", s3_client=s3, check_images=True)
    assert report.ok, report.to_text()
    assert sorted(set(ranges)) == ["", "bytes=0-65535", "bytes=65536-1048575"]  # "": the manifest


@pytest.mark.parametrize("answer", [b"", b"\0" * 10])
def test_an_image_that_ends_early_is_unreadable_at_once(answer: bytes) -> None:
    """An image sent shorter than its stated size is asked for the rest once, not forever."""
    pytest.importorskip("PIL")
    asked: list[tuple[int, int]] = []

    def fetch(start: int, end: int) -> tuple[bytes, int]:
        asked.append((start, end))
        return (b"\0" * 100 if start == 0 else answer), 10 * 1024 * 1024

    with pytest.raises(Unreadable, match="not a readable PNG or JPEG"):
        read_header(fetch)
    assert asked[:2] == [(0, 65536), (100, 1048576)]
    assert len(asked) <= 3


def test_check_images_without_pillow_says_what_to_install(
    s3: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """check_images without Pillow names the datasets extra at once."""
    monkeypatch.setitem(sys.modules, "PIL", None)
    with pytest.raises(ImportError, match=r"pip install 'rekog-versions\[datasets\]'"):
        validate_manifest("s3://bkt/m.manifest", s3_client=s3, check_images=True)


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
        i.line is None and i.severity.value == "error" for i in report.problems
    )


def test_no_s3_client_for_image_checks_leaves_the_manifest_closed(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """When no S3 client can be made for the image checks, the manifest file is closed."""
    path = tmp_path / "m.manifest"
    path.write_text("".join(json.dumps(line) + "\n" for line in good_classification(4)))
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile-here")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(tmp_path / "config"))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with pytest.raises(ConfigurationError, match="no-such-profile-here"):
            validate_manifest(path, check_images=True)
        gc.collect()
    assert [] == [str(w.message) for w in caught if issubclass(w.category, ResourceWarning)]


def test_a_jpeg_with_more_pictures_passes_the_image_check() -> None:
    """validate-manifest --check-images reads a JPEG with an MPF index as a JPEG."""
    from PIL import Image  # noqa: PLC0415 - the datasets extra

    buffer = io.BytesIO()
    first, second = Image.new("RGB", (200, 100)), Image.new("RGB", (200, 100), (9, 9, 9))
    first.save(buffer, format="MPO", save_all=True, append_images=[second])
    data = buffer.getvalue()
    header = read_header(lambda start, end: (data[start:end], len(data)))
    assert ("JPEG", 200, 100, None) == (
        header.format,
        header.width,
        header.height,
        header.problem(),
    )


def _streaming(data: bytes, length: int | None = None) -> Any:
    """A GetObject body; with ``length`` past its bytes, it ends early, as a cut connection."""
    from botocore.response import StreamingBody  # noqa: PLC0415

    return StreamingBody(io.BytesIO(data), len(data) if length is None else length)


def _get(data: bytes, *, short: bool = False) -> dict[str, Any]:
    """A (ranged) GetObject answer of the whole of ``data``, cut short if asked."""
    body = _streaming(data[:20] if short else data, len(data))
    return {"Body": body, "ContentRange": f"bytes 0-{len(data) - 1}/{len(data)}"}


def test_s3_faults_that_pass_are_retried_not_judged(clock: Any) -> None:
    """A 500 on the manifest, a SlowDown and a short body on images: retried, all valid."""
    del clock  # in use: the retries' backoff costs nothing
    pytest.importorskip("PIL")
    lines = good_classification(4)
    manifest = _body(lines)
    image = _image((320, 240))
    with stubbed("s3") as (client, stubber):
        stubber.add_client_error("get_object", "InternalError", http_status_code=500)
        stubber.add_response("get_object", {"Body": _streaming(manifest)})
        for index in range(len(lines)):
            if index == 0:
                stubber.add_client_error("get_object", "SlowDown", http_status_code=503)
            if index == 1:
                stubber.add_response("get_object", _get(image, short=True))
            stubber.add_response("get_object", _get(image))
        report = validate_manifest(
            "s3://bkt/m.manifest", s3_client=client, check_images=True, image_workers=1
        )
    assert [] == [problem.code for problem in report.problems]
    assert (4, 0) == (report.training.valid_json_lines, report.training.invalid_json_lines)


@pytest.mark.parametrize(
    ("code", "status"),
    [("SlowDown", 503), ("AccessDenied", 403)],
    ids=["s3-keeps-failing", "this-machine-denied"],
)
def test_s3_failing_on_images_is_an_error_not_a_verdict(
    tmp_path: Any, clock: Any, code: str, status: int
) -> None:
    """S3 that keeps failing (or denies this machine) stops the checks: no verdict."""
    del clock
    pytest.importorskip("PIL")
    path = tmp_path / "m.manifest"
    path.write_bytes(_body(good_classification(4)))
    with stubbed("s3") as (client, stubber):
        for _ in range(10 if status == 503 else 1):  # every attempt the retry layer makes
            stubber.add_client_error("get_object", code, http_status_code=status)
        with pytest.raises(ServiceError, match=code):
            validate_manifest(path, s3_client=client, check_images=True, image_workers=1)


def test_an_unreachable_s3_for_images_is_an_error_not_a_verdict(tmp_path: Any) -> None:
    """Nothing listening where the images are: NetworkError, not ERROR_INVALID_IMAGE."""
    pytest.importorskip("PIL")
    import boto3  # noqa: PLC0415

    from conftest import closed_port  # noqa: PLC0415
    from rekog_versions import NetworkError  # noqa: PLC0415

    path = tmp_path / "m.manifest"
    path.write_bytes(_body(good_classification(4)))
    from botocore.config import Config  # noqa: PLC0415

    client = boto3.client(
        "s3",
        region_name="us-east-1",
        config=Config(retries={"total_max_attempts": 1}),  # botocore's own retries: none
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - not a secret
    )
    with pytest.raises(NetworkError):
        validate_manifest(path, s3_client=client, check_images=True)
