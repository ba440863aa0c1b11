"""``rekog-versions``: create, follow and inspect project versions from a shell or CI job.

Machine output (JSON, or text with ``--output text``) goes to stdout; progress and errors
go to stderr. The exit codes are listed in :data:`EXIT_CODES` and in ``--help``.

The package: this module is the entry point; the exit codes are in ``_exit``, what is
written in ``_console``, the options in ``_options``, the clients and the request in
``_session``; each group of commands is a module of its own (``_train``, ``_results``,
``_manifests``, ``_stepfunctions``, ``_local``). Only what ``--version`` and ``--help``
need is imported before a command runs, so that the command line starts quickly.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Final, NoReturn, TextIO, cast

from rekog_versions._version import VERSION
from rekog_versions.cli import _local, _manifests, _results, _stepfunctions, _train
from rekog_versions.cli._console import Console, configure_logging
from rekog_versions.cli._exit import (
    EXIT_CODES,
    INTERRUPTED,
    INVALID_INPUT,
    NOT_TRAINING,
    SERVICE_ERROR,
    TERMINATED,
    TRAINING_FAILED,
    WAIT_TIMED_OUT,
    Failure,
    Terminated,
)
from rekog_versions.cli._options import global_options
from rekog_versions.cli._session import Session, problem_lines

if TYPE_CHECKING:
    from collections.abc import Sequence

    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

    from rekog_versions.cli._options import Command
    from rekog_versions.client import ProjectVersionsClient

__all__ = ["EXIT_CODES", "entry_point", "main"]

#: Every command, in the order ``--help`` lists them.
_COMMANDS: Final[tuple[Command, ...]] = (
    *_train.COMMANDS,
    *_results.COMMANDS,
    *_manifests.COMMANDS,
    *_stepfunctions.COMMANDS,
    *_local.COMMANDS,
)

_EXIT_CODES_TEXT: Final = "exit codes:\n" + "\n".join(
    f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES.items()
)


def _parser() -> argparse.ArgumentParser:
    """The parser of the whole command line, from each command's definition."""
    parser = argparse.ArgumentParser(
        prog="rekog-versions",
        description="Train Amazon Rekognition Custom Labels models and Custom Moderation "
        "adapters: validated requests, manifests checked first, training followed to "
        "its end.",
        epilog="examples:\n"
        + "\n".join(command.examples for command in _COMMANDS)
        + "\n\n"
        + _EXIT_CODES_TEXT,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"rekog-versions {VERSION}")
    global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for command in _COMMANDS:
        sub = commands.add_parser(
            command.name,
            help=command.summary,
            description=command.summary,
            epilog=f"examples:\n{command.examples}\n\nexit codes: see rekog-versions --help",
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        global_options(sub, suppress=True)
        command.options(sub)
        sub.set_defaults(run=command.run)
    return parser


#: Library parameters whose flag is not their name: the rest are argparse's own dests.
_RENAMED: Final = {"region_name": "--region"}


def _flags(parser: argparse.ArgumentParser) -> dict[str, str]:
    """Each parameter the library may name in a message (``check_images``), and its flag.

    Read from the parser: every option whose destination is a name of several words, as
    the library's parameters are (``poll_interval`` is ``--poll-interval``).
    """
    found: dict[str, str] = dict(_RENAMED)
    parsers = [parser]
    while parsers:
        for action in parsers.pop()._actions:  # noqa: SLF001 - argparse keeps them there
            choices: object = action.choices
            if isinstance(choices, dict):  # the commands: a parser each
                parsers.extend(
                    sub
                    for sub in cast("dict[str, object]", choices).values()
                    if isinstance(sub, argparse.ArgumentParser)
                )
            elif "_" in action.dest and action.option_strings:
                found.setdefault(action.dest, action.option_strings[-1])
    return found


def _check_arns(args: argparse.Namespace) -> None:
    """Refuse a malformed ARN argument (exit 2) before any client is built or called."""
    from rekog_versions.arns import ProjectArn, ProjectVersionArn  # noqa: PLC0415

    for name in ("arn", "candidate", "baseline"):
        value = getattr(args, name, None)
        if value is not None and value != "latest":
            parsed = ProjectVersionArn.parse(
                value, path="--baseline" if name == "baseline" else "ARN"
            )
            if args.region is not None and parsed.region != args.region:
                raise Failure(
                    INVALID_INPUT,
                    f"{value} is in {parsed.region}, but --region says {args.region}: its "
                    "calls go to its own region (leave --region out)",
                )
    project = getattr(args, "project_arn", None)
    if project is not None and args.command not in {"create", "state-machine"}:  # in the request
        ProjectArn.parse(project, path="--project-arn")


def _run(args: argparse.Namespace, session: Session, console: Console) -> int:
    """Run the command the arguments name."""
    if args.output == "markdown" and args.command != "gate":
        raise Failure(INVALID_INPUT, f"--output markdown is for gate, not {args.command}")
    _check_arns(args)
    return int(args.run(args, session, console))


def _failed(error: Exception, console: Console) -> int:  # noqa: PLR0911 - one code a kind
    """Say why a command failed, on stderr; return its exit code."""
    from rekog_versions.errors import (  # noqa: PLC0415 - only once a command ran
        MissingExtraError,
        RekogVersionsError,
        RequestValidationError,
        TrainingFailedError,
        UnexpectedStatusError,
        WaitTimeoutError,
    )

    if isinstance(error, Failure):
        console.error(str(error))
        return error.code
    if isinstance(error, RequestValidationError):
        count = len(error.problems)
        console.error(
            f"{count} problem{'s' * (count != 1)} in the {error.subject}; nothing was sent:\n"
            f"{problem_lines(error.problems)}"
        )
        return INVALID_INPUT
    if not isinstance(error, RekogVersionsError):
        console.error(
            f"unexpected error ({type(error).__name__}): {error}; run with --debug for details"
        )
        return SERVICE_ERROR
    console.error(str(error))
    if isinstance(error, MissingExtraError):
        return INVALID_INPUT
    if isinstance(error, TrainingFailedError):
        _train.finished(console, error.version)
        return TRAINING_FAILED
    if isinstance(error, UnexpectedStatusError):
        return NOT_TRAINING
    if isinstance(error, WaitTimeoutError):
        return WAIT_TIMED_OUT
    return SERVICE_ERROR


def main(  # noqa: PLR0913 - the streams and clients are injectable
    argv: Sequence[str] | None = None,
    *,
    rekognition: RekognitionClient | None = None,
    s3: S3Client | None = None,
    client: ProjectVersionsClient | None = None,
    stdin: TextIO | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
) -> int:
    """Run the command line; return the exit code.

    Args:
        argv: The arguments (default ``sys.argv[1:]``).
        rekognition: A Rekognition client to use instead of building one (for tests).
        s3: An S3 client to use instead of building one (for tests).
        client: A ProjectVersionsClient to use (for tests: a fake clock and sleep).
        stdin: Where ``--cli-input-json -`` reads from.
        stdout: Where results go.
        stderr: Where progress and errors go.
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else INVALID_INPUT
    console = Console(
        stdout or sys.stdout, stderr or sys.stderr, quiet=args.quiet, output=args.output
    )
    console.flags = _flags(parser)  # errors name the flags a user typed, not parameters
    redact, undo_logging = configure_logging(args, console)
    session = Session(
        args,
        stdin or sys.stdin,
        rekognition=rekognition,
        s3=s3,
        client=client,
        secrets=redact.secrets,
    )
    try:
        return _run(args, session, console)
    except KeyboardInterrupt as stop:
        if isinstance(stop, Terminated):
            console.error("terminated")
            return TERMINATED
        console.error("interrupted")
        return INTERRUPTED
    except Exception as error:
        if args.debug and not isinstance(error, Failure):
            from rekog_versions.errors import RekogVersionsError  # noqa: PLC0415

            if not isinstance(error, RekogVersionsError):
                raise
        return _failed(error, console)
    finally:
        undo_logging()


def entry_point() -> NoReturn:
    """The ``rekog-versions`` console script; SIGTERM stops it as Ctrl-C does."""
    import signal  # noqa: PLC0415 - the script only: main() leaves the caller's signals alone

    def terminate(signum: int, frame: object) -> None:  # noqa: ARG001 - signal's signature
        raise Terminated

    signal.signal(signal.SIGTERM, terminate)
    sys.exit(main())
