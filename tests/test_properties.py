"""Properties over arbitrary input: from_boto validates or refuses, never anything else."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

import botocore.session
from botocore.validate import ParamValidator
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import PROJECT_ARN, model_pattern_matches
from rekog_versions import CreateProjectVersionRequest, RequestValidationError

if TYPE_CHECKING:
    from botocore.model import Shape

_INPUT = (
    botocore.session.get_session()
    .get_service_model("rekognition")
    .operation_model("CreateProjectVersion")
    .input_shape
)

_SCALARS = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=30)
    | st.binary(max_size=10)
)
JUNK = st.recursive(
    _SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.tuples(children)
        | st.dictionaries(st.text(max_size=8) | st.integers(), children, max_size=3)
    ),
    max_leaves=10,
)


def _field(valid: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """Mostly valid values, sometimes anything at all."""
    return st.one_of(valid, valid, valid, JUNK)


def _text_around(pattern: str, low: int, high: int) -> st.SearchStrategy[str]:
    """Strings of the pattern's alphabet around the length limits, and any text."""
    return st.one_of(
        st.from_regex(f"{pattern}{{{low},{min(high, 40)}}}", fullmatch=True),
        st.integers(min_value=max(low - 1, 0), max_value=high + 1).map(lambda n: "a" * n),
        st.text(max_size=40),
    )


_TAG_CHAR = st.characters(categories=("L", "Z", "N")) | st.sampled_from("_.:/=+-@#!")
_BUCKET = _text_around(r"[0-9A-Za-z.\-_]", 3, 255)
_S3_OBJECT = st.fixed_dictionaries(
    {"Bucket": _field(_BUCKET), "Name": _field(st.text(min_size=0, max_size=30))},
    optional={
        "Version": _field(st.text(max_size=10)),
        "Extra": JUNK,
    },
)
_ASSETS = _field(
    st.lists(
        _field(
            st.fixed_dictionaries(
                {
                    "GroundTruthManifest": _field(
                        st.fixed_dictionaries({"S3Object": _field(_S3_OBJECT)})
                    )
                }
            )
        ),
        max_size=2,
    )
)
_VALID_ARN = st.one_of(
    st.just(PROJECT_ARN),
    st.from_regex(
        r"arn:[a-z0-9-]{1,5}:rekognition:[a-z0-9-]{1,12}:[0-9]{12}:project/[a-zA-Z0-9_.\-]{1,20}/[0-9]{1,13}",
        fullmatch=True,
    ),
)
_ARN = st.one_of(_VALID_ARN, st.text(max_size=60))
REQUESTS = st.fixed_dictionaries(
    {
        "ProjectArn": _field(_ARN),
        "VersionName": _field(_text_around(r"[a-zA-Z0-9_.\-]", 1, 255)),
        "OutputConfig": _field(
            st.fixed_dictionaries(
                {"S3Bucket": _field(_BUCKET)},
                optional={"S3KeyPrefix": _field(st.text(max_size=30))},
            )
        ),
    },
    optional={
        "TrainingData": _field(st.fixed_dictionaries({"Assets": _ASSETS})),
        "TestingData": _field(
            st.fixed_dictionaries(
                {}, optional={"Assets": _ASSETS, "AutoCreate": _field(st.booleans())}
            )
        ),
        "Tags": _field(
            st.dictionaries(
                st.text(_TAG_CHAR, max_size=20), st.text(_TAG_CHAR, max_size=20), max_size=4
            )
        ),
        "KmsKeyId": _field(
            st.from_regex(r"[A-Za-z0-9][A-Za-z0-9:_/+=,@.\-]{0,30}", fullmatch=True)
        ),
        "VersionDescription": _field(_text_around(r"[a-zA-Z0-9\-_. ()':,;?]", 1, 255)),
        "FeatureConfig": _field(
            st.fixed_dictionaries(
                {},
                optional={
                    "ContentModeration": _field(
                        st.fixed_dictionaries(
                            {},
                            optional={
                                "ConfidenceThreshold": _field(
                                    st.floats(min_value=-1, max_value=101) | st.integers(0, 100)
                                )
                            },
                        )
                    )
                },
            )
        ),
    },
)


def _valid_assets() -> st.SearchStrategy[list[dict[str, Any]]]:
    s3_object = st.fixed_dictionaries(
        {
            "Bucket": st.from_regex(r"[0-9A-Za-z.\-_]{3,20}", fullmatch=True),
            "Name": st.text(min_size=1, max_size=30).filter(lambda name: not _surrogates(name)),
        },
        optional={"Version": st.text(min_size=1, max_size=10)},
    )
    return st.lists(
        st.builds(lambda obj: {"GroundTruthManifest": {"S3Object": obj}}, s3_object),
        min_size=1,
        max_size=2,
    )


def _surrogates(text: str) -> bool:
    return any("\ud800" <= ch <= "\udfff" for ch in text)


_TRAIN_TEST = st.one_of(
    st.just({}),
    st.builds(
        lambda train, test: {"TrainingData": {"Assets": train}, "TestingData": test},
        _valid_assets(),
        st.one_of(
            st.builds(lambda assets: {"Assets": assets}, _valid_assets()),
            st.just({"AutoCreate": True}),
            st.builds(lambda assets: {"Assets": assets, "AutoCreate": False}, _valid_assets()),
        ),
    ),
)
_VALID_TAG_TEXT = st.text(st.characters(categories=("L", "Z", "N")) | st.sampled_from("_.:/=+-@"))
VALID_REQUESTS = st.builds(
    lambda required, optional, data: {**required, **optional, **data},
    st.fixed_dictionaries(
        {
            "ProjectArn": _VALID_ARN,
            "VersionName": st.from_regex(r"[a-zA-Z0-9_.\-]{1,30}", fullmatch=True)
            | st.just("v" * 255),
            "OutputConfig": st.fixed_dictionaries(
                {
                    "S3Bucket": st.from_regex(r"[0-9A-Za-z.\-_]{3,30}", fullmatch=True)
                    | st.just("b" * 255)
                },
                optional={"S3KeyPrefix": st.text(max_size=30) | st.just("p" * 1024)},
            ),
        }
    ),
    st.fixed_dictionaries(
        {},
        optional={
            "Tags": st.dictionaries(
                _VALID_TAG_TEXT.filter(lambda key: 1 <= len(key) <= 128 and key[:4] != "aws:"),
                _VALID_TAG_TEXT.filter(lambda value: len(value) <= 256),
                max_size=5,
            ),
            "KmsKeyId": st.from_regex(r"[A-Za-z0-9][A-Za-z0-9:_/+=,@.\-]{0,60}", fullmatch=True),
            "VersionDescription": st.from_regex(r"[a-zA-Z0-9\-_. ()':,;?]{1,30}", fullmatch=True)
            | st.just("d" * 255),
            "FeatureConfig": st.fixed_dictionaries(
                {},
                optional={
                    "ContentModeration": st.fixed_dictionaries(
                        {},
                        optional={"ConfidenceThreshold": st.floats(0, 100) | st.integers(0, 100)},
                    )
                },
            ),
        },
    ),
    _TRAIN_TEST,
)


def _model_violations(value: Any, shape: Shape, path: str = "") -> list[str]:
    """Every min, max, pattern and range of the service model that ``value`` breaks."""
    found: list[str] = []
    meta = shape.metadata
    if shape.type_name == "string":
        if "min" in meta and len(value) < meta["min"]:
            found.append(f"{path}: shorter than {meta['min']}")
        if "max" in meta and len(value) > meta["max"]:
            found.append(f"{path}: longer than {meta['max']}")
        if "pattern" in meta and not model_pattern_matches(meta["pattern"], value):
            found.append(f"{path}: does not match {meta['pattern']}")
    elif shape.type_name in {"float", "double"}:
        if not math.isfinite(value) or not meta.get("min", -math.inf) <= value <= meta.get(
            "max", math.inf
        ):
            found.append(f"{path}: out of range")
    elif shape.type_name == "structure":
        for name, item in value.items():
            found.extend(_model_violations(item, shape.members[name], f"{path}.{name}"))
    elif shape.type_name == "list":
        if "max" in meta and len(value) > meta["max"]:
            found.append(f"{path}: more than {meta['max']} items")
        for index, item in enumerate(value):
            found.extend(_model_violations(item, shape.member, f"{path}[{index}]"))
    elif shape.type_name == "map":
        if "max" in meta and len(value) > meta["max"]:
            found.append(f"{path}: more than {meta['max']} entries")
        for key, item in value.items():
            found.extend(_model_violations(key, shape.key, f"{path}[{key!r}]"))
            found.extend(_model_violations(item, shape.value, f"{path}[{key!r}]"))
    return found


def _json_shaped(value: object) -> bool:
    """Only dicts, lists, str, bool, int and float: what to_boto() gives back."""
    if isinstance(value, dict):
        return all(_json_shaped(item) for item in value.values())
    if isinstance(value, list):
        return all(_json_shaped(item) for item in value)
    return isinstance(value, str | bool | int | float)


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(request=st.one_of(VALID_REQUESTS, REQUESTS, JUNK))
def test_from_boto_validates_or_refuses(request: Any) -> None:
    """Any input gives a request botocore and the model accept, or RequestValidationError."""
    try:
        built = CreateProjectVersionRequest.from_boto(request)
    except RequestValidationError as error:
        assert error.problems
        assert all(isinstance(problem.path, str) for problem in error.problems)
        return
    sent = built.to_boto()
    report = ParamValidator().validate(sent, _INPUT)
    assert not report.has_errors(), report.generate_report()
    assert [] == _model_violations(sent, _INPUT)
    if _json_shaped(request):
        assert request == sent


@given(request=st.one_of(VALID_REQUESTS, REQUESTS))
def test_direct_construction_agrees_with_from_boto(request: Any) -> None:
    """Rebuilding a valid request field by field gives an equal request."""
    try:
        built = CreateProjectVersionRequest.from_boto(request)
    except RequestValidationError:
        return
    import attrs  # noqa: PLC0415

    rebuilt = CreateProjectVersionRequest(
        **{field.name: getattr(built, field.name) for field in attrs.fields(type(built))}
    )
    assert built == rebuilt
    assert hash(built) == hash(rebuilt)


@given(request=VALID_REQUESTS)
def test_valid_requests_round_trip(request: dict[str, Any]) -> None:
    """Every valid JSON-shaped request is accepted and comes back unchanged."""
    assert request == CreateProjectVersionRequest.from_boto(request).to_boto()
