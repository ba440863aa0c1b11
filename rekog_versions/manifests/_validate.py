"""validate_manifest: read each manifest, apply the dataset rules, give one report."""

from __future__ import annotations

import os
from typing import TYPE_CHECKING, cast

from rekog_versions._aws import boto3_client
from rekog_versions._defaults import DEFAULT_FEATURE, FEATURES, IMAGE_WORKERS, MAX_IMAGE_WORKERS
from rekog_versions._extras import require
from rekog_versions.manifests._datasets import Dataset, Problems, judge_datasets
from rekog_versions.manifests._report import ManifestProgress, ManifestReport
from rekog_versions.manifests._scan import Source, read_dataset
from rekog_versions.models import S3Object
from rekog_versions.results import ManifestProblem, Severity

if TYPE_CHECKING:
    from collections.abc import Callable

    from mypy_boto3_s3 import S3Client

    from rekog_versions._defaults import Feature

__all__ = ["validate_manifest"]


def _check_arguments(  # noqa: PLR0913 - the arguments of validate_manifest
    sources: tuple[object, ...],
    *,
    feature: object,
    auto_split: bool,
    testing: object,
    max_problems: int,
    image_workers: int,
    check_images: bool,
) -> None:
    """Refuse arguments that cannot be meant, before anything is read."""
    for given in sources:
        if not isinstance(given, str | os.PathLike | S3Object):
            raise TypeError(
                f"a manifest is a path, an s3:// URI or an S3Object, got {type(given).__name__}"
            )
        if isinstance(given, S3Object):
            continue
        text = os.fspath(cast("str | os.PathLike[str]", given))
        if not text:
            raise ValueError("a manifest's path is empty")
        if text.startswith("s3://"):
            S3Object.from_uri(text)  # a URI without a key is refused here, by name
    if feature not in FEATURES:
        raise ValueError(f"feature must be one of {', '.join(FEATURES)}, got {feature!r}")
    if auto_split and testing is not None:
        raise ValueError("auto_split splits the training manifest; give no testing manifest too")
    if max_problems < 0:
        raise ValueError(f"max_problems must be 0 or more, got {max_problems}")
    if not 1 <= image_workers <= MAX_IMAGE_WORKERS:
        raise ValueError(f"image_workers must be 1 to {MAX_IMAGE_WORKERS}, got {image_workers}")
    if check_images:  # said before any work
        require("check_images (image headers, read with Pillow)", "datasets", "PIL")


def _client_once(given: S3Client | None, image_workers: int) -> Callable[[], S3Client]:
    """The S3 client: ``given``, or one built on first use and kept."""
    built: list[S3Client] = [] if given is None else [given]

    def client() -> S3Client:
        if not built:
            from botocore.config import Config  # noqa: PLC0415 - botocore only for S3

            # A connection for each image read at once (botocore keeps 10 by default).
            pool = Config(max_pool_connections=max(10, image_workers))
            # No retry layer of the library runs these calls: botocore retries them.
            built.append(boto3_client("s3", config=pool, library_retries=False))
        return built[0]

    return client


def _sorted(problems: list[ManifestProblem]) -> tuple[ManifestProblem, ...]:
    """The problems of whole datasets first (training's, then testing's), then by line."""
    return tuple(
        sorted(
            problems,
            key=lambda problem: (
                problem.line is not None,
                problem.dataset != "training",
                problem.line or 0,
            ),
        )
    )


def validate_manifest(  # noqa: PLR0913 - every option is keyword-only
    source: Source,
    *,
    testing: Source | None = None,
    auto_split: bool = False,
    feature: Feature = DEFAULT_FEATURE,
    check_images: bool = False,
    image_workers: int = IMAGE_WORKERS,
    s3_client: S3Client | None = None,
    on_progress: Callable[[ManifestProgress], object] | None = None,
    max_problems: int = 10_000,
) -> ManifestReport:
    """Check a training manifest (and its testing manifest) as the service would.

    Args:
        source: The training manifest: a local path, an ``s3://bucket/key`` URI
            (optionally ``?versionId=``), or an :class:`~rekog_versions.S3Object`.
        testing: The testing manifest, if there is one.
        auto_split: Whether the test set will be split off the training set
            (``TestingData.AutoCreate``); it cannot go with ``testing``.
        feature: What the project trains, as the service names it: ``CUSTOM_LABELS``
            (Ground Truth image-level and bounding-box lines) or ``CONTENT_MODERATION``
            (adapter lines with ``content-moderation-groundtruth``).
        check_images: Also read every referenced image's header (a ranged GET of its
            first 64 KB, more when a JPEG's size marker lies further) and check it as
            training does: it exists, is a PNG or JPEG by its content, is at most 15 MB,
            has sides of 64 to 4096 px and an aspect ratio of at most 20:1; an image
            that fails makes its line invalid (``ERROR_INVALID_IMAGE``), counted against
            the 20% limit. A bounding-box line's ``image_size`` and boxes are compared
            with the real image (warnings). Needs Pillow (the ``datasets`` extra).
        image_workers: How many images are read at once, 1 to 1,024, a thread each (16
            by default: S3 serves each GET in tens of milliseconds, so 16 threads keep a
            core busy parsing).
        s3_client: The boto3 S3 client for ``s3://`` manifests and images; built on first
            use if not given.
        on_progress: Called with a :class:`ManifestProgress` every 10,000 lines, during
            image checks, and when a dataset is done.
        max_problems: How many problems the report keeps (all are counted).

    Returns:
        The report, whose ``ok`` says whether training would proceed.

    Raises:
        ValueError: The arguments contradict each other, name an unknown feature, or
            are out of range (``image_workers``).
        TypeError: ``source`` or ``testing`` is not a path, an ``s3://`` URI or an
            S3Object.
        MissingExtraError: ``check_images`` without Pillow (the ``datasets`` extra).
        ClientSideError: This machine could not read an S3 manifest at all (network,
            credentials, region).

    A manifest that cannot be read (missing, a directory, access denied) is not an
    exception: the report carries the service's own terminal error for it,
    ``ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT``. But when this machine cannot
    check it at all (S3 unreachable, no credentials), that is no verdict on the manifest:
    the :class:`~rekog_versions.ClientSideError` is raised.
    """
    _check_arguments(
        (source,) if testing is None else (source, testing),
        feature=feature,
        auto_split=auto_split,
        testing=testing,
        max_problems=max_problems,
        image_workers=image_workers,
        check_images=check_images,
    )
    problems = Problems(max_problems)
    client = _client_once(s3_client, image_workers)

    def read(manifest: Source, name: str) -> Dataset:
        dataset = Dataset(name)
        read_dataset(
            manifest,
            dataset,
            feature,
            problems,
            s3_client=client,
            image_workers=image_workers if check_images else None,
            on_progress=on_progress,
        )
        return dataset

    training = read(source, "training")
    tested = None if testing is None else read(testing, "testing")
    judge_datasets(training, tested, problems, feature, auto_split=auto_split)
    kept = _sorted(problems.kept)
    return ManifestReport(
        ok=not any(problem.severity is Severity.ERROR and problem.line is None for problem in kept),
        feature=feature,
        training=training.summary(problems),
        testing=None if tested is None else tested.summary(problems),
        problems=kept,
        problem_counts=dict(problems.counts),
        truncated=sum(problems.counts.values()) > len(problems.kept),
    )
