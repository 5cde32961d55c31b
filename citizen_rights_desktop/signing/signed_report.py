"""Writing a report's letterhead PDF and, with the office identity, signing it: one sequence for
the application and the command line.

Signing renders to a temporary file beside the output, signs into the output, then keeps the
signed PDF in the database and locks the report in one transaction (``ReportStore.mark_signed``):
the signed PDF is the legal record of the revision, and a bundle is made from it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from citizen_rights_desktop.editing.inspection_context import inspection_context
from citizen_rights_desktop.editing.report_list import reports_of_year
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.pdf.report_pdf import RenderResult, render_report_pdf
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.targets import target_progress
from citizen_rights_desktop.report.validation import validate_report
from citizen_rights_desktop.signing.identity import OfficeIdentity
from storage.report_store import ReportStore


class ReportIncomplete(Exception):
    """Signing locks the report: an incomplete one is signed only when the caller says so (issue 17).
    ``message_en`` / ``message_fa`` say how complete it is and how many problems remain."""

    def __init__(self, completeness: float, problems: int):
        self.completeness = completeness
        self.problems = problems
        self.message_en = (
            f"the report is {completeness}% complete with {problems} problem(s) left; signing would lock it as it is"
            " ('report validate' lists them; sign anyway with --allow-incomplete)"
        )
        self.message_fa = (
            f"گزارش {to_persian_digits(completeness)}٪ کامل است و {to_persian_digits(problems)} مورد ناقص دارد؛"
            " امضا آن را به همین صورت قفل می‌کند."
        )
        super().__init__(self.message_en)


def check_complete(store: ReportStore, form: FormDefinition, report_id: str) -> ReportIncomplete | None:
    """Why the report should not be signed yet (with the office's profile: who signs), else ``None``."""
    report = store.load_report(report_id)
    result = validate_report(form, report, store.get_office(report.office_id))
    return None if result.is_complete else ReportIncomplete(result.completeness, len(result.problems))


def write_report_pdf(
    store: ReportStore,
    form: FormDefinition,
    report_id: str,
    output: str | Path,
    identity: OfficeIdentity | None = None,
    *,
    allow_incomplete: bool = False,
    emblem: bytes | str | Path | None = None,
    signature_image: bytes | str | Path | None = None,
    seal_image: bytes | str | Path | None = None,
    letter_number: str | None = None,
    letter_date: dt.date | None = None,
    on_page: Callable[[int], None] | None = None,
) -> RenderResult:
    """Render the report to ``output``; with ``identity``, sign it, keep it and lock the report.
    Signing an incomplete report raises ``ReportIncomplete`` unless ``allow_incomplete``.

    Raises the renderer's, signer's and identity's errors (each with ``message_en`` /
    ``message_fa``); on error nothing is left at ``output`` and the report is unchanged.
    """
    if identity is not None:
        problem = identity.validity_problem()
        if problem is not None:
            raise problem
        if not allow_incomplete and (incomplete := check_complete(store, form, report_id)) is not None:
            raise incomplete
    report = store.load_report(report_id)
    office = store.get_office(report.office_id)
    output = Path(output)
    target = output.with_name(f".{output.name}.unsigned.pdf") if identity else output
    progress = target_progress(form, report, reports_of_year(store, form, report)) if any(i.target for i in form.indicators) else []
    result = render_report_pdf(
        form, report, office, None, target, emblem=emblem, signature_image=signature_image, seal_image=seal_image,
        letter_number=letter_number, letter_date=letter_date, on_page=on_page, targets=progress,
        inspection=inspection_context(store, form, report),
    )  # fmt: skip
    if identity is None:
        return result
    from citizen_rights_desktop.signing.pades import sign_pdf

    try:
        sign_pdf(target, output, identity, page=result.signature_page, box=result.signature_box)
    finally:
        target.unlink(missing_ok=True)
    store.mark_signed(report_id, output.read_bytes())
    return result


def resign_as_new_revision(
    store: ReportStore,
    form: FormDefinition,
    report_id: str,
    identity: OfficeIdentity,
    output: str | Path,
    on_page: Callable[[int], None] | None = None,
) -> tuple[str, RenderResult]:
    """A new revision of a signed report, signed at once with ``identity``: what an office does when
    its report was signed before headquarters' certificate came (``exchange.sending_check``).
    Returns the new report's id and its PDF. The signed revision stays as it was; if signing the new
    one fails, the new revision is left as a draft the clerk can sign later."""
    problem = identity.validity_problem()
    if problem is not None:
        raise problem
    new_id = store.new_revision(report_id)
    # the same answers as the revision already signed: signed again as they are
    return new_id, write_report_pdf(store, form, new_id, output, identity, allow_incomplete=True, on_page=on_page)
