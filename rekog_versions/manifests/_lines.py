"""The rules for one JSON line of a manifest, with the service's error codes.

Sources: the Custom Labels developer guide's manifest pages and its JSON line error
reference (``tm-debugging-json-line-errors``), and the Custom Moderation adapter
manifest page; see ``docs/manifests.md`` for each rule and its source.

A line is *valid* (used for training), *invalid* (counted against the 20% limit) or
*ignored* (valid but unused, e.g. no annotations); annotation-level errors drop a box
but keep the line.

The rules are tables of small named checks, each returning the problem it finds (a
code, a message and where) or ``None``; a line's checks run in the order of the
service's precedence, and the first problem found ends the line. One function reads the
boxes of a bounding-box attribute in a single pass, since it runs for every box of every
line; the checks then judge what it read.
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
from rekog_versions.results import ManifestProblem, Severity

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from rekog_versions._defaults import Feature

__all__ = [
    "CLASSIFICATION",
    "MODERATION",
    "OBJECT_LOCALIZATION",
    "LineChecker",
    "LineStatus",
    "declared_sizes",
    "dimension_problem",
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
_BAD_ATTRIBUTE: Final = "ERROR_INVALID_LABEL_ATTRIBUTE_FORMAT"
_BAD_METADATA: Final = "ERROR_INVALID_LABEL_ATTRIBUTE_METADATA_FORMAT"

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


#: A problem a check found: its code, its message, and where in the line.
Found = tuple[str, str, str | None]


class _Stop(Exception):  # noqa: N818 - control flow: the line is invalid, stop checking it
    pass


def _first(checks: Sequence[Callable[[Any], Found | None]], subject: object) -> Found | None:
    """The first problem the checks find in ``subject``, in their order; else ``None``."""
    for check in checks:
        found = check(subject)
        if found is not None:
            return found
    return None


def _number(value: Any) -> bool:  # noqa: ANN401 - any JSON value
    """An integer or a finite float (JSON has no other numbers; ``bool`` is not one)."""
    kind = type(value)
    return (kind is int) or (kind is float and math.isfinite(value))


# -- the metadata every Ground Truth attribute has ---------------------------------------


class _Attribute:
    """One label attribute of a line and its metadata, as its checks read them.

    The checks of a bounding-box attribute fill in what they found for the checks after
    them: its shape (``width``, ``height``, ``annotations``, ``objects``, ``class_map``),
    then, once the boxes are read (:func:`_read_boxes`), what the boxes break. Nothing is
    set until a check sets it.
    """

    __slots__ = (
        "annotations",
        "class_map",
        "flagged",
        "good_names",
        "height",
        "kept",
        "malformed",
        "metadata",
        "name",
        "objects",
        "scale",
        "unmapped",
        "value",
        "width",
    )

    def __init__(
        self,
        name: str,
        value: Any,  # noqa: ANN401 - JSON
        metadata: dict[str, Any],
        good_names: set[str],
    ) -> None:
        self.name = name
        self.value = value
        self.metadata = metadata
        self.good_names = good_names
        """The label names the checks found valid before (names repeat from line to line)."""
        self.width: int
        self.height: int
        self.annotations: list[Any]
        self.objects: list[Any]
        self.class_map: dict[str, Any]
        self.scale: float
        """The factor of training's resize of the image (1: none)."""
        self.malformed: int
        """The index of the first annotation that is not a box, or -1."""
        self.unmapped: int
        """The index of the first box whose class id the class map lacks, or -1."""
        self.flagged: list[tuple[int, int]]
        """Each box a rule of :data:`_BOX_PROBLEMS` flags: the rule's index, the box's."""
        self.kept: dict[str, int]
        """The labels of the boxes that are kept, with how many boxes each."""

    @property
    def meta_path(self) -> str:
        """The metadata's key, as problems name it."""
        return f"{self.name}-metadata"


def _annotation_record(a: _Attribute) -> Found | None:
    """Who made the annotation and when: ``human-annotated``, ``creation-date``, ``job-name``."""
    metadata = a.metadata
    human = metadata.get("human-annotated")
    if type(human) is not str or human not in _HUMAN_ANNOTATED:
        return (
            _BAD_METADATA,
            f'human-annotated must be "yes" or "no", got {preview(human)}',
            f"{a.meta_path}.human-annotated",
        )
    created = metadata.get("creation-date")
    if type(created) is not str or _CREATION_DATE.fullmatch(created) is None:
        return (
            _BAD_METADATA,
            (
                "creation-date must be a UTC date and time such as 2026-11-27T09:30:00, "
                f"got {preview(created)}"
            ),
            f"{a.meta_path}.creation-date",
        )
    job = metadata.get("job-name")
    if job is not None and type(job) is not str:
        return (
            _BAD_METADATA,
            f"job-name must be a string, got {preview(job)}",
            f"{a.meta_path}.job-name",
        )
    return None


def _label_name(name: object) -> tuple[str, str] | None:
    """The problem of a label name (its code and message), or ``None`` for 1 to 256 characters."""
    if type(name) is not str:
        return (_BAD_METADATA, f"a label name must be a string, got {preview(name)}")
    if not 1 <= len(name) <= MAX_LABEL_NAME:
        return (
            "ERROR_INVALID_LABEL_NAME_LENGTH",
            f"a label name is 1 to {MAX_LABEL_NAME} characters long, got {len(name)}",
        )
    return None


# -- an image-level label ----------------------------------------------------------------


def _label_value(a: _Attribute) -> Found | None:
    if type(a.value) is int or type(a.value) is str:
        return None
    return (
        _BAD_ATTRIBUTE,
        (
            f"the format of the label attribute {a.name} is invalid: an image-level label's "
            f"value is an integer (any), got {preview(a.value)}"
        ),
        a.name,
    )


def _confidence(a: _Attribute) -> Found | None:
    confidence: Any = a.metadata.get("confidence")
    if _number(confidence) and 0 <= confidence <= 1:
        return None
    return (
        _BAD_METADATA,
        (
            "confidence is required, a number from 0 to 1 (it is not used, but must be given), "
            f"got {preview(confidence)}"
        ),
        f"{a.meta_path}.confidence",
    )


def _class_name(a: _Attribute) -> Found | None:
    problem = _label_name(a.metadata.get("class-name"))
    return None if problem is None else (*problem, f"{a.meta_path}.class-name")


#: An image-level label's rules, in the service's order.
_CLASSIFICATION: Final = (_label_value, _confidence, _class_name, _annotation_record)


# -- bounding boxes ----------------------------------------------------------------------


def _detection_value(a: _Attribute) -> Found | None:
    """The attribute: an object with one ``image_size`` of whole numbers and ``annotations``."""
    value = a.value
    if type(value) is not dict:
        return (
            _BAD_ATTRIBUTE,
            (
                f"the format of the label attribute {a.name} is invalid: it must be an object with "
                "image_size and annotations"
            ),
            a.name,
        )
    sizes = value.get("image_size")
    size = sizes[0] if type(sizes) is list and len(sizes) == 1 else None
    if type(size) is not dict:
        return (
            _BAD_ATTRIBUTE,
            "image_size must be a list of exactly one {width, height, depth}",
            f"{a.name}.image_size",
        )
    width, height, depth = size.get("width"), size.get("height"), size.get("depth")
    if type(width) is not int or type(height) is not int or type(depth) is not int:
        return (
            _BAD_ATTRIBUTE,
            f"image_size width, height and depth must be integers, got {preview(size)}",
            f"{a.name}.image_size[0]",
        )
    annotations = value.get("annotations")
    if type(annotations) is not list:
        return (
            _BAD_ATTRIBUTE,
            f"annotations must be a list, got {preview(annotations)}",
            f"{a.name}.annotations",
        )
    a.width, a.height, a.annotations = width, height, annotations
    return None


#: How many valid label names a checker remembers (a manifest has at most 250 labels).
_GOOD_NAMES: Final = 1024


def _detection_metadata(a: _Attribute) -> Found | None:
    """The metadata: a list of ``objects``, a ``class-map`` of class ids to label names."""
    metadata = a.metadata
    objects = metadata.get("objects")
    if type(objects) is not list:
        return (
            _BAD_METADATA,
            f"objects must be a list of {{confidence}}, got {preview(objects)}",
            f"{a.meta_path}.objects",
        )
    class_map = metadata.get("class-map")
    if type(class_map) is not dict:
        return (
            _BAD_METADATA,
            f"class-map must be an object of class id to label name, got {preview(class_map)}",
            f"{a.meta_path}.class-map",
        )
    good = a.good_names
    for class_id, name in class_map.items():
        if type(name) is str and name in good:
            continue
        problem = _label_name(name)
        if problem is not None:
            return (*problem, f"{a.meta_path}.class-map.{class_id}")
        if len(good) < _GOOD_NAMES:
            good.add(name)
    a.objects, a.class_map = objects, class_map
    return None


#: What a box alone can break, as :data:`_BOX_PROBLEMS` keys them; the problems of a box
#: are reported in this order.
_OFF_FRAME, _TOO_SMALL, _THIN = 0, 1, 2


def _read_boxes(a: _Attribute) -> None:
    """Read every box once, noting on the attribute which break a rule.

    A step of the table, not a check: it finds nothing wrong itself, the checks after it
    decide. It runs for every box of every line, so what it looks up is looked up once.
    """
    width, height, class_map = a.width, a.height, a.class_map
    longest = max(height, width)
    scale = a.scale = RESIZE_SIDE / longest if longest > RESIZE_SIDE else 1.0
    a.malformed = a.unmapped = -1
    kept: dict[str, int] = {}
    flagged: list[tuple[int, int]] = []
    a.kept, a.flagged = kept, flagged
    least, number, integer, text = MIN_BOX_SIDE, _number, int, str
    for index, annotation in enumerate(a.annotations):
        try:
            class_id = annotation["class_id"]
            top = annotation["top"]
            left = annotation["left"]
            box_width = annotation["width"]
            box_height = annotation["height"]
        except (KeyError, TypeError, IndexError):
            a.malformed = index
            return
        if (
            type(class_id) is not integer
            or (type(top) is not integer and not number(top))
            or (type(left) is not integer and not number(left))
            or (type(box_width) is not integer and not number(box_width))
            or (type(box_height) is not integer and not number(box_height))
        ):
            a.malformed = index
            return
        name = class_map.get(text(class_id))
        if name is None:
            if a.unmapped < 0:
                a.unmapped = index
            continue
        if (
            top < 0
            or left < 0
            or box_width <= 0
            or box_height <= 0
            or left + box_width > width
            or top + box_height > height
        ):
            flagged.append((_OFF_FRAME, index))
            continue
        narrow, low = box_width * scale <= least, box_height * scale <= least
        if narrow and low:
            flagged.append((_TOO_SMALL, index))
            continue
        if narrow or low:
            flagged.append((_THIN, index))
        if name in kept:
            kept[name] += 1
        else:
            kept[name] = 1


def _malformed_box(a: _Attribute) -> Found | None:
    if a.malformed < 0:
        return None
    return (
        _BAD_ATTRIBUTE,
        (
            "an annotation is an object with an integer class_id and numbers top, left, width "
            f"and height, got {preview(a.annotations[a.malformed])}"
        ),
        f"{a.name}.annotations[{a.malformed}]",
    )


def _missing_confidence(a: _Attribute) -> Found | None:
    if len(a.objects) == len(a.annotations):
        return None
    return (
        "ERROR_MISSING_BOUNDING_BOX_CONFIDENCE",
        (
            f"one or more bounding boxes has a missing confidence value: {len(a.annotations)} "
            f"annotations but {len(a.objects)} objects (one {{confidence}} per annotation)"
        ),
        f"{a.meta_path}.objects",
    )


def _unmapped_class(a: _Attribute) -> Found | None:
    if a.unmapped < 0:
        return None
    return (
        "ERROR_MISSING_CLASS_MAP_ID",
        f"class id {a.annotations[a.unmapped]['class_id']} is missing from the class map",
        f"{a.name}.annotations[{a.unmapped}].class_id",
    )


def _too_many_boxes(a: _Attribute) -> Found | None:
    if len(a.annotations) <= MAX_BOXES:
        return None
    return (
        "ERROR_TOO_MANY_BOUNDING_BOXES",
        (
            f"there are more bounding boxes than the allowed maximum: {len(a.annotations)} "
            f"(at most {MAX_BOXES})"
        ),
        f"{a.name}.annotations",
    )


def _image_dimensions(a: _Attribute) -> Found | None:
    dimensions = dimension_problem(a.width, a.height)
    if dimensions is None:
        return None
    return (
        "ERROR_INVALID_IMAGE_DIMENSION",
        f"the image dimensions do not conform to allowed dimensions: {dimensions}",
        f"{a.name}.image_size[0]",
    )


#: A bounding-box attribute's rules, in the service's precedence: its shape and metadata,
#: which must hold before its boxes can be read; the boxes read; then what ends the line.
_DETECTION: Final = (
    _detection_value,
    _detection_metadata,
    _annotation_record,
    _read_boxes,
    _malformed_box,
    _missing_confidence,
    _unmapped_class,
    _too_many_boxes,
    _image_dimensions,
)


def _box_size(box: dict[str, Any], scale: float) -> str:
    """``4x1``, and the size after training's resize when there is one."""
    size = f"{box['width']}x{box['height']}"
    if scale == 1.0:
        return size
    resized = f"{box['width'] * scale:.2f}x{box['height'] * scale:.2f}"
    return f"{size} ({resized} after the resize to {RESIZE_SIDE} px)"


def _off_frame(a: _Attribute, box: dict[str, Any], _: float) -> str:
    return (
        f"the bounding box has off frame values: left {box['left']}, top {box['top']}, width "
        f"{box['width']}, height {box['height']} in a {a.width}x{a.height} image; the box is "
        "dropped"
    )


def _too_small(_: _Attribute, box: dict[str, Any], scale: float) -> str:
    return (
        f"the height and width of the bounding box is too small: {_box_size(box, scale)}; it "
        "must be larger than 1x1 px; the box is dropped"
    )


def _thin(_: _Attribute, box: dict[str, Any], scale: float) -> str:
    return (
        f"the bounding box may be too small: {_box_size(box, scale)}, one side at most 1 px. "
        "The documentation asks for boxes larger than 1x1 px, which a box larger on one side "
        "only may or may not be (this library's reading): the box is kept"
    )


#: What a box alone can break, without ending its line: the code, the severity, and the
#: message of each rule.
_BOX_PROBLEMS: Final = {
    _OFF_FRAME: ("ERROR_INVALID_BOUNDING_BOX", Severity.ERROR, _off_frame),
    _TOO_SMALL: ("ERROR_BOUNDING_BOX_TOO_SMALL", Severity.ERROR, _too_small),
    _THIN: ("ERROR_BOUNDING_BOX_TOO_SMALL", Severity.WARNING, _thin),
}


# -- Content Moderation ------------------------------------------------------------------


def _moderation_key(fields: dict[str, Any]) -> Found | None:
    if fields.get(_MODERATION_KEY) is not None:
        return None
    return (
        "ERROR_NO_LABEL_ATTRIBUTES",
        (
            f"no {_MODERATION_KEY} key: an adapter manifest line has source-ref and "
            f'{_MODERATION_KEY} {{"ModerationLabels": [...]}}'
        ),
        None,
    )


def _moderation_labels(fields: dict[str, Any]) -> Found | None:
    truth = fields[_MODERATION_KEY]
    if type(truth) is dict and type(truth.get("ModerationLabels")) is list:
        return None
    return (
        _BAD_ATTRIBUTE,
        (
            f"{_MODERATION_KEY} must be an object with a ModerationLabels list (empty for an "
            "image without unsafe content)"
        ),
        _MODERATION_KEY,
    )


#: An adapter line's rules.
_MODERATION: Final = (_moderation_key, _moderation_labels)


def _moderation_label(item: object, path: str) -> Found | None:
    name = cast("dict[str, Any]", item).get("Name") if type(item) is dict else None
    if type(name) is not str or not name:
        return (
            _BAD_ATTRIBUTE,
            f'each moderation label is {{"Name": "<label>"}}, got {preview(item)}',
            path,
        )
    if len(name) > MAX_LABEL_NAME:
        return (
            "ERROR_INVALID_LABEL_NAME_LENGTH",
            f"a label name is at most {MAX_LABEL_NAME} characters, got {len(name)}",
            f"{path}.Name",
        )
    return None


# -- the whole line ----------------------------------------------------------------------


def _is_object(document: object) -> Found | None:
    if type(document) is dict:
        return None
    return (
        "ERROR_INVALID_JSON_LINE",
        f"a JSON line must be an object, got {type(document).__name__}",
        None,
    )


def _source_ref(document: dict[str, Any]) -> Found | None:
    """The image: ``source-ref``, an ``s3://bucket/key`` URI."""
    source_ref = document.get("source-ref")
    if source_ref is None:
        return ("ERROR_MISSING_SOURCE_REF", "the source-ref key is missing", None)
    if (
        type(source_ref) is str
        and source_ref.startswith("s3://")
        and 5 < source_ref.find("/", 5) < len(source_ref) - 1
    ):
        return None
    hint = ""
    if isinstance(source_ref, str) and source_ref.startswith(("https://", "http://")):
        hint = "; an https:// URL is not accepted, write s3://bucket/key"
    return (
        "ERROR_INVALID_SOURCE_REF_FORMAT",
        f"source-ref must be s3://bucket/key, got {preview(source_ref)}{hint}",
        "source-ref",
    )


#: What every line must be, before its labels are read.
_LINE: Final = (_is_object, _source_ref)


def _unsupported_type(kind: object, meta_path: str) -> Found:
    if kind is None:
        return (_BAD_METADATA, "the metadata has no type", f"{meta_path}.type")
    hint = (
        f"; Ground Truth multi-label output must be converted to one {CLASSIFICATION_TYPE} "
        "attribute per label (see the Custom Labels guide's transform script)"
        if kind == MULTILABEL_TYPE
        else ""
    )
    return (
        "ERROR_UNSUPPORTED_USE_CASE_TYPE",
        (
            f"the use case type of the {meta_path} label attribute metadata is unsupported: "
            f"{preview(kind)}; use {CLASSIFICATION_TYPE} or {DETECTION_TYPE}{hint}"
        ),
        f"{meta_path}.type",
    )


def _no_attributes(fields: dict[str, Any]) -> Found:
    orphans = [key for key in fields if key.endswith("-metadata") and key[:-9] not in fields]
    detail = f"; {orphans[0]!r} has no attribute {orphans[0][:-9]!r} beside it" if orphans else ""
    return (
        "ERROR_NO_LABEL_ATTRIBUTES",
        "no label attribute with its '<attribute>-metadata' was found" + detail,
        None,
    )


#: The labels of a line that counts for none (never changed).
_NO_LABELS: Final[dict[str, int]] = {}


class LineChecker:
    """Checks lines of one dataset and reports problems through ``report``."""

    def __init__(
        self, dataset: str, feature: Feature, report: Callable[[ManifestProblem], None]
    ) -> None:
        """Check lines of ``dataset`` (training or testing) that train ``feature``."""
        self.dataset = dataset
        self.feature = feature
        self.report = report
        self._unknown_moderation: set[str] = set()  # warned once a name
        self._good_names: set[str] = set()  # label names found valid
        #: How each type of attribute is checked: it returns whether the attribute counts.
        self._judges: dict[object, Callable[[_Attribute, int, dict[str, int]], bool]] = {
            CLASSIFICATION_TYPE: self._classification,
            DETECTION_TYPE: self._detection,
        }

    def problem(
        self,
        code: str,
        message: str,
        line: int,
        path: str | None = None,
        *,
        severity: Severity = Severity.ERROR,
    ) -> None:
        """Report a problem of ``line`` of this dataset."""
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

    def _stop(self, found: Found, line: int) -> _Stop:
        self.problem(found[0], found[1], line, found[2])
        return _Stop()

    def check(self, document: Any, line: int) -> tuple[LineStatus, str, str, dict[str, int]]:  # noqa: ANN401 - any JSON value
        """Check one parsed line.

        Returns:
            ``(status, source_ref, use_case, labels)``: the line's status, its
            ``source-ref`` (empty when malformed), its use case (empty for an invalid
            line), and for a valid line each label it carries with its number of boxes.
        """
        for rule in _LINE:  # not through _first: this runs for every line
            found = rule(document)
            if found is not None:
                self.problem(found[0], found[1], line, found[2])
                return LineStatus.INVALID, "", "", _NO_LABELS
        fields: dict[str, Any] = document  # an object: the line's checks said so
        source_ref: str = fields["source-ref"]
        try:
            if self.feature == "CONTENT_MODERATION":
                return LineStatus.VALID, source_ref, MODERATION, self._moderation(fields, line)
            status, use_case, labels = self._custom_labels(fields, line)
        except _Stop:
            return LineStatus.INVALID, source_ref, "", _NO_LABELS
        return status, source_ref, use_case, labels

    def _moderation(self, fields: dict[str, Any], line: int) -> dict[str, int]:
        found = _first(_MODERATION, fields)
        if found is not None:
            raise self._stop(found, line)
        labels: dict[str, int] = {}
        for index, item in enumerate(fields[_MODERATION_KEY]["ModerationLabels"]):
            path = f"{_MODERATION_KEY}.ModerationLabels[{index}]"
            found = _moderation_label(item, path)
            if found is not None:
                raise self._stop(found, line)
            name: str = item["Name"]
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
        return labels

    def _custom_labels(
        self, fields: dict[str, Any], line: int
    ) -> tuple[LineStatus, str, dict[str, int]]:
        """Check each label attribute (a key with its ``-metadata`` beside it) by its type."""
        labels: dict[str, int] = {}
        attributes = detection = classification = ignored = False
        for name, value in fields.items():
            if name == "source-ref" or name.endswith("-metadata"):
                continue
            meta = f"{name}-metadata"
            if meta not in fields:
                continue
            attributes = True
            metadata = fields[meta]
            if type(metadata) is not dict:
                raise self._stop(
                    (
                        _BAD_METADATA,
                        f"the metadata must be an object, got {type(metadata).__name__}",
                        meta,
                    ),
                    line,
                )
            kind = metadata.get("type")
            judge = self._judges.get(kind) if type(kind) is str else None
            if judge is None:
                found = _unsupported_type(kind, meta)
                if kind is None:
                    raise self._stop(found, line)
                self.problem(found[0], found[1], line, found[2])
            elif not judge(_Attribute(name, value, metadata, self._good_names), line, labels):
                ignored = True
            elif kind == DETECTION_TYPE:
                detection = True
            else:
                classification = True
        if not attributes:
            raise self._stop(_no_attributes(fields), line)
        if not detection and not classification:
            if ignored:
                return LineStatus.IGNORED, OBJECT_LOCALIZATION, _NO_LABELS
            raise self._stop(
                (
                    "ERROR_NO_VALID_LABEL_ATTRIBUTES",
                    (
                        "no valid label attributes found: the line is in no supported Ground "
                        "Truth format"
                    ),
                    None,
                ),
                line,
            )
        if len(labels) > MAX_LABELS_PER_IMAGE:
            raise self._stop(
                (
                    "RV_TOO_MANY_LABELS_PER_IMAGE",
                    f"an image has at most {MAX_LABELS_PER_IMAGE} labels, got {len(labels)}",
                    None,
                ),
                line,
            )
        return LineStatus.VALID, OBJECT_LOCALIZATION if detection else CLASSIFICATION, labels

    def _classification(self, a: _Attribute, line: int, labels: dict[str, int]) -> bool:
        """Check an image-level label and count it."""
        found = _first(_CLASSIFICATION, a)
        if found is not None:
            raise self._stop(found, line)
        labels.setdefault(a.metadata["class-name"], 0)
        return True

    def _detection(self, a: _Attribute, line: int, labels: dict[str, int]) -> bool:
        """Check a bounding-box attribute and count its labels; ``False`` if it has no box."""
        for check in _DETECTION:  # not through _first: this runs for every line
            found = check(a)
            if found is not None:
                raise self._stop(found, line)
        if not a.annotations:
            if a.metadata.get("human-annotated") == "yes":
                self.problem(
                    "WARNING_NO_ANNOTATIONS",
                    "no annotations were found: the line is valid but not used",
                    line,
                    f"{a.name}.annotations",
                    severity=Severity.WARNING,
                )
            return False
        for rule, index in sorted(a.flagged) if a.flagged else ():  # by rule, in order
            code, severity, words = _BOX_PROBLEMS[rule]
            message = words(a, a.annotations[index], a.scale)
            self.problem(code, message, line, f"{a.name}.annotations[{index}]", severity=severity)
        if not a.kept:
            raise self._stop(
                (
                    "ERROR_NO_VALID_ANNOTATIONS",
                    "no valid annotations found: every bounding box was dropped",
                    f"{a.name}.annotations",
                ),
                line,
            )
        if labels:  # another attribute of the line counted some already
            for name, boxes in a.kept.items():
                labels[name] = labels.get(name, 0) + boxes
        else:
            labels.update(a.kept)
        return True
