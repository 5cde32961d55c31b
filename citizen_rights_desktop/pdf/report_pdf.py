"""The report as an official letterhead PDF, laid out from the form definition and the answers.

Everything printed comes from the form definition's wording (titles, questions, headings, help,
table headers, option labels) and the answers; only what the answer asks prints
(``report.relevance``): the details and tables for «بله», the reason for «خیر», the questions asked
either way, the justification for «عدم مصداق». The indicators, the diagnostic form and the summary
are ``report_story``'s (what of a section prints: ``section_layout``). The covering letter and the
signature are ``letter``'s: the year reported on (the period, not the guideline's year), the
addressee and the signer (the head named in the report's header).

``render_report_pdf`` writes to a temporary file beside the destination and renames it at the end,
so an error never leaves a half-written PDF.
"""

from __future__ import annotations

import datetime as dt
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

from reportlab.lib.utils import ImageReader
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.pdf import fonts, inspection_story, letter
from citizen_rights_desktop.report.inspection import InspectionContext
from citizen_rights_desktop.pdf.errors import PdfError
from citizen_rights_desktop.pdf.letterhead import (
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Letterhead,
    LetterheadCanvas,
)
from citizen_rights_desktop.pdf.report_story import ReportStory
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.report.fingerprint import answers_fingerprint
from citizen_rights_desktop.report.model import EvidenceRef, Report
from citizen_rights_desktop.report.office import OfficeProfile
from citizen_rights_desktop.report.targets import TargetProgress


@dataclass
class RenderResult:
    """What was written: the file, its page count, and where the signature box is (for signing)."""

    path: Path
    pages: int
    signature_page: int = 0  # 1-based
    signature_box: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)  # x1, y1, x2, y2 in points


@dataclass
class _Images:
    emblem: ImageReader | None = None
    signature: ImageReader | None = None
    seal: ImageReader | None = None


_IMAGE_NAMES = {"emblem": ("emblem", "آرم"), "signature": ("scanned signature", "تصویر امضا"), "seal": ("seal", "تصویر مهر")}


def _image(kind: str, source: bytes | str | os.PathLike | None) -> ImageReader | None:
    """An image for the letterhead or signature block; a missing or unreadable file is a ``PdfError``."""
    if source is None:
        return None
    en, fa = _IMAGE_NAMES[kind]
    if isinstance(source, (str, os.PathLike)):
        try:
            data = Path(source).read_bytes()
        except OSError as exc:
            raise PdfError(f"cannot read the {en} image {source}: {exc.strerror or exc}", f"فایل {fa} «{source}» پیدا نشد یا خواندنی نیست.") from None
    else:
        data = bytes(source)
    try:
        reader = ImageReader(io.BytesIO(data))
        width, height = reader.getSize()
        if width <= 0 or height <= 0:
            raise ValueError("empty image")
    except Exception:
        raise PdfError(f"the {en} image is not a readable PNG or JPEG picture", f"فایل {fa} تصویر معتبری (PNG یا JPEG) نیست.") from None
    return reader


def render_report_pdf(
    form: FormDefinition,
    report: Report,
    office: OfficeProfile,
    evidence_meta: Mapping[str, Sequence[EvidenceRef]] | None,
    out_path: str | os.PathLike,
    *,
    emblem: bytes | str | os.PathLike | None = None,
    signature_image: bytes | str | os.PathLike | None = None,
    seal_image: bytes | str | os.PathLike | None = None,
    letter_number: str | None = None,
    letter_date: dt.date | None = None,
    on_page: Callable[[int], None] | None = None,
    targets: Sequence[TargetProgress] = (),
    inspection: InspectionContext | None = None,
) -> RenderResult:
    """Write the report as a letterhead PDF at ``out_path``; returns pages and the signature box.
    ``targets``: the form's targets over the year so far (``report.targets``), printed after the
    answers. ``inspection``: what an inspection visit's PDF prints beside it (the inspected office's
    annual answers, for the contradictions, and earlier visits' findings followed up).

    ``evidence_meta`` maps a section id to its evidence list (``None``: the report's own lists).
    Images are PNG/JPEG bytes or a file path. ``on_page(n)`` is called as each page is laid out
    (for a progress display). Raises ``PdfError`` (``message_en`` / ``message_fa``); on error
    nothing is left at ``out_path``'s place (an existing file there is untouched).
    """
    fonts.register_fonts()
    images = _Images(_image("emblem", emblem), _image("signature", signature_image), _image("seal", seal_image))
    out_path = Path(out_path)
    evidence = evidence_meta if evidence_meta is not None else {}
    date_text = to_jalali_text(letter_date or dt.date.today())
    any_evidence = any(s.evidence for s in report.sections.values()) or any(evidence.values())
    letterhead = Letterhead(
        organization=office.agency,
        letter_number=letter_number or letter.letter_number(office, report),
        letter_date=date_text,
        attachments="دارد" if any_evidence else "ندارد",
        emblem=images.emblem,
    )
    builder = ReportStory(form, report, office, evidence, PAGE_WIDTH - 2 * MARGIN)
    letter.title_page(builder, date_text)
    inspection_story.opening(builder)
    builder.dimensions()
    inspection_story.results(builder, inspection)
    builder.targets(targets)
    builder.diagnostic()
    builder.summary()
    result = RenderResult(out_path, 0)

    def place(page: int, box: tuple[float, float, float, float]) -> None:
        result.signature_page, result.signature_box = page, box

    letter.signature(builder, images.signature, images.seal, place)
    title = letter.report_title(form, report.period)  # the period reported on, not the guideline's year
    result.pages = write_letterhead_pdf(
        builder.story, out_path, letterhead, title=f"{title} — {office.agency}", author=office.agency,
        subject=title, keywords=binding_keywords(report), on_page=on_page,
    )  # fmt: skip
    return result


BINDING_PREFIX = "citizen-rights-report"


def binding_keywords(report: Report) -> str:
    """What the PDF says it is: its report, revision and answers (``report.fingerprint``). In the
    document information, which the office's signature covers; headquarters compares it with the
    bundle (``signing.pades.report_binding`` reads it back)."""
    return f"{BINDING_PREFIX} {report.id} revision {report.revision} answers-sha256 {answers_fingerprint(report)}"


def write_letterhead_pdf(
    story: list,
    out_path: str | os.PathLike,
    letterhead: Letterhead,
    *,
    title: str,
    author: str,
    subject: str = "",
    keywords: str = "",
    on_page: Callable[[int], None] | None = None,
) -> int:
    """Lay out ``story`` on letterhead A4 pages (the frame and canvas of ``render_report_pdf``) and
    write it atomically at ``out_path``; returns the page count. Used by documents other than the
    office report (e.g. the headquarters national report). Raises ``PdfError``."""
    fonts.register_fonts()
    out_path = Path(out_path)
    canvas_class = type("LetterheadDocCanvas", (LetterheadCanvas,), {"letterhead": letterhead, "on_page": staticmethod(on_page) if on_page else None})
    width = PAGE_WIDTH - 2 * MARGIN
    try:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        handle, temp_name = tempfile.mkstemp(prefix=f".{out_path.name}.", suffix=".partial", dir=out_path.parent)
        os.close(handle)
    except OSError as exc:
        raise PdfError(f"cannot write in {out_path.parent}: {exc.strerror or exc}", f"امکان نوشتن در پوشه «{out_path.parent}» نیست.") from None
    temp = Path(temp_name)
    try:
        frame = Frame(MARGIN, FOOTER_HEIGHT + 12, width, PAGE_HEIGHT - HEADER_HEIGHT - FOOTER_HEIGHT - 22, id="body",
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)  # fmt: skip
        doc = BaseDocTemplate(
            str(temp), pagesize=(PAGE_WIDTH, PAGE_HEIGHT), leftMargin=MARGIN, rightMargin=MARGIN,
            topMargin=HEADER_HEIGHT, bottomMargin=FOOTER_HEIGHT, title=title, author=author,
            subject=subject, keywords=keywords, creator="Citizen Rights Desktop", lang="fa-IR", initialFontName=fonts.REGULAR,
        )  # fmt: skip
        doc.addPageTemplates([PageTemplate(id="letter", frames=[frame])])
        doc.build(story, canvasmaker=canvas_class)
        os.chmod(temp, 0o644)
        os.replace(temp, out_path)
        return doc.page
    except PdfError:
        temp.unlink(missing_ok=True)
        raise
    except OSError as exc:
        temp.unlink(missing_ok=True)
        raise PdfError(f"cannot write {out_path}: {exc.strerror or exc}", f"نوشتن فایل «{out_path}» ممکن نشد.") from None
    except Exception as exc:
        temp.unlink(missing_ok=True)
        raise PdfError(f"the document could not be laid out: {exc}", "ساخت فایل PDF ممکن نشد.") from exc
