"""``hq progress-report`` and ``hq rank --combined`` (issue 16): the working group's compiled
progress report (PDF, XLSX) and the combined ranking (CSV, PDF), from ``hq.progress`` and
``hq.ranking``, with the filters of ``cli.hq_scope``."""

from __future__ import annotations

import argparse
from pathlib import Path

from citizen_rights_desktop.cli.context import Commands, say
from citizen_rights_desktop.cli.hq import _open, _subparsers
from citizen_rights_desktop.cli.hq_scope import add_filters, apply_filters
from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.periods import InvalidPeriod, parse_period
from citizen_rights_desktop.hq import ranking as hq_ranking
from citizen_rights_desktop.hq.national_report import DEFAULT_HQ_NAME


def add_parsers(commands: Commands, common: argparse.ArgumentParser) -> None:
    hq = Commands(_subparsers(commands.commands.choices["hq"]), common)
    report = hq.add_parser("progress-report", help="the compiled progress report of a year: every kind of report beside the year before (PDF, XLSX)")
    report.add_argument("--period", required=True, help="the Jalali year (1399); compared with the year before")
    report.add_argument("-o", "--output", type=Path, required=True, help="the PDF file to write")
    report.add_argument("--xlsx", type=Path, help="also write the same figures as a workbook")
    report.add_argument("--method", type=Path, help="the ranking method file (default: resources/ranking/ranking-method.yaml)")
    add_filters(report)


def _year(text: str) -> str:
    try:
        return parse_period(text, "year").text
    except InvalidPeriod as exc:
        raise ExchangeError("bad_period", f"--period must be a Jalali year such as 1399, not {text!r}", exc.message_fa) from None


def _method(path: Path | None) -> hq_ranking.Method:
    try:
        return hq_ranking.load_method(path)
    except hq_ranking.BadMethod as exc:
        raise ExchangeError("bad_method", exc.message_en, exc.message_fa) from None


def _hq_name(database) -> str:
    row = database.conn.execute("SELECT name FROM hq_identity WHERE id=1").fetchone()
    return row[0] if row else DEFAULT_HQ_NAME


def _scope_text(args) -> str:
    from citizen_rights_desktop.hq.scope import Scope

    return "" if Scope(getattr(args, "province", None), args.county, args.level, args.agency_type).everything else Scope(
        getattr(args, "province", None), args.county, args.level, args.agency_type).describe()  # fmt: skip


def cmd_hq_progress_report(args: argparse.Namespace) -> int:
    from citizen_rights_desktop.hq.progress import build_progress
    from citizen_rights_desktop.hq.progress_pdf import write_progress_pdf
    from citizen_rights_desktop.hq.progress_xlsx import write_progress_xlsx
    from citizen_rights_desktop.pdf.errors import PdfError

    database, store = _open(args)
    catalog = FormCatalog(args.forms)
    refresh_digests(store, catalog)
    period = _year(args.period)
    method = _method(args.method)
    apply_filters(args, database)
    report = build_progress(store, catalog, period, _scope_text(args), method=method)
    try:
        pages = write_progress_pdf(report, args.output, _hq_name(database))
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


def say_combined_ranking(args: argparse.Namespace, database, store, period: str) -> int:
    """``hq rank --combined``: every unit's components and combined score, ranked."""
    from citizen_rights_desktop.hq.progress_pdf import write_ranking_pdf
    from citizen_rights_desktop.pdf.errors import PdfError

    method = _method(args.method)
    ranking = hq_ranking.combined_ranking(store, FormCatalog(args.forms), _year(period.split("-")[0]), method)
    names = [c.id for c in method.components]
    say(f"{method.title} ({', '.join(f'{c.id} {c.weight:g}' for c in method.components)}; required: {', '.join(method.required) or 'none'})")
    say(f"{'rank':<6}" + "".join(f"{n:>14}" for n in names) + f"{'combined':>10}  {'unit id':<34}name")
    for unit in ranking:
        parts = "".join(f"{unit.parts[n]:>14.2f}" if n in unit.parts else f"{'-':>14}" for n in names)
        combined = f"{unit.combined:.2f}" if unit.combined is not None else "-"
        say(f"{unit.rank if unit.rank is not None else '-':<6}{parts}{combined:>10}  {unit.office_id:<34}{unit.name}")
    if args.csv:
        say(f"wrote {hq_ranking.write_ranking_csv(ranking, method, args.csv)}")
    if args.pdf:
        try:
            pages = write_ranking_pdf(ranking, method, period, _scope_text(args), args.pdf, _hq_name(database))
        except PdfError as exc:
            raise ExchangeError("pdf", exc.message_en, exc.message_fa) from None
        say(f"wrote {args.pdf} ({pages} pages)")
    return 0


COMMANDS = {("hq", "progress-report"): cmd_hq_progress_report}
