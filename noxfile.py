"""Development sessions: one per concern, as `nox -l` lists them.

`nox` runs the default sessions (tests on every supported Python found, lint, typing,
docs); `nox -s benchmarks` runs the benchmarks.
"""

from __future__ import annotations

from pathlib import Path

import nox
from packaging.requirements import Requirement

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "tests-range", "lint", "typing", "docs"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = nox.project.python_versions(PYPROJECT)  # from the classifiers


#: The extras every session but the floors' installs: each part beside the core, with
#: what it needs (datasets brings manifests).
EXTRAS = ".[async,datasets,emulate]"


def _install(session: nox.Session, *groups: str) -> None:
    session.install(EXTRAS)
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


#: pytest-xdist's workers: most slow tests wait on servers and sleeps, not on a core.
WORKERS = ("-n", "4")

#: The AWS CLI test skips where the AWS CLI is not installed (a dev venv); in the test
#: sessions, which install it, a missing AWS CLI fails it instead.
REQUIRE_AWSCLI = {"REKOG_VERSIONS_REQUIRE_AWSCLI": "1"}

#: The asynchronous client's tests skip where aiobotocore is missing (a dev venv); in the
#: sessions that install the async extra, a missing aiobotocore fails them instead.
REQUIRE_ASYNC = {"REKOG_VERSIONS_REQUIRE_ASYNC": "1"}

#: Printed before the tests, so that the log says which versions were tested.
SHOW_VERSIONS = (
    "from importlib.metadata import version as v; "
    "print(*(f'{n}=={v(n)}' for n in ('boto3', 'botocore', 'attrs', 'orjson')))"
)


def _test_dependencies() -> list[str]:
    return [
        *nox.project.dependency_groups(PYPROJECT, "tests"),
        *nox.project.dependency_groups(PYPROJECT, "awscli"),
    ]


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite and the docstring examples, on one Python, with the async extra.

    One resolution for everything, since aiobotocore and the AWS CLI each pin botocore.
    """
    session.install(EXTRAS, *_test_dependencies())
    session.run("python", "-c", SHOW_VERSIONS)
    session.run("pytest", *WORKERS, *session.posargs, env={**REQUIRE_AWSCLI, **REQUIRE_ASYNC})


# The checks run on whichever Python runs nox, so that a machine with one Python runs
# them all; mypy and pyright check against the oldest supported version (pyproject.toml).
#: The extras the range's ends install (not async: aiobotocore pins its own botocore).
RANGE_EXTRAS = ("manifests", "datasets", "emulate")


#: Left at their newest: the package's own extras, and moto, which the tests also run Step
#: Functions on (an old moto names the integration's errors otherwise).
UNPINNED = ("rekog-versions", "moto")


def _runtime_requirements() -> list[str]:
    """The core's dependencies and those of RANGE_EXTRAS, but the UNPINNED ones."""
    optional = PYPROJECT["project"]["optional-dependencies"]
    lines = [*PYPROJECT["project"]["dependencies"]]
    lines += [line for extra in RANGE_EXTRAS for line in optional[extra]]
    return [line for line in lines if not line.startswith(UNPINNED)]


def _floors() -> list[str]:
    """Every runtime dependency pinned to the lowest version pyproject.toml allows."""
    pins = []
    for line in dict.fromkeys(_runtime_requirements()):
        requirement = Requirement(line)
        lowest = [spec.version for spec in requirement.specifier if spec.operator == ">="]
        if len(lowest) != 1:
            msg = f"{line!r} in pyproject.toml needs exactly one '>=' floor"
            raise ValueError(msg)
        pins.append(f"{requirement.name}=={lowest[0]}")
    return pins


#: The ends of the supported range the test sessions do not reach, each run on the oldest
#: supported Python without the async extra: every runtime dependency at its floor, and
#: the newest releases (the test sessions have the botocore that aiobotocore pins).
RANGE = {
    "floors": _floors,
    "newest": list,
}


@nox.session(name="tests-range", python=PYTHONS[0])
@nox.parametrize("end", list(RANGE))
def tests_range(session: nox.Session, end: str) -> None:
    """The test suite with the runtime dependencies at one end of the supported range."""
    constraints = Path(session.create_tmp()) / "constraints.txt"
    constraints.write_text("\n".join(RANGE[end]()) + "\n")
    # One resolution, so that no test dependency can lift a pinned runtime dependency.
    extras = f".[{','.join(RANGE_EXTRAS)}]"
    session.install("-c", str(constraints), extras, *RANGE[end](), *_test_dependencies())
    session.run("python", "-c", SHOW_VERSIONS)
    session.run("pytest", *WORKERS, *session.posargs, env=REQUIRE_AWSCLI)


@nox.session(python=None)
def lint(session: nox.Session) -> None:
    """ruff's checks and its formatter, in check mode."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=None)
def typing(session: nox.Session) -> None:
    """mypy --strict and pyright (strict) on the package and tests/typing; its completeness.

    ``pyright --verifytypes`` must find every exported symbol's type known (100%), with
    every extra and the stubs installed; the unknowns of other packages' own types (the
    boto3 stubs' overloads for services not installed, aiobotocore's untyped bases) are
    theirs, not the package's, and are left out.
    """
    _install(session, "typing")
    session.run("mypy", "--strict", "rekog_versions", "tests/typing")
    session.run("pyright", "rekog_versions", "tests/typing")
    session.run("pyright", "--verifytypes", "rekog_versions", "--ignoreexternal")


@nox.session(python=None)
def docs(session: nox.Session) -> None:
    """The Sphinx docs, warnings as errors, and their examples as doctests."""
    _install(session, "docs")
    common = ["-W", "-n", "--keep-going", "-q", "docs"]
    session.run("sphinx-build", "-b", "html", *common, "docs/_build/html")
    session.run("sphinx-build", "-b", "doctest", *common, "docs/_build/doctest")


#: The benchmarks, in the order ``nox -s benchmarks`` runs them.
BENCHMARKS = (
    "bench_validation.py",
    "bench_create.py",
    "bench_manifest.py",
    "bench_manifest_rules.py",
    "bench_startup.py",
    "bench_unreachable.py",
    "bench_async.py",
    "bench_coco.py",
    "bench_csv.py",
    "bench_images.py",
    "bench_emulator.py",
    "bench_async_build.py",
)


@nox.session(python=PYTHONS, default=False)
def benchmarks(session: nox.Session) -> None:
    """The performance budgets, measured (not part of the test suite).

    ``nox -s benchmarks -- bench_async.py`` runs only the benchmarks named.
    """
    session.install(EXTRAS, *nox.project.dependency_groups(PYPROJECT, "benchmarks"))
    for name in session.posargs or BENCHMARKS:
        session.run("python", f"benchmarks/{name}")
