"""Helpers shared by the benchmarks: interleaved timing and ratio of medians."""

from __future__ import annotations

import gc
import statistics
import subprocess
import sys
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping
    from pathlib import Path


def interleaved_samples(
    candidates: Mapping[str, Callable[[], object]],
    *,
    rounds: int = 41,
    calls: int = 200,
    warmup: int = 200,
) -> dict[str, list[float]]:
    """Seconds per call of each candidate in each round, the candidates alternating.

    Alternating the candidates round by round, in one process, spreads drifts of the
    machine (frequency, other load) over all of them instead of favouring one.
    """
    for function in candidates.values():
        for _ in range(warmup):
            function()
    samples: dict[str, list[float]] = {name: [] for name in candidates}
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for round_index in range(rounds):
            names = list(candidates)
            if round_index % 2:
                names.reverse()
            for name in names:
                function = candidates[name]
                start = time.perf_counter()
                for _ in range(calls):
                    function()
                samples[name].append((time.perf_counter() - start) / calls)
    finally:
        if gc_was_enabled:
            gc.enable()
    return samples


def interleaved_medians(
    candidates: Mapping[str, Callable[[], object]], **timing: int
) -> dict[str, float]:
    """Median seconds per call of each candidate (see :func:`interleaved_samples`)."""
    samples = interleaved_samples(candidates, **timing)
    return {name: statistics.median(values) for name, values in samples.items()}


def paired_ratio(samples: Mapping[str, list[float]], numerator: str, denominator: str) -> float:
    """The median of the two candidates' ratios round by round.

    Each round times both within a second of each other, so a drift of the machine
    moves both; the median of their ratios is steadier than the ratio of the medians.
    """
    pairs = zip(samples[numerator], samples[denominator], strict=True)
    return statistics.median(mine / theirs for mine, theirs in pairs)


def stubbed_rekognition() -> tuple[Any, Any]:
    """A Rekognition client with fake credentials and its active Stubber."""
    import boto3  # noqa: PLC0415
    from botocore.stub import Stubber  # noqa: PLC0415

    client = boto3.client(
        "rekognition",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - a fake for the offline stub
    )
    stubber = Stubber(client)
    stubber.activate()
    return client, stubber


#: The last lines of a script timed in a fresh process (see :func:`run_script`): it
#: prints its seconds since ``start`` and its peak resident memory in KiB. The peak is
#: Linux's ``VmHWM``, the process's own: ``ru_maxrss`` survives ``exec``, so a child's
#: would be at least its parent's at the fork (a parent that generated a dataset in
#: memory), whatever the child itself used.
REPORT = """
import resource as _resource
def _peak():
    try:
        with open("/proc/self/status") as status:
            return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
    except OSError:
        return _resource.getrusage(_resource.RUSAGE_SELF).ru_maxrss
print(time.perf_counter() - start, _peak())
"""


def run_script(code: str, *args: str) -> tuple[float, int]:
    """Seconds and peak resident memory (KiB) of ``code`` (ending in :data:`REPORT`)."""
    result = subprocess.run(  # noqa: S603 - our own code
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    seconds, peak = result.stdout.split()
    return float(seconds), int(peak)


def conversions(
    scripts: Mapping[str, str], source: Path, rounds: int, images: int
) -> tuple[dict[str, float], dict[str, int], dict[str, int]]:
    """Each script converting ``source``, alternating, each round in fresh processes.

    Each script (ending in :data:`REPORT` once added here) is given the source, its own
    output and the number of images. Returns each script's median seconds, its highest
    peak memory (KiB) and the lines it wrote.
    """
    times: dict[str, list[float]] = {name: [] for name in scripts}
    peaks: dict[str, list[int]] = {name: [] for name in scripts}
    for index in range(rounds):
        order = list(scripts.items())
        if index % 2:
            order.reverse()
        for name, code in order:
            output = source.with_name(f"{name}.manifest")
            seconds, peak = run_script(code + REPORT, str(source), str(output), str(images))
            times[name].append(seconds)
            peaks[name].append(peak)
            print(f"{name:8} round {index}: {seconds:.2f} s, peak {peak / 1024:.0f} MB")
    lines = {name: source.with_name(f"{name}.manifest").read_text().count("\n") for name in scripts}
    medians = {name: statistics.median(values) for name, values in times.items()}
    return medians, {name: max(values) for name, values in peaks.items()}, lines


#: How a hand-written conversion writes a detection line, as a script's own function
#: ``line(filename, width, height, annotations, ids)``.
NAIVE_LINE = """
def line(filename, width, height, annotations, ids):
    return {
        "source-ref": "s3://bucket/images/" + filename,
        "bounding-box": {
            "image_size": [{"width": width, "height": height, "depth": 3}],
            "annotations": annotations,
        },
        "bounding-box-metadata": {
            "objects": [{"confidence": 1} for _ in annotations],
            "class-map": {str(i): n for n, i in ids.items()},
            "type": "groundtruth/object-detection",
            "human-annotated": "yes",
            "creation-date": "2026-11-27T00:00:00",
            "job-name": "bench",
        },
    }
"""


def library_script(reader: str) -> str:
    """The library's conversion with ``reader`` (``from_coco``...), as a timed script."""
    return f"""
import sys, time
from datetime import datetime, timezone
start = time.perf_counter()
from rekog_versions.datasets import {reader}, make_manifest
report = make_manifest(
    {reader}(sys.argv[1], images_uri="s3://bucket/images/"),
    sys.argv[2],
    job_name="bench",
    created=datetime(2026, 11, 27, tzinfo=timezone.utc),
)
assert report.training_images == int(sys.argv[3]), report.training_images
assert not report.skipped, report.skipped[:3]
"""
