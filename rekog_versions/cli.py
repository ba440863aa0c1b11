"""``rekog-versions``: create, follow and inspect project versions from a shell or CI job.

Machine output (JSON, or text with ``--output text``) goes to stdout; progress and errors
go to stderr. The exit codes are listed in :data:`EXIT_CODES` and in ``--help``.
"""

from __future__ import annotations

import argparse
import json
import logging
import math
import re
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, NoReturn, TextIO, cast

from rekog_versions._version import VERSION

# Only what --version and --help need is imported here: the rest of the library is
# imported once a command runs, so that the command line starts quickly.

if TYPE_CHECKING:
    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

    from rekog_versions.client import ProjectVersionsClient
    from rekog_versions.errors import Problem
    from rekog_versions.results import ProjectVersion

__all__ = ["EXIT_CODES", "main"]

OK: Final = 0
SERVICE_ERROR: Final = 1
INVALID_INPUT: Final = 2
TRAINING_FAILED: Final = 3
WAIT_TIMED_OUT: Final = 4
MANIFEST_INVALID: Final = 5
NOT_TRAINING: Final = 6
GATE_FAILED: Final = 7
STILL_TRAINING: Final = 75  # EX_TEMPFAIL in sysexits.h: try again later
INTERRUPTED: Final = 130

#: Every exit code and what it means.
EXIT_CODES: Final = {
    OK: "success (for validate-manifest: training would proceed)",
    SERVICE_ERROR: "the service or the connection failed (code, message and request id on stderr)",
    INVALID_INPUT: "invalid input: usage, the request's validation, or preflight problems",
    TRAINING_FAILED: "training ended in TRAINING_FAILED",
    WAIT_TIMED_OUT: "the wait timed out",
    MANIFEST_INVALID: "a manifest would make training fail",
    NOT_TRAINING: "the version is in a status where no training happens (e.g. DELETING)",
    GATE_FAILED: "gate: a quality condition failed (each one named)",
    STILL_TRAINING: "wait --once: the training is still going; poll again at next_poll_at",
    INTERRUPTED: "interrupted (Ctrl-C)",
}

#: The CLI flag of each top-level member, to name it beside the AWS path in messages.
_FLAGS: Final = {
    "ProjectArn": "--project-arn",
    "VersionName": "--version-name",
    "OutputConfig": "--output-config",
    "TrainingData": "--training-data",
    "TestingData": "--testing-data/--auto-split",
    "Tags": "--tag",
    "KmsKeyId": "--kms-key-id",
    "VersionDescription": "--version-description",
    "FeatureConfig": "--content-moderation-threshold",
}

#: Examples of each command: its own in its --help, all of them in rekog-versions --help.
_EXAMPLES: Final = {
    "create": """\
  rekog-versions create --dry-run \\
      --project-arn arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000 \\
      --version-name v2 --output-config s3://bucket/results/ \\
      --training-data s3://bucket/train.manifest --auto-split
  rekog-versions create --cli-input-json file://request.json --version-name auto:cats \\
      --if-exists reuse --preflight --validate-manifests --wait""",
    "describe": "  rekog-versions describe arn:aws:rekognition:...:project/cats/version/v2/1",
    "wait": """\
  rekog-versions wait arn:aws:rekognition:...:project/cats/version/v2/1 --timeout 3h
  rekog-versions wait arn:aws:rekognition:...:project/cats/version/v2/1 --once""",
    "evaluation": (
        "  rekog-versions evaluation arn:aws:rekognition:...:project/cats/version/v2/1 "
        "--output text"
    ),
    "gate": (
        "  rekog-versions gate arn:aws:rekognition:...:project/cats/version/v3/1 "
        "--baseline latest \\\n"
        '      --min-f1 0.8 --max-f1-drop 0.02 --output markdown >> "$GITHUB_STEP_SUMMARY"'
    ),
    "validate-manifest": (
        "  rekog-versions validate-manifest s3://bucket/train.manifest "
        "--testing s3://bucket/test.manifest"
    ),
    "make-manifest": (
        "  rekog-versions make-manifest coco annotations/instances_train.json \\\n"
        "      --images-uri s3://bucket/images/ --manifest s3://bucket/train.manifest \\\n"
        "      --testing-manifest s3://bucket/test.manifest --test-fraction 0.2 --seed 7"
    ),
    "state-machine": (
        "  rekog-versions state-machine --cli-input-json file://request.json --min-f1 0.85 "
        "> training.asl.json"
    ),
    "emulate": (
        "  rekog-versions emulate --training-seconds 10   "
        "# then: export the printed AWS_ENDPOINT_URL_*"
    ),
    "demo": "  rekog-versions demo",
}

_EXIT_CODES_TEXT: Final = "exit codes:\n" + "\n".join(
    f"  {code:<4} {meaning}" for code, meaning in EXIT_CODES.items()
)
_EPILOG: Final = "examples:\n" + "\n".join(_EXAMPLES.values()) + "\n\n" + _EXIT_CODES_TEXT


def _command_epilog(name: str) -> str:
    """A command's own short epilog: its examples, and where the exit codes are."""
    return f"examples:\n{_EXAMPLES[name]}\n\nexit codes: see rekog-versions --help"


class _Failure(Exception):  # noqa: N818 - internal: an exit code and a message
    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


class _Once(argparse.Action):
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


def _duration(text: str) -> float:
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


def _threshold(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {text!r}") from None


def _port(text: str) -> int:
    """A TCP port, or 0 for a free one."""
    if not text.isdigit() or int(text) > 65535:
        raise argparse.ArgumentTypeError(f"expected a port from 0 to 65535, got {text!r}")
    return int(text)


def _count(text: str) -> int:
    """A count, 0 or more."""
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, got {text!r}")
    return int(text)


def _positive_count(text: str) -> int:
    """A count, 1 or more."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, got {text!r}")
    return int(text)


def _fraction(text: str) -> float:
    """A number from 0 to 1, as F1 scores are."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 <= value <= 1:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1, got {text!r}")
    return value


def _split_fraction(text: str) -> float:
    """A share of the images, strictly between 0 and 1."""
    value = _fraction(text)
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"expected a number between 0 and 1, got {text!r}")
    return value


def _tag(text: str) -> tuple[str, str]:
    key, separator, value = text.partition("=")
    if not separator:
        raise argparse.ArgumentTypeError(f"a tag is KEY=VALUE, got {text!r}")
    return key, value


def _global_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """The options accepted before or after the subcommand, as the AWS CLI does."""

    def default(value: object) -> object:
        return argparse.SUPPRESS if suppress else value

    off = default(False)  # noqa: FBT003 - the flags' default

    group = parser.add_argument_group("global options")
    group.add_argument("--region", default=default(None), help="the AWS region")
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


def _make_manifest_options(made: argparse.ArgumentParser) -> None:
    made.add_argument(
        "format",
        choices=("folders", "coco", "yolo", "voc", "csv"),
        help="folders: a folder per label; coco: an instances JSON file; yolo: a folder "
        "with images/, labels/ and classes.txt or data.yaml; voc: a folder of XML files; "
        "csv: image,label[,label...] rows",
    )
    made.add_argument("source", metavar="PATH|s3://BUCKET/PREFIX/")
    made.add_argument(
        "--images-uri",
        action=_Once,
        metavar="s3://BUCKET/PREFIX/",
        help="where the dataset's images are in S3 (not for an s3:// folders source)",
    )
    made.add_argument(
        "--manifest",
        action=_Once,
        required=True,
        metavar="PATH|s3://BUCKET/KEY",
        help="where to write the (training) manifest",
    )
    made.add_argument(
        "--testing-manifest",
        action=_Once,
        metavar="PATH|s3://BUCKET/KEY",
        help="split off a testing manifest here: stratified, the same for the same seed",
    )
    made.add_argument(
        "--test-fraction", action=_Once, type=_split_fraction, default=0.2, metavar="X"
    )
    made.add_argument("--seed", action=_Once, type=_count, default=0, metavar="N")
    made.add_argument("--job-name", action=_Once, default="rekog-versions", metavar="NAME")
    made.add_argument(
        "--check-images",
        action="store_true",
        help="folders from a local tree: read each image's header first and skip the ones "
        "training would refuse (yolo always does; needs the datasets extra)",
    )
    made.add_argument(
        "--images-dir",
        action=_Once,
        metavar="PATH",
        help="coco, voc: a local folder with the images, to read each header (as "
        "--check-images does) and use the real sizes",
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="rekog-versions",
        description="Train Amazon Rekognition Custom Labels models and Custom Moderation "
        "adapters: validated requests, manifests checked first, training followed to "
        "its end.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"rekog-versions {VERSION}")
    _global_options(parser, suppress=False)
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def command(name: str, text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(
            name,
            help=text,
            description=text,
            epilog=_command_epilog(name),
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        _global_options(sub, suppress=True)
        return sub

    _create_options(command("create", "start training a new project version"))

    describe = command("describe", "show a project version")
    describe.add_argument("arn", metavar="ARN")
    describe.add_argument("--project-arn", action=_Once, help="skip looking the project up")

    wait = command("wait", "follow a version's training to its end")
    wait.add_argument("arn", metavar="ARN")
    wait.add_argument("--project-arn", action=_Once, help="skip looking the project up")
    wait.add_argument(
        "--once",
        action="store_true",
        help="look once, print the result (with when to look next) and exit: 0 trained, "
        f"{TRAINING_FAILED} failed, {STILL_TRAINING} still training",
    )
    _wait_options(wait)

    evaluation = command("evaluation", "show a trained version's per-label metrics")
    evaluation.add_argument("arn", metavar="ARN")

    gate = command("gate", "judge a trained version against quality conditions")
    gate.add_argument("candidate", metavar="ARN")
    gate.add_argument(
        "--baseline",
        action=_Once,
        metavar="ARN|latest",
        help="compare with this version; latest: the project's newest other trained one",
    )
    gate.add_argument("--min-f1", action=_Once, type=_fraction, metavar="X", help="aggregate F1")
    gate.add_argument(
        "--min-label-f1", action=_Once, type=_fraction, metavar="X", help="every label's F1"
    )
    gate.add_argument(
        "--max-f1-drop",
        action=_Once,
        type=_fraction,
        metavar="X",
        help="the most the aggregate F1 may fall below the baseline's",
    )
    gate.add_argument("--project-arn", action=_Once, help="skip looking the project up")

    manifest = command("validate-manifest", "check a manifest as the service would")
    manifest.add_argument("source", metavar="PATH|s3://BUCKET/KEY")
    manifest.add_argument("--testing", action=_Once, metavar="PATH|s3://BUCKET/KEY")
    manifest.add_argument("--auto-split", action="store_true")
    manifest.add_argument(
        "--kind", choices=("custom-labels", "content-moderation"), default="custom-labels"
    )
    manifest.add_argument(
        "--check-images",
        action="store_true",
        help="also read every referenced image's header from S3 (needs the datasets extra)",
    )
    manifest.add_argument(
        "--image-workers",
        action=_Once,
        type=_positive_count,
        default=16,
        metavar="N",
        help="images read at once with --check-images (default: 16)",
    )

    _make_manifest_options(command("make-manifest", "write a Ground Truth manifest from a dataset"))

    command("demo", "run the offline end-to-end demo: LocalRekognition on loopback, moto's S3")

    machine = command(
        "state-machine", "print a Step Functions state machine that trains the request"
    )
    _request_options(machine)
    machine.add_argument(
        "--min-f1", action=_Once, type=_fraction, metavar="X", help="the quality gate"
    )
    machine.add_argument(
        "--poll-interval",
        action=_Once,
        type=_duration,
        metavar="DURATION",
        help="whole seconds between polls (default: the library's schedule, 5 s to 60 s)",
    )
    machine.add_argument(
        "--max-concurrency",
        action=_Once,
        type=_count,
        metavar="N",
        help="train the input's VersionNames list, N at a time (0: no limit), in a Map",
    )

    emulate = command(
        "emulate", "serve an emulated Rekognition and S3 on loopback until interrupted"
    )
    emulate.add_argument("--port", type=_port, default=0, help="Rekognition's port (default: free)")
    emulate.add_argument("--s3-port", type=_port, default=0, help="S3's port (default: free)")
    emulate.add_argument(
        "--training-seconds",
        type=_duration,
        default=5.0,
        metavar="DURATION",
        help="how long each training takes (default 5 s)",
    )
    return parser


def _request_options(create: argparse.ArgumentParser) -> None:
    """The flags that make a request, as the AWS CLI names them."""
    create.add_argument(
        "--cli-input-json",
        action=_Once,
        metavar="file://PATH|-",
        help="the request in the boto3 / AWS CLI JSON shape; flags override it",
    )
    create.add_argument("--project-arn", action=_Once)
    create.add_argument(
        "--version-name",
        action=_Once,
        metavar="NAME|auto[:PREFIX]",
        help="auto: a name made from the inputs and the manifests' ETags (reads S3)",
    )
    create.add_argument("--output-config", action=_Once, metavar="s3://BUCKET/PREFIX/")
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
        "--tag", action="append", type=_tag, metavar="KEY=VALUE", help="a tag (repeatable)"
    )
    create.add_argument("--kms-key-id", action=_Once)
    create.add_argument("--version-description", action=_Once)
    create.add_argument(
        "--content-moderation-threshold",
        action=_Once,
        type=_threshold,
        metavar="N",
        help="train an adapter with this confidence threshold",
    )


def _create_options(create: argparse.ArgumentParser) -> None:
    _request_options(create)
    create.add_argument(
        "--dry-run",
        action="store_true",
        help="validate offline and print the request; send nothing",
    )
    create.add_argument(
        "--validate-manifests",
        action="store_true",
        help="validate the referenced manifests first (this reads them from S3, even with "
        "--dry-run)",
    )
    create.add_argument(
        "--preflight", action="store_true", help="check the request against the live project first"
    )
    create.add_argument(
        "--if-exists",
        choices=("error", "reuse"),
        default="error",
        help="reuse: a version of this name and these inputs is returned, not an error",
    )
    create.add_argument("--wait", action="store_true", help="follow the training to its end")
    _wait_options(create)


def _wait_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--timeout",
        type=_duration,
        action=_Once,
        metavar="DURATION",
        help="give up after this long (seconds, or 15m, 3h; default 24h)",
    )
    parser.add_argument(
        "--poll-interval",
        type=_duration,
        action=_Once,
        metavar="DURATION",
        help="wait this long between polls (default: 5 s rising to 60 s)",
    )


def _write(stream: TextIO, text: str) -> None:
    """Write text any stream can take.

    What the stream's encoding cannot take (a file name that is not UTF-8, which Python
    keeps as lone surrogates) is written as a backslash escape, valid in JSON output too.
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = text.encode(encoding, "backslashreplace").decode(encoding, "replace")
    stream.write(text)


class _Console:
    """stdout for results, stderr for people; a live line when stderr is a terminal.

    Everything written to stderr goes through here, under one lock, so that a log
    record or an error never lands on the end of the live line: the line is cleared,
    the record written, and the line drawn again.
    """

    def __init__(self, stdout: TextIO, stderr: TextIO, *, quiet: bool, output: str) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.quiet = quiet
        self.output = output
        self.live = hasattr(stderr, "isatty") and stderr.isatty()
        self._lock = threading.Lock()
        self._live_line: str | None = None

    def progress(self, message: str, *, replace: bool = False) -> None:
        if self.quiet:
            return
        with self._lock:
            if self.live and replace:
                _write(self.stderr, f"\r\x1b[K{message}")
                self._live_line = message
            else:
                self._end_live_line()
                _write(self.stderr, message + "\n")
            self.stderr.flush()

    def _end_live_line(self) -> None:
        """Keep the live line as it is and go on below it."""
        if self._live_line is not None:
            self.stderr.write("\n")
            self._live_line = None

    def log(self, text: str) -> None:
        """A log record: above the live line, which is drawn again below it."""
        with self._lock:
            if self._live_line is not None:
                _write(self.stderr, f"\r\x1b[K{text}\n{self._live_line}")
            else:
                _write(self.stderr, text + "\n")
            self.stderr.flush()

    def error(self, message: str) -> None:
        with self._lock:
            self._end_live_line()
            _write(self.stderr, f"rekog-versions: {message}\n")
            self.stderr.flush()

    def result(self, data: object, text: str, markdown: str | None = None) -> None:
        if self.output == "markdown" and markdown is not None:
            text = markdown
        if self.output == "json":
            _write(self.stdout, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        else:
            _write(self.stdout, text + ("\n" if text and not text.endswith("\n") else ""))
        self.stdout.flush()


#: A request is a few kilobytes; more than this from --cli-input-json is not one.
MAX_CLI_INPUT_BYTES: Final = 1 << 20


def _read_cli_input(value: str, stdin: TextIO | None) -> dict[str, Any]:
    if value == "-":
        if stdin is None or stdin.closed:
            raise _Failure(INVALID_INPUT, "--cli-input-json -: standard input is closed")
        where = "standard input"
        text = stdin.read(MAX_CLI_INPUT_BYTES + 1)
    else:
        if not value.startswith("file://"):
            raise _Failure(INVALID_INPUT, f"--cli-input-json takes file://PATH or -, got {value!r}")
        path = Path(value[len("file://") :])
        where = str(path)
        try:
            with path.open("rb") as handle:  # bounded: /dev/zero is a path too
                data = handle.read(MAX_CLI_INPUT_BYTES + 1)
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise _Failure(
                INVALID_INPUT, f"--cli-input-json: cannot read {path}: {error}"
            ) from None
    if len(text) > MAX_CLI_INPUT_BYTES:
        raise _Failure(
            INVALID_INPUT,
            f"--cli-input-json: {where} holds more than {MAX_CLI_INPUT_BYTES} bytes; "
            "a request is a few kilobytes",
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise _Failure(
            INVALID_INPUT,
            f"--cli-input-json: {where} is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno}",
        ) from None
    except (ValueError, RecursionError) as error:  # a 5,000-digit number, 5,000-deep nesting
        raise _Failure(
            INVALID_INPUT, f"--cli-input-json: {where} cannot be read as a request: {error}"
        ) from None
    if not isinstance(document, dict):
        raise _Failure(
            INVALID_INPUT,
            f"--cli-input-json: {where} must hold a JSON object (the request), "
            f"got {type(document).__name__}",
        )
    return cast("dict[str, Any]", document)


def _request_from(args: argparse.Namespace, stdin: TextIO | None, session: _Session) -> Any:  # noqa: ANN401
    from rekog_versions.builder import RequestBuilder  # noqa: PLC0415

    # Flags override the JSON's members (tags are added to its tags); the builder lays
    # them over it and validates the whole once.
    base: dict[str, Any] = {}
    if args.cli_input_json is not None:
        base = _read_cli_input(args.cli_input_json, stdin)
    builder = RequestBuilder.from_boto(base)
    if args.project_arn is not None:
        builder.project(args.project_arn)
    if args.version_name == "auto" or str(args.version_name).startswith("auto:"):
        prefix = args.version_name.partition(":")[2]
        builder.version_name(auto=prefix or True, s3_client=session.s3())
    elif args.version_name is not None:
        builder.version_name(args.version_name)
    if args.output_config is not None:
        builder.output(args.output_config)
    if args.training_data:
        builder.training_manifest(*args.training_data)
    if args.testing_data:
        builder.testing_manifest(*args.testing_data)
    if args.auto_split:
        builder.auto_split()
    for key, value in args.tag or ():
        builder.tag(key, value)
    if args.kms_key_id is not None:
        builder.kms_key(args.kms_key_id)
    if args.version_description is not None:
        builder.description(args.version_description)
    if args.content_moderation_threshold is not None:
        builder.content_moderation(args.content_moderation_threshold)
    return builder.build()


def _problem_lines(problems: Sequence[Problem]) -> str:
    lines: list[str] = []
    for problem in problems:
        member = problem.path.split(".", 1)[0].split("[", 1)[0]
        flag = _FLAGS.get(member)
        where = f"{problem.path} ({flag})" if flag and problem.path else problem.path
        lines.append(f"  {where}: {problem.message}" if where else f"  {problem.message}")
    return "\n".join(lines)


class _Session:
    """Builds the clients from the global options, once, when a command needs them."""

    def __init__(
        self,
        args: argparse.Namespace,
        rekognition: RekognitionClient | None,
        s3: S3Client | None,
        client: ProjectVersionsClient | None,
        secrets: set[str],
    ) -> None:
        self.args = args
        self._rekognition = rekognition
        self._s3 = s3
        self._client = client
        self._secrets = secrets  # the credentials in use, for the log filter to remove

    def _boto_client(self, service: Literal["rekognition", "s3"], endpoint_url: str | None) -> Any:  # noqa: ANN401
        import boto3  # noqa: PLC0415

        from rekog_versions._aws import default_config, map_errors  # noqa: PLC0415

        with map_errors(f"building a {service} client"):
            session = boto3.Session(profile_name=self.args.profile, region_name=self.args.region)
            built = session.client(service, endpoint_url=endpoint_url, config=default_config())  # pyright: ignore[reportUnknownMemberType]
            credentials = session.get_credentials() if self.args.debug else None
            if credentials is not None:  # only botocore's DEBUG log ever shows them
                frozen = credentials.get_frozen_credentials()
                self._secrets.update(
                    value for value in (frozen.access_key, frozen.secret_key, frozen.token) if value
                )
            return built

    def s3(self) -> S3Client:
        if self._s3 is None:
            self._s3 = cast("S3Client", self._boto_client("s3", self.args.s3_endpoint_url))
        return self._s3

    def client(self) -> ProjectVersionsClient:
        if self._client is None:
            from rekog_versions.client import ProjectVersionsClient  # noqa: PLC0415

            rekognition = self._rekognition
            if rekognition is None:
                rekognition = cast(
                    "RekognitionClient", self._boto_client("rekognition", self.args.endpoint_url)
                )
            self._client = ProjectVersionsClient(rekognition, s3_client=self.s3())
        return self._client


def _version_text(version: ProjectVersion) -> str:
    data = version.to_dict()
    return "\n".join(
        f"{key}: {value}"
        for key, value in data.items()
        if value not in (None, [], {}) and key not in {"training_data", "testing_data"}
    )


#: How often the live line's elapsed time is redrawn, in seconds.
LIVE_REFRESH: Final = 1.0


def _wait_and_show(
    session: _Session,
    console: _Console,
    arn: str,
    args: argparse.Namespace,
    project_arn: str | None,
) -> ProjectVersion:
    started = time.monotonic()
    latest: list[ProjectVersion] = []

    def show(version: ProjectVersion) -> None:
        minutes, seconds = divmod(int(time.monotonic() - started), 60)
        message = f"{version.name}: {version.status_text} ({minutes}m{seconds:02d}s)"
        if version.status_message and version.status_text != "TRAINING_IN_PROGRESS":
            message += f": {version.status_message}"
        console.progress(message, replace=version.status_text == "TRAINING_IN_PROGRESS")

    def on_change(version: ProjectVersion) -> None:
        latest[:] = [version]
        show(version)

    def refresh(stop: threading.Event) -> None:
        """Redraw the live line every second, so that its elapsed time moves."""
        while not stop.wait(LIVE_REFRESH):
            if latest and latest[0].status_text == "TRAINING_IN_PROGRESS":
                show(latest[0])

    stop = threading.Event()
    ticker = threading.Thread(target=refresh, args=(stop,), name="rekog-versions-live", daemon=True)
    if console.live and not console.quiet:
        ticker.start()
    try:
        return session.client().wait(
            arn,
            timeout=args.timeout,
            poll_interval=args.poll_interval,
            on_change=on_change,
            project_arn=project_arn,
        )
    finally:
        stop.set()
        if ticker.is_alive():
            ticker.join()


def _finished(console: _Console, version: ProjectVersion) -> None:
    data = version.to_dict()
    lines = [
        f"{version.arn}: {version.status_text}",
        f"billable training time: {version.billable_training_time or 'unknown'}",
        f"F1 score: {version.f1_score if version.f1_score is not None else 'unknown'}",
    ]
    if version.evaluation_summary is not None:
        lines.append(f"evaluation summary: {version.evaluation_summary.uri}")
    if version.manifest_summary is not None:
        lines.append(f"manifest summary: {version.manifest_summary.uri}")
    lines.extend(f"validation manifest: {item.uri}" for item in version.validation_manifests)
    console.result(data, "\n".join(lines))


def _validate_manifests(session: _Session, console: _Console, request: Any) -> None:  # noqa: ANN401
    from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

    training = request.training_data
    testing = request.testing_data
    if training is None:
        console.progress("no manifests in the request: nothing to validate")
        return
    kind: Literal["custom-labels", "content-moderation"] = (
        "content-moderation" if request.feature_config is not None else "custom-labels"
    )
    for index, asset in enumerate(training.assets):
        testing_asset = None
        if testing is not None and testing.assets and index < len(testing.assets):
            testing_asset = testing.assets[index].manifest
        console.progress(f"validating {asset.manifest.uri} ...")
        report = validate_manifest(
            asset.manifest,
            testing=testing_asset,
            auto_split=bool(testing is not None and testing.auto_create),
            kind=kind,
            s3_client=session.s3(),
        )
        if not report.ok:
            console.error(report.to_text())
            raise _Failure(
                MANIFEST_INVALID, "a manifest would make training fail; nothing was sent"
            )
        console.progress(f"{asset.manifest.uri}: training would proceed")


_MEMBER: Final = re.compile(r"[A-Z][A-Za-z0-9]*")


def _flat(value: object, path: str = "") -> Iterator[str]:
    """``Path: value`` lines, one a leaf, with the paths the validation messages use."""
    if isinstance(value, Mapping):
        for key, item in cast("Mapping[str, object]", value).items():
            if _MEMBER.fullmatch(key):  # an AWS member; a tag key is quoted, as in messages
                yield from _flat(item, f"{path}.{key}" if path else key)
            else:
                yield from _flat(item, f"{path}[{json.dumps(key, ensure_ascii=False)}]")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(cast("Sequence[object]", value)):
            yield from _flat(item, f"{path}[{index}]")
    else:
        yield f"{path}: {json.dumps(value, ensure_ascii=False)}"


def _run_create(
    args: argparse.Namespace, session: _Session, console: _Console, stdin: TextIO | None
) -> int:
    request = _request_from(args, stdin, session)
    if args.dry_run:
        if args.wait or args.preflight:
            raise _Failure(
                INVALID_INPUT,
                "--dry-run sends nothing: it goes with neither --wait nor --preflight",
            )
        if args.validate_manifests:
            _validate_manifests(session, console, request)
        console.result(request.to_boto(), "\n".join(_flat(request.to_boto())))
        return OK
    if args.validate_manifests:
        _validate_manifests(session, console, request)
    from rekog_versions.errors import RequestValidationError  # noqa: PLC0415

    client = session.client()
    if args.preflight:
        problems = client.preflight(request, if_exists=args.if_exists)
        if problems:
            raise RequestValidationError(problems, subject="request, against the live project")
        console.progress("preflight: the project accepts this request")
    arn = client.create(request, if_exists=args.if_exists)
    console.progress(f"{'created' if args.if_exists == 'error' else 'created or reused'} {arn}")
    if not args.wait:
        console.result({"ProjectVersionArn": arn}, arn)
        return OK
    version = _wait_and_show(session, console, arn, args, request.project_arn)
    _finished(console, version)
    return OK


def _run_wait(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    _finished(console, _wait_and_show(session, console, args.arn, args, args.project_arn))
    return OK


def _poll_once(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    from rekog_versions.polling import PollOutcome  # noqa: PLC0415

    if args.timeout is not None:
        raise _Failure(INVALID_INPUT, "--once looks once: it goes without --timeout")
    result = session.client().poll(
        args.arn, poll_interval=args.poll_interval, project_arn=args.project_arn
    )
    data = result.to_dict()
    lines = [f"{result.version.arn}: {result.version.status_text} ({result.outcome.value})"]
    if result.version.status_message:
        lines.append(f"status message: {result.version.status_message}")
    if data["next_poll_at"] is not None:
        lines.append(f"next poll at: {data['next_poll_at']} (in {data['wait_seconds']} s)")
    console.result(data, "\n".join(lines))
    return {
        PollOutcome.COMPLETED: OK,
        PollOutcome.FAILED: TRAINING_FAILED,
        PollOutcome.NOT_TRAINING: NOT_TRAINING,
        PollOutcome.IN_PROGRESS: STILL_TRAINING,
    }[result.outcome]


def _run_gate(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    import attrs  # noqa: PLC0415

    from rekog_versions.comparison import QualityGate  # noqa: PLC0415

    gate = QualityGate(
        min_f1=args.min_f1, min_label_f1=args.min_label_f1, max_f1_drop=args.max_f1_drop
    )
    if gate == QualityGate():
        raise _Failure(
            INVALID_INPUT, "gate: give at least one of --min-f1, --min-label-f1, --max-f1-drop"
        )
    if args.max_f1_drop is not None and args.baseline is None:
        raise _Failure(INVALID_INPUT, "--max-f1-drop compares with a baseline: give --baseline")
    client = session.client()
    candidate = client.describe(args.candidate, project_arn=args.project_arn)
    summary = client.evaluation(candidate)
    comparison = None
    notes: tuple[str, ...] = ()
    if args.baseline is not None:
        baseline = (
            client.latest_trained(candidate.arn, project_arn=args.project_arn)
            if args.baseline == "latest"
            else client.describe(args.baseline)
        )
        if baseline is None:  # the project's first trained version: nothing to compare with
            notes = (
                "--baseline latest: no other version of the project finished training, "
                "so nothing was compared"
                + (" and --max-f1-drop was not checked" if gate.max_f1_drop is not None else ""),
            )
            gate = attrs.evolve(gate, max_f1_drop=None)
        else:
            console.progress(f"baseline: {baseline.arn}")
            comparison = client.compare(candidate, baseline)
    result = attrs.evolve(gate.check(candidate, summary, comparison), notes=notes)
    console.result(result.to_dict(), result.to_text(), result.to_markdown())
    return OK if result.passed else GATE_FAILED


def _run_describe(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    version = session.client().describe(args.arn, project_arn=args.project_arn)
    console.result(version.to_dict(), _version_text(version))
    return OK


def _run_evaluation(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    from rekog_versions.comparison import metrics_table, text_table  # noqa: PLC0415

    summary = session.client().evaluation(args.arn)
    console.result(summary.to_dict(), text_table(*metrics_table(summary)))
    return OK


def _run_validate_manifest(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

    if args.auto_split and args.testing is not None:
        raise _Failure(
            INVALID_INPUT,
            "--auto-split splits the training manifest for the test set: give no "
            "--testing manifest with it",
        )
    needs_s3 = args.check_images or any(
        str(source).startswith("s3://") for source in (args.source, args.testing) if source
    )
    try:
        report = validate_manifest(
            args.source,
            testing=args.testing,
            auto_split=args.auto_split,
            kind=args.kind,
            check_images=args.check_images,
            image_workers=args.image_workers,
            s3_client=session.s3() if needs_s3 else None,
            on_progress=lambda p: console.progress(
                f"{p.dataset}: {p.lines} lines"
                + (f", {p.images_checked}/{p.images_to_check} images" if p.images_to_check else ""),
                replace=True,
            ),
        )
    except (ValueError, ImportError) as error:  # the arguments, as the library judges them
        raise _Failure(INVALID_INPUT, f"validate-manifest: {error}") from None
    console.result(report.to_dict(), report.to_text())
    return OK if report.ok else MANIFEST_INVALID


def _run_make_manifest(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    from rekog_versions import manifests  # noqa: PLC0415

    s3 = any(
        str(place).startswith("s3://")
        for place in (args.source, args.manifest, args.testing_manifest)
        if place
    )
    client = session.s3() if s3 else None
    if args.images_dir is not None and args.format not in ("coco", "voc"):
        raise _Failure(
            INVALID_INPUT,
            f"make-manifest {args.format}: --images-dir is for coco and voc "
            "(folders and yolo read the images where they are)",
        )
    if args.check_images and args.format != "folders":
        raise _Failure(
            INVALID_INPUT,
            f"make-manifest {args.format}: --check-images is for folders (yolo always reads "
            "the headers; for images already in S3, use validate-manifest --check-images)",
        )
    for output in (args.manifest, args.testing_manifest):
        if output and _same_file(output, args.source):
            raise _Failure(
                INVALID_INPUT,
                f"make-manifest: {output} is the dataset it would be made from; "
                "write the manifest elsewhere",
            )
    if args.images_uri is None and args.format not in ("folders", "csv"):
        raise _Failure(
            INVALID_INPUT, f"make-manifest {args.format} needs --images-uri: where its images are"
        )
    try:
        made = manifests.make_manifest(
            _dataset(args, client),
            args.manifest,
            test_output=args.testing_manifest,
            test_fraction=args.test_fraction,
            seed=args.seed,
            job_name=args.job_name,
            s3_client=client,
        )
    except (ValueError, OSError) as error:
        raise _Failure(INVALID_INPUT, f"make-manifest: {error}") from None
    except ImportError as error:
        raise _Failure(
            INVALID_INPUT,
            f"make-manifest {args.format} needs {error.name}: "
            "pip install 'rekog-versions[datasets]'",
        ) from None
    report = manifests.validate_manifest(made.training, testing=made.testing, s3_client=client)
    skipped = [str(item) for item in made.skipped]
    text = [
        f"wrote {made.training_images} lines to {made.training}"
        + (f" and {made.testing_images} to {made.testing}" if made.testing else ""),
        "labels: " + ", ".join(f"{k} {v}" for k, v in made.training_labels.items()),
        f"skipped {len(skipped)}" + (":" if skipped else ""),
        *(f"  {line}" for line in skipped[:_SHOWN_SKIPS]),
        *(
            [f"  ... and {len(skipped) - _SHOWN_SKIPS} more (--output json lists all)"]
            if len(skipped) > _SHOWN_SKIPS
            else []
        ),
        "",
        report.to_text(),
    ]
    console.result({**made.to_dict(), "validation": report.to_dict()}, "\n".join(text))
    return OK if report.ok else MANIFEST_INVALID


def _same_file(first: str, second: str) -> bool:
    """Whether two paths name one existing file.

    ``False`` for an S3 URI, or for a name that no file system takes.
    """
    try:
        return Path(first).samefile(second)
    except (OSError, ValueError):
        return False


def _dataset(args: argparse.Namespace, client: Any) -> Iterable[Any]:  # noqa: ANN401 - an S3Client
    """make-manifest's dataset, read by the converter of its format."""
    from rekog_versions import manifests  # noqa: PLC0415

    if args.format == "folders":
        return manifests.from_folders(
            args.source,
            images_uri=args.images_uri,
            s3_client=client,
            check_images=args.check_images,
        )
    if args.format in ("coco", "voc"):
        reader = manifests.from_coco if args.format == "coco" else manifests.from_voc
        return reader(args.source, images_uri=args.images_uri, images=args.images_dir)
    readers: dict[str, Callable[..., Iterable[Any]]] = {
        "yolo": manifests.from_yolo,
        "csv": manifests.from_csv,
    }
    return readers[args.format](args.source, images_uri=args.images_uri)


#: How many skipped items make-manifest's text output lists.
_SHOWN_SKIPS: Final = 20


def _run_demo(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    del args, session  # the demo builds its own emulated clients
    from rekog_versions.testing.demo import run_demo  # noqa: PLC0415

    return run_demo(console.stdout, console.stderr)


def _run_emulate(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    del session  # the emulator serves; it calls nothing
    from rekog_versions.testing.server import run_emulator  # noqa: PLC0415

    try:
        return run_emulator(
            console.stdout,
            console.stderr,
            port=args.port,
            s3_port=args.s3_port,
            training_seconds=args.training_seconds,
            verbose=args.verbose or args.debug,
        )
    except ValueError as error:  # the settings, as LocalRekognition judges them
        raise _Failure(INVALID_INPUT, f"emulate: {error}") from None


def _run_state_machine(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    from rekog_versions.stepfunctions import state_machine  # noqa: PLC0415

    if args.version_name is not None:
        raise _Failure(
            INVALID_INPUT,
            "state-machine: each execution names its version in its input "
            '({"VersionName": "..."}); give no --version-name',
        )
    interval = args.poll_interval  # seconds, whole for Step Functions' Wait: the library checks
    args.version_name = _EXECUTION_NAME  # stands in for the input's, which replaces it
    request = _request_from(args, None, session)
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
        raise _Failure(INVALID_INPUT, f"state-machine: {error}") from None
    console.result(definition, json.dumps(definition, indent=2, ensure_ascii=False))
    return OK


#: The name a state machine's request is validated with: any valid one; the execution's
#: input gives the real one.
_EXECUTION_NAME: Final = "from-the-execution-input"


def _run_wait_command(args: argparse.Namespace, session: _Session, console: _Console) -> int:
    return _poll_once(args, session, console) if args.once else _run_wait(args, session, console)


def _check_arns(args: argparse.Namespace) -> None:
    """Refuse a malformed ARN argument (exit 2) before any client is built or called."""
    from rekog_versions.arns import ProjectArn, ProjectVersionArn  # noqa: PLC0415

    for name in ("arn", "candidate", "baseline"):
        value = getattr(args, name, None)
        if value is not None and value != "latest":
            ProjectVersionArn.parse(value, path="--baseline" if name == "baseline" else "ARN")
    project = getattr(args, "project_arn", None)
    if project is not None and args.command not in {"create", "state-machine"}:  # in the request
        ProjectArn.parse(project, path="--project-arn")


#: Each command but create (which reads standard input), by name.
_COMMANDS: Final[Mapping[str, Callable[[argparse.Namespace, _Session, _Console], int]]] = {
    "describe": _run_describe,
    "wait": _run_wait_command,
    "evaluation": _run_evaluation,
    "gate": _run_gate,
    "validate-manifest": _run_validate_manifest,
    "make-manifest": _run_make_manifest,
    "demo": _run_demo,
    "emulate": _run_emulate,
    "state-machine": _run_state_machine,
}


def _run(
    args: argparse.Namespace, session: _Session, console: _Console, stdin: TextIO | None
) -> int:
    if args.output == "markdown" and args.command != "gate":
        raise _Failure(INVALID_INPUT, f"--output markdown is for gate, not {args.command}")
    _check_arns(args)
    if args.command == "create":
        return _run_create(args, session, console, stdin)
    return _COMMANDS[args.command](args, session, console)


class _Redact(logging.Filter):
    """Takes credentials out of every record before it is written, at every level.

    botocore's DEBUG log shows the signed request: the access key ID in the
    ``Authorization`` header, the session token in ``X-Amz-Security-Token``, the signature.
    The values of the credentials in use (``secrets``, filled when the clients are built)
    and anything shaped like them are replaced.
    """

    _SHAPES: Final = re.compile(
        r"(?:AKIA|ASIA)[A-Z0-9]{12,}"
        r"|(?<=Signature=)[0-9a-f]{16,}"
        r"|(?i:(?<=security-token['\"]: b['\"])|(?<=security-token: ))[^'\"\s]+"
    )

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    def redact(self, text: str) -> str:
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "<redacted>")
        return self._SHAPES.sub("<redacted>", text)

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = self.redact(record.getMessage())
        record.args = ()
        return True


class _ConsoleHandler(logging.Handler):
    """Writes each record through the console, which keeps it off the live line."""

    def __init__(self, console: _Console) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.console.log(self.format(record))
        except Exception:  # noqa: BLE001 - logging must never raise; it reports instead
            self.handleError(record)


def _configure_logging(
    args: argparse.Namespace, console: _Console
) -> tuple[_Redact, Callable[[], None]]:
    """One handler on stderr for the library (and botocore with --debug), redacting.

    --quiet shows errors only (not the retry warnings), the default warnings, -v INFO,
    --debug everything.
    """
    handler = _ConsoleHandler(console)
    redact = _Redact()
    handler.addFilter(redact)
    if args.verbose or args.debug:
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("rekog-versions: %(levelname)s: %(message)s"))
    if args.debug:
        level = logging.DEBUG
    elif args.verbose:
        level = logging.INFO
    else:
        level = logging.ERROR if args.quiet else logging.WARNING
    loggers = [logging.getLogger("rekog_versions")]
    if args.debug:
        loggers.append(logging.getLogger("botocore"))
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False  # written here once, not again by a root handler

    def undo() -> None:
        for logger in loggers:
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)
            logger.propagate = True

    return redact, undo


def main(  # noqa: PLR0911, PLR0913 - the streams and clients are injectable
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
    stdin_stream: TextIO | None = stdin or sys.stdin
    stdout_stream: TextIO = stdout or sys.stdout
    stderr_stream: TextIO = stderr or sys.stderr
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits 2 on usage errors, 0 on --help/--version
        return int(exit_.code or 0) if not isinstance(exit_.code, str) else INVALID_INPUT
    from rekog_versions.errors import (  # noqa: PLC0415 - after --help and --version
        ClientSideError,
        RekogVersionsError,
        RequestValidationError,
        ServiceError,
        TrainingFailedError,
        UnexpectedStatusError,
        WaitTimeoutError,
    )

    console = _Console(stdout_stream, stderr_stream, quiet=args.quiet, output=args.output)
    redact, undo_logging = _configure_logging(args, console)
    session = _Session(args, rekognition, s3, client, redact.secrets)
    try:
        return _run(args, session, console, stdin_stream)
    except _Failure as failure:
        console.error(str(failure))
        return failure.code
    except RequestValidationError as error:
        console.error(
            f"{len(error.problems)} problem{'s' * (len(error.problems) != 1)} in the "
            f"{error.subject}; nothing was sent:\n{_problem_lines(error.problems)}"
        )
        return INVALID_INPUT
    except TrainingFailedError as error:
        console.error(str(error))
        _finished(console, error.version)
        return TRAINING_FAILED
    except UnexpectedStatusError as error:
        console.error(str(error))
        return NOT_TRAINING
    except WaitTimeoutError as error:
        console.error(str(error))
        return WAIT_TIMED_OUT
    except (ServiceError, ClientSideError) as error:
        console.error(str(error))
        return SERVICE_ERROR
    except RekogVersionsError as error:
        console.error(str(error))
        return SERVICE_ERROR
    except KeyboardInterrupt:
        console.error("interrupted")
        return INTERRUPTED
    except Exception as error:
        if args.debug:
            raise
        console.error(
            f"unexpected error ({type(error).__name__}): {error}; run with --debug for details"
        )
        return SERVICE_ERROR
    finally:
        undo_logging()


def entry_point() -> NoReturn:
    """The ``rekog-versions`` console script."""
    sys.exit(main())
