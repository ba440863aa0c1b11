"""The command line's options: their types, the global ones, and those commands share.

Each command is a :class:`Command` (its name, summary, examples, options and what runs
it), defined in the module of its group; :func:`build_parser` makes the parser from them.
Defaults the library decides are left to it (an option not given is not passed), and
the help states them from where they are written (:mod:`rekog_versions._defaults`).
"""

from __future__ import annotations

import argparse
import math
import re
from typing import TYPE_CHECKING, Any, Final, NamedTuple

from rekog_versions._defaults import (
    DEFAULT_POLL_SCHEDULE,
    DEFAULT_TIMEOUT,
    MAX_POLL_INTERVAL,
    MIN_POLL_INTERVAL,
    YOLO_SPLITS,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rekog_versions.cli._console import Console
    from rekog_versions.cli._session import Session

__all__ = [
    "Command",
    "Once",
    "count",
    "duration",
    "fraction",
    "global_options",
    "positive_count",
    "request_options",
    "split_fraction",
    "wait_options",
]


class Command(NamedTuple):
    """One command of the command line."""

    name: str
    summary: str
    examples: str
    options: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace, Session, Console], int]


def _seconds(value: float) -> str:
    """``24h``, ``90s``: a default duration as the options take it."""
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if value >= size and value % size == 0:
            return f"{value / size:g}{unit}"
    return f"{value:g}s"


#: The library's poll schedule, as the help texts state it.
SCHEDULE_TEXT: Final = (
    f"{_seconds(DEFAULT_POLL_SCHEDULE[0])} rising to {_seconds(DEFAULT_POLL_SCHEDULE[-1])}"
)


class Once(argparse.Action):
    """A flag that may be given only once (giving it twice is almost always a mistake)."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,  # noqa: ANN401 - argparse's own signature
        option_string: str | None = None,
    ) -> None:
        seen: set[str] = namespace.__dict__.setdefault("_given", set())
        if self.dest in seen:
            parser.error(f"{option_string} was given twice; give it once")
        seen.add(self.dest)
        setattr(namespace, self.dest, values)


#: A region's name as botocore accepts it (``botocore.utils.validate_region_name``): it
#: becomes part of a host name.
_REGION: Final = re.compile(r"[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?")


def region(text: str) -> str:
    """An AWS region's name (``us-east-1``); an empty or malformed one is bad input."""
    if _REGION.fullmatch(text) is None:
        raise argparse.ArgumentTypeError(f"not a region name: {text!r} (such as us-east-1)")
    return text


def poll_interval(text: str) -> float:
    """A time between polls: a duration within the library's bounds."""
    value = duration(text)
    if not MIN_POLL_INTERVAL <= value <= MAX_POLL_INTERVAL:
        raise argparse.ArgumentTypeError(
            f"must be {_seconds(MIN_POLL_INTERVAL)} to {_seconds(MAX_POLL_INTERVAL)}, got {text!r}"
        )
    return value


def duration(text: str) -> float:
    """Seconds from ``90``, ``90s``, ``15m``, ``3h`` or ``1d``."""
    units = {"s": 1, "m": 60, "h": 3600, "d": 86400}
    number, unit = (text[:-1], text[-1]) if text and text[-1] in units else (text, "s")
    try:
        value = float(number) * units[unit]
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a duration: {text!r} (give seconds, or 15m, 3h, 1d)"
        ) from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text!r}")
    return value


def threshold(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def port(text: str) -> int:
    """A TCP port, or 0 for a free one."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def count(text: str) -> int:
    """A count, 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, got {text!r}")
    return int(text)


def positive_count(text: str) -> int:
    """A count, 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, got {text!r}")
    return int(text)


def fraction(text: str) -> float:
    """A number from 0 to 1, as F1 scores are."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def split_fraction(text: str) -> float:
    """A share of the images, strictly between 0 and 1."""
    value = fraction(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}")
    return value


def tag(text: str) -> tuple[str, str]:
    key, separator, value = text.partition("=")
    if not separator:
        raise argparse.ArgumentTypeError(f"a tag is KEY=VALUE, got {text!r}")
    return key, value


def global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options accepted before or after the subcommand, as the AWS CLI does."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    off = default(False)  # noqa: FBT003 - the flags' default

    group = parser.add_argument_group("global options")
    group.add_argument("--region", type=region, default=default(None), help="the AWS region")
    group.add_argument("--profile", default=default(None), help="the AWS profile")
    group.add_argument(
        "--endpoint-url", default=default(None), help="send Rekognition calls to this URL"
    )
    group.add_argument("--s3-endpoint-url", default=default(None), help="send S3 calls to this URL")
    group.add_argument(
        "--output",
        choices=("json", "text", "markdown"),
        default=default("json"),
        help="the format of stdout (default json; markdown for gate only)",
    )
    group.add_argument("--quiet", "-q", action="store_true", default=off, help="no progress")
    group.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        default=off,
        help="log what the library does (INFO) on stderr",
    )
    group.add_argument(
        "--debug",
        action="store_true",
        default=off,
        help="log everything, botocore included, and show tracebacks",
    )


def request_options(create: argparse.ArgumentParser, *, version_name: bool = True) -> None:
    """The flags that make a request, as the AWS CLI names them.

    Without ``version_name``, no ``--version-name``: the name comes from elsewhere.
    """
    create.add_argument(
        "--cli-input-json",
        action=Once,
        metavar="file://PATH|-",
        help="the request in the boto3 / AWS CLI JSON shape; flags override it",
    )
    create.add_argument("--project-arn", action=Once)
    if version_name:
        create.add_argument(
            "--version-name",
            action=Once,
            metavar="NAME|auto[:PREFIX]",
            help="auto: a name made from the inputs and the manifests' ETags (reads S3)",
        )
    create.add_argument("--output-config", action=Once, metavar="s3://BUCKET/PREFIX/")
    create.add_argument(
        "--training-data",
        action="append",
        metavar="s3://BUCKET/KEY",
        help="a training manifest (repeatable)",
    )
    create.add_argument(
        "--testing-data",
        action="append",
        metavar="s3://BUCKET/KEY",
        help="a testing manifest (repeatable)",
    )
    create.add_argument(
        "--auto-split",
        action="store_true",
        default=None,
        help="split the training manifest for the test set",
    )
    create.add_argument(
        "--tag", action="append", type=tag, metavar="KEY=VALUE", help="a tag (repeatable)"
    )
    create.add_argument("--kms-key-id", action=Once)
    create.add_argument("--version-description", action=Once)
    create.add_argument(
        "--content-moderation-threshold",
        action=Once,
        type=threshold,
        metavar="N",
        help="train an adapter with this confidence threshold",
    )


def wait_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=duration,
        action=Once,
        metavar="DURATION",
        help=f"give up after this long (seconds, or 15m, 3h; default {_seconds(DEFAULT_TIMEOUT)})",
    )
    parser.add_argument(
        "--poll-interval",
        type=poll_interval,
        action=Once,
        metavar="DURATION",
        help=f"wait this long between polls (default: {SCHEDULE_TEXT})",
    )


def testing_splits(text: str) -> tuple[str, ...]:
    """``--testing-splits``: a comma-separated choice of :data:`YOLO_SPLITS`, or ``none``."""
    if text.strip() == "none":
        return ()
    names = tuple(name.strip() for name in text.split(","))
    wrong = [name for name in names if name not in YOLO_SPLITS]
    if wrong:
        raise argparse.ArgumentTypeError(
            f"{', '.join(map(repr, wrong))}: give {', '.join(YOLO_SPLITS)} (comma-separated) "
            "or none"
        )
    return names
