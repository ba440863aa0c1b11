"""LocalRekognition: the project-version API of Amazon Rekognition, on loopback.

A real HTTP server on 127.0.0.1 speaks the service's JSON 1.1 protocol, so requests go
through all of botocore: serialisation, signing, retries, error parsing. It keeps
projects and versions in memory, validates requests as the service does, trains on a
time scale you set by reading the manifests from S3 (any boto3 S3 client; moto's in
tests) and validating them with this library, and writes the manifest summary and
evaluation summary files as training does. Faults can be injected per operation.
"""

# Requests and answers are JSON of the API's shapes, handled as plain dicts here.
# pyright: reportUnknownVariableType=false, reportUnknownMemberType=false
# pyright: reportUnknownArgumentType=false

from __future__ import annotations

import contextlib
import email.utils
import json
import math
import random
import socket
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any, Final, Literal, cast

import attrs

from rekog_versions._constraints import (
    CREATE_PROJECT_VERSION,
    FEATURES,
    BoolRule,
    FloatRule,
    MapRule,
    Rule,
    StringRule,
)
from rekog_versions._validation import Entry, Finding, Step, cross_field, preview, walk
from rekog_versions.models import S3Object

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from mypy_boto3_s3 import S3Client

__all__ = ["Faults", "LocalRekognition"]

_TERMINAL_MESSAGES: Final = {
    "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT": (
        "The manifest file extension or contents are invalid."
    ),
    "ERROR_EMPTY_MANIFEST": "The manifest file is empty.",
    "ERROR_MANIFEST_SIZE_TOO_LARGE": ("The manifest file size exceeds the maximum supported size."),
    "ERROR_CANNOT_WRITE_OUTPUT_S3_BUCKET": "Unable to write to output S3 bucket.",
}


class _ServiceError(Exception):
    """An error answer: code, message, HTTP status."""

    def __init__(self, code: str, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.status = status


@attrs.define
class _Rule:
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
        self._rules: list[_Rule] = []
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
            self._rules.append(_Rule(operation, kind, count, fraction, seconds))
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
        if kind not in _GARBAGE:
            raise ValueError(f"kind must be one of {sorted(_GARBAGE)}, got {kind!r}")
        return self._add(operation, f"garbage:{kind}", count, fraction)

    def clear(self) -> None:
        """Remove every fault."""
        with self._lock:
            self._rules.clear()

    def draw(self, operation: str) -> list[_Rule]:
        """The faults that apply to this call (each rule consumes one of its count)."""
        applied: list[_Rule] = []
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


_MAX_BODY: Final = 1 << 20  # the API's requests are a few kilobytes
_MAX_RESULTS: Final = 100

_GARBAGE: Final = {
    "truncated-json": (
        200,
        "application/x-amz-json-1.1",
        b'{"ProjectVersionDescriptions": [{"Proj',
    ),
    "html": (502, "text/html", b"<html><body><h1>502 Bad Gateway</h1></body></html>"),
    "wrong-content-type": (200, "text/plain", b"OK"),
    "random-bytes": (200, "application/x-amz-json-1.1", bytes(range(256))[::-3]),
}


# -- request validation as the service does it ----------------------------------------


def _service_path(path: tuple[Step, ...]) -> str:
    """A path as the service writes it: ``trainingData.assets.1.member.groundTruthManifest``."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts += [str(step + 1), "member"]
        elif isinstance(step, Entry):
            parts.append(step.part)
        else:
            parts.append(step[0].lower() + step[1:])
    return ".".join(parts)


_SERVICE_TYPES: Final[dict[type, str]] = {
    StringRule: "a string",
    FloatRule: "a number",
    BoolRule: "a boolean",
}


def _service_words(finding: Finding) -> str | None:  # noqa: PLR0911 - one wording a kind
    """The service's ``ValidationException`` text for a finding of the model's own rules.

    ``None`` for what the service's model validation does not say: rules beyond the
    model, and members a real SDK never sends.
    """
    rule, value, path = finding.rule, finding.value, _service_path(finding.path)
    failed = f"at '{path}' failed to satisfy constraint: Member must"
    shown = value[:80] if isinstance(value, str) else preview(value)
    if finding.extra is not None:
        return None
    if finding.kind == "required":
        return f"Value null {failed} not be null"
    if finding.kind == "type" and type(rule) in _SERVICE_TYPES:
        return f"Value {failed} be {_SERVICE_TYPES[type(rule)]}"
    if finding.kind == "finite":
        return f"Value {failed} be a number"
    if finding.kind == "length" and isinstance(rule, StringRule):
        if rule.min_length is not None and len(cast("str", value)) < rule.min_length:
            return (
                f"Value '{shown}' {failed} have length greater than or equal to {rule.min_length}"
            )
        return f"Value '{shown}' {failed} have length less than or equal to {rule.max_length}"
    if finding.kind == "pattern" and isinstance(rule, StringRule):
        return f"Value '{shown}' {failed} satisfy regular expression pattern: {rule.pattern}"
    if finding.kind == "range" and isinstance(rule, FloatRule):
        if rule.minimum is not None and cast("float", value) < rule.minimum:
            return f"Value '{shown}' {failed} have value greater than or equal to {rule.minimum:g}"
        return f"Value '{shown}' {failed} have value less than or equal to {rule.maximum:g}"
    if finding.kind == "entries" and isinstance(rule, MapRule):
        return f"Value {failed} have length less than or equal to {rule.max_length}"
    return None


def _validate(rule: Rule, body: Mapping[str, Any]) -> None:
    """Answer as the service does to a request that breaks the model's constraints."""
    problems = [words for words in map(_service_words, walk(rule, body)) if words is not None]
    if problems:
        count = len(problems)
        raise _ServiceError(
            "ValidationException",
            f"{count} validation error{'s' * (count != 1)} detected: " + "; ".join(problems),
        )


# -- the state -----------------------------------------------------------------------


@attrs.define
class _Project:
    arn: str
    name: str
    feature: str
    created: float
    auto_update: str | None
    datasets: list[dict[str, Any]] = attrs.field(factory=list)


@attrs.define
class _Version:
    arn: str
    name: str
    project_arn: str
    request: dict[str, Any]
    created: float
    feature: str
    status: str = "TRAINING_IN_PROGRESS"
    status_message: str | None = "The model is being trained."
    finished: float | None = None
    extra: dict[str, Any] = attrs.field(factory=dict)


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
        self.s3_client = s3_client
        self.training_seconds = training_seconds
        self.read_timeout = 10.0
        """Seconds a connection may be silent (a body shorter than its Content-Length,
        an idle keep-alive connection) before it is closed; set before ``start()``."""
        self.region = region
        self.account = account
        self.port = port
        """The port of 127.0.0.1 to serve on; 0 (the default) picks a free one."""
        self.faults = Faults(seed)
        self.calls: dict[str, int] = {}
        """How many calls each operation received."""
        self._seed = seed
        self._lock = threading.RLock()
        self._projects: dict[str, _Project] = {}
        self._versions: dict[tuple[str, str], _Version] = {}
        self._server: ThreadingHTTPServer | None = None
        self._connections: set[socket.socket] = set()
        self._thread: threading.Thread | None = None
        self._clock = 0

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

        server = ThreadingHTTPServer(("127.0.0.1", self.port), Handler)
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

    # -- helpers for tests ---------------------------------------------------------------

    def add_dataset(self, project_arn: str, dataset_type: str = "TRAIN") -> None:
        """Give a project a dataset (the emulator has no CreateDataset)."""
        with self._lock:
            project = self._project(project_arn)
            project.datasets.append(
                {
                    "CreationTimestamp": time.time(),
                    "DatasetType": dataset_type,
                    "DatasetArn": f"{project.arn.rsplit('/', 1)[0]}/dataset/"
                    f"{dataset_type.lower()}/{self._timestamp()}",
                    "Status": "CREATE_COMPLETE",
                }
            )

    def versions(self) -> list[dict[str, Any]]:
        """Every version, as DescribeProjectVersions describes it."""
        with self._lock:
            return [self._describe(version) for version in self._versions.values()]

    # -- operations ----------------------------------------------------------------------

    def _timestamp(self) -> int:
        # Milliseconds since the epoch, strictly increasing so ARNs never collide.
        with self._lock:
            self._clock = max(self._clock + 1, int(time.time() * 1000))
            return self._clock

    def _project(self, arn: object) -> _Project:
        project = self._projects.get(arn) if isinstance(arn, str) else None
        if project is None:
            raise _ServiceError("ResourceNotFoundException", f"The project {arn} does not exist.")
        return project

    def handle(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        """Carry out one operation and return its answer (or raise _ServiceError)."""
        method: Callable[[dict[str, Any]], dict[str, Any]] | None = getattr(
            self, f"_op_{operation}", None
        )
        if method is None:
            raise _ServiceError(
                "UnknownOperationException", f"LocalRekognition does not emulate {operation}"
            )
        with self._lock:
            return method(body)

    def _op_CreateProject(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        name = body.get("ProjectName")
        if not isinstance(name, str) or not name:
            raise _ServiceError(
                "ValidationException",
                "1 validation error detected: Value null at 'projectName' failed to satisfy "
                "constraint: Member must not be null",
            )
        feature = body.get("Feature", "CUSTOM_LABELS")
        if feature not in FEATURES:
            raise _ServiceError(
                "InvalidParameterException", f"Feature must be one of {', '.join(FEATURES)}"
            )
        if feature == "CONTENT_MODERATION" and body.get("AutoUpdate") is None:
            raise _ServiceError(
                "InvalidParameterException",
                "AutoUpdate is required for Content Moderation projects.",
            )
        if any(project.name == name for project in self._projects.values()):
            raise _ServiceError("ResourceInUseException", f"A project named {name} already exists.")
        arn = f"arn:aws:rekognition:{self.region}:{self.account}:project/{name}/{self._timestamp()}"
        self._projects[arn] = _Project(arn, name, feature, time.time(), body.get("AutoUpdate"))
        return {"ProjectArn": arn}

    def _op_DescribeProjects(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        names = body.get("ProjectNames")
        features = body.get("Features") or ["CUSTOM_LABELS"]
        found = [
            self._project_description(project)
            for project in self._projects.values()
            if project.feature in features and (not names or project.name in names)
        ]
        return _page(found, body, "ProjectDescriptions")

    def _project_description(self, project: _Project) -> dict[str, Any]:
        description: dict[str, Any] = {
            "ProjectArn": project.arn,
            "CreationTimestamp": project.created,
            "Status": "CREATED",
            "Datasets": list(project.datasets),
            "Feature": project.feature,
        }
        if project.auto_update is not None:
            description["AutoUpdate"] = project.auto_update
        return description

    def _op_DeleteProject(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        project = self._project(body.get("ProjectArn"))
        if any(key[0] == project.arn for key in self._versions):
            raise _ServiceError(
                "ResourceInUseException", "The project has project versions; delete them first."
            )
        del self._projects[project.arn]
        return {"Status": "DELETING"}

    def _op_CreateProjectVersion(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        _validate(CREATE_PROJECT_VERSION, body)
        project = self._project(body["ProjectArn"])
        name = body["VersionName"]
        if (project.arn, name) in self._versions:
            raise _ServiceError(
                "ResourceInUseException", f"A version named {name} already exists in the project."
            )
        manifests = "TrainingData" in body or "TestingData" in body
        if "FeatureConfig" in body and project.feature != "CONTENT_MODERATION":
            raise _ServiceError(
                "InvalidParameterException",
                "The job configuration does not match the feature type associated with the "
                "project.",
            )
        if manifests and project.datasets:
            raise _ServiceError(
                "InvalidParameterException",
                "The project has datasets; train from them, or use a project without datasets.",
            )
        if not manifests and not project.datasets:
            raise _ServiceError(
                "InvalidParameterException",
                "The project has no datasets and the request gives no manifests.",
            )
        if any(not finding.inferred for finding in cross_field(body)):
            raise _ServiceError(
                "InvalidParameterException",
                "If you specify TrainingData you must also specify TestingData, and the reverse.",
            )
        arn = (
            f"arn:aws:rekognition:{self.region}:{self.account}:project/{project.name}"
            f"/version/{name}/{self._timestamp()}"
        )
        self._versions[(project.arn, name)] = _Version(
            arn, name, project.arn, dict(body), time.time(), project.feature
        )
        return {"ProjectVersionArn": arn}

    def _op_DescribeProjectVersions(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        project = self._project(body.get("ProjectArn"))
        names = body.get("VersionNames")
        found = [
            self._describe(version)
            for (project_arn, name), version in self._versions.items()
            if project_arn == project.arn and (not names or name in names)
        ]
        found.reverse()  # the service lists the newest first
        return _page(found, body, "ProjectVersionDescriptions")

    def _op_DeleteProjectVersion(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        arn = body.get("ProjectVersionArn")
        for key, version in list(self._versions.items()):
            if version.arn == arn:
                if version.status in ("RUNNING", "STARTING"):
                    raise _ServiceError(
                        "ResourceInUseException", "Stop the model before deleting it."
                    )
                del self._versions[key]
                return {"Status": "DELETING"}
        raise _ServiceError(
            "ResourceNotFoundException", f"The project version {arn} does not exist."
        )

    # -- training --------------------------------------------------------------------------

    def _describe(self, version: _Version) -> dict[str, Any]:
        if (
            version.status == "TRAINING_IN_PROGRESS"
            and time.time() - version.created >= self.training_seconds
        ):
            self._train(version)
        request = version.request
        description: dict[str, Any] = {
            "ProjectVersionArn": version.arn,
            "CreationTimestamp": version.created,
            "Status": version.status,
            "OutputConfig": request["OutputConfig"],
            "Feature": version.feature,
        }
        if version.status_message is not None:
            description["StatusMessage"] = version.status_message
        if "TrainingData" in request:
            description["TrainingDataResult"] = {"Input": request["TrainingData"]}
        if "TestingData" in request:
            description["TestingDataResult"] = {"Input": request["TestingData"]}
        for member in ("KmsKeyId", "VersionDescription", "FeatureConfig"):
            if member in request:
                description[member] = request[member]
        if version.feature == "CONTENT_MODERATION":
            description["BaseModelVersion"] = "7.0"
        description.update(version.extra)
        return description

    def _train(self, version: _Version) -> None:
        from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

        version.finished = time.time()
        request = version.request
        training = request.get("TrainingData", {}).get("Assets", [])
        testing_data = request.get("TestingData", {})
        testing = testing_data.get("Assets") or []
        auto_split = bool(testing_data.get("AutoCreate"))
        if not training:
            # Trained from the project's datasets: nothing to read in the emulator.
            self._succeed(version, {}, [])
            return
        if self.s3_client is None:
            self._fail(version, "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT")
            return
        train_object = S3Object.from_boto(training[0]["GroundTruthManifest"]["S3Object"])
        test_object = (
            S3Object.from_boto(testing[0]["GroundTruthManifest"]["S3Object"]) if testing else None
        )
        kind: Literal["custom-labels", "content-moderation"] = (
            "content-moderation" if version.feature == "CONTENT_MODERATION" else "custom-labels"
        )
        report = validate_manifest(
            train_object,
            testing=test_object,
            auto_split=auto_split,
            kind=kind,
            s3_client=self.s3_client,
        )
        file_codes = [
            problem.code
            for problem in report.problems
            if problem.line is None and problem.code in _TERMINAL_MESSAGES
        ]
        if file_codes:
            self._fail(version, file_codes[0])
            return
        summary_key = self._write(version, "ManifestSummary", _manifest_summary(report))
        if summary_key is None:
            self._fail(version, "ERROR_CANNOT_WRITE_OUTPUT_S3_BUCKET")
            return
        version.extra["ManifestSummary"] = {"S3Object": summary_key}
        errors = [
            problem
            for problem in report.problems
            if problem.line is None and problem.severity.value == "error"
        ]
        if errors:
            version.status = "TRAINING_FAILED"
            version.status_message = f"{errors[0].code}: {errors[0].message}"
            return
        labels = sorted(report.training.labels)
        images = report.training.valid_json_lines
        self._succeed(version, {"labels": labels, "images": images, "report": report}, labels)

    def _succeed(self, version: _Version, facts: dict[str, Any], labels: list[str]) -> None:
        rng = random.Random(f"{self._seed}:{version.arn}")  # noqa: S311 - made-up metrics
        images = int(facts.get("images", 10))
        split = max(1, int(images * 0.2 / max(1, len(labels))))  # AutoCreate's share
        report = facts.get("report")
        tested = report.testing.labels if report is not None and report.testing else {}
        testing_images = {
            label: tested[label].images if label in tested else split for label in labels
        }
        rows: list[tuple[str, float, float, float, float]] = []
        for label in labels:
            threshold = round(rng.uniform(0.3, 0.7), 3)
            precision = round(rng.uniform(0.8, 1.0), 3)
            recall = round(rng.uniform(0.75, 1.0), 3)
            f1 = round(2 * precision * recall / (precision + recall), 3)
            rows.append((label, threshold, precision, recall, f1))
        rows.sort(key=lambda row: row[4])

        def mean(values: list[float]) -> float:
            return round(sum(values) / len(values), 3) if values else 0.9

        f1 = mean([row[4] for row in rows])
        document = {
            "Version": 1,
            "EvaluationDetails": {
                "ProjectVersionArn": version.arn,
                "EvaluationEndTimestamp": email.utils.formatdate(usegmt=True),
                "Labels": labels,
                "NumberOfTrainingImages": images,
                "NumberOfTestingImages": sum(testing_images.values()),
            },
            "AggregatedEvaluationResults": {
                "Metrics": {
                    "Precision": mean([row[2] for row in rows]),
                    "Recall": mean([row[3] for row in rows]),
                    "F1Score": f1,
                }
            },
            "LabelEvaluationResults": [
                {
                    "Label": label,
                    "NumberOfTestingImages": testing_images[label],
                    "Metrics": {
                        "Threshold": threshold,
                        "Precision": precision,
                        "Recall": recall,
                        "F1Score": label_f1,
                    },
                }
                for label, threshold, precision, recall, label_f1 in rows
            ],
        }
        location = self._write(version, "EvaluationResultSummary", document) if labels else None
        version.status = "TRAINING_COMPLETED"
        version.status_message = "The model is ready to run."
        version.extra["BillableTrainingTimeInSeconds"] = max(1, round(self.training_seconds * 900))
        version.extra["TrainingEndTimestamp"] = version.finished
        evaluation: dict[str, Any] = {"F1Score": f1}
        if location is not None:
            evaluation["Summary"] = {"S3Object": location}
        version.extra["EvaluationResult"] = evaluation

    def _fail(self, version: _Version, code: str) -> None:
        version.status = "TRAINING_FAILED"
        version.status_message = f"{code}: {_TERMINAL_MESSAGES[code]}"

    def _write(self, version: _Version, kind: str, document: object) -> dict[str, str] | None:
        if self.s3_client is None:
            return None
        output = version.request["OutputConfig"]
        project = version.arn.split(":project/", 1)[1].split("/", 1)[0]
        key = f"{output.get('S3KeyPrefix') or ''}{kind}-{project}-{version.name}.json"
        try:
            self.s3_client.put_object(
                Bucket=output["S3Bucket"], Key=key, Body=json.dumps(document).encode()
            )
        except Exception:  # noqa: BLE001 - any failure to write is the service's terminal error
            return None
        return {"Bucket": output["S3Bucket"], "Name": key}


def _manifest_summary(report: Any) -> dict[str, Any]:  # noqa: ANN401 - a ManifestReport
    def dataset(stats: Any, name: str) -> dict[str, Any]:  # noqa: ANN401
        return {
            "use_case": stats.use_case,
            "total_json_lines": stats.total_json_lines,
            "valid_json_lines": stats.valid_json_lines,
            "invalid_json_lines": stats.invalid_json_lines,
            "ignored_json_lines": stats.ignored_json_lines,
            "error_json_line_indices": sorted(
                {
                    problem.line - 1
                    for problem in report.problems
                    if problem.line is not None
                    and problem.dataset == name
                    and problem.severity.value == "error"
                }
            ),
            "errors": [
                {"code": problem.code, "message": problem.message}
                for problem in report.problems
                if problem.line is None
                and problem.dataset == name
                and problem.severity.value == "error"
            ],
        }

    statistics = {"training": dataset(report.training, "training")}
    if report.testing is not None:
        statistics["testing"] = dataset(report.testing, "testing")
    return {"statistics": statistics, "errors": []}


def _page(items: list[dict[str, Any]], body: Mapping[str, Any], key: str) -> dict[str, Any]:
    size = body.get("MaxResults", 100)
    if type(size) is not int or not 1 <= size <= _MAX_RESULTS:
        raise _ServiceError(
            "ValidationException",
            f"1 validation error detected: Value '{preview(size)}' at 'maxResults' failed to "
            f"satisfy constraint: Member must have value between 1 and {_MAX_RESULTS}",
        )
    token = body.get("NextToken")
    if token is None:
        start = 0
    elif type(token) is str and token.isascii() and token.isdigit() and len(token) < 10:
        start = int(token)  # the tokens this emulator hands out: an offset
    else:
        raise _ServiceError("InvalidPaginationTokenException", "Invalid pagination token")
    answer: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        answer["NextToken"] = str(start + size)
    return answer


class _Handler(BaseHTTPRequestHandler):
    """One HTTP exchange of the JSON 1.1 protocol."""

    local: LocalRekognition
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base's name
        """Stay quiet: the tests and the demo print what matters."""

    def setup(self) -> None:
        """Remember the connection, so that stop() can close it."""
        super().setup()
        self.local.connection_opened(self.connection)

    def finish(self) -> None:
        """Forget the connection."""
        self.local.connection_closed(self.connection)
        super().finish()

    def _body(self) -> bytes:
        """The request's body, or the service's answer to a malformed one."""
        given = self.headers.get("Content-Length") or "0"
        if not (given.isascii() and given.isdigit()):
            raise _ServiceError(
                "SerializationException", f"Content-Length is not a size: {preview(given)}"
            )
        length = int(given)
        if length > _MAX_BODY:
            raise _ServiceError(
                "SerializationException",
                f"The request body is {length} bytes; this API takes at most {_MAX_BODY}.",
                413,
            )
        try:
            raw = self.rfile.read(length)
        except TimeoutError:
            raw = b""
        if len(raw) < length:
            raise _ServiceError(
                "SerializationException", "The request body is shorter than its Content-Length."
            )
        return raw

    def do_POST(self) -> None:  # noqa: PLR0911 - one answer a kind of outcome
        """Answer one call."""
        request_id = str(uuid.uuid4())
        try:
            raw = self._body()
        except _ServiceError as error:
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
            self._error(_ServiceError("ThrottlingException", "Rate exceeded", 400), request_id)
            return
        if "internal" in kinds:
            self._error(
                _ServiceError("InternalServerError", "Internal server error", 500), request_id
            )
            return
        garbage = next((kind for kind in kinds if kind.startswith("garbage:")), None)
        try:
            body = json.loads(raw or b"{}")
        except (ValueError, RecursionError):  # not JSON, not UTF-8, or nested too deep
            self._error(
                _ServiceError("SerializationException", "The request body is not JSON."), request_id
            )
            return
        try:
            answer = local.handle(operation, body if isinstance(body, dict) else {"": body})
        except _ServiceError as error:
            self._error(error, request_id)
            return
        except Exception as error:  # noqa: BLE001 - answered as the service answers its own faults
            self._error(
                _ServiceError(
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
            status, content_type, data = _GARBAGE[garbage.split(":", 1)[1]]
            self._send(status, content_type, data, request_id)
            return
        self._send(200, "application/x-amz-json-1.1", json.dumps(answer).encode(), request_id)

    def _error(self, error: _ServiceError, request_id: str) -> None:
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
