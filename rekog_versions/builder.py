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

The builder turns what it is given into a boto3-shaped dict and hands it to
:meth:`CreateProjectVersionRequest.from_boto`, so the rules are those of the one rules
engine. Nothing is checked until :meth:`RequestBuilder.build`, which reports every
problem at once, badly formed URIs included, each at its path in the AWS request shape.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

from rekog_versions._constraints import CREATE_PROJECT_VERSION
from rekog_versions._validation import preview, type_name
from rekog_versions.arns import ProjectArn
from rekog_versions.errors import Problem, RequestValidationError
from rekog_versions.models import CreateProjectVersionRequest, OutputConfig, S3Object, reroot

__all__ = ["RequestBuilder"]

_SUBJECT: Final = "CreateProjectVersion request"
_MEMBER_ORDER: Final = {name: index for index, name in enumerate(CREATE_PROJECT_VERSION.members)}


def _member(path: str) -> str:
    return path.split(".", 1)[0].split("[", 1)[0]


class RequestBuilder:
    """Builds a :class:`~rekog_versions.CreateProjectVersionRequest` step by step.

    Every method returns the builder, so calls chain; :meth:`build` validates.
    A member set on the builder replaces the same member of the request it started from
    (:meth:`from_boto`); tags are added to that request's tags.

    Args:
        project_arn: The project to train in (a project ARN, not a version ARN).
        version_name: The new version's name, unique in the project.
    """

    def __init__(self, *, project_arn: str | ProjectArn, version_name: str) -> None:
        """Start a request for ``version_name`` in the project ``project_arn``."""
        self._start({})
        self.project(project_arn)
        self.version_name(version_name)

    def _start(self, base: Mapping[str, Any]) -> None:
        self._base = dict(base)
        self._given: dict[str, object] = {}
        self._training: list[object] = []
        self._testing: list[object] = []
        self._auto_split = False
        self._tags: list[tuple[object, object]] = []

    @classmethod
    def from_boto(cls, request: Mapping[str, Any]) -> RequestBuilder:
        """A builder that starts from a boto3-shaped request (``--cli-input-json``, say)."""
        builder = cls.__new__(cls)
        builder._start(request)  # noqa: SLF001 - its own class
        return builder

    def project(self, project_arn: str | ProjectArn) -> RequestBuilder:
        """The project to train in."""
        self._given["ProjectArn"] = (
            str(project_arn) if isinstance(project_arn, ProjectArn) else project_arn
        )
        return self

    def version_name(self, name: str) -> RequestBuilder:
        """The new version's name, unique in the project."""
        self._given["VersionName"] = name
        return self

    def output(self, location: str | OutputConfig) -> RequestBuilder:
        """Where training writes its results: ``s3://bucket/prefix/`` or an OutputConfig."""
        self._given["OutputConfig"] = location
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
        self._tags.append((key, value))
        return self

    def tags(self, tags: Mapping[str, str]) -> RequestBuilder:
        """Add tags to the new version (later values win)."""
        given = cast("object", tags)
        if isinstance(given, Mapping):
            self._tags.extend(cast("Mapping[object, object]", given).items())
        else:
            self._tags.append((_NOT_A_MAPPING, given))
        return self

    def kms_key(self, key_id: str) -> RequestBuilder:
        """Encrypt the training output (and copied images) with this KMS key."""
        self._given["KmsKeyId"] = key_id
        return self

    def description(self, text: str) -> RequestBuilder:
        """A description of the version."""
        self._given["VersionDescription"] = text
        return self

    def content_moderation(self, confidence_threshold: float | None = None) -> RequestBuilder:
        """Train a Custom Moderation adapter, optionally with a confidence threshold (0-100)."""
        moderation = (
            {} if confidence_threshold is None else {"ConfidenceThreshold": confidence_threshold}
        )
        self._given["FeatureConfig"] = {"ContentModeration": moderation}
        return self

    def build(self) -> CreateProjectVersionRequest:
        """Validate everything and return the request.

        Raises:
            RequestValidationError: Listing every problem, each at its path in the AWS
                request shape.
        """
        request, problems, placeholders = self._assemble()
        try:
            built = CreateProjectVersionRequest.from_boto(request)
        except RequestValidationError as error:
            # A value the builder could not convert stands in the dict as given; its own
            # problems replace the engine's complaint about its type.
            problems.extend(p for p in error.problems if p.path not in placeholders)
        else:
            if not problems:
                return built
        problems.sort(key=lambda problem: _MEMBER_ORDER.get(_member(problem.path), 0))
        raise RequestValidationError(problems, subject=_SUBJECT)

    def _assemble(self) -> tuple[dict[str, Any], list[Problem], set[str]]:
        """The boto3-shaped request, the conversion problems, and where they stand."""
        request = {**self._base, **self._given}
        problems: list[Problem] = []
        placeholders: set[str] = set()

        def convert(value: object, path: str, parse: Any) -> object:  # noqa: ANN401
            if not isinstance(value, str):
                return value.to_boto() if isinstance(value, S3Object | OutputConfig) else value
            try:
                return parse(value).to_boto()
            except RequestValidationError as error:
                root = path.rsplit(".", 1)[0] if path.endswith(".S3Object") else ""
                problems.extend(reroot(p, root) for p in error.problems)
                placeholders.add(path)
                return value

        if "OutputConfig" in self._given:
            request["OutputConfig"] = convert(
                self._given["OutputConfig"], "OutputConfig", OutputConfig.from_uri
            )
        for member, manifests in (("TrainingData", self._training), ("TestingData", self._testing)):
            if manifests:
                request[member] = {
                    "Assets": [
                        {
                            "GroundTruthManifest": {
                                "S3Object": convert(
                                    manifest,
                                    f"{member}.Assets[{index}].GroundTruthManifest.S3Object",
                                    S3Object.from_uri,
                                )
                            }
                        }
                        for index, manifest in enumerate(manifests)
                    ]
                }
        if self._auto_split:
            testing = cast("dict[str, object]", request["TestingData"]) if self._testing else {}
            testing["AutoCreate"] = True
            request["TestingData"] = testing
        if self._tags:
            self._add_tags(request, problems)
        return request, problems, placeholders

    def _add_tags(self, request: dict[str, Any], problems: list[Problem]) -> None:
        tags = request.get("Tags", {})
        if not isinstance(tags, Mapping):
            return  # the request's own Tags are malformed: keep them, so they are reported
        merged = dict(cast("Mapping[object, object]", tags))
        for key, value in self._tags:
            if key is _NOT_A_MAPPING:
                problems.append(
                    Problem("Tags", f"must be a mapping of strings, got {type_name(value)}")
                )
            else:
                try:
                    merged[key] = value
                except TypeError:  # unhashable: it can be no key of any mapping
                    problems.append(
                        Problem(
                            f"Tags[{preview(key)}]",
                            f"the key must be a string, got {type_name(key)}",
                        )
                    )
        request["Tags"] = merged


_NOT_A_MAPPING: Final = object()
