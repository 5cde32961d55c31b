"""``hq rank --combined`` (issue 16): the combined ranking (text, CSV, PDF) from ``hq.ranking``, and
the helpers the progress report shares with it."""

from __future__ import annotations

import argparse
from pathlib import Path

from citizen_rights_desktop.cli.context import say
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.periods import InvalidPeriod, parse_period
from citizen_rights_desktop.hq import ranking as hq_ranking
from citizen_rights_desktop.hq.national_report import DEFAULT_HQ_NAME


def year_of(text: str) -> str:
    try:
        return parse_period(text, "year").text
    except InvalidPeriod as exc:
        raise ExchangeError("bad_period", f"--period must be a Jalali year such as 1399, not {text!r}", exc.message_fa) from None


def method_of(path: Path | None) -> hq_ranking.Method:
    try:
        return hq_ranking.load_method(path)
    except hq_ranking.BadMethod as exc:
        raise ExchangeError("bad_method", exc.message_en, exc.message_fa) from None


def hq_name(database) -> str:
    row = database.conn.execute("SELECT name FROM hq_identity WHERE id=1").fetchone()
    return row[0] if row else DEFAULT_HQ_NAME


def scope_text(args) -> str:
    from citizen_rights_desktop.hq.scope import Scope

    return "" if Scope(getattr(args, "province", None), args.county, args.level, args.agency_type).everything else Scope(
        getattr(args, "province", None), args.county, args.level, args.agency_type).describe()  # fmt: skip


def say_combined_ranking(args: argparse.Namespace, database, store, period: str) -> int:
    """``hq rank --combined``: every unit's components and combined score, ranked."""
    from citizen_rights_desktop.hq.progress_pdf import write_ranking_pdf
    from citizen_rights_desktop.pdf.errors import PdfError

    method = method_of(args.method)
    ranking = hq_ranking.combined_ranking(store, FormCatalog(args.forms), year_of(period.split("-")[0]), method)
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
            pages = write_ranking_pdf(ranking, method, period, scope_text(args), args.pdf, hq_name(database))
        except PdfError as exc:
            raise ExchangeError("pdf", exc.message_en, exc.message_fa) from None
        say(f"wrote {args.pdf} ({pages} pages)")
    return 0
