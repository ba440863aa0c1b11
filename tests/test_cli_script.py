"""The installed rekog-versions console script, run as a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

SCRIPT = Path(sys.executable).parent / "rekog-versions"
PROJECT = "arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000"

pytestmark = pytest.mark.skipif(not SCRIPT.exists(), reason="the console script is not installed")


def _run(
    *argv: str, stdin: str = "", extra_env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    # No credentials, no config files, no instance metadata: nothing can reach AWS.
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_")}
    env.update(
        AWS_EC2_METADATA_DISABLED="true",
        AWS_CONFIG_FILE=os.devnull,
        AWS_SHARED_CREDENTIALS_FILE=os.devnull,
    )
    env.update(extra_env or {})
    return subprocess.run(
        [str(SCRIPT), *argv],
        input=stdin,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )


def test_version_does_not_import_boto3() -> None:
    """--version answers without importing boto3 (checked with python -X importtime)."""
    result = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "import sys; from rekog_versions.cli import main; sys.exit(main(['--version']))",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert 0 == result.returncode
    assert result.stdout.startswith("rekog-versions ")
    imported = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines()}
    assert "boto3" not in imported
    assert "botocore" not in imported
    assert "rekog_versions.cli" in imported


def test_script_version_and_help() -> None:
    """The installed script answers --version and --help with exit code 0."""
    version = _run("--version")
    assert (0, "") == (version.returncode, version.stderr)
    assert version.stdout.startswith("rekog-versions 0.")
    usage = _run("create", "--help")
    assert 0 == usage.returncode
    assert "--content-moderation-threshold" in usage.stdout


def test_script_dry_run_from_stdin() -> None:
    """A dry run reads the request from stdin and prints it, with no credentials at all."""
    request = {"ProjectArn": PROJECT, "VersionName": "v1", "OutputConfig": {"S3Bucket": "bkt"}}
    result = _run("create", "--cli-input-json", "-", "--dry-run", stdin=json.dumps(request))
    assert 0 == result.returncode, result.stderr
    assert request == json.loads(result.stdout)


def test_script_invalid_input_exits_2_without_traceback() -> None:
    """Invalid input exits 2 with the problems and no traceback."""
    result = _run("create", "--dry-run", "--version-name", "bad name")
    assert 2 == result.returncode
    assert "VersionName (--version-name)" in result.stderr
    assert "ProjectArn (--project-arn): is required" in result.stderr
    assert "Traceback" not in result.stderr


def test_script_without_credentials_exits_1() -> None:
    """A real call with no credentials and no region fails cleanly with exit code 1."""
    result = _run(
        "describe",
        "arn:aws:rekognition:us-east-1:111122223333:project/cats/version/v1/1",
        "--region",
        "us-east-1",
        "--project-arn",
        PROJECT,
    )
    assert 1 == result.returncode
    assert "Traceback" not in result.stderr
    assert "rekog-versions:" in result.stderr


def test_script_against_the_emulator(world: Any) -> None:
    """The installed script creates, follows and describes a version on LocalRekognition."""
    from emulated import BUCKET, create_argv  # noqa: PLC0415

    project = world.rekognition().create_project(ProjectName="cli")["ProjectArn"]
    endpoint = ["--endpoint-url", world.local.endpoint_url, "--region", "us-east-1"]
    env_credentials = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    created = _run(
        *endpoint,
        *create_argv(project),
        "--wait",
        "--poll-interval",
        "0.2",
        "--timeout",
        "60",
        extra_env=env_credentials,
    )
    assert 0 == created.returncode, created.stderr
    result = json.loads(created.stdout)
    assert "TRAINING_COMPLETED" == result["status"]
    assert "v1: TRAINING_COMPLETED" in created.stderr
    described = _run(
        *endpoint, "describe", result["arn"], "--output", "text", extra_env=env_credentials
    )
    assert 0 == described.returncode, described.stderr
    assert "status: TRAINING_COMPLETED" in described.stdout
    taken = _run(
        *endpoint,
        "create",
        "--project-arn",
        project,
        "--version-name",
        "v1",
        "--output-config",
        f"s3://{BUCKET}/elsewhere/",
        "--training-data",
        f"s3://{BUCKET}/train.manifest",
        "--auto-split",
        extra_env=env_credentials,
    )
    assert 1 == taken.returncode
    assert "[ResourceInUseException]" in taken.stderr
    assert "is taken in this project" in taken.stderr
    # The same request again a minute later: one request answered "taken" made nothing,
    # so the version is not this run's to claim (it was "created", exit 0).
    again = _run(*endpoint, *create_argv(project), extra_env=env_credentials)
    assert 1 == again.returncode, again.stdout
    assert "this call sent one request" in again.stderr
    assert "" == again.stdout
