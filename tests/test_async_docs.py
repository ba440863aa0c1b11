"""The FastAPI example of docs/async.md, run as written against the emulator."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from both_clients import BUCKET, S3Server, create_project, http_world

if TYPE_CHECKING:
    from collections.abc import Iterator

testclient = pytest.importorskip("fastapi.testclient")

PAGE = Path(__file__).parent.parent / "docs" / "async.md"
DOCUMENTED_PROJECT = "arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000"


@pytest.fixture(scope="module")
def s3() -> Iterator[S3Server]:
    server = S3Server()
    yield server
    server.server.stop()


def test_the_fastapi_example(s3: S3Server, monkeypatch: pytest.MonkeyPatch) -> None:
    """The FastAPI example of docs/async.md runs as written against the emulator."""
    blocks = re.findall(r"```python\n(.*?)```", PAGE.read_text(), re.DOTALL)
    (example,) = [block for block in blocks if "FastAPI(" in block]
    example = example.replace("s3://my-bucket/manifests/", f"s3://{BUCKET}/").replace(
        "s3://my-bucket/results/", f"s3://{BUCKET}/out/"
    )
    with http_world(monkeypatch, s3, training_seconds=0.3) as local:
        namespace: dict[str, Any] = {}
        exec(example.replace(DOCUMENTED_PROJECT, create_project(local)), namespace)  # noqa: S102 - the page's own code
        with testclient.TestClient(namespace["app"]) as http:
            created = http.post("/trainings/cats-v2")  # answers after its background wait
            again = http.post("/trainings/cats-v2")
            refused = http.post("/trainings/cats v2")
            polled = http.get("/trainings", params={"arn": created.json()["arn"]})
    assert created.status_code == 202
    assert again.json() == created.json()  # a retried POST finds its version
    assert len(local.versions()) == 1
    assert refused.status_code == 422
    assert "VersionName" in refused.json()["detail"][0]
    assert polled.json()["outcome"] == "completed"
