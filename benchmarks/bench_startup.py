"""How quickly the library imports and the command line starts.

Times, each in a fresh process and alternating, against ``python -c "import boto3"``:
``import rekog_versions`` and ``from rekog_versions import ProjectVersionsClient``
(budget: at most 0.5 each), a first use of the request shapes (reported), and
``rekog-versions --version`` and ``--help`` (budget: at most 0.6). Byte code is compiled
before the rounds, so that every command reads it from cache. Reports the ratio of the
medians.

Run: ``python benchmarks/bench_startup.py`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = Path(sys.executable).parent / "rekog-versions"


def _time(argv: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(argv, check=True, capture_output=True)  # noqa: S603 - our own commands
    return time.perf_counter() - started


def main() -> int:
    # The console script, or (where it is not installed) exactly what it runs.
    script = (
        [str(SCRIPT)]
        if SCRIPT.exists()
        else [sys.executable, "-c", "from rekog_versions.cli import entry_point; entry_point()"]
    )
    commands = {
        "import boto3": [sys.executable, "-c", "import boto3"],
        "import rekog_versions": [sys.executable, "-c", "import rekog_versions"],
        "the client": [
            sys.executable,
            "-c",
            "from rekog_versions import ProjectVersionsClient",
        ],
        "... and build a request": [
            sys.executable,
            "-c",
            (
                "from rekog_versions import CreateProjectVersionRequest as R; R.from_boto({"
                "'ProjectArn': 'arn:aws:rekognition:us-east-1:111122223333:project/p/1', "
                "'VersionName': 'v1', 'OutputConfig': {'S3Bucket': 'bkt'}})"
            ),
        ],
        "rekog-versions --version": [*script, "--version"],
        "rekog-versions --help": [*script, "--help"],
    }
    budgets = {
        "import rekog_versions": 0.5,
        "the client": 0.5,
        "rekog-versions --version": 0.6,
        "rekog-versions --help": 0.6,
    }
    for argv in commands.values():  # every module's byte code cached before timing
        subprocess.run(argv, check=True, capture_output=True)  # noqa: S603 - our own commands
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for round_index in range(21):
        names = list(commands)
        if round_index % 2:
            names.reverse()
        for name in names:
            samples[name].append(_time(commands[name]))
    medians = {name: statistics.median(values) for name, values in samples.items()}
    baseline = medians["import boto3"]
    print(f"python {sys.version.split()[0]}")
    over = []
    for name, seconds in medians.items():
        ratio = seconds / baseline
        budget = budgets.get(name)
        note = f" (budget {budget:.2f})" if budget is not None else ""
        if budget is not None and ratio > budget:
            over.append(name)
        print(f"{name:>26}: {seconds * 1000:7.1f} ms (median), {ratio:.2f} x import boto3{note}")
    print("within budget" if not over else f"over budget: {', '.join(over)}")
    return 0 if not over else 1


if __name__ == "__main__":
    sys.exit(main())
