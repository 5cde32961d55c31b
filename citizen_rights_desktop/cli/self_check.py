"""``citizen-rights --self-check``: proves an installation works, for support staff and the frozen build.

Loads the fonts and form definitions, creates a database in a temporary folder, makes the demo
report, renders its PDF, signs it with a throw-away key and validates the signature, and runs the steps the
interface adds (``ui.self_check``: Qt offscreen with the fonts).
Prints one line per step, then ``ok``; on failure, what failed, and a non-zero exit status.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from citizen_rights_desktop.paths import fonts_dir

FONT_FILES = ("Vazirmatn-Regular.ttf", "Vazirmatn-Bold.ttf")


def _fonts() -> str:
    from reportlab.pdfbase.ttfonts import TTFont

    for name in FONT_FILES:
        TTFont(name, str(fonts_dir() / name))
    if not (fonts_dir() / "OFL.txt").exists():
        raise FileNotFoundError("the font licence OFL.txt is missing")
    return f"fonts: {', '.join(FONT_FILES)}"


def _forms() -> str:
    from citizen_rights_desktop.form.catalog import FormCatalog

    catalog = FormCatalog()
    if catalog.errors:
        raise ValueError(str(catalog.errors[0]).splitlines()[0])
    form = catalog.latest()
    return f"forms: {form.id} {form.version}, {len(form.indicators)} indicators"


def _database_and_pdf(folder: Path) -> list[str]:
    from citizen_rights_desktop.editing.demo import demo_report
    from citizen_rights_desktop.form.catalog import FormCatalog
    from citizen_rights_desktop.pdf.report_pdf import render_report_pdf
    from citizen_rights_desktop.report.validation import validate_report
    from storage import ReportStore, open_database

    form = FormCatalog().latest()
    database = open_database(folder / "self-check.sqlite3")
    try:
        store = ReportStore(database, actor="self-check")
        report_id = demo_report(store, form)
        report = store.load_report(report_id)
        completeness = validate_report(form, report).completeness
        if completeness != 100:
            raise ValueError(f"the demo report is only {completeness}% complete")
        office = store.get_office(report.office_id)
        pdf = folder / "self-check.pdf"
        result = render_report_pdf(form, report, office, None, pdf)
        if not pdf.read_bytes().startswith(b"%PDF"):
            raise ValueError("the PDF file is not a PDF")
        signed = _sign_and_verify(pdf, result)
        return ["database: created, migrated, demo report complete", f"pdf: {result.pages} pages", signed]
    finally:
        database.close()


def _sign_and_verify(pdf: Path, rendered: "RenderResult") -> str:  # noqa: F821 - pdf.report_pdf.RenderResult
    """Sign with a throw-away self-signed identity and validate: proves pyHanko and its data work."""
    from citizen_rights_desktop.signing.identity import create_identity
    from citizen_rights_desktop.signing.pades import sign_pdf, validate_pdf_signature

    identity = create_identity("self-check")
    signed = pdf.with_name("self-check-signed.pdf")
    sign_pdf(pdf, signed, identity, page=rendered.signature_page, box=rendered.signature_box)
    check = validate_pdf_signature(signed, [identity.certificate])
    if not check.ok:
        raise ValueError(f"signature did not validate: {check.reason_en}")
    return "signature: signed and validated"


def run_self_check(out: Callable[[str], None] = print, extra_steps: Iterable[tuple[str, Callable[[], object]]] = ()) -> int:
    """Run every step; ``extra_steps`` come from the interface (``ui.self_check``: Qt and its fonts)."""
    steps: list[tuple[str, Callable[[], object]]] = [("fonts", _fonts), ("forms", _forms)]
    with tempfile.TemporaryDirectory(prefix="crd-self-check-") as folder:
        steps.append(("database and pdf", lambda: _database_and_pdf(Path(folder))))
        steps.extend(extra_steps)
        for name, step in steps:
            try:
                said = step()
            except Exception as exc:  # the point of a self-check is to report any failure as text
                out(f"FAILED {name}: {type(exc).__name__}: {exc}")
                return 1
            for line in said if isinstance(said, list) else [said] if said else []:
                out(line)
    out("ok")
    return 0
