"""Import of real bundles, each carrying its office's signed PDF (issue 16). Prints only.

Builds N bundles (default 300) as offices make them: a generated report, its letterhead PDF
rendered and signed with the office's key (enrolled by headquarters), the bundle. Then, each on a
fresh copy of the headquarters database:

1. the import as ``hq import`` runs it: the PDF's signer checked on the hot path (``hq.pdf_fast``),
   then the full pyHanko validation of every PDF recorded afterwards; both rates, and together;
2. for comparison, the import with the full validation on the hot path (before issue 16).

    .venv/bin/python bench/bench_import_real.py [--bundles 300]
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from citizen_rights_desktop.editing.demo import generate_reports  # noqa: E402
from citizen_rights_desktop.exchange import bundle_writer, certificates  # noqa: E402
from citizen_rights_desktop.exchange import cms as bundle_cms  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.hq import identity as hq_identity  # noqa: E402
from citizen_rights_desktop.hq import offices as hq_offices  # noqa: E402
from citizen_rights_desktop.hq.import_pool import pooled, workers_wanted  # noqa: E402
from citizen_rights_desktop.hq.importer import Importer  # noqa: E402
from citizen_rights_desktop.hq.pdf_fast import validate_pending  # noqa: E402
from citizen_rights_desktop.hq.signer_trust import default_pdf_check  # noqa: E402
from citizen_rights_desktop.pdf.report_pdf import render_report_pdf  # noqa: E402
from citizen_rights_desktop.signing.identity import OfficeIdentity  # noqa: E402
from citizen_rights_desktop.signing.pades import sign_pdf  # noqa: E402
from storage import ReportStore, open_database  # noqa: E402

PASSPHRASE = "benchmark passphrase 1"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundles", type=int, default=300)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="crd-import-real-"))
    catalog = FormCatalog()
    form = catalog.latest()
    hq_db = open_database(work / "hq.sqlite3", take_backups=False)
    hq = hq_identity.init_hq(hq_db, "سازمان اداری و استخدامی کشور", PASSPHRASE)
    offices = ReportStore(open_database(work / "offices.sqlite3", take_backups=False), actor="bench")
    ids = generate_reports(offices, form, args.bundles, seed=11)
    start = time.perf_counter()
    bundles = []
    for report_id in ids:
        offices.set_state(report_id, "signed")
        report = offices.load_report(report_id)
        office = offices.get_office(report.office_id)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = hq_offices.issue_office_certificate(hq_db, hq, certificates.office_request(key, report.office_id, "x"))
        signer = bundle_cms.OfficeSigner(key, cert, [hq.ca_cert])
        rendered = render_report_pdf(form, report, office, None, work / "r.pdf")
        sign_pdf(rendered.path, work / "s.pdf", OfficeIdentity(key, cert, [hq.ca_cert]), page=rendered.signature_page, box=rendered.signature_box)
        evidence = {ev.sha256: offices.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
        data, _ = bundle_writer.build_bundle(report, office, evidence, signer, hq.hq_id, hq.age_recipient, (work / "s.pdf").read_bytes())
        bundles.append(data)
    sizes = sorted(len(b) for b in bundles)
    print(f"made {len(bundles)} real bundles (report, rendered and signed PDF, bundle) in {time.perf_counter() - start:.0f} s;"
          f" median size {sizes[len(sizes) // 2] / 1024:.0f} KiB")  # fmt: skip
    hq_db.close()

    def fresh(name: str):
        shutil.copy(work / "hq.sqlite3", work / name)
        return open_database(work / name, take_backups=False)

    database = fresh("hq-fast.sqlite3")
    with Importer(database, hq, catalog, pdf_check="fast") as importer:
        start = time.perf_counter()
        outcomes = list(importer.import_many((i, lambda data=data: data) for i, data in enumerate(bundles)))
        hot = time.perf_counter() - start
        start = time.perf_counter()
        checked = validate_pending(database, default_pdf_check(importer.trust.roots))
        full = time.perf_counter() - start
    refused = sum(1 for _, o in outcomes if not hasattr(o, "status"))
    print(f"import, PDF signer checked on the hot path: {len(bundles) / hot:.0f} bundles/s ({hot * 1000 / len(bundles):.2f} ms each,"
          f" {refused} refused)   [goal >= 200/s]")  # fmt: skip
    print(f"then the full PDF validation, recorded: {len(bundles) / full:.0f} PDFs/s ({full * 1000 / len(bundles):.1f} ms each) {checked}")
    print(f"both, as 'hq import' runs them: {len(bundles) / (hot + full):.0f} bundles/s")
    database.close()
    database = fresh("hq-pooled.sqlite3")
    with Importer(database, hq, catalog, pdf_check="fast") as importer:
        start = time.perf_counter()
        outcomes = list(pooled(importer, len(bundles))((i, lambda data=data: data) for i, data in enumerate(bundles)))
        pooled_time = time.perf_counter() - start
    refused = sum(1 for _, o in outcomes if not hasattr(o, "status"))
    print(f"import on every core (hq.import_pool, {workers_wanted()} worker process(es) beside the importing one): "
          f"{len(bundles) / pooled_time:.0f} bundles/s ({refused} refused)   [goal >= 200/s on 2 cores]")  # fmt: skip
    database.close()
    database = fresh("hq-full.sqlite3")
    with Importer(database, hq, catalog) as importer:
        start = time.perf_counter()
        list(importer.import_many((i, lambda data=data: data) for i, data in enumerate(bundles)))
        before = time.perf_counter() - start
    print(f"for comparison, the full PDF validation on the hot path: {len(bundles) / before:.0f} bundles/s")
    database.close()
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
