"""The offline end-to-end demo behind ``rekog-versions demo``.

Everything runs in this process and on loopback: moto's in-process S3, and
LocalRekognition on 127.0.0.1. No AWS account, no credentials, no network.
"""

from __future__ import annotations

import os
import time
from importlib.resources import files
from typing import TYPE_CHECKING, Any, TextIO

from rekog_versions.builder import RequestBuilder
from rekog_versions.client import ProjectVersionsClient, RetryPolicy
from rekog_versions.errors import TrainingFailedError
from rekog_versions.manifests import validate_manifest
from rekog_versions.testing._emulator import LocalRekognition

if TYPE_CHECKING:
    from rekog_versions.results import ProjectVersion

__all__ = ["run_demo"]

BUCKET = "demo-images"
_FAKE_ENVIRONMENT = {
    "AWS_ACCESS_KEY_ID": "demo",
    "AWS_SECRET_ACCESS_KEY": "demo",
    "AWS_SESSION_TOKEN": "demo",
    "AWS_DEFAULT_REGION": "us-east-1",
}


def _sample(name: str) -> bytes:
    # One name a joinpath() call: Python 3.10's Traversable takes no more.
    return files("rekog_versions.testing").joinpath("data").joinpath(name).read_bytes()


def run_demo(out: TextIO, err: TextIO, *, training_seconds: float = 3.0) -> int:  # noqa: PLR0915 - a script, step by step
    """Run the demo, printing to ``out`` (what happens) and ``err`` (progress)."""
    try:
        from moto import mock_aws  # noqa: PLC0415
    except ImportError:
        err.write(
            "rekog-versions: the demo needs moto for its in-process S3: "
            "pip install 'rekog-versions[demo]'\n"
        )
        return 1
    import boto3  # noqa: PLC0415

    def say(text: str = "") -> None:
        out.write(text + "\n")
        out.flush()

    saved = {key: os.environ.get(key) for key in _FAKE_ENVIRONMENT}
    os.environ.update(_FAKE_ENVIRONMENT)  # moto's S3 and the emulator need no real ones
    started = time.monotonic()
    try:
        with mock_aws():
            s3 = boto3.client("s3", region_name="us-east-1")  # pyright: ignore[reportUnknownMemberType]
            s3.create_bucket(Bucket=BUCKET)
            s3.put_object(
                Bucket=BUCKET, Key="manifests/animals.manifest", Body=_sample("animals.manifest")
            )
            s3.put_object(
                Bucket=BUCKET, Key="manifests/broken.manifest", Body=_sample("broken.manifest")
            )
            with LocalRekognition(s3_client=s3, training_seconds=training_seconds) as local:
                rekognition = boto3.client(  # pyright: ignore[reportUnknownMemberType]
                    "rekognition", region_name="us-east-1", endpoint_url=local.endpoint_url
                )
                client = ProjectVersionsClient(
                    rekognition, s3_client=s3, retry=RetryPolicy(not_found_grace=5)
                )
                say(
                    "1. An S3 bucket (moto, in-process) and Rekognition "
                    f"(LocalRekognition at {local.endpoint_url})."
                )
                project = rekognition.create_project(ProjectName="animals")["ProjectArn"]
                say(f"   project: {project}")

                say("\n2. Validate the training manifest before spending money on it:")
                report = validate_manifest(
                    f"s3://{BUCKET}/manifests/animals.manifest", s3_client=s3, auto_split=True
                )
                for line in report.to_text().splitlines():
                    say(f"   {line}")

                say(
                    "\n3. Build the request; every rule of the service is checked before it is "
                    "sent:"
                )
                request = (
                    RequestBuilder(project_arn=project, version_name="animals-v1")
                    .output(f"s3://{BUCKET}/results/")
                    .training_manifest(f"s3://{BUCKET}/manifests/animals.manifest")
                    .auto_split()
                    .tag("team", "vision")
                    .build()
                )
                problems = client.preflight(request)
                say(f"   preflight against the live project: {len(problems)} problems")
                arn = client.create(request)
                say(f"   created {arn}")

                say("\n4. Follow the training:")
                version = client.wait(arn, poll_interval=0.5, on_change=_progress(say, started))
                say(f"   F1 {version.f1_score}, billable time {version.billable_training_time}")
                summary = client.evaluation(version)
                say(
                    f"   {'label':<8} {'images':>6} {'threshold':>9} {'precision':>9} "
                    f"{'recall':>6} {'F1':>6}"
                )
                for label in summary.per_label:
                    say(
                        f"   {label.label:<8} {label.testing_images:>6} {label.threshold:>9.3f} "
                        f"{label.precision:>9.3f} {label.recall:>6.3f} {label.f1_score:>6.3f}"
                    )

                say("\n5. A broken manifest, caught before any training starts:")
                broken = validate_manifest(
                    f"s3://{BUCKET}/manifests/broken.manifest", s3_client=s3, auto_split=True
                )
                say(f"   training would {'proceed' if broken.ok else 'fail'}:")
                for problem in broken.problems[:8]:
                    say(f"   - {problem}")

                say("\n6. A training that fails anyway (a manifest key with a typo), explained:")
                typo = (
                    RequestBuilder(project_arn=project, version_name="animals-v2")
                    .output(f"s3://{BUCKET}/results/")
                    .training_manifest(f"s3://{BUCKET}/manifests/animls.manifest")
                    .auto_split()
                    .build()
                )
                failed_arn = client.create(typo)
                try:
                    client.wait(failed_arn, poll_interval=0.5, on_change=_progress(say, started))
                except TrainingFailedError as error:
                    say(f"   TrainingFailedError: {error}")
                    say(f"   error codes: {', '.join(error.error_codes)}")
                else:
                    say("   (it did not fail: the demo expected it to)")
                    return 1
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value
    say(f"\nDone in {time.monotonic() - started:.1f} s, offline.")
    return 0


def _progress(say: Any, started: float) -> Any:  # noqa: ANN401 - small closures of the script
    def on_change(version: ProjectVersion) -> None:
        say(f"   {time.monotonic() - started:5.1f} s  {version.name}: {version.status_text}")

    return on_change
