"""What the office does with a report besides answering it: preview, print, save the signed PDF,
start a new revision; and, through ``ui.exchange_actions``, the bundle and the exchange files with
headquarters (profile, certificate request, issued certificate, feedback).

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

from PySide6.QtCore import QObject, QRunnable, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QImage, QPainter
from PySide6.QtWidgets import QFileDialog, QMessageBox, QProgressDialog

from citizen_rights_desktop.app_log import get_logger, log_exception
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.signing import identity as ident
from storage import DatabaseError, ReportStore
from ui import workers
from ui.exchange_actions import ExchangeActions
from ui.formatting import ltr
from ui.identity_dialog import IdentityDialog, identity_path, unlock

LOG = get_logger("ui.actions")
LOG_HINT = "جزئیات در پرونده گزارش رخدادهای برنامه ثبت شد."


def _message(exc: BaseException) -> str:
    return getattr(exc, "message_fa", None) or "این کار انجام نشد."


# --- the core sequence (no Qt) ----------------------------------------------------------------


def produce_pdf(store: ReportStore, catalog: FormCatalog, report_id: str, output: Path, identity=None, on_page=None, allow_incomplete=False):
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
    result = write_report_pdf(store, form, report_id, output, identity, emblem=emblem, on_page=on_page, allow_incomplete=allow_incomplete)
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


class ReportActions(ExchangeActions, QObject):
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
        allow_incomplete = False
        from citizen_rights_desktop.signing.signed_report import check_complete

        incomplete = check_complete(self.store, self.window.catalog.get(report.form_id, report.form_version), report_id)
        if incomplete is not None:  # signing locks the report: never without a word (issue 17)
            answer = QMessageBox.question(
                self.window,
                "گزارش کامل نیست",
                f"{incomplete.message_fa}\n\nبا این حال امضا و قفل شود؟ (برای دیدن موارد ناقص «خیر» را بزنید.)",
                QMessageBox.Yes | QMessageBox.No,
                QMessageBox.No,
            )
            if answer != QMessageBox.Yes:
                return
            allow_incomplete = True
        if path is None:
            default = str(Path(self._export_folder()) / self._default_name(report, ".pdf"))
            name, _ = QFileDialog.getSaveFileName(self.window, "ذخیره PDF امضاشده", default, "PDF (*.pdf)")
            if not name:
                return
            path = Path(name if name.lower().endswith(".pdf") else name + ".pdf")
        catalog = self.window.catalog

        def work(store, progress):
            return produce_pdf(store, catalog, report_id, path, identity, on_page=lambda n: progress(n, 0), allow_incomplete=allow_incomplete)

        def finished(outcome) -> None:
            from citizen_rights_desktop.signing.pades import validate_pdf_signature

            result, _ = outcome
            check = validate_pdf_signature(path, [identity.certificate, *identity.chain])
            LOG.info("report signed: %s pages, valid %s", result.pages, check.ok)
            kind = "خودامضا (تا صدور گواهی ستاد)" if identity.is_self_signed else f"صادرشده از «{identity.issuer_name}»"
            self._info(
                "گزارش امضا شد",
                f"فایل امضاشده ذخیره شد:\n{ltr(path)}\n\n{to_persian_digits(result.pages)} صفحه، امضاکننده: {identity.holder_name}، گواهی {kind}.\n"
                f"بررسی امضا: {check.reason_fa}\n\nگزارش قفل شد؛ برای تغییر آن «ویرایش جدید» بسازید.",
            )
            self.window.report_changed(report_id)
            self.done.emit("signed", path)

        self._start("در حال ساخت و امضای گزارش…", work, finished)

    def delete_draft(self, report_id: str) -> bool:
        """Delete a draft after the clerk confirms; a backup is taken first (the way back)."""
        from citizen_rights_desktop.editing.report_list import delete_draft

        entry = next((e for e in self.window.reports_page.entries if e.id == report_id), None)
        what = f"گزارش سال {to_persian_digits(entry.period)}" if entry else "این گزارش"
        answer = QMessageBox.question(
            self.window,
            "حذف پیش‌نویس",
            f"پیش‌نویس {what} با همه پاسخ‌ها و مستنداتش حذف شود؟\n"
            "پیش از حذف، از پایگاه داده پشتیبان گرفته می‌شود و از «ابزار ← پشتیبان‌ها» برمی‌گردد.",
            QMessageBox.Yes | QMessageBox.No,
            QMessageBox.No,
        )
        if answer != QMessageBox.Yes:
            return False
        try:
            delete_draft(self.store, report_id)
        except (DatabaseError, OSError, KeyError) as exc:
            QMessageBox.warning(self.window, "حذف نشد", getattr(exc, "message_fa", None) or "حذف این گزارش ممکن نشد؛ چیزی تغییر نکرد.")
            return False
        self.window.show_reports()
        self.window.statusBar().showMessage("پیش‌نویس حذف شد (پشتیبان پیش از حذف گرفته شد).", 8000)
        return True

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
