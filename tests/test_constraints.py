"""The limits in _constraints mirror the installed botocore's service model exactly."""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

import botocore.session
import pytest
import regex
from hypothesis import given
from hypothesis import strategies as st

from conftest import model_pattern_matches
from rekog_versions._constraints import (
    CREATE_PROJECT_VERSION,
    EXTRA_RULES,
    MODEL_PATTERNS,
    PROJECT_VERSION_ARN,
    BoolRule,
    FloatRule,
    ListRule,
    MapRule,
    Rule,
    StringRule,
    StructRule,
)
from rekog_versions._defaults import FEATURES

if TYPE_CHECKING:
    from botocore.model import Shape

_MODEL = botocore.session.get_session().get_service_model("rekognition")
_INPUT = _MODEL.operation_model("CreateProjectVersion").input_shape


def _compare(rule: Rule, shape: Shape, path: str, differences: list[str]) -> None:
    meta = shape.metadata
    if rule.shape != shape.name:
        differences.append(f"{path}: shape {rule.shape!r} here, {shape.name!r} in the model")
    expected_type = {
        StringRule: "string",
        FloatRule: "float",
        BoolRule: "boolean",
        ListRule: "list",
        MapRule: "map",
        StructRule: "structure",
    }[type(rule)]
    if shape.type_name != expected_type:
        differences.append(f"{path}: {expected_type} here, {shape.type_name} in the model")
        return
    if isinstance(rule, StringRule):
        mine = (rule.min_length, rule.max_length, rule.pattern)
        theirs = (meta.get("min"), meta.get("max"), meta.get("pattern"))
        if mine != theirs:
            differences.append(f"{path}: (min, max, pattern) {mine} here, {theirs} in the model")
    elif isinstance(rule, FloatRule):
        if (rule.minimum, rule.maximum) != (meta.get("min"), meta.get("max")):
            differences.append(f"{path}: range {rule.minimum}..{rule.maximum} differs")
    elif isinstance(rule, ListRule):
        if (rule.min_length, rule.max_length) != (meta.get("min"), meta.get("max")):
            differences.append(f"{path}: list limits differ")
        _compare(rule.member, shape.member, f"{path}[]", differences)
    elif isinstance(rule, MapRule):
        if (rule.min_length, rule.max_length) != (meta.get("min"), meta.get("max")):
            differences.append(f"{path}: map limits differ")
        _compare(rule.key, shape.key, f"{path}{{key}}", differences)
        _compare(rule.value, shape.value, f"{path}{{value}}", differences)
    elif isinstance(rule, StructRule):
        if set(rule.members) != set(shape.members):
            differences.append(
                f"{path}: members {sorted(rule.members)} here, {sorted(shape.members)} in the model"
            )
        if set(rule.required) != set(shape.required_members):
            differences.append(f"{path}: required {sorted(rule.required)} differs")
        for name in set(rule.members) & set(shape.members):
            _compare(rule.members[name], shape.members[name], f"{path}.{name}", differences)


def test_every_member_mirrors_the_service_model() -> None:
    """Every member, type, min, max, pattern and required list matches botocore's model."""
    differences: list[str] = []
    _compare(CREATE_PROJECT_VERSION, _INPUT, "CreateProjectVersionRequest", differences)
    assert [] == differences


def test_the_mirror_test_notices_a_drift() -> None:
    """A changed limit is reported, so the test above can fail."""
    import attrs  # noqa: PLC0415

    members = dict(CREATE_PROJECT_VERSION.members)
    version_name = members["VersionName"]
    assert isinstance(version_name, StringRule)
    members["VersionName"] = attrs.evolve(version_name, max_length=256)
    drifted = attrs.evolve(CREATE_PROJECT_VERSION, members=members)
    differences: list[str] = []
    _compare(drifted, _INPUT, "CreateProjectVersionRequest", differences)
    assert 1 == len(differences)
    assert "VersionName" in differences[0]


def _patterns(rule: Rule) -> dict[str, StringRule]:
    found: dict[str, StringRule] = {}
    if isinstance(rule, StringRule) and rule.pattern is not None:
        found[rule.shape] = rule
    elif isinstance(rule, ListRule):
        found.update(_patterns(rule.member))
    elif isinstance(rule, MapRule):
        found.update(_patterns(rule.key))
        found.update(_patterns(rule.value))
    elif isinstance(rule, StructRule):
        for member in rule.members.values():
            found.update(_patterns(member))
    return found


_PATTERN_RULES = _patterns(CREATE_PROJECT_VERSION)


def test_model_patterns_lists_every_pattern() -> None:
    """MODEL_PATTERNS names each pattern of the input shape, verbatim."""
    assert {name: rule.pattern for name, rule in _PATTERN_RULES.items()} == dict(MODEL_PATTERNS)


def test_the_answers_version_arn_mirrors_the_model() -> None:
    """The ProjectVersionArn rule the ARN parser uses is the model's own."""
    meta = _MODEL.shape_for("ProjectVersionArn").metadata
    expected = (meta.get("min"), meta.get("max"), meta.get("pattern"))
    rule = PROJECT_VERSION_ARN
    assert expected == (rule.min_length, rule.max_length, rule.pattern)


def test_features_mirror_the_model() -> None:
    """The feature list is the model's CustomizationFeature enum."""
    assert sorted(_MODEL.shape_for("CustomizationFeature").enum) == sorted(FEATURES)


def test_practice_rules_are_explained() -> None:
    """Every rule stricter than the model says why and where it comes from."""
    explained = {name for name in EXTRA_RULES if not name.startswith("Request.")}
    explained -= {"S3Object.Name.utf8", "TestingData.Source", "TestingData.AutoCreateWithAssets"}
    stated: set[str] = set()

    def walk(rule: Rule) -> None:
        if isinstance(rule, StructRule):
            stated.update(f"{rule.shape}.{name}" for name in rule.practice_required)
            for name, member in rule.members.items():
                if isinstance(member, ListRule) and member.practice_min_length:
                    stated.add(f"{rule.shape}.{name}")
                walk(member)
        elif isinstance(rule, ListRule):
            walk(rule.member)

    walk(CREATE_PROJECT_VERSION)
    assert stated == explained


def _assigned(text: str) -> bool:
    return all(unicodedata.category(ch) != "Cn" for ch in text)


_ALPHABET = st.one_of(
    st.characters(codec="ascii"),
    st.sampled_from("éßЖ日本語チーム٣𝐀\u00a0\u2003\u2028\u2029#!\t\n:aws"),
    st.characters(exclude_categories=("Cs",)),
)


@pytest.mark.parametrize("shape", sorted(_PATTERN_RULES), ids=sorted(_PATTERN_RULES))
@given(text=st.text(_ALPHABET, max_size=40))
def test_matchers_agree_with_the_model_pattern(shape: str, text: str) -> None:
    """Each Python matcher gives the verdict the model's own pattern gives (via regex)."""
    rule = _PATTERN_RULES[shape]
    assert rule.matches is not None
    assert rule.pattern is not None
    if not _assigned(text):
        return  # Unicode versions of Python and regex may differ on unassigned points
    expected = model_pattern_matches(rule.pattern, text)
    assert expected == (rule.matches(text) is not None)
    if rule.ascii_class is not None and text and text.isascii():
        # The str.strip fast path gives the pattern's verdict for every ASCII value.
        quick = not text.strip(rule.ascii_class)
        if rule.reserved_prefix is not None:
            quick = quick and not text.startswith(rule.reserved_prefix)
        assert expected == quick


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("équipe", True),
        ("チーム", True),
        ("команда", True),
        ("٣٤", True),
        ("a\u00a0b", True),
        ("cost:center/a=b+c-d@e_f.g", True),
        ("#tag", False),
        ("hello!", False),
        ("tab\there", False),
        ("emoji🙂", False),
    ],
    ids=[
        "latin",
        "katakana",
        "cyrillic",
        "arabic-digits",
        "nbsp",
        "symbols",
        "hash",
        "bang",
        "tab",
        "emoji",
    ],
)
def test_tag_value_pattern_is_unicode_aware(text: str, expected: bool) -> None:
    """Letters and digits of every script are allowed in tags; # and ! are not."""
    rule = _PATTERN_RULES["TagValue"]
    assert rule.matches is not None
    assert expected == (rule.matches(text) is not None)
    assert expected == (regex.fullmatch(rule.pattern or "", text) is not None)
