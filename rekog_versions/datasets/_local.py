"""Local images read as training reads them: their real size, or why they are refused."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rekog_versions.manifests._images import Unreadable, local_header

if TYPE_CHECKING:
    from pathlib import Path

__all__ = ["image_size", "local_problem", "real_size"]


def image_size(path: str | Path) -> tuple[int, int, int]:
    """An image's width, height and channels, read from its header (Pillow, lazily).

    Raises:
        ValueError: The file is not a usable PNG or JPEG: not one by its content, its
            header cut, over 15 MB, or sides or aspect ratio past the service's limits.
    """
    try:
        header = local_header(path)
    except Unreadable as error:
        raise ValueError(f"{path} {error}") from None
    problem = header.problem()
    if problem is not None:
        raise ValueError(f"{path} {problem}")
    return header.width, header.height, header.depth


def real_size(path: Path, declared: tuple[int, int]) -> tuple[tuple[int, int] | None, str | None]:
    """A local image's real size (``None`` if training would refuse it), and a note.

    The note says why the image is left out, or that its real size differs from
    ``declared`` (the boxes are then judged against the real one).
    """
    try:
        header = local_header(path)
    except Unreadable as error:
        return None, f"{path.name} {error}"
    problem = header.problem()
    if problem is not None:
        return None, f"{path.name} {problem}"
    real = (header.width, header.height)
    if real != declared:
        return real, (
            f"the annotation says {declared[0]}x{declared[1]}, but {path.name} is "
            f"{real[0]}x{real[1]}: the real size is written, and the boxes judged against it"
        )
    return real, None


def local_problem(path: Path) -> str | None:
    """What makes a local image unusable for training, or ``None``."""
    try:
        return local_header(path).problem()
    except Unreadable as error:
        return str(error)
