"""The report as an official letterhead PDF, laid out from the form definition and the answers.

Everything printed comes from the form definition's wording (titles, questions, table headers,
option labels) and the answers; only the relevant parts of an answer print: the details and tables
for «بله», the reason for «خیر», the justification for «عدم مصداق». The covering letter and the
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
from reportlab.platypus import (
    BaseDocTemplate,
    CondPageBreak,
    Frame,
    PageBreak,
    PageTemplate,
    Spacer,
)

from citizen_rights_desktop.form.definition import FormDefinition, Indicator, Section, Table
from citizen_rights_desktop.pdf import fonts, letter
from citizen_rights_desktop.pdf.answer_text import (
    ANSWER_LABELS,
    EMPTY,
    NOT_ANSWERED,
    format_computed,
    format_value,
)
from citizen_rights_desktop.pdf.errors import PdfError
from citizen_rights_desktop.pdf.flowables import (
    RTLParagraph,
    Rule,
    Style,
    column_weights,
    rtl_table,
)
from citizen_rights_desktop.pdf.letterhead import (
    FOOTER_HEIGHT,
    HEADER_HEIGHT,
    MARGIN,
    PAGE_HEIGHT,
    PAGE_WIDTH,
    Letterhead,
    LetterheadCanvas,
)
from citizen_rights_desktop.pdf.styles import (
    ANSWER,
    BODY,
    CAPTION,
    CELL,
    CELL_HEAD,
    DIMENSION_TITLE,
    GUIDANCE,
    INDICATOR_TITLE,
    LABEL,
    MUTED,
)
from citizen_rights_desktop.persian.jalali import to_jalali_text
from citizen_rights_desktop.persian.text import file_size_text, to_persian_digits
from citizen_rights_desktop.report.fingerprint import answers_fingerprint
from citizen_rights_desktop.report.model import EvidenceRef, Report, SectionAnswer
from citizen_rights_desktop.report.office import OfficeProfile
from citizen_rights_desktop.report.validation import computed_values


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


# --- the story -------------------------------------------------------------------------------


class _Builder:
    def __init__(self, form: FormDefinition, report: Report, office: OfficeProfile, evidence: Mapping[str, Sequence[EvidenceRef]], width: float):
        self.form, self.report, self.office, self.evidence = form, report, office, evidence
        self.width = width
        self.story: list = []

    def add(self, *flowables) -> None:
        self.story.extend(flowables)

    def para(self, text: str, style: Style = BODY, keep: bool = False) -> RTLParagraph:
        return RTLParagraph(text, style, keep_with_next=keep)

    def key_values(self, pairs: Sequence[tuple[str, str]]) -> None:
        if not pairs:
            return
        self.add(rtl_table(None, [list(p) for p in pairs], [0.42, 0.58], self.width, CELL, CELL_HEAD, label_column=True))

    def table(self, table: Table, rows: list[dict[str, object]], fixed_labels: Sequence[str] = ()) -> None:
        header = ["ردیف"] + (["عنوان"] if fixed_labels else []) + [c.label for c in table.columns]
        body = []
        for index, cells in enumerate(rows, start=1):
            row = [to_persian_digits(index)] + ([fixed_labels[index - 1]] if fixed_labels else [])
            row += [format_value(c, cells.get(c.id)) for c in table.columns]
            body.append(row)
        if not body:
            self.add(self.para("(بدون ردیف)", CELL.but(color=MUTED)))
            return
        minimum = [28] + ([120] if fixed_labels else []) + [60 if c.type in ("text", "long_text", "url") else 34 for c in table.columns]
        weights = column_weights(header, body, CELL.font, CELL.size, minimum)
        weights[0] = 28
        aligns = ["center"] + (["right"] if fixed_labels else []) + [
            "center" if c.type in ("integer", "number", "percent", "date", "choice") else "right" for c in table.columns
        ]
        self.add(rtl_table(header, body, weights, self.width, CELL, CELL_HEAD, aligns))

    def caption(self, text: str) -> None:
        # a caption never ends a page: room for it and the first rows, else a new page (a
        # keep-with-next chain ending in a long table would push the whole table to the next page)
        self.add(CondPageBreak(90), self.para(text, CAPTION))

    def evidence_list(self, refs: Sequence[EvidenceRef]) -> None:
        self.caption("مستندات پیوست")
        if not refs:
            self.add(self.para("مستندی پیوست نشده است.", CELL.but(color=MUTED)))
            return
        header = ["ردیف", "نام فایل", "حجم", "چکیده SHA-256 (آغاز)"]
        body = [[to_persian_digits(i), ref.name, file_size_text(ref.size), ref.sha256[:16]] for i, ref in enumerate(refs, start=1)]
        self.add(rtl_table(header, body, [28, 230, 70, 120], self.width, CELL, CELL_HEAD, ["center", "right", "center", "center"]))

    def section_details(self, section: Section, answer: SectionAnswer) -> None:
        pairs = [(f.label, format_value(f, answer.values.get(f.id))) for f in section.fields if f.required or answer.values.get(f.id) is not None]
        self.key_values(pairs)
        for table in section.tables:
            self.caption(table.title)
            rows = answer.rows(table.id)
            if table.fixed_rows:
                by_id = {row.id: row.cells for row in rows}
                self.table(table, [by_id.get(r.id, {}) for r in table.fixed_rows], [r.label for r in table.fixed_rows])
            else:
                self.table(table, [row.cells for row in rows])
        if section.computed:
            values = computed_values(section, answer)
            self.add(Spacer(1, 5))
            self.key_values([(c.label, format_computed(c.type, values.get(c.id))) for c in section.computed])

    # parts of the document

    def indicator(self, indicator: Indicator) -> None:
        answer = self.report.section(indicator.id)
        number = to_persian_digits(indicator.number or "")
        self.add(CondPageBreak(150))
        self.add(self.para(f"شاخص {number}: {indicator.full_title}", INDICATOR_TITLE, keep=True))
        if indicator.guidance:  # the guideline prints it above the questions: the reader sees what the answer responds to
            self.add(self.para(indicator.guidance, GUIDANCE, keep=True))
        self.add(self.para(indicator.gate, BODY, keep=True))
        self.add(self.para(f"پاسخ: {ANSWER_LABELS.get(answer.status or '', NOT_ANSWERED)}", ANSWER))
        evidence = list(self.evidence.get(indicator.id, answer.evidence))
        if answer.status == "yes":
            if indicator.yes_label:
                self.add(self.para(indicator.yes_label, LABEL))
            self.section_details(indicator, answer)
            if evidence or indicator.evidence_required:
                self.evidence_list(evidence)
        elif answer.status == "no":
            self.add(self.para(indicator.reason_label, LABEL, keep=True), self.para(answer.reason or EMPTY, BODY))
        elif answer.status == "not_applicable":
            self.add(self.para("توجیه عدم مصداق:", LABEL, keep=True), self.para(answer.justification or EMPTY, BODY))
            self.evidence_list(evidence)
        self.add(Spacer(1, 4), Rule(space=4))

    def dimensions(self) -> None:
        for dimension in self.form.dimensions:
            self.add(CondPageBreak(160))
            self.add(self.para(f"بُعد {to_persian_digits(dimension.number)}: {dimension.title}", DIMENSION_TITLE, keep=True))
            for indicator in dimension.indicators:
                self.indicator(indicator)

    def diagnostic(self) -> None:
        section = self.form.diagnostic
        if not (section.fields or section.tables):
            return
        self.add(PageBreak(), self.para(section.title, DIMENSION_TITLE, keep=True))
        self.section_details(section, self.report.section(section.id))

    def summary(self) -> None:
        self.add(PageBreak(), self.para("جمع بندی پاسخ شاخص ها", DIMENSION_TITLE, keep=True))
        header = ["شاخص", "بُعد", "عنوان شاخص", "پاسخ"]
        body = []
        for dimension in self.form.dimensions:
            for indicator in dimension.indicators:
                status = self.report.section(indicator.id).status
                body.append([to_persian_digits(indicator.number), to_persian_digits(dimension.number), indicator.title, ANSWER_LABELS.get(status or "", NOT_ANSWERED)])
        compact = CELL.but(size=8, leading=12.5)
        self.add(rtl_table(header, body, [34, 30, 380, 64], self.width, compact, compact.but(font=fonts.BOLD), ["center", "center", "right", "center"]))


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
) -> RenderResult:
    """Write the report as a letterhead PDF at ``out_path``; returns pages and the signature box.

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
    builder = _Builder(form, report, office, evidence, PAGE_WIDTH - 2 * MARGIN)
    letter.title_page(builder, date_text)
    builder.dimensions()
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
