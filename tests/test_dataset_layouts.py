"""Datasets as their producers write them: each layout read right, or refused by name.

Each dataset is built as its producer writes it (header names, field order, quoting,
separators, BOM and CRLF, relative paths, split folders), from the producers' own
documentation and exports: Roboflow, Ultralytics, CVAT/Darknet, the TensorFlow Object
Detection tutorials, VoTT, Kaggle, labelImg, and the Custom Labels developer guide.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

import pytest
from datasets_made import IMAGES, cli, lines_of, picture, reasons
from hypothesis import given, settings
from hypothesis import strategies as st

from rekog_versions.datasets import (
    TESTING,
    TRAINING,
    LabeledImage,
    Layout,
    Note,
    from_coco,
    from_csv,
    from_folders,
    from_voc,
    from_yolo,
    make_manifest,
)
from rekog_versions.manifests import validate_manifest

if TYPE_CHECKING:
    from pathlib import Path

PIL = pytest.importorskip("PIL.Image", reason="Pillow is in the tests dependency group")


def labels_by_ref(path: Path) -> dict[str, list[str]]:
    """Each line's image-level labels, by source-ref."""
    found: dict[str, list[str]] = {}
    for line in lines_of(path):
        names = [v["class-name"] for k, v in sorted(line.items()) if k.endswith("-metadata")]
        found[line["source-ref"]] = names
    return found


def boxes_by_ref(path: Path) -> dict[str, list[tuple[str, float, float, float, float]]]:
    """Each line's boxes as (label, left, top, width, height), by source-ref."""
    found: dict[str, list[tuple[str, float, float, float, float]]] = {}
    for line in lines_of(path):
        names = line["bounding-box-metadata"]["class-map"]
        found[line["source-ref"]] = [
            (names[str(a["class_id"])], a["left"], a["top"], a["width"], a["height"])
            for a in line["bounding-box"]["annotations"]
        ]
    return found


# -- CSV: one-hot ------------------------------------------------------------------------


def test_roboflow_multi_label_csv_is_one_hot_not_numeric_labels(tmp_path: Path) -> None:
    """Roboflow's _classes.csv (', ' between cells) gives each image the columns whose cell is 1."""
    source = tmp_path / "_classes.csv"
    source.write_text(
        "filename, helmet, no-helmet, no-vest, person, vest\n"
        "ppe_1236_jpg.rf.e8a3fc7bee21d4a55601c40618e02596.jpg, 1, 0, 0, 1, 1\n"
        "ppe_0249_jpg.rf.e87ff2c5ae64e7d90d3691f5c5ce2975.jpg, 1, 0, 1, 1, 0\n"
        "ppe_1155_jpg.rf.00000000000000000000000000000000.jpg, 0, 0, 0, 0, 0\n"
    )
    report = make_manifest(from_csv(source, images_uri=IMAGES), tmp_path / "m")
    assert labels_by_ref(tmp_path / "m") == {
        f"{IMAGES}ppe_1236_jpg.rf.e8a3fc7bee21d4a55601c40618e02596.jpg": [
            "helmet",
            "person",
            "vest",
        ],
        f"{IMAGES}ppe_0249_jpg.rf.e87ff2c5ae64e7d90d3691f5c5ce2975.jpg": [
            "helmet",
            "no-vest",
            "person",
        ],
    }
    assert reasons(report) == {
        "_classes.csv:4": "'ppe_1155_jpg.rf.00000000000000000000000000000000.jpg' has no label "
        "(each label's cell is 0)"
    }
    assert report.layout is not None
    assert report.layout.startswith("csv: one-hot")


def test_kaggle_one_hot_csv_with_a_cell_that_is_not_0_or_1_is_refused(tmp_path: Path) -> None:
    """A one-hot file with a cell of 2 is refused naming the row and column; nothing written."""
    source = tmp_path / "train.csv"
    source.write_text(
        "image_id,healthy,multiple_diseases,rust,scab\nTrain_0.jpg,0,0,1,0\nTrain_1.jpg,1,0,2,0\n"
    )
    code, _, err = cli("make-manifest", "csv", str(source), "--images-uri", IMAGES,
                       "--manifest", str(tmp_path / "m"))  # fmt: skip
    assert code == 2
    assert "train.csv:3: read as one-hot" in err
    assert "the cell of 'rust' is '2'" in err
    assert not (tmp_path / "m").exists()


# -- CSV: one box a row ------------------------------------------------------------------


def test_tensorflow_object_detection_csv_gives_boxes_grouped_by_image(tmp_path: Path) -> None:
    """TF OD / Roboflow CSV rows (BOM, CRLF, rows of one image apart) are one line an image."""
    source = tmp_path / "_annotations.csv"
    rows = [
        "filename,width,height,class,xmin,ymin,xmax,ymax",
        "IMG_2079_jpeg.rf.2094.jpg,640,640,BMTA-bus,0,32,640,582",
        "raccoon-17.jpg,259,194,raccoon,95,60,167,118",
        "IMG_2079_jpeg.rf.2094.jpg,640,640,Bus Line Number,101,60,212,113",
    ]
    source.write_bytes(b"\xef\xbb\xbf" + "\r\n".join(rows).encode() + b"\r\n")
    report = make_manifest(from_csv(source, images_uri=IMAGES), tmp_path / "m")
    assert boxes_by_ref(tmp_path / "m") == {
        f"{IMAGES}IMG_2079_jpeg.rf.2094.jpg": [
            ("BMTA-bus", 0, 32, 640, 550),
            ("Bus Line Number", 101, 60, 111, 53),
        ],
        f"{IMAGES}raccoon-17.jpg": [("raccoon", 95, 60, 72, 58)],
    }
    sizes = [line["bounding-box"]["image_size"][0] for line in lines_of(tmp_path / "m")]
    assert sizes == [
        {"width": 640, "height": 640, "depth": 3},
        {"width": 259, "height": 194, "depth": 3},
    ]
    assert report.skipped == ()
    assert report.layout == (
        "csv: one box a row (header: filename, width, height, class, xmin, ymin, xmax, ymax)"
    )
    assert validate_manifest(tmp_path / "m").ok


def test_vott_csv_reads_quoted_cells_and_takes_sizes_from_the_images(tmp_path: Path) -> None:
    """VoTT's quoted header and URL-encoded names: sizes read from the images on disk."""
    source = tmp_path / "Annotations-export.csv"
    source.write_text(
        '"image","xmin","ymin","xmax","ymax","label"\n'
        '"9k_%20(1).jpg",79.5,3,215,143.5,"Cat_Face"\n'
        '"9k_%20(7).jpg",148,0,248.5,100,"Cat_Face"\n'
        '"9k_%20(7).jpg",148,0,248.5,100,"Whiskers"\n'
    )
    picture(tmp_path / "vott-csv-export" / "9k_%20(1).jpg", (300, 200))
    picture(tmp_path / "vott-csv-export" / "9k_ (7).jpg", (400, 300))  # stored decoded
    with pytest.raises(ValueError, match="but not width and height"):
        list(from_csv(source, images_uri=IMAGES))
    report = make_manifest(
        from_csv(source, images_uri=IMAGES, images=tmp_path / "vott-csv-export"), tmp_path / "m"
    )
    assert boxes_by_ref(tmp_path / "m") == {
        f"{IMAGES}9k_%20(1).jpg": [("Cat_Face", 79.5, 3, 135.5, 140.5)],
        f"{IMAGES}9k_ (7).jpg": [  # the name the file has, here and in S3
            ("Cat_Face", 148, 0, 100.5, 100),
            ("Whiskers", 148, 0, 100.5, 100),
        ],
    }
    assert report.skipped == ()


@pytest.mark.parametrize(
    ("text", "said"),
    [
        (
            "filename,width,height,class,xmin,ymin,xmax\na.jpg,10,10,cat,1,1,5\n",
            "names box columns, but not ymax",
        ),
        (
            "filename,width,height,xmin,ymin,xmax,ymax\na.jpg,10,10,1,1,5,5\n",
            "but not a label column (class)",
        ),
        ("a.jpg,51,86,65,109,with_mask\n", "reads as a box without a header"),
        ("photo,cat,dog\na.jpg,650,417\n", "its labels are numbers ('650, 417') under a header"),
    ],
    ids=["box-header-without-ymax", "box-header-without-label", "retinanet-rows", "unknown-header"],
)
def test_a_csv_that_fits_no_layout_is_refused_never_numeric_labels(
    tmp_path: Path, text: str, said: str
) -> None:
    """A CSV whose header or rows fit no layout exits 2 naming the file and the layouts read."""
    source = tmp_path / "l.csv"
    source.write_text(text)
    code, _, err = cli("make-manifest", "csv", str(source), "--images-uri", IMAGES,
                       "--manifest", str(tmp_path / "m"))  # fmt: skip
    assert code == 2
    assert said in err
    assert "l.csv" in err
    assert "CSV page" in err
    assert not (tmp_path / "m").exists()


def test_numeric_labels_under_a_label_header_stay_labels(tmp_path: Path) -> None:
    """Digits are labels where the header says so (image,label), as in a digit classifier."""
    source = tmp_path / "digits.csv"
    source.write_text("image,label\ns3://bkt/a.jpg,3\ns3://bkt/b.jpg,7\n")
    make_manifest(from_csv(source), tmp_path / "m")
    assert labels_by_ref(tmp_path / "m") == {"s3://bkt/a.jpg": ["3"], "s3://bkt/b.jpg": ["7"]}


BOXES = st.lists(
    st.tuples(
        st.sampled_from(["cat", "dog", "traffic light"]),
        st.integers(0, 500),
        st.integers(0, 300),
        st.integers(1, 139),
        st.integers(1, 99),
    ),
    min_size=1,
    max_size=4,
)


@settings(max_examples=40, deadline=None)
@given(images=st.lists(BOXES, min_size=1, max_size=5))
def test_the_coco_and_the_csv_box_readers_agree(
    images: list[list[tuple[str, int, int, int, int]]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """The same boxes written as COCO and as TF-OD CSV rows give the same manifest."""
    folder = tmp_path_factory.mktemp("same")
    names = ["cat", "dog", "traffic light"]
    coco = {
        "images": [
            {"id": i, "file_name": f"{i}.jpg", "width": 640, "height": 400}
            for i in range(len(images))
        ],
        "annotations": [
            {"id": n, "image_id": i, "category_id": names.index(b[0]), "bbox": list(b[1:])}
            for i, boxes in enumerate(images)
            for n, b in enumerate(boxes)
        ],
        "categories": [{"id": n, "name": name} for n, name in enumerate(names)],
    }
    (folder / "c.json").write_text(json.dumps(coco))
    rows = ["filename,width,height,class,xmin,ymin,xmax,ymax"] + [
        f"{i}.jpg,640,400,{label},{x},{y},{x + w},{y + h}"
        for i, boxes in enumerate(images)
        for label, x, y, w, h in boxes
    ]
    (folder / "b.csv").write_text("\n".join(rows) + "\n")
    when = {"created": __import__("datetime").datetime(2026, 1, 1)}
    make_manifest(from_coco(folder / "c.json", images_uri=IMAGES), folder / "coco.m", **when)
    make_manifest(from_csv(folder / "b.csv", images_uri=IMAGES), folder / "csv.m", **when)
    assert boxes_by_ref(folder / "coco.m") == boxes_by_ref(folder / "csv.m")
    assert lines_of(folder / "coco.m") == lines_of(folder / "csv.m")  # 10 == 10.0


# -- folders -----------------------------------------------------------------------------


def test_nested_folders_are_labelled_as_the_console_labels_them(tmp_path: Path) -> None:
    """The developer guide's own tree: white-echo-dot images are echo-dot; root images skipped."""
    root = tmp_path / "alexa-devices"
    for key in (
        "echo/echo-image-1.png",
        "echo/echo-image-2.png",
        "echo-dot/white-echo-dot/white-echo-dot-image-1.png",
        "echo-dot/echo-dot-image-1.png",
        "root-image.png",
    ):
        (root / key).parent.mkdir(parents=True, exist_ok=True)
        (root / key).write_bytes(b"")
    uri = "s3://bkt/alexa-devices/"
    first = make_manifest(from_folders(root, images_uri=uri), tmp_path / "first")
    assert labels_by_ref(tmp_path / "first") == {
        f"{uri}echo-dot/echo-dot-image-1.png": ["echo-dot"],
        f"{uri}echo-dot/white-echo-dot/white-echo-dot-image-1.png": ["echo-dot"],
        f"{uri}echo/echo-image-1.png": ["echo"],
        f"{uri}echo/echo-image-2.png": ["echo"],
    }
    assert list(reasons(first)) == ["root-image.png"]
    code, out, _ = cli("make-manifest", "folders", str(root), "--images-uri", uri,
                       "--label-folder", "deepest", "--manifest", str(tmp_path / "deep"),
                       "--output", "text")  # fmt: skip
    assert code == 0
    assert "read as: folders: the folder that holds the image is the label" in out
    deepest = labels_by_ref(tmp_path / "deep")
    assert deepest[f"{uri}echo-dot/white-echo-dot/white-echo-dot-image-1.png"] == ["white-echo-dot"]


def test_label_folder_is_only_for_folders(tmp_path: Path) -> None:
    """--label-folder with another format, or a made-up value, exits 2."""
    code, _, err = cli("make-manifest", "csv", "l.csv", "--label-folder", "first",
                       "--manifest", str(tmp_path / "m"))  # fmt: skip
    assert (code, "--label-folder is for folders" in err) == (2, True)
    with pytest.raises(ValueError, match="label_folder is first or deepest, not 'last'"):
        list(from_folders(tmp_path, images_uri=IMAGES, label_folder="last"))  # type: ignore[arg-type]  # pyright: ignore[reportArgumentType]


# -- YOLO layouts ------------------------------------------------------------------------


def _label(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def roboflow_yolo(root: Path, *, test: bool = True) -> Path:
    """A Roboflow YOLOv8 export: data.yaml with ../ paths, train/ valid/ test/ splits."""
    root.mkdir(parents=True)
    (root / "data.yaml").write_text(
        "train: ../train/images\nval: ../valid/images\n"
        + ("test: ../test/images\n" if test else "")
        + "\nnc: 2\nnames: ['cat', 'dog']\n\nroboflow:\n  workspace: Anshu's Vision Space\n"
        "  project: pets\n  version: 6\n  license: CC BY 4.0\n"
    )
    (root / "README.roboflow.txt").write_text("exported via roboflow.com\n")
    for split, count in (("train", 4), ("valid", 2), ("test", 2 if test else 0)):
        for index in range(count):
            stem = f"{split}{index}_jpg.rf.{index:032x}"
            picture(root / split / "images" / f"{stem}.jpg")
            _label(root / split / "labels" / f"{stem}.txt", f"{index % 2} 0.5 0.5 0.5 0.5\n")
        if count:
            (root / split / "labels.cache").write_bytes(b"\x80\x04")
    return root


def test_roboflow_yolo_export_keeps_its_own_splits(tmp_path: Path) -> None:
    """train -> training, valid and test -> testing; the report says which rule was used."""
    root = roboflow_yolo(tmp_path / "export")
    report = make_manifest(
        from_yolo(root, images_uri="s3://bkt/export/"),
        tmp_path / "train",
        test_output=tmp_path / "test",
    )
    train = sorted(line["source-ref"] for line in lines_of(tmp_path / "train"))
    test = sorted(line["source-ref"] for line in lines_of(tmp_path / "test"))
    assert all(ref.startswith("s3://bkt/export/train/images/train") for ref in train)
    assert len(train) == 4
    assert [ref.split("/")[4] for ref in test] == ["test", "test", "valid", "valid"]
    assert report.split == "the dataset's own (train -> training; val, test -> testing)"
    assert report.layout == "yolo: data.yaml with train:, val:, test:"
    assert report.skipped == ()
    assert validate_manifest(tmp_path / "train", testing=tmp_path / "test").ok


def test_a_split_left_out_is_reported_and_never_trained_on(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """testing_splits=("val",) leaves test/ out; without a testing manifest, valid/ too."""
    root = roboflow_yolo(tmp_path / "export")
    only_val = make_manifest(
        from_yolo(root, images_uri=IMAGES, testing_splits=("val",)),
        tmp_path / "train",
        test_output=tmp_path / "test",
    )
    assert only_val.testing_images == 2
    left = reasons(only_val)
    assert len(left) == 2
    assert all(
        r == "in the dataset's test split, which testing_splits leaves out" for r in left.values()
    )
    one = make_manifest(from_yolo(root, images_uri=IMAGES), tmp_path / "one")
    assert one.training_images == 4
    assert one.split.endswith("its testing images left out")
    assert sum("own testing split" in reason for reason in reasons(one).values()) == 4
    code, _, _ = cli("make-manifest", "yolo", str(root), "--images-uri", IMAGES,
                     "--testing-splits", "valid", "--manifest", str(tmp_path / "x"))  # fmt: skip
    assert code == 2
    assert "'valid': give val, test (comma-separated) or none" in capsys.readouterr().err


def test_ultralytics_data_yaml_with_path_and_a_list_file(tmp_path: Path) -> None:
    """path: and train: images/train (a folder), val: val.txt listing ./images/val/ files."""
    root = tmp_path / "coco8"
    for split in ("train", "val"):
        for index in range(3):
            picture(root / "images" / split / f"{index}.jpg")
            _label(
                root / "labels" / split / f"{index}.txt", "0 0.5 0.5 0.2 0.2\n1 0.25 0.25 0.1 0.1\n"
            )
    (root / "val.txt").write_text("".join(f"./images/val/{i}.jpg\n" for i in range(3)))
    config = tmp_path / "cfg"
    config.mkdir()
    (config / "data.yaml").write_text(
        "path: ../coco8 # dataset root dir\ntrain: images/train\nval: val.txt\ntest: # none\n"
        "names:\n  0: person\n  1: bicycle\n"
    )
    (config / "images").mkdir()  # an images/ folder beside it does not make it the plain layout
    report = make_manifest(
        from_yolo(config, images_uri="s3://bkt/coco8/"),
        tmp_path / "tr",
        test_output=tmp_path / "te",
    )
    assert (report.training_images, report.testing_images) == (3, 3)
    assert boxes_by_ref(tmp_path / "te")["s3://bkt/coco8/images/val/0.jpg"] == [
        ("person", 80, 40, 40, 20),
        ("bicycle", 40, 20, 20, 10),
    ]


def test_cvat_yolo_1_1_export_is_read_with_its_data_prefix(tmp_path: Path) -> None:
    """obj.data and train.txt name data/... paths; labels sit beside the images."""
    root = tmp_path / "cvat"
    root.mkdir()
    (root / "obj.data").write_text(
        "classes = 2\ntrain = data/train.txt\nnames = data/obj.names\nbackup = backup/\n"
    )
    (root / "obj.names").write_text("cat\ndog\n")
    (root / "train.txt").write_text(
        "".join(f"data/obj_train_data/frame_{i:06d}.jpg\n" for i in range(3))
    )
    for index in range(3):
        picture(root / "obj_train_data" / f"frame_{index:06d}.jpg")
        _label(
            root / "obj_train_data" / f"frame_{index:06d}.txt",
            f"{index % 2} 0.500000 0.500000 0.500000 0.500000\n",
        )
    report = make_manifest(from_yolo(root, images_uri="s3://bkt/cvat/"), tmp_path / "m")
    assert report.training_images == 3
    assert report.layout == "yolo: Darknet's obj.data and obj.names"
    assert boxes_by_ref(tmp_path / "m")["s3://bkt/cvat/obj_train_data/frame_000001.jpg"] == [
        ("dog", 50, 25, 100, 50)
    ]


def test_segmentation_polygons_and_oriented_boxes_become_enclosing_boxes(tmp_path: Path) -> None:
    """A polygon and an OBB line are read as their enclosing boxes, said once; a box stays a box."""
    root = tmp_path / "ds"
    (root / "classes.txt").parent.mkdir(parents=True)
    (root / "classes.txt").write_text("leaf\nspot\n")
    picture(root / "images" / "a.jpg", (200, 100))
    _label(
        root / "labels" / "a.txt",
        "0 0.1 0.2 0.3 0.2 0.2 0.6\n"  # a triangle
        "1 0.5 0.5 0.9 0.5 0.9 0.9 0.5 0.9\n"  # an oriented box (four corners)
        "0 0.5 0.5 0.2 0.2\n"  # a box, in the same file
        "1 0.1 0.2 0.3 0.4 0.5 0.6\n",
    )
    picture(root / "images" / "b.jpg", (200, 100))
    _label(root / "labels" / "b.txt", "0 0.1 0.1 0.3 0.1 0.3 0.3\n1 0.1 0.2 0.3 0.4 0.5 0.6 0.7\n")
    items = list(from_yolo(root, images_uri=IMAGES))
    notes = [item for item in items if isinstance(item, Note)]
    assert len(notes) == 1
    assert "enclose" in notes[0].text
    report = make_manifest(iter(items), tmp_path / "m")
    assert boxes_by_ref(tmp_path / "m")[f"{IMAGES}a.jpg"] == [
        ("leaf", 20, 20, 40, 40),
        ("spot", 100, 50, 80, 40),
        ("leaf", 80, 40, 40, 20),
        ("spot", 20, 20, 80, 40),
    ]
    assert reasons(report) == {
        "labels/b.txt:2": "expected 'class cx cy w h' or a polygon 'class x1 y1 x2 y2 x3 y3 ...', "
        "got '1 0.1 0.2 0.3 0.4 0.5 0.6 0.7'"
    }
    assert report.notes == (notes[0].text,)


def test_a_folder_of_no_yolo_layout_is_refused_naming_the_layouts(tmp_path: Path) -> None:
    """A folder with neither images/, data.yaml's train: nor obj.data exits 2, naming them."""
    (tmp_path / "ds").mkdir()
    (tmp_path / "ds" / "x.jpg").write_bytes(b"")
    code, _, err = cli("make-manifest", "yolo", str(tmp_path / "ds"), "--images-uri", IMAGES,
                       "--manifest", str(tmp_path / "m"))  # fmt: skip
    assert code == 2
    assert "is not a YOLO layout read" in err
    assert "Darknet's obj.data" in err
    assert "YOLO page" in err


# -- COCO and VOC choices ----------------------------------------------------------------


def _coco(path: Path, annotations: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps({
        "images": [{"id": 0, "file_name": "a.jpg", "width": 640, "height": 480}],
        "annotations": annotations,
        "categories": [
            {"id": 0, "name": "pets", "supercategory": "none"},
            {"id": 1, "name": "cat", "supercategory": "pets"},
        ],
    }))  # fmt: skip
    return path


def test_coco_bbox_numbers_written_as_strings_are_read_as_numbers(tmp_path: Path) -> None:
    """bbox ["996.0000", ...] is a box; a string that is not a number is a skipped box."""
    source = _coco(tmp_path / "_annotations.coco.json", [
        {"id": 1, "image_id": 0, "category_id": 1, "bbox": ["96.0000", "50", "100.5", "20"]},
        {"id": 2, "image_id": 0, "category_id": 1, "bbox": ["ten", "50", "100", "20"]},
        {"id": 3, "image_id": 0, "category_id": 1, "bbox": ["nan", "50", "100", "20"]},
    ])  # fmt: skip
    report = make_manifest(from_coco(source, images_uri=IMAGES), tmp_path / "m")
    assert boxes_by_ref(tmp_path / "m") == {f"{IMAGES}a.jpg": [("cat", 96, 50, 100.5, 20)]}
    assert set(reasons(report)) == {"a.jpg: annotation 2", "a.jpg: annotation 3"}


def test_coco_crowds_are_skipped_unless_kept(tmp_path: Path) -> None:
    """iscrowd regions are skipped by default and kept as boxes with --keep-crowds."""
    source = _coco(tmp_path / "c.json", [
        {"id": 1, "image_id": 0, "category_id": 1, "bbox": [10, 10, 50, 50]},
        {"id": 2, "image_id": 0, "category_id": 1, "bbox": [100, 100, 200, 200], "iscrowd": 1,
         "segmentation": {"size": [480, 640], "counts": [0, 5]}},
    ])  # fmt: skip
    skipped = make_manifest(from_coco(source, images_uri=IMAGES), tmp_path / "m")
    assert "a crowd region" in reasons(skipped)["a.jpg: annotation 2"]
    code, out, _ = cli("make-manifest", "coco", str(source), "--images-uri", IMAGES,
                       "--keep-crowds", "--manifest", str(tmp_path / "k"),
                       "--output", "json")  # fmt: skip
    assert code == 0
    assert json.loads(out)["layout"].endswith("crowds kept as boxes")
    assert len(boxes_by_ref(tmp_path / "k")[f"{IMAGES}a.jpg"]) == 2
    code, _, err = cli("make-manifest", "voc", str(tmp_path), "--images-uri", IMAGES,
                       "--keep-crowds", "--manifest", str(tmp_path / "v"))  # fmt: skip
    assert (code, "--keep-crowds is for coco" in err) == (2, True)


def _voc(path: Path, objects: list[tuple[str, int]]) -> None:
    body = "".join(
        f"<object><name>{name}</name><pose>Unspecified</pose><truncated>1</truncated>"
        f"<difficult>{difficult}</difficult><bndbox><xmin>10</xmin><ymin>10</ymin>"
        f"<xmax>60</xmax><ymax>40</ymax></bndbox></object>"
        for name, difficult in objects
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        f"<annotation><folder>images</folder><filename>{path.stem}.jpg</filename>"
        f"<size><width>200</width><height>100</height><depth>3</depth></size>{body}</annotation>"
    )


def test_voc_difficult_objects_are_kept_and_counted_or_left_out(tmp_path: Path) -> None:
    """labelImg's <difficult>1</difficult>: kept and counted by default, left out if asked."""
    _voc(tmp_path / "xml" / "a.xml", [("cat", 0), ("dog", 1)])
    _voc(tmp_path / "xml" / "b.xml", [("cat", 1), ("dog", 0)])
    kept = make_manifest(from_voc(tmp_path / "xml", images_uri=IMAGES), tmp_path / "k")
    assert kept.notes == (
        (
            "2 objects marked <difficult> were kept as boxes (skip_difficult, or "
            "--skip-difficult, leaves them out)"
        ),
    )
    assert sum(len(b) for b in boxes_by_ref(tmp_path / "k").values()) == 4
    code, out, _ = cli("make-manifest", "voc", str(tmp_path / "xml"), "--images-uri", IMAGES,
                       "--skip-difficult", "--manifest", str(tmp_path / "s"),
                       "--output", "text")  # fmt: skip
    assert code == 0
    assert "objects marked difficult skipped" in out
    assert boxes_by_ref(tmp_path / "s") == {
        f"{IMAGES}a.jpg": [("cat", 10, 10, 50, 30)],
        f"{IMAGES}b.jpg": [("dog", 10, 10, 50, 30)],
    }


# -- what every reader says --------------------------------------------------------------


def test_every_reader_says_its_layout_first(tmp_path: Path) -> None:
    """Each reader's first item is its Layout, which the report and the command name."""
    source = tmp_path / "l.csv"
    source.write_text("s3://bkt/a.jpg,cat\ns3://bkt/b.jpg,dog\n")
    first = next(iter(from_csv(source)))
    assert first == Layout("csv: an image and its labels a row (no header)")
    code, out, _ = cli("make-manifest", "csv", str(source), "--manifest", str(tmp_path / "m"),
                       "--testing-manifest", str(tmp_path / "t"), "--output", "text")  # fmt: skip
    assert code in (0, 5)
    assert out.startswith(
        "read as: csv: an image and its labels a row (no header)\nsplit: stratified"
    )


def test_split_values_are_the_two_manifests() -> None:
    """A LabeledImage's split is TRAINING or TESTING, and None by default."""
    assert (TRAINING, TESTING) == ("training", "testing")
    assert LabeledImage(source_ref="s3://bkt/a.jpg", labels=("x",)).split is None


def test_a_voc_folder_without_xml_is_refused_pointing_at_annotations(tmp_path: Path) -> None:
    """A VOC2012/ root (its XML in Annotations/) exits 2, naming the folder to give."""
    _voc(tmp_path / "VOC2012" / "Annotations" / "a.xml", [("cat", 0)])
    code, _, err = cli("make-manifest", "voc", str(tmp_path / "VOC2012"), "--images-uri", IMAGES,
                       "--manifest", str(tmp_path / "m"))  # fmt: skip
    assert code == 2
    assert "has no .xml file (its Annotations/ folder holds them?)" in err
    assert "Pascal VOC page" in err


def test_a_json_file_of_no_coco_layout_is_refused_naming_the_layout(tmp_path: Path) -> None:
    """A JSON object without COCO's lists exits 2, naming the file and the lists it needs."""
    (tmp_path / "c.json").write_text('{"images": []}')
    code, _, err = cli("make-manifest", "coco", str(tmp_path / "c.json"), "--images-uri", IMAGES,
                       "--manifest", str(tmp_path / "m"))  # fmt: skip
    assert code == 2
    assert "is not a COCO instances file: no 'categories' list" in err
    assert "COCO page" in err


def test_data_yaml_names_keyed_by_strings_are_class_ids(tmp_path: Path) -> None:
    """names: {'0': cat, '1': dog}, as Ultralytics reads it: the ids written as strings."""
    root = tmp_path / "ds"
    root.mkdir()
    (root / "data.yaml").write_text("names:\n  '0': cat\n  '1': dog\n")
    picture(root / "images" / "a.jpg")
    _label(root / "labels" / "a.txt", "1 0.5 0.5 0.5 0.5\n")
    make_manifest(from_yolo(root, images_uri=IMAGES), tmp_path / "m")
    assert boxes_by_ref(tmp_path / "m") == {f"{IMAGES}a.jpg": [("dog", 50, 25, 100, 50)]}


@settings(max_examples=40, deadline=None)
@given(
    table=st.lists(
        st.lists(st.booleans(), min_size=3, max_size=3).filter(any), min_size=1, max_size=6
    )
)
def test_a_one_hot_row_gives_the_labels_whose_cell_is_1(
    table: list[list[bool]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """Any one-hot table gives each image exactly the columns whose cell is 1."""
    folder = tmp_path_factory.mktemp("hot")
    names = ["Tahap Akhir", "no-helmet", "person"]
    rows = ["filename, " + ", ".join(names)]
    rows += [
        f"{i}.jpg, " + ", ".join("1" if c else "0" for c in cells) for i, cells in enumerate(table)
    ]
    (folder / "_classes.csv").write_text("\r\n".join(rows) + "\r\n")
    make_manifest(from_csv(folder / "_classes.csv", images_uri=IMAGES), folder / "m")
    assert labels_by_ref(folder / "m") == {
        f"{IMAGES}{i}.jpg": sorted(n for n, c in zip(names, cells, strict=True) if c)
        for i, cells in enumerate(table)
    }


@settings(max_examples=40, deadline=None)
@given(
    points=st.lists(
        st.tuples(st.integers(0, 200), st.integers(0, 100)), min_size=3, max_size=8
    ).filter(lambda p: len({x for x, _ in p}) > 1 and len({y for _, y in p}) > 1)
)
def test_a_polygon_reads_as_the_box_line_of_its_bounds(
    points: list[tuple[int, int]], tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A polygon's line gives the box that the 'class cx cy w h' line of its bounds gives."""
    root = tmp_path_factory.mktemp("seg")
    (root / "classes.txt").write_text("leaf\n")
    picture(root / "images" / "poly.jpg", (200, 100))
    picture(root / "images" / "box.jpg", (200, 100))
    xs, ys = [x / 200 for x, _ in points], [y / 100 for _, y in points]
    polygon = " ".join(f"{x} {y}" for x, y in zip(xs, ys, strict=True))
    _label(root / "labels" / "poly.txt", f"0 {polygon}\n")
    cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    _label(root / "labels" / "box.txt", f"0 {cx} {cy} {max(xs) - min(xs)} {max(ys) - min(ys)}\n")
    make_manifest(from_yolo(root, images_uri=IMAGES), root / "m")
    found = boxes_by_ref(root / "m")
    assert found[f"{IMAGES}poly.jpg"] == found[f"{IMAGES}box.jpg"]


# -- what a review found -------------------------------------------------------------


def test_label_named_columns_of_0_and_1_are_one_hot_not_labels(tmp_path: Path) -> None:
    """image,class_0,class_1,class_2 over 0/1 cells is one-hot; it gave labels "0" and "1"."""
    source = tmp_path / "l.csv"
    source.write_text("image,class_0,class_1,class_2\na.jpg,0,1,0\nb.jpg,1,0,1\n")
    report = make_manifest(from_csv(source, images_uri=IMAGES), tmp_path / "m")
    assert labels_by_ref(tmp_path / "m") == {
        f"{IMAGES}a.jpg": ["class_1"],
        f"{IMAGES}b.jpg": ["class_0", "class_2"],
    }
    assert report.layout is not None
    assert report.layout.startswith("csv: one-hot")


def test_dot_segments_never_reach_an_s3_key(tmp_path: Path) -> None:
    """./a.jpg is a.jpg, lists/../images/b.jpg is images/b.jpg; ../c.jpg is skipped."""
    source = tmp_path / "l.csv"
    source.write_text("./a.jpg,cat\nx/../b.jpg,dog\n../c.jpg,cat\n")
    report = make_manifest(from_csv(source, images_uri=IMAGES), tmp_path / "m")
    assert sorted(labels_by_ref(tmp_path / "m")) == [f"{IMAGES}a.jpg", f"{IMAGES}b.jpg"]
    assert reasons(report) == {"l.csv:3": "'../c.jpg': its path leaves the images' folder "
                               "('..'), so its place in S3 is not known"}  # fmt: skip
    root = tmp_path / "ds"
    picture(root / "images" / "train" / "a.jpg")
    _label(root / "labels" / "train" / "a.txt", "0 0.5 0.5 0.5 0.5\n")
    _label(root / "lists" / "train.txt", "../images/train/a.jpg\n")
    (root / "data.yaml").write_text("train: lists/train.txt\nnames: [cat]\n")
    make_manifest(from_yolo(root, images_uri=IMAGES), tmp_path / "y")
    assert list(boxes_by_ref(tmp_path / "y")) == [f"{IMAGES}images/train/a.jpg"]


@pytest.mark.parametrize(
    ("bbox", "said"),
    [
        ("[" + "9" * 400 + ", 1, 2, 3]", "bbox is not [x, y, width, height] in numbers"),
        ("[" + "9" * 5000 + ", 1, 2, 3]", "is not JSON: Exceeds the limit"),
    ],
    ids=["past-a-float", "past-python's-digits"],
)
def test_a_coco_integer_past_any_float_is_refused_by_name(
    tmp_path: Path, bbox: str, said: str
) -> None:
    """A bbox integer of 400 digits is a skipped box, one of 5000 a refused file; no crash."""
    source = tmp_path / "c.json"
    source.write_text(
        '{"images": [{"id": 0, "file_name": "a.jpg", "width": 64, "height": 64}],'
        ' "categories": [{"id": 1, "name": "cat"}], "annotations": ['
        '{"id": 1, "image_id": 0, "category_id": 1, "bbox": [1, 1, 5, 5]},'
        f' {{"id": 2, "image_id": 0, "category_id": 1, "bbox": {bbox}}}]}}'
    )
    code, out, err = cli("make-manifest", "coco", str(source), "--images-uri", IMAGES,
                         "--manifest", str(tmp_path / "m"), "--output", "text")  # fmt: skip
    assert said in out + err
    assert code in (0, 2, 5)
    if code == 2:
        assert str(source) in err


def test_pose_labels_give_their_boxes_not_their_keypoints(tmp_path: Path) -> None:
    """With kpt_shape, 'class cx cy w h' then keypoints is the box; it read as a polygon."""
    root = tmp_path / "pose"
    root.mkdir()
    (root / "data.yaml").write_text("kpt_shape: [2, 2]\nnames: [person]\n")
    picture(root / "images" / "a.jpg", (200, 200))
    _label(root / "labels" / "a.txt", "0 0.5 0.5 0.2 0.2 0.05 0.05 0.95 0.95\n")
    report = make_manifest(from_yolo(root, images_uri=IMAGES), tmp_path / "m")
    assert boxes_by_ref(tmp_path / "m") == {f"{IMAGES}a.jpg": [("person", 80, 80, 40, 40)]}
    assert "keypoints left out" in report.notes[0]


def test_a_byte_order_mark_is_never_part_of_a_class_name(tmp_path: Path) -> None:
    """obj.names written with a BOM (and CRLF) names class 0 'cat', not '\\ufeffcat'."""
    root = tmp_path / "cvat"
    root.mkdir()
    (root / "obj.names").write_bytes(b"\xef\xbb\xbfcat\r\ndog\r\n")
    (root / "train.txt").write_text("obj_train_data/a.jpg\n")
    picture(root / "obj_train_data" / "a.jpg")
    (root / "obj_train_data" / "a.txt").write_bytes(b"\xef\xbb\xbf0 0.5 0.5 0.5 0.5\r\n")
    make_manifest(from_yolo(root, images_uri=IMAGES), tmp_path / "m")
    assert boxes_by_ref(tmp_path / "m")[f"{IMAGES}obj_train_data/a.jpg"][0][0] == "cat"


def test_a_relative_dataset_path_with_absolute_splits_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """data.yaml's absolute train: under a dataset given relatively: every image was refused."""
    root = roboflow_yolo(tmp_path / "export", test=False)
    (root / "data.yaml").write_text(
        f"train: {root}/train/images\nval: {root}/valid/images\nnames: [cat, dog]\n"
    )
    monkeypatch.chdir(tmp_path)
    report = make_manifest(
        from_yolo("export", images_uri=IMAGES), tmp_path / "tr", test_output=tmp_path / "te"
    )
    assert (report.training_images, report.testing_images, report.skipped) == (4, 2, ())


def test_a_fifo_is_sent_nothing_when_the_run_fails(tmp_path: Path) -> None:
    """A reader failing half-way sends no line into a FIFO (it sent those before it)."""
    import os  # noqa: PLC0415

    source = tmp_path / "l.csv"
    source.write_text("s3://bkt/a.jpg,cat\ns3://bkt/b.jpg,dog\ns3://bkt/c.jpg,1,2,3,4,cat\n")
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    reading = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
    try:
        with pytest.raises(ValueError, match="reads as a box without a header"):
            make_manifest(from_csv(source), fifo)
        assert os.read(reading, 4096) == b""
    finally:
        os.close(reading)


def test_small_readings_the_review_found(tmp_path: Path) -> None:
    """iscrowd "0" is no crowd, <difficult>1.0 is, 1_0 is no number, --images-dir is for boxes."""
    source = _coco(tmp_path / "c.json", [
        {"id": 1, "image_id": 0, "category_id": 1, "bbox": [10, 10, 50, 50], "iscrowd": "0"},
        {"id": 2, "image_id": 0, "category_id": 1, "bbox": ["1_0", 10, 50, 50]},
    ])  # fmt: skip
    coco = make_manifest(from_coco(source, images_uri=IMAGES), tmp_path / "m")
    assert coco.training_images == 1
    assert list(reasons(coco)) == ["a.jpg: annotation 2"]
    _voc(tmp_path / "xml" / "a.xml", [("cat", 0), ("dog", 1)])
    xml = tmp_path / "xml" / "a.xml"
    xml.write_text(
        xml.read_text().replace("<difficult>1</difficult>", "<difficult>1.0</difficult>")
    )
    voc = make_manifest(
        from_voc(tmp_path / "xml", images_uri=IMAGES, skip_difficult=True), tmp_path / "v"
    )
    assert list(reasons(voc).values()) == ["marked difficult (skip_difficult)"]
    rows = tmp_path / "b.csv"
    rows.write_text("image,width,height,label,xmin,ymin,xmax,ymax\na.jpg,99,99,cat,1_0,1,5,5\n")
    with pytest.raises(ValueError, match="every image was skipped"):
        make_manifest(from_csv(rows, images_uri=IMAGES), tmp_path / "b")
    labels = tmp_path / "l.csv"
    labels.write_text("s3://bkt/a.jpg,cat\n")
    with pytest.raises(ValueError, match="is for box rows"):
        list(from_csv(labels, images=tmp_path))
    hot = tmp_path / "h.csv"
    hot.write_text("filename,cat,dog,\na.jpg,1,0,\n")  # a trailing comma on each row
    make_manifest(from_csv(hot, images_uri=IMAGES), tmp_path / "h")
    assert labels_by_ref(tmp_path / "h") == {f"{IMAGES}a.jpg": ["cat"]}


def test_a_coco_record_that_is_no_image_is_reported(tmp_path: Path) -> None:
    """An images[] entry with an annotation's members, or not an object, is reported."""
    source = tmp_path / "c.json"
    document = json.loads(_coco(tmp_path / "c.json", []).read_text())
    document["images"] += [{"id": 1, "file_name": "b.jpg", "bbox": [1, 1, 2, 2], "image_id": 1}, 7]
    document["annotations"] = [{"id": 1, "image_id": 0, "category_id": 1, "bbox": [1, 1, 9, 9]}]
    source.write_text(json.dumps(document))
    report = make_manifest(from_coco(source, images_uri=IMAGES), tmp_path / "m")
    assert reasons(report) == {
        f"{source}: images[1]": "is an annotation's (bbox and image_id), left out",
        f"{source}: images[2]": "is no record, left out",
    }
