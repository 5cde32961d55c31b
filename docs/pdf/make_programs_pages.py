"""Render the quarterly program report of a sample office (issue 14) and save its title page, a
page of actions and the targets page as PNG images in this folder:

    .venv/bin/python docs/pdf/make_programs_pages.py

Two quarters are filled (1399-Q1, the demo report, and 1399-Q2 from it) so that the targets page of
1399-Q2 adds up the year so far. Pages are rasterised with ``pdftoppm -r 70``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from citizen_rights_desktop.editing.demo import demo_report, sample_report  # noqa: E402
from citizen_rights_desktop.editing.report_list import new_report  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.signing.signed_report import write_report_pdf  # noqa: E402
from storage import ReportStore, open_database  # noqa: E402


def page_of(pdf: Path, words: str) -> int:
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    squeezed = ["".join(c for c in page if c.isalpha()) for page in text.split("\f")]
    wanted = "".join(c for c in words if c.isalpha())
    return next(i for i, page in enumerate(squeezed, start=1) if wanted in page)


def save(pdf: Path, page: int, name: str) -> None:
    stem = HERE / name
    subprocess.run(["pdftoppm", "-r", "70", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf), str(stem)], check=True)
    print(f"wrote {stem}.png (page {page})")


def main() -> int:
    folder = Path(tempfile.mkdtemp())
    store = ReportStore(open_database(folder / "office.sqlite3"), actor="docs")
    form = FormCatalog().latest("citizen_rights_programs")
    q1 = store.load_report(demo_report(store, form))
    office = store.get_office(q1.office_id)
    q2 = new_report(store, form, office.id, "1399-Q2")
    filled = sample_report(form, office, (0.7, 0.2, 0.0), seed=2, period="1399-Q2")  # its dates in the quarter
    filled.id = q2
    store.delete_draft(q2)
    store.write_report(filled)
    pdf = folder / "q2.pdf"
    write_report_pdf(store, form, q2, pdf)
    save(pdf, 1, "programs-title")
    save(pdf, page_of(pdf, "برنامه ۵: ارتباطات مردمی"), "programs-actions")
    save(pdf, page_of(pdf, "اهداف تا پایان سه‌ماهه دوم"), "programs-targets")
    return 0


if __name__ == "__main__":
    sys.exit(main())
