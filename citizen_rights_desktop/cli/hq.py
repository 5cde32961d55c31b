"""Headquarters analysis commands: ``hq status|analyse|rank|export|review|compare`` and
``office import-feedback`` (gathered by ``cli.main`` after ``cli.exchange``).

Every figure comes from the functions the UI calls (``hq.completeness``, ``hq.analysis``, ``hq.review``,
``hq.export``, ``hq.national_report``). Output is aligned plain text; ids and numbers first so the columns
line up in any terminal, Persian names last. Errors are ``ExchangeError`` (one English line, exit 2).
"""

from __future__ import annotations

import argparse
import getpass
from pathlib import Path

from citizen_rights_desktop.cli import hq_serve as cli_hq_serve
from citizen_rights_desktop.cli.context import CommandError, Commands, say
from citizen_rights_desktop.cli.hq_scope import add_filters, apply_filters
from citizen_rights_desktop.cli.hq_kinds import number_text as _num
from citizen_rights_desktop.cli.hq_kinds import percent_text as _pct
from citizen_rights_desktop.cli.hq_kinds import say_kind_analysis
from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.exchange import feedback as feedback_files
from citizen_rights_desktop.exchange.errors import ExchangeError, read_passphrase_file
from citizen_rights_desktop.exchange.office_enrolment import apply_deadlines
from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.form.periods import InvalidPeriod
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import compare as hq_compare
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import profile as hq_profile
from citizen_rights_desktop.hq import review as hq_review
from citizen_rights_desktop.paths import default_database_path
from citizen_rights_desktop.report.office import PROVINCES


def add_parsers(commands: Commands, common: argparse.ArgumentParser) -> None:
    """Add the analysis commands to the ``hq`` and ``office`` groups ``cli.exchange`` created."""
    hq_parser = commands.commands.choices["hq"]
    office_parser = commands.commands.choices["office"]
    hq = Commands(_subparsers(hq_parser), common)
    office = Commands(_subparsers(office_parser), common)
    cli_hq_serve.add_parsers(hq)  # hq serve: the intake service (issue 18)

    def scope(parser: argparse.ArgumentParser, province: bool = True) -> argparse.ArgumentParser:
        parser.add_argument("--kind", metavar="FORM_ID", help="the kind of report (a form id such as citizen_rights_programs; default: the annual report)")
        parser.add_argument("--period", help="the period reported on: a Jalali year (1399) or, for a quarterly kind, a quarter (1399-Q2); default: the annual form's year")
        add_filters(parser, province)
        return parser

    status = scope(hq.add_parser("status", help="who has reported: on time, late, not yet (per province; --province P: its units)"), province=False)
    status.add_argument("--province", help="drill down into one province (its id, e.g. fars, or 'national')")
    status.add_argument("--reminders", type=Path, metavar="CSV", help="also write the units not yet reported as a CSV file (UTF-8 with BOM)")
    analyse = scope(hq.add_parser("analyse", help="answer shares per indicator and numeric summaries"))
    analyse.add_argument("--by", choices=["province", "level"], help="shares per province or per level instead of national")
    deadline = hq.add_parser("set-deadline", help="how many days after its period a kind of report is due (offices learn it from the next profile)")
    deadline.add_argument("--kind", metavar="FORM_ID", required=True, help="a kind with periods shorter than a year, e.g. citizen_rights_programs")
    deadline.add_argument("--days", type=int, required=True, help="days after the period ends (0-365; default without this: the form's, 15)")
    rank = scope(hq.add_parser("rank", help="units ranked by score (ties share a rank; units without a report last)"))
    rank.add_argument("--provinces", action="store_true", help="rank provinces by their mean score instead")
    rank.add_argument("--combined", action="store_true", help="the combined ranking: self-report, inspection and satisfaction, weighted by --method")
    rank.add_argument("--method", type=Path, help="the ranking method file (default: resources/ranking/ranking-method.yaml)")
    rank.add_argument("--csv", type=Path, help="with --combined: also write the ranking as CSV (UTF-8 with BOM) for publication")
    rank.add_argument("--pdf", type=Path, help="with --combined: also write the ranking as a letterhead PDF for publication")
    export = scope(hq.add_parser("export", help="the analysis as XLSX, CSV files or the national report PDF"))
    what = export.add_mutually_exclusive_group(required=True)
    what.add_argument("--xlsx", type=Path, metavar="FILE", help="the analysis workbook")
    what.add_argument("--tables-xlsx", type=Path, metavar="FILE", help="the data workbook: every row of every reporting table")
    what.add_argument("--csv", type=Path, metavar="FOLDER")
    what.add_argument("--pdf", type=Path, metavar="FILE", help="the national analytical report (letterhead PDF)")
    review = hq.add_parser("review", help="accept or return a received report; writes the signed feedback file for the office")
    review.add_argument("decision", choices=["accept", "return"])
    review.add_argument("submission", help="submission id (or its first characters, as 'hq status --province' prints)")
    review.add_argument("--comment", nargs=2, action="append", default=[], metavar=("INDICATOR", "TEXT"),
                        help="a comment on an indicator (i04 …, or 'general'); repeat for more")  # fmt: skip
    review.add_argument("--by", help="reviewer's name for the record (default: the OS user)")
    review.add_argument("--passphrase-file", type=Path, required=True, help="file whose first line is the headquarters passphrase")
    review.add_argument("-o", "--output", type=Path, required=True, help="the feedback file to give the office")
    compare = hq.add_parser("compare", help="what a resubmitted revision changed, indicator by indicator")
    compare.add_argument("submission")
    hq.add_parser("window", help="open the headquarters window (receive, completeness, review, analysis, ranking, exports)")
    feedback = office.add_parser("import-feedback", help="import a signed feedback file from headquarters (comments per indicator)")
    feedback.add_argument("file", type=Path)


def _subparsers(parser: argparse.ArgumentParser):
    for action in parser._actions:  # the group's sub-command list made by cli_exchange
        if isinstance(action, argparse._SubParsersAction):
            return action
    raise RuntimeError(f"{parser.prog} has no sub-commands")


# --- helpers ---------------------------------------------------------------------------------


def _open(args: argparse.Namespace):
    from storage import ReportStore, open_database

    path = args.db or default_database_path()
    if args.db is not None and not Path(path).exists():
        raise ExchangeError("no_database", f"no database at {path}", "پایگاه داده پیدا نشد.")
    database = open_database(path)
    if database.conn.execute("SELECT 1 FROM hq_identity").fetchone() is None and database.conn.execute("SELECT 1 FROM hq_submission").fetchone() is None:
        raise ExchangeError(
            "not_hq", f"{path} is not a headquarters database (no identity and no received reports)", "این پایگاه داده، پایگاه داده ستاد نیست."
        )
    return database, ReportStore(database, actor="headquarters")


def _form(args: argparse.Namespace, database=None):
    """The newest form of ``--kind``, with headquarters' own deadline for it when one was set."""
    catalog = FormCatalog(args.forms)
    if database is not None:
        hq_profile.install_province_forms(database, catalog)
        apply_deadlines(catalog, hq_profile.deadline_days(database))
    kind = getattr(args, "kind", None)
    try:
        return catalog.latest(kind)
    except FormNotFound:
        known = ", ".join(catalog.form_ids()) or "none"
        raise ExchangeError("unknown_kind", f"no kind of report {kind!r} is installed (installed: {known})", "این نوع گزارش در نرم‌افزار موجود نیست.") from None


def _period(args: argparse.Namespace, form) -> str:
    """The period of the form's kind (``InvalidPeriod``'s message when it is not one)."""
    given = getattr(args, "period", None)
    if form.kind.period == "visit":
        raise ExchangeError("visit_kind", f"{form.id} is an inspection checklist: its visits are rolled up by 'hq inspections --period YEAR'", "بازدیدهای بازرسی را با فرمان «hq inspections» ببینید.")
    if given is None and form.kind.period != "year":
        raise ExchangeError("no_period", f"--period is required for {form.id}: a quarter such as {form.guideline_year}-Q2", "دوره گزارش را مشخص کنید.")
    try:
        return form.period(given or str(form.guideline_year)).text
    except InvalidPeriod as exc:
        raise ExchangeError("bad_period", exc.message_en, exc.message_fa) from None


def _province_name(key: str) -> str:
    return PROVINCES.get(key, hq_completeness.NATIONAL_FA)


def _province_arg(value: str | None) -> str | None:
    if value is None:
        return None
    if value in ("national", ""):
        return hq_completeness.NATIONAL
    if value in PROVINCES:
        return value
    by_name = {name: key for key, name in PROVINCES.items()}
    if value in by_name:
        return by_name[value]
    raise ExchangeError("unknown_province", f"unknown province {value!r} (one of {', '.join(PROVINCES)}, or national)", "استان نامعتبر است.")


# --- commands --------------------------------------------------------------------------------


def cmd_hq_status(args: argparse.Namespace) -> int:
    database, _ = _open(args)
    form = _form(args, database)
    period = _period(args, form)
    province = _province_arg(args.province)
    apply_filters(argparse.Namespace(**{**vars(args), "province": None}), database)
    result = hq_completeness.completeness(database.conn, form, period)
    c = result.counts
    say(f"{form.id} {form.version}, period {period}, deadline {_deadline(form, period)} (end of day, Iran time UTC+03:30)")
    say(f"units {c.units}: on time {c.on_time}, late {c.late}, not yet {c.missing} ({_pct(c.percent)} reported)")
    if result.unknown_offices:
        say(f"reports from {len(result.unknown_offices)} office(s) that are not org units: {', '.join(result.unknown_offices[:5])}")
    for office_id, note in sorted(result.register_notes.items()):
        say(f"check unit {office_id}: {note}")
    if province is None:
        say()
        say(f"{'province':<24}{'units':>6}{'on time':>9}{'late':>6}{'not yet':>9}{'reported':>10}  name")
        for row in result.by_province():
            k = row.counts
            if row.province == hq_completeness.NATIONAL and not k.units:
                continue
            say(f"{row.province or 'national':<24}{k.units:>6}{k.on_time:>9}{k.late:>6}{k.missing:>9}{_pct(k.percent):>10}  {row.name}")
    else:
        units = result.in_province(province)
        k = hq_completeness.Counts.of(units)
        say()
        say(f"{province or 'national'} ({_province_name(province)}): units {k.units}, on time {k.on_time}, late {k.late}, not yet {k.missing}")
        say(f"{'status':<9}{'received':<12}{'rev':>4}  {'submission':<12}{'unit id':<34}name (parent)")
        for unit in units:
            received = hq_completeness.jalali_received(unit.first_received_at) or "-"
            parent = f" ({unit.parent_name})" if unit.parent_name else ""
            say(f"{unit.status:<9}{received:<12}{unit.revision or '-':>4}  {(unit.submission_id or '-')[:10]:<12}{unit.unit_id:<34}{unit.name}{parent}")
    if args.reminders:
        path = hq_completeness.write_reminders_csv(result, args.reminders, province)
        say(f"wrote {len(result.reminders(province))} reminder(s) to {path}")
    return 0


def _deadline(form, period: str) -> str:
    """The period's own deadline (a later year's is not the guideline year's; a quarter's is days
    after it ends)."""
    from citizen_rights_desktop.persian.jalali import to_jalali_text

    return to_jalali_text(form.due_date(period), persian_digits=False)


def cmd_hq_analyse(args: argparse.Namespace) -> int:
    database, store = _open(args)
    refresh_digests(store, FormCatalog(args.forms))
    form = _form(args, database)
    period = _period(args, form)
    apply_filters(args, database)
    shares = analysis.status_shares(database.conn, form, period, by=args.by)
    groups = sorted(shares.reports, key=lambda g: (list(PROVINCES).index(g) if g in PROVINCES else len(PROVINCES), g))
    if form.kind.period != "year":  # a kind with its own answers: per program and action (cli.hq_kinds)
        say_kind_analysis(database, store, form, period, shares, groups, args.by)
    for group in groups if form.kind.period == "year" else []:
        label = "all reports" if args.by is None else f"{args.by} {group or 'national'}"
        say(f"{label}: {shares.reports[group]} report(s)")
        say(f"  {'indicator':<10}{'yes':>7}{'no':>7}{'n/a':>7}{'none':>7}{'yes %':>9}  title   (yes % = yes / reports not answering n/a)")
        for indicator in form.indicators:
            got = shares.counts.get((group, indicator.id), dict.fromkeys(analysis.STATUSES, 0))
            say(f"  {indicator.id:<10}{got['yes']:>7}{got['no']:>7}{got['not_applicable']:>7}{got['unanswered']:>7}"
                  f"{_pct(shares.share(group, indicator.id)):>9}  {indicator.title}")  # fmt: skip
    if not groups:
        say(f"no reports for period {period}")
    say()
    say("numeric summaries (reports answering yes)")
    say(f"  {'item':<34}{'reports':>8}{'total':>16}{'mean':>14}  label")
    for item in analysis.numeric_summaries(database.conn, form, period):
        say(f"  {item.indicator_id + '.' + item.item:<34}{item.reports:>8}{_num(item.total):>16}{_num(item.mean):>14}  {item.label}")
    return 0


def cmd_hq_set_deadline(args: argparse.Namespace) -> int:
    database, _ = _open(args)
    form = _form(args, database)
    if form.kind.period == "year":
        raise ExchangeError("yearly_kind", f"{form.id} is a yearly report: its deadline is its guideline's", "مهلت گزارش سالانه را شیوه نامه تعیین می‌کند.")
    if not 0 <= args.days <= 365:
        raise ExchangeError("bad_days", "--days must be between 0 and 365", "تعداد روز باید بین ۰ و ۳۶۵ باشد.")
    hq_profile.set_deadline_days(database, form.id, args.days)
    say(f"{form.id}: due {args.days} day(s) after each period; offices learn it from the next 'hq profile export'")
    return 0


def cmd_hq_rank(args: argparse.Namespace) -> int:
    database, store = _open(args)
    refresh_digests(store, FormCatalog(args.forms))
    form = _form(args, database)
    period = _period(args, form)
    apply_filters(args, database)
    if args.combined:
        from citizen_rights_desktop.cli.hq_ranking import say_combined_ranking

        return say_combined_ranking(args, database, store, period)
    scores = analysis.scores(database.conn, form, period)
    if args.provinces:
        ranks = analysis.rank_provinces(scores, PROVINCES)
        say(f"{'rank':<6}{'province':<24}{'mean':>8}{'reports':>9}  name")
        for r in ranks:
            say(f"{r.rank if r.rank is not None else '-':<6}{r.key:<24}{_score(r.score):>8}{r.reports:>9}  {r.label}")
        return 0
    expected = {u.unit_id: u.name for u in hq_completeness.completeness(database.conn, form, period).units}
    ranks = analysis.rank_units(scores, expected)
    say(f"{'rank':<6}{'score':>8}  {'unit id':<34}name")
    for r in ranks:
        say(f"{r.rank if r.rank is not None else '-':<6}{_score(r.score):>8}  {r.key:<34}{r.label}")
    return 0


def _score(value: float | None) -> str:
    return "no report" if value is None else f"{value:.2f}"


def cmd_hq_export(args: argparse.Namespace) -> int:
    from citizen_rights_desktop.hq import export as hq_export

    database, store = _open(args)
    refresh_digests(store, FormCatalog(args.forms))
    form = _form(args, database)
    period = _period(args, form)
    if form.kind.period != "year" and not args.tables_xlsx:  # the analysis export's sheets are the annual report's (yes / no, the score)
        raise CommandError(f"--xlsx, --csv and --pdf export the annual report's analysis; for {form.id}, 'hq progress-report --period"
                           f" {period.split('-')[0]}' writes its figures per program and action (PDF and XLSX), and --tables-xlsx its data")
    apply_filters(args, database)
    status = hq_completeness.completeness(database.conn, form, period)
    expected = {u.unit_id: u.name for u in status.units}
    extra = [hq_completeness.status_sheet(status), hq_completeness.province_sheet(status), hq_completeness.reminder_sheet(status)]
    if args.xlsx:
        path = hq_export.export_xlsx(database.conn, form, period, args.xlsx, expected, extra)
        say(f"wrote {path}")
    elif args.tables_xlsx:
        say(f"wrote {hq_export.export_tables_xlsx(database.conn, form, period, args.tables_xlsx)}")
    elif args.csv:
        files = hq_export.export_csv(database.conn, form, period, args.csv, expected, extra)
        say(f"wrote {len(files)} CSV file(s) to {args.csv}")
    else:
        from citizen_rights_desktop.hq.national_report import render_national_report
        from citizen_rights_desktop.pdf.errors import PdfError

        row = database.conn.execute("SELECT name FROM hq_identity WHERE id=1").fetchone()
        try:
            result = render_national_report(database.conn, form, period, args.pdf, hq_name=row[0] if row else None)
        except PdfError as exc:
            raise ExchangeError("pdf", exc.message_en, exc.message_fa) from None
        say(f"wrote {result.path} ({result.pages} pages)")
    return 0


def cmd_hq_review(args: argparse.Namespace) -> int:
    from citizen_rights_desktop.exchange import bundle_writer
    from citizen_rights_desktop.hq import identity as hq_identity

    database, _ = _open(args)
    hq = hq_identity.load_hq(database, read_passphrase_file(args.passphrase_file))  # before deciding: a wrong passphrase changes nothing
    author = args.by or _user()
    decision = feedback_files.ACCEPTED if args.decision == "accept" else feedback_files.RETURNED
    state = hq_review.decide(database, args.submission, decision, author, [tuple(c) for c in args.comment])
    bundle_writer.write_atomically(args.output, hq_review.feedback_file(database, hq, state.submission_id))
    say(f"submission {state.submission_id} {state.state} by {author} with {len(state.comments)} comment(s); feedback file: {args.output}")
    return 0


def _user() -> str:
    try:
        return getpass.getuser()
    except Exception:
        return "headquarters"


def cmd_hq_compare(args: argparse.Namespace) -> int:
    database, _ = _open(args)
    current = hq_review.find_submission(database, args.submission)
    previous, changes = hq_compare.compare_submission(database, current.id)
    changed = [c for c in changes if c.changed]
    say(f"office {current.office_id}, revision {previous.revision} -> {current.revision}: {len(changed)} indicator(s) changed")
    for c in changed:
        parts = []
        if c.status_changed:
            parts.append(f"answer {c.status_before or '-'} -> {c.status_after or '-'}")
        if c.reason_changed:
            parts.append("reason changed")
        if c.justification_changed:
            parts.append("justification changed")
        if c.values:
            parts.append("values " + ", ".join(v.item_id for v in c.values))
        for t in c.tables:
            if t.added or t.removed or t.changed:
                parts.append(f"{t.table_id}: {t.rows_before}->{t.rows_after} rows (+{t.added} -{t.removed} ~{t.changed})")
        if c.evidence_added:
            parts.append(f"evidence added {len(c.evidence_added)}")
        if c.evidence_removed:
            parts.append(f"evidence removed {len(c.evidence_removed)}")
        say(f"  {c.indicator_id}: " + "; ".join(parts))
    return 0


def cmd_hq_window(args: argparse.Namespace) -> int:
    path = args.db or default_database_path()
    if not Path(path).exists():
        raise ExchangeError("no_database", f"no database at {path}", "پایگاه داده پیدا نشد.")
    if args.front_end is None:
        raise ExchangeError("no_ui", "the window needs the desktop interface (PySide6), which is not installed", "رابط گرافیکی نصب نیست.")
    return args.front_end.open_hq(Path(path), args.forms)


def cmd_office_import_feedback(args: argparse.Namespace) -> int:
    from storage import open_database

    try:
        data = args.file.read_bytes()
    except OSError as exc:
        raise ExchangeError("unreadable", f"cannot read the feedback file {args.file}: {exc.strerror or exc}", "فایل بازخورد قابل خواندن نیست.") from None
    result = feedback_files.import_feedback(open_database(args.db or default_database_path()), data)
    say(result.message_en)
    for comment in result.feedback.comments if result.changed else []:
        say(f"  {comment.indicator_id}: {comment.text}")
    return 0


COMMANDS = {
    ("hq", "status"): cmd_hq_status,
    ("hq", "analyse"): cmd_hq_analyse,
    ("hq", "rank"): cmd_hq_rank,
    ("hq", "set-deadline"): cmd_hq_set_deadline,
    ("hq", "export"): cmd_hq_export,
    ("hq", "review"): cmd_hq_review,
    ("hq", "compare"): cmd_hq_compare,
    ("hq", "window"): cmd_hq_window,
    ("office", "import-feedback"): cmd_office_import_feedback,
    **cli_hq_serve.COMMANDS,
}
