"""Image header checks: validate_manifest(check_images=True) against a bare thread pool.

Puts 20,000 JPEG images in moto's S3 server (a process of its own, on loopback), then
reads them two ways, alternating, at the same concurrency (16) through the same boto3
client: a bare ``ThreadPoolExecutor`` doing the same ranged GETs of the first 64 KB and
nothing else, and ``validate_manifest`` of a manifest naming them, with
``check_images=True`` (which also reads the manifest, checks every line and parses
every header with Pillow). Throughput is images a second.

Budget: the library's throughput at least 0.8x the bare pool's.

Run: ``python benchmarks/bench_images.py [--rounds N] [--images N]`` (needs the
``datasets`` and ``emulate`` extras; or ``nox -s benchmarks``).
"""

from __future__ import annotations

import argparse
import io
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

WORKERS = 16
BUDGET = 0.8
BUCKET = "bench-images"
SERVER = Path(sys.executable).parent / "moto_server"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_s3() -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - moto's own server
        [str(SERVER), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.1)
    return server, f"http://127.0.0.1:{port}"


def jpeg() -> bytes:
    from PIL import Image  # noqa: PLC0415

    out = io.BytesIO()
    Image.new("RGB", (640, 480), (40, 90, 160)).save(out, "JPEG", exif=b"Exif\0\0" + b"\0" * 8000)
    return out.getvalue()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--images", type=int, default=20_000)
    options = parser.parse_args()
    import boto3  # noqa: PLC0415
    from botocore.config import Config  # noqa: PLC0415

    from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

    server, url = start_s3()
    try:
        s3: Any = boto3.client(
            "s3",
            endpoint_url=url,
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",  # noqa: S106 - moto takes any
            config=Config(max_pool_connections=WORKERS * 2, retries={"total_max_attempts": 1}),
        )
        s3.create_bucket(Bucket=BUCKET)
        body = jpeg()
        keys = [f"images/{index:06d}.jpg" for index in range(options.images)]
        with ThreadPoolExecutor(WORKERS) as pool:
            list(pool.map(lambda key: s3.put_object(Bucket=BUCKET, Key=key, Body=body), keys))
        lines = [
            {
                "source-ref": f"s3://{BUCKET}/{key}",
                "label": 1,
                "label-metadata": {
                    "confidence": 1,
                    "class-name": "cat" if index % 2 else "dog",
                    "human-annotated": "yes",
                    "creation-date": "2026-11-27T00:00:00",
                    "type": "groundtruth/image-classification",
                },
            }
            for index, key in enumerate(keys)
        ]
        with tempfile.TemporaryDirectory() as folder:
            manifest = Path(folder) / "train.manifest"
            manifest.write_text("".join(json.dumps(line) + "\n" for line in lines))

            def bare() -> None:
                def read(key: str) -> int:
                    answer = s3.get_object(Bucket=BUCKET, Key=key, Range="bytes=0-65535")
                    return len(answer["Body"].read())

                with ThreadPoolExecutor(WORKERS) as pool:
                    list(pool.map(read, keys))

            def library() -> None:
                report = validate_manifest(
                    manifest, check_images=True, image_workers=WORKERS, s3_client=s3
                )
                if not report.ok or report.problems:
                    raise SystemExit(f"the images should all pass: {report.to_text()}")

            rates: dict[str, list[float]] = {"bare": [], "library": []}
            for index in range(options.rounds):
                order = [("bare", bare), ("library", library)]
                if index % 2:
                    order.reverse()
                for name, run in order:
                    start = time.perf_counter()
                    run()
                    rate = len(keys) / (time.perf_counter() - start)
                    rates[name].append(rate)
                    print(f"{name:8} round {index}: {rate:.0f} images/s")
    finally:
        server.terminate()
        server.wait()
    bare_rate, library_rate = (statistics.median(rates[n]) for n in ("bare", "library"))
    ratio = library_rate / bare_rate
    print(
        f"Python {sys.version.split()[0]}: {len(keys)} images, {WORKERS} at a time: bare "
        f"{bare_rate:.0f}/s, library {library_rate:.0f}/s, ratio {ratio:.2f} (budget {BUDGET})"
    )
    return 0 if ratio >= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
