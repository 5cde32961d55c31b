"""Settings of the office application: font size (for older eyes; applied at once and at every
start, up to 24 points, everywhere: menus, tooltips and styled labels too), the default folder for
PDFs and bundles, the headquarters profile file, and the address of headquarters' intake service
(issue 18: the profile's, or the office's own; kept in the database, ``ui.outbox_view.IntakeSetting``)."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.settings import FONT_SIZES, Settings, update_settings
from ui import file_dialogs
from ui.adaptive import available_size, fit_to_screen, restyle_fonts, scrolling
from ui.busy import busy_cursor
from ui.fields import wrapped_label


def apply_font_size(size: int, app: QApplication | None = None) -> None:
    """Set the application font's point size everywhere: every widget without its own font follows
    (menus too: Qt's per-class fonts are cleared), tooltips, and every widget with a style sheet,
    which Qt leaves at its old font (a title's size in points moves with it, ``ui.adaptive``)."""
    app = app or QApplication.instance()
    if app is None:
        return
    font = QFont(app.font())
    if font.pointSize() == int(size):
        return
    font.setPointSize(int(size))
    with busy_cursor():
        app.setFont(font)  # propagates to every widget that does not set its own font
        QToolTip.setFont(font)
        restyle_fonts(QApplication.allWidgets())


def _path_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    edit.setLayoutDirection(Qt.LeftToRight)  # a path reads left to right
    edit.setMinimumWidth(edit.fontMetrics().averageCharWidth() * 16)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None, path: Path | None = None, imported_profile: str = "", intake=None):
        """``imported_profile``: the headquarters whose profile this database already holds (say by
        its name), so the dialog never says none is chosen after one was imported (issue 17).
        ``intake``: the intake address's ``IntakeSetting`` (``None``: the field is not shown)."""
        super().__init__(parent)
        self.settings = settings
        self.intake = intake
        self.path = path
        self.setWindowTitle("تنظیمات")
        self.setLayoutDirection(Qt.RightToLeft)
        layout = QVBoxLayout(self)
        body = QWidget()  # scrolls when a large font makes it taller than the screen
        self.form = form = QFormLayout(body)
        form.setLabelAlignment(Qt.AlignRight | Qt.AlignVCenter)
        self.font_size = QComboBox()
        for size in FONT_SIZES:
            self.font_size.addItem(to_persian_digits(size), size)
        self.font_size.setCurrentIndex(max(0, self.font_size.findData(settings.font_size)))
        self.font_size.currentIndexChanged.connect(lambda _i: apply_font_size(self.font_size.currentData()))
        form.addRow("اندازه قلم:", self.font_size)
        form.addRow("", wrapped_label("اندازه قلم همین حالا اعمال می‌شود و در اجراهای بعدی هم می‌ماند.", css="color:#555;"))

        self.export_folder = QLineEdit(settings.export_folder)
        self.export_folder.setPlaceholderText("پوشه شخصی کاربر")
        browse = QPushButton("انتخاب…")
        browse.clicked.connect(self._browse_folder)
        form.addRow("پوشه پیش‌فرض خروجی (PDF و بسته):", _path_row(self.export_folder, browse))

        self.hq_profile = QLineEdit(settings.hq_profile)
        self.hq_profile.setPlaceholderText("فایل دیگری انتخاب نشده" if imported_profile else "هنوز انتخاب نشده")
        if imported_profile:
            form.addRow("مشخصات ستاد واردشده:", wrapped_label(imported_profile))
        browse2 = QPushButton("انتخاب…")
        browse2.clicked.connect(self._browse_profile)
        form.addRow("فایل مشخصات ستاد:", _path_row(self.hq_profile, browse2))
        form.addRow("", wrapped_label("فایل مشخصات ستاد با ذخیره تنظیمات وارد برنامه می‌شود (گواهی ستاد، کلید رمزگذاری و فرم‌ها).", css="color:#555;"))
        self.intake_url = QLineEdit(intake.own if intake is not None else "")
        if intake is not None:
            self.intake_url.setLayoutDirection(Qt.LeftToRight)  # an address reads left to right
            self.intake_url.setPlaceholderText(intake.profile_url or "https://…")
            form.addRow("نشانی سامانه دریافت ستاد:", self.intake_url)
            said = f"نشانی مشخصات ستاد: \u2066{intake.profile_url}\u2069" if intake.profile_url else "مشخصات ستاد نشانی‌ای ندارد"
            form.addRow("", wrapped_label(f"{said}. برای ارسال به نشانی دیگری آن را اینجا بنویسید؛ خالی بماند، نشانی مشخصات ستاد به کار می‌رود.", css="color:#555;"))
        self.scroll = scrolling(body)
        layout.addWidget(self.scroll, 1)
        self.body = body
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet("color:#b00020;")
        layout.addWidget(self.problem)
        buttons = QDialogButtonBox(QDialogButtonBox.Save | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Save).setText("ذخیره")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self._original_size = settings.font_size
        self._fit()

    def _fit(self) -> None:
        """At a large font each label goes above its field; the dialog as tall as its wrapped text
        needs at the width it has, never larger than the screen (1024×600)."""
        large = self.font().pointSize() >= 16
        self.form.setRowWrapPolicy(QFormLayout.WrapAllRows if large else QFormLayout.WrapLongRows)
        width = min(780, available_size(self).width())
        margins = self.layout().contentsMargins()
        inner = width - margins.left() - margins.right()
        body = self.body.heightForWidth(inner) if self.body.hasHeightForWidth() else self.body.sizeHint().height()
        rest = self.sizeHint().height() - self.scroll.sizeHint().height()  # the buttons, the margins (a scroll area's hint is capped)
        fit_to_screen(self, QSize(width, max(body, self.body.sizeHint().height()) + max(0, rest) + 4))

    def changeEvent(self, event) -> None:  # Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.FontChange and hasattr(self, "form"):
            self._fit()  # the size is previewed on the open dialog too

    def _browse_folder(self) -> None:
        name = file_dialogs.choose_folder(self, "پوشه پیش‌فرض خروجی", "export_folder", start=self.export_folder.text())
        if name:
            self.export_folder.setText(name)

    def _browse_profile(self) -> None:
        start = str(Path(self.hq_profile.text()).parent) if self.hq_profile.text() else ""
        name = file_dialogs.open_file(self, "فایل مشخصات ستاد", "hq_files", "مشخصات ستاد (*.json *.crp);;همه فایل‌ها (*)", start=start)
        if name:
            self.hq_profile.setText(name)

    def values(self) -> Settings:
        """The settings as chosen here (the keys this dialog does not show are kept)."""
        return replace(self.settings, font_size=int(self.font_size.currentData()), export_folder=self.export_folder.text().strip(),
                       hq_profile=self.hq_profile.text().strip())  # fmt: skip

    def save(self) -> bool:
        chosen = self.values()
        problems = chosen.problems()
        if problems:
            self.problem.setText("\n".join(p[2] for p in problems))
            return False
        if self.intake is not None:
            try:  # checked and kept first: a bad address keeps the dialog open with everything typed
                self.intake.save(self.intake_url.text())
            except ExchangeError as exc:
                self.problem.setText(exc.message_fa)
                self.intake_url.setFocus()
                return False
        try:  # only this dialog's keys: the side panel and the dialogs' folders are kept as saved
            chosen = update_settings(self.path, font_size=chosen.font_size, export_folder=chosen.export_folder, hq_profile=chosen.hq_profile)
        except OSError:
            self.problem.setText("ذخیره تنظیمات ممکن نشد.")
            return False
        self.settings = chosen
        apply_font_size(chosen.font_size)
        self.accept()
        return True

    def reject(self) -> None:
        apply_font_size(self._original_size)  # the preview of another size is undone
        super().reject()
