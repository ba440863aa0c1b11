"""The rekog-versions command: main(argv) with stubbed clients, every exit code and error."""

from __future__ import annotations

import io
import json
import os
from typing import TYPE_CHECKING, Any

import pytest
from botocore.stub import Stubber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import closed_port, small_request
from manifest_lines import good_classification, write
from rekog_versions.cli import EXIT_CODES, main
from rekog_versions.testing import (
    FakeClock,
    project_arn,
    stub_create_project_version,
    stub_describe_project_versions,
    version_arn,
    version_description,
)

if TYPE_CHECKING:
    from pathlib import Path

    from emulated import World

PROJECT = project_arn("cats")
VERSION = version_arn("cats", "v1")
CREATE = [
    "create",
    "--project-arn",
    PROJECT,
    "--version-name",
    "v1",
    "--output-config",
    "s3://out-bucket/results/",
    "--training-data",
    "s3://data-bucket/train.manifest",
    "--auto-split",
]


class Run:
    """The outcome of one main() call."""

    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.code = code
        self.stdout = stdout
        self.stderr = stderr

    def json(self) -> Any:
        return json.loads(self.stdout)


def run(argv: list[str], stdin: str = "", **clients: Any) -> Run:
    out, err = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(stdin), stdout=out, stderr=err, **clients)
    return Run(code, out.getvalue(), err.getvalue())


def test_exit_codes_are_distinct_and_documented() -> None:
    """Each outcome has its own code, listed in --help."""
    assert len(EXIT_CODES) == len(set(EXIT_CODES))
    assert {0, 1, 2, 3, 4, 5, 6, 75} <= set(EXIT_CODES)


def test_dry_run_prints_the_request() -> None:
    """--dry-run validates offline and prints the boto3 keyword arguments."""
    result = run([*CREATE, "--dry-run", "--tag", "team=vision"])
    assert 0 == result.code, result.stderr
    assert small_request().to_boto() | {"Tags": {"team": "vision"}} == result.json()


def test_dry_run_text_is_one_line_a_member() -> None:
    """--output text: each value at its AWS path, a tag key quoted as in messages."""
    result = run([*CREATE, "--dry-run", "--tag", "team=vision", "--output", "text"])
    assert 0 == result.code, result.stderr
    assert [
        f'ProjectArn: "{PROJECT}"',
        'VersionName: "v1"',
        'OutputConfig.S3Bucket: "out-bucket"',
        'OutputConfig.S3KeyPrefix: "results/"',
        'TrainingData.Assets[0].GroundTruthManifest.S3Object.Bucket: "data-bucket"',
        'TrainingData.Assets[0].GroundTruthManifest.S3Object.Name: "train.manifest"',
        "TestingData.AutoCreate: true",
        'Tags["team"]: "vision"',
    ] == result.stdout.splitlines()


def test_global_options_before_or_after_the_command() -> None:
    """--output and the other global options work on either side of the command."""
    before = run(["--output", "text", *CREATE, "--dry-run"])
    after = run([*CREATE, "--dry-run", "--output", "text", "--quiet"])
    assert 0 == before.code == after.code
    assert before.stdout == after.stdout


def test_validation_problems_exit_2_with_paths_and_flags() -> None:
    """Every problem is listed with its AWS path and flag; nothing is sent."""
    argv = [
        "create",
        "--dry-run",
        "--project-arn",
        VERSION,
        "--version-name",
        "v 1",
        "--output-config",
        "https://x/",
        "--tag",
        "aws:x=1",
    ]
    result = run(argv)
    assert 2 == result.code
    assert "4 problems in the CreateProjectVersion request; nothing was sent" in result.stderr
    lines = result.stderr.splitlines()[1:]
    assert lines[0].startswith("  ProjectArn (--project-arn): is a project *version* ARN")
    assert lines[1].startswith("  VersionName (--version-name):")
    assert lines[2].startswith("  OutputConfig (--output-config): must be an s3://bucket/key URI")
    assert lines[3].startswith('  Tags["aws:x"] (--tag):')
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("argv", "fragment"),
    [
        (
            ["create", "--version-name", "a", "--version-name", "b"],
            "--version-name was given twice",
        ),
        (["create", "--tag", "novalue"], "a tag is KEY=VALUE"),
        (["create", "--content-moderation-threshold", "high"], "not a number"),
        (["wait", VERSION, "--timeout", "soon"], "not a duration"),
        (["wait", VERSION, "--poll-interval", "-5"], "must be positive"),
        (["wait", VERSION, "--once", "--poll-interval", "5e-324"], "must be 0.001s to 365d"),
        (["validate-manifest", "s3://data"], "names no object key: 's3://data'"),
        (["validate-manifest", ""], "a manifest's path is empty"),
        (["--region", "", "describe", VERSION], "argument --region: not a region name: ''"),
        (["frobnicate"], "invalid choice"),
        ([], "the following arguments are required"),
        (["--output", "yaml", "describe", VERSION], "invalid choice"),
    ],
    ids=[
        "twice",
        "bad-tag",
        "bad-threshold",
        "bad-timeout",
        "negative-interval",
        "tiny-interval",
        "manifest-uri-without-key",
        "empty-manifest-path",
        "empty-region",
        "unknown-command",
        "no-command",
        "bad-output",
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Usage errors (argparse's, and arguments the library refuses) exit 2, named."""
    assert 2 == main(argv)
    assert fragment in capsys.readouterr().err


@pytest.mark.parametrize(
    ("stdin", "fragment"),
    [
        (
            "{bad",
            (
                "is not valid JSON: Expecting property name enclosed in double quotes at line 1 "
                "column 2"
            ),
        ),
        ("[1]", "must hold a JSON object"),
    ],
    ids=["malformed", "not-an-object"],
)
def test_bad_cli_input_json(stdin: str, fragment: str) -> None:
    """Malformed JSON exits 2 with where and what."""
    result = run(["create", "--cli-input-json", "-", "--dry-run"], stdin=stdin)
    assert 2 == result.code
    assert fragment in result.stderr


def test_cli_input_json_file_with_flags_overriding(tmp_path: Path) -> None:
    """The JSON shape of the AWS CLI is read from a file; flags override it."""
    source = small_request().to_boto() | {"Tags": {"team": "vision"}}
    path = tmp_path / "request.json"
    path.write_text(json.dumps(source))
    result = run(
        [
            "create",
            "--cli-input-json",
            f"file://{path}",
            "--version-name",
            "v9",
            "--tag",
            "stage=prod",
            "--dry-run",
        ]
    )
    assert 0 == result.code, result.stderr
    assert (
        source | {"VersionName": "v9", "Tags": {"team": "vision", "stage": "prod"}} == result.json()
    )


def test_cli_input_json_unknown_keys_and_missing_file(tmp_path: Path) -> None:
    """Unknown members are problems at their path; a missing file is named."""
    path = tmp_path / "request.json"
    path.write_text(
        json.dumps({"ProjectArn": PROJECT, "VersionName": "v1", "OutputConfig": {"Bucket": "b"}})
    )
    result = run(["create", "--cli-input-json", f"file://{path}", "--dry-run"])
    assert 2 == result.code
    assert "OutputConfig.Bucket (--output-config): is not a member of OutputConfig" in result.stderr
    missing = run(["create", "--cli-input-json", f"file://{tmp_path}/nope.json", "--dry-run"])
    assert 2 == missing.code
    assert "cannot read" in missing.stderr
    not_a_uri = run(["create", "--cli-input-json", str(path), "--dry-run"])
    assert "takes file://PATH or -" in not_a_uri.stderr


def test_create_sends_and_prints_the_arn(rekognition: tuple[Any, Stubber]) -> None:
    """create sends the request and prints the new ARN."""
    client, stubber = rekognition
    arn = stub_create_project_version(stubber, small_request())
    result = run(CREATE, rekognition=client, s3=object())
    assert 0 == result.code, result.stderr
    assert {"ProjectVersionArn": arn} == result.json()
    assert f"created {arn}" in result.stderr


def test_create_and_wait_reports_the_result(
    rekognition: tuple[Any, Stubber], monkeypatch: pytest.MonkeyPatch
) -> None:
    """--wait follows the training: progress on stderr, the result on stdout."""
    client, stubber = rekognition
    monkeypatch.setattr("time.sleep", lambda _: None)
    arn = stub_create_project_version(stubber, small_request())
    summary = {"Bucket": "out-bucket", "Name": "results/EvaluationResultSummary-cats-v1.json"}
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [version_description(arn)])
    stub_describe_project_versions(
        stubber,
        PROJECT,
        ["v1"],
        [
            version_description(
                arn,
                status="TRAINING_COMPLETED",
                f1_score=0.93,
                evaluation_summary=summary,
                billable_seconds=3723,
            )
        ],
    )
    result = run([*CREATE, "--wait", "--poll-interval", "1"], rekognition=client, s3=object())
    assert 0 == result.code, result.stderr
    assert "v1: TRAINING_IN_PROGRESS" in result.stderr
    assert "v1: TRAINING_COMPLETED" in result.stderr
    data = result.json()
    assert ("TRAINING_COMPLETED", 0.93, 3723) == (
        data["status"],
        data["f1_score"],
        data["billable_training_seconds"],
    )
    assert (
        "s3://out-bucket/results/EvaluationResultSummary-cats-v1.json" == data["evaluation_summary"]
    )
    text = run(
        ["describe", arn, "--project-arn", PROJECT, "--output", "text"],
        rekognition=client,
        s3=object(),
    )
    assert 1 == text.code  # the stub has no more answers: a service-side error, not a crash


def test_wait_training_failed_exits_3(rekognition: tuple[Any, Stubber]) -> None:
    """A failed training exits 3 with the reason on stderr."""
    client, stubber = rekognition
    stub_describe_project_versions(
        stubber,
        PROJECT,
        ["v1"],
        [
            version_description(
                VERSION,
                status="TRAINING_FAILED",
                status_message="ERROR_EMPTY_MANIFEST: The manifest file is empty.",
            )
        ],
    )
    result = run(["wait", VERSION, "--project-arn", PROJECT], rekognition=client, s3=object())
    assert 3 == result.code
    assert "The manifest file is empty" in result.stderr
    assert ["ERROR_EMPTY_MANIFEST"] == result.json()["error_codes"]


def test_wait_timeout_exits_4(rekognition: tuple[Any, Stubber], clock: FakeClock) -> None:
    """A wait that runs out of time exits 4 (polled at 0, 5, 10 and 15 s)."""
    from rekog_versions import ProjectVersionsClient  # noqa: PLC0415

    client, stubber = rekognition
    versions = ProjectVersionsClient(client)
    for _ in range(4):
        stub_describe_project_versions(stubber, PROJECT, ["v1"], [version_description(VERSION)])
    result = run(
        ["wait", VERSION, "--project-arn", PROJECT, "--timeout", "15", "--poll-interval", "5"],
        client=versions,
    )
    assert 4 == result.code, result.stderr
    assert "gave up waiting after 15 s" in result.stderr
    assert [5, 5, 5] == clock.sleeps


@pytest.mark.parametrize(
    ("status", "code", "outcome"),
    [
        ("TRAINING_IN_PROGRESS", 75, "in_progress"),
        ("TRAINING_COMPLETED", 0, "completed"),
        ("TRAINING_FAILED", 3, "failed"),
        ("DELETING", 6, "not_training"),
    ],
)
def test_wait_once_polls_once_and_exits_with_the_outcome(
    rekognition: tuple[Any, Stubber], clock: FakeClock, status: str, code: int, outcome: str
) -> None:
    """--once: one look, the PollResult as JSON, 75 (EX_TEMPFAIL) while training goes on."""
    from rekog_versions import PollResult  # noqa: PLC0415

    client, stubber = rekognition
    description = version_description(VERSION, status=status, created=clock.wall_time())
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [description])
    result = run(
        ["wait", VERSION, "--project-arn", PROJECT, "--once"], rekognition=client, s3=object()
    )
    assert code == result.code, result.stderr
    assert (outcome, status) == (result.json()["outcome"], result.json()["status"])
    assert (5 if code == 75 else None) == result.json()["wait_seconds"]
    assert outcome == PollResult.from_json(result.stdout).outcome.value
    assert [] == clock.sleeps


def test_wait_once_on_a_version_not_listed_yet_is_still_training(
    rekognition: tuple[Any, Stubber], clock: FakeClock
) -> None:
    """wait --once just after create, before the version is listed: 75, not exit 1."""
    client, stubber = rekognition
    just_made = version_arn(
        "cats", "v1", timestamp=int(clock.wall_time().timestamp() * 1000) - 1000
    )
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [])
    result = run(
        ["wait", just_made, "--project-arn", PROJECT, "--once"], rekognition=client, s3=object()
    )
    assert 75 == result.code, result.stderr
    assert "in_progress" == result.json()["outcome"]


def test_wait_once_text_and_its_bad_flags(
    rekognition: tuple[Any, Stubber], clock: FakeClock
) -> None:
    """wait --once prints when to look next; --once with --timeout exits 2."""
    client, stubber = rekognition
    stub_describe_project_versions(
        stubber, PROJECT, ["v1"], [version_description(VERSION, created=clock.wall_time())]
    )
    argv = ["wait", VERSION, "--project-arn", PROJECT, "--once"]
    text = run(
        [*argv, "--output", "text", "--poll-interval", "30"], rekognition=client, s3=object()
    )
    assert 75 == text.code
    assert "TRAINING_IN_PROGRESS (in_progress)" in text.stdout
    assert "next poll at: 2026-11-27T12:00:30Z (in 30 s)" in text.stdout
    refused = run([*argv, "--timeout", "1h"], rekognition=client, s3=object())
    assert (2, "") == (refused.code, refused.stdout)
    assert "--once looks once: it goes without --timeout" in refused.stderr


def test_deleting_exits_6(rekognition: tuple[Any, Stubber]) -> None:
    """A version being deleted exits 6."""
    client, stubber = rekognition
    stub_describe_project_versions(
        stubber, PROJECT, ["v1"], [version_description(VERSION, status="DELETING")]
    )
    result = run(["wait", VERSION, "--project-arn", PROJECT], rekognition=client, s3=object())
    assert 6 == result.code
    assert "being deleted" in result.stderr


def test_service_error_exits_1_with_code_and_request_id(rekognition: tuple[Any, Stubber]) -> None:
    """A service error exits 1 with its code, message and request id on stderr."""
    client, stubber = rekognition
    stubber.add_client_error(
        "create_project_version",
        "LimitExceededException",
        "Too many jobs",
        400,
        response_meta={"RequestId": "req-42"},
    )
    result = run(CREATE, rekognition=client, s3=object())
    assert 1 == result.code
    assert "[LimitExceededException] Too many jobs" in result.stderr
    assert "request id: req-42" in result.stderr
    assert "" == result.stdout


def test_preflight_problems_exit_2(rekognition: tuple[Any, Stubber]) -> None:
    """--preflight lists what the live project would refuse, and sends nothing."""
    from rekog_versions.testing import project_description, stub_describe_projects  # noqa: PLC0415

    client, stubber = rekognition
    stub_describe_projects(stubber, "cats", [project_description(PROJECT, datasets=["TRAIN"])])
    stub_describe_project_versions(stubber, PROJECT, ["v1"], [])
    result = run([*CREATE, "--preflight"], rekognition=client, s3=object())
    assert 2 == result.code
    assert "TrainingData (--training-data): the project has datasets (TRAIN)" in result.stderr


def test_describe_json_and_text(rekognition: tuple[Any, Stubber]) -> None:
    """describe prints the version as JSON, or as key: value lines."""
    client, stubber = rekognition
    for _ in range(2):
        stub_describe_project_versions(
            stubber,
            PROJECT,
            ["v1"],
            [version_description(VERSION, status="TRAINING_COMPLETED", f1_score=0.5)],
        )
    as_json = run(["describe", VERSION, "--project-arn", PROJECT], rekognition=client, s3=object())
    assert "TRAINING_COMPLETED" == as_json.json()["status"]
    as_text = run(
        ["describe", VERSION, "--project-arn", PROJECT, "--output", "text"],
        rekognition=client,
        s3=object(),
    )
    assert "status: TRAINING_COMPLETED" in as_text.stdout
    assert "f1_score: 0.5" in as_text.stdout


def test_evaluation_table(rekognition: tuple[Any, Stubber]) -> None:
    """evaluation prints per-label metrics as a table or JSON."""
    from test_client import EVALUATION_WITH_METRICS, SUMMARY, _s3_body  # noqa: PLC0415

    from fakes import boto_client  # noqa: PLC0415

    client, stubber = rekognition
    from rekog_versions.testing import project_description, stub_describe_projects  # noqa: PLC0415

    stub_describe_projects(stubber, "cats", [project_description(PROJECT)])
    stub_describe_project_versions(
        stubber,
        PROJECT,
        ["v1"],
        [
            version_description(
                VERSION, status="TRAINING_COMPLETED", f1_score=0.92, evaluation_summary=SUMMARY
            )
        ],
    )
    s3 = boto_client("s3")
    with Stubber(s3) as s3_stubber:
        s3_stubber.add_response(
            "get_object",
            _s3_body(EVALUATION_WITH_METRICS),
            {"Bucket": SUMMARY["Bucket"], "Key": SUMMARY["Name"]},
        )
        result = run(["evaluation", VERSION, "--output", "text"], rekognition=client, s3=s3)
    assert 0 == result.code, result.stderr
    assert result.stdout.splitlines()[0].startswith("label")
    assert "CAP" in result.stdout.splitlines()[1]
    assert "0.975" in result.stdout


def test_validate_manifest_exit_codes(tmp_path: Path) -> None:
    """validate-manifest exits 0 when training would proceed, 5 otherwise."""
    good = write(tmp_path / "good.manifest", good_classification(4))
    bad = write(tmp_path / "bad.manifest", ["{", "{"])
    ok = run(["validate-manifest", str(good)])
    assert 0 == ok.code, ok.stderr
    assert ok.json()["ok"] is True
    failed = run(["validate-manifest", str(bad), "--output", "text"])
    assert 5 == failed.code
    assert failed.stdout.startswith("training would fail")
    missing = run(["validate-manifest", str(tmp_path / "none.manifest")])
    assert 5 == missing.code
    assert "ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT" in missing.stdout


def test_unexpected_errors_are_one_line_unless_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug shows one line, and a traceback only with --debug."""

    def boom(*_: Any, **__: Any) -> Any:
        raise ZeroDivisionError("oops")

    monkeypatch.setattr("rekog_versions.cli._run", boom)
    result = run(["describe", VERSION])
    assert 1 == result.code
    assert "unexpected error (ZeroDivisionError): oops; run with --debug" in result.stderr
    with pytest.raises(ZeroDivisionError):
        run(["describe", VERSION, "--debug"])


def test_verbose_logs_to_stderr(rekognition: tuple[Any, Stubber]) -> None:
    """--verbose shows the library's INFO log on stderr."""
    client, stubber = rekognition
    stub_create_project_version(stubber, small_request())
    result = run([*CREATE, "--verbose"], rekognition=client, s3=object())
    assert "rekog_versions INFO created project version" in result.stderr


def test_help_lists_examples_and_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    """--help shows examples and every exit code."""
    assert 0 == main(["--help"])
    out = capsys.readouterr().out
    assert "examples:" in out
    for code, meaning in EXIT_CODES.items():
        assert f"{code:<4} {meaning}" in out


@pytest.mark.parametrize(
    "command",
    [
        "create",
        "describe",
        "wait",
        "evaluation",
        "gate",
        "validate-manifest",
        "state-machine",
        "emulate",
        "demo",
    ],
)
def test_each_command_has_its_own_short_help(
    command: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its own examples only, and a pointer to the exit codes instead of the whole list."""
    assert 0 == main([command, "--help"])
    out = capsys.readouterr().out
    examples = out[out.index("examples:") :]
    lines = [line for line in examples.splitlines() if line.startswith("  rekog-versions ")]
    assert lines
    assert all(line.startswith(f"  rekog-versions {command}") for line in lines), examples
    assert "exit codes: see rekog-versions --help" in out
    assert EXIT_CODES[0] not in out


@pytest.mark.parametrize(
    ("argv", "where"),
    [
        (["describe", "not-an-arn"], "ARN"),
        (["wait", "not-an-arn", "--once"], "ARN"),
        (["evaluation", PROJECT], "ARN"),
        (["gate", "not-an-arn", "--min-f1", "0.5"], "ARN"),
        (["gate", VERSION, "--baseline", "nope", "--min-f1", "0.5"], "--baseline"),
        (["describe", VERSION, "--project-arn", VERSION], "--project-arn"),
    ],
)
def test_a_malformed_arn_exits_2_before_any_client_is_built(
    argv: list[str], where: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No region is configured: building a client would exit 1; the ARN is judged first."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent")
    result = run(argv)
    assert (2, "") == (result.code, result.stdout), result.stderr
    assert f"  {where}: " in result.stderr


def test_interrupted(monkeypatch: pytest.MonkeyPatch) -> None:
    """Ctrl-C exits 130 without a traceback."""

    def interrupt(*_: Any, **__: Any) -> Any:
        raise KeyboardInterrupt

    monkeypatch.setattr("rekog_versions.cli._run", interrupt)
    result = run(["describe", VERSION])
    assert (130, "rekog-versions: interrupted\n") == (result.code, result.stderr)


def test_malformed_json_tags_are_not_hidden_by_tag_flags(tmp_path: Path) -> None:
    """--tag does not paper over Tags in the JSON that are not a mapping."""
    path = tmp_path / "request.json"
    path.write_text(json.dumps(small_request().to_boto() | {"Tags": [["team", "vision"]]}))
    result = run(["create", "--cli-input-json", f"file://{path}", "--tag", "a=b", "--dry-run"])
    assert 2 == result.code
    assert "Tags (--tag): must be a mapping of strings to strings, got list" in result.stderr


def test_no_region_is_said_as_the_library_says_it(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without a region the CLI names the fix, as ConfigurationError does, not NoRegionError."""
    for name in ("AWS_REGION", "AWS_DEFAULT_REGION", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", "/nonexistent/config")
    # describe would take the version's region from its ARN; create has none to take.
    result = run([*CREATE, "--endpoint-url", "http://127.0.0.1:9"])
    assert 1 == result.code
    assert "unexpected error" not in result.stderr
    assert "pass --region, set AWS_REGION" in result.stderr  # the flag, not region_name=


def test_a_version_is_asked_about_in_its_own_region(world: World) -> None:
    """Without --region, a version's calls go to its ARN's region; with another, exit 2."""
    other = version_arn("cats", "v1", region="eu-west-1")
    result = run(["--debug", "describe", other, "--endpoint-url", world.local.endpoint_url])
    assert "/eu-west-1/rekognition/aws4_request" in result.stderr  # signed for its region
    assert "/us-east-1/rekognition/" not in result.stderr
    refused = run(["--region", "us-east-1", "describe", other])
    assert 2 == refused.code
    assert "is in eu-west-1, but --region says us-east-1" in refused.stderr


def test_a_refused_connection_is_reported_at_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """Nothing listening on the endpoint: one attempt, a NetworkError, exit 1, no retry lines."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    endpoint = f"http://127.0.0.1:{closed_port()}"
    result = run(["--region", "us-east-1", "describe", VERSION, "--endpoint-url", endpoint])
    assert 1 == result.code
    assert "Could not connect to the endpoint URL" in result.stderr
    assert "retry" not in result.stderr


def _emulated(world: World, *flags: str) -> Run:
    arn = "arn:aws:rekognition:us-east-1:123456789012:project/none/version/v1/1700000000001"
    return run(
        [
            *flags,
            "--region",
            "us-east-1",
            "--endpoint-url",
            world.local.endpoint_url,
            "describe",
            arn,
        ]
    )


@pytest.mark.parametrize("quiet", [False, True], ids=["default", "quiet"])
def test_quiet_hides_the_retry_warnings(world: World, clock: FakeClock, quiet: bool) -> None:
    """A retried throttle is a warning line on stderr, except with --quiet."""
    world.local.faults.throttle("DescribeProjects", count=1)
    result = _emulated(world, *(["--quiet"] if quiet else []))
    assert 1 == result.code  # the project does not exist
    assert [0.5] == clock.sleeps  # the throttled call was retried once
    assert ("retry 1" in result.stderr) is not quiet
    assert "no project named 'none'" in result.stderr


def test_debug_never_shows_credentials(world: World, monkeypatch: pytest.MonkeyPatch) -> None:
    """botocore's DEBUG log of the signed request has its credentials redacted."""
    secrets = {
        "AWS_ACCESS_KEY_ID": "AKIAIOSFODNN7EXAMPLE",
        "AWS_SECRET_ACCESS_KEY": "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AWS_SESSION_TOKEN": "FwoGZXIvYXdzEXAMPLEsessionTOKENvalue0123456789",
    }
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    result = _emulated(world, "--debug")
    assert 1 == result.code
    assert "Authorization" in result.stderr  # the signed request was logged ...
    assert "<redacted>" in result.stderr  # ... and its credentials taken out
    for value in secrets.values():
        assert value not in result.stderr


def test_debug_never_shows_assumed_role_credentials(
    world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """With an assume-role profile, STS's answer is logged with its secrets redacted."""
    from moto.core import DEFAULT_ACCOUNT_ID  # noqa: PLC0415 - moto's own account
    from moto.sts.models import sts_backends  # noqa: PLC0415

    config = tmp_path / "config"
    config.write_text(
        "[profile base]\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\n"
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n"
        "[profile trainer]\nrole_arn = arn:aws:iam::123456789012:role/trainer\n"
        "source_profile = base\nregion = us-east-1\n",
        encoding="utf-8",
    )
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", str(tmp_path / "no-credentials"))
    result = _emulated(world, "--debug", "--profile", "trainer")
    assert 1 == result.code  # the project does not exist
    assert "<AssumeRoleResponse" in result.stderr  # STS's answer was logged ...
    issued = sts_backends[DEFAULT_ACCOUNT_ID]["global"].assumed_roles
    assert issued
    for role in issued:  # ... and none of what it issued is shown
        assert role.secret_access_key not in result.stderr
        assert role.session_token not in result.stderr
        assert role.access_key_id not in result.stderr
    assert "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" not in result.stderr


@pytest.mark.parametrize(
    "line",
    [
        (
            "<Credentials><SecretAccessKey>wJalr/K7+MDENG</SecretAccessKey>"
            "<SessionToken>FQoGZXIv+w1k/YWV2==</SessionToken></Credentials>"
        ),
        '{"roleCredentials":{"secretAccessKey":"wJalr/K7+MDENG","sessionToken":"FQoGZXIv+w1k"}}',
        "{'Credentials': {'SecretAccessKey': 'wJalr/K7+MDENG', 'SessionToken': 'FQoGZXIv+w1k'}}",
        """b'{\\"secretAccessKey\\":\\"wJalr/K7+MDENG\\",\\"sessionToken\\":\\"FQoGZXIv+w1k\\"}'""",
        "headers={'X-Amz-Security-Token': b'FQoGZXIv+w1k', 'X-Amz-Date': b'20261203'}",
        "X-Amz-Security-Token=FQoGZXIv+w1k&X-Amz-Date=1 aws_secret_access_key = wJalr/K7+MDENG",
    ],
    ids=["sts-xml", "sso-json", "python-repr", "escaped-json", "header", "query-and-ini"],
)
def test_secrets_are_redacted_by_shape(line: str) -> None:
    """A secret key or token is taken out by its member's name, whoever logged it."""
    from rekog_versions.cli._console import Redact  # noqa: PLC0415 - the command line's own

    redacted = Redact().redact(line)
    assert "wJalr/K7+MDENG" not in redacted
    assert "FQoGZXIv+w1k" not in redacted
    assert "<redacted>" in redacted


def _deep_json(depth: int) -> str:
    return '{"VersionName": ' + "[" * depth + "]" * depth + "}"


@pytest.mark.parametrize(
    "document",
    [_deep_json(5000), '{"VersionName": ' + "9" * 5000 + "}"],
    ids=["nested-5000-deep", "number-of-5000-digits"],
)
def test_cli_input_json_that_json_cannot_hold_is_bad_input(tmp_path: Path, document: str) -> None:
    """What the json module refuses beyond its syntax errors is still exit 2, said as such."""
    path = tmp_path / "request.json"
    path.write_text(document, encoding="utf-8")
    result = run(["create", "--dry-run", "--cli-input-json", f"file://{path}"])
    assert 2 == result.code
    # Python 3.13's json reads 5,000-deep nesting, and the request's problems are then
    # listed instead; either way it is bad input, named, not an unexpected error.
    assert "unexpected error" not in result.stderr
    assert "cannot be read as a request" in result.stderr or "VersionName" in result.stderr


def test_cli_input_json_from_a_closed_stdin_is_bad_input() -> None:
    """--cli-input-json - with standard input closed is exit 2, not an AttributeError."""
    closed = io.StringIO()
    closed.close()
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["create", "--dry-run", "--cli-input-json", "-"], stdin=closed, stdout=out, stderr=err
    )
    assert 2 == code
    assert "standard input is closed" in err.getvalue()


def test_cli_input_json_of_an_endless_file_is_refused() -> None:
    """file:///dev/zero is read only up to the size a request can have."""
    result = run(["create", "--dry-run", "--cli-input-json", "file:///dev/zero"])
    assert 2 == result.code
    assert "a request is a few kilobytes" in result.stderr


def test_auto_split_with_a_testing_manifest_is_bad_input(tmp_path: Path) -> None:
    """validate-manifest --testing X --auto-split contradicts itself: exit 2."""
    path = write(tmp_path / "m.manifest", good_classification())
    result = run(["validate-manifest", str(path), "--testing", str(path), "--auto-split"])
    assert 2 == result.code
    assert "give no --testing manifest" in result.stderr


def test_a_file_name_that_is_not_utf8_is_printed(tmp_path: Path) -> None:
    """A manifest path that is not UTF-8 is escaped on a strict UTF-8 stdout, as valid JSON."""
    name = os.fsdecode(b"bad-\xff.manifest")
    path = tmp_path / name
    write(path, good_classification())
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")
    code = main(["validate-manifest", str(path)], stdout=stdout, stderr=io.StringIO())
    stdout.flush()
    data = json.loads(stdout.buffer.getvalue().decode("utf-8"))  # type: ignore[attr-defined]
    assert 0 == code
    assert data["training"]["source"].endswith("bad-\udcff.manifest")


def test_an_unreachable_s3_is_a_failure_to_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """No S3 to read the manifest from: exit 1, not a verdict on the manifest (exit 5)."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    endpoint = f"http://127.0.0.1:{closed_port()}"
    result = run(
        [
            "--region",
            "us-east-1",
            "--s3-endpoint-url",
            endpoint,
            "validate-manifest",
            "s3://bkt/train.manifest",
        ]
    )
    assert 1 == result.code
    assert "Could not connect" in result.stderr
    assert "ERROR_MANIFEST_INACCESSIBLE" not in result.stdout + result.stderr


# -- any arguments ----------------------------------------------------------------------

_TRAINING = ["--output-config", "s3://bkt/o/", "--training-data", "s3://bkt/t.manifest"]
_INVOCATIONS = (  # one working command line of each kind, to change at random
    ["create", "--dry-run", "--project-arn", PROJECT, "--version-name", "v2", *_TRAINING,
     "--auto-split"],
    ["create", "--project-arn", PROJECT, "--version-name", "auto:cats", *_TRAINING,
     "--auto-split", "--if-exists", "reuse", "--preflight", "--validate-manifests", "--wait"],
    ["describe", VERSION],
    ["wait", VERSION, "--timeout", "3h"],
    ["wait", VERSION, "--once"],
    ["evaluation", VERSION, "--output", "text"],
    ["gate", VERSION, "--baseline", "latest", "--min-f1", "0.8", "--max-f1-drop", "0.02",
     "--output", "markdown"],
    ["validate-manifest", "m.manifest", "--testing", "m.manifest", "--output", "text"],
    ["make-manifest", "csv", "l.csv", "--images-uri", "s3://bkt/images/", "--manifest", "m",
     "--testing-manifest", "t", "--test-fraction", "0.2", "--seed", "7"],
    ["state-machine", "--project-arn", PROJECT, "--version-name", "v2", *_TRAINING,
     "--auto-split", "--min-f1", "0.85"],
)  # fmt: skip
_TOKENS = st.sampled_from(
    [
        "--timeout", "--poll-interval", "--once", "--baseline", "--min-f1", "--max-f1-drop",
        "--output", "--testing", "--auto-split", "--feature", "--check-images", "--image-workers",
        "--test-fraction", "--seed", "--job-name", "--images-dir", "--if-exists", "--tags",
        "--cli-input-json", "--feature-config", "--max-concurrency", "-v", "--quiet",
        VERSION, PROJECT, "s3://bkt/x", "s3://b/", "", "-", "0", "-1", "nan", "inf", "1e400",
        "9" * 50, "auto", "text", "json", "markdown", "{}", "[]", '{"a": 1}', "x" * 3000, ".",
        "/nonexistent", "reuse", "latest", "Key=a,Value=b", "CONTENT_MODERATION",
    ]
) | st.text(max_size=8)  # fmt: skip


@st.composite
def invocations(draw: st.DrawFn) -> list[str]:
    """A working command line with up to three tokens replaced, added or removed."""
    argv = list(draw(st.sampled_from(_INVOCATIONS)))
    for _ in range(draw(st.integers(1, 3))):
        where = draw(st.integers(1, len(argv)))
        change = draw(st.sampled_from(["replace", "insert", "delete"]))
        if change == "insert" or where == len(argv):
            argv.insert(where, draw(_TOKENS))
        elif change == "replace":
            argv[where] = draw(_TOKENS)
        elif len(argv) > 2:
            del argv[where]
    return argv


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(argv=invocations())
def test_any_arguments_get_a_documented_exit_code_and_no_crash(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whatever the arguments, a documented exit code and a message, never a crash."""
    endpoint = f"http://127.0.0.1:{closed_port()}"
    monkeypatch.setenv("AWS_ENDPOINT_URL_REKOGNITION", endpoint)
    monkeypatch.setenv("AWS_ENDPOINT_URL_S3", endpoint)
    monkeypatch.chdir(tmp_path)  # what make-manifest writes stays here
    write(tmp_path / "m.manifest", good_classification(4))
    (tmp_path / "l.csv").write_text("a.jpg,cat\nb.jpg,dog\nc.jpg,cat\nd.jpg,dog\n")
    stdout, stderr = io.StringIO(), io.StringIO()
    code = main(argv, stdin=io.StringIO(""), stdout=stdout, stderr=stderr)
    assert code in EXIT_CODES, (code, stderr.getvalue())
    assert "unexpected error" not in stderr.getvalue()
