"""rekog-versions emulate: the emulator as a server, reached by the real AWS CLI and boto3."""

from __future__ import annotations

import io
import json
import math
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from typing import TYPE_CHECKING, Any

import boto3
import pytest

from manifest_lines import good_classification
from rekog_versions import MissingExtraError, ProjectVersionsClient, RequestBuilder
from rekog_versions.testing import LocalRekognition
from rekog_versions.testing.server import run_emulator

if TYPE_CHECKING:
    from collections.abc import Iterator

#: Runs the command line as its console script does.
COMMAND = [sys.executable, "-c", "from rekog_versions.cli import entry_point; entry_point()"]


class Server:
    """``rekog-versions emulate`` in a child process, and the environment it printed."""

    def __init__(self, *flags: str) -> None:
        self.process = subprocess.Popen(
            [*COMMAND, "emulate", "--training-seconds", "0.5", *flags],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.env: dict[str, str] = {}
        assert self.process.stdout is not None
        deadline = time.monotonic() + 30
        while len(self.env) < 5 and time.monotonic() < deadline:
            line = self.process.stdout.readline()
            if not line:
                break
            if line.startswith("export "):
                for pair in line.split()[1:]:
                    name, _, value = pair.partition("=")
                    self.env[name] = value
        assert {
            "AWS_ENDPOINT_URL_REKOGNITION",
            "AWS_ENDPOINT_URL_S3",
            "AWS_ACCESS_KEY_ID",
            "AWS_SECRET_ACCESS_KEY",
            "AWS_DEFAULT_REGION",
        } == set(self.env), self.process.stderr.read() if self.process.stderr else ""

    def client_env(self) -> dict[str, str]:
        """A clean environment: only what emulate printed, and no AWS configuration."""
        keep = {
            name: os.environ[name] for name in ("PATH", "HOME", "SYSTEMROOT") if name in os.environ
        }
        return {
            **keep,
            **self.env,
            "AWS_CONFIG_FILE": os.devnull,
            "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
        }

    def stop(self, how: signal.Signals) -> tuple[int, str]:
        self.process.send_signal(how)
        _, err = self.process.communicate(timeout=30)
        return self.process.returncode, err


@pytest.fixture
def server() -> Iterator[Server]:
    running = Server()
    try:
        yield running
    finally:
        if running.process.poll() is None:
            running.process.kill()
            running.process.communicate()


def _aws_cli() -> None:
    """The AWS CLI, or a skip where it is not installed (a failure in the nox sessions)."""
    try:
        import awscli  # noqa: F401, PLC0415
    except ImportError:
        if os.environ.get("REKOG_VERSIONS_REQUIRE_AWSCLI"):
            pytest.fail("the awscli dependency group is not installed in this session")
        pytest.skip("the AWS CLI is not installed (dependency group awscli)")


def test_the_aws_cli_trains_against_emulate(server: Server, tmp_path: Any) -> None:
    """s3 mb, s3 cp, create-project, create-project-version, describe until trained."""
    _aws_cli()
    env = server.client_env()

    def aws(*argv: str, check: bool = True) -> subprocess.CompletedProcess[str]:
        done = subprocess.run(
            [sys.executable, "-m", "awscli", *argv, "--output", "json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        if check:
            assert 0 == done.returncode, done.stderr
        return done

    manifest = tmp_path / "train.manifest"
    manifest.write_text(
        "".join(
            json.dumps(line).replace("s3://bkt/", "s3://cli-bucket/") + "\n"
            for line in good_classification(20)
        )
    )
    aws("s3", "mb", "s3://cli-bucket")
    aws("s3", "cp", str(manifest), "s3://cli-bucket/train.manifest")
    project = json.loads(aws("rekognition", "create-project", "--project-name", "cli").stdout)
    project_arn = project["ProjectArn"]
    training = {
        "Assets": [
            {
                "GroundTruthManifest": {
                    "S3Object": {"Bucket": "cli-bucket", "Name": "train.manifest"}
                }
            }
        ]
    }
    created = aws(
        "rekognition",
        "create-project-version",
        "--project-arn",
        project_arn,
        "--version-name",
        "v1",
        "--output-config",
        "S3Bucket=cli-bucket,S3KeyPrefix=results/",
        "--training-data",
        json.dumps(training),
        "--testing-data",
        "AutoCreate=true",
    )
    assert "/version/v1/" in json.loads(created.stdout)["ProjectVersionArn"]
    status = ""
    deadline = time.monotonic() + 30
    while status != "TRAINING_COMPLETED" and time.monotonic() < deadline:
        described = aws("rekognition", "describe-project-versions", "--project-arn", project_arn)
        [version] = json.loads(described.stdout)["ProjectVersionDescriptions"]
        status = version["Status"]
        assert status in {"TRAINING_IN_PROGRESS", "TRAINING_COMPLETED"}, version
        time.sleep(0.2)
    assert "TRAINING_COMPLETED" == status
    assert version["EvaluationResult"]["Summary"]["S3Object"]["Bucket"] == "cli-bucket"
    listed = aws("s3", "ls", "s3://cli-bucket/results/").stdout
    assert "EvaluationResultSummary" in listed

    refused = aws(
        "rekognition",
        "create-project-version",
        "--project-arn",
        project_arn,
        "--version-name",
        "bad name",
        "--output-config",
        "S3Bucket=cli-bucket",
        check=False,
    )
    assert 0 != refused.returncode
    assert "An error occurred (ValidationException) when calling the CreateProjectVersion" in (
        refused.stderr
    )
    assert "Value 'bad name' at 'versionName' failed to satisfy constraint" in refused.stderr
    code, err = server.stop(signal.SIGTERM)
    assert (0, True) == (code, err.rstrip().endswith("rekog-versions: stopped")), err


def test_boto3_and_the_library_reach_it_unchanged(
    server: Server, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The per-service endpoint variables are all a boto3 client needs; Ctrl-C stops it."""
    for name, value in server.client_env().items():
        monkeypatch.setenv(name, value)
    s3 = boto3.client("s3")
    s3.create_bucket(Bucket="lib-bucket")
    body = "".join(
        json.dumps(line).replace("s3://bkt/", "s3://lib-bucket/") + "\n"
        for line in good_classification(20)
    )
    s3.put_object(Bucket="lib-bucket", Key="train.manifest", Body=body.encode())
    rekognition = boto3.client("rekognition")
    project = rekognition.create_project(ProjectName="lib")["ProjectArn"]
    client = ProjectVersionsClient(rekognition, s3_client=s3)
    request = (
        RequestBuilder(project_arn=project, version_name="v1")
        .output("s3://lib-bucket/out/")
        .training_manifest("s3://lib-bucket/train.manifest")
        .auto_split()
        .build()
    )
    version = client.wait(client.create(request), poll_interval=0.2, timeout=30)
    assert 0 < len(client.evaluation(version).per_label)
    code, err = server.stop(signal.SIGINT)
    assert (0, True) == (code, err.rstrip().endswith("rekog-versions: stopped")), err


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM], ids=["interrupt", "term"])
def test_stopping_with_calls_in_flight_prints_no_traceback(
    server: Server, how: signal.Signals
) -> None:
    """Stopped while clients are mid-request (both servers): a clean stop, no tracebacks."""
    half = []
    rekognition = (
        b"POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: "
        b"RekognitionService.DescribeProjects\r\nContent-Length: 100\r\n\r\n{"
    )
    s3 = b"PUT /b/k HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc"
    for name, head in (("REKOGNITION", rekognition), ("S3", s3)):
        host, port = server.env[f"AWS_ENDPOINT_URL_{name}"].removeprefix("http://").split(":")
        connection = socket.create_connection((host, int(port)), timeout=10)
        connection.sendall(head)  # a body promised, and never sent whole
        half.append(connection)
    time.sleep(0.3)  # both servers are reading the bodies
    code, err = server.stop(how)
    for connection in half:
        connection.close()
    assert (0, True) == (code, err.rstrip().endswith("rekog-versions: stopped")), err
    assert "Traceback" not in err
    assert "Exception occurred" not in err


def test_the_s3_port_serves_s3_alone(server: Server) -> None:
    """emulate's S3 port answers S3, and neither STS, IAM nor moto's reset API."""
    import urllib.error  # noqa: PLC0415
    import urllib.request  # noqa: PLC0415

    url = server.env["AWS_ENDPOINT_URL_S3"]
    env = server.client_env()
    s3 = boto3.client(
        "s3",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )
    s3.create_bucket(Bucket="kept")
    sts = boto3.client(
        "sts",
        endpoint_url=url,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - not a secret
    )
    with pytest.raises(Exception) as caught:  # noqa: PT011 - any answer but STS's
        sts.assume_role(RoleArn="arn:aws:iam::123456789012:role/r", RoleSessionName="s")
    assert "AccessKeyId" not in str(caught.value)
    reset = urllib.request.Request(f"{url}/moto-api/reset", method="POST")  # noqa: S310
    with pytest.raises(urllib.error.HTTPError):
        urllib.request.urlopen(reset, timeout=10)  # noqa: S310 - loopback
    assert ["kept"] == [bucket["Name"] for bucket in s3.list_buckets()["Buckets"]]


def test_a_taken_port_is_refused() -> None:
    """emulate --port on a taken port exits 2 saying so."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        done = subprocess.run(
            [*COMMAND, "emulate", "--port", port],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert (2, "") == (done.returncode, done.stdout)
    assert f"port in use: --port {port}" in done.stderr


def test_a_port_just_left_is_free_again() -> None:
    """A port whose server just closed its connections (TIME_WAIT) is not 'in use'."""
    from rekog_versions.testing.server import _port_free  # noqa: PLC0415 - the probe itself

    with socket.socket() as server:
        server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        server.bind(("127.0.0.1", 0))
        server.listen()
        port = server.getsockname()[1]
        with socket.create_connection(("127.0.0.1", port)) as client:
            accepted, _ = server.accept()
            accepted.close()  # the server side closes first: its end waits in TIME_WAIT
            client.recv(1)
    assert _port_free(port)
    with LocalRekognition(port=port) as local:  # and the emulator serves on it at once
        assert local.endpoint_url.endswith(f":{port}")


@pytest.mark.parametrize("flag", ["--port", "--s3-port"])
@pytest.mark.parametrize("value", ["-1", "65536", "http"])
def test_bad_ports_exit_2(flag: str, value: str, capsys: pytest.CaptureFixture[str]) -> None:
    """A port that is not 0 to 65535 exits 2."""
    from rekog_versions.cli import main  # noqa: PLC0415

    assert 2 == main(["emulate", flag, value], stdout=io.StringIO(), stderr=io.StringIO())
    assert "expected a port from 0 to 65535" in capsys.readouterr().err


def test_an_endless_training_is_refused() -> None:
    """Trainings that never end are refused when made (the command exited 1, unexpected)."""
    from rekog_versions.cli import main  # noqa: PLC0415
    from rekog_versions.testing import LocalRekognition  # noqa: PLC0415

    for seconds in (math.inf, math.nan, -1.0):
        with pytest.raises(ValueError, match="training_seconds must be 0 or more, and finite"):
            LocalRekognition(training_seconds=seconds)
    err = io.StringIO()
    assert 2 == main(["emulate", "--training-seconds", "inf"], stdout=io.StringIO(), stderr=err)
    assert "emulate: --training-seconds must be 0 or more" in err.getvalue()


def test_in_process_with_a_stop_event() -> None:
    """run_emulator() serves until its stop event is set, and says what it serves."""
    out, err = io.StringIO(), io.StringIO()
    stop = threading.Event()
    codes: list[int] = []
    thread = threading.Thread(
        target=lambda: codes.append(run_emulator(out, err, training_seconds=0.1, stop=stop))
    )
    thread.start()
    deadline = time.monotonic() + 30
    while "AWS_ENDPOINT_URL_S3" not in out.getvalue() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "export AWS_ENDPOINT_URL_REKOGNITION=http://127.0.0.1:" in out.getvalue()
    stop.set()
    thread.join(30)
    assert ([0], False) == (codes, thread.is_alive())
    assert err.getvalue().endswith("rekog-versions: stopped\n")


def test_without_moto_server_it_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without moto's server, emulate fails at once naming the extra to install."""
    monkeypatch.setitem(sys.modules, "flask", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'rekog-versions\[emulate\]'"):
        run_emulator(io.StringIO(), io.StringIO())
