"""Importing and validating do not import boto3."""

from __future__ import annotations

import subprocess
import sys
import textwrap


def test_import_and_validate_without_boto3() -> None:
    """Import, build, validate, set up both clients: boto3, botocore, aiobotocore unimported."""
    code = textwrap.dedent(
        """
        import sys
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
        rekog_versions.AsyncProjectVersionsClient(region_name="us-east-1")  # nor this one
        import rekog_versions.testing
        rekog_versions.testing.version_arn()
        loaded = sorted(
            m
            for m in sys.modules
            if m.split(".")[0] in {"boto3", "botocore", "aiobotocore", "aiohttp"}
        )
        print(",".join(loaded))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert "" == result.stdout.strip()


def test_public_names_are_sorted_and_importable() -> None:
    """__all__ is sorted and every name in it exists."""
    import rekog_versions  # noqa: PLC0415

    def isort_order(name: str) -> tuple[int, str]:
        # Constants, then classes, then the rest: the order ruff's RUF022 keeps.
        return (0 if name.isupper() else 1 if name[0].isupper() else 2, name)

    assert sorted(rekog_versions.__all__, key=isort_order) == rekog_versions.__all__
    for name in rekog_versions.__all__:
        assert getattr(rekog_versions, name) is not None


def test_version_is_read_from_metadata() -> None:
    """__version__ is the installed distribution's version."""
    from importlib.metadata import version  # noqa: PLC0415

    import rekog_versions  # noqa: PLC0415

    assert version("rekog-versions") == rekog_versions.__version__


def test_only_the_async_client_imports_asyncio() -> None:
    """Every other public name is found before rekog_versions.aio, which imports asyncio."""
    code = textwrap.dedent(
        """
        import sys
        import rekog_versions
        for name in rekog_versions.__all__:
            if name != "AsyncProjectVersionsClient":
                getattr(rekog_versions, name)
        print("asyncio" in sys.modules, "rekog_versions.aio" in sys.modules)
        rekog_versions.AsyncProjectVersionsClient
        print("asyncio" in sys.modules)
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["False", "False", "True"]


def test_type_checkers_see_the_modules_the_lazy_lookup_uses() -> None:
    """The modules are named twice in __init__.py, once for type checkers (star imports
    under TYPE_CHECKING) and once for the lookup at run time: the two lists agree."""
    import ast  # noqa: PLC0415
    from pathlib import Path  # noqa: PLC0415

    import rekog_versions  # noqa: PLC0415

    tree = ast.parse(Path(rekog_versions.__file__).read_text())
    checked = [
        node.module
        for block in tree.body
        if isinstance(block, ast.If) and ast.unparse(block.test) == "TYPE_CHECKING"
        for node in block.body
        if isinstance(node, ast.ImportFrom) and [a.name for a in node.names] == ["*"]
    ]
    assert sorted(checked) == sorted(rekog_versions._MODULES)
