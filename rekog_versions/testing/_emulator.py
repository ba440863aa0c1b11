"""LocalRekognition: the project-version API of Amazon Rekognition, on loopback.

A real HTTP server on 127.0.0.1 speaks the service's JSON 1.1 protocol, so requests go
through all of botocore: serialisation, signing, retries, error parsing. It keeps
projects and versions in memory, validates requests as the service does, trains on a
time scale you set by reading the manifests from S3 (any boto3 S3 client; moto's in
tests) and validating them with this library, and writes the manifest summary and
evaluation summary files as training does. Faults can be injected per operation.

This module is the server; what the service does is in ``_service`` and ``_training``,
the faults in ``_faults``.
"""

# Requests and answers are JSON of the API's shapes, handled as plain dicts here.
# pyright: reportUnknownVariableType=false, reportUnknownMemberType=false
# pyright: reportUnknownArgumentType=false

from __future__ import annotations

import contextlib
import json
import math
import socket
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Final

from rekog_versions._extras import require
from rekog_versions._validation import preview
from rekog_versions.testing._faults import GARBAGE, ErrorAnswer, Faults
from rekog_versions.testing._service import Service

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["Faults", "LocalRekognition"]

MAX_BODY: Final = 1 << 20  # the API's requests are a few kilobytes


class LocalRekognition:
    """An emulator of Rekognition's project and project-version operations, on loopback.

    Args:
        s3_client: The boto3 S3 client training reads manifests from and writes results
            to. Without one, no manifest can be read and every training fails as the
            service would, with ``ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT``.
        training_seconds: How long a training takes, in (real) seconds.
        seed: Makes the injected faults (and the made-up metrics) repeatable.
        region: The region in the ARNs.
        account: The account in the ARNs.
        port: The port of 127.0.0.1 to serve on (0: a free one).

    Use it as a context manager; ``endpoint_url`` is the URL to give to boto3::

        with LocalRekognition(s3_client=s3) as local:
            rekognition = boto3.client("rekognition", endpoint_url=local.endpoint_url, ...)

    Operations: CreateProject, DescribeProjects, DeleteProject, CreateProjectVersion,
    DescribeProjectVersions, DeleteProjectVersion.
    """

    def __init__(  # noqa: PLR0913 - keyword-only settings
        self,
        *,
        s3_client: S3Client | None = None,
        training_seconds: float = 2.0,
        seed: int | None = None,
        region: str = "us-east-1",
        account: str = "111122223333",
        port: int = 0,
    ) -> None:
        """Set up the emulator; ``start()`` (or ``with``) starts serving.

        Raises:
            ValueError: ``training_seconds`` is negative or not finite (a training
                that never ends is a wait's timeout to test, with ``fake_clock``).
        """
        if not 0 <= training_seconds < math.inf:
            raise ValueError(
                f"training_seconds must be 0 or more, and finite, got {training_seconds!r}"
            )
        if s3_client is not None:  # training reads the manifests with the library
            require("LocalRekognition's training", "manifests", "orjson")
        self.s3_client = s3_client
        self.training_seconds = training_seconds
        self.read_timeout: float = 10.0
        """Seconds a connection may be silent (a body shorter than its Content-Length,
        an idle keep-alive connection) before it is closed; set before ``start()``."""
        self.region = region
        self.account = account
        self.port = port
        """The port of 127.0.0.1 to serve on; 0 (the default) picks a free one."""
        self.seed = seed
        """Makes the injected faults (and the made-up metrics) repeatable."""
        self.faults: Faults = Faults(seed)
        self.calls: dict[str, int] = {}
        """How many calls each operation received."""
        self._lock = threading.RLock()
        self._service = Service(self)
        self._server: ThreadingHTTPServer | None = None
        self._connections: set[socket.socket] = set()
        self._thread: threading.Thread | None = None

    # -- lifecycle ---------------------------------------------------------------------

    @property
    def endpoint_url(self) -> str:
        """The URL to send Rekognition calls to."""
        if self._server is None:
            raise RuntimeError("LocalRekognition is not running: use it in a with block")
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> LocalRekognition:
        """Serve on 127.0.0.1, at ``port`` (a free one by default).

        Raises:
            OSError: The port is taken.
        """
        if self._server is not None:
            return self
        emulator = self

        class Handler(_Handler):
            local = emulator
            timeout = emulator.read_timeout

        server = _Server(("127.0.0.1", self.port), Handler)
        server.daemon_threads = True
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name="local-rekognition", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving; calls in flight are answered or dropped."""
        server, self._server = self._server, None
        if server is not None:
            server.shutdown()
            server.server_close()
        with self._lock:
            connections = list(self._connections)
        for connection in connections:  # keep-alive connections would outlive the server
            with contextlib.suppress(OSError):
                connection.shutdown(socket.SHUT_RDWR)
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None

    def __enter__(self) -> LocalRekognition:  # noqa: PYI034 - Self needs Python 3.11
        """Start serving."""
        return self.start()

    def __exit__(self, *_: object) -> None:
        """Stop serving."""
        self.stop()

    # -- bookkeeping of the HTTP handler ---------------------------------------------------

    def connection_opened(self, connection: socket.socket) -> None:
        """Note a client connection (closed on stop(), like a server going away)."""
        with self._lock:
            self._connections.add(connection)

    def connection_closed(self, connection: socket.socket) -> None:
        """Forget a client connection."""
        with self._lock:
            self._connections.discard(connection)

    def count_call(self, operation: str) -> None:
        """Count a call, in :attr:`calls`."""
        with self._lock:
            self.calls[operation] = self.calls.get(operation, 0) + 1

    # -- the service ---------------------------------------------------------------------

    def handle(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        """Carry out one operation and return its answer (or raise an ErrorAnswer)."""
        return self._service.handle(operation, body)

    def add_dataset(self, project_arn: str, dataset_type: str = "TRAIN") -> None:
        """Give a project a dataset (the emulator has no CreateDataset)."""
        self._service.add_dataset(project_arn, dataset_type)

    def versions(self) -> list[dict[str, Any]]:
        """Every version, as DescribeProjectVersions describes it."""
        return self._service.versions()


class _Server(ThreadingHTTPServer):
    """The HTTP server, quiet about clients that go away (and about its own stop)."""

    def handle_error(self, request: Any, client_address: Any) -> None:  # noqa: ANN401 - the base's
        """A connection closed under a call is no error to print; anything else is."""
        if isinstance(sys.exc_info()[1], OSError):
            return
        super().handle_error(request, client_address)


class _Handler(BaseHTTPRequestHandler):
    """One HTTP exchange of the JSON 1.1 protocol."""

    local: LocalRekognition
    protocol_version = "HTTP/1.1"
    # An answer's head and body leave in one send (buffered, flushed after each
    # request), and nothing waits for the client's delayed ACK: an answer written in
    # two sends met Nagle's algorithm and arrived 40 ms late.
    wbufsize = -1
    disable_nagle_algorithm = True

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        """Stay quiet: the tests and the demo print what matters."""

    def setup(self) -> None:
        """Remember the connection, so that stop() can close it."""
        super().setup()
        self.local.connection_opened(self.connection)

    def finish(self) -> None:
        """Forget the connection; what cannot be sent any more is dropped."""
        self.local.connection_closed(self.connection)
        with contextlib.suppress(OSError):  # the client left, or the server is stopping
            super().finish()

    def _body(self) -> bytes:
        """The request's body, or the service's answer to a malformed one."""
        given = self.headers.get("Content-Length") or "0"
        if not (given.isascii() and given.isdigit()):
            raise ErrorAnswer(
                "SerializationException", f"Content-Length is not a size: {preview(given)}"
            )
        length = int(given)
        if length > MAX_BODY:
            raise ErrorAnswer(
                "SerializationException",
                f"The request body is {length} bytes; this API takes at most {MAX_BODY}.",
                413,
            )
        try:
            raw = self.rfile.read(length)
        except TimeoutError:
            raw = b""
        if len(raw) < length:
            raise ErrorAnswer(
                "SerializationException", "The request body is shorter than its Content-Length."
            )
        return raw

    def do_POST(self) -> None:  # noqa: PLR0911 - one answer a kind of outcome
        """Answer one call."""
        request_id = str(uuid.uuid4())
        try:
            raw = self._body()
        except ErrorAnswer as error:
            self.close_connection = True  # what follows on this connection is unknown
            self._error(error, request_id)
            return
        target = self.headers.get("X-Amz-Target", "")
        operation = target.rsplit(".", 1)[-1]
        local = self.local
        local.count_call(operation)
        faults = local.faults.draw(operation)
        for fault in faults:
            if fault.kind == "latency":
                time.sleep(fault.seconds)
        kinds = {fault.kind for fault in faults}
        if "throttle" in kinds:
            self._error(ErrorAnswer("ThrottlingException", "Rate exceeded", 400), request_id)
            return
        if "internal" in kinds:
            self._error(
                ErrorAnswer("InternalServerError", "Internal server error", 500), request_id
            )
            return
        garbage = next((kind for kind in kinds if kind.startswith("garbage:")), None)
        try:
            body = json.loads(raw or b"{}")
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
            self._error(
                ErrorAnswer("SerializationException", "The request body is not JSON."), request_id
            )
            return
        try:
            answer = local.handle(operation, body if isinstance(body, dict) else {"": body})
        except ErrorAnswer as error:
            self._error(error, request_id)
            return
        except Exception as error:  # noqa: BLE001 - answered as the service answers its own faults
            self._error(
                ErrorAnswer(
                    "InternalServerError", f"Internal server error ({type(error).__name__})", 500
                ),
                request_id,
            )
            return
        if "lose" in kinds:
            # The call took effect; the answer never arrives.
            with contextlib.suppress(OSError):
                self.connection.shutdown(socket.SHUT_RDWR)
            self.close_connection = True
            return
        if garbage is not None:
            status, content_type, data = GARBAGE[garbage.split(":", 1)[1]]
            self._send(status, content_type, data, request_id)
            return
        self._send(200, "application/x-amz-json-1.1", json.dumps(answer).encode(), request_id)

    def _error(self, error: ErrorAnswer, request_id: str) -> None:
        data = json.dumps({"__type": error.code, "Message": error.message}).encode()
        self._send(error.status, "application/x-amz-json-1.1", data, request_id)

    def _send(self, status: int, content_type: str, data: bytes, request_id: str) -> None:
        with contextlib.suppress(ConnectionError):  # the client left: nobody to answer
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("x-amzn-RequestId", request_id)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()  # here, where a client that left is no error
