"""How long the asyncio client's first use holds up its event loop.

The first call of an ``AsyncProjectVersionsClient`` builds its aiobotocore clients:
aiobotocore imported, the configuration read, the service's JSON models loaded. A
ticker task, due every 2 ms, measures the longest time the loop could not run it while
a fresh process builds the Rekognition client and then the S3 one. Reported, no budget;
the median of 5 fresh processes.

Run: ``python benchmarks/bench_async_build.py`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys

_PROBE = """
import asyncio, time

async def main():
    from rekog_versions import AsyncProjectVersionsClient
    gaps, done = [], asyncio.Event()

    async def ticker():
        last = time.perf_counter()
        while not done.is_set():
            await asyncio.sleep(0.002)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    task = asyncio.create_task(ticker())
    await asyncio.sleep(0.05)
    async with AsyncProjectVersionsClient(region_name="us-east-1") as client:
        await client.rekognition()
        await client.s3()
    done.set()
    await task
    print(max(gaps))

asyncio.run(main())
"""


def main() -> int:
    env = {**os.environ, "AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
    stalls = [
        float(
            subprocess.run(  # noqa: S603 - this interpreter, our own probe
                [sys.executable, "-c", _PROBE],
                capture_output=True,
                text=True,
                check=True,
                env=env,
            ).stdout
        )
        for _ in range(5)
    ]
    print(f"python {sys.version.split()[0]}")
    stall = 1000 * statistics.median(stalls)
    print(f"longest the event loop was held up by the first build: {stall:.0f} ms (median of 5)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
