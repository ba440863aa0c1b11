"""The split of a dataset into training and testing images: stratified, and stable."""

from __future__ import annotations

import itertools
import math
from collections import Counter
from typing import TYPE_CHECKING, Final

from rekog_versions._defaults import SEED

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from rekog_versions.datasets._items import LabeledImage

__all__ = ["pick_testing_images"]


def pick_testing_images(
    images: Iterable[LabeledImage], fraction: float, seed: int = SEED
) -> set[str]:
    """The ``source-ref`` of the images that go to the test set: stable and stratified.

    Each image is grouped by its rarest label (over the whole dataset); in each group of
    ``n`` images the ``round(fraction * n)`` images whose hash of ``seed`` and
    ``source-ref`` is lowest are tested, at least one and at most ``n - 1`` when ``n`` is
    2 or more, none when ``n`` is 1. An image stays where it was when others are added:
    successive versions are evaluated on (nearly) the same test set, unlike
    ``AutoCreate``'s split.

    Then each label with 2 images or more that is in one set only (its images all
    carry rarer labels, say) gets one of its images moved to the other set, the lowest
    hash first, if each other label of that image keeps an image in the set it leaves
    (or once an image of that label has moved back in its place).
    Images with several labels can tie labels so that no split has each in both (three
    images, each with two of three labels); such a label is left in one set.
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
    _both_sets(listed, counts, tested, rank)
    return tested


def _both_sets(
    images: list[LabeledImage],
    counts: Counter[str],
    tested: set[str],
    rank: Callable[[str], bytes],
) -> None:
    """Move images so that each label of 2 images or more is in both sets, where it can.

    A label in one set only has one of its images moved to the other set; if that would
    take another label's last image out of a set, an image of that label moves back in
    its place (a swap). A move is kept only if fewer labels are then in one set only, so
    the passes end.
    """
    by_label: dict[str, list[LabeledImage]] = {}
    for image in sorted(images, key=lambda image: rank(image.source_ref)):
        for name in image.names:
            by_label.setdefault(name, []).append(image)
    in_test = Counter(
        name for image in images if image.source_ref in tested for name in image.names
    )

    def one_set(name: str) -> bool:
        return counts[name] >= 2 and in_test[name] in (0, counts[name])

    def move(image: LabeledImage) -> None:
        leaving = image.source_ref in tested
        (tested.discard if leaving else tested.add)(image.source_ref)
        for name in image.names:
            in_test[name] += -1 if leaving else 1

    def better(moves: list[LabeledImage]) -> bool:
        """Make the moves; keep them if fewer labels are left in one set, else undo them."""
        touched = {name for image in moves for name in image.names}
        before = sum(map(one_set, touched))
        for image in moves:
            move(image)
        if sum(map(one_set, touched)) < before:
            return True
        for image in moves:
            move(image)
        return False

    mended = True
    while mended:
        mended = False
        for name in sorted(by_label, key=lambda name: (counts[name], name)):
            if one_set(name) and _mend(name, by_label, tested, better):
                mended = True


def _mend(
    name: str,
    by_label: dict[str, list[LabeledImage]],
    tested: set[str],
    better: Callable[[list[LabeledImage]], bool],
) -> bool:
    """Move one of ``name``'s images to the set it lacks (with a swap if need be)."""
    images = by_label[name]
    for image in images:
        if better([image]):
            return True
    side = images[0].source_ref in tested  # all of name's images are on this side
    for image in images:
        for other in image.names:
            swaps = (
                partner
                for partner in by_label[other]
                if (partner.source_ref in tested) is not side and name not in partner.names
            )
            for partner in itertools.islice(swaps, _SWAPS):
                if better([image, partner]):
                    return True
    return False


#: How many images of a label are tried as the partner of a swap.
_SWAPS: Final = 8
