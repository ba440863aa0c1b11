"""One scenario table through both clients: the same outcome, over real HTTP.

Each scenario runs twice, on a fresh LocalRekognition each time: once through
ProjectVersionsClient (boto3) and once through AsyncProjectVersionsClient (aiobotocore).
Both outcomes must equal the outcome the table expects, so they equal each other.
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

import pytest

from both_clients import BUCKET, KINDS, Runner, S3Server, create_project, http_world, runner
from rekog_versions import (
    Comparison,
    EvaluationSummary,
    ManifestSummary,
    PollResult,
    Problem,
    ProjectVersion,
    RekogVersionsError,
    RequestBuilder,
)
from rekog_versions.testing import set_testing

if TYPE_CHECKING:
    from collections.abc import Callable, Iterator

    from rekog_versions.testing import LocalRekognition

FAST = 0.05  # seconds between polls


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    server = S3Server()
    yield server
    server.server.stop()


@pytest.fixture(autouse=True)
def no_backoff() -> Iterator[None]:
    """Retries as many as the defaults allow, without their waits."""
    set_testing(True, attempts=10)
    yield
    set_testing(False)


def request(project: str, name: str = "v1", manifest: str = "train.manifest") -> RequestBuilder:
    return (
        RequestBuilder(project_arn=project, version_name=name)
        .output(f"s3://{BUCKET}/out/")
        .training_manifest(f"s3://{BUCKET}/{manifest}")
        .auto_split()
    )


def shape(value: object) -> object:  # noqa: PLR0911 - one shape a kind of result
    """What of a result both clients must agree on (ARNs without their timestamps)."""
    if isinstance(value, str):
        return re.sub(r"/\d{13}$", "/<time>", value)
    if isinstance(value, ProjectVersion):
        return ("version", shape(value.arn), value.status_text)
    if isinstance(value, PollResult):
        return ("poll", value.outcome.value, value.next_poll_in is None, shape(value.version))
    if isinstance(value, EvaluationSummary):
        return ("evaluation", sorted(value.labels), value.testing_images)
    if isinstance(value, ManifestSummary):
        return ("manifest summary", value.training.total_json_lines if value.training else None)
    if isinstance(value, Comparison):
        return ("comparison", value.comparable, value.not_comparable)
    if isinstance(value, Problem):
        return ("problem", value.path)
    if isinstance(value, dict):
        return sorted((shape(k), shape(v)) for k, v in value.items())
    if isinstance(value, list | tuple):
        return [shape(item) for item in value]
    return value


def outcome(action: Callable[[], object]) -> object:
    try:
        return ("returned", shape(action()))
    except RekogVersionsError as error:
        return ("raised", type(error).__name__)


# -- the scenarios: (LocalRekognition, client runner) -> outcomes ------------------------


def trains_to_completion(local: LocalRekognition, call: Runner) -> object:
    project = create_project(local)
    seen: list[str] = []
    arn = call("create", request(project))
    final = call("wait", arn, poll_interval=FAST, on_change=lambda v: seen.append(v.status_text))
    return shape(arn), shape(final), seen[-1], outcome(lambda: call("describe", arn))


def a_lost_create_response(local: LocalRekognition, call: Runner) -> object:
    project = create_project(local)
    local.faults.lose_response("CreateProjectVersion", count=1)
    arn = call("create", request(project))
    return shape(arn), len(local.versions()), local.calls.get("CreateProjectVersion")


def a_taken_name(local: LocalRekognition, call: Runner) -> object:
    project = create_project(local)
    call("create", request(project))
    other = request(project, manifest="one-label.manifest")
    return (
        outcome(lambda: call("create", other)),
        outcome(lambda: call("create", request(project))),
        outcome(lambda: call("create", request(project), if_exists="reuse")),
        outcome(lambda: call("preflight", other)),
        outcome(lambda: call("preflight", request(project), if_exists="reuse")),
    )


def a_failed_training(local: LocalRekognition, call: Runner) -> object:
    project = create_project(local)
    arn = call("create", request(project, manifest="one-label.manifest"))
    return (
        outcome(lambda: call("wait", arn, poll_interval=FAST)),
        outcome(lambda: call("evaluation", arn)),
        outcome(lambda: call("manifest_summary", arn)),
        outcome(lambda: call("poll", arn)),
    )


def not_found(local: LocalRekognition, call: Runner) -> object:
    project = create_project(local)
    missing = f"{project.rsplit('/', 1)[0]}/version/nope/1795815473186"
    return (
        outcome(lambda: call("describe", missing)),
        outcome(lambda: call("describe", missing.replace("/cats/", "/dogs/"))),
        outcome(lambda: call("latest_trained", missing)),
    )


def a_timeout(local: LocalRekognition, call: Runner) -> object:
    local.training_seconds = 30.0
    project = create_project(local)
    arn = call("create", request(project))
    return (
        outcome(lambda: call("poll", arn)),
        outcome(lambda: call("wait", arn, timeout=0.3, poll_interval=FAST)),
    )


def two_projects_at_once(local: LocalRekognition, call: Runner) -> object:
    arns = [
        call("create", request(create_project(local, name), name=f"v-{name}"))
        for name in ("cats", "dogs", "birds")
    ]
    return shape(call("wait_many", arns, poll_interval=FAST))


def results_and_comparison(local: LocalRekognition, call: Runner) -> object:
    project = create_project(local)
    first = call("create", request(project, name="v1"))
    second = call("create", request(project, name="v2"))
    call("wait_many", [first, second], poll_interval=FAST)
    return (
        outcome(lambda: call("evaluation", second)),
        outcome(lambda: call("manifest_summary", second)),
        outcome(lambda: call("compare", second, first)),
        outcome(lambda: call("latest_trained", second)),
    )


def half_the_calls_throttled(local: LocalRekognition, call: Runner) -> object:
    project = create_project(local)
    local.faults.throttle(fraction=0.5)
    arns = [call("create", request(project, name=f"v{i}")) for i in range(5)]
    final = call("wait_many", arns, poll_interval=FAST)
    return len(local.versions()), sorted({v.status_text for v in final.values()})


def garbage_answers(local: LocalRekognition, call: Runner) -> object:
    project = create_project(local)
    arn = call("create", request(project))
    local.faults.garbage("truncated-json", "DescribeProjectVersions", fraction=1.0)
    described = outcome(lambda: call("describe", arn))
    local.faults.clear()
    local.faults.garbage("html", "DescribeProjectVersions", count=3)
    return described, outcome(lambda: call("wait", arn, poll_interval=FAST))


def the_server_stops_mid_wait(local: LocalRekognition, call: Runner) -> object:
    local.training_seconds = 30.0
    project = create_project(local)
    arn = call("create", request(project))
    threading.Timer(0.3, local.stop).start()
    return outcome(lambda: call("wait", arn, poll_interval=FAST))


def an_invalid_request(local: LocalRekognition, call: Runner) -> object:
    project = create_project(local)
    bad = RequestBuilder(project_arn=project, version_name="v 1").output(f"s3://{BUCKET}/o/")
    return outcome(lambda: call("create", bad)), local.calls.get("CreateProjectVersion")


ARN = ("arn:aws:rekognition:us-east-1:111122223333:project/cats/version/v1/<time>",)
V1 = ARN[0]
SCENARIOS: dict[str, tuple[Callable[[LocalRekognition, Runner], object], object]] = {
    "trains to completion": (
        trains_to_completion,
        (
            V1,
            ("version", V1, "TRAINING_COMPLETED"),
            "TRAINING_COMPLETED",
            ("returned", ("version", V1, "TRAINING_COMPLETED")),
        ),
    ),
    "a lost create response": (a_lost_create_response, (V1, 1, 2)),
    "a taken name": (
        a_taken_name,
        (
            ("raised", "VersionNameConflictError"),
            # the same inputs, one request answered "taken": not this call's version
            ("raised", "VersionNameConflictError"),
            ("returned", V1),
            ("returned", [("problem", "VersionName")]),
            ("returned", []),
        ),
    ),
    "a failed training": (
        a_failed_training,
        (
            ("raised", "TrainingFailedError"),
            ("raised", "ResultFileError"),
            ("returned", ("manifest summary", 20)),
            ("returned", ("poll", "failed", True, ("version", V1, "TRAINING_FAILED"))),
        ),
    ),
    "not found": (
        not_found,
        (
            ("raised", "ResourceNotFoundError"),
            ("raised", "ResourceNotFoundError"),
            ("returned", None),
        ),
    ),
    "a timeout": (
        a_timeout,
        (
            ("returned", ("poll", "in_progress", False, ("version", V1, "TRAINING_IN_PROGRESS"))),
            ("raised", "WaitTimeoutError"),
        ),
    ),
    "two projects at once": (
        two_projects_at_once,
        [
            (
                f"arn:aws:rekognition:us-east-1:111122223333:project/{name}/version/v-{name}/<time>",
                (
                    "version",
                    f"arn:aws:rekognition:us-east-1:111122223333:project/{name}/version/v-{name}/<time>",
                    "TRAINING_COMPLETED",
                ),
            )
            for name in ("birds", "cats", "dogs")
        ],
    ),
    "results and comparison": (
        results_and_comparison,
        (
            ("returned", ("evaluation", ["cat", "dog"], 4)),
            ("returned", ("manifest summary", 20)),
            (
                "returned",
                (
                    "comparison",
                    False,
                    (
                        "both were tested on a test set split automatically from the training "
                        "data (AutoCreate), which differs from one training to the next"
                    ),
                ),
            ),
            ("returned", ("version", V1, "TRAINING_COMPLETED")),
        ),
    ),
    "half the calls throttled": (half_the_calls_throttled, (5, ["TRAINING_COMPLETED"])),
    "garbage answers": (
        garbage_answers,
        (("raised", "MalformedResponseError"), ("returned", ("version", V1, "TRAINING_COMPLETED"))),
    ),
    "the server stops mid-wait": (the_server_stops_mid_wait, ("raised", "NetworkError")),
    "an invalid request": (an_invalid_request, (("raised", "RequestValidationError"), None)),
}


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_both_clients_agree(name: str, s3: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """Both clients give the outcome the table expects for each scenario."""
    scenario, expected = SCENARIOS[name]
    outcomes: dict[str, Any] = {}
    for kind in KINDS:
        with (
            http_world(monkeypatch, s3, training_seconds=0.3, seed=7) as local,
            runner(kind) as call,
        ):
            outcomes[kind] = scenario(local, call)
    assert outcomes["sync"] == expected
    assert outcomes["async"] == outcomes["sync"]
