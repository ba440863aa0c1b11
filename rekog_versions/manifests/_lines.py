"""The rules for one JSON line of a manifest, with the service's error codes.

Sources: the Custom Labels developer guide's manifest pages and its JSON line error
reference (``tm-debugging-json-line-errors``), and the Custom Moderation adapter
manifest page; see ``docs/manifests.md`` for each rule and its source.

A line is *valid* (used for training), *invalid* (counted against the 20% limit) or
*ignored* (valid but unused, e.g. no annotations); annotation-level errors drop a box
but keep the line.
"""

# The lines are JSON of unknown shape, checked at run time value by value; the type
# checker cannot follow those checks into the values, so "unknown" types are expected here.
# pyright: reportUnknownVariableType=false, reportUnknownMemberType=false
# pyright: reportUnknownArgumentType=false

from __future__ import annotations

import enum
import math
import re
from typing import TYPE_CHECKING, Any, Final, cast

from rekog_versions._validation import preview
from rekog_versions.manifests.report import ManifestProblem, Severity

if TYPE_CHECKING:
    from collections.abc import Callable

__all__ = [
    "CLASSIFICATION",
    "MODERATION",
    "OBJECT_LOCALIZATION",
    "LineChecker",
    "LineStatus",
]


class LineStatus(enum.IntEnum):
    """What a line counts as in the service's statistics (``valid_json_lines``, ...)."""

    VALID = 0
    INVALID = 1
    IGNORED = 2
    """Well formed but not used (no annotations, or a repeated image): not invalid."""


CLASSIFICATION: Final = "IMAGE_LEVEL_LABELS"
OBJECT_LOCALIZATION: Final = "OBJECT_LOCALIZATION"
MODERATION: Final = "CONTENT_MODERATION"

CLASSIFICATION_TYPE: Final = "groundtruth/image-classification"
DETECTION_TYPE: Final = "groundtruth/object-detection"
MULTILABEL_TYPE: Final = "groundtruth/image-classification-multilabel"

MAX_LABEL_NAME: Final = 256
MAX_BOXES: Final = 50
MAX_LABELS_PER_IMAGE: Final = 50
MIN_IMAGE_SIDE: Final = 64
MAX_IMAGE_SIDE: Final = 4096
MAX_ASPECT_RATIO: Final = 20  # the longer side at most 20 times the shorter ([CLG:limits])
RESIZE_SIDE: Final = 1280  # training resizes larger images so their longer side is this
MIN_BOX_SIDE: Final = 1.0

_CREATION_DATE: Final = re.compile(
    r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:?\d{2})?", re.ASCII
)
_HUMAN_ANNOTATED: Final = frozenset({"yes", "no"})
_MODERATION_KEY: Final = "content-moderation-groundtruth"

#: The top-level and second-level labels of Rekognition's moderation taxonomy (version 7),
#: from the developer guide's "Using the image and video moderation APIs" page
#: [RDG:moderation]: an adapter's labels come from it. Compared without regard to case.
MODERATION_TAXONOMY: Final = frozenset(
    name.casefold()
    for name in (
        # top level
        "Explicit",
        "Non-Explicit Nudity of Intimate parts and Kissing",
        "Swimwear or Underwear",
        "Violence",
        "Visually Disturbing",
        "Rude Gestures",
        "Drugs & Tobacco",
        "Alcohol",
        "Gambling",
        "Hate Symbols",
        # second level
        "Explicit Nudity",
        "Explicit Sexual Activity",
        "Sex Toys",
        "Non-Explicit Nudity",
        "Obstructed Intimate Parts",
        "Kissing on the Lips",
        "Female Swimwear or Underwear",
        "Male Swimwear or Underwear",
        "Weapons",
        "Graphic Violence",
        "Death and Emaciation",
        "Crashes",
        "Middle Finger",
        "Products",
        "Drug & Tobacco Paraphernalia & Use",
        "Alcohol Use",
        "Alcoholic Beverages",
        "Nazi Party",
        "White Supremacy",
        "Extremist",
    )
)


def dimension_problem(width: int, height: int) -> str | None:
    """What makes an image of this size unusable for training, or ``None``.

    The limits page's rules for an image: each side 64 to 4096 px, an aspect ratio of at
    most 20:1. Used for a line's declared ``image_size`` and for an image's real size.
    """
    if not (
        MIN_IMAGE_SIDE <= width <= MAX_IMAGE_SIDE and MIN_IMAGE_SIDE <= height <= MAX_IMAGE_SIDE
    ):
        return f"{width}x{height} (each side {MIN_IMAGE_SIDE} to {MAX_IMAGE_SIDE} px)"
    if max(width, height) > MAX_ASPECT_RATIO * min(width, height):
        return f"{width}x{height}, an aspect ratio over {MAX_ASPECT_RATIO}:1"
    return None


def declared_sizes(document: dict[str, Any]) -> list[tuple[str, int, int, list[tuple[float, ...]]]]:
    """Each bounding-box attribute of a valid line: its name, declared size, and boxes.

    Boxes are ``(left, top, width, height)``. For a line the checker passed, so the
    shapes are known good.
    """
    found: list[tuple[str, int, int, list[tuple[float, ...]]]] = []
    for attribute, value in document.items():
        if type(value) is dict and "image_size" in value:
            size = cast("dict[str, Any]", value)["image_size"][0]
            boxes: list[tuple[float, ...]] = [
                (box["left"], box["top"], box["width"], box["height"])
                for box in cast("list[dict[str, Any]]", value["annotations"])
            ]
            width: int = size["width"]
            height: int = size["height"]
            found.append((attribute, width, height, boxes))
    return found


class _LineStop(Exception):  # noqa: N818 - control flow: the line is invalid, stop checking it
    pass


def _box_size(box: dict[str, Any], scale: float) -> str:
    """``4x1``, and the size after training's resize when there is one."""
    size = f"{box['width']}x{box['height']}"
    if scale == 1.0:
        return size
    resized = f"{box['width'] * scale:.2f}x{box['height'] * scale:.2f}"
    return f"{size} ({resized} after the resize to {RESIZE_SIDE} px)"


def _number(value: Any) -> bool:  # noqa: ANN401 - any JSON value
    kind = type(value)
    return (kind is int) or (kind is float and math.isfinite(value))


class LineChecker:
    """Checks lines of one dataset and reports problems through ``report``."""

    def __init__(self, dataset: str, kind: str, report: Callable[[ManifestProblem], None]) -> None:
        """Check lines of ``dataset`` (training or testing) of ``kind``; ``report(problem)``."""
        self.dataset = dataset
        self.kind = kind
        self.report = report
        self._unknown_moderation: set[str] = set()  # warned once a name

    def problem(
        self,
        code: str,
        message: str,
        line: int,
        path: str | None = None,
        *,
        severity: Severity = Severity.ERROR,
    ) -> None:
        self.report(
            ManifestProblem(
                code=code,
                message=message,
                severity=severity,
                dataset=self.dataset,
                line=line,
                path=path,
            )
        )

    def _stop(self, code: str, message: str, line: int, path: str | None = None) -> _LineStop:
        self.problem(code, message, line, path)
        return _LineStop()

    def check(
        self, document: object, line: int
    ) -> tuple[LineStatus, str | None, str | None, dict[str, int] | None]:
        """Check one parsed line.

        Returns:
            ``(status, source_ref, use_case, labels)``: the line's status, its
            ``source-ref`` (when well formed), its use case, and for a valid line each
            label it carries with its number of boxes.
        """
        if type(document) is not dict:
            self.problem(
                "ERROR_INVALID_JSON_LINE",
                f"a JSON line must be an object, got {type(document).__name__}",
                line,
            )
            return LineStatus.INVALID, None, None, None
        fields = cast("dict[str, Any]", document)
        source_ref = fields.get("source-ref")
        if source_ref is None:
            self.problem("ERROR_MISSING_SOURCE_REF", "the source-ref key is missing", line)
            return LineStatus.INVALID, None, None, None
        if (
            type(source_ref) is not str
            or not source_ref.startswith("s3://")
            or not 5 < source_ref.find("/", 5) < len(source_ref) - 1
        ):
            hint = ""
            if isinstance(source_ref, str) and source_ref.startswith(("https://", "http://")):
                hint = "; an https:// URL is not accepted, write s3://bucket/key"
            self.problem(
                "ERROR_INVALID_SOURCE_REF_FORMAT",
                f"source-ref must be s3://bucket/key, got {preview(source_ref)}{hint}",
                line,
                "source-ref",
            )
            return LineStatus.INVALID, None, None, None
        try:
            if self.kind == "content-moderation":
                use_case = MODERATION
                status, moderation_labels = self._moderation(fields, line)
                return status, source_ref, use_case, moderation_labels
            status, use_case, labels = self._custom_labels(fields, line)
        except _LineStop:
            return LineStatus.INVALID, source_ref, None, None
        return status, source_ref, use_case, labels

    # -- Content Moderation ------------------------------------------------------------

    def _moderation(self, fields: dict[str, Any], line: int) -> tuple[LineStatus, dict[str, int]]:
        truth = fields.get(_MODERATION_KEY)
        if truth is None:
            raise self._stop(
                "ERROR_NO_LABEL_ATTRIBUTES",
                f"no {_MODERATION_KEY} key: an adapter manifest line has source-ref and "
                f'{_MODERATION_KEY} {{"ModerationLabels": [...]}}',
                line,
            )
        if type(truth) is not dict or type(truth.get("ModerationLabels")) is not list:
            raise self._stop(
                "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
                f"{_MODERATION_KEY} must be an object with a ModerationLabels list "
                "(empty for an image without unsafe content)",
                line,
                _MODERATION_KEY,
            )
        labels: dict[str, int] = {}
        for index, item in enumerate(truth["ModerationLabels"]):
            path = f"{_MODERATION_KEY}.ModerationLabels[{index}]"
            name = item.get("Name") if type(item) is dict else None
            if type(name) is not str or not name:
                raise self._stop(
                    "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
                    f'each moderation label is {{"Name": "<label>"}}, got {preview(item)}',
                    line,
                    path,
                )
            if len(name) > MAX_LABEL_NAME:
                raise self._stop(
                    "ERROR_INVALID_LABEL_NAME_LENGTH",
                    f"a label name is at most {MAX_LABEL_NAME} characters, got {len(name)}",
                    line,
                    f"{path}.Name",
                )
            if name.casefold() not in MODERATION_TAXONOMY and name not in self._unknown_moderation:
                self._unknown_moderation.add(name)
                self.problem(
                    "RV_UNKNOWN_MODERATION_LABEL",
                    f"{name!r} is not a top-level or second-level label of the moderation "
                    "taxonomy (version 7); an adapter's labels come from it. A warning, "
                    "given once a name: the documentation does not say that the service "
                    "refuses other names",
                    line,
                    f"{path}.Name",
                    severity=Severity.WARNING,
                )
            labels[name] = 0
        return LineStatus.VALID, labels

    # -- Custom Labels -----------------------------------------------------------------

    def _custom_labels(
        self, fields: dict[str, Any], line: int
    ) -> tuple[LineStatus, str, dict[str, int] | None]:
        attributes = [
            key
            for key in fields
            if key != "source-ref" and not key.endswith("-metadata") and f"{key}-metadata" in fields
        ]
        if not attributes:
            orphans = [
                key for key in fields if key.endswith("-metadata") and key[:-9] not in fields
            ]
            detail = (
                f"; {orphans[0]!r} has no attribute {orphans[0][:-9]!r} beside it"
                if orphans
                else ""
            )
            raise self._stop(
                "ERROR_NO_LABEL_ATTRIBUTES",
                "no label attribute with its '<attribute>-metadata' was found" + detail,
                line,
            )
        labels: dict[str, int] = {}
        detection = False
        classification = False
        unannotated = False
        for attribute in attributes:
            metadata = fields[f"{attribute}-metadata"]
            meta_path = f"{attribute}-metadata"
            if type(metadata) is not dict:
                raise self._stop(
                    "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
                    f"the metadata must be an object, got {type(metadata).__name__}",
                    line,
                    meta_path,
                )
            kind = metadata.get("type")
            if kind == CLASSIFICATION_TYPE:
                self._classification(fields[attribute], metadata, attribute, line, labels)
                classification = True
            elif kind == DETECTION_TYPE:
                outcome = self._detection(fields[attribute], metadata, attribute, line, labels)
                if outcome is LineStatus.IGNORED:
                    unannotated = True
                else:
                    detection = True
            elif kind is None:
                raise self._stop(
                    "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
                    "the metadata has no type",
                    line,
                    f"{meta_path}.type",
                )
            else:
                hint = (
                    "; Ground Truth multi-label output must be converted to one "
                    f"{CLASSIFICATION_TYPE} attribute per label (see the Custom Labels "
                    "guide's transform script)"
                    if kind == MULTILABEL_TYPE
                    else ""
                )
                self.problem(
                    "ERROR_UNSUPPORTED_USE_CASE_TYPE",
                    f"the use case type of the {meta_path} label attribute metadata is "
                    f"unsupported: {preview(kind)}; use {CLASSIFICATION_TYPE} or "
                    f"{DETECTION_TYPE}{hint}",
                    line,
                    f"{meta_path}.type",
                )
        if not labels and not classification and not detection:
            if unannotated:
                return LineStatus.IGNORED, OBJECT_LOCALIZATION, None
            raise self._stop(
                "ERROR_NO_VALID_LABEL_ATTRIBUTES",
                "no valid label attributes found: the line is in no supported Ground Truth format",
                line,
            )
        if len(labels) > MAX_LABELS_PER_IMAGE:
            raise self._stop(
                "RV_TOO_MANY_LABELS_PER_IMAGE",
                f"an image has at most {MAX_LABELS_PER_IMAGE} labels, got {len(labels)}",
                line,
            )
        return LineStatus.VALID, OBJECT_LOCALIZATION if detection else CLASSIFICATION, labels

    def _common_metadata(self, metadata: dict[str, Any], path: str, line: int) -> None:
        human = metadata.get("human-annotated")
        if type(human) is not str or human not in _HUMAN_ANNOTATED:
            raise self._stop(
                "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
                f'human-annotated must be "yes" or "no", got {preview(human)}',
                line,
                f"{path}.human-annotated",
            )
        created = metadata.get("creation-date")
        if type(created) is not str or _CREATION_DATE.fullmatch(created) is None:
            raise self._stop(
                "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
                "creation-date must be a UTC date and time such as 2026-11-27T09:30:00, "
                f"got {preview(created)}",
                line,
                f"{path}.creation-date",
            )
        job = metadata.get("job-name")
        if job is not None and type(job) is not str:
            raise self._stop(
                "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
                f"job-name must be a string, got {preview(job)}",
                line,
                f"{path}.job-name",
            )

    def _label_name(self, name: object, path: str, line: int) -> str:
        if type(name) is not str:
            raise self._stop(
                "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
                f"a label name must be a string, got {preview(name)}",
                line,
                path,
            )
        if not 1 <= len(name) <= MAX_LABEL_NAME:
            raise self._stop(
                "ERROR_INVALID_LABEL_NAME_LENGTH",
                f"a label name is 1 to {MAX_LABEL_NAME} characters long, got {len(name)}",
                line,
                path,
            )
        return name

    def _classification(
        self,
        value: object,
        metadata: dict[str, Any],
        attribute: str,
        line: int,
        labels: dict[str, int],
    ) -> None:
        if type(value) is not int and type(value) is not str:
            raise self._stop(
                "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT",
                f"the format of the label attribute {attribute} is invalid: an image-level "
                f"label's value is an integer (any), got {preview(value)}",
                line,
                attribute,
            )
        path = f"{attribute}-metadata"
        confidence: Any = metadata.get("confidence")
        if not _number(confidence) or not 0 <= confidence <= 1:
            raise self._stop(
                "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
                f"confidence is required, a number from 0 to 1 (it is not used, but must be "
                f"given), got {preview(confidence)}",
                line,
                f"{path}.confidence",
            )
        name = self._label_name(metadata.get("class-name"), f"{path}.class-name", line)
        self._common_metadata(metadata, path, line)
        labels.setdefault(name, 0)

    def _detection(  # noqa: PLR0915 - the object-detection rules, in order
        self,
        value: object,
        metadata: dict[str, Any],
        attribute: str,
        line: int,
        labels: dict[str, int],
    ) -> LineStatus:
        bad_attribute = "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT"
        if type(value) is not dict:
            raise self._stop(
                bad_attribute,
                f"the format of the label attribute {attribute} is invalid: it must be an "
                "object with image_size and annotations",
                line,
                attribute,
            )
        sizes = value.get("image_size")
        size = sizes[0] if type(sizes) is list and len(sizes) == 1 else None
        if type(size) is not dict:
            raise self._stop(
                bad_attribute,
                "image_size must be a list of exactly one {width, height, depth}",
                line,
                f"{attribute}.image_size",
            )
        width, height, depth = size.get("width"), size.get("height"), size.get("depth")
        if type(width) is not int or type(height) is not int or type(depth) is not int:
            raise self._stop(
                bad_attribute,
                f"image_size width, height and depth must be integers, got {preview(size)}",
                line,
                f"{attribute}.image_size[0]",
            )
        annotations = value.get("annotations")
        if type(annotations) is not list:
            raise self._stop(
                bad_attribute,
                f"annotations must be a list, got {preview(annotations)}",
                line,
                f"{attribute}.annotations",
            )
        meta_path = f"{attribute}-metadata"
        objects = metadata.get("objects")
        class_map = metadata.get("class-map")
        if type(objects) is not list:
            raise self._stop(
                "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
                f"objects must be a list of {{confidence}}, got {preview(objects)}",
                line,
                f"{meta_path}.objects",
            )
        if type(class_map) is not dict:
            raise self._stop(
                "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT",
                f"class-map must be an object of class id to label name, got {preview(class_map)}",
                line,
                f"{meta_path}.class-map",
            )
        for class_id, name in class_map.items():
            if type(name) is not str or not 1 <= len(name) <= MAX_LABEL_NAME:
                self._label_name(name, f"{meta_path}.class-map.{class_id}", line)
        self._common_metadata(metadata, meta_path, line)
        # One pass over the boxes (this runs for every box of every line); the errors
        # that stop the line are raised afterwards in the service's order of precedence.
        malformed = -1
        unmapped = -1
        off_frame: list[int] = []
        too_small: list[int] = []
        thin: list[int] = []  # one side at most 1 px: the documentation reads either way
        names: list[str] = []
        longest = max(height, width)
        scale = RESIZE_SIDE / longest if longest > RESIZE_SIDE else 1.0
        for index, annotation in enumerate(annotations):
            try:
                class_id = annotation["class_id"]
                top = annotation["top"]
                left = annotation["left"]
                box_width = annotation["width"]
                box_height = annotation["height"]
            except (KeyError, TypeError, IndexError):
                malformed = index
                break
            if (
                type(class_id) is not int
                or (type(top) is not int and not _number(top))
                or (type(left) is not int and not _number(left))
                or (type(box_width) is not int and not _number(box_width))
                or (type(box_height) is not int and not _number(box_height))
            ):
                malformed = index
                break
            name = class_map.get(str(class_id))
            if name is None:
                if unmapped < 0:
                    unmapped = index
                continue
            if (
                top < 0
                or left < 0
                or box_width <= 0
                or box_height <= 0
                or left + box_width > width
                or top + box_height > height
            ):
                off_frame.append(index)
            elif box_width * scale <= MIN_BOX_SIDE:
                if box_height * scale <= MIN_BOX_SIDE:
                    too_small.append(index)
                else:
                    thin.append(index)
                    names.append(name)
            elif box_height * scale <= MIN_BOX_SIDE:
                thin.append(index)
                names.append(name)
            else:
                names.append(name)
        if malformed >= 0:
            raise self._stop(
                bad_attribute,
                "an annotation is an object with an integer class_id and numbers top, left, "
                f"width and height, got {preview(annotations[malformed])}",
                line,
                f"{attribute}.annotations[{malformed}]",
            )
        if len(objects) != len(annotations):
            raise self._stop(
                "ERROR_MISSING_BOUNDING_BOX_CONFIDENCE",
                f"one or more bounding boxes has a missing confidence value: {len(annotations)} "
                f"annotations but {len(objects)} objects (one {{confidence}} per annotation)",
                line,
                f"{meta_path}.objects",
            )
        if unmapped >= 0:
            raise self._stop(
                "ERROR_MISSING_CLASS_MAP_ID",
                f"class id {annotations[unmapped]['class_id']} is missing from the class map",
                line,
                f"{attribute}.annotations[{unmapped}].class_id",
            )
        if len(annotations) > MAX_BOXES:
            raise self._stop(
                "ERROR_TOO_MANY_BOUNDING_BOXES",
                f"there are more bounding boxes than the allowed maximum: {len(annotations)} "
                f"(at most {MAX_BOXES})",
                line,
                f"{attribute}.annotations",
            )
        dimensions = dimension_problem(width, height)
        if dimensions is not None:
            raise self._stop(
                "ERROR_INVALID_IMAGE_DIMENSION",
                f"the image dimensions do not conform to allowed dimensions: {dimensions}",
                line,
                f"{attribute}.image_size[0]",
            )
        if not annotations:
            if metadata.get("human-annotated") == "yes":
                self.problem(
                    "WARNING_NO_ANNOTATIONS",
                    "no annotations were found: the line is valid but not used",
                    line,
                    f"{attribute}.annotations",
                    severity=Severity.WARNING,
                )
            return LineStatus.IGNORED
        for index in off_frame:
            box = annotations[index]
            self.problem(
                "ERROR_INVALID_BOUNDING_BOX",
                "the bounding box has off frame values: left "
                f"{box['left']}, top {box['top']}, width {box['width']}, height "
                f"{box['height']} in a {width}x{height} image; the box is dropped",
                line,
                f"{attribute}.annotations[{index}]",
            )
        for index in too_small:
            self.problem(
                "ERROR_BOUNDING_BOX_TOO_SMALL",
                "the height and width of the bounding box is too small: "
                f"{_box_size(annotations[index], scale)}; it must be larger than 1x1 px; "
                "the box is dropped",
                line,
                f"{attribute}.annotations[{index}]",
            )
        for index in thin:
            self.problem(
                "ERROR_BOUNDING_BOX_TOO_SMALL",
                "the bounding box may be too small: "
                f"{_box_size(annotations[index], scale)}, one side at most 1 px. The "
                "documentation asks for boxes larger than 1x1 px, which a box larger on one "
                "side only may or may not be (this library's reading): the box is kept",
                line,
                f"{attribute}.annotations[{index}]",
                severity=Severity.WARNING,
            )
        if not names:
            raise self._stop(
                "ERROR_NO_VALID_ANNOTATIONS",
                "no valid annotations found: every bounding box was dropped",
                line,
                f"{attribute}.annotations",
            )
        for name in names:
            labels[name] = labels.get(name, 0) + 1
        return LineStatus.VALID
