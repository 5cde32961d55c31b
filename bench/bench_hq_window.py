"""How long the headquarters window takes to be ready over a national-scale database (issue 16):
from building the window to every page showing its figures (the snapshot computed off the GUI
thread and shown). Prints only; runs offscreen.

    QT_QPA_PLATFORM=offscreen .venv/bin/python bench/bench_hq_window.py [--db /tmp/crd-hq-bench.sqlite3]

Use the databases of bench/bench_analysis.py (20,000 annual reports) or bench/bench_progress.py
(``hq demo --units 10000``: 33,000 reports of every kind, 2,500 inspection visits).
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
    window.close()


if __name__ == "__main__":
    main()
