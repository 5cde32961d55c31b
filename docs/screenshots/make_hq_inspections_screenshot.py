"""The headquarters window's inspections tab (issue 15), on a throw-away database: 200 generated
annual reports (their offices are the org-unit register) and 120 sample visits of those offices:

    xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/python docs/screenshots/make_hq_inspections_screenshot.py
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.hq.sample import register_sample_visits  # noqa: E402
from make_hq_screenshots import SIZE, sample_database, settle, shoot  # noqa: E402
from storage import open_database  # noqa: E402
from ui.app import application  # noqa: E402
from ui.hq.app import build_hq_window  # noqa: E402


def main() -> int:
    application()
    path = Path(tempfile.mkdtemp(prefix="hq-inspections-")) / "hq.sqlite3"
    sample_database(path, 200)
    database = open_database(path, take_backups=False)
    register_sample_visits(database, FormCatalog().latest("joint_inspection"), 120, seed=7)
    database.close()
    window = build_hq_window(path, None)
    window.resize(*SIZE)
    window.show()
    window.period_box.setCurrentIndex(window.period_box.findData("1399"))
    end = time.time() + 60
    while (window.loading or window.snapshot is None or window.snapshot.period != "1399") and time.time() < end:
        settle(0.05)
    window.show_tab("inspections")
    window.inspections_page.grouping.setCurrentIndex(1)
    shoot(window, "hq-inspections.png")
    window.period_box.setCurrentIndex(window.period_box.findData("1398"))  # the sample's annual reports
    end = time.time() + 60
    while (window.loading or window.snapshot.period != "1398") and time.time() < end:
        settle(0.05)
    window.show_tab("analysis")
    window.analysis_page.tabs.setCurrentWidget(window.analysis_page.province_map)
    window.analysis_page.province_map.measure.setCurrentIndex(1)  # the mean score
    shoot(window, "hq-province-map.png")
    window.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
