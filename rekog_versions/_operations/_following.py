"""Following a training: one look, a wait to its end, waits on many at once."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from rekog_versions._operations._calls import (
    Calls,
    Overdue,
    Pause,
    Steps,
    Together,
    Within,
    creation,
    returned,
    the_version,
)
from rekog_versions._retry import CLOCK
from rekog_versions.arns import ProjectVersionArn
from rekog_versions.errors import RekogVersionsError
from rekog_versions.polling import (
    Follower,
    PollOutcome,
    PollResult,
    next_poll_in,
    outcome_of,
    wait_limit,
)

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from rekog_versions.results import ProjectVersion

__all__ = ["Following"]


class Following(Calls):
    """Follows trainings: a look, a wait, many waits, the newest trained version."""

    def _poll(
        self, arn: str, poll_interval: float | None, project_arn: str | None
    ) -> Steps[PollResult]:
        next_poll_in(0.0, poll_interval)  # a bad interval fails before any call
        version_arn = ProjectVersionArn.parse(arn)

        def describe(project: str) -> Steps[ProjectVersion | None]:
            found = yield from self._describe_names(project, [version_arn.version_name])
            if version_arn.version_name not in found:
                return None  # not listed (yet?): judged below
            return the_version(found, version_arn)

        listed = yield from self._in_project(version_arn, project_arn, describe)
        version = listed if listed is not None else self._not_listed_yet(version_arn)
        polled_at = CLOCK.clock.wall_time()
        outcome = outcome_of(version.status)
        if outcome is not PollOutcome.IN_PROGRESS:
            return PollResult(
                version=version, outcome=outcome, polled_at=polled_at, next_poll_in=None
            )
        created = version.created_at or ProjectVersionArn.parse(arn).created_at
        elapsed = 0.0 if created is None else (polled_at - created).total_seconds()
        return PollResult(
            version=version,
            outcome=outcome,
            polled_at=polled_at,
            next_poll_in=next_poll_in(elapsed, poll_interval),
        )

    def _not_listed_yet(self, arn: ProjectVersionArn) -> ProjectVersion:
        """A version missing from the answers within ``not_found_grace`` of its creation.

        ``DescribeProjectVersions`` lists a version a few seconds after its creation, so
        one look grants it the grace a wait grants, counted from the time in its ARN: it
        is then a version of unknown status, training as far as anyone knows.

        Raises:
            ResourceNotFoundError: After the grace (or with no time to count from).
        """
        from rekog_versions.results import ProjectVersion, ProjectVersionStatus  # noqa: PLC0415

        created = arn.created_at
        age = None if created is None else (CLOCK.clock.wall_time() - created).total_seconds()
        if created is None or age is None or age >= self.retry.not_found_grace:
            return the_version({}, arn)  # raises the service's not-found error
        return ProjectVersion(
            arn=str(arn),
            status=ProjectVersionStatus.UNKNOWN,
            status_text="",
            status_message=(
                f"not listed by DescribeProjectVersions yet (created {max(age, 0):.0f} s ago, "
                f"within the {self.retry.not_found_grace:g} s a new version may take to be "
                "listed)"
            ),
            created_at=created,
        )

    def _wait(
        self,
        arn: str,
        timeout: float | None,
        poll_interval: float | None,
        on_change: Callable[[ProjectVersion], object] | None,
        project_arn: str | None,
    ) -> Steps[ProjectVersion]:
        next_poll_in(0.0, poll_interval)  # a bad interval fails before any call
        limit = wait_limit(timeout)
        version_arn = ProjectVersionArn.parse(arn)
        deadline = CLOCK.clock.monotonic() + limit

        def follow(project: str) -> Steps[dict[str, ProjectVersion]]:
            return self._follow(
                project, [version_arn], deadline, limit, poll_interval, on_change, single=True
            )

        versions = yield from self._in_project(
            version_arn, project_arn, follow, deadline=deadline, limit=limit
        )
        return versions[str(version_arn)]

    def _wait_many(
        self,
        arns: Iterable[str],
        timeout: float | None,
        poll_interval: float | None,
        on_change: Callable[[ProjectVersion], object] | None,
    ) -> Steps[dict[str, ProjectVersion]]:
        next_poll_in(0.0, poll_interval)  # a bad interval fails before any call
        limit = wait_limit(timeout)
        if isinstance(arns, str):
            raise TypeError("wait_many() takes a list of version ARNs, not one: use wait()")
        parsed = [ProjectVersionArn.parse(arn) for arn in dict.fromkeys(arns)]
        deadline = CLOCK.clock.monotonic() + limit
        by_project: dict[str, list[ProjectVersionArn]] = {}
        for version_arn in parsed:
            project = yield from self._in_project(
                version_arn, None, returned, deadline=deadline, limit=limit
            )
            by_project.setdefault(project, []).append(version_arn)
        followed = yield Together(
            [
                self._follow(
                    project, members, deadline, limit, poll_interval, on_change, single=False
                )
                for project, members in by_project.items()
            ]
        )
        results: dict[str, ProjectVersion] = {}
        for each in cast("list[dict[str, ProjectVersion]]", followed):
            results.update(each)
        return results

    def _follow(  # noqa: PLR0913, PLR0917 - the polling loop, in one place
        self,
        project: str,
        versions: list[ProjectVersionArn],
        deadline: float,
        limit: float,
        poll_interval: float | None,
        on_change: Callable[[ProjectVersion], object] | None,
        *,
        single: bool,
    ) -> Steps[dict[str, ProjectVersion]]:
        """Poll until every version's training ended, or the deadline (monotonic) passed.

        The :class:`~rekog_versions.polling.Follower` decides; this only describes,
        reports and pauses.
        """
        clock = CLOCK.clock
        follower = Follower(
            {version.version_name: str(version) for version in versions},
            started=deadline - limit,
            limit=limit,
            poll_interval=poll_interval,
            not_found_grace=self.retry.not_found_grace,
            single=single,
        )
        while True:
            try:
                found = yield Within(
                    deadline, self._describe_names(project, follower.names(), deadline=deadline)
                )
            except Overdue:
                raise follower.timeout() from None
            except RekogVersionsError as error:
                follower.failed(error, project)
            else:
                for version in follower.seen(found, clock.monotonic()):
                    if on_change is not None:
                        on_change(version)
            pause = follower.pause(clock.monotonic())
            if pause is None:
                return follower.done
            yield Pause(pause)

    def _latest_trained(self, arn: str, project_arn: str | None) -> Steps[ProjectVersion | None]:
        version_arn = ProjectVersionArn.parse(arn)

        def every_version(project: str) -> Steps[dict[str, ProjectVersion]]:
            return self._describe_names(project, None)

        versions = yield from self._in_project(version_arn, project_arn, every_version)
        trained = [
            version
            for version in versions.values()
            if version.evaluation_summary is not None and version.arn != str(version_arn)
        ]
        return max(trained, key=creation, default=None)
