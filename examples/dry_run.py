"""Build a CreateProjectVersion request offline and print what would be sent.

Then show what a broken request looks like: every problem, each at its path.
Needs no AWS credentials and no network.
"""

from __future__ import annotations

import json
import sys

from rekog_versions import RequestBuilder, RequestValidationError

PROJECT = "arn:aws:rekognition:us-east-1:111122223333:project/cats/1700000000000"


def main() -> int:
    request = (
        RequestBuilder(project_arn=PROJECT, version_name="cats-2026-11-27")
        .output("s3://my-training-bucket/results/")
        .training_manifest("s3://my-training-bucket/manifests/train.manifest")
        .auto_split()
        .tags({"team": "vision", "équipe": "vision"})
        .description("nightly retrain")
        .build()
    )
    print("A valid request; these are the keyword arguments for create_project_version:")
    print(json.dumps(request.to_boto(), indent=2, ensure_ascii=False))

    print("\nA broken one, caught before it is sent:")
    try:
        (
            RequestBuilder(
                project_arn=PROJECT.replace("/1700", "/version/v1/1700"), version_name="cats v2!"
            )
            .output("https://my-training-bucket.s3.amazonaws.com/results/")
            .training_manifest("s3://my-training-bucket/manifests/train.manifest")
            .tag("aws:team", "vision")
            .content_moderation(150)
            .build()
        )
    except RequestValidationError as error:
        print(error)
        return 0
    print("error: the broken request was not refused", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
