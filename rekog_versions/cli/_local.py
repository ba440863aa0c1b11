"""The commands that run offline: ``emulate`` and ``demo``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

from rekog_versions.cli._exit import INVALID_INPUT, Failure
from rekog_versions.cli._options import Command, duration, port

if TYPE_CHECKING:
    import argparse

    from rekog_versions.cli._console import Console
    from rekog_versions.cli._session import Session

__all__ = ["COMMANDS"]


def _emulate_options(emulate: argparse.ArgumentParser) -> None:
    emulate.add_argument("--port", type=port, default=0, help="Rekognition's port (default: free)")
    emulate.add_argument("--s3-port", type=port, default=0, help="S3's port (default: free)")
    emulate.add_argument(
        "--training-seconds",
        type=duration,
        default=5.0,
        metavar="DURATION",
        help="how long each training takes (default: %(default)g s)",
    )


def _run_emulate(args: argparse.Namespace, session: Session, console: Console) -> int:
    del session  # the emulator serves; it calls nothing
    from rekog_versions.testing.server import run_emulator  # noqa: PLC0415

    try:
        return run_emulator(
            console.stdout,
            console.stderr,
            port=args.port,
            s3_port=args.s3_port,
            training_seconds=args.training_seconds,
            verbose=args.verbose or args.debug,
        )
    except ValueError as error:  # the settings, as LocalRekognition judges them
        raise Failure(INVALID_INPUT, f"emulate: {error}") from None


def _demo_options(demo: argparse.ArgumentParser) -> None:
    del demo  # the demo takes no options of its own


def _run_demo(args: argparse.Namespace, session: Session, console: Console) -> int:
    del args, session  # the demo builds its own emulated clients
    from rekog_versions.testing.demo import run_demo  # noqa: PLC0415

    return run_demo(console.stdout, console.stderr)


COMMANDS: Final = (
    Command(
        "emulate",
        "serve an emulated Rekognition and S3 on loopback until interrupted",
        "  rekog-versions emulate --training-seconds 10   "
        "# then: export the printed AWS_ENDPOINT_URL_*",
        _emulate_options,
        _run_emulate,
    ),
    Command(
        "demo",
        "run the offline end-to-end demo: LocalRekognition on loopback, moto's S3",
        "  rekog-versions demo",
        _demo_options,
        _run_demo,
    ),
)
