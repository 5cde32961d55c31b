"""A process writing answers is killed (SIGKILL) at random moments: nothing acknowledged is lost."""

import os
import random
import signal
import subprocess
import sys
import threading
import time

import pytest

from storage import ReportStore, open_database
from tests.conftest import ROOT

WRITER = r"""
import sys
from storage import ReportStore, open_database
database = open_database(sys.argv[1])
store = ReportStore(database, actor="writer")
report_id, start = sys.argv[2], int(sys.argv[3])
i = start
while True:
    if i % 5 == 0:
        store.add_rows(report_id, "i04", "processes", [{"process": f"p{i}"}], [f"row{i}"])
    else:
        store.set_item(report_id, "i01", f"q{i}", f"پاسخ {i}")
    print(i, flush=True)
    i += 1
"""


@pytest.mark.skipif(os.name != "posix", reason="SIGKILL is POSIX")
def test_killed_writer_loses_nothing_acknowledged(tmp_path):
    db_path = tmp_path / "crash.sqlite3"
    database = open_database(db_path)
    store = ReportStore(database)
    from citizen_rights_desktop.report.office import OfficeProfile

    office = store.save_office(OfficeProfile(id="", agency="x", level="national_agency"))
    report_id = store.create_report(office, "f", "1", "1398")
    database.close()

    rng = random.Random(7)
    acknowledged: list[int] = []
    next_start = 0
    kills = 30
    for _ in range(kills):
        proc = subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db_path), report_id, str(next_start)],
            stdout=subprocess.PIPE, text=True, cwd=ROOT,
        )  # fmt: skip
        seen: list[int] = []

        def read(stream=proc.stdout, out=seen):
            for line in stream:
                out.append(int(line))

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        time.sleep(rng.uniform(0.15, 0.6))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        reader.join(timeout=5)
        acknowledged.extend(seen)
        next_start = (max(seen) + 1 if seen else next_start) + 100_000  # never reuse a key after an unacknowledged write

    assert len(acknowledged) > kills, "the writer never got going"
    database = open_database(db_path)
    assert database.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    report = ReportStore(database).load_report(report_id)
    answers = report.section("i01").values
    rows = {row.id for row in report.section("i04").rows("processes")}
    for i in acknowledged:
        if i % 5 == 0:
            assert f"row{i}" in rows, i
        else:
            assert answers.get(f"q{i}") == f"پاسخ {i}", i
    database.close()
