"""Stubber helpers and factories of realistic ARNs and descriptions."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Final, cast

from rekog_versions._defaults import DEFAULT_FEATURE, FEATURES
from rekog_versions.arns import ProjectArn, ProjectVersionArn
from rekog_versions.builder import RequestBuilder, built

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping, Sequence

    from botocore.stub import Stubber

    from rekog_versions.models import CreateProjectVersionRequest

__all__ = [
    "ACCOUNT",
    "REGION",
    "project_arn",
    "project_description",
    "stub_create_project_version",
    "stub_describe_project_versions",
    "stub_describe_projects",
    "version_arn",
    "version_description",
]

#: The account and region the factories use unless told otherwise.
ACCOUNT: Final = "111122223333"
REGION: Final = "us-east-1"
_PROJECT_CREATED: Final = 1700000000000


def project_arn(
    name: str = "my-project",
    *,
    region: str = REGION,
    account: str = ACCOUNT,
    timestamp: int = _PROJECT_CREATED,
) -> str:
    """A valid project ARN."""
    return str(
        ProjectArn(
            partition="aws", region=region, account=account, project_name=name, timestamp=timestamp
        )
    )


def version_arn(
    project: str = "my-project",
    version: str = "v1",
    *,
    region: str = REGION,
    account: str = ACCOUNT,
    timestamp: int = _PROJECT_CREATED + 1,
) -> str:
    """A valid project version ARN."""
    return str(
        ProjectVersionArn(
            partition="aws",
            region=region,
            account=account,
            project_name=project,
            version_name=version,
            timestamp=timestamp,
        )
    )


def _arn_for(request: CreateProjectVersionRequest) -> str:
    """The ARN the service would give the version the request creates (with a timestamp)."""
    project = ProjectArn.parse(request.project_arn)
    return version_arn(
        project.project_name, request.version_name, region=project.region, account=project.account
    )


def _objects(assets: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    return [asset["GroundTruthManifest"]["S3Object"] for asset in assets]


def _manifest_assets(objects: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [{"GroundTruthManifest": {"S3Object": dict(item)}} for item in objects]


def version_description(  # noqa: PLR0913 - the members a test may want to set
    arn: str | None = None,
    *,
    status: str = "TRAINING_IN_PROGRESS",
    status_message: str | None = None,
    request: CreateProjectVersionRequest | None = None,
    created: datetime | None = None,
    f1_score: float | None = None,
    evaluation_summary: Mapping[str, str] | None = None,
    manifest_summary: Mapping[str, str] | None = None,
    billable_seconds: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> dict[str, Any]:
    """A ``ProjectVersionDescription`` as DescribeProjectVersions returns it.

    With ``request``, the description's inputs (output config, manifests, auto-create,
    KMS key, description, feature config) are those of the request, as the service
    reports them for a version it created from it.
    """
    if arn is None:
        arn = version_arn() if request is None else _arn_for(request)
    description: dict[str, Any] = {
        "ProjectVersionArn": arn,
        "CreationTimestamp": created or datetime(2026, 11, 27, 9, 0, tzinfo=timezone.utc),
        "Status": status,
    }
    if status_message is not None:
        description["StatusMessage"] = status_message
    if request is not None:
        boto = cast("dict[str, Any]", request.to_boto())
        description["OutputConfig"] = dict(boto["OutputConfig"])
        training = boto.get("TrainingData")
        if training is not None:
            description["TrainingDataResult"] = {
                "Input": {"Assets": _manifest_assets(_objects(training["Assets"]))}
            }
        testing = boto.get("TestingData")
        if testing is not None:
            given: dict[str, Any] = {}
            if "Assets" in testing:
                given["Assets"] = _manifest_assets(_objects(testing["Assets"]))
            if "AutoCreate" in testing:
                given["AutoCreate"] = testing["AutoCreate"]
            description["TestingDataResult"] = {"Input": given}
        for member in ("KmsKeyId", "VersionDescription", "FeatureConfig"):
            if member in boto:
                description[member] = boto[member]
    if f1_score is not None:
        evaluation: dict[str, Any] = {"F1Score": f1_score}
        if evaluation_summary is not None:
            evaluation["Summary"] = {"S3Object": dict(evaluation_summary)}
        description["EvaluationResult"] = evaluation
    if manifest_summary is not None:
        description["ManifestSummary"] = {"S3Object": dict(manifest_summary)}
    if billable_seconds is not None:
        description["BillableTrainingTimeInSeconds"] = billable_seconds
    if extra:
        description.update(extra)
    return description


def project_description(
    arn: str | None = None,
    *,
    feature: str = DEFAULT_FEATURE,
    status: str = "CREATED",
    datasets: Sequence[str] = (),
) -> dict[str, Any]:
    """A ``ProjectDescription`` as DescribeProjects returns it."""
    arn = arn or project_arn()
    created = datetime(2026, 11, 1, tzinfo=timezone.utc)
    return {
        "ProjectArn": arn,
        "CreationTimestamp": created,
        "Status": status,
        "Feature": feature,
        "Datasets": [
            {
                "CreationTimestamp": created,
                "DatasetType": kind,
                "DatasetArn": f"{arn.rsplit('/', 1)[0]}/dataset/{kind.lower()}/1700000000002",
                "Status": "CREATE_COMPLETE",
            }
            for kind in datasets
        ],
    }


def stub_create_project_version(
    stubber: Stubber,
    request: CreateProjectVersionRequest | RequestBuilder,
    arn: str | None = None,
) -> str:
    """Expect one CreateProjectVersion call with exactly this request; answer ``arn``.

    Returns the ARN the stub answers with (a realistic one, if not given).
    """
    request = built(request, "stub_create_project_version()")
    if arn is None:
        arn = _arn_for(request)
    stubber.add_response(
        "create_project_version", {"ProjectVersionArn": arn}, dict(request.to_boto())
    )
    return arn


def stub_describe_projects(
    stubber: Stubber, name: str, projects: Sequence[Mapping[str, Any]]
) -> None:
    """Expect the client's DescribeProjects lookup of ``name``; answer ``projects``."""
    stubber.add_response(
        "describe_projects",
        {"ProjectDescriptions": [dict(project) for project in projects]},
        {"ProjectNames": [name], "Features": list(FEATURES)},
    )


def stub_describe_project_versions(
    stubber: Stubber,
    project: str,
    names: Sequence[str],
    descriptions: Sequence[Mapping[str, Any]],
) -> None:
    """Expect one DescribeProjectVersions call for ``names``; answer ``descriptions``."""
    ProjectArn.parse(project, path="project")
    for name in names:
        ProjectVersionArn.parse(version_arn("p", name), path="names")
    stubber.add_response(
        "describe_project_versions",
        {"ProjectVersionDescriptions": [dict(item) for item in descriptions]},
        {"ProjectArn": project, "VersionNames": list(names)},
    )
