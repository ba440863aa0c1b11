"""The states that train one version: create, poll on the library's schedule, judge.

What is retried, what each status means and how often to poll are read from where the
library writes them: the error classes' ``retryable`` and :class:`~rekog_versions.RetryPolicy`,
:func:`~rekog_versions.polling.outcome_of`, and
:data:`~rekog_versions.polling.DEFAULT_POLL_SCHEDULE`.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

from rekog_versions._retry import RetryPolicy
from rekog_versions.errors import ERROR_CLASSES, NetworkError, ServiceError
from rekog_versions.polling import DEFAULT_POLL_SCHEDULE, PollOutcome, outcome_of
from rekog_versions.results import ProjectVersionStatus

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from rekog_versions.models import CreateProjectVersionRequest

__all__ = ["Steps", "fail", "record", "step_functions_error"]

_SDK: Final = "arn:aws:states:::aws-sdk:rekognition:"
#: How Step Functions names the errors of an AWS SDK integration for Rekognition.
_PREFIX: Final = "Rekognition"


def step_functions_error(code: str) -> str:
    """The name Step Functions gives an AWS SDK integration's error with this code.

    ``Rekognition.`` and the code, with an ``Exception`` suffix where the code has none,
    as the Step Functions guide's page on AWS SDK integrations says:
    ``InternalServerError`` is ``Rekognition.InternalServerErrorException``.
    """
    return f"{_PREFIX}.{code if code.endswith('Exception') else code + 'Exception'}"


def _retryable_errors(*, answered_only: bool) -> list[str]:
    """What the clients retry, in Step Functions' names, asked of the error classes.

    The modeled codes whose class is retryable. Unless ``answered_only``, also: an error
    the model does not name (``Rekognition.RekognitionException``), which the clients
    retry when the service answers 5xx (Step Functions cannot tell a 5xx from a 4xx
    here, so an unmodeled 4xx is retried too, up to the same bound); and a call that got
    no answer (``Rekognition.SdkClientException``: a dropped connection, a timeout).

    A create is retried only on an answer that says nothing was created: sent again
    after a lost answer, it would find its own version and fail as a taken name, where
    the clients describe the version and carry on.
    """
    names = {
        step_functions_error(code) for code, cls in ERROR_CLASSES.items() if cls.default_retryable
    }
    if not answered_only and ServiceError("", code="", http_status=500).retryable:
        names.add(f"{_PREFIX}.RekognitionException")
    if not answered_only and NetworkError("").retryable:
        names.add(f"{_PREFIX}.SdkClientException")
    return sorted(names)


def _retry(*, answered_only: bool = False) -> list[dict[str, Any]]:
    """The library's retries, in Step Functions' terms: the same errors, backoff and bound."""
    policy = RetryPolicy()
    return [
        {
            "ErrorEquals": _retryable_errors(answered_only=answered_only),
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


def _choice_by_outcome(variable: str, targets: Mapping[PollOutcome, str]) -> dict[str, Any]:
    """A Choice on a status that goes where its outcome (:func:`outcome_of`) says.

    Every status the library knows is listed under its outcome; a status it does not
    know goes where ``outcome_of`` sends ``UNKNOWN``.
    """
    statuses: dict[PollOutcome, list[str]] = {}
    for status in ProjectVersionStatus:
        if status is not ProjectVersionStatus.UNKNOWN:
            statuses.setdefault(outcome_of(status), []).append(status.value)
    choices: list[dict[str, Any]] = []
    for outcome, values in statuses.items():
        tests = [{"Variable": variable, "StringEquals": value} for value in values]
        rule = tests[0] if len(tests) == 1 else {"Or": tests}
        choices.append({**rule, "Next": targets[outcome]})
    default = targets[outcome_of(ProjectVersionStatus.UNKNOWN)]
    return {"Type": "Choice", "Choices": choices, "Default": default}


class Steps:
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
        """The states, ``Create version`` first."""
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
            "Retry": _retry(answered_only=True),
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
        trained = "Quality gate" if self.min_f1 is not None else "Trained"
        self.states["Training status?"] = _choice_by_outcome(
            "$.Latest.Description.Status",
            {
                PollOutcome.IN_PROGRESS: "Next wait",
                PollOutcome.COMPLETED: trained,
                PollOutcome.FAILED: "Reason given?",
                PollOutcome.NOT_TRAINING: "Not training",
            },
        )
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


def fail(error: str, cause: dict[str, Any]) -> dict[str, Any]:
    """A Fail state: the execution fails with this error and cause."""
    key, value = next(iter(cause.items()))
    return {"Type": "Fail", "Error": error, ("CausePath" if key.endswith(".$") else "Cause"): value}


def record(error: str, cause: dict[str, Any]) -> dict[str, Any]:
    """A Map iteration's failure, recorded as its output instead of failing the others."""
    return {
        "Type": "Pass",
        "Parameters": {"VersionName.$": "$.VersionName", "Outcome": error, **cause},
        "ResultPath": "$",
        "End": True,
    }
