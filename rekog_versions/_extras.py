"""What each part beside the core needs installed, checked when the part is first used.

A part whose extra is missing fails at once, naming the line that installs it (as httpx
does for ``httpx[http2]``), instead of an ``ImportError`` deep inside a call.
"""

from __future__ import annotations

from importlib.util import find_spec

from rekog_versions.errors import MissingExtraError

__all__ = ["require"]


def require(feature: str, extra: str, *modules: str) -> None:
    """Raise :class:`~rekog_versions.MissingExtraError` unless every module can be imported.

    Nothing is imported: each module is only looked for.

    Args:
        feature: What needs them, as the message names it (``rekog_versions.manifests``).
        extra: The install extra that brings them (``manifests``).
        modules: The top-level modules to look for (``orjson``, ``PIL``).
    """
    for module in modules:
        if find_spec(module) is None:
            raise MissingExtraError(feature, extra, module)
