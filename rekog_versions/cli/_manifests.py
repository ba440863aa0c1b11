"""The commands for manifests: ``validate-manifest`` and ``make-manifest``."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from rekog_versions._defaults import (
    DEFAULT_FEATURE,
    FEATURES,
    IMAGE_WORKERS,
    JOB_NAME,
    LABEL_FOLDERS,
    MAX_IMAGE_WORKERS,
    SEED,
    TEST_FRACTION,
    YOLO_SPLITS,
)
from rekog_versions.cli._exit import INVALID_INPUT, MANIFEST_INVALID, OK, SERVICE_ERROR, Failure
from rekog_versions.cli._options import (
    Command,
    Once,
    count,
    positive_count,
    split_fraction,
    testing_splits,
)

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Iterable

    from rekog_versions.cli._console import Console
    from rekog_versions.cli._session import Session

__all__ = ["COMMANDS"]


def _given(args: argparse.Namespace, *names: str) -> dict[str, Any]:
    """The options among ``names`` that were given: the library decides the others."""
    values = {name: getattr(args, name) for name in names}
    return {name: value for name, value in values.items() if value is not None}


def _validate_options(manifest: argparse.ArgumentParser) -> None:
    manifest.add_argument("source", metavar="PATH|s3://BUCKET/KEY")
    manifest.add_argument("--testing", action=Once, metavar="PATH|s3://BUCKET/KEY")
    manifest.add_argument("--auto-split", action="store_true")
    manifest.add_argument(
        "--feature",
        choices=FEATURES,
        default=DEFAULT_FEATURE,
        help="what the project trains (default: %(default)s)",
    )
    manifest.add_argument(
        "--check-images",
        action="store_true",
        help="also read every referenced image's header from S3 (needs the datasets extra)",
    )
    manifest.add_argument(
        "--image-workers",
        action=Once,
        type=positive_count,
        metavar="N",
        help=f"images read at once with --check-images, 1 to {MAX_IMAGE_WORKERS} "
        f"(default: {IMAGE_WORKERS})",
    )


def _run_validate_manifest(args: argparse.Namespace, session: Session, console: Console) -> int:
    from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

    if args.auto_split and args.testing is not None:
        raise Failure(
            INVALID_INPUT,
            "--auto-split splits the training manifest for the test set: give no "
            "--testing manifest with it",
        )
    needs_s3 = args.check_images or any(
        str(source).startswith("s3://") for source in (args.source, args.testing) if source
    )
    try:
        report = validate_manifest(
            args.source,
            testing=args.testing,
            auto_split=args.auto_split,
            feature=args.feature,
            check_images=args.check_images,
            **_given(args, "image_workers"),
            s3_client=session.s3() if needs_s3 else None,
            on_progress=lambda p: console.progress(
                f"{p.dataset}: {p.lines} lines"
                + (f", {p.images_checked}/{p.images_to_check} images" if p.images_to_check else ""),
                replace=True,
            ),
        )
    except ValueError as error:  # the arguments, as the library judges them
        raise Failure(INVALID_INPUT, f"validate-manifest: {error}") from None
    console.result(report.to_dict(), report.to_text())
    return OK if report.ok else MANIFEST_INVALID


def _make_manifest_options(made: argparse.ArgumentParser) -> None:
    made.add_argument(
        "format",
        choices=("folders", "coco", "yolo", "voc", "csv"),
        help="folders: a folder per label; coco: an instances JSON file; yolo: a folder "
        "with images/ and labels/, a data.yaml with train: (Ultralytics, Roboflow), or "
        "Darknet's obj.data; voc: a folder of XML files; csv: image,label rows, one-hot "
        "columns, or one box a row (the header tells)",
    )
    made.add_argument("source", metavar="PATH|s3://BUCKET/PREFIX/")
    made.add_argument(
        "--images-uri",
        action=Once,
        metavar="s3://BUCKET/PREFIX/",
        help="where the dataset's images are in S3 (not for an s3:// folders source)",
    )
    made.add_argument(
        "--manifest",
        action=Once,
        required=True,
        metavar="PATH|s3://BUCKET/KEY",
        help="where to write the (training) manifest",
    )
    made.add_argument(
        "--testing-manifest",
        action=Once,
        metavar="PATH|s3://BUCKET/KEY",
        help="split off a testing manifest here: stratified, the same for the same seed",
    )
    made.add_argument(
        "--test-fraction",
        action=Once,
        type=split_fraction,
        metavar="X",
        help=f"the share of each label's images to test on (default: {TEST_FRACTION})",
    )
    made.add_argument(
        "--seed",
        action=Once,
        type=count,
        metavar="N",
        help=f"chooses the test images (default: {SEED})",
    )
    made.add_argument(
        "--job-name",
        action=Once,
        metavar="NAME",
        help=f"each line's job-name (default: {JOB_NAME})",
    )
    made.add_argument(
        "--check-images",
        action="store_true",
        help="folders from a local tree: read each image's header first and skip the ones "
        "training would refuse (yolo always does; needs the datasets extra)",
    )
    made.add_argument(
        "--testing-splits",
        action=Once,
        type=testing_splits,
        metavar=f"{','.join(YOLO_SPLITS)}|none",
        help="yolo with splits of its own (data.yaml's train/val/test, Darknet's "
        "train/valid): which go to the testing manifest (default: "
        f"{','.join(YOLO_SPLITS)}); the others are left out",
    )
    made.add_argument(
        "--keep-crowds",
        action="store_true",
        help="coco: keep crowd regions (iscrowd) as boxes (default: skipped, each reported)",
    )
    made.add_argument(
        "--skip-difficult",
        action="store_true",
        help="voc: leave out objects marked <difficult>1</difficult> (default: kept, counted)",
    )
    made.add_argument(
        "--label-folder",
        action=Once,
        choices=LABEL_FOLDERS,
        help=f"folders: the label is the folder under the root ({LABEL_FOLDERS[0]}, as the "
        f"console; the default) or the folder that holds the image ({LABEL_FOLDERS[1]})",
    )
    made.add_argument(
        "--images-dir",
        action=Once,
        metavar="PATH",
        help="coco, voc, csv boxes: a local folder with the images, to read each header "
        "(as --check-images does) and use the real sizes",
    )


def _run_make_manifest(args: argparse.Namespace, session: Session, console: Console) -> int:
    from rekog_versions import datasets  # noqa: PLC0415
    from rekog_versions.manifests import validate_manifest  # noqa: PLC0415

    s3 = any(
        str(place).startswith("s3://")
        for place in (args.source, args.manifest, args.testing_manifest)
        if place
    )
    client = session.s3() if s3 else None
    if args.images_dir is not None and args.format not in ("coco", "voc", "csv"):
        raise Failure(
            INVALID_INPUT,
            f"make-manifest {args.format}: --images-dir is for coco, voc and csv "
            "(folders and yolo read the images where they are)",
        )
    for flag, given, formats in (
        ("--label-folder", args.label_folder is not None, ("folders",)),
        ("--testing-splits", args.testing_splits is not None, ("yolo",)),
        ("--keep-crowds", args.keep_crowds, ("coco",)),
        ("--skip-difficult", args.skip_difficult, ("voc",)),
    ):
        if given and args.format not in formats:
            raise Failure(INVALID_INPUT, f"make-manifest {args.format}: {flag} is for {formats[0]}")
    if args.check_images and args.format != "folders":
        raise Failure(
            INVALID_INPUT,
            f"make-manifest {args.format}: --check-images is for folders (yolo always reads "
            "the headers; for images already in S3, use validate-manifest --check-images)",
        )
    for output in (args.manifest, args.testing_manifest):
        if output and _same_file(output, args.source):
            raise Failure(
                INVALID_INPUT,
                f"make-manifest: {output} is the dataset it would be made from; "
                "write the manifest elsewhere",
            )
    if args.images_uri is None and args.format not in ("folders", "csv"):
        raise Failure(
            INVALID_INPUT, f"make-manifest {args.format} needs --images-uri: where its images are"
        )
    try:
        made = datasets.make_manifest(
            _dataset(args, client),
            args.manifest,
            test_output=args.testing_manifest,
            s3_client=client,
            **_given(args, "test_fraction", "seed", "job_name"),
        )
    except (ValueError, *_BAD_PATHS) as error:
        raise Failure(INVALID_INPUT, f"make-manifest: {error}") from None
    except OSError as error:  # a full disk, an I/O error: this machine failed, not the input
        raise Failure(SERVICE_ERROR, f"make-manifest: could not write: {error}") from None
    streams = [place for place in (made.training, made.testing) if place and _stream(place)]
    report = (
        None
        if streams
        else validate_manifest(made.training, testing=made.testing, s3_client=client)
    )
    skipped = [str(item) for item in made.skipped]
    text = [
        *([f"read as: {made.layout}"] if made.layout else []),
        f"split: {made.split}",
        *(f"note: {note}" for note in made.notes),
        f"wrote {made.training_images} lines to {made.training}"
        + (f" and {made.testing_images} to {made.testing}" if made.testing else ""),
        "labels: " + ", ".join(f"{k} {v}" for k, v in made.training_labels.items()),
        f"skipped {len(skipped)}" + (":" if skipped else ""),
        *(f"  {console.in_flags(line)}" for line in skipped[:_SHOWN_SKIPS]),
        *(
            [f"  ... and {len(skipped) - _SHOWN_SKIPS} more (--output json lists all)"]
            if len(skipped) > _SHOWN_SKIPS
            else []
        ),
        "",
        f"not validated: {', '.join(streams)} cannot be read back (a pipe, a FIFO or a "
        "device); validate the manifest where it lands"
        if report is None
        else report.to_text(),
    ]
    validation = None if report is None else report.to_dict()
    console.result({**made.to_dict(), "validation": validation}, "\n".join(text))
    return OK if report is None or report.ok else MANIFEST_INVALID


def _stream(place: str) -> bool:
    """Whether a manifest was written into something that cannot be read back."""
    if place.startswith("s3://"):
        return False
    try:
        return not stat.S_ISREG(Path(place).stat().st_mode)
    except OSError:
        return False


def _same_file(first: str, second: str) -> bool:
    """Whether two paths name one existing file.

    ``False`` for an S3 URI, or for a name that no file system takes.
    """
    try:
        return Path(first).samefile(second)
    except (OSError, ValueError):
        return False


def _dataset(args: argparse.Namespace, client: Any) -> Iterable[Any]:  # noqa: ANN401 - an S3Client
    """make-manifest's dataset, read by the converter of its format."""
    from rekog_versions import datasets  # noqa: PLC0415

    if args.format == "folders":
        return datasets.from_folders(
            args.source,
            images_uri=args.images_uri,
            s3_client=client,
            check_images=args.check_images,
            **_given(args, "label_folder"),
        )
    if args.format == "yolo":
        return datasets.from_yolo(
            args.source, images_uri=args.images_uri, **_given(args, "testing_splits")
        )
    options: dict[str, dict[str, Any]] = {
        "coco": {"keep_crowds": args.keep_crowds},
        "voc": {"skip_difficult": args.skip_difficult},
        "csv": {},
    }
    readers: dict[str, Callable[..., Iterable[Any]]] = {
        "coco": datasets.from_coco,
        "voc": datasets.from_voc,
        "csv": datasets.from_csv,
    }
    return readers[args.format](
        args.source, images_uri=args.images_uri, images=args.images_dir, **options[args.format]
    )


#: The errors of a path given wrong (bad input, exit 2); any other OSError is this
#: machine failing (a full disk), exit 1.
_BAD_PATHS: Final = (
    FileNotFoundError,
    NotADirectoryError,
    IsADirectoryError,
    PermissionError,
    FileExistsError,
)

#: How many skipped items make-manifest's text output lists.
_SHOWN_SKIPS: Final = 20


COMMANDS: Final = (
    Command(
        "validate-manifest",
        "check a manifest as the service would",
        "  rekog-versions validate-manifest s3://bucket/train.manifest "
        "--testing s3://bucket/test.manifest",
        _validate_options,
        _run_validate_manifest,
    ),
    Command(
        "make-manifest",
        "write a Ground Truth manifest from a dataset",
        "  rekog-versions make-manifest coco annotations/instances_train.json \\\n"
        "      --images-uri s3://bucket/images/ --manifest s3://bucket/train.manifest \\\n"
        "      --testing-manifest s3://bucket/test.manifest --test-fraction 0.2 --seed 7",
        _make_manifest_options,
        _run_make_manifest,
    ),
)
