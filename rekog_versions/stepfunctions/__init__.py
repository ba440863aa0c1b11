"""An AWS Step Functions state machine that trains a validated request: no Lambda, no process.

:func:`state_machine` turns a :class:`~rekog_versions.CreateProjectVersionRequest` into an
Amazon States Language definition that uses only Step Functions' AWS SDK integrations:
create the version, then wait, describe and choose on the status, on the library's poll
schedule, until the training ends; a completed training meets the quality gate
(aggregate F1), a failed one ends in a Fail state whose cause is the service's status
message. Each execution trains the version named in its input (``{"VersionName": ...}``);
with ``max_concurrency``, the input's ``VersionNames`` are trained in a ``Map`` state.

The decisions are the library's own, read from where they are written: which errors are
retried and how (:class:`~rekog_versions.RetryPolicy`, the error classes' ``retryable``),
the poll schedule (:data:`~rekog_versions.polling.DEFAULT_POLL_SCHEDULE`), what a status
means (:func:`~rekog_versions.polling.outcome_of`). It needs no extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from rekog_versions.builder import RequestBuilder, built
from rekog_versions.gate import QualityGate
from rekog_versions.stepfunctions._states import Steps, fail, record, step_functions_error

if TYPE_CHECKING:
    from rekog_versions.models import CreateProjectVersionRequest

__all__ = ["EXECUTION_TIMEOUT", "state_machine", "step_functions_error"]

#: Seconds an execution of one training may run, the longest a training takes (24 hours)
#: and an hour more.
EXECUTION_TIMEOUT: Final = 25 * 3600


def _whole(value: object, *, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


def _one_training(steps: Steps, comment: str) -> dict[str, Any]:
    """The definition of an execution that trains the version its input names."""
    return {
        "Comment": comment + ' Input: {"VersionName": "..."}.',
        "StartAt": "Create version",
        "TimeoutSeconds": EXECUTION_TIMEOUT,
        "States": steps.build(),
    }


def _each_training(steps: Steps, comment: str, max_concurrency: int) -> dict[str, Any]:
    """The definition of an execution that trains each version its input lists, in a Map."""
    return {
        "Comment": comment + ' Input: {"VersionNames": ["...", ...]}.',
        "StartAt": "Train each version",
        # No timeout of its own: trainings queue behind MaxConcurrency, so how long the
        # whole takes depends on how many names an execution gets.
        "States": {
            "Train each version": {
                "Type": "Map",
                "ItemsPath": "$.VersionNames",
                "ItemSelector": {"VersionName.$": "$$.Map.Item.Value"},
                "MaxConcurrency": max_concurrency,
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Create version",
                    "States": steps.build(),
                },
                "ResultPath": "$.Results",
                "Next": "Which trained?",
            },
            # One boolean an outcome, without JSONPath over the list, for ArrayContains.
            "Which trained?": {
                "Type": "Map",
                "ItemsPath": "$.Results",
                "ItemSelector": {"Outcome.$": "$$.Map.Item.Value.Outcome"},
                "ItemProcessor": {
                    "ProcessorConfig": {"Mode": "INLINE"},
                    "StartAt": "Trained?",
                    "States": {
                        "Trained?": {
                            "Type": "Choice",
                            "Choices": [
                                {"Variable": "$.Outcome", "StringEquals": "Trained", "Next": "Yes"}
                            ],
                            "Default": "No",
                        },
                        "Yes": {"Type": "Pass", "Result": True, "End": True},
                        "No": {"Type": "Pass", "Result": False, "End": True},
                    },
                },
                "ResultPath": "$.Trained",
                "Next": "All trained?",
            },
            "All trained?": {
                "Type": "Pass",
                "Parameters": {"Any.$": "States.ArrayContains($.Trained, false)"},
                "ResultPath": "$.Failed",
                "Next": "Outcome",
            },
            "Outcome": {
                "Type": "Choice",
                "Choices": [
                    {"Variable": "$.Failed.Any", "BooleanEquals": True, "Next": "Some failed"}
                ],
                "Default": "All trained",
            },
            "Some failed": {
                "Type": "Fail",
                "Error": "TrainingsFailed",
                "CausePath": "States.JsonToString($.Results)",
            },
            "All trained": {"Type": "Pass", "OutputPath": "$.Results", "End": True},
        },
    }


def state_machine(
    request: CreateProjectVersionRequest | RequestBuilder,
    *,
    min_f1: float | None = None,
    poll_interval: int | None = None,
    max_concurrency: int | None = None,
) -> dict[str, Any]:
    """The Amazon States Language definition that trains ``request`` (ready for ``json.dumps``).

    The request is validated (a builder is built) and baked in, but for its
    ``VersionName``, which each execution takes from its input: ``{"VersionName": "v7"}``.

    Args:
        request: The request; its version name is replaced by the execution input's.
        min_f1: The quality gate: a completed training whose aggregate F1
            (``EvaluationResult.F1Score``) is below it ends in ``BelowQualityGate``.
        poll_interval: Whole seconds between polls; by default the library's schedule.
        max_concurrency: Train every name of the input's ``VersionNames`` list, at most
            this many at once (0: no limit), in a ``Map`` state. A failure of one is
            recorded and does not stop the others; the execution then fails with
            ``TrainingsFailed``, whose cause lists every outcome.

    Raises:
        RequestValidationError: The request (or builder) is not valid.
        ValueError: An option is out of range.
    """
    request = built(request, "state_machine()")
    QualityGate(min_f1=min_f1)  # the gate's own rule for its bound: 0 to 1
    if poll_interval is not None and not _whole(poll_interval, least=1):
        raise ValueError(
            f"poll_interval must be a whole number of seconds, at least 1, got {poll_interval!r}"
        )
    if max_concurrency is not None and not _whole(max_concurrency, least=0):
        raise ValueError(f"max_concurrency must be 0 or more, got {max_concurrency!r}")
    comment = (
        f"Trains a version of {request.project_arn} (rekog_versions): create, poll until the "
        "training ends"
        + (f", gate on aggregate F1 >= {min_f1:g}" if min_f1 is not None else "")
        + "."
    )
    end = fail if max_concurrency is None else record
    steps = Steps(request, min_f1=min_f1, poll_interval=poll_interval, end=end)
    if max_concurrency is None:
        return _one_training(steps, comment)
    return _each_training(steps, comment, max_concurrency)
