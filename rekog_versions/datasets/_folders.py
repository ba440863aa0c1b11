"""Image-level labels from folder names, as the console's "folder name as label"."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Final, cast

from rekog_versions._aws import boto3_client, map_errors
from rekog_versions._defaults import LABEL_FOLDERS, LabelFolder
from rekog_versions.datasets._items import (
    Item,
    LabeledImage,
    Layout,
    Skipped,
    images_prefix,
    is_image,
    not_image,
)
from rekog_versions.datasets._local import local_problem

if TYPE_CHECKING:
    from collections.abc import Iterator

    from mypy_boto3_s3 import S3Client

__all__ = ["from_folders"]

_LAYOUTS: Final = {
    "first": "folders: the folder under the root is the label, deeper folders are not "
    "(as the console)",
    "deepest": "folders: the folder that holds the image is the label",
}


def from_folders(
    root: str | Path,
    *,
    images_uri: str | None = None,
    s3_client: S3Client | None = None,
    check_images: bool = False,
    label_folder: LabelFolder = "first",
) -> Iterator[Item]:
    """Image-level labels from folder names, as the console's "folder name as label".

    Each image's label is the name of the folder under ``root`` that it is in, at any
    depth: in ``echo-dot/white-echo-dot/1.jpg`` the label is ``echo-dot``, as the console
    labels it ("the names of deeper child folders aren't used", Custom Labels developer
    guide). With ``label_folder="deepest"``, the label is the folder that holds the
    image (``white-echo-dot``). Images directly in ``root`` have no label and are skipped.

    Args:
        root: A local folder that mirrors where the images are in S3, or an
            ``s3://bucket/prefix/`` listed directly.
        images_uri: Where ``root``'s files are in S3 (``s3://bucket/prefix/``); for a
            local ``root`` only.
        s3_client: The boto3 S3 client to list an ``s3://`` root; built if not given.
        check_images: For a local root, read each image's header (with Pillow) and skip,
            with its reason, an image training would refuse: not a PNG or JPEG by its
            content, over 15 MB, sides outside 64 to 4096 px or wider than 20:1. Before
            anything is uploaded; for images already in S3, see ``validate_manifest``'s
            ``check_images``.
        label_folder: ``first`` (the folder under ``root``) or ``deepest`` (the folder
            that holds the image).

    Raises:
        ValueError: A local root without ``images_uri``, or an S3 root with one; a
            ``label_folder`` that is neither ``first`` nor ``deepest``.
        FileNotFoundError: A local root that is not a folder, or an S3 root that lists
            no objects.
    """
    if label_folder not in LABEL_FOLDERS:
        raise ValueError(f"label_folder is {' or '.join(LABEL_FOLDERS)}, not {label_folder!r}")
    deepest = label_folder == "deepest"
    text = str(root)
    if text.startswith("s3://"):
        if images_uri is not None:
            raise ValueError("images_uri is for a local root; an s3:// root is where they are")
        if check_images:
            raise ValueError(
                "check_images reads local files; for images in S3, validate the manifest "
                "with check_images=True"
            )
        yield from _s3_folders(text, s3_client, deepest=deepest)
        return
    if images_uri is None:
        raise ValueError("a local root needs images_uri: where its files are in S3")
    base = Path(root)
    if not base.is_dir():
        raise FileNotFoundError(f"no such folder: {base}")
    prefix = images_prefix(images_uri)
    yield Layout(_LAYOUTS[label_folder])
    for path in sorted(p for p in base.rglob("*") if p.is_file()):
        relative = path.relative_to(base).as_posix()
        item = _folder_item(relative, prefix + relative, deepest=deepest)
        if check_images and isinstance(item, LabeledImage):
            problem = local_problem(path)
            if problem is not None:
                item = Skipped(relative, problem)
        yield item


def _folder_item(relative: str, uri: str, *, deepest: bool) -> Item:
    parts = relative.split("/")  # as written: an S3 key may hold "//", an empty folder name
    if not is_image(relative):
        return not_image(relative)
    if len(parts) < 2:
        return Skipped(relative, "directly in the root, not in a folder, so it has no label")
    label = parts[-2] if deepest else parts[0]
    if not label.strip():
        return Skipped(relative, "its folder's name is empty (a key with '//'), so it has no label")
    return LabeledImage(source_ref=uri, labels=(label,))


def _s3_folders(root: str, s3_client: S3Client | None, *, deepest: bool) -> Iterator[Item]:
    bucket, _, prefix = images_prefix(root)[5:].partition("/")  # a whole bucket, or a prefix
    client = s3_client or cast("S3Client", boto3_client("s3", library_retries=False))
    with map_errors("ListObjectsV2"):
        pages = client.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
        keys = sorted(item.get("Key", "") for page in pages for item in page.get("Contents", []))
    if not keys:  # a mistyped prefix lists nothing: said before any output is opened
        raise FileNotFoundError(f"{root} lists no objects (is the bucket or prefix right?)")
    yield Layout(_LAYOUTS["deepest" if deepest else "first"])
    for key in keys:
        if key.endswith("/"):
            continue  # a folder marker
        yield _folder_item(key[len(prefix) :], f"s3://{bucket}/{key}", deepest=deepest)
