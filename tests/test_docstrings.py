"""The examples in the package's docstrings run, against the installed package."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import rekog_versions


def _modules_with_examples() -> list[str]:
    names = []
    finder = doctest.DocTestFinder()
    for info in pkgutil.walk_packages(rekog_versions.__path__, prefix="rekog_versions."):
        module = importlib.import_module(info.name)
        if any(test.examples for test in finder.find(module)):
            names.append(info.name)
    return sorted(names)


MODULES = _modules_with_examples()


def test_examples_are_found() -> None:
    """The modules known to carry examples are among those collected."""
    assert {"rekog_versions.arns", "rekog_versions.builder", "rekog_versions.models"} <= set(
        MODULES
    )


#: The modules whose examples need an extra, and the module that extra brings.
NEEDS: dict[str, str] = {"rekog_versions.aio": "aiobotocore"}


@pytest.mark.parametrize("name", MODULES, ids=MODULES)
def test_docstring_examples(name: str) -> None:
    """Every >>> example in the module's docstrings gives the output it shows."""
    if name in NEEDS:
        pytest.importorskip(NEEDS[name])
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0
    assert 0 == result.failed
