"""Core figures: form-load time and answer-write latency (each write is a committed, fully synced transaction).

    .venv/bin/python bench/bench_core.py
Prints numbers only; goals are judged by people, never asserted.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from citizen_rights_desktop.editing.demo import demo_report  # noqa: E402
from citizen_rights_desktop.editing.editor import ReportEditor  # noqa: E402
from citizen_rights_desktop.form.loader import load_form  # noqa: E402
from citizen_rights_desktop.paths import forms_dir  # noqa: E402
from citizen_rights_desktop.report.validation import validate_report  # noqa: E402
from storage import ReportStore, open_database  # noqa: E402


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def main() -> None:
    path = forms_dir() / "citizen-rights-1398.yaml"
    loads = []
    for _ in range(20):
        start = time.perf_counter()
        form = load_form(path)
        loads.append(time.perf_counter() - start)
    print(f"form load (1398, 29 indicators): median {statistics.median(loads) * 1000:.1f} ms, max {max(loads) * 1000:.1f} ms")

    with tempfile.TemporaryDirectory() as folder:
        store = ReportStore(open_database(Path(folder) / "bench.sqlite3"))
        report_id = demo_report(store, form)
        editor = ReportEditor(store, form, report_id)
        row_id = editor.load().section("i04").rows("processes")[0].id
        writes: list[float] = []
        for i in range(300):
            start = time.perf_counter()
            if i % 3 == 0:
                editor.set_value("i12", "complaints_total", str(1000 + i))
            elif i % 3 == 1:
                editor.set_cell("i04", "processes", row_id, "process", f"فرآیند {i}")
            else:
                editor.set_reason("i03", f"دلیل شماره {i}")
            writes.append(time.perf_counter() - start)
        print(
            f"answer write (committed, synchronous=FULL): median {statistics.median(writes) * 1000:.2f} ms, "
            f"p95 {percentile(writes, 95) * 1000:.2f} ms over {len(writes)} writes"
        )
        start = time.perf_counter()
        report = store.load_report(report_id)
        loaded = time.perf_counter() - start
        start = time.perf_counter()
        validate_report(form, report)
        validated = time.perf_counter() - start
        print(f"demo report load {loaded * 1000:.1f} ms, validate {validated * 1000:.1f} ms")


if __name__ == "__main__":
    main()
