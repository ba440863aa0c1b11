"""The service LocalRekognition emulates: its projects and versions, and its answers.

Requests are judged by the library's own rules engine (``_validation``), worded as the
service words its ``ValidationException``; what a project allows (datasets, the
feature) by the same rules ``preflight()`` reports; a version's ARN is made by the one
formatter of :mod:`rekog_versions.arns`.
"""

# Requests and answers are JSON of the API's shapes, handled as plain dicts here.
# pyright: reportUnknownVariableType=false, reportUnknownMemberType=false
# pyright: reportUnknownArgumentType=false

from __future__ import annotations

import threading
import time
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from rekog_versions._constraints import (
    CREATE_PROJECT_VERSION,
    BoolRule,
    FloatRule,
    MapRule,
    Rule,
    StringRule,
)
from rekog_versions._defaults import DEFAULT_FEATURE, FEATURES, Feature
from rekog_versions._validation import (
    Entry,
    Finding,
    Step,
    cross_field,
    preview,
    project_problems,
    walk,
)
from rekog_versions.arns import ProjectArn, ProjectVersionArn
from rekog_versions.results import ProjectVersionStatus
from rekog_versions.testing._faults import ErrorAnswer
from rekog_versions.testing._training import Settings, Version, train

if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

__all__ = ["MAX_RESULTS", "Service"]

MAX_RESULTS: Final = 100

#: The statuses of a hosted model, which cannot be deleted.
_HOSTED: Final = frozenset({ProjectVersionStatus.RUNNING, ProjectVersionStatus.STARTING})

#: The service's own sentence for a project rule a request breaks, where it has one
#: (the rules are ``project_problems``'); any other is answered in the library's words.
_SERVICE_WORDS: Final = {
    "FeatureConfig": "The job configuration does not match the feature type associated with "
    "the project.",
}


# -- request validation as the service does it ----------------------------------------


def _service_path(path: tuple[Step, ...]) -> str:
    """A path as the service writes it: ``trainingData.assets.1.member.groundTruthManifest``."""
    parts: list[str] = []
    for step in path:
        if isinstance(step, int):
            parts += [str(step + 1), "member"]
        elif isinstance(step, Entry):
            parts.append(step.part)
        else:
            parts.append(step[0].lower() + step[1:])
    return ".".join(parts)


_SERVICE_TYPES: Final[dict[type, str]] = {
    StringRule: "a string",
    FloatRule: "a number",
    BoolRule: "a boolean",
}


def _service_words(finding: Finding) -> str | None:  # noqa: PLR0911 - one wording a kind
    """The service's ``ValidationException`` text for a finding of the model's own rules.

    ``None`` for what the service's model validation does not say: rules beyond the
    model, and members a real SDK never sends.
    """
    rule, value, path = finding.rule, finding.value, _service_path(finding.path)
    failed = f"at '{path}' failed to satisfy constraint: Member must"
    shown = value[:80] if isinstance(value, str) else preview(value)
    if finding.extra is not None:
        return None
    if finding.kind == "required":
        return f"Value null {failed} not be null"
    if finding.kind == "type" and type(rule) in _SERVICE_TYPES:
        return f"Value {failed} be {_SERVICE_TYPES[type(rule)]}"
    if finding.kind == "finite":
        return f"Value {failed} be a number"
    if finding.kind == "length" and isinstance(rule, StringRule):
        if rule.min_length is not None and len(cast("str", value)) < rule.min_length:
            return (
                f"Value '{shown}' {failed} have length greater than or equal to {rule.min_length}"
            )
        return f"Value '{shown}' {failed} have length less than or equal to {rule.max_length}"
    if finding.kind == "pattern" and isinstance(rule, StringRule):
        return f"Value '{shown}' {failed} satisfy regular expression pattern: {rule.pattern}"
    if finding.kind == "range" and isinstance(rule, FloatRule):
        if rule.minimum is not None and cast("float", value) < rule.minimum:
            return f"Value '{shown}' {failed} have value greater than or equal to {rule.minimum:g}"
        return f"Value '{shown}' {failed} have value less than or equal to {rule.maximum:g}"
    if finding.kind == "entries" and isinstance(rule, MapRule):
        return f"Value {failed} have length less than or equal to {rule.max_length}"
    return None


def _validate(rule: Rule, body: Mapping[str, Any]) -> None:
    """Answer as the service does to a request that breaks the model's constraints."""
    problems = [words for words in map(_service_words, walk(rule, body)) if words is not None]
    if problems:
        count = len(problems)
        raise ErrorAnswer(
            "ValidationException",
            f"{count} validation error{'s' * (count != 1)} detected: " + "; ".join(problems),
        )


def _page(items: list[dict[str, Any]], body: Mapping[str, Any], key: str) -> dict[str, Any]:
    size = body.get("MaxResults", 100)
    if type(size) is not int or not 1 <= size <= MAX_RESULTS:
        raise ErrorAnswer(
            "ValidationException",
            f"1 validation error detected: Value '{preview(size)}' at 'maxResults' failed to "
            f"satisfy constraint: Member must have value between 1 and {MAX_RESULTS}",
        )
    token = body.get("NextToken")
    if token is None:
        start = 0
    elif type(token) is str and token.isascii() and token.isdigit() and len(token) < 10:
        start = int(token)  # the tokens this emulator hands out: an offset
    else:
        raise ErrorAnswer("InvalidPaginationTokenException", "Invalid pagination token")
    answer: dict[str, Any] = {key: items[start : start + size]}
    if start + size < len(items):
        answer["NextToken"] = str(start + size)
    return answer


@attrs.define
class _Project:
    arn: str
    name: str
    feature: str
    created: float
    auto_update: str | None
    datasets: list[dict[str, Any]] = attrs.field(factory=list)


class Service:
    """The projects and versions of one emulated account and region, and their operations.

    Args:
        settings: Where training reads and writes, how long it takes, the ARNs' region
            and account (LocalRekognition's, read at each call: tests change them).
    """

    def __init__(self, settings: Settings) -> None:
        """Start with no projects."""
        self.settings = settings
        self._lock = threading.RLock()
        self._projects: dict[str, _Project] = {}
        self._versions: dict[tuple[str, str], Version] = {}
        self._clock = 0

    def add_dataset(self, project_arn: str, dataset_type: str = "TRAIN") -> None:
        """Give a project a dataset (the emulator has no CreateDataset)."""
        with self._lock:
            project = self._project(project_arn)
            project.datasets.append(
                {
                    "CreationTimestamp": time.time(),
                    "DatasetType": dataset_type,
                    # The library reads no dataset ARN, so the emulator alone writes one.
                    "DatasetArn": f"{project.arn.rsplit('/', 1)[0]}/dataset/"
                    f"{dataset_type.lower()}/{self._timestamp()}",
                    "Status": "CREATE_COMPLETE",
                }
            )

    def versions(self) -> list[dict[str, Any]]:
        """Every version, as DescribeProjectVersions describes it."""
        with self._lock:
            return [self.describe(version) for version in self._versions.values()]

    def _timestamp(self) -> int:
        # Milliseconds since the epoch, strictly increasing so ARNs never collide.
        with self._lock:
            self._clock = max(self._clock + 1, int(time.time() * 1000))
            return self._clock

    def _project(self, arn: object) -> _Project:
        project = self._projects.get(arn) if isinstance(arn, str) else None
        if project is None:
            raise ErrorAnswer("ResourceNotFoundException", f"The project {arn} does not exist.")
        return project

    def handle(self, operation: str, body: dict[str, Any]) -> dict[str, Any]:
        """Carry out one operation and return its answer (or raise ErrorAnswer)."""
        method: Callable[[dict[str, Any]], dict[str, Any]] | None = getattr(
            self, f"_op_{operation}", None
        )
        if method is None:
            raise ErrorAnswer(
                "UnknownOperationException", f"LocalRekognition does not emulate {operation}"
            )
        with self._lock:
            return method(body)

    def _op_CreateProject(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        name = body.get("ProjectName")
        if not isinstance(name, str) or not name:
            raise ErrorAnswer(
                "ValidationException",
                "1 validation error detected: Value null at 'projectName' failed to satisfy "
                "constraint: Member must not be null",
            )
        feature = body.get("Feature", DEFAULT_FEATURE)
        if feature not in FEATURES:
            raise ErrorAnswer(
                "InvalidParameterException", f"Feature must be one of {', '.join(FEATURES)}"
            )
        if feature == "CONTENT_MODERATION" and body.get("AutoUpdate") is None:
            raise ErrorAnswer(
                "InvalidParameterException",
                "AutoUpdate is required for Content Moderation projects.",
            )
        if any(project.name == name for project in self._projects.values()):
            raise ErrorAnswer("ResourceInUseException", f"A project named {name} already exists.")
        arn = str(
            ProjectArn(
                partition="aws",
                region=self.settings.region,
                account=self.settings.account,
                project_name=name,
                timestamp=self._timestamp(),
            )
        )
        self._projects[arn] = _Project(arn, name, feature, time.time(), body.get("AutoUpdate"))
        return {"ProjectArn": arn}

    def _op_DescribeProjects(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        names = body.get("ProjectNames")
        features = body.get("Features") or [DEFAULT_FEATURE]
        found = [
            self._project_description(project)
            for project in self._projects.values()
            if project.feature in features and (not names or project.name in names)
        ]
        return _page(found, body, "ProjectDescriptions")

    def _project_description(self, project: _Project) -> dict[str, Any]:
        description: dict[str, Any] = {
            "ProjectArn": project.arn,
            "CreationTimestamp": project.created,
            "Status": "CREATED",
            "Datasets": list(project.datasets),
            "Feature": project.feature,
        }
        if project.auto_update is not None:
            description["AutoUpdate"] = project.auto_update
        return description

    def _op_DeleteProject(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        project = self._project(body.get("ProjectArn"))
        if any(key[0] == project.arn for key in self._versions):
            raise ErrorAnswer(
                "ResourceInUseException", "The project has project versions; delete them first."
            )
        del self._projects[project.arn]
        return {"Status": "DELETING"}

    def _op_CreateProjectVersion(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        _validate(CREATE_PROJECT_VERSION, body)
        project = self._project(body["ProjectArn"])
        name = body["VersionName"]
        if (project.arn, name) in self._versions:
            raise ErrorAnswer(
                "ResourceInUseException", f"A version named {name} already exists in the project."
            )
        refused = project_problems(body, self._project_description(project))
        if refused:  # the rule is the library's one; the words are the service's
            raise ErrorAnswer(
                "InvalidParameterException",
                " ".join(_SERVICE_WORDS.get(problem.path, str(problem)) for problem in refused),
            )
        if any(not finding.inferred for finding in cross_field(body)):
            raise ErrorAnswer(
                "InvalidParameterException",
                "If you specify TrainingData you must also specify TestingData, and the reverse.",
            )
        arn = str(
            ProjectVersionArn(
                partition="aws",
                region=self.settings.region,
                account=self.settings.account,
                project_name=project.name,
                version_name=name,
                timestamp=self._timestamp(),
            )
        )
        self._versions[(project.arn, name)] = Version(
            arn, name, project.arn, dict(body), time.time(), cast("Feature", project.feature)
        )
        return {"ProjectVersionArn": arn}

    def _op_DescribeProjectVersions(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        project = self._project(body.get("ProjectArn"))
        names = body.get("VersionNames")
        found = [
            self.describe(version)
            for (project_arn, name), version in self._versions.items()
            if project_arn == project.arn and (not names or name in names)
        ]
        found.reverse()  # the service lists the newest first
        return _page(found, body, "ProjectVersionDescriptions")

    def _op_DeleteProjectVersion(self, body: dict[str, Any]) -> dict[str, Any]:  # noqa: N802
        arn = body.get("ProjectVersionArn")
        for key, version in list(self._versions.items()):
            if version.arn == arn:
                if version.status in _HOSTED:
                    raise ErrorAnswer(
                        "ResourceInUseException", "Stop the model before deleting it."
                    )
                del self._versions[key]
                return {"Status": "DELETING"}
        raise ErrorAnswer("ResourceNotFoundException", f"The project version {arn} does not exist.")

    def describe(self, version: Version) -> dict[str, Any]:
        """The version as DescribeProjectVersions describes it, its training ended on time."""
        if (
            version.status == ProjectVersionStatus.TRAINING_IN_PROGRESS
            and time.time() - version.created >= self.settings.training_seconds
        ):
            train(version, self.settings)
        request = version.request
        description: dict[str, Any] = {
            "ProjectVersionArn": version.arn,
            "CreationTimestamp": version.created,
            "Status": version.status.value,
            "OutputConfig": request["OutputConfig"],
            "Feature": version.feature,
        }
        if version.status_message is not None:
            description["StatusMessage"] = version.status_message
        if "TrainingData" in request:
            description["TrainingDataResult"] = {"Input": request["TrainingData"]}
        if "TestingData" in request:
            description["TestingDataResult"] = {"Input": request["TestingData"]}
        for member in ("KmsKeyId", "VersionDescription", "FeatureConfig"):
            if member in request:
                description[member] = request[member]
        if version.feature == "CONTENT_MODERATION":
            description["BaseModelVersion"] = "7.0"
        description.update(version.extra)
        return description
