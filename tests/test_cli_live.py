"""The live status line of `wait` on a terminal: it moves, and log lines stay off it."""

from __future__ import annotations

import io
import re

from emulated import World, create_argv
from rekog_versions.cli import main


class Terminal(io.StringIO):
    """A stderr that says it is a terminal, so the command draws its live line."""

    def isatty(self) -> bool:
        return True


def _create_and_wait(world: World, *flags: str) -> tuple[int, str]:
    world.local.training_seconds = 2.6
    rekognition = world.rekognition()
    project = rekognition.create_project(ProjectName="live")["ProjectArn"]
    err = Terminal()
    code = main(
        [*create_argv(project), "--wait", "--poll-interval", "2", *flags],
        rekognition=rekognition,
        s3=world.s3,
        stdout=io.StringIO(),
        stderr=err,
    )
    return code, err.getvalue()


def test_the_elapsed_time_moves_between_polls(world: World) -> None:
    """Polls 2 s apart, yet the line shows every second: 0m00s, 0m01s, 0m02s."""
    code, err = _create_and_wait(world)
    assert 0 == code, err
    shown = re.findall(r"\r\x1b\[Kv1: TRAINING_IN_PROGRESS \((\dm\d\ds)\)", err)
    assert {"0m00s", "0m01s", "0m02s"} <= set(shown), err
    assert "v1: TRAINING_COMPLETED" in err


def test_log_lines_are_never_written_onto_the_live_line(world: World) -> None:
    """With -v each record clears the live line, is written, and the line is drawn again."""
    code, err = _create_and_wait(world, "-v")
    assert 0 == code, err
    assert "rekog_versions INFO" in err
    # The live line ends with its elapsed time; what follows is a redraw or a new line.
    assert re.search(r"TRAINING_IN_PROGRESS \(\dm\d\ds\)[^\r\n]", err) is None, err
    for record in re.finditer(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ rekog_versions INFO", err):
        before = err[: record.start()]
        assert before.endswith(("\r\x1b[K", "\n")) or not before, err
