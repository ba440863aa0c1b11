"""The one rules engine: every rule of a ``CreateProjectVersion`` request, checked in one walk.

:func:`walk` interprets the tables of :mod:`rekog_versions._constraints` (types, required
and unknown members, lengths, patterns, ranges, and the rules stricter than the model);
:func:`cross_field` holds every rule between members.
Both return :class:`Finding` records: what rule is broken where, before anyone words it.
The library words them as :class:`~rekog_versions.errors.Problem` objects
(:func:`check_request`); the emulator words the same findings as the service does.

A finding is an error when the service model or the AWS documentation states its rule,
and a warning when only the library infers the rule (see ``EXTRA_RULES``).
"""

from __future__ import annotations

import json
import math
import reprlib
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, Final, cast

import attrs

from rekog_versions._constraints import (
    CREATE_PROJECT_VERSION,
    EXTRA_RULES,
    S3_KEY_MAX_UTF8_BYTES,
    BoolRule,
    ExtraRule,
    FloatRule,
    ListRule,
    MapRule,
    Rule,
    StringRule,
    StructRule,
)
from rekog_versions._defaults import DEFAULT_FEATURE
from rekog_versions.errors import Problem

__all__ = [
    "Entry",
    "Finding",
    "Step",
    "check_request",
    "check_value",
    "cross_field",
    "preview",
    "project_problems",
    "render_path",
    "type_name",
    "walk",
]

_PREVIEW_CHARS: Final = 60


@attrs.frozen
class Entry:
    """A step into a map: the entry's key, or its value."""

    key: object
    part: str  # "key" or "value"


Step = str | int | Entry


@attrs.frozen
class Finding:
    """One rule broken at one place in the request.

    Attributes:
        path: The steps from the request to the member: member names, list indexes,
            map entries.
        kind: Which rule: ``type``, ``null``, ``required``, ``unknown``, ``name``,
            ``length``, ``unicode``, ``pattern``, ``utf8``, ``range``, ``finite``,
            ``items``, ``entries`` or ``cross``.
        rule: The rule of the member (of its structure, for ``required``/``unknown``).
        value: The value at fault (the member's name, for ``unknown``/``name``).
        extra: The rule beyond the model, when it is one: its source and severity.
        detail: The library's words, for a cross-field rule.
    """

    path: tuple[Step, ...]
    kind: str
    rule: Rule | None = None
    value: object = None
    extra: ExtraRule | None = None
    detail: str = ""

    @property
    def inferred(self) -> bool:
        """Whether only the library infers the rule: a warning, not an error."""
        return self.extra is not None and self.extra.inferred


# While walking, a path is a chain of (parent, step) pairs, made in constant time per
# member (a map entry's step is a plain ("key" or "value", key) pair); it is turned into
# a tuple of steps only when a finding is made.
Chain = tuple[object, object] | tuple[()]
Checker = Callable[[Any, object, Chain, list[Finding]], None]


def _steps(chain: Chain) -> tuple[Step, ...]:
    steps: list[Step] = []
    while chain:
        chain, step = cast("tuple[Chain, object]", chain)
        if isinstance(step, tuple):
            part, key = cast("tuple[str, object]", step)
            steps.append(Entry(key, part))
        else:
            steps.append(cast("str | int", step))
    return tuple(reversed(steps))


def _string(rule: StringRule, value: object, chain: Chain, out: list[Finding]) -> None:
    if type(value) is not str and not isinstance(value, str):
        out.append(Finding(_steps(chain), "type", rule, value))
        return
    size = len(value)
    if (rule.min_length is not None and size < rule.min_length) or (
        rule.max_length is not None and size > rule.max_length
    ):
        out.append(Finding(_steps(chain), "length", rule, value))
        return
    matches = rule.matches
    if value.isascii():
        if matches is None:
            return
        if rule.ascii_class is not None:
            # One character class: str.strip gives the pattern's verdict, without a regex.
            prefix = rule.reserved_prefix
            if value.strip(rule.ascii_class) or (prefix is not None and value.startswith(prefix)):
                out.append(Finding(_steps(chain), "pattern", rule, value))
        elif matches(value) is None:
            out.append(Finding(_steps(chain), "pattern", rule, value))
        return
    try:
        encoded = len(value.encode("utf-8"))
    except UnicodeEncodeError:
        out.append(Finding(_steps(chain), "unicode", rule, value))
        return
    if matches is not None and matches(value) is None:
        out.append(Finding(_steps(chain), "pattern", rule, value))
    elif rule.shape == "S3ObjectName" and encoded > S3_KEY_MAX_UTF8_BYTES:
        extra = EXTRA_RULES["S3Object.Name.utf8"]
        out.append(Finding(_steps(chain), "utf8", rule, value, extra))


def _float(rule: FloatRule, value: object, chain: Chain, out: list[Finding]) -> None:
    kind = type(value)
    if (kind is not float and kind is not int) and (
        kind is bool or not isinstance(value, int | float | Decimal)
    ):
        out.append(Finding(_steps(chain), "type", rule, value))
        return
    try:
        number = float(cast("float", value))
    except OverflowError:  # an integer beyond any float: outside every range
        out.append(Finding(_steps(chain), "range", rule, value))
        return
    except ValueError:  # Decimal("sNaN") refuses to convert
        number = math.nan
    if not math.isfinite(number):
        out.append(Finding(_steps(chain), "finite", rule, value))
    elif (rule.minimum is not None and number < rule.minimum) or (
        rule.maximum is not None and number > rule.maximum
    ):
        out.append(Finding(_steps(chain), "range", rule, value))


def _bool(rule: BoolRule, value: object, chain: Chain, out: list[Finding]) -> None:
    if type(value) is not bool:
        out.append(Finding(_steps(chain), "type", rule, value))


def _list(rule: ListRule, value: object, chain: Chain, out: list[Finding]) -> None:
    if type(value) is not list and not isinstance(value, list | tuple):
        out.append(Finding(_steps(chain), "type", rule, value))
        return
    items = cast("list[object]", value)
    size = len(items)
    if (rule.min_length is not None and size < rule.min_length) or (
        rule.max_length is not None and size > rule.max_length
    ):
        out.append(Finding(_steps(chain), "items", rule, items))
    elif rule.practice_min_length is not None and size < rule.practice_min_length:
        path = _steps(chain)
        extra = EXTRA_RULES[".".join(str(step) for step in path[-2:])]
        out.append(Finding(path, "items", rule, items, extra))
    member = rule.member
    check = _CHECKERS[type(member)]
    for index, item in enumerate(items):
        check(member, item, (chain, index), out)


def _map(rule: MapRule, value: object, chain: Chain, out: list[Finding]) -> None:
    if type(value) is not dict and not isinstance(value, Mapping):
        out.append(Finding(_steps(chain), "type", rule, value))
        return
    entries = cast("Mapping[object, object]", value)
    if rule.max_length is not None and len(entries) > rule.max_length:
        out.append(Finding(_steps(chain), "entries", rule, entries))
    for key, item in entries.items():
        _string(rule.key, key, (chain, ("key", key)), out)
        _string(rule.value, item, (chain, ("value", key)), out)


@attrs.frozen(eq=False)
class _Plan:
    """A structure's rule, arranged for the walk.

    Its required members, and each member's rule with the function that checks it.
    """

    required: tuple[tuple[str, ExtraRule | None], ...]
    members: Mapping[object, tuple[Rule, Checker]]


_PLANS: dict[int, _Plan] = {}


def _plan(rule: StructRule) -> _Plan:
    plan = _PLANS.get(id(rule))
    if plan is None:
        plan = _PLANS[id(rule)] = _Plan(
            required=tuple(
                (name, None if name in rule.required else EXTRA_RULES[f"{rule.shape}.{name}"])
                for name in rule.members
                if name in rule.required or name in rule.practice_required
            ),
            members={
                name: (member, _CHECKERS[type(member)]) for name, member in rule.members.items()
            },
        )
    return plan


def _struct(rule: StructRule, value: object, chain: Chain, out: list[Finding]) -> None:
    if type(value) is not dict and not isinstance(value, Mapping):
        out.append(Finding(_steps(chain), "type", rule, value))
        return
    fields = cast("Mapping[object, object]", value)
    plan = _PLANS.get(id(rule)) or _plan(rule)
    for name, extra in plan.required:
        if name not in fields:
            out.append(Finding((*_steps(chain), name), "required", rule, None, extra))
    members = plan.members
    for key, item in fields.items():
        found = members.get(key)
        if found is None:
            if isinstance(key, str):
                out.append(Finding((*_steps(chain), key), "unknown", rule, key))
            else:
                out.append(Finding((*_steps(chain), ""), "name", rule, key))
        elif item is None:
            out.append(Finding(_steps((chain, key)), "null", found[0], None))
        else:
            found[1](found[0], item, (chain, key), out)


_CHECKERS: Final[dict[type, Checker]] = {
    StringRule: _string,
    FloatRule: _float,
    BoolRule: _bool,
    ListRule: _list,
    MapRule: _map,
    StructRule: _struct,
}


def walk(rule: Rule, value: object) -> list[Finding]:
    """Every rule of the model (and beyond it) that ``value`` breaks, in member order."""
    out: list[Finding] = []
    _CHECKERS[type(rule)](rule, value, (), out)
    return out


def cross_field(request: object) -> list[Finding]:
    """Every rule between the members of a request: the one place they are written."""
    if not isinstance(request, Mapping):
        return []
    fields = cast("Mapping[str, object]", request)
    training = fields.get("TrainingData")
    testing = fields.get("TestingData")
    out: list[Finding] = []
    if isinstance(testing, Mapping):
        members = cast("Mapping[str, object]", testing)
        auto = members.get("AutoCreate")
        assets = members.get("Assets")
        if auto is None or type(auto) is bool:  # otherwise its type is the problem
            has_assets = isinstance(assets, list | tuple) and len(assets) > 0  # pyright: ignore[reportUnknownArgumentType]
            if auto and has_assets:
                out.append(
                    Finding(
                        ("TestingData",),
                        "cross",
                        extra=EXTRA_RULES["TestingData.AutoCreateWithAssets"],
                        detail="AutoCreate=True splits the training manifest to make the test "
                        "set, and testing Assets are given too",
                    )
                )
            elif not auto and not has_assets:
                out.append(
                    Finding(
                        ("TestingData",),
                        "cross",
                        extra=EXTRA_RULES["TestingData.Source"],
                        detail="gives neither testing Assets (a manifest) nor AutoCreate=True "
                        "(split the training manifest)",
                    )
                )
    if testing is not None and training is None:
        auto = isinstance(testing, Mapping) and cast("Mapping[str, object]", testing).get(
            "AutoCreate"
        )
        out.append(
            Finding(
                ("TrainingData",),
                "cross",
                extra=EXTRA_RULES["Request.TestingNeedsTraining"],
                detail="is required when TestingData is given"
                + (
                    " (AutoCreate splits the training manifest, so there must be one)"
                    * (auto is True)
                ),
            )
        )
    if training is not None and testing is None:
        out.append(
            Finding(
                ("TestingData",),
                "cross",
                extra=EXTRA_RULES["Request.TrainingNeedsTesting"],
                detail="is required when TrainingData is given: give a testing manifest or "
                "AutoCreate=True",
            )
        )
    return out


# -- the library's words ---------------------------------------------------------------

_REPR: Final = reprlib.Repr()
_REPR.maxlevel = 2
_REPR.maxstring = _PREVIEW_CHARS
_REPR.maxother = _PREVIEW_CHARS


def type_name(value: object) -> str:
    """The name of a value's type, as a message shows it."""
    return "None" if value is None else type(value).__name__


def preview(value: object) -> str:
    """A short, safe rendering of a value for a message, whatever the value.

    Never a 2,000-character dump, and never an exception: huge integers, deep nesting
    and objects whose ``repr`` fails are described instead.
    """
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 128:
        return f"an integer of about {int(value.bit_length() * math.log10(2)) + 1} digits"
    try:
        text = repr(value) if isinstance(value, str) else _REPR.repr(value)
    except Exception:  # noqa: BLE001 - a value's own repr may fail in any way
        return f"a {type_name(value)}"
    if len(text) <= _PREVIEW_CHARS:
        return text
    size = f" ({len(value)} characters)" if isinstance(value, str) else ""
    return f"{text[: _PREVIEW_CHARS - 1]}…{size}"


def _shown_key(key: object) -> str:
    if isinstance(key, str):
        shown = key if len(key) <= _PREVIEW_CHARS else f"{key[: _PREVIEW_CHARS - 1]}…"
        # Letters of any script are shown as they are; a lone surrogate, which no output
        # can print, as its escape.
        printable = shown.isascii() or not any(0xD800 <= ord(ch) <= 0xDFFF for ch in shown)
        return f"[{json.dumps(shown, ensure_ascii=not printable)}]"
    return f"[{preview(key)}]"


def render_path(path: tuple[Step, ...]) -> str:
    """A path as the library writes it: ``TrainingData.Assets[0]...``, ``Tags["team"]``."""
    text = ""
    for step in path:
        if isinstance(step, int):
            text += f"[{step}]"
        elif isinstance(step, Entry):
            text += _shown_key(step.key)
        elif step:  # an empty step stands for a member name that is not a string
            text = f"{text}.{step}" if text else step
    return text


#: What each pattern allows, in words, for the messages.
_PATTERN_WORDS: Final[Mapping[str, str]] = {
    "ProjectArn": (
        "must be a project ARN, arn:<partition>:rekognition:<region>:<12-digit account>"
        ":project/<name>/<creation timestamp>"
    ),
    "VersionName": "may contain only letters A-Z and a-z, digits, '_', '.' and '-'",
    "S3Bucket": "may contain only letters A-Z and a-z, digits, '.', '-' and '_'",
    "TagKey": "may contain only letters, digits, spaces and _ . : / = + - @",
    "TagValue": "may contain only letters, digits, spaces and _ . : / = + - @",
    "KmsKeyId": (
        "must be a KMS key ID, key ARN, alias name or alias ARN: it starts with a letter "
        "or digit and may contain only letters, digits and : _ / + = , @ . -"
    ),
    "VersionDescription": (
        "may contain only letters A-Z and a-z, digits, spaces and - _ . ( ) ' : , ; ?"
    ),
}


def _bad_characters(rule: StringRule, value: str) -> str:
    if rule.ascii_class is None or not value.isascii():
        return ""
    bad = list(dict.fromkeys(ch for ch in value if ch not in rule.ascii_class))
    if not bad:
        return ""
    shown = ", ".join(repr(ch) for ch in bad[:5])
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    return f"; {shown}{more} not allowed"


def _pattern_message(rule: StringRule, value: str) -> str:
    if rule.reserved_prefix is not None and value.startswith(rule.reserved_prefix):
        return f"must not start with {rule.reserved_prefix!r}, which is reserved for AWS's own tags"
    if rule.shape == "ProjectArn" and "/version/" in value and ":project/" in value:
        project = value.split("/version/", 1)[0]
        if len(project) > 120:
            project = project[:119] + "…"
        return (
            "is a project *version* ARN; CreateProjectVersion needs the ARN of the project, "
            f"{project}/<creation timestamp> (DescribeProjects lists it)"
        )
    words = _PATTERN_WORDS.get(rule.shape, f"must match the pattern {rule.pattern}")
    return f"{words}{_bad_characters(rule, value)}; got {preview(value)}"


_TYPE_WORDS: Final[Mapping[type, str]] = {
    StringRule: "a string",
    FloatRule: "a number",
    ListRule: "a list",
    MapRule: "a mapping of strings to strings",
}


def _message(finding: Finding) -> str:  # noqa: PLR0911 - one wording a kind of rule
    rule = finding.rule
    value = finding.value
    kind = finding.kind
    if kind == "cross":
        return finding.detail
    if kind == "required":
        return "is required"
    if kind == "null":
        return "must not be None; leave the member out to not send it"
    if kind == "name":
        return f"member names must be strings, got {type_name(value)}"
    if kind == "unknown":
        struct = cast("StructRule", rule)
        valid = ", ".join(struct.members)
        from difflib import get_close_matches  # noqa: PLC0415 - only for a wrong name

        close = get_close_matches(str(value), list(struct.members), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        return f"is not a member of {struct.shape} (valid members: {valid}){hint}"
    if kind == "type":
        if isinstance(rule, BoolRule):
            return f"must be true or false, got {preview(value)}"
        if isinstance(rule, StructRule):
            return f"must be a mapping ({rule.shape} structure), got {type_name(value)}"
        return f"must be {_TYPE_WORDS[type(rule)]}, got {type_name(value)}"
    if isinstance(rule, StringRule):
        text = cast("str", value)
        lo, hi = rule.min_length, rule.max_length
        if kind == "length":
            if not text:
                return "must not be empty"
            if lo is not None and len(text) < lo:
                return f"must be at least {lo} characters long, got {len(text)}: {preview(text)}"
            return f"must be at most {hi} characters long, got {len(text)}: {preview(text)}"
        if kind == "unicode":
            index = next(i for i, ch in enumerate(text) if 0xD800 <= ord(ch) <= 0xDFFF)
            return (
                f"is not valid Unicode text: it has a lone surrogate at index {index}, "
                "which cannot be sent"
            )
        if kind == "utf8":
            size = len(text.encode("utf-8"))
            return (
                f"an S3 key is at most {S3_KEY_MAX_UTF8_BYTES} bytes of UTF-8, "
                f"got {size} bytes: {preview(text)}"
            )
        return _pattern_message(rule, text)
    if isinstance(rule, FloatRule):
        if kind == "finite":
            return f"must be a finite number, got {preview(value)}"
        return f"must be between {rule.minimum:g} and {rule.maximum:g}, got {preview(value)}"
    size = len(cast("list[object]", value))
    if isinstance(rule, MapRule):
        return f"must have at most {rule.max_length} entries, got {size}"
    items = cast("ListRule", rule)
    least = max(items.min_length or 0, items.practice_min_length or 0)
    if size < least:
        return f"must have at least {least} item{'s' * (least != 1)}, got {size}"
    return f"must have at most {items.max_length} items, got {size}"


def problem(finding: Finding) -> Problem:
    """A finding in the library's words; a warning says that the library infers its rule."""
    message = _message(finding)
    last = finding.path[-1] if finding.path else None
    if isinstance(last, Entry):
        message = f"the {last.part} {message}"
    if finding.inferred and finding.extra is not None:
        message = f"{message} (a warning, not sent as an error: {finding.extra.why})"
    path = render_path(finding.path)
    if finding.kind == "name":
        path = f"{path}[{preview(finding.value)}]" if path else preview(finding.value)
    return Problem(path, message)


def check_value(rule: Rule, value: object) -> list[Problem]:
    """The problems of one value against one rule (a shape on its own), paths relative to it."""
    return [problem(finding) for finding in walk(rule, value) if not finding.inferred]


def check_request(request: object) -> tuple[list[Problem], list[Problem]]:
    """Every problem with a boto3-shaped request: the errors, then the warnings."""
    findings = walk(CREATE_PROJECT_VERSION, request)
    findings.extend(cross_field(request))
    if not findings:
        return [], []
    errors = [problem(finding) for finding in findings if not finding.inferred]
    warnings = [problem(finding) for finding in findings if finding.inferred]
    return errors, warnings


def project_problems(request: Mapping[str, object], project: Mapping[str, object]) -> list[Problem]:
    """What in a project (a ``ProjectDescription``) would make the service refuse the request.

    The one place these rules are written: ``preflight()`` reports them, and the emulator
    answers ``InvalidParameterException`` with them.

    Args:
        request: The boto3-shaped request.
        project: The project, as ``DescribeProjects`` describes it.
    """
    problems: list[Problem] = []
    status = project.get("Status")
    if status not in (None, "CREATED"):
        problems.append(Problem("ProjectArn", f"the project is {status}; it must be CREATED"))
    feature = project.get("Feature") or DEFAULT_FEATURE
    if "FeatureConfig" in request and feature != "CONTENT_MODERATION":
        problems.append(
            Problem(
                "FeatureConfig",
                f"is only for CONTENT_MODERATION projects; this project is {feature}, "
                "and the service answers InvalidParameterException",
            )
        )
    datasets = [
        cast("Mapping[str, object]", item)
        for item in cast("list[object]", project.get("Datasets") or [])
        if isinstance(item, Mapping)
    ]
    manifests = "TrainingData" in request or "TestingData" in request
    if manifests and datasets:
        kinds = ", ".join(sorted({str(item.get("DatasetType", "?")) for item in datasets}))
        problems.append(
            Problem(
                "TrainingData",
                f"the project has datasets ({kinds}); manifests can be given only to a "
                "project without datasets: train from the datasets (leave out TrainingData "
                "and TestingData) or use a new project",
            )
        )
    elif not manifests and not datasets:
        problems.append(
            Problem(
                "TrainingData",
                "the project has no datasets, so the request must give training manifests "
                "(TrainingData and TestingData)",
            )
        )
    return problems
