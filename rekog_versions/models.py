"""The shapes of a ``CreateProjectVersion`` request, as frozen attrs classes.

Each class mirrors one structure of the AWS request, with snake_case fields named after
the AWS members, and gives its boto3 form with ``to_boto()``; a field left at ``None``
is not sent. The shapes are plain data, built by ordinary constructors.
The one way in is :meth:`CreateProjectVersionRequest.from_boto` (which
:meth:`~rekog_versions.RequestBuilder.build` uses): it validates a boto3-shaped dict once,
raising :class:`~rekog_versions.errors.RequestValidationError` with every problem at its
path in the AWS request shape, and then builds the shapes.
A request built from the shapes by hand is validated by
:meth:`CreateProjectVersionRequest.validate`, and by the client before it is sent.
Either way a request is checked once: the requests known to be valid are remembered, with
the dict that is sent for each, for as long as they live.

>>> request = CreateProjectVersionRequest(
...     project_arn="arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000",
...     version_name="v1",
...     output_config=OutputConfig.from_uri("s3://my-bucket/results/"),
...     training_data=TrainingData(assets=[Asset.from_uri("s3://my-bucket/train.manifest")]),
...     testing_data=TestingData(auto_create=True),
... )
>>> request.validate().to_boto()["OutputConfig"]
{'S3Bucket': 'my-bucket', 'S3KeyPrefix': 'results/'}
"""

from __future__ import annotations

import logging
import math
import weakref
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final, SupportsFloat, cast

import attrs

from rekog_versions._constraints import CREATE_PROJECT_VERSION, S3_OBJECT, StructRule
from rekog_versions._validation import check_request, check_value, preview, type_name
from rekog_versions.arns import ProjectArn
from rekog_versions.errors import Problem, RequestValidationError

if TYPE_CHECKING:
    from mypy_boto3_rekognition.type_defs import (
        AssetTypeDef,
        CreateProjectVersionRequestTypeDef,
        CustomizationFeatureConfigTypeDef,
        CustomizationFeatureContentModerationConfigTypeDef,
        GroundTruthManifestTypeDef,
        OutputConfigTypeDef,
        S3ObjectTypeDef,
        TestingDataTypeDef,
        TrainingDataTypeDef,
    )

__all__ = [
    "Asset",
    "ContentModerationConfig",
    "CreateProjectVersionRequest",
    "FeatureConfig",
    "GroundTruthManifest",
    "OutputConfig",
    "S3Object",
    "TestingData",
    "TrainingData",
]

logger: Final = logging.getLogger("rekog_versions")

_SUBJECT: Final = "CreateProjectVersion request"


def _boto(value: object) -> object:
    """A field's boto3 form: a shape's ``to_boto()``, a list for a tuple, else the value.

    Whatever a field holds is rendered, so that validation can report a wrong type.
    """
    if type(value) in _SCALARS:
        return value
    to_boto = getattr(value, "to_boto", None)
    if to_boto is not None:
        return to_boto()
    if isinstance(value, tuple):
        return [_boto(item) for item in cast("tuple[object, ...]", value)]
    return value


_SCALARS: Final = frozenset({str, bool, int, float})


def _members(**members: object) -> dict[str, Any]:
    """The boto3 form of a structure: its members that are not ``None``."""
    return {name: _boto(value) for name, value in members.items() if value is not None}


def _parse_s3_uri(uri: object, path: str, problems: list[Problem]) -> tuple[str, str, str | None]:
    """Split ``s3://bucket/key[?versionId=...]``; record a problem and return blanks if bad."""
    if not isinstance(uri, str):
        problems.append(Problem(path, f"must be an s3:// URI, got {type_name(uri)}"))
        return "", "", None
    if not uri.startswith("s3://"):
        hint = ""
        if uri.startswith(("https://", "http://")):
            hint = "; an https:// URL is not accepted, write s3://bucket/key"
        elif uri.lower().startswith("s3://"):
            hint = "; the scheme is lower-case s3://"
        problems.append(Problem(path, f"must be an s3://bucket/key URI, got {preview(uri)}{hint}"))
        return "", "", None
    rest = uri[len("s3://") :]
    version: str | None = None
    marker = rest.rfind("?versionId=")
    if marker != -1:
        version = rest[marker + len("?versionId=") :]
        rest = rest[:marker]
        if not version:
            problems.append(Problem(path, f"has an empty versionId: {preview(uri)}"))
    bucket, _, key = rest.partition("/")
    if not bucket:
        problems.append(Problem(path, f"names no bucket: {preview(uri)}"))
    return bucket, key, version


_OUTPUT_CONFIG_RULE: Final = cast("StructRule", CREATE_PROJECT_VERSION.members["OutputConfig"])


def _raise_if(problems: list[Problem], subject: str) -> None:
    if problems:
        raise RequestValidationError(problems, subject=subject)


@attrs.frozen(kw_only=True)
class S3Object:
    """An object in S3: a manifest, here.

    >>> S3Object.from_uri("s3://my-bucket/manifests/train.manifest?versionId=3HL4kqtJ")
    S3Object(bucket='my-bucket', name='manifests/train.manifest', version='3HL4kqtJ')
    """

    bucket: str
    name: str
    version: str | None = None

    @classmethod
    def from_uri(cls, uri: str) -> S3Object:
        """Parse ``s3://bucket/key``, optionally with ``?versionId=...``.

        Raises:
            RequestValidationError: The URI is not of that form, or its parts break the
                service's limits (paths under ``S3Object``).
        """
        problems: list[Problem] = []
        bucket, key, version = _parse_s3_uri(uri, "S3Object", problems)
        if not problems and not key:
            problems.append(Problem("S3Object", f"names no object key: {preview(uri)}"))
        _raise_if(problems, "S3 URI")
        return cls.from_boto(_members(Bucket=bucket, Name=key, Version=version))

    @classmethod
    def from_boto(cls, value: Mapping[str, Any]) -> S3Object:
        """Validate a boto3-shaped ``S3Object`` dict and build the object.

        Raises:
            RequestValidationError: With paths under ``S3Object``.
        """
        _raise_if([reroot(p, "S3Object") for p in check_value(S3_OBJECT, value)], "S3 URI")
        return _s3_object(value)

    @property
    def uri(self) -> str:
        """The object as an ``s3://`` URI."""
        suffix = f"?versionId={self.version}" if self.version is not None else ""
        return f"s3://{self.bucket}/{self.name}{suffix}"

    def to_boto(self) -> S3ObjectTypeDef:
        """The boto3 form, ``{"Bucket": ..., "Name": ..., "Version": ...}``."""
        return cast(
            "S3ObjectTypeDef", _members(Bucket=self.bucket, Name=self.name, Version=self.version)
        )


@attrs.frozen(kw_only=True)
class GroundTruthManifest:
    """A SageMaker Ground Truth manifest in S3."""

    s3_object: S3Object

    def to_boto(self) -> GroundTruthManifestTypeDef:
        """The boto3 form, ``{"S3Object": {...}}``."""
        return cast("GroundTruthManifestTypeDef", _members(S3Object=self.s3_object))


@attrs.frozen(kw_only=True)
class Asset:
    """One training or testing asset: a Ground Truth manifest.

    >>> Asset.from_uri("s3://my-bucket/train.manifest").to_boto()
    {'GroundTruthManifest': {'S3Object': {'Bucket': 'my-bucket', 'Name': 'train.manifest'}}}
    """

    ground_truth_manifest: GroundTruthManifest

    @classmethod
    def from_uri(cls, uri: str) -> Asset:
        """An asset for the manifest at ``s3://bucket/key`` (optionally ``?versionId=``)."""
        return cls.of(S3Object.from_uri(uri))

    @classmethod
    def of(cls, manifest: S3Object | str) -> Asset:
        """An asset for a manifest given as an :class:`S3Object` or an ``s3://`` URI."""
        if isinstance(manifest, str):
            return cls.from_uri(manifest)
        return cls(ground_truth_manifest=GroundTruthManifest(s3_object=manifest))

    @property
    def manifest(self) -> S3Object:
        """The manifest's S3 object."""
        return self.ground_truth_manifest.s3_object

    def to_boto(self) -> AssetTypeDef:
        """The boto3 form, ``{"GroundTruthManifest": {"S3Object": {...}}}``."""
        return cast("AssetTypeDef", _members(GroundTruthManifest=self.ground_truth_manifest))


@attrs.frozen(kw_only=True)
class OutputConfig:
    """Where training writes its results (evaluation, validation manifests, summaries).

    ``s3_bucket=None`` leaves the bucket out of the request (a warning: the model allows
    it, and the library does not know what the service then does).

    >>> OutputConfig.from_uri("s3://my-bucket/results/")
    OutputConfig(s3_bucket='my-bucket', s3_key_prefix='results/')
    """

    s3_bucket: str | None
    s3_key_prefix: str | None = None

    @classmethod
    def from_uri(cls, uri: str) -> OutputConfig:
        """Parse ``s3://bucket`` or ``s3://bucket/prefix``; the prefix is kept as written.

        Raises:
            RequestValidationError: The URI is not of that form or breaks the limits.
        """
        problems: list[Problem] = []
        bucket, prefix, version = _parse_s3_uri(uri, "OutputConfig", problems)
        if version is not None and not problems:
            problems.append(
                Problem("OutputConfig", "is a location to write to; it takes no versionId")
            )
        _raise_if(problems, "S3 URI")
        value = _members(S3Bucket=bucket, S3KeyPrefix=prefix or None)
        problems = [reroot(p, "OutputConfig") for p in check_value(_OUTPUT_CONFIG_RULE, value)]
        _raise_if(problems, "S3 URI")
        return cls(s3_bucket=bucket, s3_key_prefix=prefix or None)

    @property
    def uri(self) -> str:
        """The location as an ``s3://`` URI."""
        return f"s3://{self.s3_bucket or ''}/{self.s3_key_prefix or ''}"

    def to_boto(self) -> OutputConfigTypeDef:
        """The boto3 form, ``{"S3Bucket": ..., "S3KeyPrefix": ...}``."""
        return cast(
            "OutputConfigTypeDef",
            _members(S3Bucket=self.s3_bucket, S3KeyPrefix=self.s3_key_prefix),
        )


def _to_assets(value: Iterable[Asset]) -> tuple[Asset, ...]:
    # A string or a mapping is iterable but never a list of assets: say so, instead of
    # splitting it into characters or keys.
    if isinstance(cast("object", value), str | bytes | Mapping):
        raise TypeError(f"assets must be a sequence of Asset, got {type_name(value)}")
    return tuple(value)


def _to_optional_assets(value: Iterable[Asset] | None) -> tuple[Asset, ...] | None:
    return None if value is None else _to_assets(value)


@attrs.frozen(kw_only=True)
class TrainingData:
    """The training manifest(s)."""

    assets: tuple[Asset, ...] = attrs.field(converter=_to_assets)

    @classmethod
    def from_uris(cls, *uris: str) -> TrainingData:
        """Training data from manifest URIs (``s3://bucket/key``)."""
        return cls(assets=[Asset.from_uri(uri) for uri in uris])

    def to_boto(self) -> TrainingDataTypeDef:
        """The boto3 form, ``{"Assets": [...]}``."""
        return cast("TrainingDataTypeDef", _members(Assets=self.assets))


@attrs.frozen(kw_only=True)
class TestingData:
    """The testing manifest(s), or ``auto_create=True`` to split the training manifest.

    ``None`` leaves a member out of the request; the service reads a missing
    ``AutoCreate`` as false.
    """

    __test__ = False  # not a pytest test class, whatever its name says

    assets: tuple[Asset, ...] | None = attrs.field(default=None, converter=_to_optional_assets)
    auto_create: bool | None = None

    @classmethod
    def from_uris(cls, *uris: str) -> TestingData:
        """Testing data from manifest URIs (``s3://bucket/key``)."""
        return cls(assets=[Asset.from_uri(uri) for uri in uris])

    def to_boto(self) -> TestingDataTypeDef:
        """The boto3 form, ``{"Assets": [...], "AutoCreate": ...}``."""
        return cast("TestingDataTypeDef", _members(Assets=self.assets, AutoCreate=self.auto_create))


def _to_number(value: SupportsFloat | None) -> float | None:
    """A number as a float; an integer beyond any float is kept, for validation to report."""
    given = cast("object", value)
    if isinstance(given, Decimal) or (isinstance(given, int) and not isinstance(given, bool)):
        try:
            return float(given)
        except OverflowError:
            return cast("float", value)
        except ValueError:  # Decimal("sNaN")
            return math.nan
    return cast("float | None", given)


@attrs.frozen(kw_only=True)
class ContentModerationConfig:
    """Custom Moderation adapter settings.

    Attributes:
        confidence_threshold: The confidence (0 to 100) at which the adapter will be used
            to find unsafe content.
    """

    confidence_threshold: float | None = attrs.field(default=None, converter=_to_number)

    def to_boto(self) -> CustomizationFeatureContentModerationConfigTypeDef:
        """The boto3 form, ``{"ConfidenceThreshold": ...}``."""
        return cast(
            "CustomizationFeatureContentModerationConfigTypeDef",
            _members(ConfidenceThreshold=self.confidence_threshold),
        )


@attrs.frozen(kw_only=True)
class FeatureConfig:
    """Feature-specific training settings; only Content Moderation has any.

    Only valid on a project whose feature is ``CONTENT_MODERATION``.
    """

    content_moderation: ContentModerationConfig | None = None

    def to_boto(self) -> CustomizationFeatureConfigTypeDef:
        """The boto3 form, ``{"ContentModeration": {...}}``."""
        return cast(
            "CustomizationFeatureConfigTypeDef", _members(ContentModeration=self.content_moderation)
        )


def _to_arn_text(value: str | ProjectArn) -> str:
    return str(value) if isinstance(value, ProjectArn) else value


class _Tags(Mapping[str, str]):
    """A read-only copy of a tag mapping: hashable, comparable to any mapping, picklable."""

    __slots__ = ("_data",)

    def __init__(self, data: dict[str, str]) -> None:
        self._data = data

    def __getitem__(self, key: str) -> str:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _Tags):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)  # pyright: ignore[reportUnknownArgumentType]
        return NotImplemented

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __repr__(self) -> str:
        return repr(self._data)

    def __reduce__(self) -> tuple[type[_Tags], tuple[dict[str, str]]]:
        return (_Tags, (self._data,))

    def to_boto(self) -> dict[str, str]:
        """A plain, mutable copy."""
        return self._data.copy()


def _freeze_tags(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    given = cast("object", value)
    if given is None:
        return None
    if not isinstance(given, Mapping):
        raise TypeError(f"tags must be a mapping of strings, got {type(given).__name__}")
    return _Tags(dict(cast("Mapping[str, str]", given)))


def _s3_object(value: Mapping[str, Any]) -> S3Object:
    """An S3Object from a boto3 dict already validated."""
    return S3Object(bucket=value["Bucket"], name=value["Name"], version=value.get("Version"))


def _assets(values: Iterable[Mapping[str, Any]] | None) -> tuple[Asset, ...] | None:
    if values is None:
        return None
    return tuple(Asset.of(_s3_object(value["GroundTruthManifest"]["S3Object"])) for value in values)


@attrs.frozen(kw_only=True)
class CreateProjectVersionRequest:
    """A whole ``CreateProjectVersion`` request.

    Fields left at ``None`` are not sent. :meth:`from_boto` and
    :meth:`~rekog_versions.RequestBuilder.build` return validated requests;
    :meth:`validate` checks one built by hand (the client checks every request it sends).
    """

    project_arn: str = attrs.field(converter=_to_arn_text)
    version_name: str
    output_config: OutputConfig
    training_data: TrainingData | None = None
    testing_data: TestingData | None = None
    tags: Mapping[str, str] | None = attrs.field(default=None, converter=_freeze_tags)
    kms_key_id: str | None = None
    version_description: str | None = None
    feature_config: FeatureConfig | None = None

    def validate(self) -> CreateProjectVersionRequest:
        """Check every rule, cross-field rules included; return the request if it passes.

        This request is checked once: calling it again, or sending the request, does not
        check it again.

        Raises:
            RequestValidationError: Listing every problem, each at its path in the AWS
                request shape.
        """
        checked_params(self)
        return self

    @property
    def project(self) -> ProjectArn:
        """The project ARN, parsed."""
        return ProjectArn.parse(self.project_arn)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        """What the library infers would go wrong, but the service may accept.

        Each is a rule the AWS documentation does not state (see the validation page of
        the docs); the request is sent all the same.
        """
        return tuple(check_request(self.to_boto())[1])

    def to_boto(self) -> CreateProjectVersionRequestTypeDef:
        """The keyword arguments for ``client.create_project_version(**...)``.

        A new dict each call, with lists and dicts only: the caller may change it.
        """
        return cast(
            "CreateProjectVersionRequestTypeDef",
            _members(
                ProjectArn=self.project_arn,
                VersionName=self.version_name,
                OutputConfig=self.output_config,
                TrainingData=self.training_data,
                TestingData=self.testing_data,
                Tags=self.tags,
                KmsKeyId=self.kms_key_id,
                VersionDescription=self.version_description,
                FeatureConfig=self.feature_config,
            ),
        )

    @classmethod
    def from_boto(cls, request: Mapping[str, Any]) -> CreateProjectVersionRequest:
        """Validate a boto3-shaped request dict and build the request from it.

        The dict is what ``client.create_project_version(**request)`` takes, so existing
        code can adopt the library one call at a time.
        For a valid dict ``d`` with lists and dicts, ``from_boto(d).to_boto() == d``.
        Rules the library only infers are logged as warnings and listed in
        :attr:`warnings`; they never refuse a request.

        Raises:
            RequestValidationError: Listing every problem, unknown members and wrong
                container types included, each at its path in the request.
        """
        errors, warnings = check_request(request)
        _raise_if(errors, _SUBJECT)
        for warning in warnings:
            logger.warning("%s: %s", _SUBJECT, warning)
        made = cls._from_checked(request)
        _remember(made, None)  # valid; its dict is built when it is first sent
        return made

    @classmethod
    def _from_checked(cls, request: Mapping[str, Any]) -> CreateProjectVersionRequest:
        """The request of a boto3-shaped dict that passed validation."""
        output = request["OutputConfig"]
        training = request.get("TrainingData")
        testing = request.get("TestingData")
        feature = request.get("FeatureConfig")
        moderation = None if feature is None else feature.get("ContentModeration")
        return cls(
            project_arn=request["ProjectArn"],
            version_name=request["VersionName"],
            output_config=OutputConfig(
                s3_bucket=output.get("S3Bucket"), s3_key_prefix=output.get("S3KeyPrefix")
            ),
            training_data=None
            if training is None
            else TrainingData(assets=_assets(training["Assets"]) or ()),
            testing_data=None
            if testing is None
            else TestingData(
                assets=_assets(testing.get("Assets")), auto_create=testing.get("AutoCreate")
            ),
            tags=request.get("Tags"),
            kms_key_id=request.get("KmsKeyId"),
            version_description=request.get("VersionDescription"),
            feature_config=None
            if feature is None
            else FeatureConfig(
                content_moderation=None
                if moderation is None
                else ContentModerationConfig(
                    confidence_threshold=moderation.get("ConfidenceThreshold")
                )
            ),
        )


#: The requests known to be valid, by identity (never by value: ``True == 1.0``), each
#: with the dict sent for it once built (``None`` until then). An entry leaves with its
#: request; ``attrs.evolve`` makes a new request, checked anew.
_SENT: dict[int, CreateProjectVersionRequestTypeDef | None] = {}
_UNKNOWN: Final = object()


def _remember(
    request: CreateProjectVersionRequest, params: CreateProjectVersionRequestTypeDef | None
) -> None:
    key = id(request)
    if key not in _SENT:  # the entry is removed as the request goes, before its id is reused
        weakref.finalize(request, _SENT.pop, key, None)
    _SENT[key] = params


def checked_params(request: CreateProjectVersionRequest) -> CreateProjectVersionRequestTypeDef:
    """The dict sent for ``request``: checked once, built once, kept while it lives.

    The clients send it (``create_project_version(**params)``) and nothing changes it;
    a caller who wants to change one takes :meth:`~CreateProjectVersionRequest.to_boto`,
    a new dict each call.

    Raises:
        RequestValidationError: The request breaks a rule (see
            :meth:`~CreateProjectVersionRequest.validate`).
    """
    sent = _SENT.get(id(request), _UNKNOWN)
    if sent is _UNKNOWN:
        params = request.to_boto()
        errors, _ = check_request(params)
        _raise_if(errors, _SUBJECT)
    elif sent is None:
        params = request.to_boto()
    else:
        return cast("CreateProjectVersionRequestTypeDef", sent)
    _remember(request, params)
    return params


def reroot(problem: Problem, root: str) -> Problem:
    """The same problem, with its path (relative to a shape) placed under ``root``."""
    path = problem.path
    if not path:
        path = root
    elif root and path.startswith("["):
        path = f"{root}{path}"
    elif root:
        path = f"{root}.{path}"
    return Problem(path, problem.message)
