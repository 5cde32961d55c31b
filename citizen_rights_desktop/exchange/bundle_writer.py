"""Report bundles (``.crb``): a zip archive inside age encryption, its manifest signed by the office.

The format is specified in ``docs/bundle-format.md``. In short:

    age (X25519, to headquarters' key)
      └─ zip
           manifest.json          form, office, period, revision, recipient, SHA-256 and size of every member
           manifest.p7s           CMS (PKCS #7) detached signature of manifest.json, office certificate chain included
           answers.json           the answers document (answers_document.to_document, no embedded evidence)
           report.pdf             the signed report PDF (when the office has signed one)
           evidence/<sha256>      each evidence file, named by its content's SHA-256

``export_bundle`` writes one at the office; ``open_bundle`` is the hostile-input side used by
``hq.importer`` (through ``bundle_reader``): it decrypts, bounds the archive, checks every member against the manifest and the
manifest against its signature, and never uses a name from the bundle as a file path.
"""

from __future__ import annotations

import hashlib
import io
import re
import uuid
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyrage

from citizen_rights_desktop import files
from citizen_rights_desktop.exchange.certificates import office_id_of
from citizen_rights_desktop.exchange.cms import OfficeSigner, cms_sign
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.manifest import (
    ANSWERS,
    EVIDENCE_PREFIX,
    MANIFEST,
    PDF,
    SIGNATURE,
    SUFFIX,
    Manifest,
    Member,
)
from citizen_rights_desktop.exchange.profile import HQProfile
from citizen_rights_desktop.exchange.sending_check import check_report_pdf, check_signer
from citizen_rights_desktop.report import answers_document
from citizen_rights_desktop.report.model import Report
from citizen_rights_desktop.report.office import OfficeProfile
from storage.database import utc_now

Progress = Callable[[int, int, str], None]  # (done, total, stage)


@dataclass
class ExportResult:
    path: Path
    bundle_id: str
    size: int
    sha256: str
    manifest: Manifest


def file_name(office: OfficeProfile | None, office_id: str, period: str, revision: int) -> str:
    """``<agency>_<office id prefix>_<period>_r<revision>.crb``, safe on FAT32 / NTFS / ext4."""
    agency = (office.agency if office else "") or "office"
    agency = re.sub(r'[\x00-\x1f<>:"/\\|?*\u200e\u200f]+', "", agency).strip()
    agency = re.sub(r"\s+", "-", agency)[:60] or "office"
    safe_id = re.sub(r"[^0-9A-Za-z]", "", office_id)[:8] or "x"
    safe_period = re.sub(r"[^0-9A-Za-z]", "", period)[:8]
    return f"{agency}_{safe_id}_{safe_period}_r{revision}{SUFFIX}"


def build_bundle(
    report: Report,
    office: OfficeProfile | None,
    evidence: dict[str, bytes],
    signer: OfficeSigner,
    hq_id: str,
    age_recipient: str,
    pdf: bytes | None = None,
    progress: Progress | None = None,
    created_at: str | None = None,
) -> tuple[bytes, Manifest]:
    """The encrypted bundle bytes and its manifest. ``evidence`` maps SHA-256 → content for every file the report cites."""
    note = progress or (lambda done, total, stage: None)
    answers = answers_document.dumps(answers_document.to_document(report, office, None)).encode("utf-8")
    cited = sorted({ev.sha256 for section in report.sections.values() for ev in section.evidence})
    total = len(answers) + (len(pdf) if pdf else 0) + sum(len(evidence[s]) for s in cited)
    members: list[tuple[Member, bytes]] = [(Member(ANSWERS, "answers", hashlib.sha256(answers).hexdigest(), len(answers)), answers)]
    if pdf is not None:
        members.append((Member(PDF, "pdf", hashlib.sha256(pdf).hexdigest(), len(pdf)), pdf))
    done = len(answers)
    for sha in cited:
        data = evidence[sha]
        if hashlib.sha256(data).hexdigest() != sha:
            raise ExchangeError("evidence_damaged", f"stored evidence {sha} does not match its SHA-256", "یکی از فایل‌های مستند آسیب دیده است.")
        members.append((Member(EVIDENCE_PREFIX + sha, "evidence", sha, len(data)), data))
        done += len(data)
        note(done, total * 3, "hashing")
    manifest = Manifest(
        bundle_id=uuid.uuid4().hex,
        created_at=created_at or utc_now(),
        form_id=report.form_id,
        form_version=report.form_version,
        office_id=report.office_id,
        agency=office.agency if office and office.agency else report.office_id,
        report_id=report.id,
        period=report.period,
        revision=report.revision,
        hq_id=hq_id,
        age_recipient=age_recipient,
        members=tuple(m for m, _ in members),
    )
    manifest_bytes = manifest.dumps()
    signature = cms_sign(manifest_bytes, signer)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in ((MANIFEST, manifest_bytes), (SIGNATURE, signature)):
            archive.writestr(_zip_info(name, zipfile.ZIP_DEFLATED), data)
        for member, data in members:
            # JSON compresses well; PDFs and scans do not, so they are stored as they are
            archive.writestr(_zip_info(member.name, zipfile.ZIP_DEFLATED if member.role == "answers" else zipfile.ZIP_STORED), data)
            done += len(data)
            note(done, total * 3, "packing")
    try:
        encrypted = pyrage.encrypt(buffer.getvalue(), [pyrage.x25519.Recipient.from_str(age_recipient)])
    except (pyrage.RecipientError, pyrage.EncryptError, ValueError) as exc:
        raise ExchangeError("bad_recipient", f"cannot encrypt to headquarters' key: {exc}", "رمزگذاری برای کلید ستاد ممکن نشد.") from None
    note(total * 3, total * 3, "encrypted")
    return encrypted, manifest


def _zip_info(name: str, compression: int) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
    info.compress_type = compression
    info.external_attr = 0o644 << 16
    return info


def write_atomically(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through ``files.write_atomically`` (temporary file in the same folder,
    synced, renamed; removed on failure); a failure is an ``ExchangeError`` like the rest of the exchange."""
    try:
        files.write_atomically(path, data)
    except files.WriteError as exc:
        raise ExchangeError("write_failed", exc.message_en, exc.message_fa) from None


def export_bundle(
    store,
    report_id: str,
    folder: str | Path,
    signer: OfficeSigner,
    profile: HQProfile,
    pdf: bytes | None = None,
    progress: Progress | None = None,
    outbox_name: bool = False,
) -> ExportResult:
    """Write the bundle of a signed report into ``folder`` (e.g. a USB drive) and record the export.

    ``store`` is the office's ``ReportStore``; ``signer`` the office key with the certificate
    headquarters issued; ``profile`` the imported headquarters profile (its recipient key);
    ``pdf`` the signed report PDF (default: the one kept when the report was signed). ``progress(done, total, stage)`` is called as
    work proceeds (for the UI's progress bar). The report itself is not changed: which revision was
    exported, when and to which file is recorded in ``bundle_export`` (see ``exports``).
    ``outbox_name``: name the file ``<bundle id>.crb`` (the outbox, ``exchange.outbox``, holds
    several bundles of one revision when one was refused) instead of the name a person reads.
    """
    report = store.load_report(report_id)
    if report.state == "draft":
        raise ExchangeError(
            "report_draft", f"report {report_id} is a draft: sign it before exporting a bundle", "گزارش هنوز پیش‌نویس است؛ ابتدا آن را امضا کنید."
        )
    if pdf is None:
        pdf = store.signed_pdf(report_id)  # kept when the report was signed (None for older databases)
    cert_office = office_id_of(signer.certificate)
    if cert_office != report.office_id:
        raise ExchangeError(
            "certificate_other_office",
            f"the signing certificate is for office {cert_office}, not for this report's office {report.office_id}",
            "گواهی امضا متعلق به دستگاه دیگری است.",
        )
    # never write what headquarters will refuse: the office is told now, with what to do
    check_signer(signer, profile)
    if pdf is not None:
        check_report_pdf(pdf, signer, profile)
    office = store.get_office(report.office_id)
    evidence = {ev.sha256: store.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
    data, manifest = build_bundle(report, office, evidence, signer, profile.hq_id, profile.age_recipient, pdf, progress)
    folder = Path(folder)
    if not folder.is_dir():
        raise ExchangeError("no_folder", f"{folder} is not a folder", f"پوشه «{folder}» وجود ندارد.")
    name = f"{manifest.bundle_id}{SUFFIX}" if outbox_name else file_name(office, report.office_id, report.period, report.revision)
    path = folder / name
    write_atomically(path, data)
    digest = hashlib.sha256(data).hexdigest()
    with store.database.transaction() as conn:
        conn.execute(
            "INSERT INTO bundle_export (bundle_id, report_id, revision, file_name, sha256, size, exported_at) VALUES (?,?,?,?,?,?,?)",
            (manifest.bundle_id, report.id, report.revision, path.name, digest, len(data), utc_now()),
        )
    return ExportResult(path, manifest.bundle_id, len(data), digest, manifest)


def exports(database, report_id: str) -> list[dict[str, Any]]:
    """Which revisions of a report were exported, when, and to which file name (newest first)."""
    keys = ("bundle_id", "revision", "file_name", "sha256", "size", "exported_at")
    rows = database.conn.execute(
        f"SELECT {', '.join(keys)} FROM bundle_export WHERE report_id=? ORDER BY exported_at DESC", (report_id,)
    ).fetchall()
    return [dict(zip(keys, row)) for row in rows]
