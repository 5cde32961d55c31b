"""The ``citizen-rights`` command line: builds the parser from each command group, runs one
command, and turns every expected failure into one English line.

Messages are English; exit status 0 on success, 2 with a one-line ``error:`` reason otherwise
(``report validate`` exits 3 when the report is valid but incomplete). Never a traceback.

The windows (no sub-command, and ``hq window``) belong to the interface, which the core never
imports: ``ui.launcher`` passes them in as a :class:`FrontEnd`.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from citizen_rights_desktop import __version__
from citizen_rights_desktop.cli import exchange as cli_exchange
from citizen_rights_desktop.cli import hq as cli_hq
from citizen_rights_desktop.cli import pdf as cli_pdf
from citizen_rights_desktop.cli import report as cli_report
from citizen_rights_desktop.cli.context import EXIT_ERROR, CommandError, Commands
from citizen_rights_desktop.editing.editor import EvidenceUnreadable, UnknownItem
from citizen_rights_desktop.exchange.errors import ExchangeError
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
    return parser


COMMANDS = {**cli_report.COMMANDS, **cli_pdf.COMMANDS, **cli_exchange.COMMANDS, **cli_hq.COMMANDS}


def _run_app(args: argparse.Namespace) -> int:
    if args.front_end is None:
        raise CommandError("the desktop interface is not installed; install with: pip install -e '.[ui]'")
    return args.front_end.open_office(args.db, args.forms)


def main(argv: list[str] | None = None, front_end: FrontEnd | None = None) -> int:
    args = _parser().parse_args(argv)
    args.db = getattr(args, "db", None)
    args.forms = getattr(args, "forms", None)
    args.front_end = front_end
    try:
        if args.self_check:
            from citizen_rights_desktop.cli.self_check import run_self_check

            return run_self_check(extra_steps=front_end.self_check_steps if front_end else ())
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
    print(f"error: {message}", file=sys.stderr)
    return EXIT_ERROR
