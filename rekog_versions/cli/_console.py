"""What ``rekog-versions`` writes: results on stdout, people's lines and logs on stderr.

Everything written goes through :class:`Console`; log records go through it too (by
:func:`configure_logging`'s handler), with credentials taken out of them first.
"""

from __future__ import annotations

import json
import logging
import re
import threading
from typing import TYPE_CHECKING, Final, TextIO

if TYPE_CHECKING:
    import argparse
    from collections.abc import Callable, Mapping

__all__ = ["Console", "Redact", "configure_logging"]


def write(stream: TextIO, text: str) -> None:
    """Write text any stream can take.

    What the stream's encoding cannot take (a file name that is not UTF-8, which Python
    keeps as lone surrogates) is written as a backslash escape, valid in JSON output too.
    """
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        text = text.encode(encoding, "backslashreplace").decode(encoding, "replace")
    stream.write(text)


class Console:
    """stdout for results, stderr for people; a live line when stderr is a terminal.

    Everything written to stderr goes through here, under one lock, so that a log
    record or an error never lands on the end of the live line: the line is cleared,
    the record written, and the line drawn again.
    """

    def __init__(self, stdout: TextIO, stderr: TextIO, *, quiet: bool, output: str) -> None:
        self.stdout = stdout
        self.stderr = stderr
        self.quiet = quiet
        self.output = output
        self.live = hasattr(stderr, "isatty") and stderr.isatty()
        self._lock = threading.Lock()
        self._live_line: str | None = None
        #: What takes credentials out of every log record and error written to stderr.
        self.redact = Redact()
        #: The library's parameter names, and the flags a user of the command typed.
        self.flags: Mapping[str, str] = {}
        self._named: re.Pattern[str] | None = None

    def progress(self, message: str, *, replace: bool = False) -> None:
        if self.quiet:
            return
        with self._lock:
            if self.live and replace:
                write(self.stderr, f"\r\x1b[K{message}")
                self._live_line = message
            else:
                self._end_live_line()
                write(self.stderr, message + "\n")
            self.stderr.flush()

    def _end_live_line(self) -> None:
        """Keep the live line as it is and go on below it."""
        if self._live_line is not None:
            self.stderr.write("\n")
            self._live_line = None

    def log(self, text: str) -> None:
        """A log record: above the live line, which is drawn again below it; redacted."""
        text = self.redact.redact(text)
        with self._lock:
            if self._live_line is not None:
                write(self.stderr, f"\r\x1b[K{text}\n{self._live_line}")
            else:
                write(self.stderr, text + "\n")
            self.stderr.flush()

    def in_flags(self, text: str) -> str:
        """``text`` with the library's parameter names (``check_images=True``) as flags."""
        if not self.flags:
            return text
        if self._named is None:
            names = "|".join(sorted(map(re.escape, self.flags), key=len, reverse=True))
            self._named = re.compile(rf"\b({names})\b(?:=(?:True|False)?)?")
        return self._named.sub(lambda found: self.flags[found.group(1)], text)

    def error(self, message: str) -> None:
        message = self.redact.redact(self.in_flags(message))
        with self._lock:
            self._end_live_line()
            write(self.stderr, f"rekog-versions: {message}\n")
            self.stderr.flush()

    def result(self, data: object, text: str, markdown: str | None = None) -> None:
        if self.output == "markdown" and markdown is not None:
            text = markdown
        if self.output == "json":
            write(self.stdout, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
        else:
            write(self.stdout, text + ("\n" if text and not text.endswith("\n") else ""))
        self.stdout.flush()


class Redact:
    """Takes credentials out of every line before it is written, at every level.

    botocore's DEBUG log shows the signed request: the access key ID in the
    ``Authorization`` header, the session token in ``X-Amz-Security-Token``, the signature.
    The values of the credentials in use (``secrets``, filled when the clients are built)
    and anything shaped like them are replaced.
    """

    #: Secrets by shape: access key IDs; signatures; and the value of any member named
    #: like a secret key or a token, in headers, query strings, XML (STS's AssumeRole
    #: answer), JSON (SSO's GetRoleCredentials) and Python reprs, escaped or not.
    _SHAPES: Final = re.compile(
        r"(?:AKIA|ASIA)[A-Z0-9]{12,}"
        r"|(?<=Signature=)[0-9a-f]{16,}"
        r"|(?i:(?P<name>(?:secret[-_]?(?:access[-_]?)?key|session[-_]?token|security[-_]?token)"
        r"(?:\\?['\"])?\s*(?:[:=>]\s*)b?(?:\\?['\"])?))"
        r"[^'\"<\s\\,;&}]+"
    )

    def __init__(self) -> None:
        """Know no value yet: the clients' credentials are added as they are built."""
        self.secrets: set[str] = set()

    def redact(self, text: str) -> str:
        """``text`` with every secret it holds, by value or by shape, replaced."""
        for secret in sorted(self.secrets, key=len, reverse=True):
            text = text.replace(secret, "<redacted>")
        return self._SHAPES.sub(_redacted, text)


def _redacted(found: re.Match[str]) -> str:
    """What stands for a secret found by shape: its member's name is kept."""
    return f"{found.group('name') or ''}<redacted>"


class _LogHandler(logging.Handler):
    """Writes each record through the console, which keeps it off the live line."""

    def __init__(self, console: Console) -> None:
        super().__init__()
        self.console = console

    def emit(self, record: logging.LogRecord) -> None:
        try:  # the whole line, a traceback's text included, is redacted as it is written
            self.console.log(self.format(record))
        except Exception:  # noqa: BLE001 - logging must never raise; it reports instead
            self.handleError(record)


def configure_logging(
    args: argparse.Namespace, console: Console
) -> tuple[Redact, Callable[[], None]]:
    """One handler on stderr for the library (and botocore with --debug), redacting.

    --quiet shows errors only (not the retry warnings), the default warnings, -v INFO,
    --debug everything.
    """
    redact = console.redact
    handler = _LogHandler(console)
    if args.verbose or args.debug:
        handler.setFormatter(logging.Formatter("%(asctime)s %(name)s %(levelname)s %(message)s"))
    else:
        handler.setFormatter(logging.Formatter("rekog-versions: %(levelname)s: %(message)s"))
    if args.debug:
        level = logging.DEBUG
    elif args.verbose:
        level = logging.INFO
    else:
        level = logging.ERROR if args.quiet else logging.WARNING
    loggers = [logging.getLogger("rekog_versions")]
    if args.debug:
        loggers.append(logging.getLogger("botocore"))
    for logger in loggers:
        logger.addHandler(handler)
        logger.setLevel(level)
        logger.propagate = False  # written here once, not again by a root handler

    def undo() -> None:
        for logger in loggers:
            logger.removeHandler(handler)
            logger.setLevel(logging.NOTSET)
            logger.propagate = True

    return redact, undo
