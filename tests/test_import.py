"""What importing the package and asking for a name loads: the core alone, never an extra."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from importlib import import_module

import pytest

import rekog_versions

#: The parts beside the core, and the dependencies only they need.
EXTRAS = ("manifests", "datasets", "stepfunctions", "testing", "cli", "aio")
EXTRA_DEPENDENCIES = ("orjson", "PIL", "yaml", "aiobotocore", "aiohttp", "moto")
CORE_NAMES = [name for name in rekog_versions.__all__ if name != "AsyncProjectVersionsClient"]


def _loaded_after(code: str) -> set[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    return set(json.loads(result.stdout))


def _extras_in(modules: set[str], parts: tuple[str, ...]) -> list[str]:
    """The modules of the library's ``parts`` and of the extras' dependencies."""
    return sorted(
        module
        for module in modules
        if module.split(".")[0] in EXTRA_DEPENDENCIES
        or any(
            module == f"rekog_versions.{part}" or module.startswith(f"rekog_versions.{part}.")
            for part in parts
        )
    )


@pytest.mark.parametrize("name", CORE_NAMES, ids=CORE_NAMES)
def test_a_core_name_loads_no_extra(name: str) -> None:
    """Asking for a core name imports no part beside the core and none of their dependencies."""
    loaded = _loaded_after(f"import rekog_versions\nrekog_versions.{name}")
    assert f"rekog_versions.{rekog_versions._public_names()[name].split('.', 1)[1]}" in loaded
    assert [] == _extras_in(loaded, EXTRAS)


def test_the_async_client_loads_no_other_part() -> None:
    """The asyncio client imports none of manifests, datasets, stepfunctions or cli."""
    loaded = _loaded_after("from rekog_versions import AsyncProjectVersionsClient")
    assert "rekog_versions.aio" in loaded
    assert [] == _extras_in(loaded, ("manifests", "datasets", "stepfunctions", "cli"))


def test_import_and_validate_without_boto3() -> None:
    """Import, build, validate, set up both clients: boto3, botocore, aiobotocore unimported."""
    code = textwrap.dedent(
        """
        import rekog_versions
        request = (
            rekog_versions.RequestBuilder(
                project_arn="arn:aws:rekognition:us-east-1:111122223333:project/p/1",
                version_name="v1",
            )
            .output("s3://bkt/out/")
            .training_manifest("s3://bkt/t.manifest")
            .auto_split()
            .build()
        )
        rekog_versions.CreateProjectVersionRequest.from_boto(request.to_boto())
        rekog_versions.ProjectVersionsClient(region_name="us-east-1")  # builds nothing yet
        from importlib.util import find_spec
        if find_spec("aiobotocore") is not None:  # the async extra (not in every session)
            rekog_versions.AsyncProjectVersionsClient(region_name="us-east-1")  # nor this
        import rekog_versions.testing
        rekog_versions.testing.version_arn()
        """
    )
    loaded = _loaded_after(code)
    assert [] == sorted(
        m for m in loaded if m.split(".")[0] in {"boto3", "botocore", "aiobotocore", "aiohttp"}
    )


def test_importing_the_package_imports_none_of_its_modules() -> None:
    """``import rekog_versions`` runs its __init__ only: every name comes on first use."""
    loaded = _loaded_after("import rekog_versions")
    assert ["rekog_versions"] == sorted(m for m in loaded if m.startswith("rekog_versions"))


def test_the_public_names_are_the_core_and_at_most_60() -> None:
    """__all__ is the table's names, sorted; at most 60, each defined where the table says."""
    table = rekog_versions._public_names()
    assert sorted(table) == rekog_versions.__all__
    assert len(table) <= 60
    for name, module_name in table.items():
        value = getattr(import_module(module_name), name)
        assert module_name == value.__module__, name  # defined there, not re-exported
        assert value is getattr(rekog_versions, name)


def test_an_unknown_name_is_an_attribute_error() -> None:
    """A name the table does not hold is an AttributeError naming it, as for any module."""
    with pytest.raises(AttributeError, match="has no attribute 'validate_manifest'"):
        rekog_versions.validate_manifest  # noqa: B018 - the attribute access is the test


def test_version_is_read_from_metadata() -> None:
    """__version__ is the installed distribution's version."""
    from importlib.metadata import version  # noqa: PLC0415

    assert version("rekog-versions") == rekog_versions.__version__


def test_threads_asking_for_names_at_once_all_get_them() -> None:
    """Threads that ask for public names together, on a fresh import, each get theirs."""
    probe = textwrap.dedent(
        """
        import importlib, sys, threading
        sys.setswitchinterval(1e-6)
        failures = []
        names = ["WaitTimeoutError", "RequestBuilder", "S3Object", "Severity", "ProjectArn"] * 4
        for attempt in range(40):
            sys.modules.pop("rekog_versions", None)
            package = importlib.import_module("rekog_versions")
            barrier = threading.Barrier(len(names))
            def ask(name):
                barrier.wait()
                try:
                    getattr(package, name)
                except AttributeError as error:
                    failures.append(str(error))
            threads = [threading.Thread(target=ask, args=(name,)) for name in names]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
        print(failures)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    )
    assert "[]" == result.stdout.strip()
