"""Bounding boxes from a YOLO dataset."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, cast

import attrs

from rekog_versions._defaults import YOLO_SPLITS
from rekog_versions._validation import preview
from rekog_versions.datasets._items import (
    TESTING,
    TRAINING,
    Box,
    Item,
    Layout,
    Note,
    Skipped,
    boxed,
    clipped,
    is_image,
    join_uri,
    not_image,
    not_utf8,
    number,
    read_text,
    whole_number,
)
from rekog_versions.datasets._local import image_size

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

__all__ = ["LAYOUTS", "from_yolo"]

#: The YOLO layouts read, in words, as a refusal lists them.
LAYOUTS: Final = (
    "images/ and labels/ with classes.txt or data.yaml's names; "
    "a data.yaml with train:, val:, test: (Ultralytics, Roboflow: folders or .txt lists); "
    "Darknet's obj.data and obj.names with train.txt (CVAT's YOLO 1.1)"
)
_SEE: Final = "see the datasets guide's YOLO page"
#: What a pose dataset's line becomes, said once.
_KEYPOINTS: Final = (
    "pose labels (data.yaml's kpt_shape): each line's box is read and its keypoints left "
    "out, since Rekognition trains on boxes"
)
#: What a polygon or an oriented box becomes, said once.
_ENCLOSED: Final = (
    "segmentation polygons and oriented boxes (a class, then x y pairs) are read as the "
    "axis-aligned boxes that enclose them, which is what Rekognition trains on"
)


@attrs.frozen
class _Names:
    """Each class id's name, and why an id in the list or mapping has none."""

    named: dict[int, str]
    unnamed: dict[int, str]
    source: str
    """The file the names are read from, as messages name it."""


def _name(value: object, where: str) -> str | None:
    """A label from a class's name; why not (a reason) if the name is missing or not text."""
    if isinstance(value, str) and value.strip():
        return None
    return f"its name in {where} is {'empty' if isinstance(value, str) else preview(value)}"


def _names(pairs: Iterable[tuple[int, object]], where: str) -> _Names:
    named: dict[int, str] = {}
    unnamed: dict[int, str] = {}
    for class_id, value in pairs:
        reason = _name(value, where)
        if reason is None:
            named[class_id] = cast("str", value).strip()
        else:
            unnamed[class_id] = f"class id {class_id} has no name: {reason}"
    return _Names(named, unnamed, where)


def _yolo_names(dataset: Path, *, yaml_only: bool = False) -> _Names:
    """Class id N's name: line N of ``classes.txt`` (blank lines counted), or ``names[N]``."""
    classes = dataset / "classes.txt"
    if classes.is_file() and not yaml_only:
        return _names(enumerate(read_text(classes).splitlines()), "classes.txt")
    data = dataset / "data.yaml"
    if not data.is_file():
        raise FileNotFoundError(f"{dataset} has neither classes.txt nor data.yaml")
    loaded = load_yaml(data)
    names = cast("dict[str, object]", loaded).get("names") if isinstance(loaded, dict) else None
    if isinstance(names, list):
        return _names(enumerate(cast("list[object]", names)), "data.yaml")
    if isinstance(names, dict):
        table = {  # '0': as Ultralytics reads it, a class id written as a string
            int(key) if type(key) is str and key.isdecimal() else key: value
            for key, value in cast("dict[object, object]", names).items()
        }
        if not all(type(key) is int for key in table):
            raise ValueError(f"{data}: the keys of names must be class ids (0, 1, ...)")
        return _names(sorted(cast("dict[int, object]", table).items()), "data.yaml")
    raise ValueError(f"{data} has no names (a list, or a mapping of class ids)")


def load_yaml(path: Path) -> object:
    """A YAML file's document, read safely and without aliases.

    An alias (``*name``) repeats what its anchor holds, so a few hundred bytes of nested
    aliases can stand for gigabytes; a dataset's ``data.yaml`` has no need of them, so
    one is refused where it stands, before anything is expanded.

    Raises:
        ValueError: The file is not YAML, or holds an alias; naming the file and where.
    """
    import yaml  # noqa: PLC0415 - the datasets extra

    class NoAliases(yaml.SafeLoader):
        def compose_node(self, parent: Any, index: Any) -> Any:  # noqa: ANN401 - PyYAML's
            if self.check_event(yaml.AliasEvent):
                loader: Any = self  # peek_event is untyped in the stubs
                mark: Any = loader.peek_event().start_mark
                raise ValueError(
                    f"{path} uses a YAML alias (line {mark.line + 1}, column "
                    f"{mark.column + 1}); aliases are not read: write the names out"
                )
            return super().compose_node(parent, index)

    try:
        return yaml.load(read_text(path), Loader=NoAliases)  # noqa: S506 - a SafeLoader
    except RecursionError:
        raise ValueError(f"{path} is not a dataset's YAML: it is nested too deep") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = "" if mark is None else f" (line {mark.line + 1}, column {mark.column + 1})"
        what = getattr(error, "problem", None) or error
        raise ValueError(f"{path} is not YAML: {what}{where}") from None


def from_yolo(
    dataset: str | Path,
    *,
    images_uri: str,
    testing_splits: Iterable[str] = YOLO_SPLITS,
) -> Iterator[Item]:
    """Bounding boxes from a YOLO dataset, in any of the layouts YOLO tools write.

    Three layouts are read (the one found is said first, as a :class:`Layout`):

    * **images/ and labels/**: ``images/`` holds the images (at any depth),
      ``labels/<same path>.txt`` their boxes, and ``classes.txt`` or ``data.yaml``'s
      ``names`` the classes. ``images_uri`` is where ``images/``'s files are in S3.
    * **data.yaml with train:** (Ultralytics; Roboflow's export, with ``train/``,
      ``valid/``, ``test/``): each of ``train``, ``val`` (or ``validation``) and ``test``
      is a folder of images, a ``.txt`` file listing them, or a list of those, relative
      to ``path`` (itself relative to the YAML's folder, else to the working folder) or
      to the YAML's folder; a value that is not there and starts with ``../`` is tried
      without it, as Ultralytics does (Roboflow writes ``../train/images``). An image's
      label file is its path with the last ``/images/`` made ``/labels/`` and the
      extension ``.txt``, or beside it. ``images_uri`` is where the dataset's root
      (``path``, or the YAML's folder) is in S3.
    * **Darknet** (CVAT's "YOLO 1.1"): ``obj.names`` (the classes), ``obj.data``
      (``train = data/train.txt``, ``valid = ...``), each list naming images whose label
      files are beside them; a path starting with Darknet's ``data/`` that is not there
      is tried without it. ``images_uri`` is where the dataset's root is in S3.

    The training split (``train``) goes to the training manifest; ``val`` (Darknet's
    ``valid``) and ``test`` go to the testing manifest when named in
    ``testing_splits``, and are left out, each image reported, when not.

    Class id N is line N of ``classes.txt`` or ``obj.names`` (blank lines counted) or
    ``names[N]`` of ``data.yaml`` (a list, or a mapping of class ids); an id without a
    name (a blank line, a missing or non-string name) is no label, and its boxes are
    skipped with the reason. A label line is ``class cx cy w h``, in fractions of the
    image's size, read in pixels of the size in the image's header (see
    :func:`image_size`); a segmentation polygon (``class x1 y1 x2 y2 x3 y3 ...``) or an
    oriented box (``class x1 y1 ... x4 y4``) is read as the box that encloses it (said
    once, as a :class:`Note`). Malformed lines and unknown class ids are skipped and
    reported; an image without a label file has no box and is skipped.

    Args:
        dataset: The dataset's folder.
        images_uri: Where its images are in S3 (see each layout).
        testing_splits: The splits besides ``train`` that go to the testing manifest:
            ``val``, ``test``, both (the default) or none.

    Raises:
        FileNotFoundError: ``dataset`` is not a folder, or a split it names is not there.
        ValueError: A layout this reader does not know, naming the folder and the
            layouts read; class names that cannot be read; an unknown split.
    """
    base = _absolute(Path(dataset))
    if not base.is_dir():
        raise FileNotFoundError(f"no such folder: {base}")
    chosen = frozenset(testing_splits)
    unknown = sorted(chosen - set(YOLO_SPLITS))
    if unknown:
        raise ValueError(
            f"testing_splits are {' and '.join(YOLO_SPLITS)}, not {', '.join(unknown)}"
        )
    plan = _plan(base, chosen)
    yield plan.layout
    reader = _Reader(plan, images_uri)
    for part in plan.parts:
        yield from reader.part(part)


@attrs.frozen
class _Part:
    """One split of a dataset: its images, and where its images go."""

    name: str
    """The split as the dataset names it (``train``, ``val``, ``test``), or empty."""
    images: tuple[Path, ...]
    split: str | None
    """:data:`TRAINING`, :data:`TESTING`, or ``None`` (no split of its own)."""
    left_out: bool = False


@attrs.frozen
class _Plan:
    """How a dataset is read: its layout, its class names, its splits."""

    layout: Layout
    names: _Names
    root: Path
    """What ``images_uri`` stands for; source refs are paths relative to it."""
    parts: tuple[_Part, ...]
    plain: bool = False
    """``images/`` and ``labels/``: each label file mirrors its image under ``labels/``."""
    pose: bool = False
    """``data.yaml`` has ``kpt_shape``: each line is a box, then its keypoints."""


def _plan(base: Path, testing: frozenset[str]) -> _Plan:
    """The layout of ``base``, or a ValueError naming it and the layouts read."""
    data = base / "data.yaml"
    document = load_yaml(data) if data.is_file() else None
    table = cast("dict[str, object]", document) if isinstance(document, dict) else {}
    pose = "kpt_shape" in table
    if "train" in table or ((base / "train" / "images").is_dir() and document is not None):
        return attrs.evolve(_yaml_plan(base, table, testing), pose=pose)
    if (base / "images").is_dir():
        images = _images_under(base / "images")
        layout = Layout("yolo: images/ and labels/, the classes in " + _names_file(base))
        parts = (_Part("", images, None),)
        return _Plan(layout, _yolo_names(base), base / "images", parts, plain=True, pose=pose)
    if (base / "obj.data").is_file() or (base / "obj.names").is_file():
        return _darknet_plan(base, testing)
    raise ValueError(
        f"{base} is not a YOLO layout read: it has no images/ folder, no data.yaml with "
        f"train:, and no obj.data or obj.names; the layouts read: {LAYOUTS} ({_SEE})"
    )


def _names_file(base: Path) -> str:
    return "classes.txt" if (base / "classes.txt").is_file() else "data.yaml"


def _split_of(name: str, testing: frozenset[str]) -> tuple[str, bool]:
    """Where a split's images go, and whether they are left out."""
    if name == "train":
        return TRAINING, False
    return TESTING, name not in testing


def _rule(parts: Iterable[_Part]) -> str:
    """The dataset's split in words: ``train -> training; val, test -> testing``."""
    training = [p.name for p in parts if p.split == TRAINING]
    testing = [p.name for p in parts if p.split == TESTING and not p.left_out]
    out = [p.name for p in parts if p.left_out]
    words = [f"{', '.join(training)} -> training"]
    words += [f"{', '.join(testing)} -> testing"] if testing else []
    words += [f"{', '.join(out)} left out"] if out else []
    return "; ".join(words)


def _yaml_plan(base: Path, table: dict[str, object], testing: frozenset[str]) -> _Plan:
    """Ultralytics' and Roboflow's ``data.yaml``: ``path``, ``train``, ``val``, ``test``."""
    given = table.get("path")
    root = base
    if isinstance(given, str) and given.strip():
        here = _absolute(base / given)
        root = here if here.is_dir() else _absolute(Path(given))
    keys = {"train": "train", "val": "val", "validation": "val", "test": "test"}
    values = {keys[key]: value for key, value in table.items() if key in keys and value}
    if "train" not in values:  # a Roboflow folder whose data.yaml lost its paths
        values = {
            name: f"{folder}/images"
            for name, folder in (("train", "train"), ("val", "valid"), ("test", "test"))
            if (base / folder / "images").is_dir()
        }
    parts: list[_Part] = []
    for name, value in values.items():
        split, left_out = _split_of(name, testing)
        images = _listed_images(root, value, f"data.yaml's {name}")
        parts.append(_Part(name, images, split, left_out))
    layout = Layout("yolo: data.yaml with train:, val:, test:", _rule(parts))
    return _Plan(layout, _yolo_names(base, yaml_only=True), root, tuple(parts))


def _darknet_plan(base: Path, testing: frozenset[str]) -> _Plan:
    """Darknet's ``obj.data`` and ``obj.names`` (CVAT's YOLO 1.1)."""
    settings: dict[str, str] = {}
    if (base / "obj.data").is_file():
        for line in read_text(base / "obj.data").splitlines():
            key, equals, value = line.partition("#")[0].partition("=")
            if equals and key.strip() and value.strip():
                settings[key.strip()] = value.strip()
    names_path = _darknet_path(base, settings.get("names", "obj.names"))
    if not names_path.is_file():
        raise FileNotFoundError(f"{base}: no class names: {names_path} is not there")
    names = _names(enumerate(read_text(names_path).splitlines()), names_path.name)
    lists = {
        name: settings.get(key, f"{key}.txt")
        for name, key in (("train", "train"), ("val", "valid"), ("test", "test"))
    }
    parts: list[_Part] = []
    for name, listed in lists.items():
        path = _darknet_path(base, listed)
        if path.is_file():
            split, left_out = _split_of(name, testing)
            parts.append(_Part(name, _list_file(path, base), split, left_out))
    if not parts:
        raise FileNotFoundError(f"{base}: obj.data names no image list that is there")
    layout = Layout(f"yolo: Darknet's obj.data and {names_path.name}", _rule(parts))
    return _Plan(layout, names, base, tuple(parts))


def _darknet_path(base: Path, written: str) -> Path:
    """A path of ``obj.data`` or a list: under ``base``, Darknet's ``data/`` dropped if need be."""
    path = base / written
    if not path.exists() and written.startswith("data/"):
        path = base / written[len("data/") :]
    return path


def _listed_images(root: Path, value: object, where: str) -> tuple[Path, ...]:
    """The images of a ``data.yaml`` split: folders, ``.txt`` lists, or a list of those."""
    entries = cast("list[object]", value) if isinstance(value, list) else [value]
    found: list[Path] = []
    for entry in entries:
        if not isinstance(entry, str):
            raise ValueError(f"{where} is not a path: {preview(entry)}")  # noqa: TRY004 - bad input
        path = _absolute(root / entry)
        if not path.exists() and entry.startswith("../"):
            path = _absolute(root / entry[3:])  # Ultralytics' fallback, for ../train/images
        if path.is_dir():
            found.extend(_images_under(path))
        elif path.is_file():
            found.extend(_list_file(path, root))
        else:
            raise FileNotFoundError(f"{where}: {entry} is not there (looked for {path})")
    return tuple(found)


def _absolute(path: Path) -> Path:
    """``path`` absolute, ``.`` and ``..`` resolved (links kept), to compare with the root."""
    return Path(os.path.abspath(path))  # noqa: PTH100 - resolve() would follow links


def _images_under(folder: Path) -> tuple[Path, ...]:
    return tuple(sorted(p for p in folder.rglob("*") if p.is_file()))


def _list_file(path: Path, root: Path) -> tuple[Path, ...]:
    """The images a list names, one a line: relative to the list's folder, else the root."""
    found: list[Path] = []
    for line in read_text(path).splitlines():
        entry = line.strip()
        if not entry:
            continue
        candidates = [_absolute(path.parent / entry), _absolute(root / entry)]
        if entry.startswith("data/"):
            candidates.append(_absolute(root / entry[len("data/") :]))  # Darknet's data/
        found.append(next((c for c in candidates if c.exists()), candidates[0]))
    return tuple(found)


def _label_file(image: Path) -> Path:
    """Ultralytics' rule: the last ``/images/`` made ``/labels/``, or the file beside."""
    text = str(image)
    marker = f"{os.sep}images{os.sep}"
    if marker in text:
        head, _, tail = text.rpartition(marker)
        mirrored = Path(head + f"{os.sep}labels{os.sep}" + tail).with_suffix(".txt")
        if mirrored.is_file():
            return mirrored
    return image.with_suffix(".txt")


@attrs.define(eq=False)
class _Reader:
    """Reads a planned dataset's images and label files into items."""

    plan: _Plan
    images_uri: str
    said: bool = False
    """Whether the note on polygons was given."""

    def part(self, part: _Part) -> Iterator[Item]:
        """The items of one split, each image in its order."""
        for path in part.images:
            yield from self._image(path, part)

    def _where(self, path: Path) -> str | None:
        try:
            return path.relative_to(self.plan.root).as_posix()
        except ValueError:
            return None

    def _placed(self, path: Path, part: _Part) -> tuple[str, str] | Skipped:
        """The image's name as shown and its ``source-ref``; or why it is left out."""
        relative = self._where(path)
        shown = relative or str(path)
        if not is_image(shown):
            return not_image(shown)
        if part.left_out:
            why = f"in the dataset's {part.name} split, which testing_splits leaves out"
            return Skipped(shown, why)
        ref = None if relative is None else join_uri(self.images_uri, relative)
        if ref is None:
            why = f"outside the dataset's root {self.plan.root}: its place in S3 is not known"
            return Skipped(shown, why)
        return shown, ref

    def _image(self, path: Path, part: _Part) -> Iterator[Item]:
        placed = self._placed(path, part)
        if isinstance(placed, Skipped):
            yield placed
            return
        shown, ref = placed
        try:
            width, height, depth = image_size(path)
        except (ValueError, OSError) as error:
            yield Skipped(shown, str(error))
            return
        if self.plan.plain:  # images/<path> has labels/<path>.txt, named from the dataset
            named = (Path("labels") / shown).with_suffix(".txt").as_posix()
            labels = self.plan.root.parent / named
        else:
            labels = _label_file(path)
            named = self._where(labels) or str(labels)
        if not labels.is_file():
            yield Skipped(shown, f"no label file {named}")
            return
        try:
            lines = labels.read_text(encoding="utf-8-sig").splitlines()
        except UnicodeDecodeError as error:
            yield Skipped(named, f"is {not_utf8(error)}")
            return
        kept: list[Box] = []
        pose = self.plan.pose
        for line_number, text in enumerate(lines, start=1):
            box, note = _yolo_box(text, self.plan.names, (width, height), pose=pose)
            if note is not None:
                yield Skipped(f"{named}:{line_number}", note)
            if box is not None:
                kept.append(box)
            if not self.said and len(text.split()) > 5:
                self.said = True
                yield Note(_KEYPOINTS if pose else _ENCLOSED)
        yield boxed(shown, ref, kept, (width, height), depth, split=part.split)


def _yolo_box(
    text: str, names: _Names, size: tuple[int, int], *, pose: bool = False
) -> tuple[Box | None, str | None]:
    """The box of a label line: ``class cx cy w h``, or a polygon's enclosing box.

    With ``pose``, a line is ``class cx cy w h`` then keypoints, which are left out.
    """
    fields = text.split()
    if pose:
        fields = fields[:5]
    if not fields:
        return None, None
    if len(fields) != 5 and (len(fields) < 7 or len(fields) % 2 == 0):
        return None, (
            "expected 'class cx cy w h' or a polygon 'class x1 y1 x2 y2 x3 y3 ...', got "
            f"{preview(text.strip())}"
        )
    numbers = [number(field) for field in fields[1:]]
    class_id = whole_number(fields[0])
    if class_id is None or None in numbers:
        return None, f"expected numbers, got {preview(text.strip())}"
    name = names.named.get(class_id)
    if name is None:
        unknown = f"class id {class_id} has no name in {names.source}"
        return None, names.unnamed.get(class_id, unknown)
    values = cast("list[float]", numbers)
    if len(values) == 4:
        cx, cy, w, h = values
    else:  # a polygon or an oriented box: the box that encloses its points
        xs, ys = values[0::2], values[1::2]
        cx, cy = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
        w, h = max(xs) - min(xs), max(ys) - min(ys)
    width, height = size
    return clipped(
        name,
        round((cx - w / 2) * width, 3),
        round((cy - h / 2) * height, 3),
        round(w * width, 3),
        round(h * height, 3),
        width,
        height,
    )
