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
import sqlite3
import tempfile
from pathlib import Path

from PySide6.QtCore import QObject, QRunnable, Signal
from PySide6.QtWidgets import QFileDialog, QMessageBox

from citizen_rights_desktop.app_log import get_logger, log_exception
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.signing import identity as ident
from storage import DatabaseError, ReportStore
from ui import workers
from ui.exchange_actions import ExchangeActions
from ui.formatting import fa_message, ltr
from ui.identity_dialog import IdentityDialog, identity_path, unlock
from ui.pdf_viewer import NO_VIEWER_FA, offer_to_save, open_pdf, viewer_missing
from ui.printing import RASTER_DPI, print_images, rasterise
from ui.progress_feedback import BusyFeedback, wait_cursor
from ui.sample_window import SampleGuard

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
            result = self.work(store, self._progress)
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

    def _progress(self, done: int, total: int, step: str | None = None) -> None:
        """What ``work`` calls: pages done (of ``total``, 0 when unknown), and a new ``step``'s label."""
        if step is not None:
            self.signals.step.emit(step)
        self.signals.progress.emit(done, total)


# --- the actions ------------------------------------------------------------------------------


class ReportActions(SampleGuard, ExchangeActions, QObject):
    """Report and exchange actions of the main window (``window`` is the ``MainWindow``)."""

    done = Signal(str, object)  # action name, result (for tests and the window's refresh)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self._tasks: list = []
        self.progress: BusyFeedback | None = None
        self.viewer_dialog = None  # the «no PDF viewer: save it?» offer, while shown
        self._temp = tempfile.TemporaryDirectory(prefix="citizen-rights-")

    @property
    def store(self) -> ReportStore:
        return self.window.store

    @property
    def busy(self) -> bool:
        return bool(self._tasks)

    def _error(self, text: str) -> None:
        QMessageBox.warning(self.window, "خطا", fa_message(text))

    def _info(self, title: str, text: str) -> None:
        QMessageBox.information(self.window, title, fa_message(text))

    def _start(self, label: str, work, finished) -> None:
        """Run ``work(store, progress)`` in a worker; a wait cursor at once, the progress dialog
        after 200 ms (issue 17), then ``finished(result)`` or the error's Persian message."""
        progress = BusyFeedback(self.window, label).start()
        self.progress = progress
        task = _Task(Path(self.store.database.path), work)

        def close() -> None:
            progress.finish()
            if self.progress is progress:
                self.progress = None

        task.signals.step.connect(progress.step)
        task.signals.progress.connect(progress.update)
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
        """Render to a temporary file off the GUI thread, then open it in the system's PDF viewer;
        without one, say so and offer to save the PDF (issue 17)."""
        self._flush()
        catalog = self.window.catalog
        target = Path(self._temp.name) / f"preview-{report_id}-{dt.datetime.now():%H%M%S%f}.pdf"

        def work(store, progress):
            result, _ = produce_pdf(store, catalog, report_id, target, on_page=lambda n: progress(n, 0))
            return result, viewer_missing()

        def finished(outcome) -> None:
            result, missing = outcome
            LOG.info("preview rendered: %s pages", result.pages)
            if not open_pdf(target, missing):
                LOG.info("no PDF viewer: offered to save the preview")
                self._offer_to_save(report_id, target, "پیش‌نمایش", NO_VIEWER_FA)
            self.done.emit("preview", target)

        self._start("در حال ساخت پیش‌نمایش گزارش…", work, finished)

    def _offer_to_save(self, report_id: str, pdf: Path, title: str, text: str):
        report = self._report(report_id)
        name = self._default_name(report, " - پیش‌نمایش.pdf") if report is not None else "گزارش.pdf"
        self.viewer_dialog = offer_to_save(self.window, pdf, title, text, Path(self._export_folder()) / name)
        return self.viewer_dialog

    def print_report(self, report_id: str) -> None:
        """Render, rasterise the pages with pdftoppm and print them through the system print dialog;
        without pdftoppm, open the PDF in the system viewer to print from there (and say so). Each
        step shows its progress, page by page."""
        self._flush()
        catalog = self.window.catalog
        folder = Path(tempfile.mkdtemp(prefix="print-", dir=self._temp.name))
        target = folder / "report.pdf"

        def work(store, progress):
            result, _ = produce_pdf(store, catalog, report_id, target, on_page=lambda n: progress(n, 0))
            progress(0, result.pages, "در حال آماده‌سازی صفحات برای چاپگر…")
            images = rasterise(target, folder, RASTER_DPI, result.pages, on_page=lambda n: progress(n, result.pages))
            return images, (viewer_missing() if not images else False)

        def finished(outcome) -> None:
            images, missing = outcome
            if images:
                self.print_pages(images)
                return
            if open_pdf(target, missing):
                self._info("چاپ", "ابزار تبدیل صفحات PDF (pdftoppm) روی این رایانه نیست؛ گزارش در نمایشگر PDF باز شد، از همان‌جا چاپ کنید.")
                self.done.emit("print", ("viewer", target))
                return
            text = "نه ابزار تبدیل صفحات PDF (pdftoppm) روی این رایانه هست و نه برنامه‌ای برای نمایش PDF؛ گزارش چاپ نشد."
            self._offer_to_save(report_id, target, "چاپ", text)
            self.done.emit("print", ("save", target))

        self._start("در حال ساخت صفحات گزارش…", work, finished)

    def print_pages(self, images: list[Path]) -> None:
        from PySide6.QtPrintSupport import QPrintDialog, QPrinter

        printer = QPrinter(QPrinter.HighResolution)
        printer.setFullPage(True)
        dialog = QPrintDialog(printer, self.window)
        dialog.setWindowTitle("چاپ گزارش")
        if dialog.exec() != QPrintDialog.Accepted:
            self.done.emit("print", ("cancelled", None))
            return
        progress = BusyFeedback(self.window, "در حال فرستادن صفحات به چاپگر…").start()
        try:  # drawn in the GUI thread (a printer is not shared with threads): the dialog is repainted per page
            pages = print_images(printer, images, on_page=lambda n: (progress.update(n, len(images)), progress.pump()))
        finally:
            progress.finish()
        self.window.statusBar().showMessage(f"{to_persian_digits(pages)} صفحه به چاپگر فرستاده شد.", 8000)
        self.done.emit("print", ("printed", pages))

    # --- signing ------------------------------------------------------------------------------

    def ensure_identity(self) -> tuple[ident.OfficeIdentity, str] | None:
        """``(identity, passphrase)``: asks the passphrase, or offers to create / import an identity."""
        if identity_path().exists():
            opened = unlock(self.window)
            sending = getattr(self.window, "sending", None)
            if opened is not None and sending is not None:
                sending.remember(opened[0])  # the outbox is sent with it for the rest of the session (issue 18)
            return opened
        office = self.window.office()
        dialog = IdentityDialog(office.head_name if office else "", office.agency if office else "", "", self.window)
        if dialog.exec() != IdentityDialog.Accepted or dialog.identity is None:
            return None
        self.window.update_identity_status()
        return dialog.identity, dialog.secret

    def save_signed(self, report_id: str, path: Path | None = None) -> None:
        """Choose a file, sign with the office identity, lock the report, show the result."""
        self._flush()
        if self._refuse_in_sample():
            return
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
            if identity.is_self_signed:
                kind = "خودامضا (تا صدور گواهی ستاد)"
            else:  # the issuer in Persian: headquarters' name from its profile (issue 17)
                from citizen_rights_desktop.exchange.office_enrolment import load_profile
                from ui.identity_dialog import issuer_text

                try:
                    profile = load_profile(self.store.database)
                except Exception:  # noqa: BLE001 - a damaged profile only loses the nicer name
                    profile = None
                kind = f"صادرشده از «{issuer_text(identity.certificate, profile)}»"
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
            with wait_cursor():  # a backup of the whole database first
                delete_draft(self.store, report_id)
        except (DatabaseError, OSError, KeyError) as exc:
            QMessageBox.warning(self.window, "حذف نشد", getattr(exc, "message_fa", None) or "حذف این گزارش ممکن نشد؛ چیزی تغییر نکرد.")
            return False
        self.window.show_reports()
        self.window.statusBar().showMessage("پیش‌نویس حذف شد (پشتیبان پیش از حذف گرفته شد).", 8000)
        return True

    def new_revision(self, report_id: str) -> str | None:
        try:
            with wait_cursor():
                new_id = self.store.new_revision(report_id)
        except (DatabaseError, KeyError) as exc:
            self._error(_message(exc))
            return None
        self.window.open_report(new_id)
        self.window.statusBar().showMessage("ویرایش جدید گزارش ساخته شد؛ پس از اصلاح، دوباره امضا و ارسال کنید.", 8000)
        self.done.emit("revision", new_id)
        return new_id
