"""Judging a trained version: its result files read, two versions compared."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, cast

from rekog_versions._operations._calls import Calls, Send, Steps
from rekog_versions.errors import RekogVersionsError, ResultFileError
from rekog_versions.results import EvaluationSummary, ManifestSummary

if TYPE_CHECKING:
    from collections.abc import Mapping

    from rekog_versions.gate import Comparison
    from rekog_versions.models import S3Object
    from rekog_versions.results import ProjectVersion

__all__ = ["Judging"]


class Judging(Calls):
    """Reads a version's result files, and compares two versions' evaluations."""

    def _evaluation(self, version: ProjectVersion | str) -> Steps[EvaluationSummary]:
        described = yield from self._described(version)
        document, location = yield from self._result_file(
            described,
            described.evaluation_summary,
            "evaluation summary",
            "the summary is written only when training succeeds",
        )
        return EvaluationSummary.from_json(document, location=location)

    def _manifest_summary(self, version: ProjectVersion | str) -> Steps[ManifestSummary]:
        described = yield from self._described(version)
        document, location = yield from self._result_file(
            described,
            described.manifest_summary,
            "manifest summary",
            "training writes one only when the manifest files could be read",
        )
        return ManifestSummary.from_json(document, location=location)

    def _result_file(
        self, version: ProjectVersion, location: S3Object | None, what: str, when: str
    ) -> Steps[tuple[object, S3Object]]:
        """A result file's parsed JSON, and where it is; a clear error if there is none."""
        if location is None:
            raise ResultFileError(f"{version.arn} has no {what} ({version.status_text}): {when}")
        params: dict[str, Any] = {"Bucket": location.bucket, "Key": location.name}
        if location.version is not None:
            params["VersionId"] = location.version
        try:
            response = yield from self._call(Send("s3", "get_object", "GetObject", params))
        except RekogVersionsError as error:
            raise ResultFileError(
                f"could not read the {what} {location.uri}: {error}", location=location
            ) from error
        try:
            return json.loads(cast("Mapping[str, bytes]", response)["Body"]), location
        except (ValueError, UnicodeDecodeError, RecursionError) as error:  # deeper than json goes
            raise ResultFileError(
                f"the {what} {location.uri} is not JSON: {error}", location=location
            ) from error

    def _compare(
        self, candidate: ProjectVersion | str, baseline: ProjectVersion | str
    ) -> Steps[Comparison]:
        from rekog_versions.gate import compare_summaries  # noqa: PLC0415 - only to compare

        mine = yield from self._described(candidate)
        theirs = yield from self._described(baseline)
        return compare_summaries(
            mine, (yield from self._evaluation(mine)), theirs, (yield from self._evaluation(theirs))
        )
