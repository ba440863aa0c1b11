"""The commands that judge a trained version: ``evaluation``, ``gate``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from rekog_versions.cli._exit import (
    GATE_FAILED,
    INVALID_INPUT,
    NOT_TRAINING,
    OK,
    STILL_TRAINING,
    TRAINING_FAILED,
    Failure,
)
from rekog_versions.cli._options import Command, Once, fraction

if TYPE_CHECKING:
    import argparse

    from rekog_versions.cli._console import Console
    from rekog_versions.cli._session import Session
    from rekog_versions.results import ProjectVersion

__all__ = ["COMMANDS"]


def _evaluation_options(evaluation: argparse.ArgumentParser) -> None:
    evaluation.add_argument("arn", metavar="ARN")
    evaluation.add_argument("--project-arn", action=Once, help="skip looking the project up")


def _run_evaluation(args: argparse.Namespace, session: Session, console: Console) -> int:
    from rekog_versions.gate import metrics_table, text_table  # noqa: PLC0415

    client = session.client()
    version = _judgeable(client.describe(args.arn, project_arn=args.project_arn), "evaluation")
    summary = client.evaluation(version)
    console.result(summary.to_dict(), text_table(*metrics_table(summary)))
    return OK


def _judgeable(version: ProjectVersion, command: str) -> ProjectVersion:
    """``version``, if training wrote its evaluation; otherwise why not, with its code.

    A training still going is :data:`STILL_TRAINING` (try again), a failed one
    :data:`TRAINING_FAILED`, and a version no training made :data:`NOT_TRAINING`: each
    a reason a command cannot judge the version, not a failure of the service.
    """
    from rekog_versions.polling import NOT_TRAINING as WHY  # noqa: PLC0415
    from rekog_versions.polling import PollOutcome, outcome_of  # noqa: PLC0415

    if version.evaluation_summary is not None:
        return version  # trained (hosted or stopped since, too): its results are there
    outcome = outcome_of(version.status)
    cannot = f"{command}: cannot judge {version.arn}"
    if outcome is PollOutcome.IN_PROGRESS:
        raise Failure(
            STILL_TRAINING,
            f"{cannot}: it is still training ({version.status_text}); run again when it ends",
        )
    if outcome is PollOutcome.FAILED:
        reason = f": {version.status_message}" if version.status_message else ""
        raise Failure(TRAINING_FAILED, f"{cannot}: its training failed{reason}")
    if outcome is PollOutcome.NOT_TRAINING:
        raise Failure(NOT_TRAINING, f"{cannot}: {WHY[version.status]}")
    return version  # TRAINING_COMPLETED without a summary: evaluation() says so


def _gate_options(gate: argparse.ArgumentParser) -> None:
    gate.add_argument("candidate", metavar="ARN")
    gate.add_argument(
        "--baseline",
        action=Once,
        metavar="ARN|latest",
        help="compare with this version; latest: the project's newest other trained one",
    )
    gate.add_argument("--min-f1", action=Once, type=fraction, metavar="X", help="aggregate F1")
    gate.add_argument(
        "--min-label-f1", action=Once, type=fraction, metavar="X", help="every label's F1"
    )
    gate.add_argument(
        "--max-f1-drop",
        action=Once,
        type=fraction,
        metavar="X",
        help="the most the aggregate F1 may fall below the baseline's",
    )
    gate.add_argument("--project-arn", action=Once, help="skip looking the project up")


def _run_gate(args: argparse.Namespace, session: Session, console: Console) -> int:
    import attrs  # noqa: PLC0415

    from rekog_versions.gate import QualityGate  # noqa: PLC0415

    gate = QualityGate(
        min_f1=args.min_f1, min_label_f1=args.min_label_f1, max_f1_drop=args.max_f1_drop
    )
    if gate == QualityGate():
        raise Failure(
            INVALID_INPUT, "gate: give at least one of --min-f1, --min-label-f1, --max-f1-drop"
        )
    if args.max_f1_drop is not None and args.baseline is None:
        raise Failure(INVALID_INPUT, "--max-f1-drop compares with a baseline: give --baseline")
    client = session.client()
    candidate = _judgeable(client.describe(args.candidate, project_arn=args.project_arn), "gate")
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
            comparison = client.compare(candidate, _judgeable(baseline, "gate --baseline"))
    result = attrs.evolve(gate.check(candidate, summary, comparison), notes=notes)
    console.result(result.to_dict(), result.to_text(), result.to_markdown())
    return OK if result.passed else GATE_FAILED


COMMANDS: Final = (
    Command(
        "evaluation",
        "show a trained version's per-label metrics",
        "  rekog-versions evaluation arn:aws:rekognition:...:project/cats/version/v2/1 "
        "--output text",
        _evaluation_options,
        _run_evaluation,
    ),
    Command(
        "gate",
        "judge a trained version against quality conditions",
        "  rekog-versions gate arn:aws:rekognition:...:project/cats/version/v3/1 "
        "--baseline latest \\\n"
        '      --min-f1 0.8 --max-f1-drop 0.02 --output markdown >> "$GITHUB_STEP_SUMMARY"',
        _gate_options,
        _run_gate,
    ),
)
