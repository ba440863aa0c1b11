"""The exit codes of ``rekog-versions``: what each means, in one table.

Every command returns one of these; ``rekog-versions --help`` lists them from
:data:`EXIT_CODES`.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "EXIT_CODES",
    "GATE_FAILED",
    "INTERRUPTED",
    "INVALID_INPUT",
    "MANIFEST_INVALID",
    "NOT_TRAINING",
    "OK",
    "SERVICE_ERROR",
    "STILL_TRAINING",
    "TERMINATED",
    "TRAINING_FAILED",
    "WAIT_TIMED_OUT",
    "Failure",
    "Terminated",
]

OK: Final = 0
SERVICE_ERROR: Final = 1
INVALID_INPUT: Final = 2
TRAINING_FAILED: Final = 3
WAIT_TIMED_OUT: Final = 4
MANIFEST_INVALID: Final = 5
NOT_TRAINING: Final = 6
GATE_FAILED: Final = 7
STILL_TRAINING: Final = 75  # EX_TEMPFAIL in sysexits.h: try again later
INTERRUPTED: Final = 130
TERMINATED: Final = 143  # 128 + SIGTERM, as a shell reports a process SIGTERM ended

#: Every exit code and what it means.
EXIT_CODES: Final = {
    OK: "success (for validate-manifest: training would proceed)",
    SERVICE_ERROR: "the service, the connection or this machine (a full disk) failed "
    "(code, message and request id on stderr)",
    INVALID_INPUT: "invalid input: usage, the request's validation, preflight problems, "
    "or a missing extra (its install line on stderr)",
    TRAINING_FAILED: "training ended in TRAINING_FAILED",
    WAIT_TIMED_OUT: "the wait timed out",
    MANIFEST_INVALID: "a manifest would make training fail",
    NOT_TRAINING: "the version is in a status where no training happens (e.g. DELETING)",
    GATE_FAILED: "gate: a quality condition failed (each one named)",
    STILL_TRAINING: "wait --once: the training is still going; poll again at next_poll_at",
    INTERRUPTED: "interrupted (Ctrl-C)",
    TERMINATED: "terminated (SIGTERM); what it was writing is removed, nothing replaced",
}


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised where the command is, so that it stops as Ctrl-C stops it.

    Each ``finally`` runs on the way out: a manifest being written is removed and none
    replaces what was there (``Ctrl-C`` did this; ``SIGTERM`` left files behind).
    """


class Failure(Exception):  # noqa: N818 - an exit code and its message, not an error class
    """Ends a command with an exit code and a message for stderr."""

    def __init__(self, code: int, message: str) -> None:
        """End with ``code``, saying ``message``."""
        super().__init__(message)
        self.code = code
