"""``hq progress-report`` (issue 16): the working group's compiled progress report (PDF, XLSX) from
``hq.progress``, with the filters of ``cli.hq_scope``."""

from __future__ import annotations

import argparse
from pathlib import Path

from citizen_rights_desktop.cli.context import Commands, say
from citizen_rights_desktop.cli.hq import _open, _subparsers
from citizen_rights_desktop.cli.hq_ranking import hq_name, method_of, scope_text, year_of
from citizen_rights_desktop.cli.hq_scope import add_filters, apply_filters
from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.form.catalog import FormCatalog


def add_parsers(commands: Commands, common: argparse.ArgumentParser) -> None:
    hq = Commands(_subparsers(commands.commands.choices["hq"]), common)
    report = hq.add_parser("progress-report", help="the compiled progress report of a year: every kind of report beside the year before (PDF, XLSX)")
    report.add_argument("--period", required=True, help="the Jalali year (1399); compared with the year before")
    report.add_argument("-o", "--output", type=Path, required=True, help="the PDF file to write")
    report.add_argument("--xlsx", type=Path, help="also write the same figures as a workbook")
    report.add_argument("--method", type=Path, help="the ranking method file (default: resources/ranking/ranking-method.yaml)")
    add_filters(report)


def cmd_hq_progress_report(args: argparse.Namespace) -> int:
    from citizen_rights_desktop.hq.progress import build_progress
    from citizen_rights_desktop.hq.progress_pdf import write_progress_pdf
    from citizen_rights_desktop.hq.progress_xlsx import write_progress_xlsx
    from citizen_rights_desktop.pdf.errors import PdfError

    database, store = _open(args)
    catalog = FormCatalog(args.forms)
    refresh_digests(store, catalog)
    period = year_of(args.period)
    method = method_of(args.method)
    apply_filters(args, database)
    report = build_progress(store, catalog, period, scope_text(args), method=method)
    try:
        pages = write_progress_pdf(report, args.output, hq_name(database))
    except PdfError as exc:
        raise ExchangeError("pdf", exc.message_en, exc.message_fa) from None
    say(f"wrote {args.output} ({pages} pages): {period} beside {report.previous}")
    if args.xlsx:
        say(f"wrote {write_progress_xlsx(report, args.xlsx)}")
    improved, worse = report.improved(3), report.worse(3)
    for word, figures in (("improved", improved), ("got worse", worse)):
        for figure in figures:
            say(f"  {word}: {figure.key} {figure.before} -> {figure.now}")
    return 0


COMMANDS = {("hq", "progress-report"): cmd_hq_progress_report}
