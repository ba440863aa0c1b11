"""The generated state machines, run on a real ASL interpreter against LocalRekognition.

moto's Step Functions engine (ported from LocalStack) executes definitions when asked to,
and its AWS SDK tasks reach LocalRekognition through AWS_ENDPOINT_URL_REKOGNITION. Where
it differs from AWS, the definitions stay written for AWS and :func:`for_moto` adapts the
copy the engine runs; each difference is named there.
"""

from __future__ import annotations

import io
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.exceptions import ClientError
from hypothesis import given, settings
from hypothesis import strategies as st
from moto import mock_aws
from test_properties import VALID_REQUESTS

from manifest_lines import classification, good_classification
from rekog_versions import CreateProjectVersionRequest, RequestBuilder, RequestValidationError
from rekog_versions.cli import main
from rekog_versions.stepfunctions import state_machine, step_functions_error
from rekog_versions.testing import LocalRekognition

if TYPE_CHECKING:
    from collections.abc import Iterator
    from pathlib import Path

BUCKET = "sfn-bucket"
ROLE = "arn:aws:iam::123456789012:role/training"


def for_moto(definition: dict[str, Any]) -> str:
    """The definition as moto's engine needs it; on AWS it runs as generated.

    moto names an AWS SDK integration's errors after the service's lowercase name and the
    bare error code (``rekognition.ThrottlingException``, ``rekognition.InternalServerError``)
    where AWS gives ``Rekognition.`` and the code with an ``Exception`` suffix.
    """
    text = json.dumps(definition)
    for code in (
        "ThrottlingException",
        "ProvisionedThroughputExceededException",
        "InternalServerError",
        "ResourceInUseException",
    ):
        text = text.replace(f'"{step_functions_error(code)}"', f'"rekognition.{code}"')
    return text


class Engine:
    """moto's S3 and Step Functions engine, and a LocalRekognition its tasks reach."""

    def __init__(self, local: LocalRekognition, s3: Any) -> None:
        self.local = local
        self.s3 = s3
        self.sfn = boto3.client("stepfunctions")
        self.rekognition = boto3.client("rekognition")
        self.project = self.rekognition.create_project(ProjectName="sfn")["ProjectArn"]

    def put(self, key: str, lines: list[Any]) -> str:
        body = "".join(
            json.dumps(line).replace("s3://bkt/", f"s3://{BUCKET}/") + "\n" for line in lines
        )
        self.s3.put_object(Bucket=BUCKET, Key=key, Body=body.encode())
        return f"s3://{BUCKET}/{key}"

    def request(self, manifest: str = "train.manifest") -> RequestBuilder:
        return (
            RequestBuilder(project_arn=self.project, version_name="placeholder")
            .output(f"s3://{BUCKET}/out/")
            .training_manifest(f"s3://{BUCKET}/{manifest}")
            .auto_split()
        )

    def create(self, definition: dict[str, Any]) -> str:
        name = f"train-{time.monotonic_ns()}"
        created = self.sfn.create_state_machine(
            name=name, definition=for_moto(definition), roleArn=ROLE
        )
        return str(created["stateMachineArn"])

    def run(self, definition: dict[str, Any], execution_input: dict[str, Any]) -> dict[str, Any]:
        """Execute to its end (60 s at most); the description of the execution."""
        arn = self.create(definition)
        execution = self.sfn.start_execution(stateMachineArn=arn, input=json.dumps(execution_input))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            described = self.sfn.describe_execution(executionArn=execution["executionArn"])
            if described["status"] != "RUNNING":
                return described
            time.sleep(0.2)
        pytest.fail("the execution did not end within 60 s")


@pytest.fixture
def engine(monkeypatch: pytest.MonkeyPatch) -> Iterator[Engine]:
    for name, value in {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
    }.items():
        monkeypatch.setenv(name, value)
    with mock_aws(config={"stepfunctions": {"execute_state_machine": True}}):
        s3 = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        with LocalRekognition(s3_client=s3, training_seconds=0.2, seed=5) as local:
            monkeypatch.setenv("AWS_ENDPOINT_URL_REKOGNITION", local.endpoint_url)
            running = Engine(local, s3)
            running.put("train.manifest", good_classification(20))
            yield running


def _f1(engine: Engine, name: str) -> float:
    described = engine.rekognition.describe_project_versions(
        ProjectArn=engine.project, VersionNames=[name]
    )
    return float(described["ProjectVersionDescriptions"][0]["EvaluationResult"]["F1Score"])


# -- on the engine ---------------------------------------------------------------------


def test_a_training_that_passes_the_gate(engine: Engine) -> None:
    """An execution trains the version its input names and succeeds above the gate."""
    definition = state_machine(engine.request(), min_f1=0.5, poll_interval=1)
    done = engine.run(definition, {"VersionName": "v1"})
    assert "SUCCEEDED" == done["status"], done
    output = json.loads(done["output"])
    assert ("v1", "Trained") == (output["VersionName"], output["Outcome"])
    assert "/version/v1/" in output["ProjectVersionArn"]


def test_a_training_below_the_gate(engine: Engine) -> None:
    """A completed training below the gate fails the execution, saying its F1."""
    done = engine.run(
        state_machine(engine.request(), min_f1=0.99, poll_interval=1), {"VersionName": "v1"}
    )
    assert ("FAILED", "BelowQualityGate") == (done["status"], done.get("error")), done
    assert f"aggregate F1 {_f1(engine, 'v1')} is below the minimum 0.99" == done["cause"]


def test_a_manifest_that_fails_training(engine: Engine) -> None:
    """A training that fails ends in TrainingFailed with the service's reason."""
    engine.put("one-label.manifest", [classification(f"i{n}.jpg", "cat") for n in range(20)])
    definition = state_machine(engine.request("one-label.manifest"), min_f1=0.5, poll_interval=1)
    done = engine.run(definition, {"VersionName": "v1"})
    assert ("FAILED", "TrainingFailed") == (done["status"], done.get("error")), done
    assert done["cause"].startswith("ERROR_MANIFEST_TOO_FEW_LABELS")


def test_throttling_is_retried_by_the_state_machine(engine: Engine) -> None:
    """A throttled create and describe are retried by the state machine's Retry."""
    engine.local.faults.throttle("CreateProjectVersion", count=1)
    engine.local.faults.throttle("DescribeProjectVersions", count=1)
    done = engine.run(state_machine(engine.request(), poll_interval=1), {"VersionName": "v1"})
    assert "SUCCEEDED" == done["status"], done
    assert 2 == engine.local.calls["CreateProjectVersion"]  # throttled, then sent again
    assert 2 <= engine.local.faults.injected["throttle"]


def test_a_taken_name_is_a_clear_failure(engine: Engine) -> None:
    """A version name already taken fails the execution with VersionNameTaken."""
    definition = state_machine(engine.request(), poll_interval=1)
    assert "SUCCEEDED" == engine.run(definition, {"VersionName": "v1"})["status"]
    again = engine.run(definition, {"VersionName": "v1"})
    assert ("FAILED", "VersionNameTaken") == (again["status"], again.get("error")), again
    assert again["cause"].startswith("the version name v1 is taken in this project")


def test_map_over_several_names(engine: Engine) -> None:
    """With max_concurrency, every name of the input is trained in a Map."""
    definition = state_machine(engine.request(), min_f1=0.5, poll_interval=1, max_concurrency=2)
    done = engine.run(definition, {"VersionNames": ["a", "b", "c"]})
    assert "SUCCEEDED" == done["status"], done
    outcomes = json.loads(done["output"])
    assert [("a", "Trained"), ("b", "Trained"), ("c", "Trained")] == [
        (item["VersionName"], item["Outcome"]) for item in outcomes
    ]


def test_map_records_each_failure_and_fails_at_the_end(engine: Engine) -> None:
    """A Map records each failure, trains the others, and fails once at the end."""
    engine.rekognition.create_project_version(
        ProjectArn=engine.project,
        VersionName="taken",
        OutputConfig={"S3Bucket": BUCKET},
        TrainingData={
            "Assets": [
                {"GroundTruthManifest": {"S3Object": {"Bucket": BUCKET, "Name": "train.manifest"}}}
            ]
        },
        TestingData={"AutoCreate": True},
    )
    definition = state_machine(engine.request(), poll_interval=1, max_concurrency=0)
    done = engine.run(definition, {"VersionNames": ["taken", "fresh"]})
    assert ("FAILED", "TrainingsFailed") == (done["status"], done.get("error")), done
    outcomes = {item["VersionName"]: item["Outcome"] for item in json.loads(done["cause"])}
    assert {"taken": "VersionNameTaken", "fresh": "Trained"} == outcomes


def test_every_definition_is_accepted_and_a_broken_one_refused(engine: Engine) -> None:
    """The engine validates definitions at create_state_machine."""
    request = engine.request()
    for options in (
        {},
        {"min_f1": 0.8},
        {"poll_interval": 30},
        {"min_f1": 0.8, "max_concurrency": 5},
    ):
        assert engine.create(state_machine(request, **options)).startswith("arn:aws:states:")
    broken = state_machine(request)
    broken["States"]["Training status?"]["Choices"] = []  # a Choice state needs a rule
    with pytest.raises(ClientError, match="ASLParserException"):
        engine.create(broken)


def _targets(state: dict[str, Any]) -> set[str]:
    found = {state[key] for key in ("Next", "Default") if key in state}
    found |= {rule["Next"] for rule in state.get("Choices", []) + state.get("Catch", [])}
    return found


@pytest.mark.parametrize(
    "options", [{}, {"min_f1": 0.8}, {"poll_interval": 9}, {"max_concurrency": 3}]
)
def test_every_transition_leads_to_a_state_and_every_state_is_reached(
    options: dict[str, Any],
) -> None:
    """What moto's engine does not check at create_state_machine (a Next to nowhere)."""

    _check_transitions(state_machine(_request(), **options))


def _check_transitions(machine: dict[str, Any]) -> None:
    """Every transition leads to a state, every state is reached, every path can end."""
    states = machine["States"]
    reached, todo = set(), [machine["StartAt"]]
    while todo:
        name = todo.pop()
        if name in reached:
            continue
        reached.add(name)
        state = states[name]  # a KeyError here is a transition to nowhere
        todo.extend(_targets(state))
        if "ItemProcessor" in state:
            _check_transitions(state["ItemProcessor"])
        ends = state.get("End") or state["Type"] in {"Succeed", "Fail"}
        assert ends or _targets(state), name
    assert set(states) == reached


# -- the definition itself -------------------------------------------------------------


def _request() -> RequestBuilder:
    return (
        RequestBuilder(
            project_arn="arn:aws:rekognition:us-east-1:111122223333:project/p/1", version_name="x"
        )
        .output("s3://bkt/out/")
        .training_manifest("s3://bkt/train.manifest")
        .auto_split()
    )


@settings(max_examples=60, deadline=None)
@given(request=VALID_REQUESTS, gate=st.none() | st.floats(0, 1), many=st.booleans())
def test_any_valid_request_gives_a_whole_definition(
    request: dict[str, Any], gate: float | None, many: bool
) -> None:
    """Property: JSON-ready, every transition leads somewhere, the request is baked in."""
    definition = state_machine(
        CreateProjectVersionRequest.from_boto(request),
        min_f1=gate,
        max_concurrency=3 if many else None,
    )
    assert definition == json.loads(json.dumps(definition))
    _check_transitions(definition)
    states = definition["States"]
    if many:
        states = states["Train each version"]["ItemProcessor"]["States"]
    expected = {key: value for key, value in request.items() if key != "VersionName"}
    assert {**expected, "VersionName.$": "$.VersionName"} == states["Create version"]["Parameters"]


def test_the_request_is_baked_in_but_the_name() -> None:
    """The validated request is baked in, its VersionName taken from the input."""
    create = state_machine(_request())["States"]["Create version"]
    assert "arn:aws:states:::aws-sdk:rekognition:createProjectVersion" == create["Resource"]
    assert {
        "ProjectArn": "arn:aws:rekognition:us-east-1:111122223333:project/p/1",
        "VersionName.$": "$.VersionName",
        "OutputConfig": {"S3Bucket": "bkt", "S3KeyPrefix": "out/"},
        "TrainingData": {
            "Assets": [
                {"GroundTruthManifest": {"S3Object": {"Bucket": "bkt", "Name": "train.manifest"}}}
            ]
        },
        "TestingData": {"AutoCreate": True},
    } == create["Parameters"]


def test_one_training_times_out_a_map_does_not() -> None:
    """One training's execution has a timeout; a Map of them has none."""
    assert 25 * 3600 == state_machine(_request())["TimeoutSeconds"]
    assert "TimeoutSeconds" not in state_machine(_request(), max_concurrency=2)


def test_the_default_schedule_is_the_librarys() -> None:
    """The waits are the library's default schedule, the last repeating."""
    states = state_machine(_request())["States"]
    assert [5, 5, 10, 15, 30, 60] == [states[f"Wait {n}"]["Seconds"] for n in range(1, 7)]
    assert "Wait 6" == states["Next wait"]["Default"]  # the last one repeats


def test_retries_are_the_librarys_and_never_limit_exceeded() -> None:
    """The Retry is the clients' (codes, 5xx, no answer; a create only on an answer)."""
    states = state_machine(_request())["States"]
    answered = [
        "Rekognition.InternalServerErrorException",
        "Rekognition.ProvisionedThroughputExceededException",
        "Rekognition.ThrottlingException",
    ]
    unanswered = [
        "Rekognition.RekognitionException",  # an unmodeled error: the clients retry a 5xx
        "Rekognition.SdkClientException",  # no answer: a dropped connection, a timeout
    ]
    for name, expected in (
        ("Create version", answered),  # sent again after a lost answer, it finds itself
        ("Describe version", sorted(answered + unanswered)),
    ):
        [retry] = states[name]["Retry"]
        assert expected == retry["ErrorEquals"]
        assert (1, 9, 20, "FULL") == (
            retry["IntervalSeconds"],
            retry["MaxAttempts"],
            retry["MaxDelaySeconds"],
            retry["JitterStrategy"],
        )
    assert "LimitExceeded" not in json.dumps(states)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"min_f1": 1.5}, "min_f1 must be between 0 and 1"),
        ({"poll_interval": 0}, "poll_interval must be a whole number of seconds"),
        ({"poll_interval": 2.5}, "poll_interval must be a whole number of seconds"),
        ({"max_concurrency": -1}, "max_concurrency must be 0 or more"),
    ],
)
def test_bad_options(options: dict[str, Any], message: str) -> None:
    """Options out of range are a ValueError naming the option."""
    with pytest.raises(ValueError, match=message):
        state_machine(_request(), **options)


def test_an_invalid_request_is_refused() -> None:
    """An invalid request is refused before any definition is made."""
    with pytest.raises(RequestValidationError):
        state_machine(_request().output("s3://bkt/" + "k" * 1100))


# -- the command -----------------------------------------------------------------------

MACHINE = [
    "state-machine",
    "--project-arn",
    "arn:aws:rekognition:us-east-1:111122223333:project/p/1",
    "--output-config",
    "s3://bkt/out/",
    "--training-data",
    "s3://bkt/train.manifest",
    "--auto-split",
]


def _cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_the_command_prints_the_definition() -> None:
    """state-machine prints the definition state_machine() makes from the flags."""
    code, out, err = _cli(
        *MACHINE, "--min-f1", "0.8", "--poll-interval", "30", "--max-concurrency", "4"
    )
    assert 0 == code, err
    assert state_machine(_request(), min_f1=0.8, poll_interval=30, max_concurrency=4) == json.loads(
        out
    )


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--version-name", "v1"], "unrecognized arguments: --version-name v1"),
        (
            ["--poll-interval", "2.5"],
            "--poll-interval must be a whole number of seconds, at least 1",
        ),
        (["--max-concurrency", "-2"], "expected a whole number, 0 or more"),
        (["--min-f1", "2"], "expected a number from 0 to 1"),
    ],
)
def test_the_command_refuses_bad_flags(
    flags: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """state-machine refuses bad flags with exit 2 and nothing on stdout."""
    code, out, err = _cli(*MACHINE, *flags)
    assert (2, "") == (code, out)
    assert message in err + capsys.readouterr().err


def test_the_command_offers_no_version_name_and_drops_none(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """--help offers no --version-name; a VersionName in --cli-input-json is refused."""
    assert 0 == main(["state-machine", "--help"])
    shown = capsys.readouterr().out
    assert "--cli-input-json" in shown
    assert "--version-name" not in shown
    request = tmp_path / "request.json"
    request.write_text(
        json.dumps(
            {
                "ProjectArn": "arn:aws:rekognition:us-east-1:111122223333:project/p/1",
                "VersionName": "v7",
                "OutputConfig": {"S3Bucket": "bkt"},
            }
        )
    )
    code, printed, err = _cli("state-machine", "--cli-input-json", f"file://{request}")
    assert (2, "") == (code, printed)
    assert "--cli-input-json names one ('v7'), which would be dropped" in err
