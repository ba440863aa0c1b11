"""The validation error and its problems."""

from __future__ import annotations

import pickle

import pytest

from rekog_versions import Problem, RekogVersionsError, RequestValidationError


def test_validation_error_is_a_value_error() -> None:
    """Code that catches ValueError keeps working."""
    error = RequestValidationError([Problem("VersionName", "must not be empty")])
    assert isinstance(error, ValueError)
    assert isinstance(error, RekogVersionsError)


def test_str_lists_every_problem() -> None:
    """str() counts the problems and lists each with its path."""
    error = RequestValidationError(
        [Problem("VersionName", "must not be empty"), Problem("", "must be a mapping")]
    )
    assert (
        "2 problems in the request:\n  - VersionName: must not be empty\n  - must be a mapping"
        == str(error)
    )


def test_needs_a_problem() -> None:
    """An error without problems is a bug in the caller."""
    with pytest.raises(ValueError, match="at least one problem"):
        RequestValidationError([])


def test_pickles() -> None:
    """The error survives pickling with its problems."""
    error = RequestValidationError([Problem("A", "b")], subject="thing")
    copy = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes
    assert error.problems == copy.problems
    assert str(error) == str(copy)
