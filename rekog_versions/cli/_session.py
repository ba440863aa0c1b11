"""What a command works with: the clients its global options make, and its request.

:class:`Session` builds the boto3 clients once, when a command first needs them, with the
library's one client factory; :func:`request_from` makes the request of ``create`` and
``state-machine`` from ``--cli-input-json`` and the flags, validated by the builder.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal, TextIO, cast

from rekog_versions.cli._exit import INVALID_INPUT, Failure

if TYPE_CHECKING:
    import argparse
    from collections.abc import Sequence

    from mypy_boto3_rekognition import RekognitionClient
    from mypy_boto3_s3 import S3Client

    from rekog_versions.client import ProjectVersionsClient
    from rekog_versions.errors import Problem
    from rekog_versions.models import CreateProjectVersionRequest

__all__ = ["Session", "problem_lines", "request_from"]

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

#: A request is a few kilobytes; more than this from --cli-input-json is not one.
MAX_CLI_INPUT_BYTES: Final = 1 << 20


def _read_cli_input(value: str, stdin: TextIO | None) -> dict[str, Any]:
    """The request in ``--cli-input-json``'s file or standard input (exit 2 if it is none)."""
    if value == "-":
        if stdin is None or stdin.closed:
            raise Failure(INVALID_INPUT, "--cli-input-json -: standard input is closed")
        where = "standard input"
        text = stdin.read(MAX_CLI_INPUT_BYTES + 1)
    else:
        if not value.startswith("file://"):
            raise Failure(INVALID_INPUT, f"--cli-input-json takes file://PATH or -, got {value!r}")
        path = Path(value[len("file://") :])
        where = str(path)
        try:
            with path.open("rb") as handle:  # bounded: /dev/zero is a path too
                data = handle.read(MAX_CLI_INPUT_BYTES + 1)
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise Failure(INVALID_INPUT, f"--cli-input-json: cannot read {path}: {error}") from None
    if len(text) > MAX_CLI_INPUT_BYTES:
        raise Failure(
            INVALID_INPUT,
            f"--cli-input-json: {where} holds more than {MAX_CLI_INPUT_BYTES} bytes; "
            "a request is a few kilobytes",
        )
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise Failure(
            INVALID_INPUT,
            f"--cli-input-json: {where} is not valid JSON: {error.msg} at line {error.lineno} "
            f"column {error.colno}",
        ) from None
    except (ValueError, RecursionError) as error:  # a 5,000-digit number, 5,000-deep nesting
        raise Failure(
            INVALID_INPUT, f"--cli-input-json: {where} cannot be read as a request: {error}"
        ) from None
    if not isinstance(document, dict):
        raise Failure(
            INVALID_INPUT,
            f"--cli-input-json: {where} must hold a JSON object (the request), "
            f"got {type(document).__name__}",
        )
    return cast("dict[str, Any]", document)


def problem_lines(problems: Sequence[Problem]) -> str:
    lines: list[str] = []
    for problem in problems:
        member = problem.path.split(".", 1)[0].split("[", 1)[0]
        flag = _FLAGS.get(member)
        where = f"{problem.path} ({flag})" if flag and problem.path else problem.path
        lines.append(f"  {where}: {problem.message}" if where else f"  {problem.message}")
    return "\n".join(lines)


class Session:
    """Builds the clients from the global options, once, when a command needs them.

    Args:
        args: The parsed command line.
        stdin: Where ``--cli-input-json -`` reads from.
        rekognition: A Rekognition client to use instead of building one (for tests).
        s3: An S3 client to use instead of building one (for tests).
        client: A ProjectVersionsClient to use (for tests).
        secrets: Filled with the credentials in use, for the log filter to remove.
    """

    def __init__(  # noqa: PLR0913 - every client can be given
        self,
        args: argparse.Namespace,
        stdin: TextIO | None,
        *,
        rekognition: RekognitionClient | None,
        s3: S3Client | None,
        client: ProjectVersionsClient | None,
        secrets: set[str],
    ) -> None:
        self.args = args
        self.stdin = stdin
        self._rekognition = rekognition
        self._s3 = s3
        self._client = client
        self._secrets = secrets
        self._session: Any = None

    def _boto_client(self, service: Literal["rekognition", "s3"], endpoint_url: str | None) -> Any:  # noqa: ANN401 - the service's client
        from rekog_versions._aws import boto3_client, boto3_session  # noqa: PLC0415

        if self._session is None:
            self._session = boto3_session(
                profile_name=self.args.profile, region_name=self.args.region or self._arn_region()
            )
        built = boto3_client(service, session=self._session, endpoint_url=endpoint_url)
        credentials = self._session.get_credentials() if self.args.debug else None
        if credentials is not None:  # only botocore's DEBUG log ever shows them
            frozen = credentials.get_frozen_credentials()
            self._secrets.update(
                value for value in (frozen.access_key, frozen.secret_key, frozen.token) if value
            )
        return built

    def _arn_region(self) -> str | None:
        """The region of the version the command names, when ``--region`` is not given.

        A version's calls go to its own region, whatever the configured one is.
        """
        from rekog_versions.arns import region_of  # noqa: PLC0415

        for name in ("arn", "candidate"):
            value = getattr(self.args, name, None)
            if isinstance(value, str):  # checked as an ARN before any client is built
                return region_of(value)
        return None

    def s3(self) -> S3Client:
        """The S3 client (``--s3-endpoint-url``, ``--region``, ``--profile``)."""
        if self._s3 is None:
            self._s3 = cast("S3Client", self._boto_client("s3", self.args.s3_endpoint_url))
        return self._s3

    def client(self) -> ProjectVersionsClient:
        """The library's client, on the Rekognition and S3 clients of the options."""
        if self._client is None:
            from rekog_versions.client import ProjectVersionsClient  # noqa: PLC0415

            rekognition = self._rekognition
            if rekognition is None:
                rekognition = cast(
                    "RekognitionClient", self._boto_client("rekognition", self.args.endpoint_url)
                )
            self._client = ProjectVersionsClient(rekognition, s3_client=self.s3())
        return self._client


def request_from(
    args: argparse.Namespace, session: Session, *, stand_in: tuple[str, str] | None = None
) -> CreateProjectVersionRequest:
    """The request of ``--cli-input-json`` and the flags, built and validated once.

    Flags override the JSON's members (tags are added to its tags).

    Args:
        args: The command's arguments.
        session: Where standard input and the clients come from.
        stand_in: For a command whose version name comes from elsewhere: the name the
            request is validated with, and the command, which refuses a JSON that
            names a version (it would be dropped).

    Raises:
        Failure: ``--cli-input-json`` cannot be read as a request, or names a version
            when ``stand_in`` is given (exit 2).
        RequestValidationError: The request breaks a rule.
    """
    from rekog_versions.builder import RequestBuilder  # noqa: PLC0415

    base: dict[str, Any] = {}
    if args.cli_input_json is not None:
        base = _read_cli_input(args.cli_input_json, session.stdin)
    name: str | None = getattr(args, "version_name", None)
    if stand_in is not None:
        if "VersionName" in base:
            raise Failure(
                INVALID_INPUT,
                f"{stand_in[1]}: each execution names its version in its input "
                '({"VersionName": "..."}); --cli-input-json names one '
                f"({base['VersionName']!r}), which would be dropped: remove it",
            )
        name = stand_in[0]
    builder = RequestBuilder.from_boto(base)
    if args.project_arn is not None:
        builder.project(args.project_arn)
    if name == "auto" or str(name).startswith("auto:"):
        prefix = str(name).partition(":")[2]
        builder.version_name(auto=prefix or True, s3_client=session.s3())
    elif name is not None:
        builder.version_name(name)
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
