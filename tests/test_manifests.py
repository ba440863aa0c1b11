"""Manifest validation: every rule with a passing and a failing case."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest

from manifest_lines import (
    classification,
    detection,
    good_classification,
    moderation,
    write,
)
from rekog_versions import Severity
from rekog_versions.manifests import ManifestReport, validate_manifest

if TYPE_CHECKING:
    from pathlib import Path


def _codes(report: ManifestReport) -> list[str]:
    return [problem.code for problem in report.problems]


def _one(
    tmp_path: Path, line: Any, *, others: int = 10, feature: str = "CUSTOM_LABELS"
) -> ManifestReport:
    """Validate ``line`` among valid lines (so the dataset rules pass); return the report."""
    base = (
        [moderation(f"m{i}.jpg", "Nudity") for i in range(others)]
        if feature == "CONTENT_MODERATION"
        else good_classification(others)
    )
    return validate_manifest(write(tmp_path / "m.manifest", [*base, line]), feature=feature)  # type: ignore[arg-type]


def test_a_good_classification_manifest(tmp_path: Path) -> None:
    """Valid lines give a clean report with the service's statistics."""
    report = validate_manifest(write(tmp_path / "train.manifest", good_classification(10)))
    assert report.ok
    assert [] == _codes(report)
    stats = report.training
    assert ("IMAGE_LEVEL_LABELS", 10, 10, 0, 0) == (
        stats.use_case,
        stats.total_json_lines,
        stats.valid_json_lines,
        stats.invalid_json_lines,
        stats.ignored_json_lines,
    )
    assert {"cat": 5, "dog": 5} == {k: v.images for k, v in stats.labels.items()}


def test_a_good_detection_manifest(tmp_path: Path) -> None:
    """Bounding-box lines count images and boxes per label."""
    lines = [
        detection(f"i{i}.jpg", [(0, 10, 10, 50, 50), (1, 100, 100, 50, 50), (1, 200, 200, 20, 20)])
        for i in range(5)
    ]
    report = validate_manifest(write(tmp_path / "train.manifest", lines))
    assert report.ok, report.to_text()
    assert "OBJECT_LOCALIZATION" == report.training.use_case
    assert (5, 5) == (report.training.labels["cat"].images, report.training.labels["cat"].boxes)
    assert (5, 10) == (report.training.labels["dog"].images, report.training.labels["dog"].boxes)


# -- line rules ----------------------------------------------------------------------


def _bad_metadata(**changes: Any) -> dict[str, Any]:
    return classification("x.jpg", "cat", **changes)


LINE_CASES: list[tuple[str, Any, str, str | None]] = [
    ("not-an-object", "[1, 2]", "ERROR_INVALID_JSON_LINE", None),
    ("broken-json", '{"source-ref": ', "ERROR_INVALID_JSON_LINE", None),
    ("nan", '{"source-ref": NaN}', "ERROR_INVALID_JSON_LINE", None),
    ("blank", "   ", "ERROR_INVALID_JSON_LINE", None),
    ("no-source-ref", {"cats": 1}, "ERROR_MISSING_SOURCE_REF", None),
    (
        "https-source-ref",
        {**classification(), "source-ref": "https://bkt.s3.amazonaws.com/a.jpg"},
        "ERROR_INVALID_SOURCE_REF_FORMAT",
        "source-ref",
    ),
    (
        "number-source-ref",
        {**classification(), "source-ref": 7},
        "ERROR_INVALID_SOURCE_REF_FORMAT",
        "source-ref",
    ),
    (
        "no-key",
        {**classification(), "source-ref": "s3://bkt/"},
        "ERROR_INVALID_SOURCE_REF_FORMAT",
        "source-ref",
    ),
    (
        "no-attribute",
        {"source-ref": "s3://bkt/a.jpg", "cats": 1},
        "ERROR_NO_LABEL_ATTRIBUTES",
        None,
    ),
    (
        "misspelt-metadata",
        {"source-ref": "s3://bkt/a.jpg", "cats": 1, "cats-metdata": {}},
        "ERROR_NO_LABEL_ATTRIBUTES",
        None,
    ),
    (
        "metadata-not-object",
        {"source-ref": "s3://bkt/a.jpg", "cats": 1, "cats-metadata": 3},
        "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
        "cats-metadata",
    ),
    (
        "no-type",
        _bad_metadata(type=None),
        "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
        "cats-metadata.type",
    ),
    (
        "multilabel-type",
        _bad_metadata(type="groundtruth/image-classification-multilabel"),
        "ERROR_UNSUPPORTED_USE_CASE_TYPE",
        "cats-metadata.type",
    ),
    (
        "unknown-type",
        _bad_metadata(type="groundtruth/semantic-segmentation"),
        "ERROR_UNSUPPORTED_USE_CASE_TYPE",
        "cats-metadata.type",
    ),
    (
        "class-name-too-long",
        _bad_metadata(**{"class-name": "c" * 257}),
        "ERROR_INVALID_LABEL_NAME_LENGTH",
        "cats-metadata.class-name",
    ),
    (
        "class-name-empty",
        _bad_metadata(**{"class-name": ""}),
        "ERROR_INVALID_LABEL_NAME_LENGTH",
        "cats-metadata.class-name",
    ),
    (
        "confidence-over-1",
        _bad_metadata(confidence=1.5),
        "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
        "cats-metadata.confidence",
    ),
    (
        "confidence-missing",
        _bad_metadata(confidence=None),
        "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
        "cats-metadata.confidence",
    ),
    (
        "human-annotated-maybe",
        _bad_metadata(**{"human-annotated": "maybe"}),
        "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
        "cats-metadata.human-annotated",
    ),
    (
        "creation-date-bad",
        _bad_metadata(**{"creation-date": "yesterday"}),
        "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
        "cats-metadata.creation-date",
    ),
    (
        "attribute-value-list",
        {**classification(), "cats": [1]},
        "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
        "cats",
    ),
    (
        "detection-no-image-size",
        {**detection(), "bounding-box": {"annotations": []}},
        "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
        "bounding-box.image_size",
    ),
    (
        "detection-two-sizes",
        {
            **detection(),
            "bounding-box": {
                "image_size": [{"width": 1, "height": 1, "depth": 3}] * 2,
                "annotations": [],
            },
        },
        "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
        "bounding-box.image_size",
    ),
    (
        "detection-string-box",
        {
            **detection(),
            "bounding-box": {
                "image_size": [{"width": 640, "height": 480, "depth": 3}],
                "annotations": [{"class_id": 0, "left": "1", "top": 1, "width": 5, "height": 5}],
            },
        },
        "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
        "bounding-box.annotations[0]",
    ),
    (
        "detection-float-class-id",
        {
            **detection(),
            "bounding-box": {
                "image_size": [{"width": 640, "height": 480, "depth": 3}],
                "annotations": [{"class_id": 0.5, "left": 1, "top": 1, "width": 5, "height": 5}],
            },
        },
        "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
        "bounding-box.annotations[0]",
    ),
    (
        "objects-fewer",
        detection(objects=[]),
        "ERROR_MISSING_BOUNDING_BOX_CONFIDENCE",
        "bounding-box-metadata.objects",
    ),
    (
        "class-id-not-in-map",
        detection(boxes=[(7, 10, 10, 50, 50)]),
        "ERROR_MISSING_CLASS_MAP_ID",
        "bounding-box.annotations[0].class_id",
    ),
    (
        "too-many-boxes",
        detection(boxes=[(0, 1, 1, 10, 10)] * 51),
        "ERROR_TOO_MANY_BOUNDING_BOXES",
        "bounding-box.annotations",
    ),
    (
        "image-too-small",
        detection(size=(63, 480)),
        "ERROR_INVALID_IMAGE_DIMENSION",
        "bounding-box.image_size[0]",
    ),
    (
        "image-too-large",
        detection(size=(640, 4097)),
        "ERROR_INVALID_IMAGE_DIMENSION",
        "bounding-box.image_size[0]",
    ),
    (
        "all-boxes-off-frame",
        detection(boxes=[(0, 600, 10, 100, 100)]),
        "ERROR_INVALID_BOUNDING_BOX",
        "bounding-box.annotations[0]",
    ),
    (
        "label-map-name-too-long",
        detection(class_map={"0": "x" * 257}),
        "ERROR_INVALID_LABEL_NAME_LENGTH",
        "bounding-box-metadata.class-map.0",
    ),
]


@pytest.mark.parametrize(
    ("line", "code", "path"), [c[1:] for c in LINE_CASES], ids=[c[0] for c in LINE_CASES]
)
def test_line_errors(tmp_path: Path, line: Any, code: str, path: str | None) -> None:
    """Each broken line gets the service's code, at its line and path, and is invalid."""
    report = _one(tmp_path, line)
    problem = next(problem for problem in report.problems if problem.line == 11)
    assert (code, path, Severity.ERROR) == (problem.code, problem.path, problem.severity)
    assert 1 == report.training.invalid_json_lines
    assert report.ok  # one bad line in eleven is under the 20% limit


@pytest.mark.parametrize(
    "line",
    [
        classification(**{"creation-date": "2013-11-18 02:53:27"}),
        classification(**{"creation-date": "2021-06-09T05:26:56.180Z"}),
        {
            **classification(),
            "cats-metadata": {
                k: v for k, v in classification()["cats-metadata"].items() if k != "job-name"
            },
        },
        {**classification(), "cats": "0"},
        {**classification(), "cl-metadata": {"is_labeled": True}},
        detection(boxes=[(1, 0, 0, 640, 480)]),
        detection(size=(64, 1280), boxes=[(0, 0, 0, 10, 10)]),  # 20:1, the most allowed
    ],
    ids=[
        "space-date",
        "zulu-date",
        "no-job-name",
        "string-value",
        "cl-metadata",
        "full-frame-box",
        "edge-sizes",
    ],
)
def test_lines_that_are_valid(tmp_path: Path, line: Any) -> None:
    """The forms the docs and public samples use are accepted."""
    if (
        line["bounding-box-metadata" if "bounding-box-metadata" in line else "cats-metadata"].get(
            "job-name"
        )
        is None
    ):
        line["bounding-box-metadata" if "bounding-box-metadata" in line else "cats-metadata"].pop(
            "job-name", None
        )
    report = _one(tmp_path, line)
    assert [] == [problem for problem in report.problems if problem.line == 11]
    assert 0 == report.training.invalid_json_lines


def test_off_frame_box_is_dropped_not_the_line(tmp_path: Path) -> None:
    """An annotation error drops that box; the line stays valid with its other boxes."""
    line = detection(boxes=[(0, 10, 10, 50, 50), (1, 600, 10, 100, 100), (1, -1, 10, 5, 5)])
    report = _one(tmp_path, line)
    assert ["ERROR_INVALID_BOUNDING_BOX", "ERROR_INVALID_BOUNDING_BOX"] == [
        i.code for i in report.problems if i.line == 11
    ]
    assert 0 == report.training.invalid_json_lines
    assert "dog" not in report.training.labels or report.training.labels["dog"].boxes == 0


@pytest.mark.parametrize(
    ("size", "box", "outcome"),
    [
        ((640, 480), (10, 10, 2, 2), "kept"),
        ((640, 480), (10, 10, 1, 1), "dropped"),
        ((640, 480), (10, 10, 1, 5), "warned"),  # larger than 1x1 on one side only
        ((4000, 1000), (10, 10, 4, 4), "kept"),  # 4 px x 1280/4000 = 1.28 px
        ((4000, 1000), (10, 10, 3, 3), "dropped"),  # 0.96 x 0.96 px after the resize
        ((4000, 1000), (10, 10, 3, 30), "warned"),  # 0.96 x 9.6 px after the resize
    ],
    ids=["2x2", "1x1", "1x5", "scaled-4x4", "scaled-3x3", "scaled-3x30"],
)
def test_box_too_small_after_resize(
    tmp_path: Path, size: tuple[int, int], box: tuple[int, int, int, int], outcome: str
) -> None:
    """A box must be larger than 1x1 px after the resize to 1280 px.

    At most 1 px on both sides is too small as documented: dropped. At most 1 px on one
    side only is the library's reading of "larger than 1 x 1": a warning, the box kept.
    """
    left, top, width, height = box
    line = detection(size=size, boxes=[(0, 10, 10, 100, 100), (1, left, top, width, height)])
    report = _one(tmp_path, line)
    small = [
        (i.path, i.severity) for i in report.problems if i.code == "ERROR_BOUNDING_BOX_TOO_SMALL"
    ]
    expected = {
        "kept": [],
        "dropped": [("bounding-box.annotations[1]", Severity.ERROR)],
        "warned": [("bounding-box.annotations[1]", Severity.WARNING)],
    }[outcome]
    assert expected == small
    assert 0 == report.training.invalid_json_lines
    assert report.ok
    alone = validate_manifest(write(tmp_path / "alone.manifest", [line]))
    assert (1 if outcome == "dropped" else 2) == sum(
        label.boxes for label in alone.training.labels.values()
    )


def test_a_line_whose_only_box_is_thin_stays_valid(tmp_path: Path) -> None:
    """A box kept with a warning counts: the line is not 'no valid annotations'."""
    report = validate_manifest(
        write(tmp_path / "m.manifest", [detection(boxes=[(0, 10, 10, 1, 50)])])
    )
    assert ["ERROR_BOUNDING_BOX_TOO_SMALL"] == [i.code for i in report.problems]
    assert 1 == report.training.labels["cat"].boxes
    assert report.ok


def test_no_annotations_is_ignored_with_a_warning(tmp_path: Path) -> None:
    """A human-annotated line without boxes is valid but ignored, not invalid."""
    report = _one(tmp_path, detection(boxes=[]))
    problem = next(i for i in report.problems if i.line == 11)
    assert ("WARNING_NO_ANNOTATIONS", Severity.WARNING) == (problem.code, problem.severity)
    assert (1, 0) == (report.training.ignored_json_lines, report.training.invalid_json_lines)


def test_every_box_dropped_is_no_valid_annotations(tmp_path: Path) -> None:
    """When every box of a line is dropped the line is invalid."""
    report = _one(tmp_path, detection(boxes=[(0, 600, 0, 100, 100)]))
    codes = [i.code for i in report.problems if i.line == 11]
    assert ["ERROR_INVALID_BOUNDING_BOX", "ERROR_NO_VALID_ANNOTATIONS"] == codes


def test_more_than_fifty_labels_on_an_image(tmp_path: Path) -> None:
    """An image carries at most 50 labels."""
    line: dict[str, Any] = {"source-ref": "s3://bkt/x.jpg"}
    for i in range(51):
        line.update(
            {f"l{i}": 1, f"l{i}-metadata": classification(label=f"label{i}")["cats-metadata"]}
        )
    report = _one(tmp_path, line)
    assert ["RV_TOO_MANY_LABELS_PER_IMAGE"] == [i.code for i in report.problems if i.line == 11]


def test_long_lines(tmp_path: Path) -> None:
    """A line over 100,000 characters is invalid (and is not kept in memory whole)."""
    long_line = classification(**{"job-name": "j" * 100_000})
    report = _one(tmp_path, long_line)
    assert ["RV_LINE_TOO_LONG"] == [i.code for i in report.problems if i.line == 11]
    huge = tmp_path / "huge.manifest"
    with huge.open("w") as handle:
        for line in good_classification(10):
            handle.write(json.dumps(line) + "\n")
        handle.write("x" * 10_000_000 + "\n")
        handle.write(json.dumps(classification("last.jpg", "cat")) + "\n")
    report = validate_manifest(huge)
    assert (12, 1) == (report.training.total_json_lines, report.training.invalid_json_lines)


# -- content moderation ---------------------------------------------------------------


def test_content_moderation_lines(tmp_path: Path) -> None:
    """Adapter lines: labels from ModerationLabels; an empty list is a safe image."""
    lines = [
        moderation("a.jpg", "Rude Gesture"),
        moderation("b.jpg", "Rude Gesture", "Nudity"),
        moderation("c.jpg"),
    ]
    report = validate_manifest(write(tmp_path / "m.manifest", lines), feature="CONTENT_MODERATION")
    assert report.ok, report.to_text()
    assert "CONTENT_MODERATION" == report.training.use_case
    assert {"Rude Gesture": 2, "Nudity": 1} == {
        k: v.images for k, v in report.training.labels.items()
    }


@pytest.mark.parametrize(
    ("line", "code"),
    [
        ({"source-ref": "s3://bkt/a.jpg"}, "ERROR_NO_LABEL_ATTRIBUTES"),
        (
            {
                "source-ref": "s3://bkt/a.jpg",
                "content-moderation-groundtruth": {"ModerationLabels": "Nudity"},
            },
            "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
        ),
        (
            {
                "source-ref": "s3://bkt/a.jpg",
                "content-moderation-groundtruth": {"ModerationLabels": [{"name": "x"}]},
            },
            "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
        ),
        (moderation("a.jpg", "n" * 257), "ERROR_INVALID_LABEL_NAME_LENGTH"),
    ],
    ids=["missing", "not-a-list", "lower-case-name", "long-name"],
)
def test_content_moderation_errors(tmp_path: Path, line: Any, code: str) -> None:
    """Malformed adapter lines get the service's codes."""
    report = _one(tmp_path, line, feature="CONTENT_MODERATION")
    assert [code] == [i.code for i in report.problems if i.line == 11]


# -- dataset rules --------------------------------------------------------------------


def test_empty_manifest(tmp_path: Path) -> None:
    """An empty file is the service's terminal error."""
    path = tmp_path / "empty.manifest"
    path.write_bytes(b"")
    report = validate_manifest(path)
    assert not report.ok
    assert ["ERROR_EMPTY_MANIFEST"] == _codes(report)


def test_too_many_invalid_rows(tmp_path: Path) -> None:
    """More than 20% invalid lines (blank ones included) fails; 20% exactly passes."""
    passing = validate_manifest(write(tmp_path / "a.manifest", [*good_classification(8), "", "{"]))
    assert passing.ok, passing.to_text()  # 2 of 10 = 20%
    failing = validate_manifest(
        write(tmp_path / "b.manifest", [*good_classification(7), "", "{", "[]"])
    )
    assert not failing.ok
    assert "ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST" in _codes(failing)


def test_ignored_lines_do_not_count_as_invalid(tmp_path: Path) -> None:
    """Lines without annotations are ignored: they never push the manifest over 20%."""
    lines = (
        [detection(f"i{i}.jpg") for i in range(4)]
        + [detection(f"e{i}.jpg", boxes=[]) for i in range(6)]
        + ["{"]
    )
    report = validate_manifest(write(tmp_path / "m.manifest", lines))
    assert (6, 1) == (report.training.ignored_json_lines, report.training.invalid_json_lines)
    assert report.ok, report.to_text()


@pytest.mark.parametrize(
    ("lines", "code"),
    [
        ([classification(f"{i}.jpg", "cat") for i in range(5)], "ERROR_MANIFEST_TOO_FEW_LABELS"),
        (
            [classification(f"{i}.jpg", f"label{i}") for i in range(251)],
            "ERROR_MANIFEST_TOO_MANY_LABELS",
        ),
        (
            [*good_classification(4), classification("x.jpg", "cat", bucket="other-bucket")],
            "ERROR_IMAGES_IN_MULTIPLE_S3_BUCKETS",
        ),
    ],
    ids=["one-classification-label", "251-labels", "two-buckets"],
)
def test_dataset_errors(tmp_path: Path, lines: list[Any], code: str) -> None:
    """Each dataset rule fails the report with the service's code."""
    report = validate_manifest(write(tmp_path / "m.manifest", lines))
    assert not report.ok
    assert code in [i.code for i in report.problems if i.line is None]


def test_detection_needs_only_one_label(tmp_path: Path) -> None:
    """Object localization trains with a single label (classification needs two)."""
    report = validate_manifest(
        write(
            tmp_path / "m.manifest", [detection(f"{i}.jpg", [(0, 1, 1, 10, 10)]) for i in range(3)]
        )
    )
    assert report.ok, report.to_text()


def test_duplicate_source_ref_is_a_warning(tmp_path: Path) -> None:
    """A second line for the same image is a warning; the line is ignored."""
    report = _one(tmp_path, classification("img0.jpg", "dog"))
    problem = next(i for i in report.problems if i.line == 11)
    assert ("RV_DUPLICATE_SOURCE_REF", Severity.WARNING) == (problem.code, problem.severity)
    assert 1 == report.training.ignored_json_lines


def test_mixed_use_cases(tmp_path: Path) -> None:
    """Mixed lines: the majority type is picked and the others reported as dropped."""
    lines = [*good_classification(6), detection("d1.jpg"), detection("d2.jpg")]
    report = validate_manifest(write(tmp_path / "m.manifest", lines))
    assert "IMAGE_LEVEL_LABELS" == report.training.use_case
    problem = next(i for i in report.problems if i.code == "RV_MIXED_USE_CASES")
    assert "2 OBJECT_LOCALIZATION lines (first: line 7, 8)" in problem.message
    assert report.ok


def test_mixed_use_cases_leave_too_few_usable_labels(tmp_path: Path) -> None:
    """After dropping the other type, too few labels is ERROR_MANIFEST_TOO_FEW_USABLE_LABELS."""
    lines = [classification(f"c{i}.jpg", "cat") for i in range(3)] + [detection("d.jpg")]
    report = validate_manifest(write(tmp_path / "m.manifest", lines))
    assert "ERROR_MANIFEST_TOO_FEW_USABLE_LABELS" in _codes(report)


def test_label_overlap(tmp_path: Path) -> None:
    """Testing labels must cover at least 50% of the training labels."""
    train = write(
        tmp_path / "train.manifest", [classification(f"{i}.jpg", f"l{i % 4}") for i in range(8)]
    )
    good = write(
        tmp_path / "good.manifest", [classification(f"t{i}.jpg", f"l{i % 2}") for i in range(4)]
    )
    bad = write(
        tmp_path / "bad.manifest",
        [classification(f"t{i}.jpg", ["l0", "zz"][i % 2]) for i in range(4)],
    )
    assert validate_manifest(train, testing=good).ok
    report = validate_manifest(train, testing=bad)
    assert not report.ok
    problem = next(i for i in report.problems if i.code == "ERROR_INSUFFICIENT_LABEL_OVERLAP")
    assert "25%" in problem.message
    assert report.testing is not None
    assert "IMAGE_LEVEL_LABELS" == report.testing.use_case


def test_testing_images_per_label(tmp_path: Path) -> None:
    """A testing dataset has at most 1,000 images for one label."""
    train = write(tmp_path / "train.manifest", good_classification(4))
    test = write(
        tmp_path / "test.manifest",
        [classification(f"t{i}.jpg", "cat" if i else "dog") for i in range(1002)],
    )
    report = validate_manifest(train, testing=test)
    assert "RV_TOO_MANY_TEST_IMAGES_PER_LABEL" in _codes(report)


def test_auto_split_with_one_image_a_label_is_a_warning(tmp_path: Path) -> None:
    """A label with a single image may not split: the library's reading, so a warning only.

    The documentation names the error but not the number (its quotas page asks for 1
    image a label), and real manifests fail by nothing else.
    """
    lines = [*good_classification(6), classification("lonely.jpg", "bird")]
    path = write(tmp_path / "m.manifest", lines)
    report = validate_manifest(path, auto_split=True)
    assert report.ok
    [problem] = report.problems
    assert ("ERROR_INSUFFICIENT_IMAGES_PER_LABEL_FOR_AUTOSPLIT", Severity.WARNING) == (
        problem.code,
        problem.severity,
    )
    assert "bird" in problem.message
    assert "the library's reading, not a documented limit" in problem.message


def test_auto_split_with_testing_is_refused(tmp_path: Path) -> None:
    """auto_split and a testing manifest contradict each other."""
    path = write(tmp_path / "m.manifest", good_classification(4))
    with pytest.raises(ValueError, match="auto_split"):
        validate_manifest(path, testing=path, auto_split=True)


def test_unknown_kind(tmp_path: Path) -> None:
    """An unknown kind is a ValueError naming the valid ones."""
    with pytest.raises(ValueError, match="CUSTOM_LABELS"):
        validate_manifest(tmp_path / "x", feature="faces")  # type: ignore[arg-type]


def test_line_count_limit(tmp_path: Path) -> None:
    """More than 250,000 lines is refused (checked with a tiny line)."""
    path = tmp_path / "big.manifest"
    line = json.dumps(classification("a.jpg")) + "\n"
    with path.open("w") as handle:
        handle.write(line.replace("a.jpg", "b.jpg").replace('"cat"', '"dog"'))
        for _ in range(250_000):
            handle.write("{}\n" if _ % 2 else line)
    report = validate_manifest(path, max_problems=10)
    assert "ERROR_MANIFEST_ROWS_EXCEEDS_MAXIMUM" in _codes(report)
    assert report.truncated
    assert 125_000 == report.problem_counts["ERROR_MISSING_SOURCE_REF"]


@pytest.mark.parametrize("source", [b"/tmp/m.manifest", None, 5])
def test_a_source_of_another_type_is_a_type_error_naming_it(source: Any) -> None:
    """bytes met a str method deep inside; None and numbers an error about os.fspath."""
    with pytest.raises(TypeError, match=r"a manifest is a path, an s3:// URI or an S3Object, got"):
        validate_manifest(source)
    with pytest.raises(TypeError, match=r"a manifest is a path, an s3:// URI or an S3Object, got"):
        validate_manifest("m.manifest", testing=source or 5)


# -- bad input ------------------------------------------------------------------------


def test_missing_file_and_directory(tmp_path: Path) -> None:
    """A missing file, a folder or a name too long is the inaccessible-manifest error."""
    for source in (tmp_path / "missing.manifest", tmp_path, tmp_path / ("x" * 3000)):
        report = validate_manifest(source)
        assert not report.ok
        assert ["ERROR_MANIFEST_INACCESSIBLE_OR_UNSUPPORTED_FORMAT"] == _codes(report)


def test_binary_file(tmp_path: Path) -> None:
    """Random binary content gives invalid lines, never an exception."""
    path = tmp_path / "image.png"
    path.write_bytes(bytes(range(256)) * 40)
    report = validate_manifest(path)
    assert not report.ok
    assert "ERROR_TOO_MANY_INVALID_ROWS_IN_MANIFEST" in _codes(report)


def test_invalid_utf8_and_bom(tmp_path: Path) -> None:
    """A BOM is a warning; invalid UTF-8 makes its line invalid JSON."""
    path = tmp_path / "m.manifest"
    body = b"\n".join(json.dumps(line).encode() for line in good_classification(10))
    path.write_bytes(b"\xef\xbb\xbf" + body + b'\n{"source-ref": "s3://bkt/\xff.jpg"}\n')
    report = validate_manifest(path)
    assert "RV_BYTE_ORDER_MARK" == report.problems[0].code
    assert 1 == report.training.invalid_json_lines
    assert "ERROR_INVALID_JSON_LINE" == next(i for i in report.problems if i.line == 11).code


def test_deeply_nested_json(tmp_path: Path) -> None:
    """A deeply nested line is an invalid line, not a RecursionError."""
    report = _one(tmp_path, "[" * 100_000 + "]" * 100_000)
    assert "ERROR_INVALID_JSON_LINE" in _codes(report) or "RV_LINE_TOO_LONG" in _codes(report)
    report = _one(tmp_path, "[" * 5000 + "]" * 5000)
    assert ["ERROR_INVALID_JSON_LINE"] == [i.code for i in report.problems if i.line == 11]


def test_windows_line_endings(tmp_path: Path) -> None:
    """CRLF line endings are read like LF ones."""
    path = tmp_path / "m.manifest"
    path.write_bytes(
        b"\r\n".join(json.dumps(line).encode() for line in good_classification(4)) + b"\r\n"
    )
    assert validate_manifest(path).ok


@pytest.mark.parametrize("ending", [b"\n", b"\r\n"], ids=["lf", "crlf"])
def test_a_line_of_exactly_the_limit_is_valid(tmp_path: Path, ending: bytes) -> None:
    """A line of 100,000 characters exactly is valid, with LF or CRLF (the CR not counted)."""
    line = classification()
    padding = 100_000 - len(json.dumps({**line, "job-name": ""}))
    exact = json.dumps({**line, "job-name": "j" * padding}).encode()
    assert 100_000 == len(exact)
    path = tmp_path / "m.manifest"
    path.write_bytes(
        ending.join([exact, *(json.dumps(good).encode() for good in good_classification(4))])
        + ending
    )
    report = validate_manifest(path)
    assert (5, 0) == (report.training.total_json_lines, report.training.invalid_json_lines)
    assert [] == _codes(report)


def test_no_final_newline(tmp_path: Path) -> None:
    """The last line counts without a newline after it."""
    path = tmp_path / "m.manifest"
    path.write_bytes(b"\n".join(json.dumps(line).encode() for line in good_classification(4)))
    assert 4 == validate_manifest(path).training.total_json_lines


# -- the report -----------------------------------------------------------------------


def test_report_renders_as_text_and_json(tmp_path: Path) -> None:
    """The report renders for people and for machines."""
    report = _one(tmp_path, {"cats": 1})
    text = report.to_text()
    assert text.startswith("training would proceed")
    assert "training line 11: error: ERROR_MISSING_SOURCE_REF" in text
    data = json.loads(report.to_json())
    assert data["ok"] is True
    assert 11 == data["training"]["total_json_lines"]
    assert {"ERROR_MISSING_SOURCE_REF": 1} == data["problem_counts"]
    assert "ERROR_MISSING_SOURCE_REF" == data["problems"][0]["code"]


def test_progress_is_reported(tmp_path: Path) -> None:
    """on_progress hears about each dataset's end."""
    seen: list[Any] = []
    path = write(tmp_path / "m.manifest", good_classification(4))
    validate_manifest(path, testing=path, on_progress=seen.append)
    assert [("training", 4, True), ("testing", 4, True)] == [
        (p.dataset, p.lines, p.done) for p in seen
    ]


def test_huge_integers_are_reported_not_raised(tmp_path: Path) -> None:
    """Huge sizes are a dimension error; integers beyond 64 bits are invalid JSON."""
    large = detection(size=(2**63 - 1, 480), boxes=[(0, 1, 1, 2**62, 10)])
    report = _one(tmp_path, large)
    assert ["ERROR_INVALID_IMAGE_DIMENSION"] == [i.code for i in report.problems if i.line == 11]
    huge = detection(size=(10**400, 480))
    report = _one(tmp_path, huge)
    assert ["ERROR_INVALID_JSON_LINE"] == [i.code for i in report.problems if i.line == 11]


def test_deeply_nested_values_are_reported_not_crashed(tmp_path: Path) -> None:
    """A source-ref nested 1,000 lists deep (orjson's limit is 1,024) is a bad source-ref."""
    nested = "[" * 1000 + "]" * 1000
    line = '{"source-ref": ' + nested + ', "a": 1, "a-metadata": {}}'
    path = tmp_path / "deep.manifest"
    path.write_text(line + "\n", encoding="utf-8")
    report = validate_manifest(path)
    (problem,) = [problem for problem in report.problems if problem.line == 1]
    assert "ERROR_INVALID_SOURCE_REF_FORMAT" == problem.code
    assert len(problem.message) < 200


def test_an_endless_manifest_is_too_large(monkeypatch: pytest.MonkeyPatch) -> None:
    """A device that never ends (/dev/zero) is read up to the 1 GB limit, then refused."""
    import rekog_versions.manifests._scan as scan  # noqa: PLC0415

    monkeypatch.setattr(scan, "MAX_MANIFEST_BYTES", 4 * 1024 * 1024)  # quicker than 1 GB
    report = validate_manifest("/dev/zero")
    assert ["ERROR_MANIFEST_SIZE_TOO_LARGE"] == [problem.code for problem in report.problems]
    assert not report.ok


def test_no_way_to_reach_s3_raises_instead_of_judging_the_manifest() -> None:
    """An S3 this machine cannot reach is a NetworkError, not the manifest's fault."""
    import boto3  # noqa: PLC0415

    from conftest import closed_port  # noqa: PLC0415
    from rekog_versions import NetworkError  # noqa: PLC0415

    s3 = boto3.client(
        "s3",
        region_name="us-east-1",
        endpoint_url=f"http://127.0.0.1:{closed_port()}",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",  # noqa: S106 - a fake, on loopback
    )
    with pytest.raises(NetworkError):
        validate_manifest("s3://bkt/train.manifest", s3_client=s3)


@pytest.mark.parametrize("size", [(64, 1344), (1344, 64), (99, 2800), (63, 640), (640, 4097)])
def test_a_declared_size_beyond_the_limits_is_invalid(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    """Sides of 64 to 4096 px and an aspect ratio of at most 20:1 ([CLG:limits])."""
    lines = [detection(f"{i}.jpg") for i in range(9)] + [detection("odd.jpg", size=size)]
    report = validate_manifest(write(tmp_path / "m.manifest", lines))
    (problem,) = report.problems
    assert (problem.code, problem.line) == ("ERROR_INVALID_IMAGE_DIMENSION", 10)
    assert f"{size[0]}x{size[1]}" in problem.message


def test_moderation_labels_outside_the_taxonomy_are_warned_about_once(tmp_path: Path) -> None:
    """Taxonomy names pass in any case; another name is one warning, and ok stays true."""
    lines = [moderation(f"a{i}.jpg", "Rude Gestures", "middle finger") for i in range(5)]
    lines += [moderation(f"b{i}.jpg", "Nudity") for i in range(5)]
    report = validate_manifest(
        write(tmp_path / "m.manifest", lines), feature="CONTENT_MODERATION", auto_split=True
    )
    assert report.ok, report.to_text()
    warnings = [(i.code, i.line, i.severity) for i in report.problems]
    assert warnings == [("RV_UNKNOWN_MODERATION_LABEL", 6, Severity.WARNING)]
    assert "'Nudity' is not a top-level or second-level label" in report.problems[0].message
