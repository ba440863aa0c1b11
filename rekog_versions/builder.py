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

import json
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from rekog_versions._aws import boto3_client, map_errors, service_error
from rekog_versions._constraints import CREATE_PROJECT_VERSION, StringRule
from rekog_versions._validation import preview, type_name
from rekog_versions.arns import ProjectArn
from rekog_versions.errors import Problem, RequestValidationError, ServiceError
from rekog_versions.models import CreateProjectVersionRequest, OutputConfig, S3Object, reroot

if TYPE_CHECKING:
    from mypy_boto3_s3 import S3Client

__all__ = ["RequestBuilder", "auto_version_name"]

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

    def __init__(self, *, project_arn: str | ProjectArn, version_name: str | None = None) -> None:
        """Start a request for ``version_name`` in the project ``project_arn``."""
        self._start({})
        self.project(project_arn)
        if version_name is not None:
            self.version_name(version_name)

    def _start(self, base: Mapping[str, Any]) -> None:
        self._base = dict(base)
        self._given: dict[str, object] = {}
        self._training: list[object] = []
        self._testing: list[object] = []
        self._auto_split = False
        self._tags: list[tuple[object, object]] = []
        self._auto: str | None = None
        self._s3: S3Client | None = None

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

    def version_name(
        self,
        name: str | None = None,
        *,
        auto: bool | str = False,
        s3_client: S3Client | None = None,
    ) -> RequestBuilder:
        """The new version's name, unique in the project; or one made from the inputs.

        With ``auto`` (``True``, or a prefix), :meth:`build` names the version
        ``<prefix>-<16 hex digits>`` (prefix ``v`` by default): a digest of the request's
        inputs (everything but the name and the tags) and of each manifest's identity
        in S3, its version id when the URI gives one, else its ETag (read with
        ``HeadObject``, through ``s3_client`` or a client built like the library's).
        The same inputs always give the same name, and a manifest fixed in place gives a
        new one: a rerun meets the version it started (see ``create(if_exists=)``).

        Args:
            name: The name, 1 to 255 of ``a-z A-Z 0-9 _ . -``.
            auto: Derive the name from the inputs, with this prefix (``True``: ``v``).
            s3_client: The S3 client that reads the manifests' ETags.
        """
        if (name is None) == (auto is False):
            raise TypeError("version_name() takes a name or auto=, not both or neither")
        if name is not None:
            self._given["VersionName"] = name
            self._auto = None
        else:
            self._given.pop("VersionName", None)
            self._base.pop("VersionName", None)
            self._auto = _AUTO_PREFIX if auto is True else str(auto)
            self._s3 = s3_client
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
        if self._auto is not None:  # stands in for the name until the rest is valid
            request["VersionName"] = _auto_name(self._auto, "0" * _DIGEST_LENGTH)
        try:
            built = CreateProjectVersionRequest.from_boto(request)
        except RequestValidationError as error:
            # A value the builder could not convert stands in the dict as given; its own
            # problems replace the engine's complaint about its type.
            problems.extend(
                _auto_problem(self._auto, p) if self._auto is not None else p
                for p in error.problems
                if p.path not in placeholders
            )
        else:
            if not problems:
                if self._auto is None:
                    return built
                name = auto_version_name(built, self._auto, _identities(built, self._s3))
                return attrs.evolve(built, version_name=name)
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

#: The prefix of an automatic version name when none is given.
_AUTO_PREFIX: Final = "v"
#: Hex digits of the digest in an automatic name: 64 bits, so that two different sets of
#: inputs in one project share a name with a chance of about n²/2⁶⁵.
_DIGEST_LENGTH: Final = 16
_NAME_RULE: Final = cast("StringRule", CREATE_PROJECT_VERSION.members["VersionName"])


def built(
    request: CreateProjectVersionRequest | RequestBuilder, taker: str
) -> CreateProjectVersionRequest:
    """What ``taker`` was given, as a valid request: a builder is built, a request checked.

    A request is checked once, whatever made it (see
    :meth:`CreateProjectVersionRequest.validate`).

    Raises:
        RequestValidationError: The request breaks a rule; nothing is sent.
        TypeError: ``request`` is neither (a dict goes through
            :meth:`CreateProjectVersionRequest.from_boto` first).
    """
    given = cast("object", request)  # callers without type checking pass anything
    if isinstance(given, RequestBuilder):
        return given.build()
    if isinstance(given, CreateProjectVersionRequest):
        return given.validate()
    hint = "; make one from a dict with CreateProjectVersionRequest.from_boto()"
    raise TypeError(
        f"{taker} takes a CreateProjectVersionRequest or a RequestBuilder, got "
        f"{type(given).__name__}{hint if isinstance(given, Mapping) else ''}"
    )


def _auto_problem(prefix: str, found: Problem) -> Problem:
    """A problem of the stand-in name is one of the prefix: say so."""
    if found.path != "VersionName":
        return found
    longest = (_NAME_RULE.max_length or 0) - _DIGEST_LENGTH - 1
    return Problem(
        "VersionName",
        f"the automatic name's prefix {preview(prefix)} must be at most {longest} of "
        "a-z A-Z 0-9 _ . - (the name is the prefix, '-' and 16 hex digits)",
    )


def _identities(request: CreateProjectVersionRequest, s3_client: S3Client | None) -> list[str]:
    """Each manifest's identity in S3: its version id if given, else its ETag (HEAD)."""
    manifests = (
        [asset.manifest for asset in request.training_data.assets] if request.training_data else []
    )
    if request.testing_data is not None and request.testing_data.assets:
        manifests.extend(asset.manifest for asset in request.testing_data.assets)
    found: list[str] = []
    for manifest in manifests:
        if manifest.version is not None:
            found.append(f"version:{manifest.version}")
            continue
        if s3_client is None:
            # A single call no retry layer of the library runs: botocore retries it.
            s3_client = cast("S3Client", boto3_client("s3", library_retries=False))
        what = f"{manifest.uri}: its ETag names the version automatically"
        try:
            with map_errors(f"HeadObject {what}"):
                head = s3_client.head_object(Bucket=manifest.bucket, Key=manifest.name)
        except ServiceError as error:  # S3's HEAD answers carry no message: name the object
            raise service_error(
                error.code,
                f"{what}, and it cannot be read ({error.message or error.code})",
                operation=error.operation,
                request_id=error.request_id,
                http_status=error.http_status,
                attempts=error.attempts,
            ) from error
        found.append(f"etag:{head.get('ETag', '')}")
    return found


def auto_version_name(
    request: CreateProjectVersionRequest, prefix: str, identities: Sequence[str]
) -> str:
    """The automatic version name of a request: ``<prefix>-<16 hex digits>``.

    An empty prefix gives the 16 hex digits alone.

    The digest covers the request's inputs (everything but ``VersionName`` and
    ``Tags``) and the manifests' identities in S3 (``version:<id>`` or ``etag:<etag>``,
    in the order of the request's manifests). No I/O:
    :meth:`~rekog_versions.RequestBuilder.version_name`
    reads the identities.
    """
    inputs = {
        key: value for key, value in request.to_boto().items() if key not in {"VersionName", "Tags"}
    }
    canonical = json.dumps([inputs, list(identities)], sort_keys=True, separators=(",", ":"))
    import hashlib  # noqa: PLC0415 - only for automatic names

    return _auto_name(prefix, hashlib.sha256(canonical.encode()).hexdigest()[:_DIGEST_LENGTH])


def _auto_name(prefix: str, digest: str) -> str:
    """``<prefix>-<digest>``, or the digest alone for an empty prefix."""
    return f"{prefix}-{digest}" if prefix else digest
