"""Where a made manifest goes: written aside, then put in place with the others, or not.

A local manifest is written to a file of its own beside the destination and moved into
place; one on S3 is written to a temporary file and uploaded whole; one that is not a
regular file (a FIFO, a pipe, ``/dev/stdout``) is written to a temporary file and copied
into it once every line is made, so that a run that fails sends it nothing. The outputs of a run
take their places together (:func:`commit`): S3 first, where a failure is likely, then
the local renames; when one fails, those already made are undone, so the destinations
are all new or all as they were. Errors name the destination, never the file aside.
"""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import IO, TYPE_CHECKING, Final, cast

from rekog_versions._aws import boto3_client, map_errors
from rekog_versions.errors import ServiceError
from rekog_versions.models import S3Object

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from mypy_boto3_s3 import S3Client

__all__ = ["Output", "commit"]

logger: Final = logging.getLogger("rekog_versions")


def _named(error: OSError, name: str) -> OSError:
    """The same error (its class and number), naming ``name`` instead of a file aside."""
    if error.errno is None:  # one of this module's, which names the destination already
        return error
    return OSError(error.errno, error.strerror or str(error), name)


class Output:
    """One manifest being written.

    Args:
        destination: A local path or an ``s3://bucket/key`` URI. A local path that is a
            link is written through (the file it points to is replaced, the link kept);
            one that is not a regular file (a FIFO, ``/dev/stdout``, ``/dev/fd/N``) is
            written into once every line is made, nothing when the run fails.
        s3_client: The client for an S3 destination; built when first needed.
    """

    def __init__(self, destination: str | Path, s3_client: S3Client | None) -> None:
        """Open the file the lines are written to."""
        self.name = str(destination)
        self._client = s3_client
        self._s3: S3Object | None = None
        self._partial: Path | None = None
        self._target: Path | None = None
        self._device: Path | None = None  # a FIFO, a pipe or a device, copied into at the end
        self._previous: IO[bytes] | None = None  # an S3 object's body before, to undo
        self.file: IO[bytes]
        if self.name.startswith("s3://"):
            import tempfile  # noqa: PLC0415 - only for an S3 output

            self._s3 = S3Object.from_uri(self.name)
            self.file = tempfile.TemporaryFile()  # noqa: SIM115 - closed by finish/discard
            return
        try:
            self.file = self._open_local(Path(destination))
        except OSError as error:
            raise _named(error, self.name) from None

    def _open_local(self, given: Path) -> IO[bytes]:
        try:
            mode = given.stat().st_mode  # through links
        except FileNotFoundError:
            mode = None
        if mode is not None and stat.S_ISDIR(mode):  # said now, not after every line
            raise IsADirectoryError(f"{given} is a folder; name the manifest file")
        if mode is not None and not stat.S_ISREG(mode):
            import tempfile  # noqa: PLC0415 - only for a FIFO, a pipe or a device

            self._device = given  # cannot be undone: copied into once every line is made
            return tempfile.TemporaryFile()
        import secrets  # noqa: PLC0415 - only for a local file

        # The file a link points to is the one replaced; beside it (so that moving the
        # new one there is one rename), with the permissions any new file gets, and a
        # name of its own, in case of two runs.
        target = Path(os.path.realpath(given))
        self._target = target
        self._partial = target.with_name(f".{target.name}.{secrets.token_hex(6)}.partial")
        return self._partial.open("xb")

    def write(self, data: bytes) -> None:
        """Add lines; an error names the destination."""
        try:
            self.file.write(data)
        except OSError as error:
            raise _named(error, self.name) from None

    def finish(self) -> None:
        """Write out what is buffered, for an S3 output rewind; an error names it."""
        try:
            if self._s3 is not None or self._device is not None:
                self.file.flush()
                self.file.seek(0)
            else:
                self.file.close()
        except OSError as error:
            raise _named(error, self.name) from None

    def discard(self) -> None:
        """Leave the destination as it was: close, and remove the file aside."""
        try:
            self.file.close()
        except OSError:
            pass  # what it held is not wanted: a failure to flush it changes nothing
        finally:
            if self._partial is not None:
                self._partial.unlink(missing_ok=True)

    def put_in_place(self, *, undoable: bool) -> Callable[[], None] | None:
        """Make this output the destination; return what undoes it, where that can be.

        Args:
            undoable: Whether to keep what the destination held, so that the change can
                be undone (only needed when another output may still fail after it).
        """
        if self._s3 is not None:
            return self._upload(self._s3, undoable=undoable)
        if self._device is not None:
            self._copy_into(self._device)
            return None  # what a FIFO or a device was given cannot be taken back
        if self._partial is None or self._target is None:
            return None
        target, partial = self._target, self._partial
        backup: Path | None = None
        had = False
        if undoable:
            backup = self._backup_name()
            try:
                os.link(target, backup)  # the old file, kept under another name
                had = True
            except FileNotFoundError:
                pass  # no file there before: undoing is removing the new one
            except OSError:
                backup = None  # links are not made here: it cannot be undone
        try:
            partial.replace(target)
        except OSError as error:
            if had and backup is not None:
                backup.unlink(missing_ok=True)
            raise _named(error, self.name) from None
        if backup is None:
            return None
        kept = backup

        def undo() -> None:
            if had:
                kept.replace(target)
            else:
                target.unlink(missing_ok=True)

        return undo

    def _backup_name(self) -> Path:
        partial = cast("Path", self._partial)
        return partial.with_name(partial.name.removesuffix(".partial") + ".previous")

    def forget_backup(self) -> None:
        """Remove what :meth:`put_in_place` kept to undo it, once nothing can fail."""
        if self._partial is not None:
            self._backup_name().unlink(missing_ok=True)
        if self._previous is not None:
            self._previous.close()

    def _upload(self, where: S3Object, *, undoable: bool) -> Callable[[], None] | None:
        client = self._client or boto3_client("s3", library_retries=False)
        previous: IO[bytes] | None = None
        existed = False
        if undoable:
            import tempfile  # noqa: PLC0415

            previous = self._previous = tempfile.TemporaryFile()  # noqa: SIM115 - forget_backup
            try:
                with map_errors("GetObject"):
                    client.download_fileobj(where.bucket, where.name, previous)
                existed = True
            except ServiceError as error:
                if error.code not in {"404", "NoSuchKey", "NotFound"}:
                    raise
        with map_errors("PutObject"):
            client.upload_fileobj(self.file, where.bucket, where.name)
        self.file.close()
        if previous is None:
            return None
        kept = previous

        def undo() -> None:
            with map_errors("restoring " + where.uri):
                if existed:
                    kept.seek(0)
                    client.upload_fileobj(kept, where.bucket, where.name)
                else:
                    client.delete_object(Bucket=where.bucket, Key=where.name)

        return undo

    def _copy_into(self, device: Path) -> None:
        """Write the lines into a FIFO, a pipe or a device; an error names it."""
        import shutil  # noqa: PLC0415 - only for a FIFO, a pipe or a device

        try:
            with device.open("wb") as out:
                shutil.copyfileobj(self.file, out)
        except OSError as error:
            raise _named(error, self.name) from None
        finally:
            self.file.close()

    @property
    def on_s3(self) -> bool:
        """Whether the destination is an S3 object."""
        return self._s3 is not None

    @property
    def final(self) -> bool:
        """Whether writing it cannot be undone (a FIFO, a pipe, a device): it goes last."""
        return self._device is not None


def commit(outputs: Sequence[Output]) -> None:
    """Put every output in place, or none: S3 uploads first, then the local renames.

    A FIFO, a pipe or a device is written last, since what it was given cannot be
    taken back.

    When one fails, those already in place are undone (an S3 object's earlier body
    uploaded again, or the object removed; a local file's earlier contents moved back),
    the rest discarded, and the error raised.
    """
    ordered = sorted(outputs, key=lambda output: (not output.on_s3, output.final))
    done: list[Callable[[], None] | None] = []
    several = len(ordered) > 1
    try:
        for index, output in enumerate(ordered):
            done.append(output.put_in_place(undoable=several and index < len(ordered) - 1))
    except BaseException:
        for undo in reversed(done):
            if undo is None:
                continue
            try:
                undo()
            except Exception as failure:  # noqa: BLE001 - said, then the first error raised
                logger.error("could not restore a manifest as it was: %s", failure)  # noqa: TRY400
        for output in ordered[len(done) :]:
            output.discard()
        raise
    finally:
        for output in ordered:
            output.forget_backup()
