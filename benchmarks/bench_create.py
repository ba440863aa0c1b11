"""The client's cost next to a raw boto3 call.

Compares, with a raw ``create_project_version(**params)``, both through the same botocore
Stubber and interleaved in one process:

* ``create()`` of a request already built with ``from_boto``;
* ``from_boto`` and ``create()`` together.

The budget: ``create()`` of a built request at most 1.10 times the raw call, as the
median of each round's ratio (the two are timed side by side in every round). A request is
checked once, whatever made it, and its dict built once (``checked_params``), so
``create()`` of a request from ``from_boto`` neither checks nor builds it again.

Run: ``python benchmarks/bench_create.py`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import copy
import logging
import platform
import statistics
import sys

from bench_validation import REQUEST, RESPONSE

from _common import interleaved_samples, paired_ratio, stubbed_rekognition
from rekog_versions import CreateProjectVersionRequest, ProjectVersionsClient

#: create() of a built request, at most this many times a raw create_project_version.
BUDGET = 1.10


def main() -> int:
    logging.getLogger("rekog_versions").setLevel(logging.WARNING)  # as in production
    client, stubber = stubbed_rekognition()
    versions = ProjectVersionsClient(client)
    # The Stubber compares each call's parameters with these. A separate copy, so that
    # neither side gets the shortcut of comparing an object with itself.
    expected = copy.deepcopy(REQUEST)

    def raw_call() -> object:
        stubber.add_response("create_project_version", RESPONSE, expected)
        return client.create_project_version(**REQUEST)

    built = CreateProjectVersionRequest.from_boto(REQUEST)

    def create_call() -> object:
        stubber.add_response("create_project_version", RESPONSE, expected)
        return versions.create(built)

    def validate_and_create() -> object:
        stubber.add_response("create_project_version", RESPONSE, expected)
        return versions.create(CreateProjectVersionRequest.from_boto(REQUEST))

    samples = interleaved_samples(
        {
            "raw boto3": raw_call,
            "create()": create_call,
            "from_boto + create()": validate_and_create,
        }
    )
    medians = {name: statistics.median(values) for name, values in samples.items()}
    raw = medians["raw boto3"]
    print(f"python {platform.python_version()} on {platform.machine()}")
    for name, seconds in medians.items():
        print(f"{name:>22}: {seconds * 1e6:8.2f} us (median), {seconds / raw:.3f} x raw")
    ratio = paired_ratio(samples, "create()", "raw boto3")
    print(
        f"ratio create() / raw boto3, the median of each round's: {ratio:.3f} (budget {BUDGET:.2f})"
    )
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
