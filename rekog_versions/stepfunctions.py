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
means (:data:`~rekog_versions.polling.NOT_TRAINING`).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

from rekog_versions._retry import RetryPolicy
from rekog_versions.builder import RequestBuilder, built
from rekog_versions.comparison import QualityGate
from rekog_versions.errors import ERROR_CLASSES
from rekog_versions.polling import DEFAULT_POLL_SCHEDULE, NOT_TRAINING

if TYPE_CHECKING:
    from collections.abc import Callable

    from rekog_versions.models import CreateProjectVersionRequest

__all__ = ["state_machine", "step_functions_error"]

#: How long an execution of one training may run: the longest a training takes (24 hours),
#: and an hour.
EXECUTION_TIMEOUT: Final = 25 * 3600

_SDK: Final = "arn:aws:states:::aws-sdk:rekognition:"


def step_functions_error(code: str) -> str:
    """The name Step Functions gives an AWS SDK integration's error with this code.

    ``Rekognition.`` and the code, with an ``Exception`` suffix where the code has none,
    as the Step Functions guide's page on AWS SDK integrations says:
    ``InternalServerError`` is ``Rekognition.InternalServerErrorException``.
    """
    return f"Rekognition.{code if code.endswith('Exception') else code + 'Exception'}"


def _retry() -> list[dict[str, Any]]:
    """The library's retries, in Step Functions' terms: the same errors, backoff and bound."""
    policy = RetryPolicy()
    transient = sorted(
        step_functions_error(code) for code, cls in ERROR_CLASSES.items() if cls.default_retryable
    )
    return [
        {
            "ErrorEquals": transient,
            "IntervalSeconds": max(1, math.ceil(policy.base_delay)),
            "BackoffRate": 2.0,
            "MaxAttempts": policy.max_attempts - 1,  # retries, after the first request
            "MaxDelaySeconds": max(1, math.ceil(policy.max_delay)),
            "JitterStrategy": "FULL",
        }
    ]


def _schedule(poll_interval: int | None) -> list[int]:
    """The waits before each poll; the last repeats."""
    if poll_interval is not None:
        return [poll_interval]
    return [math.ceil(seconds) for seconds in DEFAULT_POLL_SCHEDULE]


class _Steps:
    """The states that train one version, named from its input's ``VersionName``.

    ``end`` makes each terminal state: a Fail (one training an execution) or a Pass that
    records the outcome (an iteration of the Map, so that one failure does not stop the
    others).
    """

    def __init__(
        self,
        request: CreateProjectVersionRequest,
        *,
        min_f1: float | None,
        poll_interval: int | None,
        end: Callable[[str, dict[str, Any]], dict[str, Any]],
    ) -> None:
        self.request = request
        self.min_f1 = min_f1
        self.schedule = _schedule(poll_interval)
        self.end = end
        self.states: dict[str, Any] = {}

    def build(self) -> dict[str, Any]:
        parameters: dict[str, Any] = dict(self.request.to_boto())
        del parameters["VersionName"]
        parameters["VersionName.$"] = "$.VersionName"
        self.states["Create version"] = {
            "Type": "Task",
            "Comment": "CreateProjectVersion with the validated request; the name is the input's",
            "Resource": f"{_SDK}createProjectVersion",
            "Parameters": parameters,
            "ResultSelector": {"ProjectVersionArn.$": "$.ProjectVersionArn"},
            "ResultPath": "$.Version",
            "Retry": _retry(),
            "Catch": [
                {
                    "ErrorEquals": [step_functions_error("ResourceInUseException")],
                    "ResultPath": "$.Error",
                    "Next": "Version name taken",
                }
            ],
            "Next": "Start polling",
        }
        self.states["Version name taken"] = self.end(
            "VersionNameTaken",
            {
                "Cause.$": "States.Format('the version name {} is taken in this project "
                "(ResourceInUseException): give each execution a new VersionName. If this "
                "execution created it and lost the answer, describe the version', "
                "$.VersionName)"
            },
        )
        self.states["Start polling"] = {
            "Type": "Pass",
            "Result": {"Polls": 0},
            "ResultPath": "$.Poll",
            "Next": "Next wait",
        }
        self._waits()
        self.states["Describe version"] = {
            "Type": "Task",
            "Resource": f"{_SDK}describeProjectVersions",
            "Parameters": {
                "ProjectArn": self.request.project_arn,
                "VersionNames.$": "States.Array($.VersionName)",
            },
            # The description is picked in a state of its own: a version not listed yet
            # (just after its creation) leaves nothing to pick, and is polled again.
            "ResultSelector": {
                "Listed.$": "States.ArrayLength($.ProjectVersionDescriptions)",
                "Descriptions.$": "$.ProjectVersionDescriptions",
            },
            "ResultPath": "$.Latest",
            "Retry": _retry(),
            "Next": "Listed yet?",
        }
        self.states["Listed yet?"] = {
            "Type": "Choice",
            "Choices": [{"Variable": "$.Latest.Listed", "NumericEquals": 0, "Next": "Next wait"}],
            "Default": "Read description",
        }
        self.states["Read description"] = {
            "Type": "Pass",
            "Parameters": {"Description.$": "States.ArrayGetItem($.Latest.Descriptions, 0)"},
            "ResultPath": "$.Latest",
            "Next": "Training status?",
        }
        self._status()
        return self.states

    def _waits(self) -> None:
        """Wait the schedule's seconds before each describe: by count, the last repeating."""
        last = len(self.schedule) - 1
        self.states["Next wait"] = (
            {
                "Type": "Choice",
                "Choices": [
                    {
                        "Variable": "$.Poll.Polls",
                        "NumericEquals": index,
                        "Next": f"Wait {index + 1}",
                    }
                    for index in range(last)
                ],
                "Default": f"Wait {last + 1}",
            }
            if last
            else {"Type": "Pass", "Next": "Wait 1"}  # one interval: nothing to choose
        )
        for index, seconds in enumerate(self.schedule):
            self.states[f"Wait {index + 1}"] = {
                "Type": "Wait",
                "Seconds": seconds,
                "Next": "Count poll",
            }
        self.states["Count poll"] = {
            "Type": "Pass",
            "Parameters": {"Polls.$": "States.MathAdd($.Poll.Polls, 1)"},
            "ResultPath": "$.Poll",
            "Next": "Describe version",
        }

    def _status(self) -> None:
        status = "$.Latest.Description.Status"
        self.states["Training status?"] = {
            "Type": "Choice",
            "Choices": [
                {"Variable": status, "StringEquals": "TRAINING_IN_PROGRESS", "Next": "Next wait"},
                {
                    "Variable": status,
                    "StringEquals": "TRAINING_COMPLETED",
                    "Next": "Quality gate" if self.min_f1 is not None else "Trained",
                },
                {"Variable": status, "StringEquals": "TRAINING_FAILED", "Next": "Reason given?"},
                {
                    "Or": [
                        {"Variable": status, "StringEquals": value.value} for value in NOT_TRAINING
                    ],
                    "Next": "Not training",
                },
            ],
            "Default": "Next wait",  # a status this library does not know: polled through
        }
        message = "$.Latest.Description.StatusMessage"
        self.states["Reason given?"] = {
            "Type": "Choice",
            "Choices": [{"Variable": message, "IsPresent": True, "Next": "Training failed"}],
            "Default": "Training failed without a reason",
        }
        self.states["Training failed"] = self.end("TrainingFailed", {"Cause.$": message})
        self.states["Training failed without a reason"] = self.end(
            "TrainingFailed", {"Cause": "TRAINING_FAILED, and the service gave no status message"}
        )
        self.states["Not training"] = self.end(
            "NotTraining",
            {
                "Cause.$": "States.Format('the version is {}: no training happens in this "
                "status', $.Latest.Description.Status)"
            },
        )
        if self.min_f1 is not None:
            f1 = "$.Latest.Description.EvaluationResult.F1Score"
            self.states["Quality gate"] = {
                "Type": "Choice",
                "Choices": [
                    {"Variable": f1, "IsPresent": False, "Next": "F1 score unknown"},
                    {"Variable": f1, "NumericGreaterThanEquals": self.min_f1, "Next": "Trained"},
                ],
                "Default": "Below the quality gate",
            }
            self.states["F1 score unknown"] = self.end(
                "BelowQualityGate",
                {"Cause": "the service reports no F1 score for the trained version"},
            )
            self.states["Below the quality gate"] = self.end(
                "BelowQualityGate",
                {
                    "Cause.$": f"States.Format('aggregate F1 {{}} is below the minimum "
                    f"{self.min_f1:g}', {f1})"
                },
            )
        self.states["Trained"] = {
            "Type": "Pass",
            "Parameters": {
                "VersionName.$": "$.VersionName",
                "ProjectVersionArn.$": "$.Version.ProjectVersionArn",
                "Outcome": "Trained",
            },
            "ResultPath": "$",  # the output: no description (and its timestamps) in it
            "End": True,
        }


def _fail(error: str, cause: dict[str, Any]) -> dict[str, Any]:
    """A Fail state: the execution fails with this error and cause."""
    key, value = next(iter(cause.items()))
    return {"Type": "Fail", "Error": error, ("CausePath" if key.endswith(".$") else "Cause"): value}


def _record(error: str, cause: dict[str, Any]) -> dict[str, Any]:
    """A Map iteration's failure, recorded as its output instead of failing the others."""
    return {
        "Type": "Pass",
        "Parameters": {"VersionName.$": "$.VersionName", "Outcome": error, **cause},
        "ResultPath": "$",
        "End": True,
    }


def _whole(value: object, *, least: int) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= least


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
    request.validate()
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
    if max_concurrency is None:
        steps = _Steps(request, min_f1=min_f1, poll_interval=poll_interval, end=_fail)
        return {
            "Comment": comment + ' Input: {"VersionName": "..."}.',
            "StartAt": "Create version",
            "TimeoutSeconds": EXECUTION_TIMEOUT,
            "States": steps.build(),
        }
    steps = _Steps(request, min_f1=min_f1, poll_interval=poll_interval, end=_record)
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
