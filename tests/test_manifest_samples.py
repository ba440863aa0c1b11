"""The public sample lines quoted in the reference validate as the service would."""

from __future__ import annotations

from typing import TYPE_CHECKING

from manifest_lines import good_classification, write
from rekog_versions.manifests import validate_manifest

if TYPE_CHECKING:
    from pathlib import Path

# Public sample lines, verbatim, from these GitHub repositories: the dataset manifest of
# ksmin23's aws-rekognition-custom-labels-dataset-mgmt-tutorial, the ListDatasetEntries
# example of aws-sdk-js-v3, the train manifest of Vishal171817's maifiest_files, the
# output manifest of t04glovern's aws-ground-truth-cat-labels; and the single-line
# example of the Custom Labels developer guide.
KSMIN23 = [
    '{"source-ref":"s3://my-rekognition-customlabels-XYZ/animals/img1.jpeg","custom-labels_BB":{"annotations":[{"left":423,"top":69,"width":228,"height":328,"class_id":5},{"left":410,"top":62,"width":250,"height":346,"class_id":0},{"left":28,"top":16,"width":384,"height":393,"class_id":0},{"left":57,"top":22,"width":350,"height":386,"class_id":4}],"image_size":[{"width":700,"height":442,"depth":3}]},"custom-labels_BB-metadata":{"job-name":"labeling-job/custom-labels_BB","class-map":{"0":"animal","4":"dog","5":"cat"},"human-annotated":"yes","objects":[{"confidence":1},{"confidence":1},{"confidence":1},{"confidence":1}],"creation-date":"2021-06-09T05:26:56.180Z","type":"groundtruth/object-detection"}}',
    '{"source-ref":"s3://my-rekognition-customlabels-XYZ/animals/img10.jpeg","custom-labels_BB":{"annotations":[{"left":95,"top":6,"width":121,"height":74,"class_id":5},{"left":14,"top":80,"width":268,"height":88,"class_id":5}],"image_size":[{"width":300,"height":168,"depth":3}]},"custom-labels_BB-metadata":{"job-name":"labeling-job/custom-labels_BB","class-map":{"5":"cat"},"human-annotated":"yes","objects":[{"confidence":1},{"confidence":1}],"creation-date":"2021-06-09T05:26:19.518Z","type":"groundtruth/object-detection"}}',
    '{"source-ref":"s3://my-rekognition-customlabels-XYZ/animals/img8.jpeg","custom-labels_BB":{"annotations":[{"left":64,"top":64,"width":152,"height":108,"class_id":4},{"left":124,"top":57,"width":63,"height":39,"class_id":3},{"left":97,"top":3,"width":92,"height":60,"class_id":2}],"image_size":[{"width":275,"height":183,"depth":3}]},"custom-labels_BB-metadata":{"job-name":"labeling-job/custom-labels_BB","class-map":{"2":"lady","3":"dog","4":"cat"},"human-annotated":"yes","objects":[{"confidence":1},{"confidence":1},{"confidence":1}],"creation-date":"2021-06-09T05:20:15.621Z","type":"groundtruth/object-detection"}}',
]
FLOWERS = '{"source-ref":"s3://custom-labels-console-us-east-1-1111111111/assets/flowers_1_train_dataset/camellia4.jpg","camellia":1,"camellia-metadata":{"confidence":1,"job-name":"labeling-job/camellia","class-name":"camellia","human-annotated":"yes","creation-date":"2021-07-11T03:32:13.456Z","type":"groundtruth/image-classification"},"with_leaves":1,"with_leaves-metadata":{"confidence":1,"job-name":"labeling-job/with_leaves","class-name":"with_leaves","human-annotated":"yes","creation-date":"2021-07-11T03:32:13.456Z","type":"groundtruth/image-classification"},"cl-metadata":{"is_labeled":true}}'
DRIVERS_LICENCE = '{"source-ref":"s3://dl-roi-images/train/dl_images_1.jpg","dl-labelling-job-train":{"image_size":[{"width":2513,"height":3684,"depth":3}],"annotations":[{"class_id":0,"top":912,"left":884,"height":37,"width":184},{"class_id":1,"top":567,"left":962,"height":48,"width":264},{"class_id":2,"top":979,"left":764,"height":112,"width":497},{"class_id":3,"top":871,"left":1159,"height":58,"width":154}]},"dl-labelling-job-train-metadata":{"objects":[{"confidence":0},{"confidence":0},{"confidence":0},{"confidence":0}],"class-map":{"0":"name","1":"dl_number","2":"address","3":"DOB"},"type":"groundtruth/object-detection","human-annotated":"yes","creation-date":"2022-05-02T05:16:14.893112","job-name":"labeling-job/dl-labelling-job-train"}}'
CATS_GT = [
    '{"source-ref":"s3://devopstar-ground-truth-input/input-images/0001.jpg","cat-ground-truth":{"annotations":[],"image_size":[{"width":601,"depth":3,"height":453}]},"cat-ground-truth-metadata":{"job-name":"labeling-job/cat-ground-truth","class-map":{},"human-annotated":"yes","objects":[],"creation-date":"2019-01-29T13:29:11.798957","type":"groundtruth/object-detection"}}',
    '{"source-ref":"s3://devopstar-ground-truth-input/input-images/0002.jpg","cat-ground-truth":{"annotations":[{"class_id":0,"width":164,"top":165,"height":157,"left":237}],"image_size":[{"width":601,"depth":3,"height":453}]},"cat-ground-truth-metadata":{"job-name":"labeling-job/cat-ground-truth","class-map":{"0":"Cat"},"human-annotated":"yes","objects":[{"confidence":0.09}],"creation-date":"2019-01-29T13:29:11.847049","type":"groundtruth/object-detection"}}',
]
DOCS_SINGLE_LINE = '{"source-ref":"s3://custom-labels-console-us-east-1-nnnnnnnnnn/gt-job/manifest/IMG_1133.png","TestCLConsoleBucket":0,"TestCLConsoleBucket-metadata":{"confidence":0.95,"job-name":"labeling-job/testclconsolebucket","class-name":"Echo Dot","human-annotated":"yes","creation-date":"2020-04-15T20:17:23.433061","type":"groundtruth/image-classification"}}'


def test_object_detection_sample_with_sparse_class_ids(tmp_path: Path) -> None:
    """ksmin23's lines (class ids differ per line, 4 boxes for 3 classes) are valid."""
    report = validate_manifest(write(tmp_path / "m.manifest", KSMIN23))
    assert report.ok, report.to_text()
    assert (3, 0) == (report.training.valid_json_lines, report.training.invalid_json_lines)
    assert {"animal": 2, "cat": 4, "dog": 2, "lady": 1} == {
        name: count.boxes for name, count in report.training.labels.items()
    }


def test_multi_label_classification_sample(tmp_path: Path) -> None:
    """The flowers line carries two image-level labels and cl-metadata."""
    report = validate_manifest(write(tmp_path / "m.manifest", [FLOWERS]))
    assert report.ok, report.to_text()
    assert {"camellia", "with_leaves"} == set(report.training.labels)


def test_large_image_sample(tmp_path: Path) -> None:
    """A 2513x3684 image is inside the 4096 px limit; confidence 0 boxes are fine."""
    report = validate_manifest(write(tmp_path / "m.manifest", [DRIVERS_LICENCE]))
    assert report.ok, report.to_text()
    assert 4 == len(report.training.labels)


def test_ground_truth_line_without_annotations(tmp_path: Path) -> None:
    """The empty Ground Truth line is WARNING_NO_ANNOTATIONS and ignored."""
    report = validate_manifest(write(tmp_path / "m.manifest", CATS_GT))
    assert (1, 1, 0) == (
        report.training.valid_json_lines,
        report.training.ignored_json_lines,
        report.training.invalid_json_lines,
    )
    assert ["WARNING_NO_ANNOTATIONS"] == [problem.code for problem in report.problems]


def test_documentation_single_line(tmp_path: Path) -> None:
    """The developer guide's single-line classification example is valid."""
    lines = [DOCS_SINGLE_LINE, *good_classification(2)]
    report = validate_manifest(write(tmp_path / "m.manifest", lines))
    assert [] == [problem for problem in report.problems if problem.line == 1]
