"""Fixtures for tests against LocalRekognition and moto's in-process S3."""

from __future__ import annotations

import json
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import boto3
import pytest
from botocore.config import Config
from moto import mock_aws

from manifest_lines import good_classification
from rekog_versions.testing import LocalRekognition

if TYPE_CHECKING:
    from collections.abc import Iterator, Mapping

BUCKET = "emulated-bucket"


class World:
    """moto's S3, a LocalRekognition, and clients for both."""

    def __init__(self, s3: Any, local: LocalRekognition) -> None:
        self.s3 = s3
        self.local = local

    def rekognition(self, **config: Any) -> Any:
        return boto3.client(
            "rekognition",
            region_name="us-east-1",
            endpoint_url=self.local.endpoint_url,
            config=Config(**config) if config else None,
        )

    def put_manifest(self, key: str, lines: list[Any]) -> str:
        body = "".join(
            (line if isinstance(line, str) else json.dumps(line)).replace(
                "s3://bkt/", f"s3://{BUCKET}/"
            )
            + "\n"
            for line in lines
        )
        self.s3.put_object(Bucket=BUCKET, Key=key, Body=body.encode())
        return f"s3://{BUCKET}/{key}"


def create_argv(project: str, name: str = "v1") -> list[str]:
    """The create command's arguments for a version trained from the world's manifest."""
    return [
        "create",
        "--project-arn",
        project,
        "--version-name",
        name,
        "--output-config",
        f"s3://{BUCKET}/out/",
        "--training-data",
        f"s3://{BUCKET}/train.manifest",
        "--auto-split",
    ]


@contextmanager
def moto_s3(monkeypatch: pytest.MonkeyPatch, bucket: str) -> Iterator[Any]:
    """moto's in-process S3 under fake credentials, with one empty bucket."""
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_DEFAULT_REGION", "us-east-1")
    with mock_aws():
        s3 = boto3.client("s3", region_name="us-east-1")
        s3.create_bucket(Bucket=bucket)
        yield s3


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """A fresh S3 bucket with a good manifest, and a LocalRekognition that trains in 0.3 s."""
    with (
        moto_s3(monkeypatch, BUCKET) as s3,
        LocalRekognition(s3_client=s3, training_seconds=0.3, seed=11) as local,
    ):
        created = World(s3, local)
        created.put_manifest("train.manifest", good_classification(20))
        yield created


class MotoServer:
    """moto's S3 in server mode on loopback, with one bucket and the manifests given.

    The manifests' lines name ``s3://bkt/``, which becomes the bucket's name; clients
    other than :attr:`client` reach it at :attr:`url` (``AWS_ENDPOINT_URL_S3``).
    """

    def __init__(self, bucket: str, manifests: Mapping[str, list[Any]]) -> None:
        """Start the server, make the bucket and put the manifests in it."""
        from moto.server import ThreadedMotoServer  # noqa: PLC0415

        self.bucket = bucket
        self.server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
        self.server.start()
        self.url = "http://{}:{}".format(*self.server.get_host_and_port())
        self.client: Any = boto3.client(
            "s3",
            endpoint_url=self.url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - moto takes any
        )
        self.client.create_bucket(Bucket=bucket)
        for key, lines in manifests.items():
            self.put(key, lines)

    def put(self, key: str, lines: list[Any]) -> str:
        """Put a manifest of ``lines`` (dicts) at ``key``; its ``s3://`` URI."""
        body = "".join(
            json.dumps(line).replace("s3://bkt/", f"s3://{self.bucket}/") + "\n" for line in lines
        )
        self.client.put_object(Bucket=self.bucket, Key=key, Body=body.encode())
        return f"s3://{self.bucket}/{key}"
