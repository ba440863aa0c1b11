"""The library's defaults and choices that its command line states: one home each.

Kept apart from the modules that use them, and free of the library's imports, so that
``rekog-versions --help`` states them without importing the library.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

__all__ = [
    "DEFAULT_FEATURE",
    "DEFAULT_POLL_SCHEDULE",
    "DEFAULT_TIMEOUT",
    "FEATURES",
    "IMAGE_WORKERS",
    "JOB_NAME",
    "LABEL_FOLDERS",
    "MAX_IMAGE_WORKERS",
    "MAX_POLL_INTERVAL",
    "MIN_POLL_INTERVAL",
    "SEED",
    "TEST_FRACTION",
    "YOLO_SPLITS",
    "Feature",
    "LabelFolder",
]

#: What a project trains: the service model's ``CustomizationFeature`` values.
Feature = Literal["CONTENT_MODERATION", "CUSTOM_LABELS"]
#: The same values, in the model's order.
FEATURES: Final[tuple[Feature, ...]] = get_args(Feature)
#: The feature of a project created without one: the service's default.
DEFAULT_FEATURE: Final[Feature] = "CUSTOM_LABELS"

#: The default waits between polls in seconds. Quick at first, so a training that fails
#: on its manifest is noticed within seconds, then once a minute for the hours a training
#: can take. The last value repeats.
DEFAULT_POLL_SCHEDULE: Final = (5.0, 5.0, 10.0, 15.0, 30.0, 60.0)

#: The shortest and the longest time between polls that a wait takes, in seconds: below
#: a millisecond the schedule's arithmetic loses its meaning (5e-324 overflowed), and a
#: year is as long as a wait waits. The library's own bounds, not the service's.
MIN_POLL_INTERVAL: Final = 0.001
MAX_POLL_INTERVAL: Final = 365 * 24 * 3600.0

#: How long a wait waits by default, in seconds: the documented maximum training time is
#: 24 hours.
DEFAULT_TIMEOUT: Final = 24 * 3600.0

#: How many images manifest validation reads at once by default, a thread each: S3 serves
#: each GET in tens of milliseconds, so 16 threads keep a core busy parsing.
IMAGE_WORKERS: Final = 16

#: The most images read at once: a thread each, and thousands fail to start on most machines.
MAX_IMAGE_WORKERS: Final = 1024

#: The share of each label's images a made manifest's testing split takes by default.
TEST_FRACTION: Final = 0.2

#: The seed that picks a made manifest's testing images by default.
SEED: Final = 0

#: The ``job-name`` of the lines of a made manifest, by default.
JOB_NAME: Final = "rekog-versions"

#: The splits a YOLO dataset may name besides ``train`` (data.yaml's ``val`` and
#: ``test``; Darknet's ``valid`` is ``val``): each goes to the testing manifest when
#: chosen, and is left out, reported, when not. All of them by default.
YOLO_SPLITS: Final = ("val", "test")

#: Which folder of an image's path is its label: ``first``, the folder under the root (as
#: the console labels images; the default), or ``deepest``, the one that holds the image.
LabelFolder = Literal["first", "deepest"]
LABEL_FOLDERS: Final[tuple[LabelFolder, ...]] = get_args(LabelFolder)
