"""Render a signed inspection visit (issue 15) and save its pages as PNG images in this folder:

    .venv/bin/python docs/pdf/make_inspection_pages.py

The team's database holds an earlier visit to the same office (its findings are followed up) and,
as a profile for teams would bring, the office's answers in its annual report of 1398 (a «بله» on
the indicators of two items the team found not compliant: the contradictions). Pages are
rasterised with ``pdftoppm -r 70``.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent.parent))
sys.path.insert(0, str(HERE))

from citizen_rights_desktop.editing.inspection_demo import demo_inspection, team_office, visit_report  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.signing.identity import create_identity  # noqa: E402
from citizen_rights_desktop.signing.signed_report import write_report_pdf  # noqa: E402
from make_programs_pages import page_of, save  # noqa: E402
from storage import ReportStore, open_database  # noqa: E402
from storage.self_report_claims import replace_claims  # noqa: E402


def main() -> int:
    folder = Path(tempfile.mkdtemp())
    store = ReportStore(open_database(folder / "team.sqlite3"), actor="docs")
    form = FormCatalog().latest("joint_inspection")
    earlier = visit_report(form, team_office(), seed=7, day="02-10")
    visit_id = demo_inspection(store, form)
    store.write_report(earlier)
    visit = store.load_report(visit_id)
    claimed = {i: "yes" for item in form.indicators if visit.section(item.id).status == "not_compliant" for i in item.self_report}
    replace_claims(store.database, {form.period(visit.period).subject: ("1398", claimed)})
    pdf = folder / "visit.pdf"
    identity = create_identity("علی رضایی", "تیم مشترک بازرسی حقوق شهروندی استان فارس", "fars")
    write_report_pdf(store, form, visit_id, pdf, identity)
    save(pdf, 1, "inspection-title")
    save(pdf, page_of(pdf, "اعضای تیم مشترک بازرسی"), "inspection-team")
    save(pdf, page_of(pdf, "امتیاز به تفکیک ابعاد"), "inspection-scores")
    save(pdf, page_of(pdf, "یافته ها و اقدامات اصلاحی"), "inspection-findings")
    save(pdf, page_of(pdf, "پیگیری یافته های بازرسی قبلی"), "inspection-follow-up")
    return 0


if __name__ == "__main__":
    sys.exit(main())
