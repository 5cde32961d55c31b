"""How long the headquarters window takes to be ready over a national-scale database (issue 16):
from building the window to every page showing its figures (the snapshot computed off the GUI
thread and shown). The inspections tab's roll-up is not part of it: it is computed when the tab is
first shown, timed apart (``--no-inspections`` skips that). Prints only; runs offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_hq_window.py [--db /tmp/crd-hq-bench.sqlite3]

Use the databases of bench/bench_analysis.py (20,000 annual reports, no visit) or
bench/bench_progress.py (``hq demo --units 10000``: 33,000 reports of every kind, 2,500
inspection visits: ``--db /tmp/crd-progress-bench.sqlite3``). Run twice: the first run after the
database was made reads it from disk.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "crd-hq-bench.sqlite3")
    parser.add_argument("--no-inspections", action="store_true", help="do not time the inspections tab's first opening")
    args = parser.parse_args()
    start = time.perf_counter()
    from PySide6.QtWidgets import QApplication

    from ui.app import application
    from ui.hq.app import build_hq_window

    application()
    imported = time.perf_counter() - start
    start = time.perf_counter()
    window = build_hq_window(args.db, None)
    window.show()
    built = time.perf_counter() - start
    while window.loading or window.snapshot is None:
        QApplication.processEvents()
        time.sleep(0.005)
    ready = time.perf_counter() - start
    reports = window.database.conn.execute("SELECT count(*) FROM hq_submission WHERE superseded_by IS NULL").fetchone()[0]
    print(f"headquarters window over {reports} current reports: built {built:.2f} s, ready with every page's figures {ready:.2f} s"
          f" (Qt and the modules loaded before: {imported:.2f} s)   [goal <= 2 s]")  # fmt: skip
    visits = window.database.conn.execute("SELECT count(*) FROM hq_submission WHERE form_id='joint_inspection' AND superseded_by IS NULL").fetchone()[0]
    page = window.inspections_page
    print(f"  inspection visits in the database: {visits}; their roll-up computed at start: {'no' if page.figures is None and not page.loading else 'yes'}")
    if not args.no_inspections:
        start = time.perf_counter()
        window.show_tab("inspections")
        while page.loading or page.figures is None:
            QApplication.processEvents()
            time.sleep(0.005)
        print(f"  inspections tab, first opening (period {page.figures.period}, {len(page.figures.visits)} visits of it): {time.perf_counter() - start:.2f} s")
        newest = window.period_box.itemData(0)
        if newest != window.period:  # the newest period, the tab on screen: the figures, then its roll-up
            start = time.perf_counter()
            window.period_box.setCurrentIndex(0)
            while window.loading or page.loading or page.figures is None or page.figures.period != newest:
                QApplication.processEvents()
                time.sleep(0.005)
            print(f"  period {newest} chosen with the tab on screen: every page's figures and the roll-up of its {len(page.figures.visits)} visits"
                  f" {time.perf_counter() - start:.2f} s")  # fmt: skip
    quarterly = window.kind_box.findData("citizen_rights_programs")
    if quarterly >= 0 and window.database.conn.execute("SELECT 1 FROM hq_submission WHERE form_id='citizen_rights_programs' LIMIT 1").fetchone():
        start = time.perf_counter()
        window.kind_box.setCurrentIndex(quarterly)  # the quarterly program report: its own figures (per program and action)
        while window.loading or window.snapshot.form.id != "citizen_rights_programs":
            QApplication.processEvents()
            time.sleep(0.005)
        print(f"  quarterly program report chosen (period {window.period}, {window.snapshot.kind.reports} reports): its figures {time.perf_counter() - start:.2f} s")
    from PySide6.QtCore import QThreadPool

    QThreadPool.globalInstance().waitForDone()
    window.close()
    window.database.close()
    window.instance_lock.release()


if __name__ == "__main__":
    main()
