"""How soon an endpoint that refuses the connection is reported, by the library and the CLI.

Points a client (and, in a fresh process, ``rekog-versions describe``) at a loopback port
where nothing listens, and times until the ``NetworkError`` (exit code 1 for the command).
Budget: at most 3 s each, with the default retry policy. Medians of 5 runs.

Run: ``python benchmarks/bench_unreachable.py`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import time
from pathlib import Path

VERSION = "arn:aws:rekognition:us-east-1:111122223333:project/cats/version/v1/1700000000001"
PROJECT = "arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000"
SCRIPT = Path(sys.executable).parent / "rekog-versions"
BUDGET = 3.0


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def library_seconds(endpoint: str) -> float:
    import boto3  # noqa: PLC0415

    from rekog_versions import NetworkError, ProjectVersionsClient  # noqa: PLC0415
    from rekog_versions._aws import default_config  # noqa: PLC0415

    rekognition = boto3.client(
        "rekognition",
        region_name="us-east-1",
        endpoint_url=endpoint,
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - a fake for loopback
        config=default_config(),
    )
    client = ProjectVersionsClient(rekognition)
    started = time.perf_counter()
    try:
        client.describe(VERSION, project_arn=PROJECT)
    except NetworkError:
        return time.perf_counter() - started
    raise SystemExit("the unreachable endpoint answered")


def cli_seconds(endpoint: str) -> float:
    command = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "rekog_versions.cli"]
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    started = time.perf_counter()
    result = subprocess.run(  # noqa: S603 - our own command, on loopback
        [*command, "--region", "us-east-1", "describe", VERSION, "--endpoint-url", endpoint],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if result.returncode != 1 or "Could not connect" not in result.stderr:
        raise SystemExit(f"unexpected outcome: {result.returncode} {result.stderr}")
    return elapsed


def main() -> int:
    endpoint = f"http://127.0.0.1:{closed_port()}"
    library = statistics.median(library_seconds(endpoint) for _ in range(5))
    cli = statistics.median(cli_seconds(endpoint) for _ in range(5))
    print(f"python {sys.version.split()[0]}")
    print(f"library describe(): NetworkError after {library:.3f} s (median of 5)")
    print(f"rekog-versions describe: exit 1 after {cli:.3f} s, process start included")
    print(f"budget: {BUDGET:.0f} s each")
    return 0 if library <= BUDGET and cli <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
