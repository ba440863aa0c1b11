"""What the clients do, written once as steps that do no I/O.

Every operation of :class:`~rekog_versions.ProjectVersionsClient` and
:class:`~rekog_versions.AsyncProjectVersionsClient` is a generator here: it yields an
effect (send one request, pause, run some steps within a deadline, run some steps side
by side), receives what the effect gave, or the library's error for it, and decides.
Each client only performs the effects, the synchronous one with boto3 and threads, the
asynchronous one with aiobotocore and asyncio (a "sans-I/O" core, as h11's): so what is
retried, what a status means, when a wait ends, whether an existing version matches a
request and how a result file is read are decided in one place for both.

The operations are grouped by their job: creating (:mod:`._creating`), following a
training (:mod:`._following`) and judging its results (:mod:`._judging`), on the calls
they share (:mod:`._calls`).
"""

from __future__ import annotations

from rekog_versions._operations._calls import (
    Overdue,
    Pause,
    Send,
    Steps,
    Together,
    Within,
    check_region,
)
from rekog_versions._operations._creating import Creating
from rekog_versions._operations._following import Following
from rekog_versions._operations._judging import Judging

__all__ = [
    "Operations",
    "Overdue",
    "Pause",
    "Send",
    "Steps",
    "Together",
    "Within",
    "check_region",
]


class Operations(Creating, Following, Judging):
    """Every operation both clients share, as :data:`Steps`; a client runs them."""
