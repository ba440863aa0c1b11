"""The split of a dataset into training and testing images: stratified, and stable."""

from __future__ import annotations

import math
from collections import Counter
from typing import TYPE_CHECKING

from rekog_versions._defaults import SEED

if TYPE_CHECKING:
    from collections.abc import Iterable

    from rekog_versions.datasets._items import LabeledImage

__all__ = ["pick_testing_images"]


def pick_testing_images(
    images: Iterable[LabeledImage], fraction: float, seed: int = SEED
) -> set[str]:
    """The ``source-ref`` of the images that go to the test set: stable and stratified.

    Each image is grouped by its rarest label (over the whole dataset); in each group of
    ``n`` images the ``round(fraction * n)`` images whose hash of ``seed`` and
    ``source-ref`` is lowest are tested, at least one and at most ``n - 1`` when ``n`` is
    2 or more, none when ``n`` is 1. So a label with 2 images or more is in both sets,
    and an image stays where it was when others are added: successive versions are
    evaluated on (nearly) the same test set, unlike ``AutoCreate``'s split.
    """
    if not 0 < fraction < 1:
        raise ValueError(f"the test fraction must be between 0 and 1, got {fraction}")
    import hashlib  # noqa: PLC0415 - only when splitting (it loads OpenSSL)

    def rank(source_ref: str) -> bytes:
        return hashlib.blake2b(f"{seed}\0{source_ref}".encode(), digest_size=8).digest()

    listed = list(images)
    counts = Counter(name for image in listed for name in image.names)
    groups: dict[str, list[str]] = {}
    for image in listed:
        names = image.names
        key = min(names, key=lambda name: (counts[name], name)) if names else ""
        groups.setdefault(key, []).append(image.source_ref)
    tested: set[str] = set()
    for refs in groups.values():
        size = len(refs)
        if size < 2:  # one image cannot be in both sets
            continue
        take = min(size - 1, max(1, math.floor(fraction * size + 0.5)))
        tested.update(sorted(refs, key=rank)[:take])
    return tested
