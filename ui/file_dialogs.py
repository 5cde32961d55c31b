"""Qt's own file dialogs (never the system's), in Persian (issue 17).

The system's dialog on an old Windows PC is in the language of Windows, often English, with
Gregorian dates. Qt's own dialog is right to left with Qt's Persian translation (``ui.app`` loads
it); here its buttons and column titles are set in Persian, and a proxy model shows sizes in
Persian digits and modification dates in the Jalali calendar. Each purpose (evidence, headquarters'
files, PDFs, bundles, backups…) starts in the folder it last used, kept in the settings.

``execute`` runs the dialog; tests replace it to choose a file without a human.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path

from PySide6.QtCore import QIdentityProxyModel, QModelIndex, QSize, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QFileSystemModel,
    QHeaderView,
    QTreeView,
    QWidget,
)

from citizen_rights_desktop.persian.text import file_size_text
from citizen_rights_desktop.settings import last_folder, load_settings, remember_folder
from ui.adaptive import fit_to_screen
from ui.formatting import file_kind, jalali_moment

HEADERS = ("نام", "اندازه", "نوع", "تاریخ تغییر")
LABELS = {
    QFileDialog.LookIn: "پوشه:",
    QFileDialog.FileName: "نام فایل:",
    QFileDialog.FileType: "نوع فایل:",
    QFileDialog.Reject: "انصراف",
}
ACCEPT = {"open": "باز کردن", "save": "ذخیره", "folder": "انتخاب این پوشه"}
ALL_FILES = "همه فایل‌ها (*)"


class PersianFileModel(QIdentityProxyModel):
    """The dialog's files: Persian column titles, sizes in Persian digits, Jalali dates."""

    def headerData(self, section, orientation, role=Qt.DisplayRole):  # Qt's name
        if orientation == Qt.Horizontal and role == Qt.DisplayRole and 0 <= section < len(HEADERS):
            return HEADERS[section]
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex, role=Qt.DisplayRole):
        if role == Qt.DisplayRole and index.column() in (1, 2, 3):
            source = self.sourceModel()
            if isinstance(source, QFileSystemModel):
                info = source.fileInfo(self.mapToSource(index))
                if index.column() == 3:
                    moment = info.lastModified()
                    return jalali_moment(moment.toPython()) if moment.isValid() else ""
                if info.isDir():
                    return "" if index.column() == 1 else "پوشه"
                if index.column() == 2:
                    return file_kind(mimetypes.guess_type(info.fileName())[0] or "", info.fileName())
                return file_size_text(info.size())
        return super().data(index, role)


def start_folder(purpose: str) -> str:
    """Where a dialog for ``purpose`` opens: the folder it last used, else the settings' output
    folder, else the user's home folder."""
    folder = last_folder(purpose)
    if folder:
        return folder
    default = load_settings().export_folder
    return default if default and Path(default).is_dir() else str(Path.home())


def make_dialog(
    parent: QWidget | None,
    title: str,
    purpose: str,
    mode: str,
    filters: str = "",
    name: str = "",
    start: str = "",
) -> QFileDialog:
    """A Persian non-native dialog: ``mode`` is ``open``, ``open_many``, ``save`` or ``folder``;
    it opens in ``start`` when that is a folder, else in the purpose's ``start_folder``."""
    dialog = QFileDialog(parent, title, start if start and Path(start).is_dir() else start_folder(purpose))
    dialog.setOption(QFileDialog.DontUseNativeDialog, True)
    dialog.setLayoutDirection(Qt.RightToLeft)
    dialog.setProperty("purpose", purpose)
    if mode == "folder":
        dialog.setFileMode(QFileDialog.Directory)
        dialog.setOption(QFileDialog.ShowDirsOnly, True)
    elif mode == "save":
        dialog.setAcceptMode(QFileDialog.AcceptSave)
        dialog.setFileMode(QFileDialog.AnyFile)
        dialog.setOption(QFileDialog.DontConfirmOverwrite, False)
    else:
        dialog.setFileMode(QFileDialog.ExistingFiles if mode == "open_many" else QFileDialog.ExistingFile)
    if filters and mode != "folder":
        dialog.setNameFilters([f for f in filters.split(";;") if f])
    for label, text in LABELS.items():
        dialog.setLabelText(label, text)
    dialog.setLabelText(
        QFileDialog.Accept, ACCEPT["folder" if mode == "folder" else "save" if mode == "save" else "open"]
    )
    dialog.setProxyModel(PersianFileModel(dialog))
    dialog.setViewMode(QFileDialog.Detail)
    _arrange(dialog)
    fit_to_screen(dialog, QSize(900, 560))
    if name:
        dialog.selectFile(name)
    return dialog


def _arrange(dialog: QFileDialog) -> None:
    """A path reads left to right; the columns wide enough for a Persian size and a Jalali date."""
    combo = dialog.findChild(QComboBox, "lookInCombo")
    if combo is not None:
        combo.setLayoutDirection(Qt.LeftToRight)
    view = dialog.findChild(QTreeView, "treeView")
    if view is not None:
        metrics = view.fontMetrics()
        header = view.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column, sample in ((1, "۹۹۹٫۹ کیلوبایت"), (2, "تصویر"), (3, "۱۴۰۵/۰۹/۱۵ ۱۳:۲۸")):
            header.setSectionResizeMode(column, QHeaderView.Interactive)
            title = metrics.horizontalAdvance(HEADERS[column]) + 2 * metrics.averageCharWidth()  # and the sort arrow
            header.resizeSection(column, max(metrics.horizontalAdvance(sample), title) + 16)


def execute(dialog: QFileDialog) -> bool:
    return dialog.exec() == QDialog.Accepted


def _run(dialog: QFileDialog, folder_mode: bool = False) -> list[str]:
    if not execute(dialog):
        return []
    chosen = [name for name in dialog.selectedFiles() if name]
    if chosen:
        first = Path(chosen[0])
        remember_folder(dialog.property("purpose"), first if folder_mode else first.parent)
    return chosen


def open_file(
    parent: QWidget | None, title: str, purpose: str, filters: str = ALL_FILES, start: str = ""
) -> str:
    """One existing file (``""`` when cancelled)."""
    chosen = _run(make_dialog(parent, title, purpose, "open", filters, start=start))
    return chosen[0] if chosen else ""


def open_files(parent: QWidget | None, title: str, purpose: str, filters: str = ALL_FILES) -> list[str]:
    return _run(make_dialog(parent, title, purpose, "open_many", filters))


def save_file(parent: QWidget | None, title: str, purpose: str, name: str, filters: str = "") -> str:
    """A file to write, ``name`` proposed in the purpose's last folder (``""`` when cancelled)."""
    chosen = _run(make_dialog(parent, title, purpose, "save", filters, name))
    return chosen[0] if chosen else ""


def choose_folder(parent: QWidget | None, title: str, purpose: str, start: str = "") -> str:
    chosen = _run(make_dialog(parent, title, purpose, "folder", start=start), folder_mode=True)
    return chosen[0] if chosen else ""
