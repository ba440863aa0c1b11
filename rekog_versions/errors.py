"""The exceptions rekog_versions raises.

The tree::

    RekogVersionsError
    └── RequestValidationError (also a ValueError): the request breaks the service's rules;
                                  nothing was sent. ``.problems`` lists every one.

Every exception the library raises derives from :class:`RekogVersionsError`, so one
``except RekogVersionsError`` catches them all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs

if TYPE_CHECKING:
    from collections.abc import Iterable

__all__ = ["Problem", "RekogVersionsError", "RequestValidationError"]


class RekogVersionsError(Exception):
    """Base class of every exception this library raises."""


@attrs.frozen
class Problem:
    """One thing wrong with a request, at one place in it.

    Attributes:
        path: Where, in the AWS request shape:
            ``VersionName``, ``OutputConfig.S3Bucket``,
            ``TrainingData.Assets[0].GroundTruthManifest.S3Object.Bucket``, ``Tags["aws:team"]``.
        message: What the rule is and what was given.

    >>> str(Problem("VersionName", "must not be empty"))
    'VersionName: must not be empty'
    """

    path: str
    message: str

    def __str__(self) -> str:
        """``path: message``, or the message alone for the request as a whole."""
        return f"{self.path}: {self.message}" if self.path else self.message


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


class RequestValidationError(RekogVersionsError, ValueError):
    """The request breaks one or more of the service's rules; it was not sent.

    Attributes:
        problems: Every problem found, in the order of the request's fields.
    """

    problems: tuple[Problem, ...]

    def __init__(self, problems: Iterable[Problem], *, subject: str = "request") -> None:
        """Build the error from the problems found; there must be at least one."""
        self.problems = tuple(problems)
        if not self.problems:
            raise ValueError("a RequestValidationError needs at least one problem")
        self.subject = subject
        lines = "\n".join(f"  - {problem}" for problem in self.problems)
        super().__init__(f"{_plural(len(self.problems), 'problem')} in the {subject}:\n{lines}")

    def __reduce__(self) -> tuple[object, ...]:
        """Pickle by the problems, so the error crosses process boundaries intact."""
        return (_rebuild_validation_error, (self.problems, self.subject))


def _rebuild_validation_error(
    problems: tuple[Problem, ...], subject: str
) -> RequestValidationError:
    return RequestValidationError(problems, subject=subject)
