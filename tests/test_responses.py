"""Answers generated from botocore's own output shapes are all read, tolerantly."""

from __future__ import annotations

import json
from datetime import timezone
from typing import TYPE_CHECKING, Any

import botocore.session
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import nested_list
from fakes import stubbed
from rekog_versions import MalformedResponseError, ProjectVersion, ProjectVersionStatus
from rekog_versions.testing import project_arn

if TYPE_CHECKING:
    from botocore.model import Shape

_MODEL = botocore.session.get_session().get_service_model("rekognition")
_ANSWER = _MODEL.operation_model("DescribeProjectVersions").output_shape
_SMALL = 3  # lists and maps of at most this many items keep the examples quick


def _answers(shape: Shape) -> st.SearchStrategy[Any]:  # noqa: PLR0911 - one kind a branch
    """Any value of ``shape`` that botocore's Stubber accepts.

    Stubber checks types and ``min``, not ``max``: numbers above the model's maximum are
    drawn too, as a service that widens a range would send them.
    """
    meta = shape.metadata
    kind = shape.type_name
    if kind == "structure":
        members = {name: _answers(member) for name, member in shape.members.items()}  # type: ignore[attr-defined]
        required = set(shape.required_members)  # type: ignore[attr-defined]
        return st.fixed_dictionaries(
            {name: members[name] for name in required},
            optional={name: value for name, value in members.items() if name not in required},
        )
    if kind == "list":
        low = meta.get("min", 0)
        return st.lists(_answers(shape.member), min_size=low, max_size=max(low, _SMALL))  # type: ignore[attr-defined]
    if kind == "map":
        return st.dictionaries(_answers(shape.key), _answers(shape.value), max_size=_SMALL)  # type: ignore[attr-defined]
    if kind == "string":
        text = st.text(min_size=meta.get("min", 0), max_size=max(meta.get("min", 0), 40))
        enum = shape.enum  # type: ignore[attr-defined]
        return st.one_of(st.sampled_from(enum), text) if enum else text
    if kind in {"integer", "long"}:
        return st.integers(min_value=meta.get("min"))
    if kind in {"float", "double"}:
        return st.floats(min_value=meta.get("min"))
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(timezones=st.just(timezone.utc))
    raise AssertionError(f"no strategy for {kind} ({shape.name})")


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(answer=_answers(_ANSWER))
def test_every_answer_the_model_allows_is_read(answer: dict[str, Any]) -> None:
    """Each description reads into a ProjectVersion, or names the ARN or status it lacks."""
    with stubbed("rekognition") as (rekognition, stubber):
        stubber.add_response("describe_project_versions", answer, {"ProjectArn": project_arn()})
        received = rekognition.describe_project_versions(ProjectArn=project_arn())
    for description in received.get("ProjectVersionDescriptions", []):
        arn, status = description.get("ProjectVersionArn"), description.get("Status")
        if not arn or status is None:
            try:
                ProjectVersion.from_boto(description)
            except MalformedResponseError as error:
                assert ("ProjectVersionArn" if not arn else "Status") in str(error)
            else:
                raise AssertionError("a description without its ARN or status was read")
            continue
        version = ProjectVersion.from_boto(description)
        assert (arn, status) == (version.arn, version.status_text)
        known = {member.value for member in ProjectVersionStatus}
        assert (version.status.value == status) == (status in known)
        json.dumps(version.to_dict())  # the JSON form is always JSON


def test_deeply_nested_result_files_are_result_file_errors() -> None:
    """A summary file nested 5,000 deep is a ResultFileError, not a RecursionError."""
    from rekog_versions import EvaluationSummary, ManifestSummary, ResultFileError  # noqa: PLC0415

    with pytest.raises(ResultFileError, match="AggregatedEvaluationResults"):
        EvaluationSummary.from_json({"AggregatedEvaluationResults": nested_list(5000)})
    with pytest.raises(ResultFileError, match="statistics"):
        ManifestSummary.from_json({"statistics": nested_list(5000)})
