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

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.pdf.report_pdf import RenderResult, render_report_pdf
from citizen_rights_desktop.signing.identity import OfficeIdentity
from storage.report_store import ReportStore


def write_report_pdf(
    store: ReportStore,
    form: FormDefinition,
    report_id: str,
    output: str | Path,
    identity: OfficeIdentity | None = None,
    *,
    emblem: bytes | str | Path | None = None,
    signature_image: bytes | str | Path | None = None,
    seal_image: bytes | str | Path | None = None,
    letter_number: str | None = None,
    letter_date: dt.date | None = None,
    on_page: Callable[[int], None] | None = None,
) -> RenderResult:
    """Render the report to ``output``; with ``identity``, sign it, keep it and lock the report.

    Raises the renderer's, signer's and identity's errors (each with ``message_en`` /
    ``message_fa``); on error nothing is left at ``output`` and the report is unchanged.
    """
    if identity is not None:
        problem = identity.validity_problem()
        if problem is not None:
            raise problem
    report = store.load_report(report_id)
    office = store.get_office(report.office_id)
    output = Path(output)
    target = output.with_name(f".{output.name}.unsigned.pdf") if identity else output
    result = render_report_pdf(
        form, report, office, None, target, emblem=emblem, signature_image=signature_image, seal_image=seal_image,
        letter_number=letter_number, letter_date=letter_date, on_page=on_page,
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
    return new_id, write_report_pdf(store, form, new_id, output, identity, on_page=on_page)
