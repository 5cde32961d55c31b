"""The main window: setup on first run, then the reports list and the report wizard."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressBar,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.editing.report_list import (
    PeriodNotCovered,
    duplicate_report,
    new_report,
    report_entries,
    save_emblem,
)
from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.exchange.office_enrolment import register_units
from citizen_rights_desktop.report.office import LEVELS, PROVINCES, OfficeProfile
from citizen_rights_desktop.settings import load_settings, update_settings
from storage import DatabaseError, ReportStore
from ui import workers
from ui.adaptive import ElidedLabel, fit_to_screen, restyle_tree
from ui.busy import busy_cursor
from ui.formatting import fa_message, ltr, new_report_text
from ui.identity_dialog import identity_status
from ui.outbox_view import IntakeSetting, exchange_texts
from ui.report_actions import ReportActions
from ui.reports_page import ReportsPage
from ui.send_worker import install_sending
from ui.session import ReportSession, persian_message
from ui.setup_page import SetupPage
from ui.window_menus import REPORT_ACTIONS, build_menus
from ui.workspace import ReportWorkspace

APP_TITLE = "گزارش حقوق شهروندی در نظام اداری"


class LoadingPage(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel("در حال باز کردن گزارش…")
        self.label.setAlignment(Qt.AlignCenter)
        layout.addWidget(self.label)
        bar = QProgressBar()
        bar.setRange(0, 0)
        bar.setMaximumWidth(320)
        layout.addWidget(bar, 0, Qt.AlignHCenter)
        layout.addStretch(1)


class MainWindow(QMainWindow):
    def __init__(self, store: ReportStore, catalog: FormCatalog, parent=None):
        super().__init__(parent)
        self.store = store
        self.catalog = catalog
        self.session: ReportSession | None = None
        self.workspace: ReportWorkspace | None = None
        self._tasks: list = []
        self.setWindowTitle(APP_TITLE)
        fit_to_screen(self, QSize(1366, 768))  # a 1024×600 laptop gets a window that fits it

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        first_run = not store.offices()
        self.setup_page = SetupPage(first_run=first_run)
        self.reports_page = ReportsPage()
        self.loading_page = LoadingPage()
        for page in (self.setup_page, self.reports_page, self.loading_page):
            self.stack.addWidget(page)

        self.saved_label = QLabel("")
        self.saved_label.setStyleSheet("color: #2e7d32; padding: 0 8px;")
        self.statusBar().addPermanentWidget(self.saved_label)
        self.identity_label = ElidedLabel("")  # one line, shortened with «…» on a small screen
        self.identity_label.setStyleSheet("color: #555; padding: 0 8px;")
        self.statusBar().addWidget(self.identity_label, 1)
        self.statusBar().messageChanged.connect(lambda text: self.identity_label.setVisible(not text))  # never both
        self.settings = load_settings()
        self.actions = ReportActions(self)
        self.menu_actions = build_menus(self)
        self.update_identity_status()
        self.reports_page.action_requested.connect(self.run_action)
        self.sending = install_sending(self)  # the outbox sent in the background (issue 18)

        self.setup_page.saved.connect(self.save_office)
        self.setup_page.sample_requested.connect(self.open_sample)
        self.setup_page.cancelled.connect(self.show_reports)
        self.reports_page.open_requested.connect(self.open_report)
        self.reports_page.new_requested.connect(self._new_clicked)
        self.reports_page.duplicate_requested.connect(self._duplicate_clicked)
        self.reports_page.delete_requested.connect(self.actions.delete_draft)
        self.reports_page.office_requested.connect(self.edit_office)

        if first_run:
            self.stack.setCurrentWidget(self.setup_page)
        else:
            self.show_reports()
        restyle_tree(self)  # titles sized in points follow the font size chosen in the settings

    # --- menus and actions --------------------------------------------------------------------

    REPORT_ACTIONS = REPORT_ACTIONS

    def set_side_panel_visible(self, visible: bool) -> None:
        """Show or hide the wizard's side panel (menu «نمایش», Ctrl+B); remembered in the settings."""
        if self.menu_actions["side_panel"].isChecked() != visible:
            self.menu_actions["side_panel"].setChecked(visible)  # comes back here through ``toggled``
            return
        if self.workspace is not None:
            self.workspace.set_side_panel_visible(visible)
        if self.settings.side_panel_hidden == (not visible):
            return
        self.settings.side_panel_hidden = not visible
        try:
            update_settings(side_panel_hidden=not visible)
        except OSError:
            pass  # only a preference

    def current_report_id(self) -> str | None:
        if self.workspace is not None and self.session is not None:
            return self.session.report.id
        if self.stack.currentWidget() is self.reports_page:
            return self.reports_page.selected_id()
        return None

    def run_action(self, name: str, report_id: str | None = "") -> None:
        actions = self.actions
        if name in ("profile", "request", "certificate", "feedback"):
            {"profile": actions.import_profile, "request": actions.export_request,
             "certificate": actions.import_certificate, "feedback": actions.import_feedback}[name]()  # fmt: skip
            return
        if not report_id:
            self.statusBar().showMessage("ابتدا یک گزارش را انتخاب کنید.", 5000)
            return
        {"preview": actions.preview, "print": actions.print_report, "sign": actions.save_signed,
         "bundle": actions.send_or_export, "revision": actions.new_revision}[name](report_id)  # fmt: skip

    def update_identity_status(self) -> None:
        status = identity_status(lambda: self._hq_profile())
        self.identity_label.setText(status.text)

    def _hq_profile(self):
        """Headquarters' profile imported in this database (its Persian name), or ``None``."""
        from citizen_rights_desktop.exchange.errors import ExchangeError
        from citizen_rights_desktop.exchange.office_enrolment import load_profile

        try:
            return load_profile(self.store.database)
        except (ExchangeError, DatabaseError):
            return None

    def report_changed(self, report_id: str) -> None:
        """After signing, exporting or feedback: reopen the report if it is open, else refresh the list."""
        if self.workspace is not None and self.session is not None and self.session.report.id == report_id:
            key = self.workspace.current_key
            self.open_report(report_id, key)
        elif self.workspace is None:
            self.show_reports(select=report_id)

    def show_backups(self):
        from ui.backups_dialog import BackupsDialog

        dialog = BackupsDialog(self.store.database.conn, self.store.database.path, self, before_restore=self.close_report)
        dialog.restored.connect(lambda _path: self.show_reports())
        dialog.open()
        self._backups_dialog = dialog
        return dialog

    def show_settings(self):
        from citizen_rights_desktop.exchange.errors import ExchangeError
        from citizen_rights_desktop.exchange.office_enrolment import load_profile
        from ui.settings_dialog import SettingsDialog

        try:
            with busy_cursor():
                imported = load_profile(self.store.database)
        except ExchangeError:
            imported = None
        dialog = SettingsDialog(self.settings, self, imported_profile=imported.name if imported else "", intake=IntakeSetting(self.store.database, imported))
        previous_profile = self.settings.hq_profile

        def saved() -> None:
            self.settings = dialog.settings
            profile = self.settings.hq_profile
            if profile and profile != previous_profile:
                from pathlib import Path

                if Path(profile).is_file():
                    self.actions.import_profile(Path(profile))
                else:
                    self.show_error(f"فایل مشخصات ستاد «{ltr(profile)}» پیدا نشد.")

        dialog.accepted.connect(saved)
        dialog.open()
        self._settings_dialog = dialog
        return dialog

    # --- messages -----------------------------------------------------------------------------

    def show_error(self, message: str) -> None:
        QMessageBox.critical(self, "خطا", fa_message(message))  # Persian digits; a path keeps its own

    def _saved(self) -> None:
        now = dt.datetime.now().strftime("%H:%M:%S")
        self.saved_label.setText(f"ذخیره شد ✓  {to_persian_digits(now)}")

    # --- office -------------------------------------------------------------------------------

    def office(self) -> OfficeProfile | None:
        offices = self.store.offices()
        return offices[-1] if offices else None

    def save_office(self, profile: OfficeProfile) -> None:
        first_run = not self.store.offices()
        try:
            with busy_cursor():
                if self.setup_page.emblem_data:
                    profile.emblem_sha256 = save_emblem(self.store, self.setup_page.emblem_data)
                self.store.save_office(profile)
        except DatabaseError as exc:
            self.show_error(persian_message(exc))
            return
        self.setup_page.profile_id = profile.id
        self._saved()
        if first_run:
            self.create_report(office_id=profile.id)
        else:
            self.show_reports()

    def edit_office(self) -> None:
        office = self.office()
        page = SetupPage(first_run=False)
        if office is not None:
            page.load(office)
        page.saved.connect(self.save_office)
        page.cancelled.connect(self.show_reports)
        self.stack.removeWidget(self.setup_page)
        self.setup_page.deleteLater()
        self.setup_page = page
        self.stack.addWidget(page)
        self.stack.setCurrentWidget(page)

    def open_sample(self) -> None:
        from ui.sample_window import open_sample_window  # the sample database, never this one (issue 17)

        open_sample_window(self)

    # --- reports list -------------------------------------------------------------------------

    def close_report(self) -> None:
        if self.workspace is not None:
            self.workspace.flush()
            self.stack.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None
            self.session = None

    def show_reports(self, select: str | None = None) -> None:
        self.close_report()
        office = self.office()
        if office is not None:
            where = "، ".join(
                x for x in (LEVELS.get(office.level, ""), PROVINCES.get(office.province, ""), office.county) if x
            )
            self.reports_page.set_office_text(f"{office.agency} ({where})" if where else office.agency)
        with busy_cursor():
            entries = report_entries(self.store, self.catalog)
            exchange = exchange_texts(self.store, [e.id for e in entries])
        if self.catalog.forms:
            self.reports_page.set_guideline_text(new_report_text(self.catalog.latest()))
        self.reports_page.set_entries(entries, select=select, exchange=exchange)
        self.stack.setCurrentWidget(self.reports_page)
        self.setWindowTitle(APP_TITLE)

    def _office_for_new(self) -> str | None:
        selected = self.reports_page.selected_id()
        entry = next((e for e in self.reports_page.entries if e.id == selected), None)
        if entry is not None:
            return entry.office_id
        office = self.office()
        return office.id if office else None

    def _new_clicked(self) -> None:
        from ui.new_report_dialog import ask_new_report  # the kind (when several), its period (a visit: date and office)

        office = self.office()
        chosen = ask_new_report(self, self.catalog, office.level if office else None, lambda: register_units(self.store.database))
        if chosen is not None:
            self.create_report(chosen[1], form_id=chosen[0].id, header=chosen[2])

    def create_report(self, period: str | None = None, office_id: str | None = None, form_id: str | None = None, header: dict | None = None) -> str | None:
        office_id = office_id or self._office_for_new()
        if office_id is None:
            self.stack.setCurrentWidget(self.setup_page)
            return None
        try:
            with busy_cursor():
                report_id = new_report(self.store, self.catalog.latest(form_id), office_id, period, header)
        except (DatabaseError, FormNotFound, PeriodNotCovered, KeyError) as exc:
            self.show_error(persian_message(exc))
            return None
        self.open_report(report_id)
        return report_id

    def _duplicate_clicked(self, source_id: str) -> None:
        from ui.new_report_dialog import choose_period

        entry = next((e for e in self.reports_page.entries if e.id == source_id), None)
        form = self.catalog.latest(entry.form_id if entry else None)
        default = str(int(entry.period) + 1) if entry and entry.period.isdigit() else None
        period = choose_period(self, form, "شروع از روی گزارش قبلی", default)
        if period is not None:
            self.duplicate(source_id, period)

    def duplicate(self, source_id: str, period: str) -> str | None:
        try:
            with busy_cursor():
                source = self.store.load_report(source_id)  # a report of the same kind as its source
                report_id = duplicate_report(self.store, source_id, self.catalog.latest(source.form_id), period)
        except (DatabaseError, FormNotFound, PeriodNotCovered, KeyError) as exc:
            self.show_error(persian_message(exc))
            return None
        self.show_reports(select=report_id)
        self.statusBar().showMessage("گزارش جدید از روی گزارش قبلی ساخته شد؛ پاسخ‌ها را برای سال جدید بازبینی کنید.", 8000)
        return report_id

    # --- the wizard ---------------------------------------------------------------------------

    def open_report(self, report_id: str, page: str | None = None) -> None:
        """Load the report in a worker thread, then show the wizard (on ``page`` if given)."""
        self.close_report()
        self._open_page = page
        self.stack.setCurrentWidget(self.loading_page)
        task = workers.LoadReportTask(self.store.database.path, self.catalog, report_id)
        task.signals.finished.connect(self._report_loaded)
        task.signals.failed.connect(self._load_failed)
        workers.start(task, self._tasks)

    @property
    def loading(self) -> bool:
        return bool(self._tasks)

    def _load_failed(self, message: str) -> None:
        self.show_error(message)
        self.show_reports()

    def _report_loaded(self, payload) -> None:
        report, form, validation = payload
        session = ReportSession(self.store, form, report, self)
        session.saved.connect(self._saved)
        session.failed.connect(self.show_error)
        office = self.store.get_office(report.office_id)
        title = f"{office.agency if office else ''} — گزارش {form.period_words(report.period)}"  # «سال ۱۳۹۸», «سه‌ماهه اول ۱۳۹۹ (…)»
        workspace = ReportWorkspace(session, validation, title)
        workspace.set_side_panel_visible(not self.settings.side_panel_hidden)
        workspace.side_panel_toggled.connect(self.set_side_panel_visible)
        workspace.back_requested.connect(lambda: self.show_reports(select=report.id))
        workspace.action_requested.connect(lambda name: self.run_action(name, report.id))
        workspace.set_feedback(self._feedback(report.id))
        if getattr(self, "_open_page", None):
            workspace.go_to(self._open_page)
        self.session, self.workspace = session, workspace
        self.stack.addWidget(workspace)
        self.stack.setCurrentWidget(workspace)
        self.setWindowTitle(f"{APP_TITLE} — {title}")

    def _feedback(self, report_id: str):
        from citizen_rights_desktop.exchange import feedback as feedback_files
        from citizen_rights_desktop.exchange.errors import ExchangeError

        try:
            return feedback_files.feedback_for_report(self.store.database, report_id)
        except (ExchangeError, DatabaseError):
            return None

    def closeEvent(self, event) -> None:
        # everything is already saved; only text still being typed is written now (never ask)
        if self.workspace is not None:
            self.workspace.flush()
        event.accept()
