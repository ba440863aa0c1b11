"""Every example a page presents as runnable runs as written, against loopback servers.

A page's ```` ```python ```` blocks run in order in one namespace, as a reader runs them
one after the other (a ``>>>`` block's statements too; pytest checks its output
separately, as a doctest). A ```` ```py ```` block is a template with the reader's own
names (``params = {...}``) and is not run. The blocks reach AWS through the endpoint
variables: Rekognition is :class:`~rekog_versions.testing.LocalRekognition`, S3 moto's
server, both on loopback, with the documented bucket and manifests in place, and the
documented project ARNs replaced by the emulator's. A block that defines tests has them
run, given the fixtures they name.
"""

from __future__ import annotations

import asyncio
import inspect
import json
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from emulated import MotoServer
from manifest_lines import good_classification
from rekog_versions.testing import LocalRekognition, fake_clock, project_arn, version_arn

if TYPE_CHECKING:
    from collections.abc import Iterator

ROOT = Path(__file__).parent.parent
PAGES = [*sorted((ROOT / "docs").rglob("*.md")), ROOT / "README.md"]
BUCKET = "my-bucket"

#: Blocks run by a test of their own, which needs more than this one gives.
ELSEWHERE = {"FastAPI(": "tests/test_async_docs.py"}

#: The project ARNs the pages write, each the project the emulator makes for it.
DOCUMENTED_PROJECTS = {
    "arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000": "cats",
    "arn:aws:rekognition:us-east-1:111122223333:project/flowers/1700000000000": "flowers",
}


def _blocks(page: Path) -> list[str]:
    """The page's runnable blocks, in order: ```python, and the code of >>> examples."""
    found = []
    for written in re.findall(r"^```python\n(.*?)^```", page.read_text(), re.DOTALL | re.MULTILINE):
        code = written
        if written.lstrip().startswith(">>>"):
            statements = [
                line[4:]
                for line in written.splitlines()
                if line.startswith((">>> ", "... ")) or line in (">>>", "...")
            ]
            code = "\n".join(statements) + "\n"
        if not any(marker in code for marker in ELSEWHERE):
            found.append(code)
    return found


RUNNABLE = [page for page in PAGES if _blocks(page)]


def _moderation_lines(count: int) -> list[dict[str, Any]]:
    return [
        {
            "source-ref": f"s3://{BUCKET}/adapter/{index}.jpg",
            "content-moderation-groundtruth": {
                "ModerationLabels": [{"Name": "Alcohol"}] if index % 2 else []
            },
            "content-moderation-groundtruth-metadata": {"job-name": "labels"},
        }
        for index in range(count)
    ]


def _coco(path: Path) -> None:
    """The COCO file the datasets page converts, with a few images of two categories."""
    path.parent.mkdir(parents=True)
    images = [
        {"id": index, "file_name": f"{index}.jpg", "width": 640, "height": 480}
        for index in range(20)
    ]
    annotations = [
        {"id": index, "image_id": index, "category_id": 1 + index % 2, "bbox": [10, 10, 90, 60]}
        for index in range(20)
    ]
    categories = [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}]
    path.write_text(
        json.dumps({"images": images, "annotations": annotations, "categories": categories})
    )


@pytest.fixture
def world(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[LocalRekognition]:
    """The servers the pages' blocks reach through the endpoint variables, in tmp_path."""
    server = MotoServer(
        BUCKET,
        {
            "manifests/train.manifest": good_classification(20),
            "manifests/test.manifest": good_classification(10),
            "train.manifest": good_classification(20),
            "manifests/adapter-train.manifest": _moderation_lines(20),
            "manifests/adapter-test.manifest": _moderation_lines(10),
        },
    )
    s3, url = server.client, server.url
    try:
        with LocalRekognition(s3_client=s3, training_seconds=0.2, seed=5) as local:
            for variable, value in {
                "AWS_ENDPOINT_URL_REKOGNITION": local.endpoint_url,
                "AWS_ENDPOINT_URL_S3": url,
                "AWS_ACCESS_KEY_ID": "testing",
                "AWS_SECRET_ACCESS_KEY": "testing",
                "AWS_DEFAULT_REGION": "us-east-1",
            }.items():
                monkeypatch.setenv(variable, value)
            monkeypatch.chdir(tmp_path)
            _coco(tmp_path / "pets" / "annotations" / "instances_train.json")
            yield local
    finally:
        server.server.stop()


def _run_tests(namespace: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Run the tests a block defined, each given the fixtures it names; their names."""
    fixtures: dict[str, Any] = {
        "monkeypatch": monkeypatch,
        "arn": version_arn("cats", "v1"),
        "project_arn": project_arn("cats"),
    }
    ran = []
    for name, test in list(namespace.items()):
        if not (name.startswith("test_") and callable(test)):
            continue
        arguments = {p: fixtures[p] for p in inspect.signature(test).parameters}
        outcome = test(**arguments)
        if inspect.iscoroutine(outcome):
            asyncio.run(outcome)
        ran.append(name)
        del namespace[name]  # a later block's tests are its own
    return ran


def _reader_names(local: LocalRekognition) -> dict[str, Any]:
    """What a test example leaves to its reader (their manifest, their pipeline)."""

    def run_my_pipeline(client: Any, project: str) -> None:
        from rekog_versions import RequestBuilder  # noqa: PLC0415

        request = (
            RequestBuilder(project_arn=project, version_name="v1")
            .output("s3://data/out/")
            .training_manifest("s3://data/train.manifest")
            .auto_split()
            .build()
        )
        client.wait(client.create(request), poll_interval=0.05)

    manifest = "".join(
        json.dumps(line).replace("s3://bkt/", "s3://data/") + "\n"
        for line in good_classification(20)
    )
    del local
    return {"MY_MANIFEST": manifest.encode(), "run_my_pipeline": run_my_pipeline}


@pytest.mark.parametrize("page", RUNNABLE, ids=[str(p.relative_to(ROOT)) for p in RUNNABLE])
def test_the_pages_examples_run_as_written(
    page: Path, world: LocalRekognition, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every runnable block of the page runs, in order, against the loopback servers."""
    if "aiobotocore" in page.read_text():
        pytest.importorskip("aiobotocore")
    namespace: dict[str, Any] = {"__name__": "__docs__", **_reader_names(world)}
    for documented, name in DOCUMENTED_PROJECTS.items():
        made = str(world.handle("CreateProject", {"ProjectName": name})["ProjectArn"])
        namespace.setdefault("__projects__", {})[documented] = made
    projects: dict[str, str] = namespace.pop("__projects__")
    with fake_clock():  # the waits' pauses cost nothing; the emulator trains in 0.2 s
        for written in _blocks(page):
            block = written
            for documented, made in projects.items():
                block = block.replace(documented, made)
            exec(compile(block, str(page), "exec"), namespace)  # noqa: S102 - the page's own code
            _run_tests(namespace, monkeypatch)
