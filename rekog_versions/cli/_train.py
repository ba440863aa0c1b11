"""The commands that train and follow: ``create``, ``describe``, ``wait``."""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Final, cast

from rekog_versions._defaults import DEFAULT_FEATURE
from rekog_versions.cli._exit import (
    INVALID_INPUT,
    MANIFEST_INVALID,
    NOT_TRAINING,
    OK,
    STILL_TRAINING,
    TRAINING_FAILED,
    Failure,
)
from rekog_versions.cli._options import Command, Once, request_options, wait_options
from rekog_versions.cli._session import request_from

if TYPE_CHECKING:
    import argparse

    from rekog_versions._defaults import Feature
    from rekog_versions.cli._console import Console
    from rekog_versions.cli._session import Session
    from rekog_versions.models import CreateProjectVersionRequest
    from rekog_versions.results import ProjectVersion

__all__ = ["COMMANDS", "finished"]

#: How often the live line's elapsed time is redrawn, in seconds.
LIVE_REFRESH: Final = 1.0


def _training(version: ProjectVersion) -> bool:
    """Whether the version's training goes on, as a wait judges it."""
    from rekog_versions.polling import PollOutcome, outcome_of  # noqa: PLC0415

    return outcome_of(version.status) is PollOutcome.IN_PROGRESS


def _wait_and_show(
    session: Session, console: Console, arn: str, args: argparse.Namespace, project_arn: str | None
) -> ProjectVersion:
    """Wait for the training, showing each status (and a live line on a terminal)."""
    started = time.monotonic()
    latest: list[ProjectVersion] = []

    def show(version: ProjectVersion) -> None:
        minutes, seconds = divmod(int(time.monotonic() - started), 60)
        message = f"{version.name}: {version.status_text} ({minutes}m{seconds:02d}s)"
        going = _training(version)
        if version.status_message and not going:
            message += f": {version.status_message}"
        console.progress(message, replace=going)

    def on_change(version: ProjectVersion) -> None:
        latest[:] = [version]
        show(version)

    def refresh(stop: threading.Event) -> None:
        """Redraw the live line every second, so that its elapsed time moves."""
        while not stop.wait(LIVE_REFRESH):
            if latest and _training(latest[0]):
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


def finished(console: Console, version: ProjectVersion) -> None:
    """Print a version whose training ended: where its results are."""
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


def _validate_manifests(
    session: Session, console: Console, request: CreateProjectVersionRequest
) -> None:
    """Validate the request's manifests (exit 5 if training would fail on them)."""
    from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

    training = request.training_data
    testing = request.testing_data
    if training is None:
        console.progress("no manifests in the request: nothing to validate")
        return
    feature: Feature = (
        "CONTENT_MODERATION" if request.feature_config is not None else DEFAULT_FEATURE
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
            feature=feature,
            s3_client=session.s3(),
        )
        if not report.ok:
            console.error(report.to_text())
            raise Failure(MANIFEST_INVALID, "a manifest would make training fail; nothing was sent")
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


# -- create ------------------------------------------------------------------------------


def _create_options(create: argparse.ArgumentParser) -> None:
    request_options(create)
    create.add_argument(
        "--dry-run",
        action="store_true",
        help="validate offline and print the request; send nothing",
    )
    create.add_argument(
        "--validate-manifests",
        action="store_true",
        help="validate the referenced manifests first (this reads them from S3, even with "
        "--dry-run; needs the manifests extra)",
    )
    create.add_argument(
        "--preflight", action="store_true", help="check the request against the live project first"
    )
    create.add_argument(
        "--if-exists",
        choices=("error", "reuse"),
        default="error",
        help="reuse: a version of this name and these inputs is returned, not an error "
        "(default: %(default)s)",
    )
    create.add_argument("--wait", action="store_true", help="follow the training to its end")
    wait_options(create)


def _run_create(args: argparse.Namespace, session: Session, console: Console) -> int:
    request = request_from(args, session)
    if args.dry_run:
        if args.wait or args.preflight:
            raise Failure(
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
    finished(console, _wait_and_show(session, console, arn, args, request.project_arn))
    return OK


# -- describe ----------------------------------------------------------------------------


def _describe_options(describe: argparse.ArgumentParser) -> None:
    describe.add_argument("arn", metavar="ARN")
    describe.add_argument("--project-arn", action=Once, help="skip looking the project up")


def _version_text(version: ProjectVersion) -> str:
    data = version.to_dict()
    return "\n".join(
        f"{key}: {value}"
        for key, value in data.items()
        if value not in (None, [], {}) and key not in {"training_data", "testing_data"}
    )


def _run_describe(args: argparse.Namespace, session: Session, console: Console) -> int:
    version = session.client().describe(args.arn, project_arn=args.project_arn)
    console.result(version.to_dict(), _version_text(version))
    return OK


# -- wait --------------------------------------------------------------------------------


def _wait_command_options(wait: argparse.ArgumentParser) -> None:
    wait.add_argument("arn", metavar="ARN")
    wait.add_argument("--project-arn", action=Once, help="skip looking the project up")
    wait.add_argument(
        "--once",
        action="store_true",
        help="look once, print the result (with when to look next) and exit: 0 trained, "
        f"{TRAINING_FAILED} failed, {STILL_TRAINING} still training",
    )
    wait_options(wait)


def _poll_once(args: argparse.Namespace, session: Session, console: Console) -> int:
    from rekog_versions.polling import PollOutcome  # noqa: PLC0415

    if args.timeout is not None:
        raise Failure(INVALID_INPUT, "--once looks once: it goes without --timeout")
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


def _run_wait(args: argparse.Namespace, session: Session, console: Console) -> int:
    if args.once:
        return _poll_once(args, session, console)
    finished(console, _wait_and_show(session, console, args.arn, args, args.project_arn))
    return OK


COMMANDS: Final = (
    Command(
        "create",
        "start training a new project version",
        """\
  rekog-versions create --dry-run \\
      --project-arn arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000 \\
      --version-name v2 --output-config s3://bucket/results/ \\
      --training-data s3://bucket/train.manifest --auto-split
  rekog-versions create --cli-input-json file://request.json --version-name auto:cats \\
      --if-exists reuse --preflight --validate-manifests --wait""",
        _create_options,
        _run_create,
    ),
    Command(
        "describe",
        "show a project version",
        "  rekog-versions describe arn:aws:rekognition:...:project/cats/version/v2/1",
        _describe_options,
        _run_describe,
    ),
    Command(
        "wait",
        "follow a version's training to its end",
        """\
  rekog-versions wait arn:aws:rekognition:...:project/cats/version/v2/1 --timeout 3h
  rekog-versions wait arn:aws:rekognition:...:project/cats/version/v2/1 --once""",
        _wait_command_options,
        _run_wait,
    ),
)
