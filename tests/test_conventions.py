"""The house rules that keep the code small and the tests readable, checked on the sources."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "rekog_versions"

pytestmark = pytest.mark.skipif(not PACKAGE.is_dir(), reason="needs the source tree")

#: The longest a function of the package may be, in lines, its docstring included.
LONGEST_FUNCTION = 100


def _functions(path: Path) -> list[ast.FunctionDef | ast.AsyncFunctionDef]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node for node in ast.walk(tree) if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
    ]


def test_every_test_says_what_it_pins_in_one_line() -> None:
    """Every test has a docstring whose summary, one line, says the behaviour it pins."""
    found = {
        f"{path.name}::{node.name}": ast.get_docstring(node)
        for path in sorted((ROOT / "tests").glob("test_*.py"))
        for node in _functions(path)
        if node.name.startswith("test_")
    }
    assert found  # the tests were read
    assert [] == [name for name, doc in found.items() if not doc or "\n" in doc.split("\n\n")[0]]


def test_no_function_is_over_a_hundred_lines() -> None:
    """No function of the package runs over 100 lines: a longer one is split by its jobs."""
    lengths = {
        f"{path.relative_to(ROOT)}:{node.lineno} {node.name}": node.end_lineno - node.lineno + 1
        for path in sorted(PACKAGE.rglob("*.py"))
        for node in _functions(path)
        if node.end_lineno is not None
    }
    assert lengths  # the package was read
    assert {} == {name: n for name, n in lengths.items() if n > LONGEST_FUNCTION}
