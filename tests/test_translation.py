"""botocore's failures become this library's errors: the table, and every non-service path."""

from __future__ import annotations

import socket
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING

import botocore.session
import pytest
from botocore.config import Config
from botocore.exceptions import (
    NoRegionError,
    ParamValidationError,
    ProfileNotFound,
    ReadTimeoutError,
)
from botocore.parsers import ResponseParserError

from conftest import closed_port
from fakes import boto_client
from rekog_versions import (
    ClientSideError,
    ConfigurationError,
    CredentialsError,
    MalformedResponseError,
    NetworkError,
    ProjectVersionsClient,
    RequestValidationError,
    ServiceError,
)
from rekog_versions._aws import translate
from rekog_versions.errors import ERROR_CLASSES
from rekog_versions.testing import FakeClock, version_arn

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

VERSION = version_arn("cats", "v1")
OPERATIONS = ("CreateProjectVersion", "DescribeProjectVersions", "DescribeProjects")


@pytest.mark.parametrize("operation", OPERATIONS)
def test_the_table_covers_every_modeled_error(operation: str) -> None:
    """Every error shape of the operations the client calls has its class in the table."""
    model = botocore.session.get_session().get_service_model("rekognition")
    codes = {shape.name for shape in model.operation_model(operation).error_shapes}
    assert codes
    assert set() == codes - set(ERROR_CLASSES)
    for code in codes:
        assert ERROR_CLASSES[code] is not ServiceError


def test_param_validation_error_becomes_problems() -> None:
    """botocore's own parameter validation report becomes Problems with paths."""
    report = (
        "Invalid length for parameter VersionName, value: 0, valid min length: 1\n"
        'Unknown parameter in OutputConfig: "Bucket", must be one of: S3Bucket, S3KeyPrefix\n'
        'Missing required parameter in input: "ProjectArn"'
    )
    error = translate(ParamValidationError(report=report), "CreateProjectVersion")
    assert isinstance(error, RequestValidationError)
    assert ["VersionName", "OutputConfig.Bucket", "ProjectArn"] == [p.path for p in error.problems]


@pytest.mark.parametrize(
    ("error", "cls"),
    [
        (NoRegionError(), ConfigurationError),
        (ProfileNotFound(profile="nope"), ConfigurationError),
        (ReadTimeoutError(endpoint_url="https://x"), NetworkError),
        (ResponseParserError("bad"), MalformedResponseError),
    ],
    ids=["no-region", "no-profile", "read-timeout", "parser"],
)
def test_botocore_errors_map_to_ours(error: Exception, cls: type[Exception]) -> None:
    """Each botocore failure kind has its class."""
    assert isinstance(translate(error, "Op"), cls)


def test_foreign_errors_are_left_alone() -> None:
    """An error that is not botocore's is not translated."""
    assert translate(KeyError("x"), "Op") is None


@pytest.fixture
def no_aws_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    """No credentials, no region, no config files, no instance metadata."""
    for name in (
        "AWS_ACCESS_KEY_ID",
        "AWS_SECRET_ACCESS_KEY",
        "AWS_SESSION_TOKEN",
        "AWS_PROFILE",
        "AWS_DEFAULT_PROFILE",
        "AWS_REGION",
        "AWS_DEFAULT_REGION",
        "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI",
        "AWS_WEB_IDENTITY_TOKEN_FILE",
    ):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", f"{tmp_path}/no-credentials")
    monkeypatch.setenv("AWS_CONFIG_FILE", f"{tmp_path}/no-config")
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")


@pytest.mark.usefixtures("no_aws_environment")
def test_no_credentials() -> None:
    """A call without credentials raises CredentialsError, saying how to give them."""
    client = ProjectVersionsClient(region_name="us-east-1")
    with pytest.raises(CredentialsError, match="Configure credentials") as caught:
        client.describe(
            VERSION, project_arn="arn:aws:rekognition:us-east-1:111122223333:project/cats/1"
        )
    assert type(caught.value.__cause__).__name__ == "NoCredentialsError"


@pytest.mark.usefixtures("no_aws_environment")
def test_no_region() -> None:
    """Building a client without a region raises ConfigurationError."""
    with pytest.raises(ConfigurationError, match="pass region_name="):
        _ = ProjectVersionsClient().rekognition


@pytest.mark.usefixtures("no_aws_environment")
def test_unknown_profile(monkeypatch: pytest.MonkeyPatch) -> None:
    """An unknown AWS_PROFILE is a ConfigurationError, not botocore's ProfileNotFound."""
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    with pytest.raises(ConfigurationError, match="no-such-profile"):
        _ = ProjectVersionsClient(region_name="us-east-1").rekognition


def _quick(endpoint: str) -> ProjectVersionsClient:
    from rekog_versions import RetryPolicy  # noqa: PLC0415

    rekognition = boto_client(
        "rekognition",
        endpoint_url=endpoint,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=0.5),
    )
    return ProjectVersionsClient(rekognition, retry=RetryPolicy(max_attempts=1))


def test_endpoint_unreachable(clock: FakeClock) -> None:
    """Connection refused on loopback raises NetworkError at once: it is not retried."""
    from rekog_versions._aws import default_config  # noqa: PLC0415

    endpoint = f"http://127.0.0.1:{closed_port()}"
    client = ProjectVersionsClient(
        boto_client("rekognition", endpoint_url=endpoint, config=default_config())
    )
    with pytest.raises(NetworkError) as caught:
        client.describe(
            VERSION, project_arn="arn:aws:rekognition:us-east-1:111122223333:project/cats/1"
        )
    assert caught.value.retryable is False
    assert isinstance(caught.value, ClientSideError)
    assert [] == clock.sleeps


@contextmanager
def loopback_server(handle: Callable[[socket.socket, threading.Event], None]) -> Iterator[str]:
    """A loopback server giving each connection to ``handle``; its URL, until the block ends.

    ``handle`` is given the event set when the block ends, to stop what it started.
    """
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.1)
        while not stop.is_set():
            try:
                connection, _ = server.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            handle(connection, stop)

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        stop.set()
        thread.join(timeout=5)
        server.close()


@pytest.fixture
def silent_server() -> Iterator[str]:
    """A loopback server that accepts connections and never answers."""
    held: list[socket.socket] = []
    with loopback_server(lambda connection, _: held.append(connection)) as url:
        yield url
    for connection in held:
        connection.close()


def test_read_timeout(silent_server: str) -> None:
    """An endpoint that never answers raises NetworkError after the read timeout."""
    client = _quick(silent_server)
    with pytest.raises(NetworkError, match="timeout"):
        client.describe(
            VERSION, project_arn="arn:aws:rekognition:us-east-1:111122223333:project/cats/1"
        )


def test_a_wait_ends_at_its_timeout_whatever_the_server_does(silent_server: str) -> None:
    """wait(timeout=) gives up at its timeout when the server never answers."""
    from rekog_versions import WaitTimeoutError  # noqa: PLC0415
    from rekog_versions._aws import default_config  # noqa: PLC0415

    client = ProjectVersionsClient(
        boto_client("rekognition", endpoint_url=silent_server, config=default_config())
    )
    with pytest.raises(WaitTimeoutError, match=r"gave up waiting after 0\.5 s") as caught:
        client.wait(
            VERSION,
            timeout=0.5,
            project_arn="arn:aws:rekognition:us-east-1:111122223333:project/cats/1",
        )
    assert caught.value.last is None  # no answer was ever seen


@pytest.fixture
def dripping_server() -> Iterator[str]:
    """A loopback server that answers each request a byte at a time, every 0.1 s, forever."""

    def drip(connection: socket.socket, stop: threading.Event) -> None:
        with connection:
            connection.recv(65536)  # the request (small enough for one read)
            head = b"HTTP/1.1 200 OK\r\nContent-Length: 99999\r\n\r\n"
            try:
                connection.sendall(head)
                while not stop.wait(0.1):
                    connection.sendall(b" ")  # whitespace: still JSON, never complete
            except OSError:
                return

    def handle(connection: socket.socket, stop: threading.Event) -> None:
        threading.Thread(target=drip, args=(connection, stop), daemon=True).start()

    with loopback_server(handle) as url:
        yield url


@pytest.mark.parametrize("operation", ["describe", "poll"])
def test_an_answer_that_drips_forever_ends_at_the_deadline(
    dripping_server: str, operation: str
) -> None:
    """A byte every 0.1 s never trips the 0.5 s read timeout; the deadline ends it."""
    import time  # noqa: PLC0415

    from rekog_versions import RetryPolicy  # noqa: PLC0415

    rekognition = boto_client(
        "rekognition",
        endpoint_url=dripping_server,
        config=Config(retries={"total_max_attempts": 1}, connect_timeout=1, read_timeout=0.5),
    )
    client = ProjectVersionsClient(rekognition, retry=RetryPolicy(max_attempts=1, deadline=1.5))
    started = time.monotonic()
    with pytest.raises(NetworkError, match=r"no whole answer within 1\.5 s") as caught:
        getattr(client, operation)(
            VERSION, project_arn="arn:aws:rekognition:us-east-1:111122223333:project/cats/1"
        )
    assert time.monotonic() - started < 30  # it hung forever
    assert caught.value.retryable is False
