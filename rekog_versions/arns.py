"""Project and project-version ARNs: parse, validate, and read their parts.

A project ARN reads ``arn:aws:rekognition:us-east-1:111122223333:project/my-project/1690558265950``:
partition, region, account, project name, and the project's creation time in
milliseconds since the epoch.
A project version ARN inserts ``/version/<version name>/<creation time>`` after the
project name and drops the project's creation time, which is why a project ARN cannot
be derived from a version ARN alone.

>>> arn = ProjectVersionArn.parse(
...     "arn:aws:rekognition:us-east-1:111122223333:project/cats/version/v1/1700000000000"
... )
>>> arn.project_name, arn.version_name, arn.region
('cats', 'v1', 'us-east-1')
>>> arn.created_at.isoformat()
'2023-11-14T22:13:20+00:00'
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from typing import Final

import attrs

from rekog_versions._constraints import CREATE_PROJECT_VERSION, StringRule
from rekog_versions._validation import preview, type_name
from rekog_versions.errors import Problem, RequestValidationError

__all__ = ["ProjectArn", "ProjectVersionArn"]

_PROJECT: Final = re.compile(
    r"arn:(?P<partition>[a-z\d-]+):rekognition:(?P<region>[a-z\d-]+):(?P<account>\d{12})"
    r":project/(?P<project>[a-zA-Z0-9_.\-]{1,255})/(?P<timestamp>[0-9]+)",
    re.ASCII,
)
_VERSION: Final = re.compile(
    r"arn:(?P<partition>[a-z\d-]+):rekognition:(?P<region>[a-z\d-]+):(?P<account>\d{12})"
    r":project/(?P<project>[a-zA-Z0-9_.\-]{1,255})/version/(?P<version>[a-zA-Z0-9_.\-]{1,255})"
    r"/(?P<timestamp>[0-9]+)",
    re.ASCII,
)
_ARN_RULE = CREATE_PROJECT_VERSION.members["ProjectArn"]
assert isinstance(_ARN_RULE, StringRule)  # noqa: S101 - a fact of the model, checked once
_MIN: Final = _ARN_RULE.min_length or 0
_MAX: Final = _ARN_RULE.max_length or 0
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _millis_to_datetime(millis: int) -> datetime | None:
    try:
        return _EPOCH + timedelta(milliseconds=millis)
    except OverflowError:
        return None


def _length_problem(text: str, path: str) -> Problem | None:
    if len(text) < _MIN or len(text) > _MAX:
        return Problem(
            path,
            f"must be {_MIN} to {_MAX} characters long, got {len(text)}: {preview(text)}",
        )
    return None


@attrs.frozen
class ProjectArn:
    """The ARN of a Rekognition project (Custom Labels or Custom Moderation).

    Build it with :meth:`parse`; ``str(arn)`` gives the ARN back.
    """

    partition: str
    region: str
    account: str
    project_name: str
    timestamp: int
    """The project's creation time, milliseconds since the epoch, as written in the ARN."""

    @classmethod
    def parse(cls, text: object, *, path: str = "ProjectArn") -> ProjectArn:
        """Parse and validate a project ARN.

        Args:
            text: The ARN.
            path: The field name to report problems under.

        Raises:
            RequestValidationError: ``text`` is not a project ARN; a project *version*
                ARN is called out as such.

        >>> str(ProjectArn.parse("arn:aws:rekognition:eu-west-1:111122223333:project/cats/1"))
        'arn:aws:rekognition:eu-west-1:111122223333:project/cats/1'
        """
        if not isinstance(text, str):
            raise RequestValidationError(
                [Problem(path, f"must be a string, got {type_name(text)}")], subject="ARN"
            )
        problem = _length_problem(text, path)
        if problem is None:
            match = _PROJECT.fullmatch(text)
            if match is not None:
                return cls(
                    partition=match["partition"],
                    region=match["region"],
                    account=match["account"],
                    project_name=match["project"],
                    timestamp=int(match["timestamp"]),
                )
            if _VERSION.fullmatch(text) is not None:
                problem = Problem(
                    path,
                    "is a project *version* ARN; the project's ARN is needed here "
                    "(arn:...:project/<name>/<creation timestamp>, see DescribeProjects)",
                )
            else:
                problem = Problem(
                    path,
                    "must be a project ARN, arn:<partition>:rekognition:<region>:"
                    f"<12-digit account>:project/<name>/<creation timestamp>; got {preview(text)}",
                )
        raise RequestValidationError([problem], subject="ARN")

    @property
    def created_at(self) -> datetime | None:
        """The project's creation time (UTC), or ``None`` if the number is out of range."""
        return _millis_to_datetime(self.timestamp)

    def __str__(self) -> str:
        """The ARN as AWS writes it."""
        return (
            f"arn:{self.partition}:rekognition:{self.region}:{self.account}"
            f":project/{self.project_name}/{self.timestamp}"
        )


@attrs.frozen
class ProjectVersionArn:
    """The ARN of a project version: a trained (or training) model or adapter.

    Build it with :meth:`parse`; ``str(arn)`` gives the ARN back.
    """

    partition: str
    region: str
    account: str
    project_name: str
    version_name: str
    timestamp: int
    """The version's creation time, milliseconds since the epoch, as written in the ARN."""

    @classmethod
    def parse(cls, text: object, *, path: str = "ProjectVersionArn") -> ProjectVersionArn:
        """Parse and validate a project version ARN.

        Args:
            text: The ARN.
            path: The field name to report problems under.

        Raises:
            RequestValidationError: ``text`` is not a project version ARN; a project ARN is
                called out as such.
        """
        if not isinstance(text, str):
            raise RequestValidationError(
                [Problem(path, f"must be a string, got {type_name(text)}")], subject="ARN"
            )
        problem = _length_problem(text, path)
        if problem is None:
            match = _VERSION.fullmatch(text)
            if match is not None:
                return cls(
                    partition=match["partition"],
                    region=match["region"],
                    account=match["account"],
                    project_name=match["project"],
                    version_name=match["version"],
                    timestamp=int(match["timestamp"]),
                )
            if _PROJECT.fullmatch(text) is not None:
                problem = Problem(
                    path,
                    "is a project ARN; a project *version* ARN is needed here "
                    "(arn:...:project/<name>/version/<version name>/<creation timestamp>)",
                )
            else:
                problem = Problem(
                    path,
                    "must be a project version ARN, arn:<partition>:rekognition:<region>:"
                    "<12-digit account>:project/<name>/version/<version name>/<timestamp>; "
                    f"got {preview(text)}",
                )
        raise RequestValidationError([problem], subject="ARN")

    @property
    def created_at(self) -> datetime | None:
        """The version's creation time (UTC), or ``None`` if the number is out of range."""
        return _millis_to_datetime(self.timestamp)

    def __str__(self) -> str:
        """The ARN as AWS writes it."""
        return (
            f"arn:{self.partition}:rekognition:{self.region}:{self.account}"
            f":project/{self.project_name}/version/{self.version_name}/{self.timestamp}"
        )
