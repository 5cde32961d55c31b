"""Render the sample report's PDF (form 1398.2) and save the pages of indicators 4, 5 and 28 and of
the diagnostic form as PNG images in this folder:

    .venv/bin/python docs/pdf/make_form_pages.py

Pages are rasterised with poppler's ``pdftoppm -r 70 -f N -l N -png``, as the other images here. An
indicator printed over two pages is saved as the two pages side by side, the first at the right (as
a Persian document opens). The sample report (``editing.demo.demo_report``, in a throw-away
database) answers indicator 5's two questions yes and indicator 28 yes; two variants of it show the
other branches: indicator 5's gate answered no with its electronic question yes (``-i05-gate-no``),
indicator 28 answered no with its document (``-i28-no``), and indicator 10 answered not applicable,
under the guideline's rule (``-not-applicable``).
"""

from __future__ import annotations

import copy
import re
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image

from citizen_rights_desktop.editing.demo import JUSTIFICATIONS, REASONS, demo_report
from citizen_rights_desktop.form.loader import load_form
from citizen_rights_desktop.pdf import render_report_pdf
from citizen_rights_desktop.report.model import SectionAnswer
from storage import ReportStore, open_database

PREFIX = "form-1398-2"
IGNORED = dict.fromkeys(map(ord, "\u200c\u200e\u200f\u202a\u202b\u202c\u202d\u202e"))


def flat(text: str) -> str:
    return "".join(text.translate(IGNORED).split())


def title_key(indicator) -> str:
    """The title up to its first bracket or digit (poppler moves those around in extracted text)."""
    return re.split(r"[(\[«۰-۹0-9]", flat(indicator.title))[0]


def pages_of(pdf: Path, form, indicator_id: str | None, agency: str) -> list[int]:
    """The pages (1-based) showing an indicator (``None``: the diagnostic form), at most two."""
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = [flat(page) for page in text.split("\f")]
    if indicator_id is None:
        first = next(n for n, page in enumerate(pages, 1) if flat(form.diagnostic.title) in page)
        return [first]
    order = [i.id for i in form.indicators]
    first = next(n for n, page in enumerate(pages, 1) if title_key(form.indicator(indicator_id)) in page)
    position = order.index(indicator_id)
    following = title_key(form.indicators[position + 1]) if position + 1 < len(order) else flat("جمع بندی پاسخ شاخص ها")
    last = next(n for n, page in enumerate(pages, 1) if n >= first and following in page)
    if last > first:  # does the indicator go on at the top of that page, or does the next one start it?
        before = pages[last - 1][: pages[last - 1].index(following)]
        before = before.split(flat(agency), 1)[-1]  # the letterhead comes first, ending with the organization
        for dimension in form.dimensions:
            before = before.replace(flat(dimension.title), "")
        if len(re.sub(r"[\W\d_]|بعد|شاخص", "", before)) < 3:
            last -= 1
    return list(range(first, min(last, first + 1) + 1))


def rasterise(pdf: Path, pages: list[int], out: Path, work: Path) -> None:
    images = []
    for page in pages:
        stem = work / f"page-{page}"
        subprocess.run(["pdftoppm", "-r", "70", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf), str(stem)], check=True)
        images.append(Image.open(f"{stem}.png").convert("RGB"))
    if len(images) == 1:
        images[0].save(out, optimize=True)
        return
    width, height = sum(i.width for i in images) + 12 * (len(images) - 1), max(i.height for i in images)
    spread = Image.new("RGB", (width, height), "white")
    x = width
    for image in images:  # the first page at the right
        x -= image.width
        spread.paste(image, (x, 0))
        x -= 12
    spread.save(out, optimize=True)


def main() -> None:
    form = load_form(ROOT / "forms" / "citizen-rights-1398.yaml")
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        database = open_database(work / "reports.sqlite3")
        store = ReportStore(database, actor="docs")
        report = store.load_report(demo_report(store, form))
        office = store.get_office(report.office_id)
        database.close()

        variant = copy.deepcopy(report)
        i05 = variant.sections["i05"]
        i05.status, i05.reason = "no", REASONS[1]  # its physical details stay stored, not asked: not printed
        variant.sections["i28"] = SectionAnswer(status="no", reason=REASONS[0], evidence=list(report.section("i28").evidence))
        variant.sections["i10"] = SectionAnswer(
            status="not_applicable", justification=JUSTIFICATIONS[1], evidence=list(report.section("i03").evidence)[:1]
        )
        shots = {
            "demo": (report, [("i04", "i04"), ("i05", "i05"), ("i28", "i28"), (None, "diagnostic")]),
            "variant": (variant, [("i05", "i05-gate-no"), ("i28", "i28-no"), ("i10", "not-applicable")]),
        }
        for name, (answers, wanted) in shots.items():
            pdf = work / f"{name}.pdf"
            render_report_pdf(form, answers, office, None, pdf)
            for indicator_id, suffix in wanted:
                pages = pages_of(pdf, form, indicator_id, office.agency)
                out = HERE / f"{PREFIX}-{suffix}.png"
                rasterise(pdf, pages, out, work)
                print(f"{out.relative_to(ROOT)}: page {' and '.join(map(str, pages))}")


if __name__ == "__main__":
    main()
