"""``rekog-versions emulate``: LocalRekognition and an S3 served on loopback until stopped.

Any client reaches them unchanged through botocore's per-service endpoint variables
(``AWS_ENDPOINT_URL_REKOGNITION``, ``AWS_ENDPOINT_URL_S3``): boto3, the AWS CLI, the
other AWS SDKs. The S3 is moto's server mode (the ``emulate`` extra).
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
from typing import Any, TextIO

from rekog_versions._aws import boto3_client, boto3_session
from rekog_versions._extras import require
from rekog_versions.testing._emulator import LocalRekognition

__all__ = ["run_emulator"]

_HOST = "127.0.0.1"


def _port_free(port: int) -> bool:
    """Whether ``port`` of 127.0.0.1 can be bound now (0 always can)."""
    if port == 0:
        return True
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        # As the servers bind: a port whose last connections are in TIME_WAIT (for a
        # minute after an emulator on it stopped) is free to serve on again.
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((_HOST, port))
        except OSError:
            return False
    return True


class _S3Server:
    """moto's S3, and only S3, on 127.0.0.1 in a thread of its own.

    moto's own server answers every service it emulates on its port (STS, IAM, Secrets
    Manager, SQS) and its unauthenticated ``/moto-api/`` (a reset among them); this one
    serves the S3 backend's application alone.
    """

    def __init__(self, port: int) -> None:
        """Start serving at ``port`` (0: a free one)."""
        import importlib  # noqa: PLC0415

        from werkzeug.serving import make_server  # noqa: PLC0415 - the emulate extra

        # moto's server module, as its ThreadedMotoServer uses it (it exports neither name).
        moto: Any = importlib.import_module("moto.moto_server.werkzeug_app")
        self._server = make_server(
            _HOST,
            port,
            moto.create_backend_app("s3"),
            threaded=True,
            request_handler=moto.MotoRequestHandler,
        )
        self._thread = threading.Thread(
            target=self._server.serve_forever, name="emulate-s3", daemon=True
        )
        self._thread.start()
        host, bound = self._server.server_address[:2]
        self.url = f"http://{host!s}:{bound}"

    def stop(self) -> None:
        """Stop serving."""
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=10)


class _Stopped:
    """A stop flag set by SIGTERM (and by the caller); SIGINT raises KeyboardInterrupt."""

    def __init__(self, stop: threading.Event | None) -> None:
        self.event = stop or threading.Event()
        self._previous: Any = None

    def __enter__(self) -> threading.Event:
        if threading.current_thread() is threading.main_thread():
            self._previous = signal.signal(signal.SIGTERM, self._on_term)
        return self.event

    def _on_term(self, signum: int, frame: object) -> None:
        del signum, frame
        self.event.set()

    def __exit__(self, *_: object) -> None:
        if self._previous is not None:
            signal.signal(signal.SIGTERM, self._previous)


def run_emulator(  # noqa: PLR0913 - the server's settings and its streams
    out: TextIO,
    err: TextIO,
    *,
    port: int = 0,
    s3_port: int = 0,
    training_seconds: float = 5.0,
    stop: threading.Event | None = None,
    verbose: bool = False,
) -> int:
    """Serve until SIGINT, SIGTERM or ``stop``; return the exit code.

    Prints the ``export`` lines for the endpoints to ``out`` as soon as both serve,
    and progress to ``err``.

    Args:
        out: Where the ``export`` lines go.
        err: Where progress and errors go.
        port: Rekognition's port (0: a free one).
        s3_port: S3's port (0: a free one).
        training_seconds: How long each training takes.
        stop: Set it to stop serving (as SIGTERM does).
        verbose: Also log each S3 request (moto's server, through werkzeug) to ``err``.
    """
    require("rekog-versions emulate (moto's S3 server)", "emulate", "moto", "flask", "orjson")

    taken = [
        f"{name} {number}"
        for name, number in (("--port", port), ("--s3-port", s3_port))
        if not _port_free(number)
    ]
    if taken or (port and port == s3_port):
        err.write(
            "rekog-versions: "
            + (f"port in use: {', '.join(taken)}" if taken else "--port and --s3-port must differ")
            + "\n"
        )
        return 2
    # werkzeug logs every request at INFO, and Python's last-resort handler would show
    # none of it; with verbose, each is a line on err.
    requests_log = logging.getLogger("werkzeug")
    handler = logging.StreamHandler(err)
    if verbose:
        requests_log.addHandler(handler)
    requests_log.setLevel(logging.INFO if verbose else logging.WARNING)
    s3_server = _S3Server(s3_port)
    try:
        s3_url = s3_server.url
        session = boto3_session(
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - moto's server takes any
        )
        s3 = boto3_client("s3", session=session, endpoint_url=s3_url, library_retries=False)
        with (
            LocalRekognition(s3_client=s3, training_seconds=training_seconds, port=port) as local,
            _Stopped(stop) as stopped,
        ):
            out.write(
                f"export AWS_ENDPOINT_URL_REKOGNITION={local.endpoint_url}\n"
                f"export AWS_ENDPOINT_URL_S3={s3_url}\n"
                "# where no AWS credentials are configured, any will do:\n"
                "export AWS_ACCESS_KEY_ID=testing AWS_SECRET_ACCESS_KEY=testing "
                "AWS_DEFAULT_REGION=us-east-1\n"
            )
            out.flush()
            err.write(
                f"rekog-versions: Rekognition at {local.endpoint_url}, S3 at {s3_url}, "
                f"trainings take {training_seconds:g} s; Ctrl-C to stop\n"
            )
            err.flush()
            try:
                while not stopped.wait(0.2):  # short waits, so that Ctrl-C is seen at once
                    pass
            except KeyboardInterrupt:
                pass
    finally:
        s3_server.stop()
        requests_log.removeHandler(handler)
    err.write("rekog-versions: stopped\n")
    err.flush()
    return 0
