"""What the office does with a report besides answering it: preview, print, save the signed PDF,
start a new revision, send the bundle to headquarters, and the exchange files with headquarters
(profile, certificate request, issued certificate, feedback).

Long work (rendering, signing, packing a bundle) runs in a worker thread with its own database
connection and a progress dialog; everything else is a few core calls in the GUI thread. The
core does the work: the same sequence as ``citizen-rights report pdf --sign`` (render to a
temporary file, sign, remove it, lock the report) and ``report bundle``.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sqlite3
import subprocess
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from PySide6.QtCore import QObject, QRunnable, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from citizen_rights_desktop.signing import identity as ident
from citizen_rights_desktop.app_log import get_logger, log_exception
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.persian.text import to_persian_digits
from storage import DatabaseError, ReportStore
from ui import workers
from ui.formatting import ltr
from ui.identity_dialog import IdentityDialog, identity_path, identity_status, remember_certificate, unlock

LOG = get_logger("ui.actions")
LOG_HINT = "جزئیات در پرونده گزارش رخدادهای برنامه ثبت شد."


def _message(exc: BaseException) -> str:
    return getattr(exc, "message_fa", None) or "این کار انجام نشد."


def _public_der(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


# --- the core sequence (no Qt) ----------------------------------------------------------------


def produce_pdf(store: ReportStore, catalog: FormCatalog, report_id: str, output: Path, identity=None, on_page=None):
    """Render the report to ``output``; with ``identity``, sign it and lock the report (as the CLI does).

    Returns ``(RenderResult, signed)``. Raises the core's errors (all with ``message_fa``)."""
    from citizen_rights_desktop.signing.signed_report import write_report_pdf

    report = store.load_report(report_id)
    form = catalog.get(report.form_id, report.form_version)
    office = store.get_office(report.office_id)
    if office is None:
        raise DatabaseError(f"report {report_id} has no office profile", "مشخصات دستگاه این گزارش پیدا نشد.")
    emblem = None
    if office.emblem_sha256:
        try:
            emblem = store.evidence_bytes(office.emblem_sha256)
        except KeyError:
            emblem = None  # the letterhead is drawn without it
    result = write_report_pdf(store, form, report_id, output, identity, emblem=emblem, on_page=on_page)
    return result, identity is not None


# --- workers ----------------------------------------------------------------------------------


class _Task(QRunnable):
    """Runs ``work(store, progress)`` with its own connection; unexpected errors are logged."""

    def __init__(self, db_path: Path, work):
        super().__init__()
        self.db_path, self.work = Path(db_path), work
        self.signals = workers.TaskSignals()
        self.setAutoDelete(False)

    def run(self) -> None:
        try:
            store = workers._store(self.db_path)
        except sqlite3.Error as exc:
            self.signals.failed.emit(workers.persian_message(exc))
            return
        try:
            result = self.work(store, self.signals.progress.emit)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a message, never a vanished window
            if getattr(exc, "message_fa", None):
                self.signals.failed.emit(exc.message_fa)
            else:
                import sys

                log_exception(*sys.exc_info())
                self.signals.failed.emit("این کار به خطای پیش‌بینی‌نشده خورد. " + LOG_HINT)
            return
        finally:
            store.database.close()
        self.signals.finished.emit(result)


def rasterise(pdf: Path, folder: Path, dpi: int = 200) -> list[Path]:
    """PNG images of the PDF's pages via poppler's ``pdftoppm`` (empty list if it is not installed)."""
    tool = shutil.which("pdftoppm")
    if tool is None:
        return []
    subprocess.run([tool, "-r", str(dpi), "-png", str(pdf), str(folder / "page")], check=True, capture_output=True, timeout=300)
    return sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.rsplit("-", 1)[1]))


def print_images(printer, images: list[Path]) -> int:
    """Draw each page image scaled to the printer's page; returns the number of pages printed."""
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    count = 0
    try:
        for index, path in enumerate(images):
            image = QImage(str(path))
            if image.isNull():
                continue
            if index:
                printer.newPage()
            page = painter.viewport()
            size = image.size().scaled(page.size(), Qt.KeepAspectRatio)
            painter.setViewport(page.x(), page.y(), size.width(), size.height())
            painter.setWindow(image.rect())
            painter.drawImage(0, 0, image)
            painter.setViewport(page)
            count += 1
    finally:
        painter.end()
    return count


# --- the actions ------------------------------------------------------------------------------


class ReportActions(QObject):
    """Report and exchange actions of the main window (``window`` is the ``MainWindow``)."""

    done = Signal(str, object)  # action name, result (for tests and the window's refresh)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._tasks: list = []
        self.progress: QProgressDialog | None = None
        self._temp = tempfile.TemporaryDirectory(prefix="citizen-rights-")

    @property
    def store(self) -> ReportStore:
        return self.window.store

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _error(self, text: str) -> None:
        QMessageBox.warning(self.window, "خطا", text)

    def _info(self, title: str, text: str) -> None:
        QMessageBox.information(self.window, title, text)

    def _start(self, label: str, work, finished) -> None:
        progress = QProgressDialog(label, "", 0, 0, self.window)
        progress.setWindowTitle("لطفاً صبر کنید")
        progress.setCancelButton(None)
        progress.setWindowModality(Qt.WindowModal)
        progress.setMinimumDuration(300)
        progress.setMinimumWidth(420)
        self.progress = progress
        task = _Task(Path(self.store.database.path), work)

        def on_progress(done: int, total: int) -> None:
            if total > 0:
                progress.setRange(0, total)
                progress.setValue(min(done, total))
            else:
                progress.setLabelText(f"{label}\nصفحه {to_persian_digits(done)}")

        def close() -> None:
            progress.reset()
            progress.close()
            progress.deleteLater()
            self.progress = None

        task.signals.progress.connect(on_progress)
        task.signals.finished.connect(lambda result: (close(), finished(result)))
        task.signals.failed.connect(lambda text: (close(), self._error(text)))
        workers.start(task, self._tasks)

    def _flush(self) -> None:
        if self.window.workspace is not None:
            self.window.workspace.flush()

    def _report(self, report_id: str):
        try:
            return self.store.load_report(report_id)
        except (DatabaseError, KeyError) as exc:
            self._error(_message(exc))
            return None

    def _default_name(self, report, suffix: str) -> str:
        office = self.store.get_office(report.office_id)
        agency = (office.agency if office else "گزارش").replace("/", "-")
        return f"{agency} - {report.period} - ویرایش {report.revision}{suffix}"

    def _export_folder(self) -> str:
        folder = self.window.settings.export_folder
        return folder if folder and Path(folder).is_dir() else str(Path.home())

    # --- preview and print --------------------------------------------------------------------

    def preview(self, report_id: str) -> None:
        """Render to a temporary file off the GUI thread, then open it in the system's PDF viewer."""
        self._flush()
        catalog = self.window.catalog
        target = Path(self._temp.name) / f"preview-{report_id}-{dt.datetime.now():%H%M%S%f}.pdf"

        def work(store, progress):
            result, _ = produce_pdf(store, catalog, report_id, target, on_page=lambda n: progress(n, 0))
            return result

        def finished(result) -> None:
            LOG.info("preview rendered: %s pages", result.pages)
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
                self._info("پیش‌نمایش", f"برنامه‌ای برای نمایش PDF پیدا نشد. فایل در این نشانی ساخته شد:\n{ltr(target)}")
            self.done.emit("preview", target)

        self._start("در حال ساخت پیش‌نمایش گزارش…", work, finished)

    def print_report(self, report_id: str) -> None:
        """Render, rasterise the pages with pdftoppm and print them through the system print dialog;
        without pdftoppm, open the PDF in the system viewer to print from there (and say so)."""
        self._flush()
        catalog = self.window.catalog
        folder = Path(tempfile.mkdtemp(prefix="print-", dir=self._temp.name))
        target = folder / "report.pdf"

        def work(store, progress):
            produce_pdf(store, catalog, report_id, target, on_page=lambda n: progress(n, 0))
            return rasterise(target, folder)

        def finished(images) -> None:
            if not images:
                QDesktopServices.openUrl(QUrl.fromLocalFile(str(target)))
                self._info("چاپ", "ابزار تبدیل صفحات PDF (pdftoppm) روی این رایانه نیست؛ گزارش در نمایشگر PDF باز شد، از همان‌جا چاپ کنید.")
                self.done.emit("print", ("viewer", target))
                return
            self.print_pages(images)

        self._start("در حال آماده‌سازی صفحات برای چاپ…", work, finished)

    def print_pages(self, images: list[Path]) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.HighResolution)
        printer.setFullPage(True)
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle("چاپ گزارش")
        if dialog.exec() != QPrintDialog.Accepted:
            self.done.emit("print", ("cancelled", None))
            return
        pages = print_images(printer, images)
        self.window.statusBar().showMessage(f"{to_persian_digits(pages)} صفحه به چاپگر فرستاده شد.", 8000)
        self.done.emit("print", ("printed", pages))

    # --- signing ------------------------------------------------------------------------------

    def ensure_identity(self) -> tuple[ident.OfficeIdentity, str] | None:
        """``(identity, passphrase)``: asks the passphrase, or offers to create / import an identity."""
        if identity_path().exists():
            return unlock(self.window)
        office = self.window.office()
        dialog = IdentityDialog(office.head_name if office else "", office.agency if office else "", "", self.window)
        if dialog.exec() != IdentityDialog.Accepted or dialog.identity is None:
            return None
        self.window.update_identity_status()
        return dialog.identity, dialog.secret

    def save_signed(self, report_id: str, path: Path | None = None) -> None:
        """Choose a file, sign with the office identity, lock the report, show the result."""
        self._flush()
        report = self._report(report_id)
        if report is None:
            return
        opened = self.ensure_identity()
        if opened is None:
            return
        identity = opened[0]
        problem = identity.validity_problem()
        if problem is not None:
            self._error(problem.message_fa)
            return
        if path is None:
            default = str(Path(self._export_folder()) / self._default_name(report, ".pdf"))
            name, _ = QFileDialog.getSaveFileName(self.window, "ذخیره PDF امضاشده", default, "PDF (*.pdf)")
            if not name:
                return
            path = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        catalog = self.window.catalog

        def work(store, progress):
            return produce_pdf(store, catalog, report_id, path, identity, on_page=lambda n: progress(n, 0))

        def finished(outcome) -> None:
            from citizen_rights_desktop.signing.pades import validate_pdf_signature

            result, _ = outcome
            check = validate_pdf_signature(path, [identity.certificate, *identity.chain])
            LOG.info("report signed: %s pages, valid %s", result.pages, check.ok)
            kind = "خودامضا (تا صدور گواهی ستاد)" if identity.is_self_signed else f"صادرشده از «{identity.issuer_name}»"
            self._info(
                "گزارش امضا شد",
                f"فایل امضاشده ذخیره شد:\n{ltr(path)}\n\n{to_persian_digits(result.pages)} صفحه، امضاکننده: {identity.common_name}، گواهی {kind}.\n"
                f"بررسی امضا: {check.reason_fa}\n\nگزارش قفل شد؛ برای تغییر آن «ویرایش جدید» بسازید.",
            )
            self.window.report_changed(report_id)
            self.done.emit("signed", path)

        self._start("در حال ساخت و امضای گزارش…", work, finished)

    def new_revision(self, report_id: str) -> str | None:
        try:
            new_id = self.store.new_revision(report_id)
        except (DatabaseError, KeyError) as exc:
            self._error(_message(exc))
            return None
        self.window.open_report(new_id)
        self.window.statusBar().showMessage("ویرایش جدید گزارش ساخته شد؛ پس از اصلاح، دوباره امضا و ارسال کنید.", 8000)
        self.done.emit("revision", new_id)
        return new_id

    # --- exchange with headquarters -----------------------------------------------------------

    def _open_file(self, title: str, filters: str) -> bytes | None:
        name, _ = QFileDialog.getOpenFileName(self.window, title, self._export_folder(), filters)
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
            result = office_exchange.import_profile(self.store.database, data)
        except ExchangeError as exc:
            self._error(exc.message_fa)
            return False
        self._info("مشخصات ستاد", result.message_fa)
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
            default = str(Path(self._export_folder()) / "درخواست-گواهی.csr.pem")
            name, _ = QFileDialog.getSaveFileName(self.window, "ذخیره درخواست گواهی", default, "درخواست گواهی (*.pem *.csr)")
            if not name:
                return None
            path = Path(name)
        request = certificates.office_request(identity.private_key, office.id, identity.common_name)
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
            cert = office_exchange.import_certificate(self.store.database, data, _public_der(identity.private_key))
            chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates.load_certificates(data)[1:])
            installed = ident.install_certificate(identity, cert.public_bytes(serialization.Encoding.PEM), chain)
            ident.save_identity(installed, identity_path(), passphrase)
        except (ExchangeError, ident.IdentityError) as exc:
            self._error(exc.message_fa)
            return False
        remember_certificate(installed)
        self.window.update_identity_status()
        self._info("گواهی ستاد", f"گواهی صادرشده از ستاد وارد شد.\n{identity_status().text}")
        self.done.emit("certificate", cert)
        return True

    def export_bundle(self, report_id: str, folder: Path | None = None, pdf_path: Path | None = None) -> None:
        """Write the encrypted, signed bundle of a signed report into a folder or USB drive."""
        from citizen_rights_desktop.exchange import bundle_writer
        from citizen_rights_desktop.exchange import cms as bundle_cms
        from citizen_rights_desktop.exchange import office_enrolment as office_exchange

        report = self._report(report_id)
        if report is None:
            return
        if report.state == "draft":
            self._error("گزارش هنوز پیش‌نویس است؛ ابتدا «ذخیره PDF امضاشده» را بزنید.")
            return
        profile = office_exchange.load_profile(self.store.database)
        if profile is None:
            self._error("ابتدا فایل مشخصات ستاد را وارد کنید (منوی «ستاد»).")
            return
        issued = office_exchange.office_certificate(self.store.database, report.office_id)
        if issued is None:
            self._error("ابتدا گواهی صادرشده از ستاد را وارد کنید (منوی «ستاد»: درخواست گواهی، سپس وارد کردن گواهی ستاد).")
            return
        if pdf_path is None and self.store.signed_pdf(report_id) is None:
            name, _ = QFileDialog.getOpenFileName(self.window, "فایل PDF امضاشده همین گزارش", self._export_folder(), "PDF (*.pdf)")
            if not name:
                return
            pdf_path = Path(name)
        if not identity_path().exists():
            self._error("گواهی امضای دستگاه روی این رایانه نیست.")
            return
        opened = unlock(self.window)
        if opened is None:
            return
        identity = opened[0]
        if _public_der(identity.private_key) != _public_der(issued[0]):
            self._error("گواهی صادرشده از ستاد برای کلید این دستگاه نیست؛ دوباره درخواست گواهی بفرستید.")
            return
        if folder is None:
            name = QFileDialog.getExistingDirectory(self.window, "پوشه یا حافظه جانبی (USB) برای بسته", self._export_folder())
            if not name:
                return
            folder = Path(name)
        pdf = None  # the signed PDF kept in the database when the report was signed
        if pdf_path is not None:
            try:
                pdf = Path(pdf_path).read_bytes()
            except OSError:
                self._error(f"فایل «{ltr(pdf_path)}» خواندنی نیست.")
                return
        signer = bundle_cms.OfficeSigner(identity.private_key, issued[0], issued[1])

        def work(store, progress):
            return bundle_writer.export_bundle(store, report_id, folder, signer, profile, pdf, lambda done, total, _stage: progress(done, total))

        def finished(result) -> None:
            LOG.info("bundle exported: revision %s, %s bytes", report.revision, result.size)
            self._info(
                "بسته ارسال ساخته شد",
                f"بسته رمزگذاری‌شده و امضاشده ویرایش {to_persian_digits(report.revision)} ذخیره شد:\n{ltr(result.path)}\n\nاین فایل را به ستاد برسانید.",
            )
            self.window.report_changed(report_id)
            self.done.emit("bundle", result)

        self._start("در حال ساخت بسته رمزگذاری‌شده…", work, finished)

    def import_feedback(self, path: Path | None = None) -> bool:
        from citizen_rights_desktop.exchange import feedback as feedback_files
        from citizen_rights_desktop.exchange.errors import ExchangeError

        data = Path(path).read_bytes() if path else self._open_file("فایل بازخورد ستاد", "بازخورد ستاد (*.json *.crf *.*)")
        if data is None:
            return False
        try:
            result = feedback_files.import_feedback(self.store.database, data)
        except ExchangeError as exc:
            self._error(exc.message_fa)
            return False
        comments = len(result.feedback.comments)
        extra = f"\n{to_persian_digits(comments)} نظر ستاد روی صفحه شاخص‌های مربوط نمایش داده می‌شود." if comments else ""
        self._info("بازخورد ستاد", result.message_fa + extra)
        self.window.report_changed(result.feedback.report_id)
        self.done.emit("feedback", result)
        return True


# --- what the reports list shows about the exchange -------------------------------------------

FEEDBACK_FA = {"accepted": "پذیرفته شد", "returned": "بازگشت داده شد"}


def exchange_texts(store: ReportStore, report_ids: list[str]) -> dict[str, str]:
    """Per report: the last exported revision and when, and the latest feedback of headquarters."""
    from ui.formatting import jalali_datetime

    conn = store.database.conn
    texts: dict[str, str] = {}
    for report_id in report_ids:
        parts = []
        row = conn.execute(
            "SELECT revision, exported_at FROM bundle_export WHERE report_id=? ORDER BY exported_at DESC LIMIT 1", (report_id,)
        ).fetchone()
        if row:
            parts.append(f"ویرایش {to_persian_digits(row[0])} ارسال شد: {jalali_datetime(row[1]).split(' ')[0]}")
        feedback = conn.execute(
            "SELECT f.decision, (SELECT COUNT(*) FROM office_feedback_comment c WHERE c.feedback_id=f.feedback_id)"
            " FROM office_feedback f WHERE f.report_id=? ORDER BY f.decided_at DESC LIMIT 1",
            (report_id,),
        ).fetchone()
        if feedback:
            decision = FEEDBACK_FA.get(feedback[0], feedback[0])
            parts.append(f"ستاد: {decision}" + (f" ({to_persian_digits(feedback[1])} نظر)" if feedback[1] else ""))
        texts[report_id] = "؛ ".join(parts)
    return texts
