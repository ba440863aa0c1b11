"""Manifests made from labelled images: Ground Truth lines, a stable split, local or S3.

The readers turn a dataset into :class:`~rekog_versions.datasets.LabeledImage` items and
:class:`~rekog_versions.datasets.Skipped` notes; :func:`make_manifest` writes the items as
the Ground Truth lines Rekognition reads, streaming, and reports what was skipped and why.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs
import orjson

from rekog_versions._defaults import JOB_NAME, SEED, TEST_FRACTION
from rekog_versions.datasets._items import TESTING, LabeledImage, Layout, Note, Skipped
from rekog_versions.datasets._outputs import Output, commit
from rekog_versions.datasets._split import pick_testing_images
from rekog_versions.manifests._lines import CLASSIFICATION_TYPE, DETECTION_TYPE

if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping

    from mypy_boto3_s3 import S3Client

__all__ = ["ConversionReport", "ground_truth_line", "make_manifest"]


@attrs.frozen
class ConversionReport:
    """What :func:`make_manifest` wrote and what it left out.

    Attributes:
        training: Where the training manifest went.
        testing: Where the testing manifest went, if the images were split.
        training_images: Lines in the training manifest.
        testing_images: Lines in the testing manifest.
        training_labels: Images a label, in the training manifest.
        testing_labels: Images a label, in the testing manifest.
        skipped: Everything left out, in the order met.
        layout: The layout the reader recognised (see :class:`Layout`), if it said.
        split: How the images were split: the dataset's own split, the stratified one
            (with its fraction and seed), or none.
        notes: What the reader did to the whole dataset, each said once.
    """

    training: str
    testing: str | None
    training_images: int
    testing_images: int
    training_labels: Mapping[str, int]
    testing_labels: Mapping[str, int]
    skipped: tuple[Skipped, ...]
    layout: str | None = None
    split: str = "none: one manifest"
    notes: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data."""
        return {
            "training": self.training,
            "testing": self.testing,
            "training_images": self.training_images,
            "testing_images": self.testing_images,
            "training_labels": dict(self.training_labels),
            "testing_labels": dict(self.testing_labels),
            "skipped": [{"where": s.where, "reason": s.reason} for s in self.skipped],
            "layout": self.layout,
            "split": self.split,
            "notes": list(self.notes),
        }


#: Each box's entry of ``objects``: one dict, the same for every box of every line.
_CONFIDENT: Final = {"confidence": 1}


def ground_truth_line(
    image: LabeledImage, *, job_name: str, created: str, names: tuple[str, ...] | None = None
) -> dict[str, Any]:
    """The Ground Truth line of ``image``, in the shape the service documents.

    ``names`` is ``image.names``, when the caller has it already.
    """
    line: dict[str, Any] = {"source-ref": image.source_ref}
    if image.boxes is None:
        for index, label in enumerate(image.labels):
            attribute = f"label-{index}"
            line[attribute] = index
            line[f"{attribute}-metadata"] = {
                "confidence": 1,
                "job-name": job_name,
                "class-name": label,
                "human-annotated": "yes",
                "creation-date": created,
                "type": CLASSIFICATION_TYPE,
            }
        return line
    if image.size is None:
        raise ValueError(f"{image.source_ref}: a line with bounding boxes needs the image's size")
    ids = {label: index for index, label in enumerate(names or image.names)}
    line["bounding-box"] = {
        "image_size": [{"width": image.size[0], "height": image.size[1], "depth": image.depth}],
        "annotations": [
            {"class_id": ids[label], "left": left, "top": top, "width": width, "height": height}
            for label, left, top, width, height in image.boxes
        ],
    }
    line["bounding-box-metadata"] = {
        "objects": [_CONFIDENT] * len(image.boxes),
        "class-map": {str(index): label for label, index in ids.items()},
        "type": DETECTION_TYPE,
        "human-annotated": "yes",
        "creation-date": created,
        "job-name": job_name,
    }
    return line


def _same_place(first: str | Path, second: str | Path) -> bool:
    """Whether two outputs, local paths or ``s3://`` URIs, name the same file."""
    if str(first).startswith("s3://") or str(second).startswith("s3://"):
        return str(first) == str(second)
    return Path(first).resolve() == Path(second).resolve()


_REPEATED: Final = (
    "is listed again: an image is one line, and training ignores its repeats, so the "
    "first is kept (give all of an image's labels on its first row or entry)"
)


_OWN_TESTING: Final = "is in the dataset's own testing split, and no testing manifest was given"


def _unwritable(image: LabeledImage, names: tuple[str, ...]) -> Skipped | None:
    """A note when the image's name or a label is not UTF-8 text, as S3 keys and labels are.

    A file name in another encoding comes from the file system with lone surrogates.
    """
    try:
        "\0".join((image.source_ref, *names)).encode()
    except UnicodeEncodeError:
        shown = image.source_ref.encode(errors="backslashreplace").decode()
        return Skipped(shown, "its name or a label is not UTF-8 text, as S3 keys and labels are")
    return None


def _nothing_to_write(skipped: list[Skipped]) -> str:
    """Why a run that would write an empty manifest writes nothing, with its first skips."""
    if not skipped:
        return "the dataset holds no image: nothing was written"
    shown = "; ".join(str(item) for item in skipped[:3])
    more = f" (and {len(skipped) - 3} more)" if len(skipped) > 3 else ""
    return f"every image was skipped, so nothing was written: {shown}{more}"


@attrs.define(eq=False)
class _Gathered:
    """What a reader yielded, sorted out: the images to write, the rest to report."""

    labeled: list[LabeledImage] = attrs.field(factory=list[LabeledImage])
    skipped: list[Skipped] = attrs.field(factory=list[Skipped])
    layout: Layout | None = None
    notes: list[str] = attrs.field(factory=list[str])


def _gather(images: Iterable[LabeledImage | Skipped | Layout | Note]) -> _Gathered:
    """Each image once (the first kept), in UTF-8; what else the reader said, kept aside."""
    gathered = _Gathered()
    listed: set[str] = set()
    for item in images:
        if isinstance(item, LabeledImage):
            if item.source_ref in listed:
                gathered.skipped.append(Skipped(item.source_ref, _REPEATED))
                continue
            unwritable = _unwritable(item, item.names)
            if unwritable is None:
                listed.add(item.source_ref)
                gathered.labeled.append(item)
            else:
                gathered.skipped.append(unwritable)
        else:
            _aside(gathered, item)
    return gathered


def _aside(gathered: _Gathered, item: Skipped | Layout | Note) -> None:
    """Keep what a reader said besides its images: a skip, its layout, a note."""
    if isinstance(item, Skipped):
        gathered.skipped.append(item)
    elif isinstance(item, Layout):
        gathered.layout = item
    else:
        gathered.notes.append(item.text)


def _testing_images(gathered: _Gathered, test_fraction: float, seed: int) -> tuple[set[str], str]:
    """The images that go to the testing manifest, and the split rule in words.

    A dataset that splits its images itself is split as it says, unless its testing
    splits hold no image; otherwise the split is stratified by label.
    """
    own = gathered.layout.split if gathered.layout is not None else None
    if own is not None:
        tested = {i.source_ref for i in gathered.labeled if i.split == TESTING}
        if tested:
            return tested, f"the dataset's own ({own})"
    rule = f"stratified by label: {test_fraction:g} of each label's images, seed {seed}"
    if own is not None:
        rule += " (the dataset's own split has no testing images)"
    return pick_testing_images(gathered.labeled, test_fraction, seed), rule


def make_manifest(  # noqa: PLR0913 - the destinations and the line settings, keyword-only
    images: Iterable[LabeledImage | Skipped | Layout | Note],
    output: str | Path,
    *,
    test_output: str | Path | None = None,
    test_fraction: float = TEST_FRACTION,
    seed: int = SEED,
    job_name: str = JOB_NAME,
    created: datetime | None = None,
    s3_client: S3Client | None = None,
) -> ConversionReport:
    """Write ``images`` as a Ground Truth manifest; split off a testing manifest if asked.

    Args:
        images: What a converter (``from_folders``, ``from_coco``, ...) yields.
        output: The training manifest: a local path or an ``s3://bucket/key`` URI. A file
            written to S3 goes through a temporary file, never whole in memory.
        test_output: The testing manifest, to split the images: as the dataset splits them
            when its reader says it does (a Roboflow or Ultralytics export), else
            stratified by label (see :func:`pick_testing_images`).
        test_fraction: The share of each label's images that goes to ``test_output``.
        seed: Chooses which images are tested; the same seed gives the same split.
        job_name: Every line's ``job-name``.
        created: Every line's ``creation-date`` (by default, now, in UTC).
        s3_client: The boto3 S3 client for ``s3://`` outputs; built if not given.

    Raises:
        ValueError: ``test_fraction`` is not between 0 and 1, ``test_output`` is
            ``output``, an image with boxes has no size, or no image is left to write.
        OSError: A local output could not be written (a full disk, say), naming it.
        ServiceError: An S3 output could not be written.

    An image given again (the same ``source-ref``) is skipped, the first kept, and so is
    an image whose name or labels are not UTF-8 text; each is in the report's
    ``skipped``. When every image is skipped, nothing is written (``ValueError``).
    A dataset with a split of its own and no ``test_output`` writes its training images
    only: its testing images are skipped, each with the reason. Without ``test_output``
    the lines are written as the images are read, so memory does not grow with the
    dataset (beyond the set of images seen); a split needs the whole list in memory.
    Each manifest is written to a file of its own and takes its place only once every
    line of both is written, and both take their places or neither does: when anything
    fails, every destination, local or on S3, holds what it held before. A local
    destination that is a link is written through; one that is not a regular file (a
    FIFO, ``/dev/stdout``) is written into once every line is made, so that a run that
    fails sends it nothing.
    """
    if test_output is not None and _same_place(output, test_output):
        raise ValueError(f"the testing manifest would be the training manifest: {test_output}")
    when = (created or datetime.now(timezone.utc)).strftime("%Y-%m-%dT%H:%M:%S")
    if test_output is None:  # no split: each line is written as it is read
        return _written_as_read(images, lambda: Output(output, s3_client), job_name, when)
    gathered = _gather(images)
    tested, rule = _testing_images(gathered, test_fraction, seed)
    if not gathered.labeled:  # said before any output is opened: nothing the user had is touched
        raise ValueError(_nothing_to_write(gathered.skipped))
    outputs: list[Output] = []
    counts: list[Counter[str]] = [Counter(), Counter()]
    lines = [0, 0]
    try:
        outputs.append(Output(output, s3_client))
        outputs.append(Output(test_output, s3_client))
        for image in gathered.labeled:
            which = 1 if image.source_ref in tested else 0
            names = image.names
            line = ground_truth_line(image, job_name=job_name, created=when, names=names)
            outputs[which].write(orjson.dumps(line) + b"\n")
            counts[which].update(names)
            lines[which] += 1
        for each in outputs:
            each.finish()
    except BaseException:
        for each in outputs:  # every output discarded, the destinations as they were
            each.discard()
        raise
    commit(outputs)  # all in place, or none
    return ConversionReport(
        training=outputs[0].name,
        testing=outputs[1].name,
        training_images=lines[0],
        testing_images=lines[1],
        training_labels=dict(sorted(counts[0].items())),
        testing_labels=dict(sorted(counts[1].items())),
        skipped=tuple(gathered.skipped),
        layout=None if gathered.layout is None else gathered.layout.name,
        split=rule,
        notes=tuple(gathered.notes),
    )


def _written_as_read(
    images: Iterable[LabeledImage | Skipped | Layout | Note],
    output: Callable[[], Output],
    job_name: str,
    created: str,
) -> ConversionReport:
    """One manifest, each line written as its image is read; opened at the first line.

    Nothing is opened until an image is to be written, so a dataset whose every image is
    skipped, or a reader that fails first, touches nothing; one that fails later leaves
    the destination as it was.
    """
    gathered = _Gathered()
    listed: set[str] = set()
    counts: Counter[str] = Counter()
    out: Output | None = None
    tested_left = False
    try:
        for item in images:
            if not isinstance(item, LabeledImage):
                _aside(gathered, item)
            elif item.split == TESTING:
                tested_left = True
                gathered.skipped.append(Skipped(item.source_ref, _OWN_TESTING))
            elif item.source_ref in listed:
                gathered.skipped.append(Skipped(item.source_ref, _REPEATED))
            elif (unwritable := _unwritable(item, names := item.names)) is not None:
                gathered.skipped.append(unwritable)
            else:
                listed.add(item.source_ref)
                out = out or output()
                line = ground_truth_line(item, job_name=job_name, created=created, names=names)
                out.write(orjson.dumps(line) + b"\n")
                counts.update(names)
        if out is not None:
            out.finish()
    except BaseException:
        if out is not None:
            out.discard()  # the destination as it was
        raise
    if out is None:  # nothing was opened: nothing the user had is touched
        raise ValueError(_nothing_to_write(gathered.skipped))
    commit([out])
    own = None if gathered.layout is None else gathered.layout.split
    rule = "none: one manifest"
    if own is not None:
        rule = f"the dataset's own ({own})" + (
            "; its testing images left out" if tested_left else ""
        )
    return ConversionReport(
        training=out.name,
        testing=None,
        training_images=len(listed),
        testing_images=0,
        training_labels=dict(sorted(counts.items())),
        testing_labels={},
        skipped=tuple(gathered.skipped),
        layout=None if gathered.layout is None else gathered.layout.name,
        split=rule,
        notes=tuple(gathered.notes),
    )
