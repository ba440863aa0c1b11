r"""The service model's limits for ``CreateProjectVersion``, in one place.

Every rule here mirrors the botocore service model
(``botocore/data/rekognition/2016-06-27/service-2.json``) member by member:
``tests/test_constraints.py`` walks the installed botocore's input shape and fails if a
member, a ``min``, a ``max``, a ``pattern``, a type or a ``required`` list here differs.
Rules stricter than the model (a manifest needs a bucket and a key, for instance) are kept
apart, in ``practice_required`` and ``practice_min_length``, so the mirror stays exact;
:data:`EXTRA_RULES` says where each of them comes from, and so how severe it is: a rule
the AWS documentation states is an error, one the library only infers is a warning.

Patterns keep the model's text verbatim in ``pattern`` and carry a Python matcher that
applies it to the *whole* value, as the service does.
Two details differ from Python's ``re`` and are handled here: the model's ``\\d`` means
ASCII digits (Java semantics), and the tag patterns use the Unicode classes
``\\p{L}``, ``\\p{Z}`` and ``\\p{N}``, which ``re`` does not know; they are implemented
with :func:`unicodedata.category`, so letters of every script are accepted.
"""

from __future__ import annotations

import re
import unicodedata
from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = [
    "CREATE_PROJECT_VERSION",
    "EXTRA_RULES",
    "MODEL_PATTERNS",
    "PROJECT_VERSION_ARN",
    "S3_KEY_MAX_UTF8_BYTES",
    "S3_OBJECT",
    "BoolRule",
    "ExtraRule",
    "FloatRule",
    "ListRule",
    "MapRule",
    "Rule",
    "StringRule",
    "StructRule",
]


# Never compared, so no __eq__ or __hash__ of their own (eq=False): each class made
# costs the client's import time.
@attrs.frozen(kw_only=True, eq=False)
class StringRule:
    """A string member: length limits and an optional whole-value pattern."""

    shape: str
    min_length: int | None = None
    max_length: int | None = None
    pattern: str | None = None
    #: Applies ``pattern`` to the whole value; ``None`` means it does not match.
    matches: Callable[[str], object | None] | None = attrs.field(default=None, eq=False, repr=False)
    #: For a pattern that is one character class repeated: the ASCII characters of the
    #: class, so that an ASCII value is checked with ``str.strip`` instead of the regex
    #: engine (the check runs before every call). Derived from ``matches`` itself.
    ascii_class: str | None = attrs.field(default=None, eq=False, repr=False)
    #: A prefix the pattern forbids with a look-ahead (``aws:`` for tag keys).
    reserved_prefix: str | None = attrs.field(default=None, eq=False, repr=False)


@attrs.frozen(kw_only=True, eq=False)
class FloatRule:
    """A float member: an inclusive range."""

    shape: str
    minimum: float | None = None
    maximum: float | None = None


@attrs.frozen(kw_only=True, eq=False)
class BoolRule:
    """A boolean member."""

    shape: str


@attrs.frozen(kw_only=True, eq=False)
class ListRule:
    """A list member."""

    shape: str
    member: Rule
    min_length: int | None = None
    max_length: int | None = None
    practice_min_length: int | None = None


@attrs.frozen(kw_only=True, eq=False)
class MapRule:
    """A map member with string keys and values."""

    shape: str
    key: StringRule
    value: StringRule
    min_length: int | None = None
    max_length: int | None = None


@attrs.frozen(kw_only=True, eq=False)
class StructRule:
    """A structure: its members, those the model requires, those the service requires."""

    shape: str
    members: Mapping[str, Rule]
    required: frozenset[str] = frozenset()
    practice_required: frozenset[str] = frozenset()


Rule = StringRule | FloatRule | BoolRule | ListRule | MapRule | StructRule


def _java_regex(pattern: str) -> Callable[[str], object | None]:
    """The pattern's ``fullmatch``, compiled on its first use (not on import)."""
    compiled: list[re.Pattern[str]] = []

    def fullmatch(text: str) -> object | None:
        if not compiled:
            # re.ASCII gives \d the meaning it has in Java, where the service evaluates it.
            compiled.append(re.compile(pattern, re.ASCII))
        return compiled[0].fullmatch(text)

    return fullmatch


# Tag keys and values: ``[\p{L}\p{Z}\p{N}_.:/=+\-@]*``. The ASCII letters, digits and
# space are the ASCII members of \p{L}, \p{N} and \p{Z}.
_TAG_ASCII = re.compile(r"[A-Za-z0-9 _.:/=+\-@]*").fullmatch
_TAG_SYMBOLS = frozenset("_.:/=+-@")
_TAG_CATEGORIES = frozenset("LZN")


def _tag_characters_allowed(value: str) -> bool | None:
    r"""``True`` if every character is in ``[\p{L}\p{Z}\p{N}_.:/=+\-@]``, else ``None``."""
    if _TAG_ASCII(value) is not None:
        return True
    category = unicodedata.category
    if all(ch in _TAG_SYMBOLS or category(ch)[0] in _TAG_CATEGORIES for ch in value):
        return True
    return None


def _tag_key_matches(value: str) -> bool | None:
    # ^(?!aws:)[...]*$ — the look-ahead is case-sensitive in the model.
    return None if value.startswith("aws:") else _tag_characters_allowed(value)


def _ascii_class(matches: Callable[[str], object | None]) -> str:
    """The ASCII characters a one-class pattern accepts, found by asking it about each."""
    return "".join(chr(code) for code in range(128) if matches(chr(code)) is not None)


_PROJECT_ARN_PATTERN = (
    r"(^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}\/[0-9]+$)"
)
_VERSION_NAME_PATTERN = r"[a-zA-Z0-9_.\-]+"
_S3_BUCKET_PATTERN = r"[0-9A-Za-z\.\-_]*"
_TAG_KEY_PATTERN = r"^(?!aws:)[\p{L}\p{Z}\p{N}_.:/=+\-@]*$"
_TAG_VALUE_PATTERN = r"^([\p{L}\p{Z}\p{N}_.:/=+\-@]*)$"
_KMS_KEY_ID_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9:_/+=,@.-]{0,2048}$"
_VERSION_DESCRIPTION_PATTERN = r"[a-zA-Z0-9-_. ()':,;?]+"

#: Every pattern of the input shape, by shape name, as the model writes it.
MODEL_PATTERNS: Mapping[str, str] = {
    "ProjectArn": _PROJECT_ARN_PATTERN,
    "VersionName": _VERSION_NAME_PATTERN,
    "S3Bucket": _S3_BUCKET_PATTERN,
    "TagKey": _TAG_KEY_PATTERN,
    "TagValue": _TAG_VALUE_PATTERN,
    "KmsKeyId": _KMS_KEY_ID_PATTERN,
    "VersionDescription": _VERSION_DESCRIPTION_PATTERN,
}

_S3_BUCKET = StringRule(
    shape="S3Bucket",
    min_length=3,
    max_length=255,
    pattern=_S3_BUCKET_PATTERN,
    matches=_java_regex(_S3_BUCKET_PATTERN),
    ascii_class=_ascii_class(_java_regex(_S3_BUCKET_PATTERN)),
)

S3_OBJECT = StructRule(
    shape="S3Object",
    members={
        "Bucket": _S3_BUCKET,
        "Name": StringRule(shape="S3ObjectName", min_length=1, max_length=1024),
        "Version": StringRule(shape="S3ObjectVersion", min_length=1, max_length=1024),
    },
    practice_required=frozenset({"Bucket", "Name"}),
)

_ASSETS = ListRule(
    shape="Assets",
    member=StructRule(
        shape="Asset",
        members={
            "GroundTruthManifest": StructRule(
                shape="GroundTruthManifest",
                members={"S3Object": S3_OBJECT},
                practice_required=frozenset({"S3Object"}),
            )
        },
        practice_required=frozenset({"GroundTruthManifest"}),
    ),
)

#: The ``CreateProjectVersion`` input shape.
CREATE_PROJECT_VERSION = StructRule(
    shape="CreateProjectVersionRequest",
    members={
        "ProjectArn": StringRule(
            shape="ProjectArn",
            min_length=20,
            max_length=2048,
            pattern=_PROJECT_ARN_PATTERN,
            matches=_java_regex(_PROJECT_ARN_PATTERN),
        ),
        "VersionName": StringRule(
            shape="VersionName",
            min_length=1,
            max_length=255,
            pattern=_VERSION_NAME_PATTERN,
            matches=_java_regex(_VERSION_NAME_PATTERN),
            ascii_class=_ascii_class(_java_regex(_VERSION_NAME_PATTERN)),
        ),
        "OutputConfig": StructRule(
            shape="OutputConfig",
            members={
                "S3Bucket": _S3_BUCKET,
                "S3KeyPrefix": StringRule(shape="S3KeyPrefix", max_length=1024),
            },
            practice_required=frozenset({"S3Bucket"}),
        ),
        "TrainingData": StructRule(
            shape="TrainingData",
            members={
                "Assets": attrs.evolve(_ASSETS, practice_min_length=1),
            },
            practice_required=frozenset({"Assets"}),
        ),
        "TestingData": StructRule(
            shape="TestingData",
            members={"Assets": _ASSETS, "AutoCreate": BoolRule(shape="Boolean")},
        ),
        "Tags": MapRule(
            shape="TagMap",
            key=StringRule(
                shape="TagKey",
                min_length=1,
                max_length=128,
                pattern=_TAG_KEY_PATTERN,
                matches=_tag_key_matches,
                ascii_class=_ascii_class(_tag_characters_allowed),
                reserved_prefix="aws:",
            ),
            value=StringRule(
                shape="TagValue",
                min_length=0,
                max_length=256,
                pattern=_TAG_VALUE_PATTERN,
                matches=_tag_characters_allowed,
                ascii_class=_ascii_class(_tag_characters_allowed),
            ),
            min_length=0,
            max_length=200,
        ),
        "KmsKeyId": StringRule(
            shape="KmsKeyId",
            min_length=1,
            max_length=2048,
            pattern=_KMS_KEY_ID_PATTERN,
            matches=_java_regex(_KMS_KEY_ID_PATTERN),
        ),
        "VersionDescription": StringRule(
            shape="VersionDescription",
            min_length=1,
            max_length=255,
            pattern=_VERSION_DESCRIPTION_PATTERN,
            matches=_java_regex(_VERSION_DESCRIPTION_PATTERN),
            ascii_class=_ascii_class(_java_regex(_VERSION_DESCRIPTION_PATTERN)),
        ),
        "FeatureConfig": StructRule(
            shape="CustomizationFeatureConfig",
            members={
                "ContentModeration": StructRule(
                    shape="CustomizationFeatureContentModerationConfig",
                    members={
                        "ConfidenceThreshold": FloatRule(shape="Percent", minimum=0, maximum=100),
                    },
                )
            },
        ),
    },
    required=frozenset({"ProjectArn", "VersionName", "OutputConfig"}),
)


@attrs.frozen(kw_only=True, eq=False)
class ExtraRule:
    """A rule beyond the model's limits: where it comes from, and so how severe it is.

    Attributes:
        source: The document that states it, or ``None`` when only the library infers it.
        why: The reason, in words.
    """

    source: str | None
    why: str

    @property
    def inferred(self) -> bool:
        """Only the library infers it: a warning, never a refusal."""
        return self.source is None


_MANIFEST_NOT_FOUND = (
    "Custom Labels developer guide, tm-terminal-errors-reference: "
    "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT (the manifest's S3 bucket or key "
    "was not found) fails the training"
)

#: Every ``practice_required`` / ``practice_min_length`` rule and every cross-field rule,
#: by ``Shape.Member`` (or ``Request.<rule>`` for the cross-field rules).
EXTRA_RULES: Mapping[str, ExtraRule] = {
    "OutputConfig.S3Bucket": ExtraRule(
        source=None,
        why="the model marks it optional; the library expects a bucket for the training "
        "results, but the service may choose one itself (the console has a default bucket)",
    ),
    "TrainingData.Assets": ExtraRule(
        source=_MANIFEST_NOT_FOUND, why="a training job needs a manifest to train on"
    ),
    "Asset.GroundTruthManifest": ExtraRule(
        source=_MANIFEST_NOT_FOUND,
        why="an asset is a Ground Truth manifest; nothing else can be given",
    ),
    "GroundTruthManifest.S3Object": ExtraRule(
        source=_MANIFEST_NOT_FOUND, why="the manifest is read from S3"
    ),
    "S3Object.Bucket": ExtraRule(
        source=_MANIFEST_NOT_FOUND, why="an S3 object is named by its bucket and key"
    ),
    "S3Object.Name": ExtraRule(
        source=_MANIFEST_NOT_FOUND, why="an S3 object is named by its bucket and key"
    ),
    "S3Object.Name.utf8": ExtraRule(
        source="Amazon S3 user guide, object keys: at most 1,024 bytes of UTF-8",
        why="the model counts characters; a longer key names no object",
    ),
    "Request.TrainingNeedsTesting": ExtraRule(
        source="CreateProjectVersion API reference, TrainingData: if you specify "
        "TrainingData you must also specify TestingData",
        why="the test set is given with the training set",
    ),
    "Request.TestingNeedsTraining": ExtraRule(
        source="CreateProjectVersion API reference, TestingData: if you specify "
        "TestingData you must also specify TrainingData",
        why="the test set is given with the training set",
    ),
    "TestingData.Source": ExtraRule(
        source=None,
        why="the library expects testing Assets or AutoCreate=true; the documentation does "
        "not say what the service does with neither",
    ),
    "TestingData.AutoCreateWithAssets": ExtraRule(
        source=None,
        why="AutoCreate splits the training set; the documentation does not say what the "
        "service does with testing Assets as well",
    ),
}

#: S3 object keys are at most 1024 bytes of UTF-8 (S3's own limit); the model counts
#: characters, so a key of 1024 non-ASCII characters passes the model but names no object.
S3_KEY_MAX_UTF8_BYTES = 1024

_PROJECT_VERSION_ARN_PATTERN = (
    r"(^arn:[a-z\d-]+:rekognition:[a-z\d-]+:\d{12}:project\/[a-zA-Z0-9_.\-]{1,255}"
    r"\/version\/[a-zA-Z0-9_.\-]{1,255}\/[0-9]+$)"
)

#: The ``ProjectVersionArn`` shape of the model (``CreateProjectVersion``'s answer).
PROJECT_VERSION_ARN = StringRule(
    shape="ProjectVersionArn",
    min_length=20,
    max_length=2048,
    pattern=_PROJECT_VERSION_ARN_PATTERN,
    matches=_java_regex(_PROJECT_VERSION_ARN_PATTERN),
)
