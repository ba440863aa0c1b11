"""Sphinx configuration: Furo, MyST, autodoc with Google-style docstrings, doctests."""

from __future__ import annotations

from importlib.metadata import version as _version

project = "rekog_versions"
author = "The rekog_versions developers"
copyright = "2026, The rekog_versions developers"
release = _version("rekog-versions")
version = ".".join(release.split(".")[:2])

extensions = [
    "myst_parser",
    "sphinx.ext.autodoc",
    "sphinx.ext.napoleon",
    "sphinx.ext.doctest",
]
source_suffix = {".md": "markdown", ".rst": "restructuredtext"}
exclude_patterns = ["_build"]
myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

html_theme = "furo"
html_title = f"rekog_versions {release}"
html_static_path = ["_static"]
html_css_files = ["custom.css"]

autodoc_member_order = "bysource"
autodoc_typehints = "description"
autodoc_typehints_format = "short"
autodoc_default_options = {"members": True}
doctest_global_setup = "from rekog_versions import *\nfrom rekog_versions.testing import *"
napoleon_google_docstring = True
napoleon_numpy_docstring = False

# The docs build offline: no intersphinx inventories. Types from the standard library,
# attrs and the boto3 stubs are named in signatures but have no page here.
nitpicky = True
nitpick_ignore_regex = [
    (r"py:.*", r"(collections\.abc|typing|datetime|decimal|types)\..*"),
    (r"py:.*", r"(Mapping|Iterable|Iterator|Callable|Any|Final|datetime|Decimal)"),
    (r"py:.*", r"(str|int|float|bool|object|None|tuple|list|dict|type)"),
    (r"py:.*", r"(mypy_boto3_rekognition|types_aiobotocore_.*|aiobotocore|botocore|boto3)\..*"),
    (r"py:.*", r"(AioSession|AioConfig|Self|TracebackType|BaseException)"),
    (r"py:.*", r".*TypeDef"),
    (r"py:.*", r"(ValueError|Exception)"),
    (r"py:.*", r"attrs\..*"),
    (r"py:.*", r"(RekognitionClient|S3Client|Config|random\.Random|boto3\.Session|Session)"),
    # Type aliases (the manifests and datasets modules'), shown by name in signatures.
    (r"py:.*", r"(Source|Feature|Item|LabelFolder)"),
    (r"py:.*", r"(Path|pathlib\.Path)"),
    (r"py:.*", r"(socket\.socket|Stubber|botocore\.stub\.Stubber|.*\._faults\.Rule)"),
]
