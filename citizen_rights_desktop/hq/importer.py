"""Importing report bundles at headquarters.

Every check runs before anything is written; the submission is then stored in ONE transaction
(``storage.hq_store``). The order of checks:

1. decrypt with headquarters' age key (wrong recipient, damaged or changed file); a file is
   decrypted as it is read, into a private temporary file, never whole into memory;
2. the archive: member count, sizes, compression ratio, allowed names only (no name is ever a path);
3. the manifest's CMS signature, the manifest itself, nothing missing and nothing extra, each
   member's declared size the listed one;
4. the bundle is addressed to this headquarters;
5. the signer's certificate: not self-signed, within its validity now, a path to a trusted root
   (RFC 5280: cryptography's verifier by default, pyhanko-certvalidator on request), not revoked,
   and issued to the manifest's office. Steps 4 and 5 run inside the reader (``before_members``),
   before any member other than the manifest is inflated: an untrusted signer costs nothing more;
6. every member's size and SHA-256 as it is inflated, one at a time (from a file, evidence is only
   checked here and read again, one member at a time, when it is stored);
7. the answers document: strict parse, consistent with the manifest, evidence members exactly the
   evidence it cites; its form version known at headquarters and the answers fit that form;
8. the signed PDF, when present and the signing module is installed;
9. revision: a newer one supersedes (history kept); an older or identical one changes nothing.

A refusal is a ``BundleRefused`` with a ``code``, an English ``message_en`` and a Persian ``message_fa``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import itertools
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cryptography import x509

from citizen_rights_desktop.exchange.bundle_reader import OpenedBundle, open_bundle, open_bundle_file
from citizen_rights_desktop.exchange.certificates import cert_pem
from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.exchange.manifest import ANSWERS, EVIDENCE_PREFIX, PDF, Limits, Manifest, refused
from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.hq.completeness import register_provinces
from citizen_rights_desktop.hq.identity import HQIdentity
from citizen_rights_desktop.hq.signer_trust import PdfCheck, PdfExpectation, SignerTrust, default_pdf_check
from citizen_rights_desktop.persian.text import unsafe_characters
from citizen_rights_desktop.report import answers_document
from citizen_rights_desktop.report.fingerprint import answers_fingerprint
from citizen_rights_desktop.report.office import PROVINCES, OfficeProfile
from storage import hq_store
from storage.database import Database


@dataclass
class ImportOutcome:
    status: str  # imported, superseded, identical, older
    submission_id: str | None
    office_id: str
    agency: str
    period: str
    revision: int
    pdf_check: str
    message_en: str
    message_fa: str

    @property
    def changed(self) -> bool:
        return self.status in (hq_store.IMPORTED, hq_store.SUPERSEDED)


_STATE_LINE = re.compile(rb'\n    "state": "[a-z_]*",\n')


def content_sha256(opened: OpenedBundle) -> str:
    """What makes two bundles of the same revision "identical": the answers and evidence (not times,
    not the PDF's signature bytes, not the report's state: a report marked "exported" after its first
    export gives the same answers)."""
    digest = hashlib.sha256(_STATE_LINE.sub(b"\n", opened.members[ANSWERS], count=1))
    for member in sorted(opened.manifest.members, key=lambda m: m.name):
        if member.role == "evidence":
            digest.update(member.sha256.encode("ascii"))
    return digest.hexdigest()


class Importer:
    """Imports bundles into a headquarters database. Create once per import run (it caches trust roots and forms)."""

    def __init__(
        self,
        database: Database,
        hq: HQIdentity,
        catalog: FormCatalog | None = None,
        limits: Limits = Limits(),
        now: dt.datetime | None = None,
        pdf_check: PdfCheck | None | str = "default",
        require_pdf: bool = False,
        path_validation: str = "cryptography",
        scratch: str | Path | None = None,
    ):
        """``scratch``: the folder for the private temporary folder a bundle file is decrypted into
        (the system's temporary folder by default; it needs room for one plaintext, up to 700 MB)."""
        self.database = database
        self.scratch = scratch
        self.hq = hq
        self.catalog = catalog or FormCatalog()
        self.limits = limits
        self.moment = now or dt.datetime.now(dt.timezone.utc)  # one moment per import run
        self.require_pdf = require_pdf
        self.trust = SignerTrust(database, self.moment, path_validation)
        self._register: dict[str, str] | None = None  # the org-unit register's provinces, read once per run
        if pdf_check == "fast":  # the hot path's check; the full validation afterwards (hq.pdf_fast.validate_pending)
            from citizen_rights_desktop.hq.pdf_fast import fast_pdf_check

            pdf_check = fast_pdf_check
        self.pdf_check = default_pdf_check(self.trust.roots) if pdf_check == "default" else pdf_check

    def close(self) -> None:
        self.trust.close()

    def __enter__(self) -> Importer:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # --- checks ------------------------------------------------------------------------------

    def check_answers(self, opened: OpenedBundle):
        manifest = opened.manifest
        try:
            text = opened.members[ANSWERS].decode("utf-8")
            report, office, blobs = answers_document.loads(text)
        except UnicodeDecodeError:
            raise refused("answers_invalid", "answers.json is not UTF-8", "فایل پاسخ‌ها معتبر نیست.") from None
        except answers_document.AnswersDocumentError as exc:
            raise refused("answers_invalid", f"answers.json is not a valid answers document: {exc}", "فایل پاسخ‌ها معتبر نیست.") from None
        if office is None:
            raise refused("answers_invalid", "answers.json has no office profile", "فایل پاسخ‌ها مشخصات دستگاه را ندارد.")
        unsafe = [name for name in ("id", "agency", "county", "head_name", "head_title", "letter_prefix") if unsafe_characters(getattr(office, name))]
        if unsafe or unsafe_characters(manifest.agency):
            raise refused(
                "unsafe_names",
                f"the office's names hold control or direction characters ({', '.join(unsafe) or 'agency'}), which could forge what is printed",
                "نام‌های دستگاه در این بسته نویسه‌های کنترلی یا تغییر جهت دارند؛ بسته پذیرفته نشد.",
            )
        if blobs:
            raise refused("answers_invalid", "answers.json embeds evidence; in a bundle evidence files are separate members", "مستندات نباید درون فایل پاسخ‌ها باشد.")
        pairs = (
            ("form id", report.form_id, manifest.form_id), ("form version", report.form_version, manifest.form_version),
            ("report id", report.id, manifest.report_id), ("period", report.period, manifest.period),
            ("revision", report.revision, manifest.revision), ("office", report.office_id, manifest.office_id),
        )  # fmt: skip
        for what, in_answers, in_manifest in pairs:
            if in_answers != in_manifest:
                raise refused(
                    "answers_manifest_mismatch",
                    f"answers.json says {what} {in_answers!r} but the manifest says {in_manifest!r}",
                    "فایل پاسخ‌ها با فهرست محتویات بسته همخوانی ندارد.",
                )
        cited = {}
        for section in report.sections.values():
            for ev in section.evidence:
                if cited.setdefault(ev.sha256, ev.size) != ev.size:
                    raise refused("evidence_mismatch", f"evidence {ev.name!r} is cited with two sizes", "اندازه یکی از مستندات ناسازگار است.")
        members = {m.sha256: m for m in manifest.members if m.role == "evidence"}
        for sha, size in cited.items():
            member = members.get(sha)
            if member is None:
                raise refused("evidence_missing", f"evidence {sha[:12]}… cited by the answers is not in the bundle", "یکی از مستندات پاسخ‌ها در بسته نیست.")
            if member.size != size:
                raise refused("evidence_mismatch", f"evidence {sha[:12]}… is {member.size} bytes, the answers say {size}", "اندازه یکی از مستندات ناسازگار است.")
        for sha in set(members) - set(cited):
            raise refused("extra_member", f"evidence {sha[:12]}… is in the bundle but no answer cites it", "بسته مستندی دارد که در پاسخ‌ها نیامده است.")
        try:
            form = self.catalog.get(report.form_id, report.form_version)
        except FormNotFound as exc:
            raise refused(
                "unknown_form_version",
                f"{exc.message_en} at headquarters; install that form definition to import this bundle",
                exc.message_fa + " ابتدا این تعریف فرم را در ستاد نصب کنید.",
            ) from None
        problems = answers_document.structural_problems(form, report)
        if problems:
            more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
            raise refused(
                "answers_do_not_fit_form",
                f"the answers do not fit form {form.id} {form.version}: {problems[0]}{more}",
                "پاسخ‌ها با تعریف فرم همخوانی ندارند.",
            )
        # (sha256, size, reader): stored one at a time, each read only when its turn comes
        evidence = [(sha, size, functools.partial(opened.read_member, EVIDENCE_PREFIX + sha)) for sha, size in cited.items()]
        return report, office, evidence

    def check_pdf(self, opened: OpenedBundle, report) -> str:
        """The state recorded for the bundle's signed PDF; refused when the PDF is not the office's
        signed PDF of exactly this report, revision and answers."""
        pdf = opened.members.get(PDF)
        if pdf is None:
            if self.require_pdf:
                raise refused("pdf_missing", "the bundle has no signed PDF", "بسته فایل PDF امضاشده ندارد.")
            return "absent"
        if self.pdf_check is None:
            return "not checked"
        expected = PdfExpectation(opened.signer, report.id, report.revision, answers_fingerprint(report))
        ok, text = self.pdf_check(pdf, expected)
        if not ok:
            raise refused("pdf_signature_invalid", f"report.pdf: {text}", "امضای فایل PDF گزارش معتبر نیست.")
        return text

    # --- import ------------------------------------------------------------------------------

    def decide_trust(self, manifest: Manifest, signer: x509.Certificate, certificates: list[x509.Certificate]) -> None:
        """The addressee and the signer's certificate, asked by the reader as soon as the signed
        manifest is read (``before_members``): refused before any other member is inflated."""
        if manifest.hq_id != self.hq.hq_id or manifest.age_recipient != self.hq.age_recipient:
            raise refused(
                "wrong_recipient",
                f"the bundle is addressed to headquarters {manifest.hq_id}, not to this headquarters ({self.hq.hq_id})",
                "این بسته برای ستاد دیگری فرستاده شده است.",
            )
        self.trust.check(signer, certificates, manifest.office_id)

    def verify(self, data: bytes) -> OpenedBundle:
        """Decrypt and verify (signature, addressee, certificate, hashes) without storing anything."""
        return open_bundle(data, self.hq.age_identity, self.limits, before_members=self.decide_trust)

    def import_bytes(self, data: bytes, source: str | None = None) -> ImportOutcome:
        """Verify and store one bundle; ``source`` names the file it came in (kept, and named in refusals)."""
        return self._check_and_store(self.verify(data), source)

    def import_file(self, path: str | Path, source: str | None = None) -> ImportOutcome:
        """``import_bytes`` for a file, streamed: neither the file nor its plaintext is held in
        memory (``bundle_reader.open_bundle_file``), only the answers, the PDF and one evidence
        file at a time while it is stored."""
        path = Path(path)
        try:
            handle = path.open("rb")
        except OSError as exc:
            raise refused("unreadable", f"cannot read the file: {exc.strerror or exc}", "فایل قابل خواندن نیست.") from None
        with handle:
            self._check_size(os.fstat(handle.fileno()).st_size)
            with open_bundle_file(handle, self.hq.age_identity, self.limits, self.decide_trust, self.scratch) as opened:
                return self._check_and_store(opened, source or path.name)

    def _check_size(self, size: int) -> None:
        if size > self.limits.max_file_bytes:
            raise refused("too_large", f"the file is {size} bytes; a bundle may be at most {self.limits.max_file_bytes}", "حجم فایل بیش از حد مجاز است.")

    def register_check(self, office: OfficeProfile) -> tuple[OfficeProfile, str, str]:
        """The office as the org-unit register places it, and a note (English, Persian) when the
        bundle says another province: the register is the truth; the contradiction is recorded with
        the submission and shown at import, so an analyst can follow it up."""
        if self._register is None:
            self._register = register_provinces(self.database.conn)
        registered = self._register.get(office.id)
        if registered is None or registered == office.province:
            return office, "", ""
        claimed, placed = office.province or "none", registered or "national"
        return (
            dataclasses.replace(office, province=registered),
            f"the bundle says province {claimed}, the org-unit register says {placed}: the register's is used",
            f"استان این دستگاه در بسته «{PROVINCES.get(office.province, office.province or '—')}» آمده، ولی در فهرست واحدهای ستاد"
            f" «{PROVINCES.get(registered, 'ملی')}» است؛ فهرست ستاد ملاک است.",
        )

    def _check_and_store(self, opened: OpenedBundle, source: str | None, forwarded: str | None = None, checked: tuple | None = None) -> ImportOutcome:
        """``checked``: ``check_answers``' result and the PDF's state when a worker process made them (``hq.import_pool``)."""
        report, office, evidence, *pdf_checked = checked or self.check_answers(opened)
        office, note_en, note_fa = self.register_check(office)
        pdf_state = pdf_checked[0] if pdf_checked and pdf_checked[0] is not None else self.check_pdf(opened, report)
        manifest = opened.manifest
        pdf = opened.members.get(PDF)
        meta = {
            "bundle_id": manifest.bundle_id,
            "content_sha256": content_sha256(opened),
            "manifest": opened.manifest_bytes.decode("utf-8"),
            "manifest_signature": opened.signature,
            "signer_cert_pem": cert_pem(opened.signer),
            "pdf_sha256": hashlib.sha256(pdf).hexdigest() if pdf is not None else None,
            "pdf_check": pdf_state,
            "created_at": manifest.created_at,
            "source_name": source,
            "register_note": note_en or None,
            "answers": bytes(opened.members[ANSWERS]),
            "forwarded_by": forwarded,
        }
        result = hq_store.store_submission(self.database, meta, report, office, evidence, pdf)
        where = f"office {manifest.office_id} ({manifest.agency}), period {manifest.period}, revision {manifest.revision}"
        if result.status == hq_store.REUSED:
            earlier = f"the file {result.earlier_source}" if result.earlier_source else "an earlier bundle"
            raise refused(
                "bundle_id_reused",
                f"bundle id {manifest.bundle_id} already arrived in {earlier} (revision {result.current_revision}) with other content;"
                " a bundle id names one bundle only, so this file is refused; nothing was changed",
                f"شناسه این بسته قبلاً با محتوای دیگری در «{result.earlier_source or 'بسته‌ای دیگر'}» دریافت شده است؛ این فایل پذیرفته نشد و چیزی تغییر نکرد.",
            )
        if result.status == hq_store.CONFLICT:
            raise refused(
                "revision_conflict",
                f"{where} was already received with different answers; the office must make a new revision; nothing was changed",
                "این ویرایش گزارش قبلاً با پاسخ‌های دیگری دریافت شده است؛ دستگاه باید ویرایش جدیدی بفرستد. چیزی تغییر نکرد.",
            )
        messages = {
            hq_store.IMPORTED: (f"imported {where}", f"گزارش ویرایش {manifest.revision} دریافت و ثبت شد."),
            hq_store.SUPERSEDED: (
                f"imported {where}; it supersedes the earlier revision (kept as history)",
                f"گزارش ویرایش {manifest.revision} ثبت شد و جایگزین ویرایش قبلی شد (ویرایش قبلی در سابقه می‌ماند).",
            ),
            hq_store.IDENTICAL: (f"{where} is already here, identical; nothing was changed", "این گزارش قبلاً عیناً دریافت شده است؛ چیزی تغییر نکرد."),
            hq_store.OLDER: (
                f"{where} is older than revision {result.current_revision} already received; nothing was changed",
                f"ویرایش جدیدتر ({result.current_revision}) این گزارش قبلاً دریافت شده است؛ چیزی تغییر نکرد.",
            ),
        }
        en, fa = messages[result.status]
        if note_en and result.status in (hq_store.IMPORTED, hq_store.SUPERSEDED):
            en, fa = f"{en}; note: {note_en}", f"{fa} توجه: {note_fa}"
        return ImportOutcome(result.status, result.submission_id, manifest.office_id, manifest.agency, manifest.period,
                             manifest.revision, pdf_state, en, fa)  # fmt: skip

    def import_many(
        self, items: Iterable[tuple[Any, Callable[[], bytes | Path]]], batch_size: int = 64
    ) -> Iterator[tuple[Any, ImportOutcome | BundleRefused]]:
        """Import many bundles given as (key, function returning the bytes, or the ``Path`` of a
        file to import streamed as ``import_file`` does); yields (key, outcome or refusal).

        A batch shares one synced commit (each bundle in its own savepoint, so a refused one
        leaves nothing); results are yielded only once their batch is committed, so nothing is
        reported as imported before it is durable. A refusal is kept without its traceback,
        whose frames would hold the bundle's content until the batch ends.
        """
        items = iter(items)
        while chunk := list(itertools.islice(items, batch_size)):
            results: list[tuple[Any, ImportOutcome | BundleRefused]] = []
            with self.database.transaction():
                for key, load in chunk:
                    source = Path(key).name if isinstance(key, (str, Path)) else None
                    try:
                        loaded = load()
                        imported = self.import_file(loaded, source) if isinstance(loaded, Path) else self.import_bytes(loaded, source)
                        results.append((key, imported))
                    except BundleRefused as exc:
                        exc.__context__ = None
                        results.append((key, exc.with_traceback(None)))
                    except Exception as exc:  # noqa: BLE001 - one hostile file must never stop the run
                        results.append((key, unexpected(exc)))
            yield from results

    def read_file(self, path: str | Path) -> bytes:
        """A bundle file's bytes, refused (``BundleRefused``) when too large or unreadable; for
        callers that want them in memory (imports stream the file instead: ``import_file``)."""
        path = Path(path)
        try:
            self._check_size(path.stat().st_size)
            data = path.read_bytes()
        except OSError as exc:
            raise refused("unreadable", f"cannot read the file: {exc.strerror or exc}", "فایل قابل خواندن نیست.") from None
        return data


def unexpected(exc: Exception) -> BundleRefused:
    """A refusal for what no check foresaw: the bundle was authentic but its content could not be
    read or stored. Its savepoint was rolled back, so nothing of it remains; the run goes on."""
    return refused(
        "unreadable_content",
        f"the bundle's content could not be imported ({type(exc).__name__}); it was skipped and nothing was changed",
        "محتوای این بسته قابل ثبت نبود؛ از آن گذشتیم و چیزی تغییر نکرد.",
    )


def bundle_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files to import: each file given, and the ``*.crb`` files directly inside each folder given."""
    found: list[Path] = []
    for item in paths:
        item = Path(item)
        if item.is_dir():
            found.extend(sorted(p for p in item.iterdir() if p.suffix.lower() == ".crb" and p.is_file()))
        else:
            found.append(item)
    return found


def import_paths(importer: Importer, paths: Iterable[str | Path], progress: Callable[[int, int, Path], None] | None = None, many=None):
    """Import every file; yields (path, outcome or BundleRefused) and goes on after a refusal.
    ``many``: another ``import_many`` (``hq.import_pool.pooled``: checks on every core)."""
    files = bundle_files(paths)

    def reader(index: int, path: Path) -> Callable[[], Path]:
        def read() -> Path:
            if progress:
                progress(index, len(files), path)
            return path  # import_many streams it (import_file): the file is never read whole

        return read

    yield from (many or importer.import_many)((path, reader(i, path)) for i, path in enumerate(files))
