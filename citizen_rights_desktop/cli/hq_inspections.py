"""``hq inspections``: headquarters' roll-up of the joint inspection teams' visits (issue 15), from
``hq.inspections`` (the window and the exports use the same functions)."""

from __future__ import annotations

import argparse
import datetime as dt

from citizen_rights_desktop.cli.context import Commands, say
from citizen_rights_desktop.cli.hq import _open, _subparsers
from citizen_rights_desktop.cli.hq_kinds import percent_text
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.form.periods import InvalidPeriod, parse_period
from citizen_rights_desktop.hq import inspections as hq_inspections
from citizen_rights_desktop.hq import profile as hq_profile
from citizen_rights_desktop.report.office import PROVINCES


def add_parsers(commands: Commands, common: argparse.ArgumentParser) -> None:
    hq = Commands(_subparsers(commands.commands.choices["hq"]), common)
    parser = hq.add_parser("inspections", help="the joint inspection teams' visits rolled up: scores, findings, contradictions, trend")
    parser.add_argument("--period", required=True, help="a Jalali year (1399) or quarter (1399-Q3): the visits made in it")
    parser.add_argument("--by", choices=["province", "agency"], help="one line per province or per agency instead of national")
    parser.add_argument("--province", help="only the visits in this province (its id, e.g. fars): a provincial headquarters' view")
    parser.add_argument("--kind", metavar="FORM_ID", default=hq_inspections.INSPECTION_FORM_ID, help="the inspection form (default: joint_inspection)")
    demo = hq.add_parser("demo", help="fill an empty headquarters database with realistic received submissions of every kind, for two years")
    demo.add_argument("--units", type=int, default=300, help="how many reporting units (default 300)")
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--visits", type=int, help="inspection visits (default: a quarter of --units)")


def _period(text: str) -> str:
    try:
        return parse_period(text, "quarter" if "q" in text.lower() else "year").text
    except InvalidPeriod as exc:
        raise ExchangeError("bad_period", f"--period must be a Jalali year (1399) or quarter (1399-Q3), not {text!r}", exc.message_fa) from None


def cmd_hq_inspections(args: argparse.Namespace) -> int:
    database, store = _open(args)
    period = _period(args.period)
    catalog = FormCatalog(args.forms)
    hq_profile.install_province_forms(database, catalog)
    try:
        form = catalog.latest(args.kind)
    except FormNotFound:
        raise ExchangeError("unknown_kind", f"no inspection form {args.kind!r} is installed", "این نوع گزارش در نرم‌افزار موجود نیست.") from None
    if args.province is not None and args.province not in PROVINCES:
        raise ExchangeError("bad_province", f"unknown province {args.province!r} (one of {', '.join(PROVINCES)})", "استان نامعتبر است.")
    every = hq_inspections.visits(store, catalog, None, form.id)
    if args.province:
        every = [v for v in every if v.province == args.province]
    chosen = [v for v in every if hq_inspections.in_period(v.period, period)]
    scope = f" in {args.province}" if args.province else ""
    if not chosen:
        say(f"no inspection visits for {period}{scope}")
        return 0
    today = dt.date.today()
    say(f"inspection visits {period}{scope}: {len(chosen)} (checklist versions: {', '.join(sorted({v.form_version for v in chosen}))})")
    say("groups: visits, mean score, open findings, overdue findings, contradictions with self-reports")
    for group in hq_inspections.rollup(chosen, every, args.by, today):
        label = PROVINCES.get(group.key, group.key) if args.by == "province" else group.key
        say(f"  {group.visits:5d}  {percent_text(group.mean_score):>7}  {group.open_findings:5d}  {group.overdue_findings:5d}  {group.contradictions:5d}  {label or 'national'}")
    say("by dimension: mean score, visits scored")
    titles = {d.id: d.title for d in form.dimensions}
    for key, (mean, count) in hq_inspections.mean_by(chosen, "by_dimension").items():
        say(f"  {key:<4} {percent_text(mean):>7}  {count:5d}  {titles.get(key, '')}")
    say("by right (article of the resolution): mean score, visits scored")
    names = dict(form.rights)
    for key, (mean, count) in hq_inspections.mean_by(chosen, "by_right").items():
        say(f"  {key:<4} {percent_text(mean):>7}  {count:5d}  {names.get(key, '')}")
    contradictions = [(v, c) for v in chosen for c in v.contradictions]
    say(f"contradictions with the offices' annual reports: {len(contradictions)}")
    for visit, item in contradictions:
        say(f"  {visit.period.text}  {item.indicator_id} (annual {', '.join(item.claimed)} answered yes)  {visit.office_name}")
    say("trend: quarter, visits, mean score")
    for quarter, count, mean in hq_inspections.trend(every):
        say(f"  {quarter:<8} {count:5d}  {percent_text(mean):>7}")
    return 0


def cmd_hq_demo(args: argparse.Namespace) -> int:
    from citizen_rights_desktop.hq.demo import fill_demo
    from storage import open_database

    if args.db is None:
        raise ExchangeError("no_database", "--db is required: demo data never goes into the default headquarters database", "پایگاه داده را مشخص کنید.")
    if not 1 <= args.units <= 100_000:
        raise ExchangeError("bad_units", "--units must be between 1 and 100000", "تعداد واحدها باید بین ۱ و ۱۰۰۰۰۰ باشد.")
    database = open_database(args.db, take_backups=False)
    try:
        if database.conn.execute("SELECT 1 FROM hq_submission LIMIT 1").fetchone() or database.conn.execute("SELECT 1 FROM report LIMIT 1").fetchone():
            raise ExchangeError("not_empty", f"{args.db} already holds reports: demo data only goes into a new, empty database", "این پایگاه داده خالی نیست.")
        summary = fill_demo(database, FormCatalog(args.forms), args.units, args.seed, args.visits)
    finally:
        database.close()
    for kind, count in summary.reports.items():
        say(f"  {kind}: {count} report(s)")
    say(f"  joint_inspection 1399: {summary.visits} visit(s)")
    say(f"filled {args.db} with {summary.units} units' submissions (seed {args.seed})")
    return 0


COMMANDS = {("hq", "inspections"): cmd_hq_inspections, ("hq", "demo"): cmd_hq_demo}
