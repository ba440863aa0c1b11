"""Helpers shared by the benchmarks: interleaved timing and ratio of medians."""

from __future__ import annotations

import gc
import statistics
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping


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
