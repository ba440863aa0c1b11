"""LocalRekognition behaves like the service where it matters."""

from __future__ import annotations

import json
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError

from emulated import BUCKET, World
from manifest_lines import classification
from rekog_versions import (
    InvalidParameterError,
    ProjectVersionsClient,
    ProjectVersionStatus,
    RequestBuilder,
    ResourceInUseError,
    ResourceNotFoundError,
    RetryPolicy,
    TrainingFailedError,
)
from rekog_versions.testing import LocalRekognition


def _code(error: pytest.ExceptionInfo[ClientError]) -> str:
    return str(error.value.response["Error"]["Code"])


def _request(
    project: str, name: str = "v1", manifest: str = f"s3://{BUCKET}/train.manifest"
) -> Any:
    return (
        RequestBuilder(project_arn=project, version_name=name)
        .output(f"s3://{BUCKET}/out/")
        .training_manifest(manifest)
        .auto_split()
        .build()
    )


def _client(world: World, **retry: Any) -> ProjectVersionsClient:
    return ProjectVersionsClient(
        world.rekognition(),
        s3_client=world.s3,
        retry=RetryPolicy(base_delay=0.01, max_delay=0.05, **retry),
    )


def test_projects(world: World) -> None:
    """Projects get real ARNs; DescribeProjects lists Custom Labels ones unless asked."""
    rekognition = world.rekognition()
    labels = rekognition.create_project(ProjectName="cats")["ProjectArn"]
    moderation = rekognition.create_project(
        ProjectName="mod", Feature="CONTENT_MODERATION", AutoUpdate="DISABLED"
    )["ProjectArn"]
    assert labels.startswith("arn:aws:rekognition:us-east-1:111122223333:project/cats/")
    assert [labels] == [
        p["ProjectArn"] for p in rekognition.describe_projects()["ProjectDescriptions"]
    ]
    both = rekognition.describe_projects(Features=["CUSTOM_LABELS", "CONTENT_MODERATION"])
    assert {labels, moderation} == {p["ProjectArn"] for p in both["ProjectDescriptions"]}
    with pytest.raises(ClientError) as caught:
        rekognition.create_project(ProjectName="cats")
    assert "ResourceInUseException" == _code(caught)
    rekognition.delete_project(ProjectArn=moderation)
    with pytest.raises(ClientError) as caught:
        rekognition.delete_project(ProjectArn=moderation)
    assert "ResourceNotFoundException" == _code(caught)


def test_reached_through_botocores_per_service_endpoint_variable(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AWS_ENDPOINT_URL_REKOGNITION points an unchanged boto3 client at the emulator."""
    monkeypatch.setenv("AWS_ENDPOINT_URL_REKOGNITION", world.local.endpoint_url)
    rekognition = boto3.client("rekognition", region_name="us-east-1")
    assert world.local.endpoint_url == rekognition.meta.endpoint_url
    arn = rekognition.create_project(ProjectName="by-env")["ProjectArn"]
    assert [arn] == [
        p["ProjectArn"] for p in rekognition.describe_projects()["ProjectDescriptions"]
    ]


def test_training_completes_and_writes_its_files(world: World) -> None:
    """A good manifest trains; the summaries are in S3 where the description says."""
    client = _client(world)
    project = world.rekognition().create_project(ProjectName="cats")["ProjectArn"]
    arn = client.create(_request(project))
    assert ProjectVersionStatus.TRAINING_IN_PROGRESS == client.describe(arn).status
    version = client.wait(arn, poll_interval=0.1, timeout=30)
    assert version.f1_score is not None
    assert version.evaluation_summary is not None
    assert version.evaluation_summary.name == "out/EvaluationResultSummary-cats-v1.json"
    assert {"cat", "dog"} == {label.label for label in client.evaluation(version).per_label}
    manifest = client.manifest_summary(version)
    assert manifest.training is not None
    assert (20, 20) == (manifest.training.total_json_lines, manifest.training.valid_json_lines)


def test_the_evaluation_counts_the_testing_manifests_images(world: World) -> None:
    """With a testing manifest, each label's testing images are that manifest's."""
    tests = [classification(f"t{i}.jpg", "cat" if i < 3 else "dog") for i in range(5)]
    testing = world.put_manifest("test.manifest", tests)
    client = _client(world)
    project = world.rekognition().create_project(ProjectName="cats")["ProjectArn"]
    request = (
        RequestBuilder(project_arn=project, version_name="v1")
        .output(f"s3://{BUCKET}/out/")
        .training_manifest(f"s3://{BUCKET}/train.manifest")
        .testing_manifest(testing)
        .build()
    )
    version = client.wait(client.create(request), poll_interval=0.1, timeout=30)
    summary = client.evaluation(version)
    assert {m.label: m.testing_images for m in summary.per_label} == {"cat": 3, "dog": 2}
    assert summary.testing_images == 5


def test_training_fails_on_a_bad_manifest(world: World) -> None:
    """A manifest with too few labels fails training with the service's code."""
    manifest = world.put_manifest(
        "one-label.manifest",
        [
            json.dumps(line)
            for line in [
                {
                    "source-ref": f"s3://{BUCKET}/{i}.jpg",
                    "cats": 1,
                    "cats-metadata": {
                        "confidence": 1,
                        "class-name": "cat",
                        "human-annotated": "yes",
                        "creation-date": "2026-11-27T09:00:00",
                        "type": "groundtruth/image-classification",
                    },
                }
                for i in range(5)
            ]
        ],
    )
    client = _client(world)
    project = world.rekognition().create_project(ProjectName="cats")["ProjectArn"]
    arn = client.create(_request(project, manifest=manifest))
    with pytest.raises(TrainingFailedError) as caught:
        client.wait(arn, poll_interval=0.1, timeout=30)
    assert ("ERROR_MANIFEST_TOO_FEW_LABELS",) == caught.value.error_codes
    assert caught.value.manifest_summary is not None


def test_a_deeply_nested_manifest_fails_training_not_the_server(world: World) -> None:
    """A line nested 1,000 deep is judged by training; describe and wait keep working."""
    deep = '{"source-ref": ' + "[" * 1000 + "]" * 1000 + ', "a": 1, "a-metadata": {}}'
    manifest = world.put_manifest("deep.manifest", [deep])
    client = _client(world)
    project = world.rekognition().create_project(ProjectName="deep")["ProjectArn"]
    arn = client.create(_request(project, manifest=manifest))
    with pytest.raises(TrainingFailedError) as caught:
        client.wait(arn, poll_interval=0.1, timeout=30)
    assert "ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST" in caught.value.error_codes


def test_missing_manifest_is_the_terminal_error(world: World) -> None:
    """A manifest that is not there fails with the service's terminal file error."""
    client = _client(world)
    project = world.rekognition().create_project(ProjectName="cats")["ProjectArn"]
    arn = client.create(_request(project, manifest=f"s3://{BUCKET}/missing.manifest"))
    with pytest.raises(TrainingFailedError) as caught:
        client.wait(arn, poll_interval=0.1, timeout=30)
    assert ("ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT",) == caught.value.error_codes
    assert caught.value.manifest_summary is None


@pytest.mark.usefixtures("world")
def test_without_s3_no_manifest_can_be_read() -> None:
    """With no S3 client, training fails as the service would on an unreadable manifest."""
    with LocalRekognition(training_seconds=0) as local:
        import boto3  # noqa: PLC0415

        rekognition = boto3.client(
            "rekognition", region_name="us-east-1", endpoint_url=local.endpoint_url
        )
        project = rekognition.create_project(ProjectName="cats")["ProjectArn"]
        client = ProjectVersionsClient(rekognition)
        arn = client.create(_request(project))
        version = client.describe(arn)
    assert ProjectVersionStatus.TRAINING_FAILED == version.status
    assert version.error_codes == ("ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT",)


def test_service_rules(world: World) -> None:
    """Duplicate names, unknown projects, FeatureConfig and datasets are refused as by AWS."""
    client = _client(world, max_attempts=1)
    rekognition = world.rekognition()
    project = rekognition.create_project(ProjectName="cats")["ProjectArn"]
    client.create(_request(project))
    with pytest.raises(ResourceInUseError):
        client.create(_request(project, manifest=f"s3://{BUCKET}/other.manifest"))
    with pytest.raises(ResourceNotFoundError):
        client.create(_request(project.replace("/cats/", "/dogs/")))
    moderated = (
        RequestBuilder(project_arn=project, version_name="v2")
        .output(f"s3://{BUCKET}/out/")
        .training_manifest(f"s3://{BUCKET}/train.manifest")
        .auto_split()
        .content_moderation(50)
        .build()
    )
    with pytest.raises(
        InvalidParameterError, match="does not match the feature type associated with the project"
    ):
        client.create(moderated)
    world.local.add_dataset(project, "TRAIN")
    with pytest.raises(InvalidParameterError, match="datasets"):
        client.create(_request(project, name="v3"))


def test_validation_exception_wording(world: World) -> None:
    """With botocore's validation off, the emulator answers as the service does."""
    rekognition = world.rekognition(parameter_validation=False)
    project = rekognition.create_project(ProjectName="cats")["ProjectArn"]
    with pytest.raises(ClientError) as caught:
        rekognition.create_project_version(
            ProjectArn=project, VersionName="v" * 256, OutputConfig={"S3Bucket": "bad/bucket"}
        )
    assert "ValidationException" == _code(caught)
    message = caught.value.response["Error"]["Message"]
    assert message.startswith("2 validation errors detected: ")
    assert (
        "at 'versionName' failed to satisfy constraint: Member must have length less than "
        "or equal to 255" in message
    )
    assert (
        "at 'outputConfig.s3Bucket' failed to satisfy constraint: Member must satisfy "
        "regular expression pattern: [0-9A-Za-z\\.\\-_]*" in message
    )


def test_pagination_and_deletion(world: World) -> None:
    """DescribeProjectVersions pages; DeleteProjectVersion removes a version."""
    rekognition = world.rekognition()
    project = rekognition.create_project(ProjectName="cats")["ProjectArn"]
    client = _client(world)
    arns = [client.create(_request(project, name=f"v{i}")) for i in range(3)]
    first = rekognition.describe_project_versions(ProjectArn=project, MaxResults=2)
    second = rekognition.describe_project_versions(
        ProjectArn=project, MaxResults=2, NextToken=first["NextToken"]
    )
    seen = [
        d["ProjectVersionArn"]
        for d in first["ProjectVersionDescriptions"] + second["ProjectVersionDescriptions"]
    ]
    assert sorted(arns) == sorted(seen)
    assert "NextToken" not in second
    rekognition.delete_project_version(ProjectVersionArn=arns[0])
    with pytest.raises(ResourceNotFoundError):
        client.describe(arns[0])


def test_faults_are_deterministic_with_a_seed() -> None:
    """The same seed throttles the same calls."""

    def pattern(seed: int) -> list[int]:
        local = LocalRekognition(seed=seed)
        local.faults.throttle("X", fraction=0.5)
        return [len(local.faults.draw("X")) for _ in range(40)]

    assert pattern(5) == pattern(5)
    assert pattern(5) != pattern(6)
    assert 10 < sum(pattern(5)) < 30


def test_fault_arguments() -> None:
    """Bad fault arguments are refused."""
    local = LocalRekognition()
    with pytest.raises(ValueError, match="fraction"):
        local.faults.throttle(fraction=2)
    with pytest.raises(ValueError, match="kind must be one of"):
        local.faults.garbage("xml")
    with pytest.raises(RuntimeError, match="not running"):
        _ = local.endpoint_url


def test_latency(world: World) -> None:
    """Latency delays the answers of one operation, which still arrive."""
    world.local.faults.latency(0.2, "DescribeProjects", count=1)
    assert [] == world.rekognition().describe_projects()["ProjectDescriptions"]
    assert {"latency": 1} == world.local.faults.injected


def test_each_answer_leaves_in_one_piece() -> None:
    """An answer's head and body arrive together on a kept-alive connection.

    Sent in two pieces, the body waited for the client's delayed acknowledgement (Nagle's
    algorithm): about 40 ms a call, for every test, the demo and emulate.
    """
    import socket  # noqa: PLC0415

    request = (
        b"POST / HTTP/1.1\r\nHost: localhost\r\n"
        b"X-Amz-Target: RekognitionService.DescribeProjects\r\n"
        b"Content-Type: application/x-amz-json-1.1\r\nContent-Length: 2\r\n\r\n{}"
    )
    with LocalRekognition() as local:
        host, port = local.endpoint_url.removeprefix("http://").split(":")
        with socket.create_connection((host, int(port)), timeout=10) as connection:
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            for _ in range(5):
                connection.sendall(request)
                first = connection.recv(65536)  # what arrived first, in one read
                assert first.endswith(b'{"ProjectDescriptions": []}'), first


def _exchange(endpoint: str, content_length: str, body: bytes, operation: str) -> tuple[int, Any]:
    """One raw HTTP exchange with the emulator: the status and the decoded JSON answer."""
    import re  # noqa: PLC0415
    import socket  # noqa: PLC0415

    host, port = endpoint.removeprefix("http://").split(":")
    head = (
        "POST / HTTP/1.1\r\nHost: localhost\r\n"
        f"X-Amz-Target: RekognitionService.{operation}\r\n"
        "Content-Type: application/x-amz-json-1.1\r\n"
        f"Content-Length: {content_length}\r\n\r\n"
    ).encode()
    with socket.create_connection((host, int(port)), timeout=10) as connection:
        connection.sendall(head + body)
        data = b""
        while b"\r\n\r\n" not in data:
            data += connection.recv(65536)
        headers, rest = data.split(b"\r\n\r\n", 1)
        found = re.search(rb"Content-Length: (\d+)", headers)
        assert found is not None
        length = int(found.group(1))
        while len(rest) < length:
            rest += connection.recv(65536)
    return int(headers.split(b" ")[1]), json.loads(rest[:length])


@pytest.mark.parametrize(
    ("content_length", "body", "operation", "status", "code"),
    [
        ("abc", b"", "DescribeProjects", 400, "SerializationException"),
        ("-5", b"", "DescribeProjects", 400, "SerializationException"),
        ("2", b"\xff\xfe", "DescribeProjects", 400, "SerializationException"),
        ("100000", b"[" * 100_000, "DescribeProjects", 400, "SerializationException"),
        ("", b'{"NextToken": "abc"}', "DescribeProjects", 400, "InvalidPaginationTokenException"),
        ("", b'{"MaxResults": "x"}', "DescribeProjects", 400, "ValidationException"),
        ("200000000", b"", "DescribeProjects", 413, "SerializationException"),
        ("100", b"{}", "DescribeProjects", 400, "SerializationException"),
    ],
    ids=[
        "length-not-a-number",
        "negative-length",
        "not-utf8",
        "nested-100000-deep",
        "bad-token",
        "max-results-not-a-number",
        "200-mb-announced",
        "body-shorter-than-its-length",
    ],
)
def test_malformed_http_gets_the_services_answer(
    content_length: str, body: bytes, operation: str, status: int, code: str
) -> None:
    """Malformed requests are answered with the service's errors, and the server lives on."""
    local = LocalRekognition(training_seconds=0.1)
    local.read_timeout = 0.3  # how long a body shorter than its length is waited for
    with local:
        length = content_length or str(len(body))
        answer = _exchange(local.endpoint_url, length, body, operation)
        assert (status, code) == (answer[0], answer[1]["__type"])
        assert (200, {"ProjectDescriptions": []}) == _exchange(
            local.endpoint_url, "2", b"{}", "DescribeProjects"
        )
