"""How quickly the command line starts.

Times ``rekog-versions --version`` and ``rekog-versions --help`` against
``python -c "import boto3"``, each a fresh process, alternating, and reports the ratio
of the medians (budget: at most 0.6).

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
        "rekog-versions --version": [*script, "--version"],
        "rekog-versions --help": [*script, "--help"],
    }
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
    worst = 0.0
    for name, seconds in medians.items():
        ratio = seconds / baseline
        if name != "import boto3":
            worst = max(worst, ratio)
        print(f"{name:>26}: {seconds * 1000:7.1f} ms (median), {ratio:.2f} x import boto3")
    print(f"worst ratio: {worst:.2f} (budget 0.60)")
    return 0 if worst <= 0.6 else 1


if __name__ == "__main__":
    sys.exit(main())
