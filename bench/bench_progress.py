"""The compiled progress report over a national-scale database (issue 16). Prints only.

    .venv/bin/python bench/bench_progress.py [--units 10000] [--db /tmp/crd-progress-bench.sqlite3]

The database is made once by ``hq demo`` (annual reports of two years, the quarterly program
report's four quarters, inspection visits: about 33,000 reports for 10,000 units) and reused.
Timed: the figures (``hq.progress.build_progress``), the PDF and the workbook, cold (a new
process's first run) and warm; and the combined ranking alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citizen_rights_desktop.editing.digest import refresh_digests  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.hq import ranking as hq_ranking  # noqa: E402
from citizen_rights_desktop.hq.progress import build_progress  # noqa: E402
from citizen_rights_desktop.hq.progress_pdf import write_progress_pdf  # noqa: E402
from citizen_rights_desktop.hq.progress_xlsx import write_progress_xlsx  # noqa: E402
from storage import ReportStore, open_database  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--units", type=int, default=10000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "crd-progress-bench.sqlite3")
    args = parser.parse_args()
    if not args.db.exists():
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "citizen_rights_desktop", "hq", "demo", "--db", str(args.db), "--units", str(args.units), "--seed", "1"], check=True)
        print(f"made the database with hq demo in {time.perf_counter() - start:.0f} s")
    database = open_database(args.db, take_backups=False)
    store, catalog = ReportStore(database), FormCatalog()
    refresh_digests(store, catalog)
    reports = database.conn.execute("SELECT count(*) FROM hq_submission").fetchone()[0]
    with tempfile.TemporaryDirectory() as folder:
        command = [sys.executable, "-m", "citizen_rights_desktop", "hq", "progress-report", "--db", str(args.db), "--period", "1399",
                   "-o", str(Path(folder) / "p.pdf"), "--xlsx", str(Path(folder) / "p.xlsx")]  # fmt: skip
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        print(f"hq progress-report (PDF and XLSX) over {reports} reports, cold (a new process): {time.perf_counter() - start:.1f} s   [goal <= 5 s]")
        for run in ("warm",):
            start = time.perf_counter()
            report = build_progress(store, catalog, "1399")
            figures = time.perf_counter() - start
            start = time.perf_counter()
            pages = write_progress_pdf(report, Path(folder) / "p.pdf", "ستاد")
            pdf = time.perf_counter() - start
            start = time.perf_counter()
            write_progress_xlsx(report, Path(folder) / "p.xlsx")
            xlsx = time.perf_counter() - start
            print(f"{run}: figures {figures:.2f} s, PDF {pdf:.2f} s ({pages} pages), XLSX {xlsx:.2f} s; total {figures + pdf + xlsx:.1f} s   [goal <= 5 s]")
    start = time.perf_counter()
    ranking = hq_ranking.combined_ranking(store, catalog, "1399", hq_ranking.load_method())
    print(f"combined ranking of {len(ranking)} units: {time.perf_counter() - start:.2f} s")


if __name__ == "__main__":
    main()
