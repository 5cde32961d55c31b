"""What every command group shares: the exit codes, the error type, the sub-parser helper, and
opening the database and the form catalog named by ``--db`` / ``--forms``."""

from __future__ import annotations

import argparse
import sys

from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.paths import default_database_path
from citizen_rights_desktop.persian.text import printable
from storage import ReportStore, open_database

EXIT_ERROR = 2
EXIT_INCOMPLETE = 3


def say(text: object = "", *, err: bool = False) -> None:
    """Print one line. Names, comments and messages come from outside (a bundle, a profile, a
    certificate, a clerk): a line break, control or bidi override inside them is shown escaped, so
    no name can print a line of its own ("imported …") or reverse the rest of the line (issue 12).
    Output of several lines is said line by line."""
    print(printable(text), file=sys.stderr if err else sys.stdout)


class CommandError(Exception):
    """A one-line English reason; ``main`` prints it as ``error: …`` and exits 2."""


class Commands:
    """Sub-command parsers that all accept the common options (``--db``, ``--forms``)."""

    def __init__(self, commands, common: argparse.ArgumentParser):
        self.commands = commands
        self.common = common

    def add_parser(self, name: str, **kwargs) -> argparse.ArgumentParser:
        return self.commands.add_parser(name, parents=[self.common], **kwargs)

    def group(self, name: str, help: str) -> Commands:  # noqa: A002 - argparse's own word
        """A command group such as ``report`` or ``hq``, whose actions are its sub-commands."""
        return Commands(self.add_parser(name, help=help).add_subparsers(dest="action", required=True), self.common)


def open_catalog(args: argparse.Namespace) -> FormCatalog:
    found = FormCatalog(args.forms)
    for error in found.errors:
        for line in str(error).splitlines():
            say(f"warning: form definition skipped: {line}", err=True)
    return found


def open_store(args: argparse.Namespace) -> ReportStore:
    return ReportStore(open_database(args.db or default_database_path()))


def resolve_report(report_store: ReportStore, forms: FormCatalog, report_id: str):
    """The report and the form definition it was filled against."""
    report = report_store.load_report(report_id)
    return report, forms.get(report.form_id, report.form_version)
