"""Manifests made from datasets: folders, COCO, Pascal VOC, CSV and YOLO, made in the tests.

Each conversion's output is checked with validate_manifest, as training would read it,
and everything a conversion leaves out must be reported with its reason.
"""

from __future__ import annotations

import json
import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from datasets_made import IMAGES, cli, lines_of, picture, reasons
from hypothesis import given, settings
from hypothesis import strategies as st

from emulated import moto_s3
from rekog_versions import ConfigurationError, RequestValidationError
from rekog_versions.datasets import (
    Box,
    LabeledImage,
    Layout,
    Skipped,
    from_coco,
    from_csv,
    from_folders,
    from_voc,
    from_yolo,
    image_size,
    make_manifest,
    pick_testing_images,
)
from rekog_versions.manifests import validate_manifest

if TYPE_CHECKING:
    from collections.abc import Iterator

PIL = pytest.importorskip("PIL.Image", reason="Pillow is in the tests dependency group")


# -- folders ---------------------------------------------------------------------------


def test_folders_give_each_image_its_folder_as_label(tmp_path: Path) -> None:
    """Each image is labelled by its folder under the root; non-images, root images skipped."""
    for label in ("cat", "dog"):
        for index in range(3):
            (tmp_path / "ds" / label).mkdir(parents=True, exist_ok=True)
            (tmp_path / "ds" / label / f"{index}.jpg").write_bytes(b"")
    (tmp_path / "ds" / "dog" / "puppy").mkdir()
    (tmp_path / "ds" / "dog" / "puppy" / "p.PNG").write_bytes(b"")
    (tmp_path / "ds" / "dog" / "notes.txt").write_text("x")
    (tmp_path / "ds" / "root.jpg").write_bytes(b"")
    out = tmp_path / "train.manifest"

    report = make_manifest(from_folders(tmp_path / "ds", images_uri=IMAGES), out)

    by_ref = {line["source-ref"]: line["label-0-metadata"]["class-name"] for line in lines_of(out)}
    assert by_ref[f"{IMAGES}cat/0.jpg"] == "cat"
    assert by_ref[f"{IMAGES}dog/puppy/p.PNG"] == "dog"  # deeper folders are not labels
    assert report.training_labels == {"cat": 3, "dog": 4}
    assert reasons(report) == {
        "dog/notes.txt": "not a PNG or JPEG (.txt); the service trains on PNG and JPEG",
        "root.jpg": "directly in the root, not in a folder, so it has no label",
    }
    assert report.layout is not None
    assert "(as the console)" in report.layout
    assert validate_manifest(out).ok


def test_folders_listed_in_s3(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """An s3:// prefix is listed directly; folder markers and keys outside it are left out."""
    with moto_s3(monkeypatch, "bkt") as s3:
        for key in ("data/cat/1.jpg", "data/cat/2.jpg", "data/dog/1.png", "data/dog/", "x.jpg"):
            s3.put_object(Bucket="bkt", Key=key, Body=b"")
        out = tmp_path / "train.manifest"
        report = make_manifest(from_folders("s3://bkt/data", s3_client=s3), out)
    assert [line["source-ref"] for line in lines_of(out)] == [
        "s3://bkt/data/cat/1.jpg",
        "s3://bkt/data/cat/2.jpg",
        "s3://bkt/data/dog/1.png",
    ]
    assert report.skipped == ()


def test_folders_never_label_an_image_with_an_empty_folder_name(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A key with '//' (an empty folder name) is skipped, never labelled '/' or ''."""
    with moto_s3(monkeypatch, "bkt") as s3:
        for key in ("data//5.jpg", "data/cat//6.jpg", "data/cat/1.jpg"):
            s3.put_object(Bucket="bkt", Key=key, Body=b"x")
        report = make_manifest(from_folders("s3://bkt/data/", s3_client=s3), tmp_path / "m")
        deepest = make_manifest(
            from_folders("s3://bkt/data/", s3_client=s3, label_folder="deepest"), tmp_path / "d"
        )
    assert [line["source-ref"] for line in lines_of(tmp_path / "m")] == [
        "s3://bkt/data/cat//6.jpg",  # its folder under the root is "cat"
        "s3://bkt/data/cat/1.jpg",
    ]
    assert ["/5.jpg"] == list(reasons(report))
    assert ["s3://bkt/data/cat/1.jpg"] == [line["source-ref"] for line in lines_of(tmp_path / "d")]
    found = {**reasons(report), **reasons(deepest)}
    assert {"/5.jpg", "cat//6.jpg"} == set(found)
    assert all("folder's name is empty" in reason for reason in found.values())


@pytest.mark.parametrize("root", ["s3://bkt", "s3://bkt/"])
def test_folders_at_the_root_of_a_bucket(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, root: str
) -> None:
    """A bucket whose top-level folders are the labels (it was refused: no object key)."""
    with moto_s3(monkeypatch, "bkt") as s3:
        for key in ("cat/1.jpg", "dog/1.png", "x.jpg"):
            s3.put_object(Bucket="bkt", Key=key, Body=b"")
        report = make_manifest(from_folders(root, s3_client=s3), tmp_path / "m")
    assert [line["source-ref"] for line in lines_of(tmp_path / "m")] == [
        "s3://bkt/cat/1.jpg",
        "s3://bkt/dog/1.png",
    ]
    assert reasons(report) == {"x.jpg": "directly in the root, not in a folder, so it has no label"}


def test_folders_refuse_contradicting_arguments(tmp_path: Path) -> None:
    """A local root needs images_uri, an S3 root takes none, and a missing folder is named."""
    with pytest.raises(ValueError, match="needs images_uri"):
        list(from_folders(tmp_path))
    with pytest.raises(ValueError, match="for a local root"):
        list(from_folders("s3://bkt/x/", images_uri=IMAGES))
    with pytest.raises(FileNotFoundError, match="no such folder"):
        list(from_folders(tmp_path / "missing", images_uri=IMAGES))


# -- COCO ------------------------------------------------------------------------------


def coco_file(path: Path, annotations: list[dict[str, Any]], images: int = 6) -> Path:
    document = {
        "images": [
            {"id": index, "file_name": f"img{index}.jpg", "width": 640, "height": 480}
            for index in range(images)
        ],
        "annotations": annotations,
        "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}],
    }
    path.write_text(json.dumps(document))
    return path


def box(image: int, category: int, bbox: list[float], **extra: Any) -> dict[str, Any]:
    return {
        "id": len(bbox) * 1000 + image,
        "image_id": image,
        "category_id": category,
        "bbox": bbox,
        **extra,
    }


def test_coco_boxes_keep_their_pixels_and_report_what_is_left_out(tmp_path: Path) -> None:
    """COCO boxes keep their pixels; clipped, outside, crowd and malformed boxes are reported."""
    annotations = [box(i, 1 + i % 2, [10, 20, 100, 50]) for i in range(5)]
    annotations += [
        {"id": 90, "image_id": 0, "category_id": 1, "bbox": [600, 400, 100, 100]},  # clipped
        {"id": 91, "image_id": 1, "category_id": 1, "bbox": [700, 500, 10, 10]},  # outside
        {"id": 92, "image_id": 2, "category_id": 1, "bbox": [1, 1, 10, 10], "iscrowd": 1},
        {"id": 93, "image_id": 3, "category_id": 7, "bbox": [1, 1, 10, 10]},
        {"id": 94, "image_id": 4, "category_id": 1, "bbox": [1, 1, "wide", 10]},
    ]
    out = tmp_path / "train.manifest"

    report = make_manifest(
        from_coco(coco_file(tmp_path / "c.json", annotations), images_uri=IMAGES), out
    )

    first = lines_of(out)[0]
    assert first["bounding-box"]["annotations"] == [
        {"class_id": 0, "left": 10, "top": 20, "width": 100, "height": 50},
        {"class_id": 0, "left": 600, "top": 400, "width": 40, "height": 80},
    ]
    assert first["bounding-box-metadata"]["class-map"] == {"0": "cat"}
    assert first["bounding-box"]["image_size"] == [{"width": 640, "height": 480, "depth": 3}]
    assert reasons(report) == {
        "img0.jpg: annotation 90": "the box 'cat' reached past the image and was clipped to it",
        "img1.jpg: annotation 91": "the box 'cat' (700, 500, 10 x 10) is outside the "
        "640 x 480 image, or empty",
        "img2.jpg: annotation 92": (
            "a crowd region (iscrowd), which marks many objects, not one box"
        ),
        "img3.jpg: annotation 93": "unknown category_id 7",
        "img4.jpg: annotation 94": (
            "bbox is not [x, y, width, height] in numbers: [1, 1, 'wide', 10]"
        ),
        "img5.jpg": "no bounding box left (the service ignores such lines)",
    }
    assert validate_manifest(out).ok


def test_a_file_that_is_not_coco_is_a_clear_error(tmp_path: Path) -> None:
    """A file that is not JSON, not an object, or has no categories is refused by name."""
    (tmp_path / "bad.json").write_text("{not json")
    (tmp_path / "list.json").write_text("[]")
    (tmp_path / "other.json").write_text('{"images": []}')
    with pytest.raises(ValueError, match="is not JSON"):
        list(from_coco(tmp_path / "bad.json", images_uri=IMAGES))
    with pytest.raises(ValueError, match="a JSON object was expected"):
        list(from_coco(tmp_path / "list.json", images_uri=IMAGES))
    with pytest.raises(ValueError, match="no 'categories' list"):
        list(from_coco(tmp_path / "other.json", images_uri=IMAGES))


# -- Pascal VOC ------------------------------------------------------------------------


def voc_xml(
    name: str, objects: list[tuple[str, int, int, int, int]], size: str = "640 480 3"
) -> str:
    width, height, depth = size.split()
    boxes = "".join(
        f"<object><name>{label}</name><bndbox><xmin>{a}</xmin><ymin>{b}</ymin>"
        f"<xmax>{c}</xmax><ymax>{d}</ymax></bndbox></object>"
        for label, a, b, c, d in objects
    )
    return (
        f"<annotation><filename>{name}</filename><size><width>{width}</width>"
        f"<height>{height}</height><depth>{depth}</depth></size>{boxes}</annotation>"
    )


def test_from_coco_never_leaves_the_collector_off_for_its_caller(tmp_path: Path) -> None:
    """Python's cycle collector is on whenever the caller's code runs, early close or not."""
    import gc  # noqa: PLC0415

    source = coco_file(tmp_path / "c.json", [box(i, 1, [10, 10, 50, 50]) for i in range(6)])
    seen = [gc.isenabled() for _ in from_coco(source, images_uri=IMAGES)]
    assert seen == [True] * 7  # the layout, then an item an image
    reading = from_coco(source, images_uri=IMAGES)
    next(reading)
    assert gc.isenabled()  # held half-read, as a slow consumer holds it
    reading.close()
    assert gc.isenabled()


def test_sizes_past_any_image_are_skipped_by_name(tmp_path: Path) -> None:
    """A COCO or VOC width of 1e20 skips its image with the reason; it crashed the writer."""
    coco = json.loads(coco_file(tmp_path / "c.json", [box(0, 1, [10, 10, 50, 50])]).read_text())
    coco["images"][0]["width"] = 1e20
    coco["annotations"].append(box(1, 1, [10, 10, 50, 50]))
    (tmp_path / "c.json").write_text(json.dumps(coco))
    report = make_manifest(from_coco(tmp_path / "c.json", images_uri=IMAGES), tmp_path / "cm")
    assert ["s3://bkt/images/img1.jpg"] == [
        line["source-ref"] for line in lines_of(tmp_path / "cm")
    ]
    assert "has no usable width and height (1e+20, 480)" in reasons(report)["img0.jpg"]
    folder = tmp_path / "Annotations"
    folder.mkdir()
    (folder / "huge.xml").write_text(voc_xml("h.jpg", [("cat", 1, 1, 9, 9)], "1e20 480 3"))
    (folder / "fine.xml").write_text(voc_xml("f.jpg", [("cat", 1, 1, 9, 9)]))
    report = make_manifest(from_voc(folder, images_uri=IMAGES), tmp_path / "vm")
    assert ["s3://bkt/images/f.jpg"] == [line["source-ref"] for line in lines_of(tmp_path / "vm")]
    assert "has no usable <size>" in reasons(report)["huge.xml"]


@pytest.mark.parametrize(
    "line",
    ["0 1e308 0.5 -1e308 0.2", "0 0.5 0.5 1e308 1e308", "0 1e308 1e308 0.2 0.2"],
    ids=["left-and-width", "width-and-height", "centre"],
)
def test_a_yolo_box_past_finite_numbers_is_skipped(tmp_path: Path, line: str) -> None:
    """A box whose pixels are not finite is skipped; no line ever holds null or infinity."""
    root = yolo_dataset(tmp_path / "ds")
    (root / "labels" / "0.txt").write_text(f"{line}\n0 0.5 0.5 0.2 0.2\n")
    report = make_manifest(from_yolo(root, images_uri=IMAGES), tmp_path / "m")
    text = (tmp_path / "m").read_text()
    assert "null" not in text
    assert "Infinity" not in text
    assert "NaN" not in text
    assert "not in finite numbers" in reasons(report)["labels/0.txt:1"]
    assert 4 == report.training_images


def test_voc_files_become_boxes(tmp_path: Path) -> None:
    """VOC objects become boxes; a box past its image, broken XML, no size are reported."""
    folder = tmp_path / "Annotations"
    folder.mkdir()
    for index in range(4):
        label = "cat" if index % 2 else "dog"
        (folder / f"{index}.xml").write_text(voc_xml(f"{index}.jpg", [(label, 10, 20, 110, 70)]))
    (folder / "past.xml").write_text(voc_xml("p.jpg", [("cat", 600, 400, 700, 500)]))
    (folder / "broken.xml").write_text("<annotation>")
    (folder / "nosize.xml").write_text("<annotation><filename>n.jpg</filename></annotation>")
    out = tmp_path / "train.manifest"

    report = make_manifest(from_voc(folder, images_uri=IMAGES), out)

    assert lines_of(out)[0]["bounding-box"]["annotations"] == [
        {"class_id": 0, "left": 10, "top": 20, "width": 100, "height": 50}
    ]
    found = reasons(report)
    assert (
        found["past.xml: object 0"] == "the box 'cat' reached past the image and was clipped to it"
    )
    assert found["broken.xml"].startswith("not XML:")
    assert found["nosize.xml"] == "has no usable <size> (width and height)"
    assert report.training_images == 5
    assert validate_manifest(out).ok


# -- CSV -------------------------------------------------------------------------------


def test_csv_rows_become_image_level_lines(tmp_path: Path) -> None:
    """CSV rows become image-level lines; the header read, a GIF and a label-less row skipped."""
    rows = [
        "image,label",
        "s3://bkt/a.jpg,cat",
        "b.png,dog,small",
        "c.jpg,cat",
        "d.jpg,dog",
        "e.gif,cat",
        "f.jpg,",
    ]
    source = tmp_path / "labels.csv"
    source.write_text("\n".join(rows) + "\n")
    out = tmp_path / "train.manifest"

    report = make_manifest(from_csv(source, images_uri=IMAGES), out)

    lines = lines_of(out)
    assert lines[0]["source-ref"] == "s3://bkt/a.jpg"
    two = lines[1]
    assert two["source-ref"] == f"{IMAGES}b.png"
    assert [two["label-0-metadata"]["class-name"], two["label-1-metadata"]["class-name"]] == [
        "dog",
        "small",
    ]
    assert reasons(report) == {
        "labels.csv:6": "'e.gif' is not a PNG or JPEG image",
        "labels.csv:7": "'f.jpg' has no label",
    }
    assert report.layout == "csv: an image and its labels a row (header: image, label)"
    assert validate_manifest(out).ok


# -- YOLO ------------------------------------------------------------------------------


def yolo_dataset(root: Path, names: str = "classes") -> Path:
    if names == "classes":
        (root / "classes.txt").parent.mkdir(parents=True, exist_ok=True)
        (root / "classes.txt").write_text("cat\ndog\n")
    else:
        root.mkdir(parents=True, exist_ok=True)
        (root / "data.yaml").write_text("path: .\nnames:\n  0: cat\n  1: dog\n")
    for index in range(4):
        picture(root / "images" / f"{index}.jpg", (200, 100))
        (root / "labels").mkdir(exist_ok=True)
        (root / "labels" / f"{index}.txt").write_text(f"{index % 2} 0.5 0.5 0.5 0.2\n")
    return root


@pytest.mark.parametrize(
    ("file", "text", "boxes", "skipped"),
    [
        (
            "data.yaml",
            "names: {0: person, 2: car, 3: truck}\n",
            ["person", "car", "truck"],
            {"labels/0.txt:2": "class id 1 has no name in data.yaml"},
        ),
        (
            "classes.txt",
            "person\n\ncar\ntruck\n",
            ["person", "car", "truck"],
            {"labels/0.txt:2": "class id 1 has no name: its name in classes.txt is empty"},
        ),
        (
            "data.yaml",
            "names: [person, null, {a: 1}, truck]\n",
            ["person", "truck"],
            {
                "labels/0.txt:2": "class id 1 has no name: its name in data.yaml is None",
                "labels/0.txt:3": "class id 2 has no name: its name in data.yaml is {'a': 1}",
            },
        ),
    ],
    ids=["yaml-mapping-with-a-gap", "classes-with-a-blank-line", "yaml-list-with-non-names"],
)
def test_yolo_class_id_n_is_the_nth_name_and_never_a_made_up_one(
    tmp_path: Path, file: str, text: str, boxes: list[str], skipped: dict[str, str]
) -> None:
    """Class id N is names[N] (blank lines counted); an id without a name is skipped."""
    root = tmp_path / "ds"
    picture(root / "images" / "0.jpg", (200, 100))
    (root / "labels").mkdir()
    (root / "labels" / "0.txt").write_text(
        "".join(f"{class_id} 0.5 0.5 0.2 0.2\n" for class_id in range(4))
    )
    (root / file).write_text(text)
    report = make_manifest(from_yolo(root, images_uri=IMAGES), tmp_path / "m")
    [line] = lines_of(tmp_path / "m")
    class_map = line["bounding-box-metadata"]["class-map"]
    assert boxes == [class_map[str(box["class_id"])] for box in line["bounding-box"]["annotations"]]
    found = reasons(report)
    assert set(skipped) == set(found)
    for where, reason in skipped.items():
        assert found[where].startswith(reason)


@pytest.mark.parametrize("names", ["classes", "yaml"])
def test_yolo_boxes_in_pixels_from_the_real_image_size(tmp_path: Path, names: str) -> None:
    """YOLO fractions become pixels of the real image size; bad classes and lines are reported."""
    root = yolo_dataset(tmp_path / "ds", names)
    picture(root / "images" / "odd.jpg", (300, 300))
    (root / "labels" / "odd.txt").write_text("7 0.5 0.5 0.1 0.1\nnot a box\n0 0.5 0.5 0.2 0.2\n")
    picture(root / "images" / "nolabels.png", (100, 100), "PNG")
    (root / "images" / "fake.jpg").write_bytes(b"GIF89a" + b"\0" * 64)
    out = tmp_path / "train.manifest"

    report = make_manifest(from_yolo(root, images_uri=IMAGES), out)

    first = lines_of(out)[0]
    assert first["bounding-box"]["image_size"] == [{"width": 200, "height": 100, "depth": 3}]
    assert first["bounding-box"]["annotations"] == [
        {"class_id": 0, "left": 50, "top": 40, "width": 100, "height": 20}
    ]
    found = reasons(report)
    assert found["labels/odd.txt:1"] == (
        f"class id 7 has no name in {'classes.txt' if names == 'classes' else 'data.yaml'}"
    )
    assert found["labels/odd.txt:2"] == (
        "expected 'class cx cy w h' or a polygon 'class x1 y1 x2 y2 x3 y3 ...', got 'not a box'"
    )
    assert found["nolabels.png"] == "no label file labels/nolabels.txt"
    assert "fake.jpg is not a readable PNG or JPEG" in found["fake.jpg"]
    assert report.training_images == 5
    assert validate_manifest(out).ok


def _png_claiming(path: Path, width: int, height: int) -> Path:
    """A PNG whose header claims ``width`` x ``height`` (its pixels are a small image's)."""
    import struct  # noqa: PLC0415
    import zlib  # noqa: PLC0415

    data = bytearray(picture(path, (64, 64), "PNG").read_bytes())
    header = struct.pack(">II", width, height) + bytes(data[24:29])
    data[16:29] = header
    data[29:33] = struct.pack(">I", zlib.crc32(b"IHDR" + header))
    path.write_bytes(bytes(data))
    return path


def _mpo(path: Path) -> Path:
    """A JPEG with a second picture behind an MPF index, as phones write a depth map."""
    path.parent.mkdir(parents=True, exist_ok=True)
    first, second = PIL.new("RGB", (200, 100), (1, 2, 3)), PIL.new("RGB", (200, 100), (9, 9, 9))
    first.save(path, format="MPO", save_all=True, append_images=[second])
    return path


def test_an_image_past_pillows_pixel_limit_is_skipped_not_a_crash(tmp_path: Path) -> None:
    """A header claiming 400 million pixels is refused by the service's limits, no bomb."""
    huge = _png_claiming(tmp_path / "ds" / "cat" / "huge.png", 20_000, 20_000)
    with pytest.raises(ValueError, match="20000x20000"):
        image_size(huge)
    picture(tmp_path / "ds" / "cat" / "fine.jpg", (200, 100))
    report = make_manifest(
        from_folders(tmp_path / "ds", images_uri=IMAGES, check_images=True), tmp_path / "m"
    )
    assert ["s3://bkt/images/cat/fine.jpg"] == [
        line["source-ref"] for line in lines_of(tmp_path / "m")
    ]
    assert "is 20000x20000 (each side 64 to 4096 px)" in reasons(report)["cat/huge.png"]
    code, out, err = cli(
        "make-manifest", "folders", str(tmp_path / "ds"), "--images-uri", IMAGES,
        "--manifest", str(tmp_path / "m2"), "--check-images",
    )  # fmt: skip
    assert 1 != code  # it crashed with Pillow's DecompressionBombError
    assert "cat/huge.png" in out
    assert "unexpected" not in err


def test_a_jpeg_with_more_pictures_is_a_jpeg(tmp_path: Path) -> None:
    """A JPEG carrying an MPF index (a depth map) is read as the JPEG it is."""
    assert (200, 100, 3) == image_size(_mpo(tmp_path / "cat" / "depth.jpg"))
    report = make_manifest(
        from_folders(tmp_path, images_uri=IMAGES, check_images=True), tmp_path / "m"
    )
    assert () == report.skipped
    assert 1 == report.training_images


def test_image_size_reads_the_header_and_checks_the_format(tmp_path: Path) -> None:
    """image_size() reads a PNG's header and refuses a GIF whatever its name."""
    assert image_size(picture(tmp_path / "a.png", (64, 80), "PNG")) == (64, 80, 3)
    gif = tmp_path / "b.jpg"
    PIL.new("RGB", (64, 64)).save(gif, "GIF")
    with pytest.raises(ValueError, match="is GIF, not PNG or JPEG"):
        image_size(gif)


# -- splitting and writing -------------------------------------------------------------


def labeled(count: int, label: str) -> list[LabeledImage]:
    return [
        LabeledImage(source_ref=f"s3://bkt/{label}/{i}.jpg", labels=(label,)) for i in range(count)
    ]


def test_the_split_is_stratified_and_the_same_for_the_same_seed(tmp_path: Path) -> None:
    """The test split takes each label's share, keeps single images out, and repeats for a seed."""
    images = labeled(50, "cat") + labeled(10, "dog") + labeled(2, "rare") + labeled(1, "single")
    tested = pick_testing_images(images, 0.2, seed=4)
    assert tested == pick_testing_images(list(reversed(images)), 0.2, seed=4)
    assert tested != pick_testing_images(images, 0.2, seed=5)
    per_label = {
        name: sum(ref.split("/")[3] == name for ref in tested)
        for name in ("cat", "dog", "rare", "single")
    }
    assert per_label == {"cat": 10, "dog": 2, "rare": 1, "single": 0}

    report = make_manifest(
        images, tmp_path / "train.manifest", test_output=tmp_path / "test.manifest", seed=4
    )
    assert report.testing_labels == {"cat": 10, "dog": 2, "rare": 1}
    assert report.training_labels == {"cat": 40, "dog": 8, "rare": 1, "single": 1}


def test_adding_images_keeps_the_test_set_nearly_as_it_was() -> None:
    """Adding images moves only a few of the earlier test images."""
    before = pick_testing_images(labeled(100, "cat") + labeled(100, "dog"), 0.2, seed=1)
    after = pick_testing_images(labeled(110, "cat") + labeled(110, "dog"), 0.2, seed=1)
    assert len(before - after) <= 4  # of 40: only images pushed out by lower-ranked newcomers


def _in_both_sets(images: list[LabeledImage], tested: set[str]) -> dict[str, tuple[int, int]]:
    """Each label of 2 images or more that is not in both sets: (tested, trained)."""
    counts: dict[str, list[int]] = {}
    for image in images:
        for name in image.names:
            counts.setdefault(name, [0, 0])[image.source_ref not in tested] += 1
    return {
        name: (test, train)
        for name, (test, train) in counts.items()
        if test + train >= 2 and not (test and train)
    }


def test_a_label_whose_images_carry_rarer_labels_is_in_both_sets() -> None:
    """A label on images grouped by rarer labels is still tested and trained, every seed."""

    def image(ref: str, *names: str) -> LabeledImage:
        return LabeledImage(source_ref=f"s3://bkt/{ref}.jpg", labels=names)

    # "dog" is on A, B and C; each is grouped by a rarer label, split half and half.
    images = [
        image("A", "dog", "x"), image("D", "x"),
        image("B", "dog", "y"), image("E", "y"),
        image("C", "dog", "z"), image("F", "z"),
    ]  # fmt: skip
    for seed in range(64):
        tested = pick_testing_images(images, 0.5, seed=seed)
        assert {} == _in_both_sets(images, tested), seed


@given(
    shared=st.lists(
        st.sets(st.sampled_from("abcdef"), min_size=1, max_size=4), min_size=0, max_size=30
    ),
    seed=st.integers(0, 1000),
    fraction=st.sampled_from([0.1, 0.2, 0.5, 0.8]),
)
def test_every_label_of_two_images_is_in_both_sets_where_it_can_be(
    shared: list[set[str]], seed: int, fraction: float
) -> None:
    """With each label on two single-label images, multi-label rows never leave one set."""
    images = [
        LabeledImage(source_ref=f"s3://bkt/solo/{name}{index}.jpg", labels=(name,))
        for name in "abcdef"
        for index in range(2)
    ] + [
        LabeledImage(source_ref=f"s3://bkt/multi/{index}.jpg", labels=tuple(sorted(names)))
        for index, names in enumerate(shared)
    ]
    tested = pick_testing_images(images, fraction, seed=seed)
    assert {} == _in_both_sets(images, tested)


def test_a_bad_fraction_is_refused() -> None:
    """A test fraction that is not strictly between 0 and 1 is a ValueError."""
    with pytest.raises(ValueError, match="between 0 and 1"):
        pick_testing_images(labeled(3, "cat"), 1.0)


def test_nothing_is_left_half_written(tmp_path: Path) -> None:
    """A failed run leaves no file behind and a manifest written earlier as it was."""
    broken = [
        *labeled(3, "cat"),
        LabeledImage(source_ref="s3://bkt/x.jpg", boxes=(Box("cat", 1, 1, 9, 9),)),
    ]
    out = tmp_path / "train.manifest"
    with pytest.raises(ValueError, match="needs the image's size"):
        make_manifest(broken, out)
    assert list(tmp_path.iterdir()) == []
    out.write_text("a manifest written earlier\n")
    with pytest.raises(ValueError, match="needs the image's size"):
        make_manifest(broken, out, test_output=tmp_path / "test.manifest")
    assert out.read_text() == "a manifest written earlier\n"  # left as it was
    assert list(tmp_path.iterdir()) == [out]


def test_a_testing_manifest_that_cannot_be_opened_leaves_nothing(tmp_path: Path) -> None:
    """A testing manifest that cannot be opened leaves no training manifest behind."""
    out = tmp_path / "train.manifest"
    images = labeled(3, "cat") + labeled(3, "dog")
    with pytest.raises(FileNotFoundError):
        make_manifest(images, out, test_output=tmp_path / "no" / "such" / "folder" / "t")
    with pytest.raises(RequestValidationError):
        make_manifest(images, out, test_output="s3://b/")
    with pytest.raises(IsADirectoryError, match="is a folder; name the manifest file"):
        make_manifest(images, out, test_output=tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_writes_to_s3(monkeypatch: pytest.MonkeyPatch) -> None:
    """Both manifests are written to S3, valid, with the skipped items reported."""
    with moto_s3(monkeypatch, "bkt") as s3:
        report = make_manifest(
            [*labeled(6, "cat"), *labeled(6, "dog"), Skipped("x", "why")],
            "s3://bkt/m/train.manifest",
            test_output="s3://bkt/m/test.manifest",
            s3_client=s3,
        )
        verdict = validate_manifest(report.training, testing=report.testing, s3_client=s3)
    assert verdict.ok
    assert (report.training_images, report.testing_images) == (10, 2)
    assert [str(item) for item in report.skipped] == ["x: why"]


# -- any valid dataset gives a manifest that passes ------------------------------------

LABELS = st.sampled_from(["cat", "dog", "bird", "cow"])


@st.composite
def coco_documents(draw: st.DrawFn) -> dict[str, Any]:
    count = draw(st.integers(2, 8))
    images, annotations = [], []
    for index in range(count):
        width = draw(st.integers(64, 4096))
        height = draw(st.integers(max(64, -(-width // 20)), min(4096, width * 20)))
        images.append({"id": index, "file_name": f"i{index}.jpg", "width": width, "height": height})
        for number in range(draw(st.integers(1, 3))):
            w, h = draw(st.integers(20, width // 2)), draw(st.integers(20, height // 2))
            x, y = draw(st.integers(0, width - w)), draw(st.integers(0, height - h))
            category = draw(st.integers(1, 2))
            annotations.append(
                {
                    "id": index * 10 + number,
                    "image_id": index,
                    "category_id": category,
                    "bbox": [x, y, w, h],
                }
            )
    return {
        "images": images,
        "annotations": annotations,
        "categories": [{"id": 1, "name": "cat"}, {"id": 2, "name": "dog"}],
    }


SETTINGS = settings(max_examples=25, deadline=None)


@contextmanager
def fresh() -> Iterator[Path]:
    """A new folder for each generated example (tmp_path is shared between them)."""
    with tempfile.TemporaryDirectory() as folder:
        yield Path(folder)


@SETTINGS
@given(document=coco_documents())
def test_any_valid_coco_file_makes_a_valid_manifest(document: dict[str, Any]) -> None:
    """Any valid COCO file gives a manifest that validation passes, nothing skipped."""
    with fresh() as tmp_path:
        source = tmp_path / "c.json"
        source.write_text(json.dumps(document))
        report = make_manifest(from_coco(source, images_uri=IMAGES), tmp_path / "m")
        assert report.skipped == ()
        assert validate_manifest(tmp_path / "m").ok


@SETTINGS
@given(
    rows=st.lists(st.lists(LABELS, min_size=1, max_size=3), min_size=2, max_size=12).filter(
        lambda rows: len({r[0] for r in rows}) >= 2
    )
)
def test_any_valid_csv_makes_a_valid_manifest(rows: list[list[str]]) -> None:
    """Any CSV of s3:// images and labels gives a manifest that validation passes."""
    with fresh() as tmp_path:
        source = tmp_path / "l.csv"
        source.write_text(
            "".join(f"s3://bkt/{i}.jpg,{','.join(labels)}\n" for i, labels in enumerate(rows))
        )
        report = make_manifest(from_csv(source), tmp_path / "m")
        assert report.skipped == ()
        assert validate_manifest(tmp_path / "m").ok


@SETTINGS
@given(
    tree=st.lists(
        st.tuples(LABELS, st.sampled_from([".jpg", ".png", ".JPEG"])), min_size=2, max_size=12
    ).filter(lambda t: len({label for label, _ in t}) >= 2)
)
def test_any_valid_folder_tree_makes_a_valid_manifest(tree: list[tuple[str, str]]) -> None:
    """Any tree of labelled image folders gives a manifest that validation passes."""
    with fresh() as tmp_path:
        root = tmp_path / "tree"
        for index, (label, suffix) in enumerate(tree):
            (root / label).mkdir(parents=True, exist_ok=True)
            (root / label / f"{index}{suffix}").write_bytes(b"")
        report = make_manifest(from_folders(root, images_uri=IMAGES), tmp_path / "m")
        assert report.skipped == ()
        assert report.training_images == len(tree)
        assert validate_manifest(tmp_path / "m").ok


@SETTINGS
@given(document=coco_documents())
def test_any_valid_voc_folder_makes_a_valid_manifest(document: dict[str, Any]) -> None:
    """Any valid Pascal VOC folder gives a manifest that validation passes, nothing skipped."""
    with fresh() as tmp_path:
        folder = tmp_path / "voc"
        folder.mkdir(exist_ok=True)
        names = {1: "cat", 2: "dog"}
        for image in document["images"]:
            objects = [
                (
                    names[a["category_id"]],
                    a["bbox"][0],
                    a["bbox"][1],
                    a["bbox"][0] + a["bbox"][2],
                    a["bbox"][1] + a["bbox"][3],
                )
                for a in document["annotations"]
                if a["image_id"] == image["id"]
            ]
            size = f"{image['width']} {image['height']} 3"
            (folder / f"{image['id']}.xml").write_text(voc_xml(image["file_name"], objects, size))
        report = make_manifest(from_voc(folder, images_uri=IMAGES), tmp_path / "m")
        assert report.skipped == ()
        assert validate_manifest(tmp_path / "m").ok


# -- the command line ------------------------------------------------------------------


def test_make_manifest_command_writes_splits_and_validates(tmp_path: Path) -> None:
    """make-manifest writes both manifests, splits by the seed and reports their validation."""
    annotations = [box(i, 1 + i % 2, [10, 20, 100, 50]) for i in range(6)]
    source = coco_file(tmp_path / "c.json", annotations)
    train, test = tmp_path / "train.manifest", tmp_path / "test.manifest"
    code, out, _ = cli(
        "make-manifest", "coco", str(source), "--images-uri", IMAGES,
        "--manifest", str(train), "--testing-manifest", str(test), "--seed", "3",
    )  # fmt: skip
    result = json.loads(out)
    assert code == 0
    assert (result["training_images"], result["testing_images"]) == (4, 2)
    assert result["validation"]["ok"] is True
    assert result["testing_labels"] == {"cat": 1, "dog": 1}


def test_make_manifest_command_exits_5_when_the_result_would_fail_training(
    tmp_path: Path,
) -> None:
    """make-manifest exits 5 when what it wrote would fail training, saying why."""
    (tmp_path / "ds" / "cat").mkdir(parents=True)
    (tmp_path / "ds" / "cat" / "1.jpg").write_bytes(b"")  # one label: too few to train
    code, out, _ = cli(
        "make-manifest", "folders", str(tmp_path / "ds"), "--images-uri", IMAGES,
        "--manifest", str(tmp_path / "m"), "--output", "text",
    )  # fmt: skip
    assert code == 5
    assert "ERROR_MANIFEST_TOO_FEW_LABELS" in out


def test_make_manifest_command_refuses_bad_input_naming_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """make-manifest refuses a missing images URI, source or bad fraction with exit 2, naming it."""
    code, _, err = cli("make-manifest", "coco", "x.json", "--manifest", "m")
    assert code == 2
    assert "needs --images-uri" in err
    code, _, err = cli(
        "make-manifest", "coco", str(tmp_path / "none.json"), "--images-uri", IMAGES,
        "--manifest", str(tmp_path / "m"),
    )  # fmt: skip
    assert code == 2
    assert "none.json" in err
    assert not (tmp_path / "m").exists()
    code, _, err = cli("make-manifest", "csv", "l.csv", "--manifest", "m", "--test-fraction", "1")
    assert code == 2
    assert "between 0 and 1" in err + capsys.readouterr().err  # argparse writes to sys.stderr


@st.composite
def yolo_trees(
    draw: st.DrawFn,
) -> list[tuple[tuple[int, int], list[tuple[int, float, float, float, float]]]]:
    """Images (their sizes) and their YOLO boxes, normalised, every box inside its image."""
    images = []
    for _ in range(draw(st.integers(1, 5))):
        width = draw(st.integers(64, 400))
        height = draw(st.integers(max(64, -(-width // 20)), min(400, width * 20)))
        boxes = []
        for _ in range(draw(st.integers(1, 3))):
            w, h = draw(st.floats(0.1, 0.5)), draw(st.floats(0.1, 0.5))
            cx = draw(st.floats(w / 2, 1 - w / 2))
            cy = draw(st.floats(h / 2, 1 - h / 2))
            boxes.append((draw(st.integers(0, 1)), cx, cy, w, h))
        images.append(((width, height), boxes))
    return images


@settings(max_examples=15, deadline=None)
@given(tree=yolo_trees())
def test_any_valid_yolo_dataset_makes_a_valid_manifest(
    tree: list[tuple[tuple[int, int], list[tuple[int, float, float, float, float]]]],
) -> None:
    """Any valid YOLO dataset gives a manifest that validation passes, nothing skipped."""
    with fresh() as root:
        (root / "classes.txt").write_text("cat\ndog\n")
        (root / "labels").mkdir()
        for index, (size, boxes) in enumerate(tree):
            picture(root / "images" / f"{index}.png", size, "PNG")
            (root / "labels" / f"{index}.txt").write_text(
                "".join(f"{c} {cx} {cy} {w} {h}\n" for c, cx, cy, w, h in boxes)
            )
        report = make_manifest(from_yolo(root, images_uri=IMAGES), root / "m")
        assert report.skipped == ()
        assert report.training_images == len(tree)
        assert validate_manifest(root / "m").ok


def test_folders_can_check_each_local_image_before_upload(tmp_path: Path) -> None:
    """With check_images, local images training would refuse are skipped with their reason."""
    root = tmp_path / "ds"
    picture(root / "cat" / "good.jpg", (320, 240))
    picture(root / "dog" / "good.png", (320, 240), "PNG")
    picture(root / "dog" / "small.png", (63, 200), "PNG")
    picture(root / "dog" / "wide.jpg", (1344, 64))
    (root / "cat" / "cut.jpg").write_bytes(
        picture(tmp_path / "x.jpg", (320, 240)).read_bytes()[:40]
    )
    PIL.new("RGB", (100, 100)).save(root / "cat" / "gif.jpg", "GIF")

    report = make_manifest(from_folders(root, images_uri=IMAGES, check_images=True), tmp_path / "m")

    assert report.training_labels == {"cat": 1, "dog": 1}
    found = reasons(report)
    assert found["dog/small.png"] == "is 63x200 (each side 64 to 4096 px)"
    assert found["dog/wide.jpg"] == "is 1344x64, an aspect ratio over 20:1"
    assert found["cat/gif.jpg"] == "is GIF, not PNG or JPEG (whatever its name)"
    assert found["cat/cut.jpg"].startswith("is not a readable PNG or JPEG")
    with pytest.raises(ValueError, match="check_images reads local files"):
        list(from_folders("s3://bkt/x/", check_images=True))


def test_yolo_skips_images_training_would_refuse(tmp_path: Path) -> None:
    """YOLO skips an image too small for training, naming its size."""
    root = yolo_dataset(tmp_path / "ds")
    picture(root / "images" / "tiny.jpg", (63, 63))
    (root / "labels" / "tiny.txt").write_text("0 0.5 0.5 0.5 0.5\n")
    report = make_manifest(from_yolo(root, images_uri=IMAGES), tmp_path / "m")
    assert reasons(report)["tiny.jpg"].endswith("is 63x63 (each side 64 to 4096 px)")
    assert report.training_images == 4


def test_voc_and_coco_read_the_real_images_when_given_them(tmp_path: Path) -> None:
    """With a local image folder: real sizes are used, and refused images are left out."""
    images = tmp_path / "JPEGImages"
    picture(images / "0.jpg", (640, 480))
    picture(images / "1.jpg", (320, 240))  # the annotation says 640 x 480
    picture(images / "2.jpg", (63, 63))
    folder = tmp_path / "Annotations"
    folder.mkdir()
    for index in range(4):  # 3.jpg does not exist
        label = "cat" if index % 2 else "dog"
        (folder / f"{index}.xml").write_text(voc_xml(f"{index}.jpg", [(label, 10, 20, 600, 200)]))

    voc = make_manifest(from_voc(folder, images_uri=IMAGES, images=images), tmp_path / "v")

    lines = {line["source-ref"]: line["bounding-box"] for line in lines_of(tmp_path / "v")}
    assert lines[f"{IMAGES}1.jpg"]["image_size"] == [{"width": 320, "height": 240, "depth": 3}]
    assert lines[f"{IMAGES}1.jpg"]["annotations"][0]["width"] == 310  # clipped to 320
    assert lines[f"{IMAGES}0.jpg"]["annotations"][0]["width"] == 590
    found = reasons(voc)
    assert found["1.xml"] == (
        "the annotation says 640x480, but 1.jpg is 320x240: the real size is written, "
        "and the boxes judged against it"
    )
    assert found["2.xml"] == "2.jpg is 63x63 (each side 64 to 4096 px)"
    assert found["3.xml"].startswith("3.jpg cannot be read")
    assert voc.training_images == 2

    annotations = [box(i, 1 + i % 2, [10, 20, 300, 200]) for i in range(4)]
    source = coco_file(tmp_path / "c.json", annotations, images=4)
    for index in range(4):
        (images / f"img{index}.jpg").write_bytes((images / f"{min(index, 2)}.jpg").read_bytes())
    coco = make_manifest(from_coco(source, images_uri=IMAGES, images=images), tmp_path / "c")
    assert coco.training_images == 2
    assert "img2.jpg is 63x63" in reasons(coco)["img2.jpg"]


def test_images_dir_is_only_for_coco_voc_and_csv(tmp_path: Path) -> None:
    """--images-dir with another format is refused with exit 2."""
    code, _, err = cli(
        "make-manifest", "yolo", "ds", "--manifest", str(tmp_path / "m"),
        "--images-uri", IMAGES, "--images-dir", str(tmp_path),
    )  # fmt: skip
    assert code == 2
    assert "--images-dir is for coco, voc and csv" in err


def test_an_unknown_profile_is_a_configuration_error(monkeypatch: pytest.MonkeyPatch) -> None:
    """Building the S3 client fails as the library's error, naming the profile."""
    monkeypatch.setenv("AWS_PROFILE", "no-such-profile")
    with pytest.raises(ConfigurationError, match="no-such-profile"):
        list(from_folders("s3://bkt/x/"))
    with pytest.raises(ConfigurationError, match="no-such-profile"):
        make_manifest(labeled(2, "cat") + labeled(2, "dog"), "s3://bkt/m.manifest")


# -- hostile input ---------------------------------------------------------------------

_ANY_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=4),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner),
    max_leaves=6,
)


def _or_anything(good: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return good | _ANY_JSON


@st.composite
def coco_like_documents(draw: st.DrawFn) -> dict[str, Any]:
    """A COCO file's shape with any JSON value in any of its members."""
    ids = st.integers(1, 3)
    categories = st.fixed_dictionaries(
        {"id": _or_anything(ids), "name": _or_anything(st.sampled_from(["cat", "dog"]))}
    )
    images = st.fixed_dictionaries(
        {
            "id": _or_anything(ids),
            "file_name": _or_anything(st.sampled_from(["a.jpg", "b/c.png", "d.gif"])),
            "width": _or_anything(st.integers(1, 900)),
            "height": _or_anything(st.integers(1, 900)),
        }
    )
    coordinates = st.lists(st.floats(-10, 1000), min_size=4, max_size=4)
    annotations = st.fixed_dictionaries(
        {
            "id": _or_anything(st.integers()),
            "image_id": _or_anything(ids),
            "category_id": _or_anything(ids),
            "bbox": _or_anything(coordinates),
            "iscrowd": _or_anything(st.integers(0, 1)),
        }
    )
    return {
        "images": draw(_or_anything(st.lists(images, max_size=4))),
        "annotations": draw(_or_anything(st.lists(annotations, max_size=6))),
        "categories": draw(_or_anything(st.lists(categories, max_size=3))),
    }


@settings(max_examples=300, deadline=None)
@given(document=coco_like_documents())
def test_any_coco_like_file_is_read_or_refused_by_name(document: dict[str, Any]) -> None:
    """Any COCO-like file is read or refused by name; a label is always a category's name."""
    with fresh() as tmp_path:
        source = tmp_path / "c.json"
        source.write_text(json.dumps(document))
        try:
            items = list(from_coco(source, images_uri=IMAGES))
        except ValueError as error:
            assert str(source) in str(error)
            return
        named = {
            category.get("name")
            for category in document["categories"]
            if isinstance(category, dict) and isinstance(category.get("name"), str)
        }
        assert isinstance(items[0], Layout)
        for item in items[1:]:
            assert isinstance(item, (LabeledImage, Skipped))
            if isinstance(item, LabeledImage):
                assert set(item.names) <= named


def made(kind: str, source: Path, output: Path) -> tuple[int, str]:
    """make-manifest of ``source`` into ``output``: the exit code and what it wrote to stderr."""
    code, _, err = cli(
        "make-manifest", kind, str(source), "--images-uri", IMAGES, "--manifest", str(output)
    )
    return code, err


@pytest.mark.parametrize(
    ("body", "said"),
    [
        (b"\xff\xfea.jpg,cat\n", "l.csv: not UTF-8 text (byte 0xff)"),
        (b'a.jpg,cat\nb.jpg,"' + b"x" * 200_000 + b'"\n', "l.csv:2: field larger than"),
    ],
)
def test_a_csv_file_that_cannot_be_read_is_refused_naming_it(
    tmp_path: Path, body: bytes, said: str
) -> None:
    """A CSV that cannot be read is refused with exit 2, naming it, and nothing is written."""
    source = tmp_path / "l.csv"
    source.write_bytes(body)
    code, err = made("csv", source, tmp_path / "m")
    assert code == 2
    assert said in err
    assert not (tmp_path / "m").exists()


def _alias_bomb(levels: int) -> str:
    """YAML whose last key stands for 9 ** (levels + 1) strings through nested aliases."""
    lines = ["a: &a [x,x,x,x,x,x,x,x,x]"]
    for level in range(levels):
        this, before = chr(98 + level), chr(97 + level)
        lines.append(f"{this}: &{this} [{','.join([f'*{before}'] * 9)}]")
    lines.append(f"names: [*{chr(97 + levels)}]")
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    ("name", "body", "said"),
    [
        ("data.yaml", b"names: [cat, dog\n", "data.yaml is not YAML: expected ',' or ']'"),
        ("data.yaml", b"names: {cat: 0}\n", "data.yaml: the keys of names must be class ids"),
        ("classes.txt", b"\xffcat\n", "classes.txt: not UTF-8 text (byte 0xff)"),
        (  # a billion laughs: nine levels of nine aliases, gigabytes once expanded
            "data.yaml",
            _alias_bomb(levels=8).encode(),
            "data.yaml uses a YAML alias (line 2, column 8); aliases are not read",
        ),
    ],
    ids=["not-yaml", "names-not-by-id", "not-utf8", "alias-bomb"],
)
def test_yolo_class_names_that_cannot_be_read_are_refused_naming_the_file(
    tmp_path: Path, name: str, body: bytes, said: str
) -> None:
    """Class names that cannot be read are refused with exit 2, naming the file."""
    dataset = yolo_dataset(tmp_path / "ds")
    (dataset / "classes.txt").unlink()
    (dataset / name).write_bytes(body)
    code, err = made("yolo", dataset, tmp_path / "m")
    assert code == 2
    assert said in err


def test_a_yolo_label_file_that_is_not_text_skips_its_image(tmp_path: Path) -> None:
    """A label file that is not UTF-8 skips its image with the reason."""
    dataset = yolo_dataset(tmp_path / "ds")
    (dataset / "labels" / "0.txt").write_bytes(b"\xff\xfe\x00")
    report = make_manifest(from_yolo(dataset, images_uri=IMAGES), tmp_path / "m")
    assert reasons(report) == {"labels/0.txt": "is not UTF-8 text (byte 0xff)"}
    assert report.training_images == 3


def test_a_file_name_that_is_not_utf8_is_skipped_not_a_crash(tmp_path: Path) -> None:
    """A name in another encoding (lone surrogates in Python) cannot be an S3 key."""
    for name in (b"cat/\xff.jpg", b"cat/a.jpg", b"dog/b.jpg"):
        path = os.path.join(os.fsencode(tmp_path), b"ds", name)  # noqa: PTH118 - bytes paths
        os.makedirs(os.path.dirname(path), exist_ok=True)  # noqa: PTH103, PTH120
        with open(path, "wb"):  # noqa: PTH123 - a name that is not UTF-8
            pass
    report = make_manifest(from_folders(tmp_path / "ds", images_uri=IMAGES), tmp_path / "m")
    assert reasons(report) == {
        f"{IMAGES}cat/\\udcff.jpg": "its name or a label is not UTF-8 text, as S3 keys and "
        "labels are"
    }
    assert report.training_images == 2


def test_an_output_never_overwrites_the_other_or_the_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two manifests must be two files, and neither may be the dataset's own file."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ValueError, match="testing manifest would be the training manifest"):
        make_manifest(labeled(2, "cat") + labeled(2, "dog"), "m", test_output=tmp_path / "m")
    assert not (tmp_path / "m").exists()
    source = tmp_path / "l.csv"
    source.write_text("a.jpg,cat\nb.jpg,dog\n")
    for flag in ("--manifest", "--testing-manifest"):
        other = "--testing-manifest" if flag == "--manifest" else "--manifest"
        code, _, err = cli(
            "make-manifest", "csv", str(source), "--images-uri", IMAGES,
            flag, "./l.csv", other, "t",
        )  # fmt: skip
        assert code == 2
        assert "./l.csv is the dataset it would be made from" in err
        assert source.read_text() == "a.jpg,cat\nb.jpg,dog\n"


def test_messages_name_the_flags_a_user_typed(tmp_path: Path) -> None:
    """make-manifest's errors and skip reasons say --images-uri, not images_uri."""
    (tmp_path / "cat").mkdir()
    code, _, err = cli("make-manifest", "folders", str(tmp_path), "--manifest", "m")
    assert 2 == code
    assert "a local root needs --images-uri" in err
    assert "images_uri" not in err
    source = tmp_path / "l.csv"
    source.write_text("s3://bkt/a.jpg,cat\ns3://bkt/b.jpg,dog\nc.jpg,cat\n")
    code, out, _ = cli(
        "make-manifest", "csv", str(source), "--manifest", str(tmp_path / "m"),
        "--output", "text",
    )  # fmt: skip
    assert "'c.jpg' is not an s3:// URI, and no --images-uri was given" in out


def test_image_workers_are_bounded(tmp_path: Path) -> None:
    """A thread each: a number no machine can start is refused before any work."""
    path = tmp_path / "m"
    path.write_text("")
    with pytest.raises(ValueError, match="image_workers must be 1 to 1024, got 1025"):
        validate_manifest(path, image_workers=1025)
    code, _, err = cli("validate-manifest", str(path), "--image-workers", "100000000")
    assert code == 2
    assert "--image-workers must be 1 to 1024, got 100000000" in err  # the flag typed


def test_what_is_skipped_is_said_in_a_short_message(tmp_path: Path) -> None:
    """A 5,000-character cell or label line is shown shortened, never whole."""
    source = tmp_path / "l.csv"
    source.write_text("x" * 5000 + ",cat\n" + "y" * 5000 + ".jpg\n")
    dataset = yolo_dataset(tmp_path / "ds")
    (dataset / "labels" / "0.txt").write_text("0 " + "9" * 5000 + " 0.5 0.2 0.2\n")
    made = make_manifest(
        [*from_csv(source, images_uri=IMAGES), *from_yolo(dataset, images_uri=IMAGES)],
        tmp_path / "m",
    )
    assert len(made.skipped) == 4  # the image whose only box line was bad, too
    assert all(len(item.reason) < 200 for item in made.skipped), made.skipped


def test_an_image_given_twice_is_written_once(tmp_path: Path) -> None:
    """Training ignores an image's repeats: the first is kept, the others reported."""
    source = tmp_path / "l.csv"
    source.write_text("a.jpg,cat\nb.jpg,dog\na.jpg,dog\n")
    made = make_manifest(from_csv(source, images_uri=IMAGES), tmp_path / "m")
    assert [line["source-ref"] for line in lines_of(tmp_path / "m")] == [
        f"{IMAGES}a.jpg",
        f"{IMAGES}b.jpg",
    ]
    assert list(reasons(made)) == [f"{IMAGES}a.jpg"]
    assert reasons(made)[f"{IMAGES}a.jpg"].startswith("is listed again")
    assert made.training_labels == {"cat": 1, "dog": 1}
