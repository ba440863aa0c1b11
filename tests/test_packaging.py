"""The built wheel and sdist: what they hold, and the wheel installed in a fresh venv."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tarfile
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

pytestmark = pytest.mark.skipif(
    not (ROOT / "pyproject.toml").exists(), reason="needs the source tree to build from"
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """A wheel and an sdist, built from the source tree with hatchling."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-t", "sdist", "-d", str(dist)],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    (wheel,) = dist.glob("*.whl")
    (sdist,) = dist.glob("*.tar.gz")
    return wheel, sdist


def test_wheel_contents(built: tuple[Path, Path]) -> None:
    """The wheel ships the package, py.typed, the sample manifests and the console script."""
    wheel, _ = built
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        entry_points = next(n for n in names if n.endswith(".dist-info/entry_points.txt"))
        text = archive.read(entry_points).decode()
        metadata = archive.read(entry_points.replace("entry_points.txt", "METADATA")).decode()
    assert "rekog_versions/py.typed" in names
    assert "rekog_versions/testing/data/animals.manifest" in names
    assert "rekog_versions/manifests/_lines.py" in names
    assert not any(name.startswith(("tests/", "docs/", "benchmarks/")) for name in names)
    assert "rekog-versions = rekog_versions.cli:entry_point" in text
    assert "Requires-Python: >=3.10" in metadata
    assert "Requires-Dist: botocore>=1.31.63" in metadata


def test_sdist_contents(built: tuple[Path, Path]) -> None:
    """The sdist carries what it takes to test and document the package."""
    _, sdist = built
    with tarfile.open(sdist) as archive:
        names = {name.split("/", 1)[1] for name in archive.getnames() if "/" in name}
    for expected in (
        "pyproject.toml",
        "README.md",
        "CHANGELOG.md",
        "noxfile.py",
        "rekog_versions/py.typed",
        "tests/conftest.py",
        "docs/conf.py",
    ):
        assert expected in names


def test_wheel_in_a_fresh_venv(built: tuple[Path, Path], tmp_path: Path) -> None:
    """Installed in a new venv, the wheel imports without boto3 and its script runs."""
    from installer import install  # noqa: PLC0415
    from installer.destinations import SchemeDictionaryDestination  # noqa: PLC0415
    from installer.sources import WheelFile  # noqa: PLC0415

    wheel, _ = built
    home = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(home)
    python = home / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    paths = json.loads(
        subprocess.run(
            [str(python), "-c", "import json, sysconfig; print(json.dumps(sysconfig.get_paths()))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
    )
    scheme = {
        key: paths[key]
        for key in ("purelib", "platlib", "headers", "scripts", "data")
        if key in paths
    }
    scheme.setdefault("headers", str(home / "include"))
    with WheelFile.open(wheel) as source:
        install(
            source,
            SchemeDictionaryDestination(scheme, interpreter=str(python), script_kind="posix"),
            {},
        )
    # The dependencies come from this environment, after the venv's own site-packages.
    dependencies = {Path(p) for p in sys.path if p.endswith("site-packages")}
    (Path(paths["purelib"]) / "outer.pth").write_text("\n".join(map(str, dependencies)))
    probe = (
        "import sys, rekog_versions, rekog_versions.cli as cli; "
        "from importlib.resources import files; "
        "print(rekog_versions.__file__); "
        "print(files('rekog_versions').joinpath('py.typed').is_file()); "
        "print('boto3' in sys.modules)"
    )
    environment = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    out = subprocess.run(
        [str(python), "-c", probe],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=environment,
    ).stdout.split()
    assert out[0].startswith(str(home))  # the wheel's copy, not the source tree's
    assert ["True", "False"] == out[1:]
    script = home / "bin" / "rekog-versions"
    version = subprocess.run(
        [str(script), "--version"],
        capture_output=True,
        text=True,
        check=True,
        cwd=tmp_path,
        env=environment,
    )
    assert version.stdout.startswith("rekog-versions ")
