"""The offline end-to-end demo behind ``rekog-versions demo``.

Everything runs in this process and on loopback: moto's in-process S3, and
LocalRekognition on 127.0.0.1. No AWS account, no credentials, no network.
"""

from __future__ import annotations

import os
import time
from contextlib import contextmanager
from importlib.resources import files
from typing import TYPE_CHECKING, Any, TextIO

from rekog_versions._aws import boto3_client
from rekog_versions._extras import require
from rekog_versions._retry import RetryPolicy
from rekog_versions.builder import RequestBuilder
from rekog_versions.client import ProjectVersionsClient
from rekog_versions.errors import TrainingFailedError
from rekog_versions.testing._emulator import LocalRekognition

if TYPE_CHECKING:
    from collections.abc import Callable, Generator

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


@contextmanager
def _fake_environment() -> Generator[None, None, None]:
    """Fake credentials in the environment for the block (moto's S3 and the emulator)."""
    saved = {key: os.environ.get(key) for key in _FAKE_ENVIRONMENT}
    os.environ.update(_FAKE_ENVIRONMENT)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _Demo:
    """The demo's steps, on one emulated S3 and Rekognition, printing as they go."""

    def __init__(self, out: TextIO, s3: Any, local: LocalRekognition) -> None:  # noqa: ANN401 - an S3 client
        self.out = out
        self.s3 = s3
        self.local = local
        self.started = time.monotonic()
        self.rekognition: Any = boto3_client(
            "rekognition", region_name="us-east-1", endpoint_url=local.endpoint_url
        )
        self.client = ProjectVersionsClient(
            self.rekognition, s3_client=s3, retry=RetryPolicy(not_found_grace=5)
        )
        self.project = ""

    def say(self, text: str = "") -> None:
        self.out.write(text + "\n")
        self.out.flush()

    def progress(self) -> Callable[[ProjectVersion], None]:
        def on_change(version: ProjectVersion) -> None:
            elapsed = time.monotonic() - self.started
            self.say(f"   {elapsed:5.1f} s  {version.name}: {version.status_text}")

        return on_change

    def request(self, version_name: str, manifest: str) -> RequestBuilder:
        return (
            RequestBuilder(project_arn=self.project, version_name=version_name)
            .output(f"s3://{BUCKET}/results/")
            .training_manifest(f"s3://{BUCKET}/manifests/{manifest}")
            .auto_split()
        )

    def setting_up(self) -> None:
        self.say(
            "1. An S3 bucket (moto, in-process) and Rekognition "
            f"(LocalRekognition at {self.local.endpoint_url})."
        )
        self.project = self.rekognition.create_project(ProjectName="animals")["ProjectArn"]
        self.say(f"   project: {self.project}")

    def training(self) -> str:
        self.say("\n3. Build the request; every rule of the service is checked before it is sent:")
        request = self.request("animals-v1", "animals.manifest").tag("team", "vision").build()
        problems = self.client.preflight(request)
        self.say(f"   preflight against the live project: {len(problems)} problems")
        arn = self.client.create(request)
        self.say(f"   created {arn}")
        self.say("\n4. Follow the training:")
        version = self.client.wait(arn, poll_interval=0.5, on_change=self.progress())
        self.say(f"   F1 {version.f1_score}, billable time {version.billable_training_time}")
        summary = self.client.evaluation(version)
        self.say(
            f"   {'label':<8} {'images':>6} {'threshold':>9} {'precision':>9} "
            f"{'recall':>6} {'F1':>6}"
        )
        for label in summary.per_label:
            self.say(
                f"   {label.label:<8} {label.testing_images:>6} {label.threshold:>9.3f} "
                f"{label.precision:>9.3f} {label.recall:>6.3f} {label.f1_score:>6.3f}"
            )
        return arn

    def failing(self) -> bool:
        """A training that fails on a typo in its manifest's key; whether it failed."""
        self.say("\n6. A training that fails anyway (a manifest key with a typo), explained:")
        failed_arn = self.client.create(self.request("animals-v2", "animls.manifest").build())
        try:
            self.client.wait(failed_arn, poll_interval=0.5, on_change=self.progress())
        except TrainingFailedError as error:
            self.say(f"   TrainingFailedError: {error}")
            self.say(f"   error codes: {', '.join(error.error_codes)}")
            return True
        self.say("   (it did not fail: the demo expected it to)")
        return False

    def run(self) -> int:
        from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

        self.setting_up()
        self.say("\n2. Validate the training manifest before spending money on it:")
        report = validate_manifest(
            f"s3://{BUCKET}/manifests/animals.manifest", s3_client=self.s3, auto_split=True
        )
        for line in report.to_text().splitlines():
            self.say(f"   {line}")
        self.training()
        self.say("\n5. A broken manifest, caught before any training starts:")
        broken = validate_manifest(
            f"s3://{BUCKET}/manifests/broken.manifest", s3_client=self.s3, auto_split=True
        )
        self.say(f"   training would {'proceed' if broken.ok else 'fail'}:")
        for problem in broken.problems[:8]:
            self.say(f"   - {problem}")
        return 0 if self.failing() else 1


def run_demo(out: TextIO, err: TextIO, *, training_seconds: float = 3.0) -> int:
    """Run the demo, printing to ``out`` (what happens) and ``err`` (progress).

    Raises:
        MissingExtraError: moto or the manifests extra is not installed (the ``demo`` extra).
    """
    del err  # the demo's lines all go to out
    require("rekog-versions demo (moto's in-process S3)", "demo", "moto", "orjson")
    from moto import mock_aws  # noqa: PLC0415

    started = time.monotonic()
    with _fake_environment(), mock_aws():
        s3: Any = boto3_client("s3", region_name="us-east-1", library_retries=False)
        s3.create_bucket(Bucket=BUCKET)
        for name in ("animals.manifest", "broken.manifest"):
            s3.put_object(Bucket=BUCKET, Key=f"manifests/{name}", Body=_sample(name))
        with LocalRekognition(s3_client=s3, training_seconds=training_seconds) as local:
            code = _Demo(out, s3, local).run()
    if code == 0:
        out.write(f"\nDone in {time.monotonic() - started:.1f} s, offline.\n")
        out.flush()
    return code
