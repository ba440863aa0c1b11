"""Fluent construction of a ``CreateProjectVersion`` request from friendly values.

>>> request = (
...     RequestBuilder(
...         project_arn="arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000",
...         version_name="cats-2026-11-27",
...     )
...     .output("s3://my-bucket/results/")
...     .training_manifest("s3://my-bucket/train.manifest")
...     .auto_split()
...     .tag("team", "vision")
...     .build()
... )
>>> request.testing_data
TestingData(assets=None, auto_create=True)

Nothing is checked until :meth:`RequestBuilder.build`, which reports every problem at
once, badly formed URIs included, each at its path in the AWS request shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast

from rekog_versions._constraints import CREATE_PROJECT_VERSION
from rekog_versions._validation import check_request, preview
from rekog_versions.arns import ProjectArn
from rekog_versions.errors import Problem, RequestValidationError
from rekog_versions.models import (
    CreateProjectVersionRequest,
    OutputConfig,
    S3Object,
    _dump,  # pyright: ignore[reportPrivateUsage]
    _parse_s3_uri,  # pyright: ignore[reportPrivateUsage]
    _request,  # pyright: ignore[reportPrivateUsage]
)

__all__ = ["RequestBuilder"]

_SUBJECT = "CreateProjectVersion request"


class RequestBuilder:
    """Builds a :class:`~rekog_versions.CreateProjectVersionRequest` step by step.

    Every method returns the builder, so calls chain; :meth:`build` validates.

    Args:
        project_arn: The project to train in (a project ARN, not a version ARN).
        version_name: The new version's name, unique in the project.
    """

    def __init__(self, *, project_arn: str | ProjectArn, version_name: str) -> None:
        """Start a request for ``version_name`` in the project ``project_arn``."""
        self._project_arn: object = (
            str(project_arn) if isinstance(project_arn, ProjectArn) else project_arn
        )
        self._version_name: object = version_name
        self._output: object = None
        self._training: list[object] = []
        self._testing: list[object] = []
        self._auto_split = False
        self._tags: dict[object, object] | None = None
        self._kms_key_id: object = None
        self._description: object = None
        self._moderation: dict[str, object] | None = None

    def output(self, location: str | OutputConfig) -> RequestBuilder:
        """Where training writes its results: ``s3://bucket/prefix/`` or an OutputConfig."""
        self._output = location
        return self

    def training_manifest(self, *manifests: str | S3Object) -> RequestBuilder:
        """Add training manifests, as ``s3://bucket/key`` URIs or S3Objects."""
        self._training.extend(manifests)
        return self

    def testing_manifest(self, *manifests: str | S3Object) -> RequestBuilder:
        """Add testing manifests, as ``s3://bucket/key`` URIs or S3Objects."""
        self._testing.extend(manifests)
        return self

    def auto_split(self, enabled: bool = True) -> RequestBuilder:
        """Let the service split the training manifest (80/20) for the test set."""
        self._auto_split = enabled
        return self

    def tag(self, key: str, value: str) -> RequestBuilder:
        """Add one tag to the new version."""
        if self._tags is None:
            self._tags = {}
        self._tags[key] = value
        return self

    def tags(self, tags: Mapping[str, str]) -> RequestBuilder:
        """Add tags to the new version (later values win)."""
        if self._tags is None:
            self._tags = {}
        given = cast("object", tags)
        if isinstance(given, Mapping):
            self._tags.update(given)  # pyright: ignore[reportUnknownArgumentType]
        else:
            self._tags[_NOT_A_MAPPING] = given
        return self

    def kms_key(self, key_id: str) -> RequestBuilder:
        """Encrypt the training output (and copied images) with this KMS key."""
        self._kms_key_id = key_id
        return self

    def description(self, text: str) -> RequestBuilder:
        """A description of the version."""
        self._description = text
        return self

    def content_moderation(self, confidence_threshold: float | None = None) -> RequestBuilder:
        """Train a Custom Moderation adapter, optionally with a confidence threshold (0-100)."""
        self._moderation = (
            {} if confidence_threshold is None else {"ConfidenceThreshold": confidence_threshold}
        )
        return self

    def _assemble(self) -> tuple[dict[str, Any], list[Problem], tuple[str, ...]]:
        """The request as a boto3 dict, the URI problems, and the paths those problems own."""
        problems: list[Problem] = []
        owned: list[str] = []
        request: dict[str, Any] = {
            "ProjectArn": self._project_arn,
            "VersionName": self._version_name,
        }
        if self._output is not None:
            request["OutputConfig"] = self._output_dict(problems, owned)
        if self._training:
            request["TrainingData"] = {
                "Assets": self._assets("TrainingData", self._training, problems, owned)
            }
        if self._testing or self._auto_split:
            testing: dict[str, Any] = {}
            if self._testing:
                testing["Assets"] = self._assets("TestingData", self._testing, problems, owned)
            if self._auto_split:
                testing["AutoCreate"] = True
            request["TestingData"] = testing
        if self._tags is not None:
            if _NOT_A_MAPPING in self._tags:
                bad = self._tags.pop(_NOT_A_MAPPING)
                problems.append(
                    Problem("Tags", f"must be a mapping of strings, got {type(bad).__name__}")
                )
                owned.append("Tags")
            request["Tags"] = dict(self._tags)
        if self._kms_key_id is not None:
            request["KmsKeyId"] = self._kms_key_id
        if self._description is not None:
            request["VersionDescription"] = self._description
        if self._moderation is not None:
            request["FeatureConfig"] = {"ContentModeration": dict(self._moderation)}
        return request, problems, tuple(owned)

    def build(self) -> CreateProjectVersionRequest:
        """Validate everything and return the request.

        Raises:
            RequestValidationError: Listing every problem, each at its path in the AWS
                request shape.
        """
        request, problems, owned = self._assemble()
        problems.extend(
            problem
            for problem in check_request(request)
            if not any(_under(problem.path, path) for path in owned)
        )
        if problems:
            # URI problems were found first; list everything in the request's order.
            problems.sort(key=lambda problem: _MEMBER_ORDER.get(_member(problem.path), 0))
            raise RequestValidationError(problems, subject=_SUBJECT)
        return _request(request)

    def _output_dict(self, problems: list[Problem], owned: list[str]) -> object:
        location = self._output
        if isinstance(location, OutputConfig):
            return _dump(location)
        before = len(problems)
        bucket, prefix, version = _parse_s3_uri(location, "OutputConfig", problems)
        if version is not None and len(problems) == before:
            problems.append(
                Problem("OutputConfig", "is a location to write to; it takes no ?versionId=")
            )
        if len(problems) > before:
            owned.append("OutputConfig")
        result: dict[str, Any] = {"S3Bucket": bucket}
        if prefix:
            result["S3KeyPrefix"] = prefix
        return result

    @staticmethod
    def _assets(
        member: str, manifests: list[object], problems: list[Problem], owned: list[str]
    ) -> list[dict[str, Any]]:
        assets: list[dict[str, Any]] = []
        for index, manifest in enumerate(manifests):
            path = f"{member}.Assets[{index}].GroundTruthManifest.S3Object"
            if isinstance(manifest, S3Object):
                s3_object: Any = _dump(manifest)
            else:
                before = len(problems)
                bucket, key, version = _parse_s3_uri(manifest, path, problems)
                if len(problems) == before and not key:
                    problems.append(Problem(path, f"names no object key: {preview(manifest)}"))
                if len(problems) > before:
                    owned.append(path)
                s3_object = {"Bucket": bucket, "Name": key}
                if version is not None:
                    s3_object["Version"] = version
            assets.append({"GroundTruthManifest": {"S3Object": s3_object}})
        return assets


_NOT_A_MAPPING = object()
_MEMBER_ORDER = {name: index for index, name in enumerate(CREATE_PROJECT_VERSION.members)}


def _member(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


def _under(path: str, root: str) -> bool:
    return path == root or path.startswith((f"{root}.", f"{root}["))
