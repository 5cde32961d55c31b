"""Time the full demo report PDF and its signature (issue 4 goals: <= 1.5 s in all, >= 40 pages/s).

    .venv/bin/python bench/bench_pdf.py [--runs N]

Prints the first (cold: fonts, caches, imports) and best warm render time, pages per second,
and signing time (EC P-256, PAdES). No assertions: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from citizen_rights_desktop.editing.demo import demo_report  # noqa: E402
from citizen_rights_desktop.form.loader import load_form  # noqa: E402
from citizen_rights_desktop.pdf import render_report_pdf  # noqa: E402
from citizen_rights_desktop.signing.identity import create_identity  # noqa: E402
from storage import ReportStore, open_database  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        database = open_database(folder / "reports.sqlite3")
        store = ReportStore(database, actor="bench")
        form = load_form(ROOT / "forms" / "citizen-rights-1398.yaml")
        report = store.load_report(demo_report(store, form))
        office = store.get_office(report.office_id)
        renders = []
        result = None
        for run in range(max(1, args.runs)):
            start = time.perf_counter()
            result = render_report_pdf(form, report, office, None, folder / f"report-{run}.pdf")
            renders.append(time.perf_counter() - start)
        from citizen_rights_desktop.signing.pades import sign_pdf  # imports pyHanko

        identity = create_identity("علی رضایی", office.agency)
        signs = []
        for run in range(max(1, args.runs)):
            start = time.perf_counter()
            sign_pdf(result.path, folder / f"signed-{run}.pdf", identity, page=result.signature_page, box=result.signature_box)
            signs.append(time.perf_counter() - start)
        database.close()
    warm = min(renders[1:] or renders)
    print(f"demo report: {result.pages} pages")
    print(f"render  first {renders[0]:.3f} s, best warm {warm:.3f} s -> {result.pages / warm:.1f} pages/s (first: {result.pages / renders[0]:.1f})")
    print(f"sign    first {signs[0]:.3f} s, best warm {min(signs):.3f} s")
    print(f"total   warm render + sign {warm + min(signs):.3f} s (goal <= 1.5 s); first run {renders[0] + signs[0]:.3f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
