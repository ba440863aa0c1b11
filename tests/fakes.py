"""Test doubles: boto3 clients wired to a Stubber, and HTTP answers made in-process."""

from __future__ import annotations

from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import boto3
from botocore.stub import Stubber

if TYPE_CHECKING:
    from collections.abc import Iterator


def boto_client(service: str, **kwargs: Any) -> Any:
    """A real boto3 client with fake credentials; it never reaches AWS in the tests."""
    return boto3.client(
        service,
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - a fake
        **kwargs,
    )


@contextmanager
def stubbed(service: str) -> Iterator[tuple[Any, Stubber]]:
    """A client and its active Stubber; every expected call must have been made."""
    client = boto_client(service)
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


class _Body:
    """The raw body botocore reads a canned response from."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def stream(self, **_: Any) -> Iterator[bytes]:
        yield self._data


class HttpFake:
    """Answers a real client's HTTP requests in-process, through botocore's before-send.

    Unlike Stubber, every request goes through botocore's serialisation, retry handler
    and response parsing. ``handlers`` maps an operation name to a function of the
    decoded request body that returns ``(status, body)`` or raises a botocore exception.
    """

    def __init__(self, client: Any, monkeypatch: Any) -> None:
        from botocore import endpoint  # noqa: PLC0415

        self.calls: list[tuple[str, dict[str, Any]]] = []
        self.handlers: dict[str, Any] = {}
        self.botocore_sleeps: list[float] = []
        client.meta.events.register("before-send.rekognition", self._answer)

        class _Time:
            # botocore's retry handler waits with endpoint.time.sleep: record it instead.
            @staticmethod
            def sleep(seconds: float) -> None:
                self.botocore_sleeps.append(seconds)

            @staticmethod
            def time() -> float:
                import time  # noqa: PLC0415

                return time.time()

        monkeypatch.setattr(endpoint, "time", _Time)

    def _answer(self, request: Any, **_: Any) -> Any:
        import json  # noqa: PLC0415

        from botocore.awsrequest import AWSResponse  # noqa: PLC0415

        operation = request.headers["X-Amz-Target"].decode().split(".")[-1]
        body = json.loads(request.body or b"{}")
        self.calls.append((operation, body))
        status, answer = self.handlers[operation](body)
        data = json.dumps(answer).encode()
        headers = {
            "x-amzn-RequestId": f"req-{len(self.calls)}",
            "Content-Type": "application/x-amz-json-1.1",
        }
        return AWSResponse(request.url, status, headers, _Body(data))

    def count(self, operation: str) -> int:
        return sum(1 for name, _ in self.calls if name == operation)


def error_body(code: str, message: str = "nope") -> dict[str, str]:
    """A JSON 1.1 error body."""
    return {"__type": code, "message": message}
