"""Development sessions: one per concern, as `nox -l` lists them.

`nox` runs the default sessions (tests on every supported Python found, lint, typing,
docs); `nox -s benchmarks` runs the benchmarks.
"""

from __future__ import annotations

import nox

nox.needs_version = ">=2025.2.9"
nox.options.default_venv_backend = "uv|virtualenv"
nox.options.sessions = ["tests", "lint", "typing", "docs"]

PYPROJECT = nox.project.load_toml("pyproject.toml")
PYTHONS = nox.project.python_versions(PYPROJECT)  # from the classifiers


def _install(session: nox.Session, *groups: str) -> None:
    session.install(".")
    for group in groups:
        session.install(*nox.project.dependency_groups(PYPROJECT, group))


@nox.session(python=PYTHONS)
def tests(session: nox.Session) -> None:
    """The test suite and the docstring examples, on one Python."""
    _install(session, "tests")
    session.run("pytest", *session.posargs)


# The checks run on whichever Python runs nox, so that a machine with one Python runs
# them all; mypy and pyright check against the oldest supported version (pyproject.toml).
@nox.session(python=None)
def lint(session: nox.Session) -> None:
    """ruff's checks and its formatter, in check mode."""
    session.install(*nox.project.dependency_groups(PYPROJECT, "lint"))
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session(python=None)
def typing(session: nox.Session) -> None:
    """mypy --strict and pyright (strict) on the package and on tests/typing."""
    _install(session, "typing")
    session.run("mypy", "--strict", "rekog_versions", "tests/typing")
    session.run("pyright", "rekog_versions", "tests/typing")


@nox.session(python=None)
def docs(session: nox.Session) -> None:
    """The Sphinx docs, warnings as errors, and their examples as doctests."""
    _install(session, "docs")
    common = ["-W", "-n", "--keep-going", "-q", "docs"]
    session.run("sphinx-build", "-b", "html", *common, "docs/_build/html")
    session.run("sphinx-build", "-b", "doctest", *common, "docs/_build/doctest")


@nox.session(python=PYTHONS, default=False)
def benchmarks(session: nox.Session) -> None:
    """The performance budgets, measured (not part of the test suite)."""
    _install(session, "benchmarks")
    session.run("python", "benchmarks/bench_validation.py")
    session.run("python", "benchmarks/bench_create.py")
    session.run("python", "benchmarks/bench_manifest.py")
    session.run("python", "benchmarks/bench_startup.py")
    session.run("python", "benchmarks/bench_unreachable.py")
