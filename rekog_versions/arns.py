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

from datetime import datetime, timedelta, timezone
from typing import Final, cast

import attrs

from rekog_versions._constraints import CREATE_PROJECT_VERSION, PROJECT_VERSION_ARN, StringRule
from rekog_versions._validation import preview, type_name
from rekog_versions.errors import Problem, RequestValidationError

__all__ = ["ProjectArn", "ProjectVersionArn", "region_of"]

# The model's own rules for both ARNs; their parts are then read by position, since the
# patterns allow no ':' or '/' inside a part.
_PROJECT_ARN: Final = cast("StringRule", CREATE_PROJECT_VERSION.members["ProjectArn"])
_EPOCH: Final = datetime(1970, 1, 1, tzinfo=timezone.utc)


def _matches(rule: StringRule, text: str) -> list[str] | None:
    """The ARN's parts (partition, region, account, then the resource's), if ``rule`` holds."""
    if not (rule.min_length or 0) <= len(text) <= (rule.max_length or len(text)):
        return None
    if rule.matches is None or rule.matches(text) is None:
        return None
    _, partition, _, region, account, resource = text.split(":", 5)
    return [partition, region, account, *resource.split("/")[1:]]


def region_of(arn: str) -> str:
    """The region of an ARN already checked (a request's, a parsed one's), read at once.

    >>> region_of("arn:aws:rekognition:eu-west-1:111122223333:project/cats/1")
    'eu-west-1'
    """
    return arn.split(":", 4)[3]


def _millis_to_datetime(millis: int) -> datetime | None:
    try:
        return _EPOCH + timedelta(milliseconds=millis)
    except OverflowError:
        return None


def _length_problem(text: str, path: str) -> Problem | None:
    low, high = _PROJECT_ARN.min_length or 0, _PROJECT_ARN.max_length or 0
    if len(text) < low or len(text) > high:
        return Problem(
            path,
            f"must be {low} to {high} characters long, got {len(text)}: {preview(text)}",
        )
    return None


def _parse(  # noqa: PLR0913 - the two kinds of ARN, and how to tell them apart
    text: object, path: str, wanted: StringRule, other: StringRule, *, is_other: str, form: str
) -> list[str]:
    """The parts of an ARN that follows ``wanted``; otherwise raise, naming what it is."""
    problem: Problem | None
    if not isinstance(text, str):
        problem = Problem(path, f"must be a string, got {type_name(text)}")
    else:
        problem = _length_problem(text, path)
        parts = None if problem is not None else _matches(wanted, text)
        if parts is not None:
            return parts
        if problem is None:
            wrong_kind = _matches(other, text) is not None
            problem = Problem(
                path, is_other if wrong_kind else f"must be {form}; got {preview(text)}"
            )
    raise RequestValidationError([problem], subject="ARN")


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
        partition, region, account, name, timestamp = _parse(
            text,
            path,
            _PROJECT_ARN,
            PROJECT_VERSION_ARN,
            is_other="is a project *version* ARN; the project's ARN is needed here "
            "(arn:...:project/<name>/<creation timestamp>, see DescribeProjects)",
            form="a project ARN, arn:<partition>:rekognition:<region>:<12-digit account>"
            ":project/<name>/<creation timestamp>",
        )
        return cls(
            partition=partition,
            region=region,
            account=account,
            project_name=name,
            timestamp=int(timestamp),
        )

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
        partition, region, account, name, _, version, timestamp = _parse(
            text,
            path,
            PROJECT_VERSION_ARN,
            _PROJECT_ARN,
            is_other="is a project ARN; a project *version* ARN is needed here "
            "(arn:...:project/<name>/version/<version name>/<creation timestamp>)",
            form="a project version ARN, arn:<partition>:rekognition:<region>:"
            "<12-digit account>:project/<name>/version/<version name>/<timestamp>",
        )
        return cls(
            partition=partition,
            region=region,
            account=account,
            project_name=name,
            version_name=version,
            timestamp=int(timestamp),
        )

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
