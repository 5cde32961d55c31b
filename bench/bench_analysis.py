"""Headquarters figures over many reports: completeness, dashboard and pivot query times, XLSX export
time, national report PDF time.

    .venv/bin/python bench/bench_analysis.py [--reports 20000] [--db /tmp/hq-bench.sqlite3] [--no-xlsx] [--no-pdf]
The database is generated once (demo generator, seed 1; org units and submissions by
``hq.sample.register_sample_submissions``) and reused by later runs. Prints only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citizen_rights_desktop.editing.demo import generate_reports  # noqa: E402
from citizen_rights_desktop.editing.digest import refresh_digests  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.hq import analysis  # noqa: E402
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import sample as hq_sample
from citizen_rights_desktop.hq.export import export_tables_xlsx, export_xlsx  # noqa: E402
from citizen_rights_desktop.report.office import PROVINCES  # noqa: E402
from storage import ReportStore, open_database  # noqa: E402


def timed(label: str, fn, repeat: int = 5, goal: str = " (goal <= 200 ms)") -> None:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    print(f"{label}: median {statistics.median(times) * 1000:.0f} ms, max {max(times) * 1000:.0f} ms{goal}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--reports", type=int, default=20000)
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "crd-hq-bench.sqlite3")
    parser.add_argument("--no-xlsx", action="store_true")
    parser.add_argument("--no-pdf", action="store_true")
    args = parser.parse_args()
    form = FormCatalog().latest()
    store = ReportStore(open_database(args.db, take_backups=False))
    have = store.conn.execute("SELECT COUNT(*) FROM report").fetchone()[0]
    if have < args.reports:
        start = time.perf_counter()
        generate_reports(store, form, args.reports - have, seed=have + 1)
        print(f"generated {args.reports - have} reports in {time.perf_counter() - start:.0f} s ({args.db})")
    if not store.conn.execute("SELECT 1 FROM org_unit LIMIT 1").fetchone():
        start = time.perf_counter()
        sample = hq_sample.register_sample_submissions(store.database, form, seed=1, revised=200)
        print(f"registered {sample.units} org units and their submissions in {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    built = refresh_digests(store)
    print(f"digest refresh: {built} rebuilt in {(time.perf_counter() - start) * 1000:.0f} ms")
    conn = store.conn
    count = conn.execute("SELECT COUNT(*) FROM report_digest").fetchone()[0]
    print(f"reports analysed: {count}")
    status = hq_completeness.completeness(conn, form, "1398")
    c = status.counts
    print(f"units: {c.units} (on time {c.on_time}, late {c.late}, not yet {c.missing})")
    timed("completeness (every unit on time / late / not yet, per province)", lambda: hq_completeness.completeness(conn, form, "1398").by_province())
    timed("dashboard (answer shares, national and by province)", lambda: (analysis.status_shares(conn, form, "1398"), analysis.status_shares(conn, form, "1398", "province")))
    timed(
        "dashboard with completeness (completeness + shares national and by province)",
        lambda: (hq_completeness.completeness(conn, form, "1398").by_province(), analysis.status_shares(conn, form, "1398"),
                 analysis.status_shares(conn, form, "1398", "province")),
    )  # fmt: skip
    timed("pivot (indicator x province)", lambda: analysis.pivot_yes_share(conn, form, "1398", "province"))
    timed("scores and rankings", lambda: analysis.rank_provinces(analysis.scores(conn, form, "1398"), PROVINCES))
    timed("numeric summaries (all indicators)", lambda: analysis.numeric_summaries(conn, form, "1398"), repeat=3, goal="")
    if not args.no_xlsx:
        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            path = export_xlsx(conn, form, "1398", Path(folder) / "hq.xlsx")
            print(f"XLSX export (the analysis workbook) of {count} reports: {time.perf_counter() - start:.1f} s,"
                  f" {path.stat().st_size / 1e6:.1f} MB   [goal <= 10 s]")  # fmt: skip
            start = time.perf_counter()
            path = export_tables_xlsx(conn, form, "1398", Path(folder) / "tables.xlsx")
            print(f"XLSX data workbook (every reporting table's rows) of {count} reports: {time.perf_counter() - start:.1f} s,"
                  f" {path.stat().st_size / 1e6:.0f} MB   [no goal: about 6 microseconds a cell]")  # fmt: skip
    if not args.no_pdf:
        from citizen_rights_desktop.hq.national_report import render_national_report

        with tempfile.TemporaryDirectory() as folder:
            start = time.perf_counter()
            result = render_national_report(conn, form, "1398", Path(folder) / "national.pdf")
            print(f"national report PDF over {count} reports: {time.perf_counter() - start:.1f} s, {result.pages} pages")


if __name__ == "__main__":
    main()
