"""Bundle benchmarks (prints only, no assertions).

1. export time of a bundle with 50 MB of evidence (goal ≤ 2 s);
2. import rate of 1,000 typical bundles (goal ≥ 200 bundles/s), and its ratio to decrypt + verify
   alone in the same run (goal ≤ 1.5×);
3. for scale, the cost of validating a signed PDF (PAdES, pyHanko) per bundle.

    .venv/bin/python bench/bench_bundle.py [--bundles 1000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from citizen_rights_desktop.editing.demo import demo_report, generate_reports  # noqa: E402
from citizen_rights_desktop.exchange import bundle_writer, certificates  # noqa: E402
from citizen_rights_desktop.exchange import cms as bundle_cms  # noqa: E402
from citizen_rights_desktop.exchange import profile as hq_profile  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.form.loader import load_form  # noqa: E402
from citizen_rights_desktop.hq import identity as hq_identity  # noqa: E402
from citizen_rights_desktop.hq import offices as hq_offices  # noqa: E402
from citizen_rights_desktop.hq import profile as hq_profile_export  # noqa: E402
from citizen_rights_desktop.hq.importer import Importer  # noqa: E402
from storage import ReportStore, open_database  # noqa: E402

FORM = ROOT / "forms" / "citizen-rights-1398.yaml"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--bundles", type=int, default=1000)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-bundle-"))
    form = load_form(FORM)
    hq_db = open_database(work / "hq.sqlite3", take_backups=False)
    hq = hq_identity.init_hq(hq_db, "سازمان اداری و استخدامی کشور", "bench passphrase")
    profile = hq_profile.read_profile(hq_profile_export.export_profile(hq_db, hq, [FORM]))

    # --- 1. export with 50 MB of evidence ---------------------------------------------------
    office_db = open_database(work / "office.sqlite3", take_backups=False)
    store = ReportStore(office_db, actor="bench")
    report_id = demo_report(store, form)
    report = store.load_report(report_id)
    section = next(k for k, s in report.sections.items() if s.status == "yes")
    for index in range(5):  # five 10 MB scans (random bytes: incompressible, like real scans)
        store.add_evidence(report_id, section, f"scan-{index}.pdf", os.urandom(10 * 1024 * 1024), "application/pdf")
    store.set_state(report_id, "signed")
    key = ec.generate_private_key(ec.SECP256R1())
    cert = hq_offices.issue_office_certificate(hq_db, hq, certificates.office_request(key, report.office_id, "office"))
    signer = bundle_cms.OfficeSigner(key, cert, [hq.ca_cert])
    out = work / "usb"
    out.mkdir()
    times = []
    for _ in range(3):
        start = time.perf_counter()
        result = bundle_writer.export_bundle(store, report_id, out, signer, profile)
        times.append(time.perf_counter() - start)
    print(f"export with 50 MB evidence: {min(times):.2f} s best of 3 (median {sorted(times)[1]:.2f} s); bundle {result.size / 1e6:.1f} MB   [goal <= 2 s]")

    # --- 2. import 1,000 typical bundles ----------------------------------------------------
    many_db = open_database(work / "offices.sqlite3", take_backups=False)
    many = ReportStore(many_db, actor="bench")
    ids = generate_reports(many, form, args.bundles, seed=7)
    many_db.conn.execute("UPDATE report SET state='signed'")
    signers: dict[str, bundle_cms.OfficeSigner] = {}
    start = time.perf_counter()
    bundles = []
    for report_id in ids:
        report = many.load_report(report_id)
        office_key = ec.generate_private_key(ec.SECP256R1())
        office_cert = hq_offices.issue_office_certificate(hq_db, hq, certificates.office_request(office_key, report.office_id, "x"))
        signers[report.office_id] = bundle_cms.OfficeSigner(office_key, office_cert, [hq.ca_cert])
        evidence = {ev.sha256: many.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
        data, _ = bundle_writer.build_bundle(report, many.get_office(report.office_id), evidence, signers[report.office_id], hq.hq_id, hq.age_recipient)
        bundles.append(data)
    setup = time.perf_counter() - start
    sizes = sorted(len(b) for b in bundles)
    print(f"made {len(bundles)} typical bundles (enrol + build) in {setup:.1f} s; median size {sizes[len(sizes) // 2] / 1024:.1f} KiB")

    catalog = FormCatalog(ROOT / "forms")
    with Importer(hq_db, hq, catalog, pdf_check=None) as importer:
        start = time.perf_counter()
        for data in bundles:
            importer.verify(data)
        verify_only = time.perf_counter() - start
    with Importer(hq_db, hq, catalog, pdf_check=None, path_validation="pyhanko-certvalidator") as importer:
        start = time.perf_counter()
        for data in bundles:
            importer.verify(data)
        certvalidator = time.perf_counter() - start
    print(f"decrypt + verify with pyhanko-certvalidator for the path instead: {len(bundles) / certvalidator:.0f} bundles/s "
          f"({certvalidator * 1000 / len(bundles):.2f} ms each)")  # fmt: skip
    with Importer(hq_db, hq, catalog, pdf_check=None) as importer:
        start = time.perf_counter()
        statuses: dict[str, int] = {}
        for _, outcome in importer.import_many((i, lambda data=data: data) for i, data in enumerate(bundles)):
            statuses[getattr(outcome, "status", "refused")] = statuses.get(getattr(outcome, "status", "refused"), 0) + 1
        full = time.perf_counter() - start
    rate = len(bundles) / full
    print(f"decrypt + verify alone: {len(bundles) / verify_only:.0f} bundles/s ({verify_only * 1000 / len(bundles):.2f} ms each)")
    print(f"full import (verify, answers vs form, committed in batches of 64 bundles): {rate:.0f} bundles/s "
          f"({full * 1000 / len(bundles):.2f} ms each) {statuses}   [goal >= 200/s]")  # fmt: skip
    print(f"ratio full import / decrypt + verify: {full / verify_only:.2f}x   [goal <= 1.5x]")

    # --- 3. the signed PDF's validation, per bundle ------------------------------------------
    try:
        from citizen_rights_desktop.hq.signer_trust import PdfExpectation, default_pdf_check
        from citizen_rights_desktop.pdf.report_pdf import render_report_pdf
        from citizen_rights_desktop.report.fingerprint import answers_fingerprint
        from citizen_rights_desktop.signing import identity
        from citizen_rights_desktop.signing import pades as signing
    except ImportError:
        print("signed PDF validation: signing module not installed")
        return
    report = store.load_report(store.list_reports()[0].id)
    render_report_pdf(form, report, store.get_office(report.office_id), None, work / "r.pdf")
    office_identity = identity.OfficeIdentity(key, cert, [hq.ca_cert])
    signing.sign_pdf(work / "r.pdf", work / "signed.pdf", office_identity)
    pdf = (work / "signed.pdf").read_bytes()
    check = default_pdf_check([hq.ca_cert])
    expected = PdfExpectation(cert, report.id, report.revision, answers_fingerprint(report))
    start = time.perf_counter()
    for _ in range(20):
        assert check(pdf, expected)[0]
    per = (time.perf_counter() - start) / 20
    print(f"signed PDF validation (pyHanko, {len(pdf) / 1024:.0f} KiB PDF): {per * 1000:.1f} ms per bundle -> at most {1 / per:.0f} bundles/s when every bundle carries one")


if __name__ == "__main__":
    main()
