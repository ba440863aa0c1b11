"""Manifest lines of every odd shape yield a report, never an exception."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from manifest_lines import classification, detection, moderation
from rekog_versions.manifests import validate_manifest

if TYPE_CHECKING:
    from pathlib import Path

_JSON = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.just(10**400)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=12),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=12,
)


def _mutations(line: dict[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """The line with one value anywhere in it replaced by arbitrary JSON, or a key dropped."""

    def paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        found = [prefix] if prefix else []
        if isinstance(value, dict):
            for key, item in value.items():
                found.extend(paths(item, (*prefix, key)))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                found.extend(paths(item, (*prefix, index)))
        return found

    def apply(path: tuple[Any, ...], replacement: Any, drop: bool) -> dict[str, Any]:
        copy = json.loads(json.dumps(line))
        target = copy
        for step in path[:-1]:
            target = target[step]
        if drop and isinstance(target, dict):
            target.pop(path[-1], None)
        else:
            target[path[-1]] = replacement
        return copy

    return st.builds(apply, st.sampled_from(paths(line)), _JSON, st.booleans())


_LINES = st.one_of(
    _mutations(classification()),
    _mutations(detection(boxes=[(0, 10, 10, 50, 50), (1, 100, 100, 40, 40)])),
    _mutations(moderation("a.jpg", "Nudity", "Rude Gesture")),
    _JSON,
)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    lines=st.lists(_LINES, min_size=1, max_size=6),
    feature=st.sampled_from(["CUSTOM_LABELS", "CONTENT_MODERATION"]),
)
def test_mutated_lines_always_give_a_report(tmp_path: Path, lines: list[Any], feature: str) -> None:
    """Any value anywhere in a line is reported on, never raised."""
    path = tmp_path / "fuzz.manifest"
    path.write_text("".join(json.dumps(line) + "\n" for line in lines))
    report = validate_manifest(path, feature=feature)  # type: ignore[arg-type]
    stats = report.training
    assert stats.total_json_lines == len(lines)
    assert (
        stats.total_json_lines
        == stats.valid_json_lines + stats.invalid_json_lines + stats.ignored_json_lines
    )
    json.loads(report.to_json())
