"""Creating a version: the request sent once, a taken name reconciled, preflight."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rekog_versions._operations._calls import Calls, Send, Steps, logger
from rekog_versions._retry import CLOCK, Retrying
from rekog_versions._validation import project_problems
from rekog_versions.arns import region_of
from rekog_versions.builder import RequestBuilder, built
from rekog_versions.errors import Problem, ResourceInUseError, VersionNameConflictError
from rekog_versions.models import checked_params
from rekog_versions.polling import CLOCK_SKEW

if TYPE_CHECKING:
    from collections.abc import Iterable
    from datetime import datetime

    from rekog_versions.models import CreateProjectVersionRequest, S3Object
    from rekog_versions.results import ProjectVersion

__all__ = ["Creating"]


class Creating(Calls):
    """Creates versions, and checks a request against its live project first."""

    def _create(
        self, request: CreateProjectVersionRequest | RequestBuilder, if_exists: str
    ) -> Steps[str]:
        if if_exists not in {"error", "reuse"}:
            raise ValueError(f"if_exists must be 'error' or 'reuse', got {if_exists!r}")
        # What is sent is checked (once), however the request was made (by hand, or
        # changed with attrs.evolve): a request that fails validation is never sent.
        request = built(request, "create()")
        params = checked_params(request)
        started = CLOCK.clock.wall_time()
        retrying = Retrying(self.retry, CLOCK.clock.monotonic())
        send = Send(
            "rekognition",
            "create_project_version",
            "CreateProjectVersion",
            params,
            region_of(request.project_arn),
        )
        try:
            response = yield from self._call(
                send, expect=("ProjectVersionArn", str), retrying=retrying
            )
        except ResourceInUseError as error:
            return (
                yield from self._reconcile(
                    request, error, started=started, sent=retrying.sent, reuse=if_exists == "reuse"
                )
            )
        arn = cast("str", response["ProjectVersionArn"])  # _call checked that it is there
        logger.info("created project version %s", arn)
        return arn

    def _reconcile(
        self,
        request: CreateProjectVersionRequest,
        error: ResourceInUseError,
        *,
        started: datetime,
        sent: int,
        reuse: bool,
    ) -> Steps[str]:
        found = yield from self._describe_names(request.project_arn, [request.version_name])
        existing = found.get(request.version_name)
        if existing is None:
            raise error  # in use for another reason (the project, say): as the service said
        differences = _differences(request, existing)
        if not differences and reuse:
            logger.info(
                "reusing project version %s (status %s): it has this request's name and inputs",
                existing.arn,
                existing.status_text,
            )
            return existing.arn
        if not differences and _made_by_this_call(existing, started=started, sent=sent):
            logger.info(
                "project version %s already exists with this request's inputs (status %s, "
                "created %s): a retried CreateProjectVersion met the version its first "
                "attempt created; returning its ARN",
                existing.arn,
                existing.status_text,
                existing.created_at.isoformat() if existing.created_at else "at an unknown time",
            )
            return existing.arn
        created = existing.created_at.isoformat() if existing.created_at else "unknown"
        follow = "(to follow it, describe or wait for its ARN, or create with if_exists='reuse')"
        if differences:
            why = f"whose inputs differ: {'; '.join(differences)}"
        elif sent <= 1:
            why = (
                "which has the same inputs but is not this call's version: this call sent "
                f"one request, answered that the name is taken {follow}"
            )
        else:
            why = (
                "which has the same inputs but was created before this call began, so it "
                f"is not this call's version {follow}"
            )
        raise VersionNameConflictError(
            f"the version name {request.version_name!r} is taken in this project by "
            f"{existing.arn} (status {existing.status_text}, created {created}), {why}. "
            "Choose another version name",
            existing=existing,
            code=error.code,
            request_id=error.request_id,
            http_status=error.http_status,
            operation=error.operation,
            retryable=False,
            attempts=error.attempts,
        ) from error

    def _preflight(
        self, request: CreateProjectVersionRequest | RequestBuilder, if_exists: str
    ) -> Steps[tuple[Problem, ...]]:
        request = built(request, "preflight()")
        project = request.project
        problems: list[Problem] = []
        matches = [
            description
            for description in (
                yield from self._describe_projects(project.project_name, project.region)
            )
            if description.get("ProjectArn") == request.project_arn
        ]
        if not matches:
            return (
                Problem(
                    "ProjectArn",
                    f"no project with this ARN in {project.region} for account {project.account} "
                    "(a project of the same name created again has another timestamp)",
                ),
            )
        problems.extend(project_problems(checked_params(request), matches[0]))
        existing = yield from self._describe_names(request.project_arn, [request.version_name])
        taken = existing.get(request.version_name)
        reusable = taken is not None and if_exists == "reuse" and not _differences(request, taken)
        if taken is not None and not reusable:
            problems.append(
                Problem(
                    "VersionName",
                    f"is taken in this project by {taken.arn} (status {taken.status_text})",
                )
            )
        return tuple(problems)


def _made_by_this_call(version: ProjectVersion, *, started: datetime, sent: int) -> bool:
    """Whether a version met by create() can be the one this create() made.

    Only if a response can have been lost: more than one request was sent (a retry by
    the library or by botocore), so an earlier one may have created the version before
    its answer went missing. One request, answered "taken", made nothing. Then the
    version must have been created after the call began (allowing for the clocks'
    difference), when the service says when.
    """
    if sent <= 1:
        return False
    if version.created_at is None:
        return True
    return version.created_at >= started - CLOCK_SKEW


def _same_kms_key(given: str | None, reported: str | None) -> bool:
    if given == reported:
        return True
    if given is None or reported is None:
        return False
    # The service may report the key's ARN for a key ID or alias given in the request.
    return reported.endswith((f"/{given}", f":{given}")) or given.endswith(
        (f"/{reported}", f":{reported}")
    )


def _manifests(objects: Iterable[S3Object]) -> list[tuple[str, str, str | None]]:
    return [(item.bucket, item.name, item.version) for item in objects]


def _differences(request: CreateProjectVersionRequest, version: ProjectVersion) -> list[str]:
    """The inputs in which an existing version differs from the request, in words."""
    found: list[str] = []
    output = request.output_config
    if (output.s3_bucket, output.s3_key_prefix or "") != (
        version.output_bucket,
        version.output_prefix or "",
    ):
        found.append(
            f"output s3://{version.output_bucket}/{version.output_prefix or ''} "
            f"instead of {output.uri}"
        )
    wanted_training = (
        []
        if request.training_data is None
        else _manifests(a.manifest for a in request.training_data.assets)
    )
    had_training = [] if version.training_data is None else _manifests(version.training_data.input)
    if wanted_training != had_training:
        found.append("other training manifests")
    testing = request.testing_data
    wanted_testing = (
        []
        if testing is None or testing.assets is None
        else _manifests(a.manifest for a in testing.assets)
    )
    had_testing = [] if version.testing_data is None else _manifests(version.testing_data.input)
    if wanted_testing != had_testing:
        found.append("other testing manifests")
    wanted_auto = bool(testing is not None and testing.auto_create)
    had_auto = bool(version.testing_data is not None and version.testing_data.auto_create)
    if wanted_auto != had_auto:
        found.append(f"AutoCreate {had_auto} instead of {wanted_auto}")
    if not _same_kms_key(request.kms_key_id, version.kms_key_id):
        found.append("another KMS key")
    if request.version_description != version.version_description:
        found.append(f"description {version.version_description!r}")
    wanted_threshold = (
        None
        if request.feature_config is None or request.feature_config.content_moderation is None
        else request.feature_config.content_moderation.confidence_threshold
    )
    had_threshold = (
        None
        if version.feature_config is None or version.feature_config.content_moderation is None
        else version.feature_config.content_moderation.confidence_threshold
    )
    if wanted_threshold != had_threshold:
        found.append(f"confidence threshold {had_threshold} instead of {wanted_threshold}")
    return found
