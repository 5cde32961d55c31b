"""Render the compiled progress report (issue 16) of a sample headquarters database (``hq demo
--units 300 --seed 1``) and save its pages as PNG images in this folder:

    .venv/bin/python docs/pdf/make_progress_pages.py

Pages are rasterised with ``pdftoppm -r 70``.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from make_programs_pages import page_of, save  # noqa: E402


def main() -> int:
    folder = Path(tempfile.mkdtemp())
    db = folder / "hq.sqlite3"
    run = [sys.executable, "-m", "citizen_rights_desktop"]
    subprocess.run([*run, "hq", "demo", "--db", str(db), "--units", "300", "--seed", "1"], check=True, capture_output=True)
    pdf = folder / "progress.pdf"
    subprocess.run([*run, "hq", "progress-report", "--db", str(db), "--period", "1399", "-o", str(pdf)], check=True, capture_output=True)
    save(pdf, 1, "progress-summary")
    save(pdf, page_of(pdf, "به تفکیک استان"), "progress-provinces")
    save(pdf, page_of(pdf, "نقشه: میانگین امتیاز"), "progress-map")
    save(pdf, page_of(pdf, "گزارش سه ماهه برنامه ها"), "progress-programs")
    save(pdf, page_of(pdf, "رتبه بندی ترکیبی"), "progress-ranking")
    ranking = folder / "ranking.pdf"
    subprocess.run([*run, "hq", "rank", "--db", str(db), "--period", "1399", "--combined", "--pdf", str(ranking)], check=True, capture_output=True)
    save(ranking, 1, "ranking-publication")
    return 0


if __name__ == "__main__":
    sys.exit(main())
