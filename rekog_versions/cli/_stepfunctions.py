"""The command that writes a Step Functions state machine: ``state-machine``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

from rekog_versions.cli._exit import INVALID_INPUT, OK, Failure
from rekog_versions.cli._options import (
    SCHEDULE_TEXT,
    Command,
    Once,
    count,
    duration,
    fraction,
    request_options,
)
from rekog_versions.cli._session import request_from

if TYPE_CHECKING:
    import argparse

    from rekog_versions.cli._console import Console
    from rekog_versions.cli._session import Session

__all__ = ["COMMANDS"]

#: The name a state machine's request is validated with: any valid one; the execution's
#: input gives the real one.
_EXECUTION_NAME: Final = "from-the-execution-input"


def _options(machine: argparse.ArgumentParser) -> None:
    request_options(machine, version_name=False)  # each execution's input names it
    machine.add_argument(
        "--min-f1", action=Once, type=fraction, metavar="X", help="the quality gate"
    )
    machine.add_argument(
        "--poll-interval",
        action=Once,
        type=duration,
        metavar="DURATION",
        help=f"whole seconds between polls (default: the library's schedule, {SCHEDULE_TEXT})",
    )
    machine.add_argument(
        "--max-concurrency",
        action=Once,
        type=count,
        metavar="N",
        help="train the input's VersionNames list, N at a time (0: no limit), in a Map",
    )


def _run(args: argparse.Namespace, session: Session, console: Console) -> int:
    from rekog_versions.stepfunctions import state_machine  # noqa: PLC0415

    interval = args.poll_interval  # seconds, whole for Step Functions' Wait: the library checks
    # A name stands in for the input's, which replaces it in each execution.
    request = request_from(args, session, stand_in=(_EXECUTION_NAME, "state-machine"))
    try:
        definition = state_machine(
            request,
            min_f1=args.min_f1,
            poll_interval=int(interval)
            if interval is not None and interval.is_integer()
            else interval,
            max_concurrency=args.max_concurrency,
        )
    except ValueError as error:
        raise Failure(INVALID_INPUT, f"state-machine: {error}") from None
    console.result(definition, json.dumps(definition, indent=2, ensure_ascii=False))
    return OK


COMMANDS: Final = (
    Command(
        "state-machine",
        "print a Step Functions state machine that trains the request",
        "  rekog-versions state-machine --cli-input-json file://request.json --min-f1 0.85 "
        "> training.asl.json",
        _options,
        _run,
    ),
)
