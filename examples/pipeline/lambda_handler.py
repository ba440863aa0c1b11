"""An AWS Lambda function for a Step Functions training loop: create once, then look.

The state machine (``state_machine.json``) invokes it with
``{"action": "create", "request": {...}}``, then with ``{"action": "poll", "arn": ...}``
after each of its Wait states. Nothing waits in here: each invocation takes a second,
not the hours a training takes, and the loop's state is the JSON the function returns.
"""

from __future__ import annotations

from typing import Any

from rekog_versions import ProjectVersionsClient, RequestBuilder, RetryPolicy

#: Built once a Lambda container; its boto3 clients are built on first use and reused.
#: Retries stay within 20 s, well inside the function's timeout (give it 60 s).
CLIENT = ProjectVersionsClient(retry=RetryPolicy(budget=20.0))


def handler(event: dict[str, Any], context: object = None) -> dict[str, Any]:
    """Create the version (``create``) or look at its training once (``poll``)."""
    del context
    if event.get("action") == "create":
        builder = RequestBuilder.from_boto(event["request"])
        if "VersionName" not in event["request"]:
            # Named from its inputs: a retried or re-run step meets the same version.
            builder.version_name(auto=event.get("name_prefix", True))
        arn = CLIENT.create(builder.build(), if_exists="reuse")
        return {"arn": arn}
    if event.get("action") == "poll":
        # outcome: in_progress, completed, failed or not_training; wait_seconds for the
        # next Wait state; status_message says why a training failed.
        return CLIENT.poll(event["arn"]).to_dict()
    raise ValueError(f"unknown action {event.get('action')!r}: expected create or poll")
