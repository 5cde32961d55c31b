"""The line-by-line comparison of the 1398 guideline (seed 004) with the annual report form, the
wizard and the printed PDF (issue 13): what `docs/annual-form-fidelity.md` shows and
`tests/test_form_fidelity.py` keeps true.

- ``seed_items()``: every question, item, table heading, help and guidance text of the seed's
  requested information and reporting tables, numbering and layout noise removed, OCR fixed.
- ``form_elements(form)``: every text the form carries, where the wizard shows it and when the PDF
  prints it.
- ``SPLIT``: the few seed texts the form carries in parts (one seed cell, two form labels).

Regenerate the document with ``.venv/bin/python -m tests.form_fidelity`` after changing the form.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "004_09585e4d8332e3b5.txt"
DOC = ROOT / "docs" / "annual-form-fidelity.md"

OCR_FIXES = {"شبهه نامه": "شیوه نامه", "بیش بینی": "پیش بینی", "برگزای ": "برگزاری ", "۱۶،)": "۱۶)"}

# layout of the scanned tables, not content: column titles, row numbers, dimension labels
NOISE = re.compile(r"^(بعد ۱?[0-9۰-۹]|شاخص ها|اطلاعات درخواستی|ردیف|[0-9۰-۹n]+|-+|\(۱ امتیاز\)|۹\)|## .*|شاخص ۱|شرایط عدم مصداق|مستندات قابل قبول \(ارائه شده از سوی دستگاه/واحد اجرایی\))$")

# one seed text carried by the form in parts (the test checks each part instead)
SPLIT = {
    "درصد فرآیندهای الکترونیکی شده و الکترونیکی نشده": ("درصد فرآیندهای الکترونیکی شده", "درصد فرآیندهای الکترونیکی نشده"),
    "الکترونیکی شده اند (به همراه آدرس وبگاه/درگاه)": ("الکترونیکی شده اند", "آدرس وبگاه/درگاه"),
    "شکایات: انتقادات: پیشنهادات": ("شکایات", "انتقادات", "پیشنهادات"),
}

# form texts the seed does not print, and why (everything else must be found in the seed)
NOT_IN_SEED = {
    "i02.references": "the seed prints the references without an article; the bracketed note says so",
    "i05.electronic_consolidated.heading": "a heading that separates the seed's second question (۴–۶) from the first",
    "i13.hours_managers": "the seed's «… به تفکیک مدیران، کارکنان و شهروندان» as one field per group",
    "i13.hours_staff": "as above",
    "i13.hours_citizens": "as above",
    "i13.headcount_managers": "optional; lets the per-capita of the title be computed",
    "i13.headcount_staff": "optional; as above",
    "i13.per_capita_managers": "computed from the optional headcount",
    "i13.per_capita_staff": "computed from the optional headcount",
    "i21.sessions": "the seed's «به همراه تاریخ و مستند»: one row per session, its date",
    "i21.sessions.date": "as above",
    "i21.sessions_match_count": "the number of dates must match the count asked",
    "i12.disrespect_not_above_total": "a check, not a question",
    "i28.violations.count": "the seed's table header, one count per right",
    "i28.total_reports": "the sum of the eleven counts",
    "i04.percent_not_electronic": "the second half of the seed's «درصد فرآیندهای الکترونیکی شده و الکترونیکی نشده»",
    "i28.evidence_label": "the seed's two letterhead requirements (no / yes) in one label",
    "i06.evidence_label": "the seed's «به طور مستند» as the document asked",
    "i14.evidence_label": "the seed's «بصورت مستند» as the document asked",
    "header.signed_on_behalf_by": "who signs «از طرف» the head, recorded rather than silent (the circular wants the head's signature)",
    "header.agency": "the seed's header «عنوان دستگاه اجرایی / استان:» (with its colon)",
}


def normalise(text: str) -> str:
    text = unicodedata.normalize("NFC", text).replace("ي", "ی").replace("ك", "ک").replace("\u200c", " ")
    text = re.sub(r"<[^>]+>|\*\*", " ", text).replace(" :", ":")
    for wrong, right in OCR_FIXES.items():
        text = text.replace(wrong, right)
    return " ".join(text.split())


def _strip(item: str) -> str:
    item = re.sub(r"^\\?\*\s*", "", item.strip())
    item = re.sub(r"^[-–]\s*", "", item)
    item = re.sub(r"^[0-9۰-۹]+\.\s*", "", item)
    return item.strip().rstrip(":").strip()


def seed_items() -> list[str]:
    """The seed's requested information and reporting tables, one text per question, item, header
    or note, in the seed's order, without repeats."""
    text = SEED.read_text(encoding="utf-8")
    body = text[text.index("بعد ۱\tشاخص ها") : text.index("عنوان دستگاه اجرایی / استانداری:")]
    found: list[str] = []
    for chunk in re.split(r"</?p>|</?li>|<ul[^>]*>|</ul>|\t|\n|</?b>", body):
        # «۱. آیا …؟ ۲. اگر خیر … ۳. اگر بله …» printed in one cell: one item per number
        for part in re.split(r"(?:(?<=\s)|^)(?=[۰-۹]{1,2}\.\s)|(?<=[.؟:])\s+(?=اگر بله)|\s+-\s+", chunk):
            item = normalise(_strip(part))
            if not item or NOISE.match(item) or item in found:
                continue
            found.append(item)
    return found


@dataclass(frozen=True)
class Element:
    section: str  # i01 … i29, diagnostic, form
    path: str  # where in the definition
    kind: str
    text: str
    wizard: str  # how the wizard shows it
    printed: str  # when the PDF prints it ("" never)


def _field_elements(section: str, spec, prefix: str, table: bool = False) -> list[Element]:
    where = "column header" if table else "question label"
    when = "with the table" if table else "with its answer"
    out = []
    if getattr(spec, "heading", ""):
        out.append(Element(section, f"{prefix}.heading", "heading", spec.heading, "bold heading before the item", "heading before the item"))
    out.append(Element(section, prefix, "column" if table else "question", spec.label, where, when))
    if spec.help:
        out.append(Element(section, f"{prefix}.help", "help", spec.help, "hint under the field", "hint under the question"))
    for option in spec.options:
        if option.label not in ("بله", "خیر"):
            out.append(Element(section, f"{prefix}.{option.id}", "option", option.label, "choice", "as the answer chosen"))
    return out


def _section_elements(section_id: str, section) -> list[Element]:
    out: list[Element] = []
    for spec in section.fields:
        out += _field_elements(section_id, spec, f"{section_id}.{spec.id}")
    for table in section.tables:
        if table.heading:
            out.append(Element(section_id, f"{section_id}.{table.id}.heading", "heading", table.heading, "bold heading before the table", "heading before the table"))
        out.append(Element(section_id, f"{section_id}.{table.id}", "table", table.title, "table caption", "table caption"))
        for column in table.columns:
            out += _field_elements(section_id, column, f"{section_id}.{table.id}.{column.id}", table=True)
        for row in table.fixed_rows:
            out.append(Element(section_id, f"{section_id}.{table.id}.{row.id}", "row", row.label, "fixed row label", "row label"))
    for item in section.computed:
        out.append(Element(section_id, f"{section_id}.{item.id}", "computed", item.label, "computed value under the table", "computed value"))
    for rule in section.rules:
        out.append(Element(section_id, f"{section_id}.{rule.id}", "check", rule.message_fa, "message when the check fails", ""))
    return out


def form_elements(form) -> list[Element]:
    out: list[Element] = []
    for spec in form.header_fields:
        if spec.required:
            out.append(Element("header", f"header.{spec.id}", "header", spec.label, "report header", "header table"))
        else:
            out.append(Element("header", f"header.{spec.id}", "optional header", spec.label, "report header (optional)", "header table when given; «از طرف» in the signature block"))
    for index, _ in enumerate(form.introduction):
        out.append(Element("form", f"introduction[{index}]", "introduction", form.introduction[index], "introduction page", ""))
    out.append(Element("form", "not_applicable_rule", "rule", form.not_applicable_rule, "introduction page; not-applicable panel", "under each not-applicable indicator"))
    out.append(Element("form", "evidence_rule", "rule", form.evidence_rule, "introduction page", ""))
    for dimension in form.dimensions:
        out.append(Element("form", f"{dimension.id}.title", "dimension", dimension.title, "side list and page header", "dimension heading"))
    for indicator in form.indicators:
        i = indicator.id
        out.append(Element(i, f"{i}.title", "title", indicator.full_title, "page title", "indicator heading"))
        if indicator.guidance:
            out.append(Element(i, f"{i}.guidance", "guidance", indicator.guidance, "guidance above the question", "guidance below the title"))
        out.append(Element(i, f"{i}.gate", "question", indicator.gate, "yes / no / not applicable question", "question and answer"))
        out.append(Element(i, f"{i}.reason_label", "question", indicator.reason_label, "label of the reason box (no)", "with the reason (no)"))
        if indicator.yes_label:
            out.append(Element(i, f"{i}.yes_label", "question", indicator.yes_label, "prompt under «بله»", "prompt (yes)"))
        for index, item in enumerate(indicator.yes_items):
            out.append(Element(i, f"{i}.yes_items[{index + 1}]", "item", item, "bullet under the yes prompt", "bullet (yes)"))
        out += _section_elements(i, indicator)
        if indicator.evidence_label:
            needed = " and ".join(s for s in indicator.evidence_when) or "optional"
            out.append(Element(i, f"{i}.evidence_label", "evidence", indicator.evidence_label, f"evidence panel ({needed})", "above the documents list"))
    diagnostic = form.diagnostic
    out.append(Element("diagnostic", "diagnostic.title", "title", diagnostic.title, "page title", "section heading"))
    if form.diagnostic_header:
        out.append(Element("diagnostic", "diagnostic.header_label", "header", form.diagnostic_header, "header line with the agency", "header line with the agency"))
    out += _section_elements("diagnostic", diagnostic)
    return out


def in_seed(text: str, seed_text: str) -> bool:
    return normalise(re.sub(r" \[[^\]]*\]", "", text)) in seed_text


def why_not_in_seed(path: str) -> str:
    if path.startswith("i28.violations.art"):
        return "one of the eleven rights (articles 3–13 of the resolution) of the seed's «به تفکیک حقوق یازدهگانه», worded as in shared/seeds/INDEX.md"
    return NOT_IN_SEED.get(path, "NOT IN SEED: explain in NOT_IN_SEED")


def covered(item: str, texts: list[str]) -> bool:
    """Whether the seed ``item`` is carried by ``texts`` (a form text contains it; or, for a
    ``SPLIT`` item, every one of its parts is carried)."""
    parts = SPLIT.get(item, (item,))
    bare = [normalise(re.sub(r" \[[^\]]*\]", "", text)) for text in texts]  # our [notes] aside
    return all(any(normalise(part) in text for text in bare) for part in parts)


def render_document(form) -> str:
    seed_text = normalise(SEED.read_text(encoding="utf-8"))
    elements = form_elements(form)
    lines = [
        "# The annual report against its guideline, item by item",
        "",
        f"Form `{form.id}` version **{form.version}** (`forms/citizen-rights-1398.yaml`) against seed "
        "`004_09585e4d8332e3b5.txt`, the 1398 reporting guideline (شیوه نامه). Generated by "
        "`.venv/bin/python -m tests.form_fidelity`; `tests/test_form_fidelity.py` fails when this file, "
        "the form, the seed or the printed PDF disagree.",
        "",
        "Columns: **seed** ✓ when the text is the seed's, verbatim once the OCR errors listed in "
        "`shared/README.md` are fixed (otherwise why the form adds it); **form** the item's path in the "
        "definition; **wizard** where the clerk sees it; **PDF** when the letterhead PDF prints it "
        "(checked on the demo report's PDF and on the same report answered «خیر» throughout).",
        "",
        "Decisions where the seed is ambiguous are written beside the item in the form's YAML and in "
        "`docs/form-schema.md`; the main ones: indicator 5 asks its two questions independently; "
        "indicator 28 needs the letterhead document for a «خیر» as for a «بله»; indicator 13's headcounts "
        "are optional; indicator 29 asks only its requirement; indicator 2's references are printed as "
        "the seed prints them, with a note that their article is missing.",
        "",
    ]
    section = None
    for element in elements:
        if element.section != section:
            section = element.section
            heading = {"form": "The form as a whole", "header": "Header", "diagnostic": "Diagnostic form (فرم آسیب شناسی شیوه نامه)"}
            title = heading.get(section) or f"Indicator {form.indicator(section).number}"
            lines += ["", f"## {title}", "", "| seed | text | form | wizard | PDF |", "| --- | --- | --- | --- | --- |"]
        mark = "✓" if in_seed(element.text, seed_text) else f"— {why_not_in_seed(element.path)}"
        text = element.text if len(element.text) <= 160 else element.text[:157] + "…"
        lines.append(f"| {mark} | {text.replace('|', '/')} | `{element.path}` | {element.wizard} | {element.printed or 'not printed'} |")
    items = seed_items()
    lines += [
        "",
        "## Every seed item, and where it is",
        "",
        f"The seed's requested information and reporting tables hold {len(items)} distinct texts "
        "(questions, items, table headers, hints, guidance). Each is carried by the form items listed.",
        "",
        "| seed text | form |",
        "| --- | --- |",
    ]
    for item in items:
        paths = [e.path for e in elements if covered(item, [e.text])] or [
            "+".join(e.path for part in SPLIT.get(item, ()) for e in elements if normalise(part) in normalise(e.text))[:120] or "MISSING"
        ]
        shown = ", ".join(f"`{p}`" for p in paths[:4]) + (f" (+{len(paths) - 4})" if len(paths) > 4 else "")
        lines.append(f"| {item.replace('|', '/')} | {shown} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    from citizen_rights_desktop.form.loader import load_form

    DOC.write_text(render_document(load_form(ROOT / "forms" / "citizen-rights-1398.yaml")), encoding="utf-8")
    print(f"wrote {DOC}")
