"""Validation cost next to the call it protects.

Compares ``CreateProjectVersionRequest.from_boto`` of a full request (manifests, tags,
KMS key, description) with a raw boto3 ``create_project_version`` call of the same
request served by botocore's Stubber, interleaved in one process; prints the ratio of
the medians. The budget is 0.25: the service call the check precedes costs hundreds of
milliseconds, so the budget leaves room for one plain rules engine.

Run: ``python benchmarks/bench_validation.py`` (or ``nox -s benchmarks``).
"""

from __future__ import annotations

import platform
import sys

from _common import interleaved_medians, stubbed_rekognition
from rekog_versions import CreateProjectVersionRequest

BUDGET = 0.25
PROJECT = "arn:aws:rekognition:us-east-1:111122223333:project/bench-project/1700000000000"
REQUEST = {
    "ProjectArn": PROJECT,
    "VersionName": "bench-version-1",
    "OutputConfig": {"S3Bucket": "bench-output-bucket", "S3KeyPrefix": "results/bench/"},
    "TrainingData": {
        "Assets": [
            {
                "GroundTruthManifest": {
                    "S3Object": {"Bucket": "bench-data-bucket", "Name": "manifests/train.manifest"}
                }
            }
        ]
    },
    "TestingData": {
        "Assets": [
            {
                "GroundTruthManifest": {
                    "S3Object": {"Bucket": "bench-data-bucket", "Name": "manifests/test.manifest"}
                }
            }
        ]
    },
    "Tags": {"team": "vision", "cost-center": "4242", "stage": "prod"},
    "KmsKeyId": "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
    "VersionDescription": "nightly retrain (bench)",
}
RESPONSE = {
    "ProjectVersionArn": (
        "arn:aws:rekognition:us-east-1:111122223333:project/bench-project/version/"
        "bench-version-1/1700000000001"
    )
}


def main() -> int:
    client, stubber = stubbed_rekognition()

    def raw_call() -> object:
        stubber.add_response("create_project_version", RESPONSE, REQUEST)
        return client.create_project_version(**REQUEST)

    def validate() -> object:
        return CreateProjectVersionRequest.from_boto(REQUEST)

    medians = interleaved_medians({"stubbed call": raw_call, "from_boto": validate})
    ratio = medians["from_boto"] / medians["stubbed call"]
    print(f"python {platform.python_version()} on {platform.machine()}")
    for name, seconds in medians.items():
        print(f"{name:>14}: {seconds * 1e6:8.2f} us (median)")
    print(f"ratio from_boto / stubbed call: {ratio:.3f} (budget 0.25)")
    return 0 if ratio <= BUDGET else 1


if __name__ == "__main__":
    sys.exit(main())
