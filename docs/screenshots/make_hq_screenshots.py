"""Take the README screenshots of the headquarters window (1366x768) into this folder.

    xvfb-run -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_hq_screenshots.py [--reports 400]

Uses a throw-away headquarters database: generated reports across all 31 provinces, org units and
submissions (some late, a tenth of the units missing) by ``hq.sample.register_sample_submissions``.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))

from PySide6.QtWidgets import QApplication  # noqa: E402

from citizen_rights_desktop.editing.demo import generate_reports  # noqa: E402
from citizen_rights_desktop.editing.digest import refresh_digests  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.hq import sample as hq_sample  # noqa: E402
from storage import ReportStore, open_database  # noqa: E402
from ui.app import application  # noqa: E402
from ui.hq.app import build_hq_window  # noqa: E402

SIZE = (1366, 768)


def settle(seconds: float = 0.3) -> None:
    end = time.time() + seconds
    while time.time() < end:
        QApplication.processEvents()
        time.sleep(0.01)


def sample_database(path: Path, reports: int) -> None:
    form = FormCatalog().latest()
    database = open_database(path, take_backups=False)
    store = ReportStore(database, actor="sample")
    generate_reports(store, form, reports, seed=7)
    hq_sample.register_sample_submissions(database, form, seed=7, revised=10)
    refresh_digests(store)
    database.close()


def shoot(window, name: str) -> None:
    settle()
    path = HERE / name
    window.grab().save(str(path))
    print(f"wrote {path}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=400)
    parser.add_argument("--db", type=Path, help="reuse (or create) this headquarters database")
    args = parser.parse_args()
    app = application()
    path = args.db or Path(tempfile.mkdtemp(prefix="hq-screens-")) / "hq.sqlite3"
    if not path.exists():
        sample_database(path, args.reports)
    window = build_hq_window(path, None)
    window.resize(*SIZE)
    window.show()
    end = time.time() + 60
    while (window.loading or window.snapshot is None) and time.time() < end:
        settle(0.05)

    window.show_tab("completeness")
    page = window.completeness_page
    page.select_province("fars")
    shoot(window, "hq-completeness.png")

    window.show_tab("analysis")
    window.analysis_page.tabs.setCurrentIndex(1)
    shoot(window, "hq-pivot.png")

    window.analysis_page.tabs.setCurrentIndex(2)
    shoot(window, "hq-chart.png")
    window.analysis_page.province_chart.save_png(HERE / "hq-chart-provinces.png", 1000)
    print(f"wrote {HERE / 'hq-chart-provinces.png'}")

    window.show_tab("ranking")
    shoot(window, "hq-ranking.png")
    window.show_tab("review")
    if window.review_page.list.rowCount():
        window.review_page.list.setCurrentCell(0, 0)
    shoot(window, "hq-review.png")
    window.close()
    app.processEvents()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
