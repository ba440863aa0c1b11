"""How many calls a second LocalRekognition answers through boto3, on one connection.

Every test, the demo, ``rekog-versions emulate`` and the async benchmark run on the
emulator, so the time of one call is the time of each of their steps. Times
``DescribeProjects`` through a real boto3 client kept alive on one connection, and
reports calls a second (the median of 7 rounds of 200 calls). Reported, no budget: the
issue that asked for it measured 44 ms a call before (Nagle's algorithm meeting the
client's delayed ACK) and about 1.4 ms after.

Run: ``python benchmarks/bench_emulator.py`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import statistics
import sys
import time


def main() -> int:
    import boto3  # noqa: PLC0415

    from rekog_versions.testing import LocalRekognition  # noqa: PLC0415

    with LocalRekognition() as local:
        client = boto3.client(
            "rekognition",
            region_name="us-east-1",
            endpoint_url=local.endpoint_url,
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - the emulator's, not a secret
        )
        client.describe_projects()  # the connection opened
        rates = []
        for _ in range(7):
            started = time.perf_counter()
            for _ in range(200):
                client.describe_projects()
            rates.append(200 / (time.perf_counter() - started))
    rate = statistics.median(rates)
    print(f"python {sys.version.split()[0]}")
    print(
        f"LocalRekognition through boto3: {rate:.0f} calls a second ({1000 / rate:.2f} ms a call)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
