"""The faults LocalRekognition injects, and the error answers it sends."""

from __future__ import annotations

import random
import threading
from typing import Final

import attrs

__all__ = ["GARBAGE", "ErrorAnswer", "Faults", "Rule"]


class ErrorAnswer(Exception):  # noqa: N818 - an answer to send, not an error of the emulator
    """An error answer of the service: its code, its message, its HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@attrs.define
class Rule:
    """One fault to inject: into which operation, what, how often."""

    operation: str
    kind: str
    count: int | None
    fraction: float | None
    seconds: float = 0.0


class Faults:
    """Faults to inject, per operation (``"*"`` for every operation).

    Deterministic with a seed: the same seed gives the same throttled calls.
    """

    def __init__(self, seed: int | None = None) -> None:
        """Start with no faults."""
        self._rules: list[Rule] = []
        self._lock = threading.Lock()
        self._rng = random.Random(seed)  # noqa: S311 - test randomness, not secrets
        self.injected: dict[str, int] = {}
        """How many faults of each kind were injected."""

    def _add(
        self,
        operation: str,
        kind: str,
        count: int | None,
        fraction: float | None,
        seconds: float = 0.0,
    ) -> Faults:
        if count is None and fraction is None:
            count = 1
        if fraction is not None and not 0 <= fraction <= 1:
            raise ValueError(f"fraction must be between 0 and 1, got {fraction}")
        with self._lock:
            self._rules.append(Rule(operation, kind, count, fraction, seconds))
        return self

    def throttle(
        self, operation: str = "*", *, count: int | None = None, fraction: float | None = None
    ) -> Faults:
        """Answer ``ThrottlingException`` to the next ``count`` calls, or a ``fraction`` of them."""
        return self._add(operation, "throttle", count, fraction)

    def internal_error(
        self, operation: str = "*", *, count: int | None = None, fraction: float | None = None
    ) -> Faults:
        """Answer 500 ``InternalServerError``."""
        return self._add(operation, "internal", count, fraction)

    def lose_response(
        self,
        operation: str = "CreateProjectVersion",
        *,
        count: int | None = None,
        fraction: float | None = None,
    ) -> Faults:
        """Carry out the call, then drop the connection before answering."""
        return self._add(operation, "lose", count, fraction)

    def latency(
        self,
        seconds: float,
        operation: str = "*",
        *,
        count: int | None = None,
        fraction: float | None = None,
    ) -> Faults:
        """Wait ``seconds`` before answering (every call, unless count or fraction say)."""
        if count is None and fraction is None:
            fraction = 1.0
        return self._add(operation, "latency", count, fraction, seconds)

    def garbage(
        self,
        kind: str = "random-bytes",
        operation: str = "*",
        *,
        count: int | None = None,
        fraction: float | None = None,
    ) -> Faults:
        """Answer something that is not the API's JSON.

        ``kind`` is ``truncated-json``, ``html`` (a proxy's error page, status 502),
        ``wrong-content-type`` or ``random-bytes``.
        """
        if kind not in GARBAGE:
            raise ValueError(f"kind must be one of {sorted(GARBAGE)}, got {kind!r}")
        return self._add(operation, f"garbage:{kind}", count, fraction)

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._rules.clear()

    def draw(self, operation: str) -> list[Rule]:
        """The faults that apply to this call (each rule consumes one of its count)."""
        applied: list[Rule] = []
        with self._lock:
            for rule in list(self._rules):
                if rule.operation not in ("*", operation):
                    continue
                if rule.count is not None:
                    if rule.count <= 0:
                        continue
                    rule.count -= 1
                    if rule.count == 0:
                        self._rules.remove(rule)
                elif rule.fraction is not None and self._rng.random() >= rule.fraction:
                    continue
                applied.append(rule)
                self.injected[rule.kind] = self.injected.get(rule.kind, 0) + 1
        return applied


GARBAGE: Final = {
    "truncated-json": (
        200,
        "application/x-amz-json-1.1",
        b'{"ProjectVersionDescriptions": [{"Proj',
    ),
    "html": (502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
    "wrong-content-type": (200, "text/plain", b"OK"),
    "random-bytes": (200, "application/x-amz-json-1.1", bytes(range(256))[::-3]),
}
