"""The ``citizen-rights`` command line: builds the parser from each command group, runs one
command, and turns every expected failure into one English line.

Messages are English; exit status 0 on success, 2 with a one-line ``error:`` reason otherwise
(``report validate`` exits 3 when the report is valid but incomplete). Never a traceback: an
``OSError`` no command foresaw is still one line, and a reader that closes the output early
(``citizen-rights report list | head``) ends the command quietly with status 1.

The windows (no sub-command, and ``hq window``) belong to the interface, which the core never
imports: ``ui.launcher`` passes them in as a :class:`FrontEnd`.
"""

from __future__ import annotations

import argparse
import os
import sys
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from citizen_rights_desktop import __version__
from citizen_rights_desktop.cli import exchange as cli_exchange
from citizen_rights_desktop.cli import hq as cli_hq
from citizen_rights_desktop.cli import hq_inspections as cli_hq_inspections
from citizen_rights_desktop.cli import hq_forward as cli_hq_forward
from citizen_rights_desktop.cli import hq_progress as cli_hq_progress
from citizen_rights_desktop.cli import pdf as cli_pdf
from citizen_rights_desktop.cli import report as cli_report
from citizen_rights_desktop.cli import send as cli_send
from citizen_rights_desktop.cli.context import EXIT_ERROR, CommandError, Commands, say
from citizen_rights_desktop.editing.editor import EvidenceUnreadable, UnknownItem
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.files import WriteError
from citizen_rights_desktop.form.catalog import FormNotFound
from citizen_rights_desktop.form.definition import FormDefinitionError
from citizen_rights_desktop.report import answers_document
from storage import DatabaseError

# re-exported for scripts that catch them from here
__all__ = ["EXIT_ERROR", "CommandError", "FrontEnd", "main"]


@dataclass(frozen=True)
class FrontEnd:
    """What the desktop interface adds to the command line, handed in by ``ui.launcher``.

    ``open_office(db, forms)`` and ``open_hq(db, forms)`` run a window and return its exit status;
    ``self_check_steps`` are extra ``(name, step)`` pairs for ``--self-check`` (Qt and its fonts).
    """

    open_office: Callable[[Path | None, Path | None], int]
    open_hq: Callable[[Path, Path | None], int]
    self_check_steps: list[tuple[str, Callable[[], object]]] = field(default_factory=list)


def _parser() -> argparse.ArgumentParser:
    # --db and --forms are accepted before or after the sub-command ("citizen-rights demo --db X")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", type=Path, default=argparse.SUPPRESS, help="database file (default: the user's data folder)")
    common.add_argument("--forms", type=Path, default=argparse.SUPPRESS, help="folder of form definitions (default: the bundled forms/)")
    parser = argparse.ArgumentParser(
        prog="citizen-rights", parents=[common], description="Citizen Rights Desktop: report on citizen rights in the administrative system."
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    parser.add_argument("--self-check", action="store_true", help="check this installation (fonts, forms, database, PDF, Qt), print ok, exit 0")
    commands = Commands(parser.add_subparsers(dest="command"), common)
    report = cli_report.add_parsers(commands)  # forms check, demo, report list|show|validate|new|set|export-json|import-json
    cli_pdf.add_parsers(commands, report)  # report pdf|verify-pdf, identity …
    cli_exchange.add_parsers(commands, report, common)  # hq init|profile|enrol|…|import, office …, report bundle
    cli_hq.add_parsers(commands, common)  # hq status|analyse|rank|export|review|compare|window, office import-feedback
    cli_hq_inspections.add_parsers(commands, common)  # hq inspections, hq demo
    cli_hq_progress.add_parsers(commands, common)  # hq progress-report
    cli_hq_forward.add_parsers(commands, common)  # hq forward, hq import-forward
    cli_send.add_parsers(commands, common)  # send, office receipts, office set-intake
    return parser


COMMANDS = {**cli_report.COMMANDS, **cli_pdf.COMMANDS, **cli_exchange.COMMANDS, **cli_hq.COMMANDS, **cli_hq_inspections.COMMANDS, **cli_hq_progress.COMMANDS, **cli_hq_forward.COMMANDS, **cli_send.COMMANDS}


def _run_app(args: argparse.Namespace) -> int:
    if args.front_end is None:
        raise CommandError("the desktop interface is not installed; install with: pip install -e '.[ui]'")
    return args.front_end.open_office(args.db, args.forms)


def main(argv: list[str] | None = None, front_end: FrontEnd | None = None) -> int:
    _quiet_third_party_warnings()
    try:
        args = _parser().parse_args(argv)
        args.db = getattr(args, "db", None)
        args.forms = getattr(args, "forms", None)
        args.front_end = front_end
        status = _run(args)
        sys.stdout.flush()  # a reader that went away shows here when the whole output fitted in the buffer
        return status
    except BrokenPipeError:
        return _reader_gone()


def _run(args: argparse.Namespace) -> int:
    try:
        if args.self_check:
            from citizen_rights_desktop.cli.self_check import run_self_check

            return run_self_check(extra_steps=args.front_end.self_check_steps if args.front_end else ())
        if args.command is None:
            return _run_app(args)
        return COMMANDS[(args.command, getattr(args, "action", None))](args)
    except DatabaseError as exc:
        message = exc.message_en
    except cli_pdf.ERRORS as exc:
        message = exc.message_en
    except ExchangeError as exc:
        message = exc.message_en
    except (CommandError, FormDefinitionError, answers_document.AnswersDocumentError) as exc:
        message = str(exc).splitlines()[0] if isinstance(exc, FormDefinitionError) else str(exc)
    except FormNotFound as exc:
        message = exc.message_en
    except (UnknownItem, ValueError) as exc:
        message = str(exc)
    except EvidenceUnreadable as exc:
        message = exc.message_en
    except KeyboardInterrupt:
        message = "interrupted"
    except BrokenPipeError:
        raise  # the reader of our output went away (| head): not an error to report, see main
    except OSError as exc:  # the last resort: a file problem no command foresaw is still one line
        message = _os_error_message(exc)
    say(f"error: {message}", err=True)
    return EXIT_ERROR


def _os_error_message(exc: OSError) -> str:
    """``files.WriteError`` (a failed write: ``cannot write PATH: REASON``) says it all; any other
    ``OSError`` as ``PATH: REASON`` (or its reason alone), on one line."""
    if isinstance(exc, WriteError):
        return exc.message_en
    reason = exc.strerror or str(exc) or type(exc).__name__
    return f"{exc.filename}: {reason}" if exc.filename else reason


def _reader_gone() -> int:
    """The reader of the output closed the pipe (``citizen-rights report list | head``): stop quietly.

    Python's recipe (documentation of ``signal``, "Note on SIGPIPE"): point stdout at the null device,
    so the interpreter's last flush of what is still buffered does not fail again and print
    "Exception ignored … BrokenPipeError", and exit 1. Called in-process with a captured stdout (no
    file descriptor), there is nothing to redirect."""
    try:
        fd = sys.stdout.fileno()
    except (AttributeError, ValueError, OSError):  # io.UnsupportedOperation is both a ValueError and an OSError
        return 1
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, fd)
    finally:
        os.close(devnull)
    return 1


def _quiet_third_party_warnings() -> None:
    """Users of the command line should not see Python warnings about our dependencies' internals:
    pyHanko imports cryptography's DSA names, which recent cryptography releases deprecate with a
    ``CryptographyDeprecationWarning`` on every run that signs or checks a PDF. Only that category,
    only when raised from pyHanko's modules: every other warning is still shown."""
    try:
        from cryptography.utils import CryptographyDeprecationWarning
    except ImportError:
        return
    warnings.filterwarnings("ignore", category=CryptographyDeprecationWarning, module=r"pyhanko")
