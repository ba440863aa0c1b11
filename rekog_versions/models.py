"""The shapes of a ``CreateProjectVersion`` request, as frozen attrs classes.

Each class mirrors one structure of the AWS request, with snake_case fields named after
the AWS members. A field left at ``None`` is not sent.
Every class validates itself when built and raises
:class:`~rekog_versions.errors.RequestValidationError` listing every problem, with
paths relative to that shape; :class:`CreateProjectVersionRequest` validates the whole
request, cross-field rules included, with paths in the AWS request shape.

``to_boto()`` gives the dict boto3 takes; ``from_boto()`` validates such a dict and
builds the object, reporting every problem at once.

>>> request = CreateProjectVersionRequest(
...     project_arn="arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000",
...     version_name="v1",
...     output_config=OutputConfig.from_uri("s3://my-bucket/results/"),
...     training_data=TrainingData(assets=[Asset.from_uri("s3://my-bucket/train.manifest")]),
...     testing_data=TestingData(auto_create=True),
... )
>>> request.to_boto()["OutputConfig"]
{'S3Bucket': 'my-bucket', 'S3KeyPrefix': 'results/'}
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, cast

import attrs

from rekog_versions._validation import check_request, check_shape, preview, type_name
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


def _raise_if(problems: list[Problem], subject: str) -> None:
    if problems:
        raise RequestValidationError(problems, subject=subject)


def _dump(value: object) -> object:
    """A shape's boto form, or the value itself when it is not a shape (for the checks)."""
    if isinstance(value, _Shape):
        return value._dump()  # noqa: SLF001  # pyright: ignore[reportPrivateUsage]
    if isinstance(value, tuple):
        return [_dump(item) for item in cast("tuple[object, ...]", value)]
    return value


class _Shape:
    """What every request shape can do; the attrs classes below fill it in."""

    __slots__ = ()
    _shape: str = ""

    def _dump(self) -> dict[str, Any]:
        raise NotImplementedError

    def __attrs_post_init__(self) -> None:
        _raise_if(check_shape(self._shape, self._dump()), self._shape)


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


@attrs.frozen(kw_only=True)
class S3Object(_Shape):
    """An object in S3: a manifest, here.

    >>> S3Object.from_uri("s3://my-bucket/manifests/train.manifest?versionId=3HL4kqtJ")
    S3Object(bucket='my-bucket', name='manifests/train.manifest', version='3HL4kqtJ')
    """

    _shape = "S3Object"
    bucket: str
    name: str
    version: str | None = None

    @classmethod
    def from_uri(cls, uri: str) -> S3Object:
        """Parse ``s3://bucket/key``, optionally with ``?versionId=...``.

        Raises:
            RequestValidationError: The URI is not of that form, or its parts break the
                service's limits.
        """
        problems: list[Problem] = []
        bucket, key, version = _parse_s3_uri(uri, "S3Object", problems)
        if not problems and not key:
            problems.append(Problem("S3Object", f"names no object key: {preview(uri)}"))
        _raise_if(problems, "S3 URI")
        try:
            return cls(bucket=bucket, name=key, version=version)
        except RequestValidationError as error:
            raise _rooted(error, "S3Object") from None

    @property
    def uri(self) -> str:
        """The object as an ``s3://`` URI."""
        suffix = f"?versionId={self.version}" if self.version is not None else ""
        return f"s3://{self.bucket}/{self.name}{suffix}"

    def to_boto(self) -> S3ObjectTypeDef:
        """The boto3 form, ``{"Bucket": ..., "Name": ..., "Version": ...}``."""
        return cast("S3ObjectTypeDef", self._dump())

    def _dump(self) -> dict[str, Any]:
        result: dict[str, Any] = {"Bucket": self.bucket, "Name": self.name}
        if self.version is not None:
            result["Version"] = self.version
        return result

    @classmethod
    def from_boto(cls, value: Mapping[str, Any]) -> S3Object:
        """Validate a boto3-shaped ``S3Object`` dict and build the object."""
        _raise_if(check_shape("S3Object", value), "S3Object")
        return _s3_object(value)


@attrs.frozen(kw_only=True)
class GroundTruthManifest(_Shape):
    """A SageMaker Ground Truth manifest in S3."""

    _shape = "GroundTruthManifest"
    s3_object: S3Object

    def to_boto(self) -> GroundTruthManifestTypeDef:
        """The boto3 form, ``{"S3Object": {...}}``."""
        return cast("GroundTruthManifestTypeDef", self._dump())

    def _dump(self) -> dict[str, Any]:
        return {"S3Object": _dump(self.s3_object)}


@attrs.frozen(kw_only=True)
class Asset(_Shape):
    """One training or testing asset: a Ground Truth manifest.

    >>> Asset.from_uri("s3://my-bucket/train.manifest").to_boto()
    {'GroundTruthManifest': {'S3Object': {'Bucket': 'my-bucket', 'Name': 'train.manifest'}}}
    """

    _shape = "Asset"
    ground_truth_manifest: GroundTruthManifest

    @classmethod
    def from_uri(cls, uri: str) -> Asset:
        """An asset for the manifest at ``s3://bucket/key`` (optionally ``?versionId=``)."""
        return cls(ground_truth_manifest=GroundTruthManifest(s3_object=S3Object.from_uri(uri)))

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
        return cast("AssetTypeDef", self._dump())

    def _dump(self) -> dict[str, Any]:
        return {"GroundTruthManifest": _dump(self.ground_truth_manifest)}


@attrs.frozen(kw_only=True)
class OutputConfig(_Shape):
    """Where training writes its results (evaluation, validation manifests, summaries).

    >>> OutputConfig.from_uri("s3://my-bucket/results/")
    OutputConfig(s3_bucket='my-bucket', s3_key_prefix='results/')
    """

    _shape = "OutputConfig"
    s3_bucket: str
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
        try:
            return cls(s3_bucket=bucket, s3_key_prefix=prefix or None)
        except RequestValidationError as error:
            raise _rooted(error, "OutputConfig") from None

    @property
    def uri(self) -> str:
        """The location as an ``s3://`` URI."""
        return f"s3://{self.s3_bucket}/{self.s3_key_prefix or ''}"

    def to_boto(self) -> OutputConfigTypeDef:
        """The boto3 form, ``{"S3Bucket": ..., "S3KeyPrefix": ...}``."""
        return cast("OutputConfigTypeDef", self._dump())

    def _dump(self) -> dict[str, Any]:
        result: dict[str, Any] = {"S3Bucket": self.s3_bucket}
        if self.s3_key_prefix is not None:
            result["S3KeyPrefix"] = self.s3_key_prefix
        return result


def _to_tuple(value: Iterable[Asset]) -> tuple[Asset, ...]:
    # Strings and mappings are iterable but never a list of assets: leave them for the
    # checks to report instead of splitting them into characters or keys.
    items = cast("object", value)
    if isinstance(items, tuple | list | range) or (
        isinstance(items, Iterable) and not isinstance(items, str | bytes | Mapping)
    ):
        return tuple(value)
    return cast("tuple[Asset, ...]", items)


def _to_optional_tuple(value: Iterable[Asset] | None) -> tuple[Asset, ...] | None:
    return None if value is None else _to_tuple(value)


@attrs.frozen(kw_only=True)
class TrainingData(_Shape):
    """The training manifest(s)."""

    _shape = "TrainingData"
    assets: tuple[Asset, ...] = attrs.field(converter=_to_tuple)

    @classmethod
    def from_uris(cls, *uris: str) -> TrainingData:
        """Training data from manifest URIs (``s3://bucket/key``)."""
        return cls(assets=[Asset.from_uri(uri) for uri in uris])

    def to_boto(self) -> TrainingDataTypeDef:
        """The boto3 form, ``{"Assets": [...]}``."""
        return cast("TrainingDataTypeDef", self._dump())

    def _dump(self) -> dict[str, Any]:
        return {"Assets": _dump(self.assets)}


@attrs.frozen(kw_only=True)
class TestingData(_Shape):
    """The testing manifest(s), or ``auto_create=True`` to split the training manifest.

    ``None`` leaves a member out of the request; the service reads a missing
    ``AutoCreate`` as false.
    """

    __test__ = False  # not a pytest test class, whatever its name says

    _shape = "TestingData"
    assets: tuple[Asset, ...] | None = attrs.field(default=None, converter=_to_optional_tuple)
    auto_create: bool | None = None

    @classmethod
    def from_uris(cls, *uris: str) -> TestingData:
        """Testing data from manifest URIs (``s3://bucket/key``)."""
        return cls(assets=[Asset.from_uri(uri) for uri in uris])

    def to_boto(self) -> TestingDataTypeDef:
        """The boto3 form, ``{"Assets": [...], "AutoCreate": ...}``."""
        return cast("TestingDataTypeDef", self._dump())

    def _dump(self) -> dict[str, Any]:
        result: dict[str, Any] = {}
        if self.assets is not None:
            result["Assets"] = _dump(self.assets)
        if self.auto_create is not None:
            result["AutoCreate"] = self.auto_create
        return result

    def __attrs_post_init__(self) -> None:
        """Check the members, and that the testing data says where tests come from."""
        problems = check_shape(self._shape, self._dump())
        if not problems and not self.auto_create and not self.assets:
            problems.append(Problem("", "give testing assets (a manifest) or auto_create=True"))
        elif not problems and self.auto_create and bool(self.assets):
            problems.append(
                Problem("", "auto_create=True splits the training manifest; give no assets too")
            )
        _raise_if(problems, self._shape)


def _to_number(value: float | Decimal | None) -> float | None:
    given = cast("object", value)
    if isinstance(given, int | Decimal) and not isinstance(given, bool):
        try:
            return float(given)
        except OverflowError:
            pass  # beyond any float: left for the checks to report
    return cast("float | None", given)  # not a number: left for the checks to report


@attrs.frozen(kw_only=True)
class ContentModerationConfig(_Shape):
    """Custom Moderation adapter settings.

    Attributes:
        confidence_threshold: The confidence (0 to 100) at which the adapter will be used
            to find unsafe content.
    """

    _shape = "CustomizationFeatureContentModerationConfig"
    confidence_threshold: float | None = attrs.field(default=None, converter=_to_number)

    def to_boto(self) -> CustomizationFeatureContentModerationConfigTypeDef:
        """The boto3 form, ``{"ConfidenceThreshold": ...}``."""
        return cast("CustomizationFeatureContentModerationConfigTypeDef", self._dump())

    def _dump(self) -> dict[str, Any]:
        if self.confidence_threshold is None:
            return {}
        return {"ConfidenceThreshold": self.confidence_threshold}


@attrs.frozen(kw_only=True)
class FeatureConfig(_Shape):
    """Feature-specific training settings; only Content Moderation has any.

    Only valid on a project whose feature is ``CONTENT_MODERATION``.
    """

    _shape = "CustomizationFeatureConfig"
    content_moderation: ContentModerationConfig | None = None

    def to_boto(self) -> CustomizationFeatureConfigTypeDef:
        """The boto3 form, ``{"ContentModeration": {...}}``."""
        return cast("CustomizationFeatureConfigTypeDef", self._dump())

    def _dump(self) -> dict[str, Any]:
        if self.content_moderation is None:
            return {}
        return {"ContentModeration": _dump(self.content_moderation)}


def _boto_assets(assets: tuple[Asset, ...]) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = []
    for asset in assets:
        s3_object = asset.ground_truth_manifest.s3_object
        boto: dict[str, str] = {"Bucket": s3_object.bucket, "Name": s3_object.name}
        if s3_object.version is not None:
            boto["Version"] = s3_object.version
        result.append({"GroundTruthManifest": {"S3Object": boto}})
    return result


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

    def copy(self) -> dict[str, str]:
        """A plain, mutable copy."""
        return self._data.copy()


def _freeze_tags(value: Mapping[str, str] | None) -> Mapping[str, str] | None:
    given = cast("object", value)
    if isinstance(given, Mapping):
        return _Tags(dict(given))  # pyright: ignore[reportUnknownArgumentType]
    return value


@attrs.frozen(kw_only=True)
class CreateProjectVersionRequest(_Shape):
    """A whole ``CreateProjectVersion`` request, valid by construction.

    Building one checks every member and every cross-field rule and raises one
    :class:`~rekog_versions.errors.RequestValidationError` listing every problem.
    Fields left at ``None`` are not sent.
    """

    _shape = "CreateProjectVersionRequest"
    project_arn: str = attrs.field(converter=_to_arn_text)
    version_name: str
    output_config: OutputConfig
    training_data: TrainingData | None = None
    testing_data: TestingData | None = None
    tags: Mapping[str, str] | None = attrs.field(default=None, converter=_freeze_tags)
    kms_key_id: str | None = None
    version_description: str | None = None
    feature_config: FeatureConfig | None = None

    def __attrs_post_init__(self) -> None:
        """Validate the whole request, cross-field rules included."""
        _raise_if(check_request(self._dump()), "CreateProjectVersion request")

    @property
    def project(self) -> ProjectArn:
        """The project ARN, parsed."""
        return ProjectArn.parse(self.project_arn)

    def to_boto(self) -> CreateProjectVersionRequestTypeDef:
        """The keyword arguments for ``client.create_project_version(**...)``.

        A new dict each call, with lists and dicts only: the caller may change it.
        """
        # Written out member by member (the request is valid by construction): this runs
        # before every call, so it avoids the generic walk _dump() does for the checks.
        output = self.output_config
        result: dict[str, Any] = {
            "ProjectArn": self.project_arn,
            "VersionName": self.version_name,
            "OutputConfig": {"S3Bucket": output.s3_bucket}
            if output.s3_key_prefix is None
            else {"S3Bucket": output.s3_bucket, "S3KeyPrefix": output.s3_key_prefix},
        }
        training = self.training_data
        if training is not None:
            result["TrainingData"] = {"Assets": _boto_assets(training.assets)}
        testing = self.testing_data
        if testing is not None:
            testing_boto: dict[str, Any] = {}
            if testing.assets is not None:
                testing_boto["Assets"] = _boto_assets(testing.assets)
            if testing.auto_create is not None:
                testing_boto["AutoCreate"] = testing.auto_create
            result["TestingData"] = testing_boto
        tags = self.tags
        if tags is not None:
            result["Tags"] = tags.copy() if isinstance(tags, _Tags) else dict(tags)
        self._add_scalars(result)
        return cast("CreateProjectVersionRequestTypeDef", result)

    def _dump(self) -> dict[str, Any]:
        result: dict[str, Any] = {
            "ProjectArn": self.project_arn,
            "VersionName": self.version_name,
            "OutputConfig": _dump(self.output_config),
        }
        if self.training_data is not None:
            result["TrainingData"] = _dump(self.training_data)
        if self.testing_data is not None:
            result["TestingData"] = _dump(self.testing_data)
        if self.tags is not None:
            tags = cast("object", self.tags)
            if isinstance(tags, _Tags):
                result["Tags"] = tags.copy()
            else:
                result["Tags"] = dict(tags) if isinstance(tags, Mapping) else tags  # pyright: ignore[reportUnknownArgumentType]
        self._add_scalars(result)
        return result

    def _add_scalars(self, result: dict[str, Any]) -> None:
        """The members both boto3 forms write the same way."""
        if self.kms_key_id is not None:
            result["KmsKeyId"] = self.kms_key_id
        if self.version_description is not None:
            result["VersionDescription"] = self.version_description
        if self.feature_config is not None:
            result["FeatureConfig"] = _dump(self.feature_config)

    @classmethod
    def from_boto(cls, request: Mapping[str, Any]) -> CreateProjectVersionRequest:
        """Validate a boto3-shaped request dict and build the request from it.

        The dict is what ``client.create_project_version(**request)`` takes, so existing
        code can adopt the library one call at a time.
        For a valid dict ``d`` with lists and dicts, ``from_boto(d).to_boto() == d``.

        Raises:
            RequestValidationError: Listing every problem, unknown members and wrong
                container types included, each at its path in the request.
        """
        _raise_if(check_request(request), "CreateProjectVersion request")
        return _request(request)


# Builders from a dict already validated whole. They bypass __init__ (its converters
# and its second validation): from_boto() sits on the path of every call and must cost
# little next to it. Each sets every field of its class, as __init__ would.

_new = object.__new__


def _setters(cls: type, *names: str) -> list[Callable[[object, object], None]]:
    # The slot descriptors' own __set__ is the quickest way to fill a frozen slots class.
    return [cls.__dict__[name].__set__ for name in names]


_S3_BUCKET, _S3_NAME, _S3_VERSION = _setters(S3Object, "bucket", "name", "version")
(_MANIFEST_S3_OBJECT,) = _setters(GroundTruthManifest, "s3_object")
(_ASSET_MANIFEST,) = _setters(Asset, "ground_truth_manifest")
_OUTPUT_BUCKET, _OUTPUT_PREFIX = _setters(OutputConfig, "s3_bucket", "s3_key_prefix")
(_TRAINING_ASSETS,) = _setters(TrainingData, "assets")
_TESTING_ASSETS, _TESTING_AUTO_CREATE = _setters(TestingData, "assets", "auto_create")
(_MODERATION_THRESHOLD,) = _setters(ContentModerationConfig, "confidence_threshold")
(_FEATURE_MODERATION,) = _setters(FeatureConfig, "content_moderation")
(
    _ARN,
    _VERSION_NAME,
    _OUTPUT_CONFIG,
    _TRAINING_DATA,
    _TESTING_DATA,
    _TAGS,
    _KMS_KEY_ID,
    _VERSION_DESCRIPTION,
    _FEATURE_CONFIG,
) = _setters(
    CreateProjectVersionRequest,
    "project_arn",
    "version_name",
    "output_config",
    "training_data",
    "testing_data",
    "tags",
    "kms_key_id",
    "version_description",
    "feature_config",
)


def _s3_object(value: Mapping[str, Any]) -> S3Object:
    obj = _new(S3Object)
    _S3_BUCKET(obj, value["Bucket"])
    _S3_NAME(obj, value["Name"])
    _S3_VERSION(obj, value.get("Version"))
    return obj


def _assets(values: Iterable[Mapping[str, Any]]) -> tuple[Asset, ...]:
    assets: list[Asset] = []
    for value in values:
        manifest = _new(GroundTruthManifest)
        _MANIFEST_S3_OBJECT(manifest, _s3_object(value["GroundTruthManifest"]["S3Object"]))
        asset = _new(Asset)
        _ASSET_MANIFEST(asset, manifest)
        assets.append(asset)
    return tuple(assets)


def _request(value: Mapping[str, Any]) -> CreateProjectVersionRequest:
    output = value["OutputConfig"]
    output_config = _new(OutputConfig)
    _OUTPUT_BUCKET(output_config, output["S3Bucket"])
    _OUTPUT_PREFIX(output_config, output.get("S3KeyPrefix"))

    training = value.get("TrainingData")
    training_data = None
    if training is not None:
        training_data = _new(TrainingData)
        _TRAINING_ASSETS(training_data, _assets(training["Assets"]))

    testing = value.get("TestingData")
    testing_data = None
    if testing is not None:
        testing_data = _new(TestingData)
        assets = testing.get("Assets")
        _TESTING_ASSETS(testing_data, None if assets is None else _assets(assets))
        _TESTING_AUTO_CREATE(testing_data, testing.get("AutoCreate"))

    feature = value.get("FeatureConfig")
    feature_config = None
    if feature is not None:
        moderation = feature.get("ContentModeration")
        moderation_config = None
        if moderation is not None:
            moderation_config = _new(ContentModerationConfig)
            _MODERATION_THRESHOLD(
                moderation_config, _to_number(moderation.get("ConfidenceThreshold"))
            )
        feature_config = _new(FeatureConfig)
        _FEATURE_MODERATION(feature_config, moderation_config)

    tags = value.get("Tags")
    request = _new(CreateProjectVersionRequest)
    _ARN(request, value["ProjectArn"])
    _VERSION_NAME(request, value["VersionName"])
    _OUTPUT_CONFIG(request, output_config)
    _TRAINING_DATA(request, training_data)
    _TESTING_DATA(request, testing_data)
    _TAGS(request, None if tags is None else _Tags(dict(tags)))
    _KMS_KEY_ID(request, value.get("KmsKeyId"))
    _VERSION_DESCRIPTION(request, value.get("VersionDescription"))
    _FEATURE_CONFIG(request, feature_config)
    return request


def _rooted(error: RequestValidationError, root: str) -> RequestValidationError:
    """The same problems, with their paths placed under ``root``."""
    return RequestValidationError(
        [Problem(reroot(problem.path, root), problem.message) for problem in error.problems],
        subject=error.subject,
    )


def reroot(path: str, root: str) -> str:
    """``path`` (relative to a shape) as a path under ``root``."""
    if not path:
        return root
    if not root:
        return path
    if path.startswith("["):
        return f"{root}{path}"
    return f"{root}.{path}"
