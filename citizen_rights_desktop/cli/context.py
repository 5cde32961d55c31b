"""What every command group shares: the exit codes, the error type, the sub-parser helper, and
opening the database and the form catalog named by ``--db`` / ``--forms``."""

from __future__ import annotations

import argparse
import sys

from citizen_rights_desktop.editing.form_upgrade import newer_version, upgrade_drafts
from citizen_rights_desktop.exchange.office_enrolment import install_profile_forms
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
    """The report and the form definition it was filled against. A draft made with an earlier
    version of its form is moved to the newest installed one first (a backup is taken; answers the
    new version no longer asks are set aside, see ``editing.form_upgrade``)."""
    if forms.profile_database != str(report_store.database.path):  # forms headquarters' profile delivered, once
        install_profile_forms(report_store.database, forms)
        forms.profile_database = str(report_store.database.path)
    report = report_store.load_report(report_id)
    if report.state == "draft" and newer_version(forms, report.form_id, report.form_version) is not None:
        plans = upgrade_drafts(report_store, forms, report_store.database.path)
        for plan in plans:
            aside = f"; {len(plan.set_aside)} answer(s) set aside (see 'report show')" if plan.set_aside else ""
            say(f"note: draft {plan.report_id} moved from form version {plan.from_version} to {plan.to_version}{aside}", err=True)
        report = report_store.load_report(report_id)
    return report, forms.get(report.form_id, report.form_version)
