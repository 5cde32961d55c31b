"""The core commands: ``forms check``, ``demo`` and the ``report`` group (list, show, validate,
new, set, export-json, import-json). The groups of the other stages register ``report pdf``,
``report bundle`` and so on in their own modules."""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from citizen_rights_desktop.cli.context import (
    EXIT_ERROR,
    EXIT_INCOMPLETE,
    CommandError,
    Commands,
    open_catalog,
    open_store,
    resolve_report,
    say,
)
from citizen_rights_desktop.editing.demo import demo_report, generate_reports
from citizen_rights_desktop.editing.editor import ReportEditor
from citizen_rights_desktop.editing.form_upgrade import set_aside_items, upgrade_drafts
from citizen_rights_desktop.editing.report_list import PeriodNotCovered, new_report
from citizen_rights_desktop.exchange.office_enrolment import install_profile_forms
from citizen_rights_desktop.files import write_atomically
from citizen_rights_desktop.form.catalog import FormNotFound, form_files
from citizen_rights_desktop.form.definition import FormDefinitionError
from citizen_rights_desktop.form.loader import load_form
from citizen_rights_desktop.form.periods import InvalidPeriod
from citizen_rights_desktop.paths import default_database_path, forms_dir, sample_database_path
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.report import answers_document
from citizen_rights_desktop.report.model import HEADER
from citizen_rights_desktop.report.validation import computed_values, signer, validate_report


def add_parsers(commands: Commands) -> Commands:
    """Add ``forms``, ``demo`` and ``report``; returns the ``report`` group for the other stages' actions."""
    forms = commands.group("forms", help="form definitions")
    check = forms.add_parser("check", help="validate form definitions")
    check.add_argument("path", nargs="?", type=Path, help="a .yaml file or a folder (default: the bundled forms)")

    demo = commands.add_parser("demo", help="create sample data (without --db: in the sample database, never the real one)")
    demo.add_argument("--reports", type=int, help="make N varied reports (for tests and benchmarks) instead of one complete demo report")
    demo.add_argument("--seed", type=int, default=0, help="random seed for --reports")
    demo.add_argument("--form", metavar="FORM_ID", help="the kind of report (e.g. citizen_rights_programs; default: the annual report)")

    report = commands.group("report", help="reports")
    report.add_parser("list", help="list the reports")
    for name, text in (("show", "show a report's answers and completeness"), ("validate", "list what is missing or wrong")):
        sub = report.add_parser(name, help=text)
        sub.add_argument("report")
    delete = report.add_parser("delete", help="delete a draft report (a backup of the database is taken first)")
    delete.add_argument("report")
    new = report.add_parser("new", help="create an empty report for the database's office")
    new.add_argument("--period", help="the period reported on: a Jalali year (default: the form's year) or, for a quarterly form, a quarter such as 1399-Q2")
    new.add_argument("--form", metavar="FORM_ID", help="the kind of report (e.g. citizen_rights_programs; default: the annual report)")
    report.add_parser("upgrade", help="move every draft to the newest version of its form (a backup is taken first)")
    setter = report.add_parser("set", help="answer one item, e.g. 'i04.status yes', 'i12.complaints_total ۱۲۰', 'header.agency ...'")
    setter.add_argument("report")
    setter.add_argument("item", help="SECTION.ITEM: status, reason, justification or a question id of an indicator")
    setter.add_argument("value", help="the value as a clerk would type it; empty to clear")
    export = report.add_parser("export-json", help="write the answers document")
    export.add_argument("report")
    export.add_argument("file", type=Path)
    export.add_argument("--embed-evidence", action="store_true", help="include the evidence files' content (base64)")
    imp = report.add_parser("import-json", help="read an answers document into the database")
    imp.add_argument("args", nargs="+", metavar="[REPORT] FILE")
    return report


def cmd_forms_check(args: argparse.Namespace) -> int:
    target = args.path or args.forms or forms_dir()
    files = form_files(target) if target.is_dir() else [target]
    if not files:
        raise CommandError(f"no form definitions (*.yaml) in {target}")
    failed = False
    for path in files:
        try:
            form = load_form(path)
        except FormDefinitionError as exc:
            failed = True
            for line in str(exc).splitlines():
                say(f"error: {line}", err=True)
            continue
        say(f"{path.name}: {form.id} version {form.version} (year {form.guideline_year}): {len(form.dimensions)} dimensions, {len(form.indicators)} indicators")
    return EXIT_ERROR if failed else 0


def _kind(args: argparse.Namespace, store=None):
    """The newest form of ``--form`` (default: the annual report), the forms headquarters' profile
    delivered included; an unknown one is one line."""
    catalog = open_catalog(args)
    if store is not None:
        install_profile_forms(store.database, catalog)
    try:
        return catalog.latest(getattr(args, "form", None))
    except FormNotFound:
        raise CommandError(f"no form {args.form!r} is installed (installed: {', '.join(catalog.form_ids()) or 'none'})") from None


def cmd_demo(args: argparse.Namespace) -> int:
    form = _kind(args)
    if args.db is None:  # sample data never goes into the office's real database (issue 17)
        args.db = sample_database_path(default_database_path())
        say(f"note: sample data goes to the sample database {args.db}, not the real database {default_database_path()}", err=True)
    store = open_store(args)
    if args.reports is not None:
        if args.reports < 1:
            raise CommandError("--reports must be at least 1")
        ids = generate_reports(store, form, args.reports, seed=args.seed)
        say(f"created {len(ids)} reports in {store.database.path}")
        say(ids[-1])
        return 0
    if form.kind.period == "visit":  # an inspection visit (issue 15): a team, findings
        from citizen_rights_desktop.editing.inspection_demo import demo_inspection

        report_id = demo_inspection(store, form)
        say(f"created the demo inspection visit in {store.database.path}")
        say(report_id)
        return 0
    report_id = demo_report(store, form)
    say(f"created the demo report in {store.database.path}")
    say(report_id)
    return 0


def cmd_report_list(args: argparse.Namespace) -> int:
    store = open_store(args)
    catalog = open_catalog(args)
    reports = store.list_reports()
    if not reports:
        say("no reports")
    for summary in reports:
        try:
            report, form = resolve_report(store, catalog, summary.id)
            percent = f"{validate_report(form, report).completeness:5.1f}%"
        except FormNotFound:
            percent = "  ?  "
        say(f"{summary.id}  {summary.period}  r{summary.revision}  {summary.state:<8} {percent}  {summary.agency}")
    return 0


def cmd_report_show(args: argparse.Namespace) -> int:
    store = open_store(args)
    report, form = resolve_report(store, open_catalog(args), args.report)
    office = store.get_office(report.office_id)
    result = validate_report(form, report, office=office)
    say(f"report   {report.id}")
    say(f"office   {office.agency if office else '?'}")
    # the year reported on and the guideline followed are two things (a 1404 report on the 1398 guideline)
    say(f"period   {report.period} (year reported on); revision {report.revision}; {report.state}")
    say(f"form     {form.id} {form.version} (guideline {form.guideline_year})")
    say(f"changed  {report.updated_at} (guideline deadline {to_jalali_text(form.deadline, persian_digits=False)})")
    if office is not None:
        name, title = signer(form, report, office)
        say(f"signer   {'، '.join(p for p in (name, title) if p) or '-'}")
    for problem in result.header:
        if problem.code == "signer_differs":
            say(f"warning  {problem.location}: {problem.message_en}")
    say(f"complete {result.completeness}%")
    for item in set_aside_items(store, report.id):
        say(f"set aside {item.location} = {json.dumps(item.value, ensure_ascii=False)} (asked by form {item.from_version}, not by {form.version}; kept, never printed or sent)")
    for dimension in form.dimensions:
        say(f"dimension {dimension.number}: {dimension.title}")
        for indicator in dimension.indicators:
            answer = report.section(indicator.id)
            state = result.sections[indicator.id].state
            extra = ""
            if answer.status == "yes":
                rows = sum(len(answer.rows(t.id)) for t in indicator.tables)
                computed = {k: round(v, 2) for k, v in computed_values(indicator, answer).items() if v is not None}
                extra = f" rows={rows}" + (f" {computed}" if computed else "")
            say(f"  {indicator.id} {state:<14} {answer.status or '-':<15} evidence={len(answer.evidence)}{extra}")
    return 0


def cmd_report_validate(args: argparse.Namespace) -> int:
    store = open_store(args)
    report, form = resolve_report(store, open_catalog(args), args.report)
    result = validate_report(form, report)
    for problem in result.problems:
        say(f"{problem.location}: {problem.message_en}")
    if result.is_complete:
        say(f"report {report.id} is complete (100%)")
        return 0
    say(f"report {report.id} is {result.completeness}% complete; {len(result.problems)} problem(s)")
    return EXIT_INCOMPLETE


def cmd_report_delete(args: argparse.Namespace) -> int:
    from citizen_rights_desktop.editing.report_list import delete_draft

    backup = delete_draft(open_store(args), args.report)
    say(f"deleted draft report {args.report}; the database as it was is in {backup}")
    return 0


def cmd_report_new(args: argparse.Namespace) -> int:
    store = open_store(args)
    form = _kind(args, store)
    offices = store.offices()
    if not offices:
        raise CommandError("this database has no office profile yet; set one up in the application first (or run 'demo')")
    if args.period is None and form.kind.period != "year":
        raise CommandError(f"--period is required for {form.id}: a quarter such as {form.guideline_year}-Q2")
    try:
        period = form.period(args.period or str(form.guideline_year)).text
    except InvalidPeriod as exc:
        raise CommandError(exc.message_en) from None
    try:  # one report per form and period: a second one is refused (a change is a new revision)
        report_id = new_report(store, form, offices[0].id, period)
    except PeriodNotCovered as exc:  # and its kind PeriodAlreadyReported
        raise CommandError(exc.message_en) from None
    basis = f"the {form.guideline_year} guideline" if not form.kind.guideline_name else f"form {form.id}"
    say(f"new report for {period}, following {basis} (form {form.id} {form.version})", err=True)
    say(report_id)
    return 0


def cmd_report_upgrade(args: argparse.Namespace) -> int:
    store = open_store(args)
    plans = upgrade_drafts(store, open_catalog(args), store.database.path)
    for plan in plans:
        say(f"{plan.report_id}: {plan.from_version} -> {plan.to_version}: {plan.kept} answer(s) kept, {len(plan.moves)} moved, {len(plan.set_aside)} set aside")
        for item in plan.set_aside:
            say(f"  set aside {item.location} = {json.dumps(item.value, ensure_ascii=False)}")
    if not plans:
        say("every draft already uses the newest version of its form")
    return 0


def cmd_report_set(args: argparse.Namespace) -> int:
    store = open_store(args)
    report, form = resolve_report(store, open_catalog(args), args.report)
    editor = ReportEditor(store, form, report.id)
    section_id, _, item = args.item.partition(".")
    if not item:
        raise CommandError(f"item must be SECTION.ITEM such as i04.status, not {args.item!r}")
    value = args.value
    if section_id == HEADER:
        result = editor.set_header(item, value)
    elif item == "status":
        aliases = {"na": "not_applicable", "": None}
        editor.set_status(section_id, aliases.get(value, value))
        say(f"{args.item} = {aliases.get(value, value)}")
        return 0
    elif item == "reason":
        result = editor.set_reason(section_id, value)
    elif item == "justification":
        result = editor.set_justification(section_id, value)
    else:
        result = editor.set_value(section_id, item, value)
    if result.refused:  # out of range: nothing was stored, so this is an error, not a warning
        raise CommandError(f"{args.item}: {result.problem.message_en}; nothing was changed")
    say(f"{args.item} = {json.dumps(result.value, ensure_ascii=False)}")
    if result.problem:
        say(f"warning: kept as typed: {result.problem.message_en}", err=True)
    return 0


def cmd_report_export(args: argparse.Namespace) -> int:
    store = open_store(args)
    report = store.load_report(args.report)
    content = None
    if args.embed_evidence:
        content = {ev.sha256: store.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
    document = answers_document.to_document(report, store.get_office(report.office_id), content)
    # complete or not at all, synced; a failure (a full disk) is files.WriteError, one line from cli.main
    write_atomically(args.file, answers_document.dumps(document).encode("utf-8"))
    say(f"wrote {args.file}")
    return 0


def cmd_report_import(args: argparse.Namespace) -> int:
    if len(args.args) > 2:
        raise CommandError("import-json takes [REPORT] FILE")
    expected, path = (args.args[0], Path(args.args[1])) if len(args.args) == 2 else (None, Path(args.args[0]))
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise CommandError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    report, office, blobs = answers_document.loads(text)
    if expected and expected != report.id:
        raise CommandError(f"{path} holds report {report.id}, not {expected}")
    form = open_catalog(args).get(report.form_id, report.form_version)
    problems = answers_document.structural_problems(form, report)
    if problems:
        raise CommandError(f"{path} does not fit form {form.id} {form.version}: {problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
    store = open_store(args)
    if store.report_exists(report.id):
        raise CommandError(f"report {report.id} is already in {store.database.path}; nothing was changed")
    if office is None:
        raise CommandError(f"{path} has no office profile")
    if store.get_office(office.id) is None:
        store.save_office(office)
    embedded = {hashlib.sha256(b).hexdigest() for b in blobs}
    missing = [ev.name for s in report.sections.values() for ev in s.evidence if ev.sha256 not in embedded and not store.has_blob(ev.sha256)]
    if missing:
        raise CommandError(f"evidence content missing for {missing[0]!r}: export with --embed-evidence")
    store.write_report(report, blobs)
    say(f"imported report {report.id}")
    return 0


COMMANDS = {
    ("forms", "check"): cmd_forms_check,
    ("demo", None): cmd_demo,
    ("report", "list"): cmd_report_list,
    ("report", "show"): cmd_report_show,
    ("report", "validate"): cmd_report_validate,
    ("report", "new"): cmd_report_new,
    ("report", "upgrade"): cmd_report_upgrade,
    ("report", "delete"): cmd_report_delete,
    ("report", "set"): cmd_report_set,
    ("report", "export-json"): cmd_report_export,
    ("report", "import-json"): cmd_report_import,
}
