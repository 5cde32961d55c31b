"""Headquarters' intake service under load (issue 18). Prints only.

N offices (default 200), each enrolled by headquarters with its own key, each with one real bundle
(a generated report, its letterhead PDF rendered and signed by the office, the bundle) queued in
its own office database. The service runs as ``citizen-rights hq serve`` in its own process on
localhost; the offices send at the same moment, each with the office's own ``Sender`` (mutual
TLS, tus, receipt), in one thread per office. Printed: bundles/s from the first byte to the last
receipt, the time to receipt (median, p99, max), the service's peak memory (VmHWM), and a check
that every bundle was imported exactly once.

    .venv/bin/python bench/bench_intake.py [--offices 200]
"""

from __future__ import annotations

import argparse
import hashlib
import os
import shutil
import socket
import ssl
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cryptography.hazmat.primitives import serialization  # noqa: E402
from cryptography.hazmat.primitives.asymmetric import ec  # noqa: E402

from citizen_rights_desktop.editing.demo import generate_reports  # noqa: E402
from citizen_rights_desktop.exchange import bundle_writer, certificates  # noqa: E402
from citizen_rights_desktop.exchange import cms as bundle_cms  # noqa: E402
from citizen_rights_desktop.exchange.outbox import outbox_folder  # noqa: E402
from citizen_rights_desktop.exchange.profile import read_profile  # noqa: E402
from citizen_rights_desktop.exchange.sender import Credentials, Sender  # noqa: E402
from citizen_rights_desktop.form.catalog import FormCatalog  # noqa: E402
from citizen_rights_desktop.hq import identity as hq_identity  # noqa: E402
from citizen_rights_desktop.hq import offices as hq_offices  # noqa: E402
from citizen_rights_desktop.hq import profile as hq_profile  # noqa: E402
from citizen_rights_desktop.pdf.report_pdf import render_report_pdf  # noqa: E402
from citizen_rights_desktop.signing.identity import OfficeIdentity  # noqa: E402
from citizen_rights_desktop.signing.pades import sign_pdf  # noqa: E402
from storage import ReportStore, open_database, outbox_store  # noqa: E402

PASSPHRASE = "benchmark passphrase 1"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory_mib(pid: int, field: str) -> float:
    """``VmHWM`` (the peak so far) or ``VmRSS`` (now) of a process, in MiB."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1]) / 1024
    return float("nan")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--offices", type=int, default=200)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="crd-intake-bench-"))
    catalog = FormCatalog()
    form = catalog.latest()
    hq_db = open_database(work / "hq.sqlite3", take_backups=False)
    hq = hq_identity.init_hq(hq_db, "سازمان اداری و استخدامی کشور", PASSPHRASE)
    profile = read_profile(hq_profile.export_profile(hq_db, hq, [ROOT / "forms" / "citizen-rights-1398.yaml"]))
    maker = ReportStore(open_database(work / "made.sqlite3", take_backups=False), actor="bench")
    # each office writes its outbox on its own computer's disk: here they share one machine, so
    # their databases go to memory (/dev/shm, when there is one) lest 200 offices' fsyncs on one
    # disk be what is measured; headquarters' database stays on disk
    shm = Path("/dev/shm")
    offices_dir = Path(tempfile.mkdtemp(prefix="crd-intake-offices-", dir=shm if shm.is_dir() else None))
    template = work / "template.sqlite3"
    open_database(template, take_backups=False).close()
    start = time.perf_counter()
    offices = []
    for i, report_id in enumerate(generate_reports(maker, form, args.offices, seed=18)):
        maker.set_state(report_id, "signed")
        report = maker.load_report(report_id)
        office = maker.get_office(report.office_id)
        key = ec.generate_private_key(ec.SECP256R1())
        cert = hq_offices.issue_office_certificate(hq_db, hq, certificates.office_request(key, report.office_id, "x"))
        rendered = render_report_pdf(form, report, office, None, work / "r.pdf")
        sign_pdf(rendered.path, work / "s.pdf", OfficeIdentity(key, cert, [hq.ca_cert]), page=rendered.signature_page, box=rendered.signature_box)
        evidence = {ev.sha256: maker.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
        signer = bundle_cms.OfficeSigner(key, cert, [hq.ca_cert])
        data, manifest = bundle_writer.build_bundle(report, office, evidence, signer, hq.hq_id, hq.age_recipient, (work / "s.pdf").read_bytes())
        office_path = offices_dir / f"office-{i}.sqlite3"
        shutil.copy(template, office_path)
        database = open_database(office_path, take_backups=False)
        folder = outbox_folder(database)
        folder.mkdir()
        (folder / f"{manifest.bundle_id}.crb").write_bytes(data)
        outbox_store.add(database, manifest.bundle_id, report.id, report.revision, f"{manifest.bundle_id}.crb", hashlib.sha256(data).hexdigest(), len(data))
        database.close()
        offices.append((office_path, Credentials(key, cert, [hq.ca_cert]), len(data)))
    hq_db.close()
    sizes = sorted(size for _, _, size in offices)
    print(f"made {len(offices)} offices, each with a real bundle (signed PDF inside), in {time.perf_counter() - start:.0f} s;"
          f" median bundle {sizes[len(sizes) // 2] / 1024:.0f} KiB")  # fmt: skip

    (work / "pass").write_text(PASSPHRASE + "\n")
    port = free_port()
    command = [sys.executable, "-m", "citizen_rights_desktop", "hq", "serve", "--db", str(work / "hq.sqlite3"), "--passphrase-file",
               str(work / "pass"), "--listen", f"127.0.0.1:{port}", "--max-uploads-per-office", "4", "--log", str(work / "intake.log")]  # fmt: skip
    server = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    context = ssl.create_default_context(cadata=hq.ca_cert.public_bytes(serialization.Encoding.PEM).decode())
    started = time.perf_counter()
    while True:
        try:
            urllib.request.urlopen(f"https://127.0.0.1:{port}/health", context=context, timeout=2).read()
            break
        except OSError:
            if server.poll() is not None or time.perf_counter() - started > 60:
                print(server.stdout.read() if server.stdout else "")
                raise SystemExit("the intake service did not start")
            time.sleep(0.2)
    print(f"service ready in {time.perf_counter() - started:.1f} s (cold: process start, keys opened, certificate issued)")

    at_rest = memory_mib(server.pid, "VmRSS")
    url = f"https://127.0.0.1:{port}"
    peak_rss = [at_rest]
    sampling = threading.Event()

    def sample() -> None:  # the key's scrypt opening peaks before serving: VmHWM alone would show that
        while not sampling.wait(0.02):
            peak_rss[0] = max(peak_rss[0], memory_mib(server.pid, "VmRSS"))

    threading.Thread(target=sample, daemon=True).start()
    times: list[float] = []
    states: list[str] = []
    barrier = threading.Barrier(len(offices) + 1)

    def office_sends(path: Path, credentials: Credentials) -> None:
        database = open_database(path, take_backups=False)
        sender = Sender(database, profile, credentials, url=url, backoff=0.2, max_backoff=2.0, timeout=120)
        barrier.wait()
        begin = time.perf_counter()
        [entry] = sender.send_all(max_time=600)
        times.append(time.perf_counter() - begin)
        states.append(entry.state)
        database.close()

    threads = [threading.Thread(target=office_sends, args=(p, c)) for p, c, _ in offices]
    for thread in threads:
        thread.start()
    barrier.wait()
    begin, cpu_before, own_before = time.perf_counter(), cpu_seconds(server.pid), time.process_time()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - begin
    server_cpu, offices_cpu = cpu_seconds(server.pid) - cpu_before, time.process_time() - own_before
    sampling.set()
    memory = memory_mib(server.pid, "VmHWM")
    server.terminate()
    server.wait(timeout=60)
    hq_db = open_database(work / "hq.sqlite3", take_backups=False)
    stored = hq_db.conn.execute("SELECT COUNT(*), COUNT(DISTINCT office_id) FROM hq_submission").fetchone()
    receipts = hq_db.conn.execute("SELECT COUNT(*) FROM intake_receipt").fetchone()[0]
    hq_db.close()
    times.sort()
    p99 = times[min(len(times) - 1, int(len(times) * 0.99))]
    print(f"{len(offices)} offices sending at once: {states.count('received')} received, {len(states) - states.count('received')} not;"
          f" {len(offices) / elapsed:.0f} bundles/s over {elapsed:.1f} s")  # fmt: skip
    print(f"CPU time meanwhile: the service {server_cpu:.1f} s, the {len(offices)} offices (one process) {offices_cpu:.1f} s, on 2 cores")
    print(f"time to receipt: median {statistics.median(times):.2f} s, p99 {p99:.2f} s, max {times[-1]:.2f} s")
    print(f"the service's memory: {at_rest:.0f} MiB at rest, {peak_rss[0]:.0f} MiB at most while serving (resident, sampled every 20 ms);"
          f" {memory:.0f} MiB peak over its life (VmHWM: opening the passphrase-protected keys, scrypt, takes the most)")  # fmt: skip
    print(f"headquarters holds {stored[0]} submissions from {stored[1]} offices and {receipts} receipts"
          f" ({'each bundle exactly once' if stored[0] == stored[1] == receipts == len(offices) else 'NOT exactly once'})")  # fmt: skip
    shutil.rmtree(work, ignore_errors=True)
    shutil.rmtree(offices_dir, ignore_errors=True)
    os._exit(0)


if __name__ == "__main__":
    main()
