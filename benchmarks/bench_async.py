"""100 trainings at once, followed by each client: outcomes, and the CPU time a poll costs.

``rekog-versions emulate`` runs in a process of its own (so this process's CPU time is
the clients' alone). Each round creates 100 versions in 10 projects, 90 from a good
manifest and 10 from a one-label manifest (which the emulator fails as the service
would), then waits for all of them at once: the synchronous client with one thread per
``wait()``, the asynchronous client with one task per ``wait()`` in one event loop. Every
outcome must be right (90 trained, 10 ``TrainingFailedError``). The figure is this
process's CPU time over the wait, divided by the ``DescribeProjectVersions`` calls the
wait made. Rounds alternate the clients; the medians are compared.

Budget: the asynchronous client's CPU time per poll at most 1.2x the synchronous one's.

Run: ``python benchmarks/bench_async.py`` (needs the ``async`` and ``emulate`` extras).
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any, cast

VERSIONS = 100
PROJECTS = 10
FAILING = 10  # versions trained from the one-label manifest
TRAINING_SECONDS = 6.0
POLL_INTERVAL = 0.5
ROUNDS = 3  # of each client
BUDGET = 1.2
BUCKET = "bench-async"
SCRIPT = Path(sys.executable).parent / "rekog-versions"


def start_emulator() -> tuple[subprocess.Popen[str], dict[str, str]]:
    """``rekog-versions emulate`` on free ports; the environment that reaches it."""
    server = subprocess.Popen(  # noqa: S603 - our own command
        [str(SCRIPT), "emulate", "--training-seconds", str(TRAINING_SECONDS)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    output = cast("IO[str]", server.stdout)
    env: dict[str, str] = {}
    while "AWS_DEFAULT_REGION" not in env:  # the last of its export lines
        line = output.readline()
        if not line:
            raise RuntimeError("rekog-versions emulate stopped before serving")
        for word in line.split():
            if word.startswith("AWS_") and "=" in word:
                name, value = word.split("=", 1)
                env[name] = value
    return server, env


def manifest(labels: list[str]) -> bytes:
    lines = []
    for index in range(20):
        label = labels[index % len(labels)]
        lines.append(
            {
                "source-ref": f"s3://{BUCKET}/images/{index}.jpg",
                "label": 1,
                "label-metadata": {
                    "confidence": 1,
                    "class-name": label,
                    "human-annotated": "yes",
                    "creation-date": "2026-11-27T00:00:00",
                    "type": "groundtruth/image-classification",
                    "job-name": "bench",
                },
            }
        )
    return "".join(json.dumps(line) + "\n" for line in lines).encode()


def prepare(round_name: str) -> tuple[list[str], list[Any]]:
    """The round's projects and requests (not yet created)."""
    import boto3  # noqa: PLC0415

    from rekog_versions import RequestBuilder  # noqa: PLC0415

    rekognition: Any = boto3.client("rekognition")
    projects = [
        rekognition.create_project(ProjectName=f"{round_name}-p{index}")["ProjectArn"]
        for index in range(PROJECTS)
    ]
    requests = []
    for index in range(VERSIONS):
        name = "one-label" if index < FAILING else "train"
        requests.append(
            RequestBuilder(project_arn=projects[index % PROJECTS], version_name=f"v{index}")
            .output(f"s3://{BUCKET}/out/{round_name}/")
            .training_manifest(f"s3://{BUCKET}/{name}.manifest")
            .auto_split()
            .build()
        )
    return projects, requests


def outcomes_right(results: list[object]) -> bool:
    from rekog_versions import ProjectVersion, TrainingFailedError  # noqa: PLC0415

    failed = [r for r in results[:FAILING] if isinstance(r, TrainingFailedError)]
    trained = [
        r
        for r in results[FAILING:]
        if isinstance(r, ProjectVersion) and r.status_text == "TRAINING_COMPLETED"
    ]
    return len(failed) == FAILING and len(trained) == VERSIONS - FAILING


def sync_round(round_name: str) -> tuple[float, int, bool]:
    from rekog_versions import ProjectVersionsClient, RekogVersionsError  # noqa: PLC0415

    _, requests = prepare(round_name)
    client = ProjectVersionsClient()
    polls = [0]
    client.rekognition.meta.events.register(
        "before-call.rekognition.DescribeProjectVersions",
        lambda **_: polls.__setitem__(0, polls[0] + 1),
    )
    arns = [client.create(request) for request in requests]
    results: list[object] = [None] * len(arns)

    def wait(index: int) -> None:
        try:
            results[index] = client.wait(arns[index], poll_interval=POLL_INTERVAL)
        except RekogVersionsError as error:
            results[index] = error

    polls[0] = 0
    cpu = time.process_time()
    threads = [threading.Thread(target=wait, args=(index,)) for index in range(len(arns))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.process_time() - cpu, polls[0], outcomes_right(results)


def async_round(round_name: str) -> tuple[float, int, bool]:
    from rekog_versions import AsyncProjectVersionsClient  # noqa: PLC0415

    _, requests = prepare(round_name)

    async def run() -> tuple[float, int, bool]:
        async with AsyncProjectVersionsClient() as client:
            polls = [0]
            (await client.rekognition()).meta.events.register(
                "before-call.rekognition.DescribeProjectVersions",
                lambda **_: polls.__setitem__(0, polls[0] + 1),
            )
            arns = [await client.create(request) for request in requests]
            polls[0] = 0
            cpu = time.process_time()
            results = await asyncio.gather(
                *(client.wait(arn, poll_interval=POLL_INTERVAL) for arn in arns),
                return_exceptions=True,
            )
            return time.process_time() - cpu, polls[0], outcomes_right(list(results))

    return asyncio.run(run())


def main() -> int:
    server, env = start_emulator()
    os.environ.update(env)
    try:
        import boto3  # noqa: PLC0415

        s3: Any = boto3.client("s3")
        s3.create_bucket(Bucket=BUCKET)
        s3.put_object(Bucket=BUCKET, Key="train.manifest", Body=manifest(["cat", "dog"]))
        s3.put_object(Bucket=BUCKET, Key="one-label.manifest", Body=manifest(["cat"]))
        per_poll: dict[str, list[float]] = {"sync": [], "async": []}
        right = True
        for index in range(ROUNDS):
            order = [("sync", sync_round), ("async", async_round)]
            if index % 2:
                order.reverse()
            for name, run in order:
                cpu, polls, ok = run(f"{name}{index}")
                right = right and ok
                per_poll[name].append(cpu / polls)
                print(
                    f"{name:5} round {index}: {polls} polls, CPU {cpu:.2f} s, "
                    f"{cpu / polls * 1e3:.2f} ms a poll, outcomes {'right' if ok else 'WRONG'}"
                )
    finally:
        server.terminate()
        server.wait()
    sync, aio = (statistics.median(per_poll[name]) for name in ("sync", "async"))
    ratio = aio / sync
    print(
        f"Python {sys.version.split()[0]}: CPU a poll, sync {sync * 1e3:.2f} ms, "
        f"async {aio * 1e3:.2f} ms, ratio {ratio:.2f} (budget {BUDGET}); "
        f"every outcome right: {right}"
    )
    return 0 if right and ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
