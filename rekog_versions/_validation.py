"""Checks a boto3-shaped ``CreateProjectVersion`` request against every rule of the service.

Two layers:

* the service model's own constraints (types, required members, unknown members,
  lengths, patterns, ranges), interpreted from :mod:`rekog_versions._constraints`;
* the rules the model does not state but the service documents (cross-field rules).

Both collect :class:`~rekog_versions.errors.Problem` objects into a list instead of
raising, so one error reports everything.
The rules are compiled once, at import, into closures: validation sits on the path of
every call and must cost little next to the call it protects.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from decimal import Decimal
from difflib import get_close_matches
from typing import Any, Final, cast

from rekog_versions._constraints import (
    CREATE_PROJECT_VERSION,
    S3_KEY_MAX_UTF8_BYTES,
    BoolRule,
    FloatRule,
    ListRule,
    MapRule,
    Rule,
    StringRule,
    StructRule,
)
from rekog_versions.errors import Problem

__all__ = [
    "check_request",
    "check_shape",
    "join",
    "preview",
    "type_name",
]

Checker = Callable[[object, str, list[Problem]], None]

_PREVIEW_CHARS: Final = 40

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

#: Characters each pattern allows, to name the offending ones in a message.
_ASCII_ALLOWED: Final[Mapping[str, str]] = {
    "VersionName": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-",
    "S3Bucket": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-_",
    "VersionDescription": (
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_. ()':,;?"
    ),
    "KmsKeyId": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789:_/+=,@.-",
}


def type_name(value: object) -> str:
    """The name of a value's type, as a message shows it."""
    if value is None:
        return "None"
    return type(value).__name__


def preview(value: object) -> str:
    """A short, safe rendering of a value for a message: never a 2,000-character dump."""
    text = repr(value)
    if len(text) <= _PREVIEW_CHARS:
        return text
    size = f" ({len(value)} characters)" if isinstance(value, str) else ""
    return f"{text[: _PREVIEW_CHARS - 1]}…{size}"


def join(path: str, member: str) -> str:
    """The path of ``member`` inside ``path``."""
    return f"{path}.{member}" if path else member


def _key_path(path: str, key: str) -> str:
    shown = key if len(key) <= _PREVIEW_CHARS else f"{key[: _PREVIEW_CHARS - 1]}…"
    return f"{path}[{json.dumps(shown, ensure_ascii=False)}]"


def _unicode_problem(value: str) -> str | None:
    if value.isascii():
        return None
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as error:
        return (
            f"is not valid Unicode text: it has a lone surrogate at index {error.start}, "
            "which cannot be sent"
        )
    return None


def _bad_characters(shape: str, value: str) -> str:
    allowed = _ASCII_ALLOWED.get(shape)
    if allowed is None:
        return ""
    bad: list[str] = []
    for ch in value:
        if ch not in allowed and ch not in bad:
            bad.append(ch)
    if not bad:
        return ""
    shown = ", ".join(repr(ch) for ch in bad[:5])
    more = f" and {len(bad) - 5} more" if len(bad) > 5 else ""
    return f"; {shown}{more} not allowed"


def _compile_string(rule: StringRule, *, what: str = "") -> Checker:
    lo = rule.min_length
    hi = rule.max_length
    matches = rule.matches
    words = _PATTERN_WORDS.get(rule.shape, f"must match the pattern {rule.pattern}")
    shape = rule.shape
    utf8_limit = S3_KEY_MAX_UTF8_BYTES if shape == "S3ObjectName" else None

    def check(value: object, path: str, problems: list[Problem]) -> None:
        if type(value) is not str:
            if not isinstance(value, str):
                problems.append(Problem(path, f"{what}must be a string, got {type_name(value)}"))
                return
            value = str(value)
        size = len(value)
        if lo is not None and size < lo:
            if size == 0:
                problems.append(Problem(path, f"{what}must not be empty"))
            else:
                problems.append(
                    Problem(
                        path,
                        f"{what}must be at least {lo} characters long, "
                        f"got {size}: {preview(value)}",
                    )
                )
            return
        if hi is not None and size > hi:
            problems.append(
                Problem(
                    path,
                    f"{what}must be at most {hi} characters long, got {size}: {preview(value)}",
                )
            )
            return
        unicode_problem = _unicode_problem(value)
        if unicode_problem is not None:
            problems.append(Problem(path, f"{what}{unicode_problem}"))
            return
        if matches is not None and matches(value) is None:
            if shape == "TagKey" and value.startswith("aws:"):
                message = "must not start with 'aws:', which is reserved for AWS's own tags"
            else:
                message = f"{words}{_bad_characters(shape, value)}; got {preview(value)}"
            problems.append(Problem(path, f"{what}{message}"))
            return
        if utf8_limit is not None and not value.isascii():
            encoded = len(value.encode("utf-8"))
            if encoded > utf8_limit:
                problems.append(
                    Problem(
                        path,
                        f"{what}an S3 key is at most {utf8_limit} bytes of UTF-8, "
                        f"got {encoded} bytes: {preview(value)}",
                    )
                )

    return check


def _compile_float(rule: FloatRule) -> Checker:
    lo = rule.minimum
    hi = rule.maximum

    def check(value: object, path: str, problems: list[Problem]) -> None:
        kind = type(value)
        if kind is bool or not isinstance(value, int | float | Decimal):
            problems.append(Problem(path, f"must be a number, got {type_name(value)}"))
            return
        try:
            number = float(value)
        except OverflowError:  # an int beyond any float: out of every range
            number = math.inf if value > 0 else -math.inf
            problems.append(
                Problem(path, f"must be between {lo:g} and {hi:g}, got {preview(value)}")
            )
            return
        if not math.isfinite(number):
            problems.append(Problem(path, f"must be a finite number, got {value!r}"))
            return
        if (lo is not None and number < lo) or (hi is not None and number > hi):
            problems.append(Problem(path, f"must be between {lo:g} and {hi:g}, got {value!r}"))

    return check


def _compile_bool(_rule: BoolRule) -> Checker:
    def check(value: object, path: str, problems: list[Problem]) -> None:
        if type(value) is not bool:
            problems.append(Problem(path, f"must be true or false, got {preview(value)}"))

    return check


def _compile_list(rule: ListRule) -> Checker:
    member = compile_rule(rule.member)
    lo = rule.min_length
    hi = rule.max_length
    practice_lo = rule.practice_min_length

    def check(value: object, path: str, problems: list[Problem]) -> None:
        if not isinstance(value, list | tuple):
            problems.append(Problem(path, f"must be a list, got {type_name(value)}"))
            return
        items = cast("list[object] | tuple[object, ...]", value)
        size = len(items)
        least = max(lo or 0, practice_lo or 0)
        if size < least:
            problems.append(
                Problem(path, f"must have at least {least} item{'s' * (least != 1)}, got {size}")
            )
        if hi is not None and size > hi:
            problems.append(Problem(path, f"must have at most {hi} items, got {size}"))
        for index, item in enumerate(items):
            member(item, f"{path}[{index}]", problems)

    return check


def _compile_map(rule: MapRule) -> Checker:
    key_check = _compile_string(rule.key, what="the key ")
    value_check = _compile_string(rule.value, what="the value ")
    hi = rule.max_length

    def check(value: object, path: str, problems: list[Problem]) -> None:
        if not isinstance(value, Mapping):
            problems.append(
                Problem(path, f"must be a mapping of strings to strings, got {type_name(value)}")
            )
            return
        items: Mapping[object, object] = value  # pyright: ignore[reportUnknownVariableType]
        if hi is not None and len(items) > hi:
            problems.append(Problem(path, f"must have at most {hi} entries, got {len(items)}"))
        for key, item in items.items():
            where = _key_path(path, key) if isinstance(key, str) else f"{path}[{preview(key)}]"
            key_check(key, where, problems)
            value_check(item, where, problems)

    return check


def _compile_struct(rule: StructRule) -> Checker:
    members = {name: compile_rule(member) for name, member in rule.members.items()}
    names = frozenset(members)
    required = tuple(sorted(rule.required | rule.practice_required, key=list(members).index))
    valid = ", ".join(members)
    shape = rule.shape

    def check(value: object, path: str, problems: list[Problem]) -> None:
        if not isinstance(value, Mapping):
            problems.append(
                Problem(path, f"must be a mapping ({shape} structure), got {type_name(value)}")
            )
            return
        fields: Mapping[object, object] = value  # pyright: ignore[reportUnknownVariableType]
        problems.extend(
            Problem(join(path, missing), "is required")
            for missing in required
            if missing not in fields
        )
        for name, item in fields.items():
            checker = members.get(name) if isinstance(name, str) else None
            if checker is not None and isinstance(name, str):
                if item is None:
                    problems.append(
                        Problem(
                            join(path, name),
                            "must not be None; leave the member out to not send it",
                        )
                    )
                else:
                    checker(item, join(path, name), problems)
            else:
                problems.append(_unknown_member(path, name, names, valid, shape))

    return check


def _unknown_member(
    path: str, name: object, names: frozenset[str], valid: str, shape: str
) -> Problem:
    if not isinstance(name, str):
        return Problem(
            f"{path}[{preview(name)}]" if path else preview(name),
            f"member names must be strings, got {type_name(name)}",
        )
    close = get_close_matches(name, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    return Problem(
        join(path, name if len(name) <= _PREVIEW_CHARS else preview(name)),
        f"is not a member of {shape} (valid members: {valid}){hint}",
    )


def compile_rule(rule: Rule) -> Checker:
    """A function that checks a value against ``rule`` and appends what it finds."""
    if isinstance(rule, StringRule):
        return _compile_string(rule)
    if isinstance(rule, FloatRule):
        return _compile_float(rule)
    if isinstance(rule, BoolRule):
        return _compile_bool(rule)
    if isinstance(rule, ListRule):
        return _compile_list(rule)
    if isinstance(rule, MapRule):
        return _compile_map(rule)
    return _compile_struct(rule)


Predicate = Callable[[object], bool]

_NO_LIMIT: Final = 1 << 62


def _utf8_ok(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class _PredicateSource:
    """Writes one flat Python function that checks a value against a rule.

    The same idea as attrs' generated ``__init__``: a function written for the one
    shape, with no call per member, is several times faster than a tree of closures,
    and this check runs before every request.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.namespace: dict[str, object] = {"_utf8_ok": _utf8_ok, "_MISSING": _MISSING}
        self._names = 0

    def name(self, value: object) -> str:
        self._names += 1
        name = f"_c{self._names}"
        self.namespace[name] = value
        return name

    def emit(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def check(self, rule: Rule, var: str, indent: int) -> None:  # noqa: PLR0915 - one branch a kind of rule
        fail = "return False"
        if isinstance(rule, StringRule):
            lo = rule.min_length or 0
            hi = _NO_LIMIT if rule.max_length is None else rule.max_length
            limit = S3_KEY_MAX_UTF8_BYTES if rule.shape == "S3ObjectName" else _NO_LIMIT
            # One condition per string: the common case (ASCII, in range, matching) takes
            # a single branch.
            condition = (
                f"type({var}) is not str or not {lo} <= len({var}) <= {hi} "
                f"or (not {var}.isascii() and (not _utf8_ok({var}) "
                f"or len({var}.encode('utf-8')) > {limit}))"
            )
            if rule.ascii_class is not None and rule.matches is not None:
                quick = f"{var}.isascii() and not {var}.strip({self.name(rule.ascii_class)})"
                if rule.reserved_prefix is not None:
                    quick += f" and not {var}.startswith({rule.reserved_prefix!r})"
                condition += f" or (not ({quick}) and {self.name(rule.matches)}({var}) is None)"
            elif rule.matches is not None:
                condition += f" or {self.name(rule.matches)}({var}) is None"
            self.emit(indent, f"if {condition}:")
            self.emit(indent + 1, fail)
        elif isinstance(rule, FloatRule):
            lo_f = -math.inf if rule.minimum is None else rule.minimum
            hi_f = math.inf if rule.maximum is None else rule.maximum
            self.emit(indent, f"if type({var}) is not float and type({var}) is not int:")
            self.emit(indent + 1, fail)
            self.emit(indent, f"if not {self.name(lo_f)} <= {var} <= {self.name(hi_f)}:")
            self.emit(indent + 1, fail)
        elif isinstance(rule, BoolRule):
            self.emit(indent, f"if type({var}) is not bool:")
            self.emit(indent + 1, fail)
        elif isinstance(rule, ListRule):
            lo = max(rule.min_length or 0, rule.practice_min_length or 0)
            hi = _NO_LIMIT if rule.max_length is None else rule.max_length
            self.emit(indent, f"if type({var}) is not list or not {lo} <= len({var}) <= {hi}:")
            self.emit(indent + 1, fail)
            item = f"{var}_i"
            self.emit(indent, f"for {item} in {var}:")
            self.check(rule.member, item, indent + 1)
        elif isinstance(rule, MapRule):
            hi = _NO_LIMIT if rule.max_length is None else rule.max_length
            self.emit(indent, f"if type({var}) is not dict or len({var}) > {hi}:")
            self.emit(indent + 1, fail)
            key, item = f"{var}_k", f"{var}_v"
            self.emit(indent, f"for {key}, {item} in {var}.items():")
            self.check(rule.key, key, indent + 1)
            self.check(rule.value, item, indent + 1)
        else:
            required = rule.required | rule.practice_required
            count = f"{var}_n"
            self.emit(indent, f"if type({var}) is not dict:")
            self.emit(indent + 1, fail)
            # Unknown members: every member found is counted off the dict's size, and
            # whatever remains is a key the shape does not have.
            self.emit(indent, f"{count} = len({var}) - {len(required)}")
            for index, (member_name, member) in enumerate(rule.members.items()):
                member_var = f"{var}_{index}"
                self.emit(indent, f"{member_var} = {var}.get({member_name!r}, _MISSING)")
                if member_name in required:
                    self.emit(indent, f"if {member_var} is _MISSING:")
                    self.emit(indent + 1, fail)
                    self.check(member, member_var, indent)
                else:
                    self.emit(indent, f"if {member_var} is not _MISSING:")
                    self.emit(indent + 1, f"{count} -= 1")
                    self.check(member, member_var, indent + 1)
            self.emit(indent, f"if {count}:")
            self.emit(indent + 1, fail)


_MISSING: Final = object()


def compile_predicate(rule: Rule) -> Predicate:
    """A function that only says whether a value passes ``rule``: the fast path.

    It is stricter than :func:`compile_rule` (exact ``dict``/``list``/``str`` types, no
    ``Decimal``): when it says true, the checker would find no problem; when it says
    false, the checker runs, decides and explains.
    """
    source = _PredicateSource()
    source.emit(0, "def predicate(v):")
    source.check(rule, "v", 1)
    source.emit(1, "return True")
    code = "\n".join(source.lines)
    exec(compile(code, f"<rekog_versions predicate for {rule.shape}>", "exec"), source.namespace)  # noqa: S102
    return cast("Predicate", source.namespace["predicate"])


_CHECK_REQUEST: Final = compile_rule(CREATE_PROJECT_VERSION)
_REQUEST_OK: Final = compile_predicate(CREATE_PROJECT_VERSION)

_SHAPE_CHECKERS: Final[dict[str, Checker]] = {}


def _collect_shapes(rule: Rule) -> None:
    if isinstance(rule, StructRule):
        _SHAPE_CHECKERS.setdefault(rule.shape, compile_rule(rule))
        for member in rule.members.values():
            _collect_shapes(member)
    elif isinstance(rule, ListRule):
        _collect_shapes(rule.member)


_collect_shapes(CREATE_PROJECT_VERSION)
_SHAPE_CHECKERS["TrainingData"] = compile_rule(
    CREATE_PROJECT_VERSION.members["TrainingData"]  # the one with the practice minimum
)


def check_shape(shape: str, value: object, path: str = "") -> list[Problem]:
    """Check one nested structure (``S3Object``, ``OutputConfig``, ...) on its own."""
    problems: list[Problem] = []
    _SHAPE_CHECKERS[shape](value, path, problems)
    return problems


def _version_arn_hint(value: object) -> Problem | None:
    if isinstance(value, str) and "/version/" in value and ":project/" in value:
        project = value.split("/version/", 1)[0]
        if len(project) > 120:
            project = project[:119] + "…"
        return Problem(
            "ProjectArn",
            "is a project *version* ARN; CreateProjectVersion needs the ARN of the project, "
            f"{project}/<creation timestamp> (DescribeProjects lists it)",
        )
    return None


def _cross_field(request: Mapping[object, object], problems: list[Problem]) -> None:
    training = request.get("TrainingData")
    testing = request.get("TestingData")
    if isinstance(testing, Mapping):
        testing_fields: Mapping[object, object] = testing  # pyright: ignore[reportUnknownVariableType]
        auto_value = testing_fields.get("AutoCreate")
        auto_create = auto_value is True
        assets = testing_fields.get("Assets")
        has_assets = isinstance(assets, list | tuple) and len(assets) > 0  # pyright: ignore[reportUnknownArgumentType]
        if auto_value is not None and not isinstance(auto_value, bool):
            pass  # its type is the problem, already reported
        elif auto_create and has_assets:
            problems.append(
                Problem(
                    "TestingData",
                    "AutoCreate=True splits the training manifest to make the test set, "
                    "so testing Assets must not be given too; choose one",
                )
            )
        elif not auto_create and not has_assets:
            problems.append(
                Problem(
                    "TestingData",
                    "must give testing Assets (a manifest) or AutoCreate=True "
                    "(split the training manifest)",
                )
            )
        if training is None:
            problems.append(
                Problem(
                    "TrainingData",
                    "is required when TestingData is given"
                    + (
                        " (AutoCreate splits the training manifest, so there must be one)"
                        if auto_create
                        else ""
                    ),
                )
            )
    if training is not None and testing is None:
        problems.append(
            Problem(
                "TestingData",
                "is required when TrainingData is given: give a testing manifest or "
                "AutoCreate=True",
            )
        )


def _cross_field_ok(request: dict[str, Any]) -> bool:
    # Runs only after _REQUEST_OK, so every member present has its right type.
    training = request.get("TrainingData")
    testing = request.get("TestingData")
    if testing is None:
        return training is None
    return training is not None and (testing.get("AutoCreate") is True) != bool(
        testing.get("Assets")
    )


def check_request(request: object) -> list[Problem]:
    """Every problem with a boto3-shaped ``CreateProjectVersion`` request, in field order."""
    if _REQUEST_OK(request) and _cross_field_ok(cast("dict[str, Any]", request)):
        return []
    problems: list[Problem] = []
    _CHECK_REQUEST(request, "", problems)
    if isinstance(request, Mapping):
        fields: Mapping[object, object] = request  # pyright: ignore[reportUnknownVariableType]
        hint = _version_arn_hint(fields.get("ProjectArn"))
        if hint is not None:
            problems[:] = [p for p in problems if p.path != "ProjectArn"]
            problems.insert(0, hint)
        _cross_field(fields, problems)
    return problems
