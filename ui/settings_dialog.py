"""Settings of the office application: font size (for older eyes; applied at once and at every
start), the default folder for PDFs and bundles, and the headquarters profile file."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.settings import FONT_SIZES, Settings, save_settings
from ui.fields import wrapped_label


def apply_font_size(size: int, app: QApplication | None = None) -> None:
    """Set the application font's point size (every widget without its own font follows)."""
    app = app or QApplication.instance()
    if app is None:
        return
    font = QFont(app.font())
    font.setPointSize(int(size))
    app.setFont(font)  # propagates to every widget that does not set its own size


def _path_row(edit: QLineEdit, button: QPushButton) -> QWidget:
    edit.setLayoutDirection(Qt.LeftToRight)  # a path reads left to right
    edit.setMinimumWidth(300)
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(edit, 1)
    layout.addWidget(button)
    return row


class SettingsDialog(QDialog):
    def __init__(self, settings: Settings, parent=None, path: Path | None = None, imported_profile: str = ""):
        """``imported_profile``: the headquarters whose profile this database already holds (say by
        its name), so the dialog never says none is chosen after one was imported (issue 17)."""
        super().__init__(parent)
        self.settings = settings
        self.path = path
        self.setWindowTitle("تنظیمات")
        self.setLayoutDirection(Qt.RightToLeft)
        self.setMinimumWidth(780)
        layout = QVBoxLayout(self)
        form = QFormLayout()
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
        layout.addLayout(form)
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

    def _browse_folder(self) -> None:
        name = QFileDialog.getExistingDirectory(self, "پوشه پیش‌فرض خروجی", self.export_folder.text() or str(Path.home()))
        if name:
            self.export_folder.setText(name)

    def _browse_profile(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "فایل مشخصات ستاد", self.hq_profile.text() or str(Path.home()))
        if name:
            self.hq_profile.setText(name)

    def values(self) -> Settings:
        return Settings(int(self.font_size.currentData()), self.export_folder.text().strip(), self.hq_profile.text().strip())

    def save(self) -> bool:
        chosen = self.values()
        problems = chosen.problems()
        if problems:
            self.problem.setText("\n".join(p[2] for p in problems))
            return False
        try:
            save_settings(chosen, self.path)
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
