"""The office's exchange with headquarters, as ``ReportActions`` offers it: the headquarters
profile, the certificate request and the issued certificate, the bundle of a signed report — sent
to headquarters' intake service through the outbox (issue 18) or written to a folder or USB
drive — and headquarters' feedback. The send column of the reports list is ``ui.outbox_view``.

``ExchangeActions`` is a mixin of ``ui.report_actions.ReportActions``: it uses that class's
``window``, ``store``, ``_start``, ``_info``, ``_error`` and ``ensure_identity``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from PySide6.QtWidgets import QMessageBox

from citizen_rights_desktop.app_log import get_logger
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.signing import identity as ident
from ui import file_dialogs, outbox_view
from ui.busy import busy_cursor
from ui.formatting import fa_message, ltr
from ui.identity_dialog import identity_path, identity_status, remember_certificate, unlock

LOG = get_logger("ui.actions")


def _public_der(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


class ExchangeActions:
    # --- exchange with headquarters -----------------------------------------------------------

    def _open_file(self, title: str, filters: str) -> bytes | None:
        """A file from headquarters, chosen in Qt's Persian dialog (it opens where the last one was)."""
        name = file_dialogs.open_file(self.window, title, "hq_files", filters)
        if not name:
            return None
        try:
            return Path(name).read_bytes()
        except OSError:
            self._error(f"فایل «{ltr(name)}» خواندنی نیست.")
            return None

    def import_profile(self, path: Path | None = None) -> bool:
        from citizen_rights_desktop.exchange import office_enrolment as office_exchange
        from citizen_rights_desktop.exchange.errors import ExchangeError

        data = Path(path).read_bytes() if path else self._open_file("فایل مشخصات ستاد", "مشخصات ستاد (*.json *.crp *.*)")
        if data is None:
            return False
        try:
            with busy_cursor():
                result = office_exchange.import_profile(self.store.database, data)
        except ExchangeError as exc:
            self._error(fa_message(exc.message_fa))
            return False
        catalog = getattr(self.window, "catalog", None)
        added = office_exchange.install_profile_forms(self.store.database, catalog) if catalog is not None else []
        extra = f"\n{len(added)} فرم جدید از مشخصات ستاد نصب شد." if added else ""  # a new kind or version, no reinstall
        self._info("مشخصات ستاد", fa_message(result.message_fa + extra))
        self.done.emit("profile", result)
        return True

    def export_request(self, path: Path | None = None) -> Path | None:
        from citizen_rights_desktop.exchange import certificates

        office = self.window.office()
        if office is None:
            self._error("ابتدا مشخصات دستگاه را ثبت کنید.")
            return None
        opened = self.ensure_identity()
        if opened is None:
            return None
        identity = opened[0]
        if path is None:
            name = file_dialogs.save_file(self.window, "ذخیره درخواست گواهی", "hq_files", "درخواست-گواهی.csr.pem", "درخواست گواهی (*.pem *.csr)")
            if not name:
                return None
            path = Path(name)
        request = certificates.office_request(identity.private_key, office.id, identity.holder_name)
        try:
            Path(path).write_bytes(request.public_bytes(serialization.Encoding.PEM))
        except OSError:
            self._error(f"نوشتن فایل «{ltr(path)}» ممکن نشد.")
            return None
        self._info("درخواست گواهی", f"درخواست گواهی در این فایل ذخیره شد؛ آن را به ستاد بدهید:\n{ltr(path)}")
        self.done.emit("request", path)
        return Path(path)

    def import_certificate(self, path: Path | None = None) -> bool:
        """Store the certificate headquarters issued and install it in the signing identity (as the CLI)."""
        from citizen_rights_desktop.exchange import certificates
        from citizen_rights_desktop.exchange import office_enrolment as office_exchange
        from citizen_rights_desktop.exchange.errors import ExchangeError

        data = Path(path).read_bytes() if path else self._open_file("گواهی صادرشده از ستاد", "گواهی (*.pem *.crt *.cer *.*)")
        if data is None:
            return False
        opened = self.ensure_identity()
        if opened is None:
            return False
        identity, passphrase = opened
        try:
            with busy_cursor():  # the key file is encrypted again with a stretched passphrase
                cert = office_exchange.import_certificate(self.store.database, data, _public_der(identity.private_key))
                chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates.load_certificates(data)[1:])
                installed = ident.install_certificate(identity, cert.public_bytes(serialization.Encoding.PEM), chain)
                ident.save_identity(installed, identity_path(), passphrase)
        except (ExchangeError, ident.IdentityError) as exc:
            self._error(fa_message(exc.message_fa))
            return False
        remember_certificate(installed)
        sending = getattr(self.window, "sending", None)
        if sending is not None:
            sending.remember(installed)  # the passphrase was typed: sending needs no second one
        self.window.update_identity_status()
        status = identity_status(lambda: office_exchange.load_profile(self.store.database))  # the issuer named in Persian
        self._info("گواهی ستاد", fa_message(f"گواهی صادرشده از ستاد وارد شد.\n{status.text}"))
        self.done.emit("certificate", cert)
        return True

    def send_or_export(self, report_id: str) -> None:
        """«ارسال بسته…»: to headquarters' intake service or to a USB drive, when an intake address
        is known (the clerk chooses); else to a folder or USB drive, as before."""
        if self._refuse_in_sample():
            return
        from citizen_rights_desktop.exchange import outbox

        address = outbox.intake_url(self.store.database, self._profile_or_none())
        report = self._report(report_id)
        if report is None:
            return
        if address is None or report.state == "draft":
            self.export_bundle(report_id)  # a draft is told what to do there
            return
        way = outbox_view.choose_way(self.window, address, report.revision)
        if way == outbox_view.NETWORK:
            self.send_bundle(report_id)
        elif way == outbox_view.USB:
            self.export_bundle(report_id)

    def _profile_or_none(self):
        from citizen_rights_desktop.exchange import office_enrolment as office_exchange
        from citizen_rights_desktop.exchange.errors import ExchangeError

        try:
            return office_exchange.load_profile(self.store.database)
        except ExchangeError:
            return None

    def _unlocked_identity(self):
        """The office identity: the one unlocked earlier in this session (``ui.send_worker``), else
        the passphrase asked now."""
        sending = getattr(self.window, "sending", None)
        if sending is not None and sending.identity is not None:
            return sending.identity
        opened = unlock(self.window)
        return opened[0] if opened else None

    def _bundle_inputs(self, report_id: str, pdf_path: Path | None):
        """What a bundle needs, each checked with the clerk told what to do: ``(report, profile,
        identity, signer, pdf, resign)``, or ``None``."""
        from citizen_rights_desktop.exchange import cms as bundle_cms
        from citizen_rights_desktop.exchange import office_enrolment as office_exchange

        report = self._report(report_id)
        if report is None:
            return None
        if report.state == "draft":
            self._error("گزارش هنوز پیش‌نویس است؛ ابتدا «ذخیره PDF امضاشده» را بزنید.")
            return None
        profile = office_exchange.load_profile(self.store.database)
        if profile is None:
            self._error("ابتدا فایل مشخصات ستاد را وارد کنید (منوی «ستاد»).")
            return None
        issued = office_exchange.office_certificate(self.store.database, report.office_id)
        if issued is None:
            self._error("ابتدا گواهی صادرشده از ستاد را وارد کنید (منوی «ستاد»: درخواست گواهی، سپس وارد کردن گواهی ستاد).")
            return None
        if pdf_path is None and self.store.signed_pdf(report_id) is None:
            name = file_dialogs.open_file(self.window, "فایل PDF امضاشده همین گزارش", "pdf", "PDF (*.pdf)")
            if not name:
                return None
            pdf_path = Path(name)
        if not identity_path().exists():
            self._error("گواهی امضای دستگاه روی این رایانه نیست.")
            return None
        identity = self._unlocked_identity()
        if identity is None:
            return None
        if _public_der(identity.private_key) != _public_der(issued[0]):
            self._error("گواهی صادرشده از ستاد برای کلید این دستگاه نیست؛ دوباره درخواست گواهی بفرستید.")
            return None
        sending = getattr(self.window, "sending", None)
        if sending is not None:
            sending.remember(identity)  # sending resumes by itself for the rest of the session
        pdf = None  # the signed PDF kept in the database when the report was signed
        if pdf_path is not None:
            try:
                pdf = Path(pdf_path).read_bytes()
            except OSError:
                self._error(f"فایل «{ltr(pdf_path)}» خواندنی نیست.")
                return None
        signer = bundle_cms.OfficeSigner(identity.private_key, issued[0], issued[1])
        resign = self._refused_before_sending(report_id, signer, profile, pdf)
        if resign is None:
            return None
        return report, profile, identity, signer, pdf, resign

    def _bundle_work(self, report, identity, resign: bool, make):
        """``work`` for the worker: sign a new revision first when needed, then ``make(store, report_id, progress)``."""
        catalog = self.window.catalog

        def work(store, progress):
            bundled_id = report.id
            if resign:  # the report was signed before headquarters' certificate: sign a new revision first
                from citizen_rights_desktop.signing.signed_report import resign_as_new_revision

                form = catalog.get(report.form_id, report.form_version)
                with tempfile.TemporaryDirectory(prefix="crd-resign-") as temporary:
                    bundled_id, _ = resign_as_new_revision(store, form, report.id, identity, Path(temporary) / "signed.pdf")
            return make(store, bundled_id, lambda done, total, _stage: progress(done, total))

        return work

    def export_bundle(self, report_id: str, folder: Path | None = None, pdf_path: Path | None = None) -> None:
        """Write the encrypted, signed bundle of a signed report into a folder or USB drive."""
        from citizen_rights_desktop.exchange import bundle_writer

        inputs = self._bundle_inputs(report_id, pdf_path)
        if inputs is None:
            return
        report, profile, identity, signer, pdf, resign = inputs
        if folder is None:
            name = file_dialogs.choose_folder(self.window, "پوشه یا حافظه جانبی (USB) برای بسته", "bundle")
            if not name:
                return
            folder = Path(name)

        def make(store, bundled_id, progress):
            return bundle_writer.export_bundle(store, bundled_id, folder, signer, profile, None if resign else pdf, progress)

        def finished(result) -> None:
            revision = result.manifest.revision
            LOG.info("bundle exported: revision %s, %s bytes", revision, result.size)
            self._info(
                "بسته ارسال ساخته شد",
                (f"ویرایش {to_persian_digits(revision)} با گواهی ستاد امضا شد.\n" if resign else "")
                + f"بسته رمزگذاری‌شده و امضاشده ویرایش {to_persian_digits(revision)} ذخیره شد:\n{ltr(result.path)}\n\n"
                "این فایل را با حافظه USB به ستاد برسانید؛ تا ستاد آن را دریافت نکند، ارسال‌شده به حساب نمی‌آید.",
            )
            self.window.report_changed(result.manifest.report_id)  # the new revision, when it was signed again
            self.done.emit("bundle", result)

        self._start("در حال ساخت بسته رمزگذاری‌شده…", self._bundle_work(report, identity, resign, make), finished)

    def send_bundle(self, report_id: str, pdf_path: Path | None = None) -> None:
        """Put the report's bundle in the outbox (``exchange.outbox.queue_bundle``) and start sending
        it to headquarters' intake service in the background (``ui.send_worker``)."""
        if self._refuse_in_sample():
            return
        from citizen_rights_desktop.exchange import outbox

        inputs = self._bundle_inputs(report_id, pdf_path)
        if inputs is None:
            return
        report, profile, identity, signer, pdf, resign = inputs

        def make(store, bundled_id, progress):
            return outbox.queue_bundle(store, bundled_id, signer, profile, None if resign else pdf, progress)

        def finished(entry) -> None:
            LOG.info("bundle queued: revision %s, %s bytes", entry.revision, entry.size)
            state = outbox.describe(entry)
            self.window.statusBar().showMessage(f"{state.text_fa}؛ ارسال به ستاد در پس‌زمینه انجام می‌شود.", 10000)
            self.window.report_changed(entry.report_id)
            sending = getattr(self.window, "sending", None)
            if sending is not None:
                sending.check()
            self.done.emit("queued", entry)

        self._start("در حال ساخت بسته و قرار دادن آن در صف ارسال…", self._bundle_work(report, identity, resign, make), finished)

    def _refused_before_sending(self, report_id: str, signer, profile, pdf: bytes | None) -> bool | None:
        """What headquarters would refuse, told now (``exchange.sending_check``): ``None`` when the
        bundle cannot be made (the clerk was told why and what to do), ``True`` when the report must
        first be signed again as a new revision and the clerk agreed, ``False`` when all is well."""
        from citizen_rights_desktop.exchange import sending_check
        from citizen_rights_desktop.exchange.errors import ExchangeError

        try:
            sending_check.check_signer(signer, profile)
            stored = pdf if pdf is not None else self.store.signed_pdf(report_id)
            if stored is not None:
                sending_check.check_report_pdf(stored, signer, profile)
        except ExchangeError as exc:
            if exc.code != sending_check.RESIGN_NEEDED or pdf is not None:
                self._error(fa_message(exc.message_fa))
                return None
            answer = QMessageBox.question(
                self.window,
                "امضای دوباره با گواهی ستاد",
                "این گزارش پیش از ورود گواهی ستاد امضا شده است و ستاد آن را نمی‌پذیرد.\n\n"
                "ویرایش جدیدی از آن با همان پاسخ‌ها ساخته و با گواهی ستاد امضا شود و همان ارسال شود؟\n"
                "(ویرایش امضاشده قبلی دست‌نخورده می‌ماند.)",
            )
            if answer != QMessageBox.Yes:
                return None
            return True
        return False

    def import_feedback(self, path: Path | None = None) -> bool:
        from citizen_rights_desktop.exchange import feedback as feedback_files
        from citizen_rights_desktop.exchange.errors import ExchangeError

        data = Path(path).read_bytes() if path else self._open_file("فایل بازخورد ستاد", "بازخورد ستاد (*.json *.crf *.*)")
        if data is None:
            return False
        try:
            with busy_cursor():
                result = feedback_files.import_feedback(self.store.database, data)
        except ExchangeError as exc:
            self._error(fa_message(exc.message_fa))
            return False
        comments = len(result.feedback.comments)
        extra = f"\n{to_persian_digits(comments)} نظر ستاد روی صفحه شاخص‌های مربوط نمایش داده می‌شود." if comments else ""
        self._info("بازخورد ستاد", fa_message(result.message_fa + extra))
        self.window.report_changed(result.feedback.report_id)
        self.done.emit("feedback", result)
        return True
