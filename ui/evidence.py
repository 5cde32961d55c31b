"""The documents attached to one indicator: add (button or drag and drop), open, remove.

Files are read and stored by a worker thread (``AttachTask``) so a large scan never freezes the
window; the list is updated when the worker reports back.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.report.model import EvidenceRef
from ui import file_dialogs, workers
from ui.busy import busy_cursor
from ui.formatting import file_kind, file_size, isolate
from ui.session import ReportSession

_TEMP_DIR: Path | None = None


def temp_dir() -> Path:
    global _TEMP_DIR
    if _TEMP_DIR is None:
        _TEMP_DIR = Path(tempfile.mkdtemp(prefix="citizen-rights-"))
    return _TEMP_DIR


class EvidenceList(QWidget):
    changed = Signal()
    busy = Signal(bool)

    def __init__(self, session: ReportSession, section_id: str, parent=None):
        super().__init__(parent)
        self.session = session
        self.section_id = section_id
        self._tasks: list = []
        self.setAcceptDrops(not session.read_only)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.title = QLabel("مستندات")
        font = self.title.font()
        font.setBold(True)
        self.title.setFont(font)
        self.title.setWordWrap(True)
        layout.addWidget(self.title)
        self.hint = QLabel("فایل‌ها را با دکمه «افزودن فایل» یا با کشیدن و رها کردن در این قسمت اضافه کنید (حداکثر ۵۰ مگابایت برای هر فایل).")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #555;")
        layout.addWidget(self.hint)

        self.tree = QTreeWidget()
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["نام فایل", "حجم", "نوع"])
        self.tree.setRootIsDecorated(False)
        self.tree.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self._size_tree()
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeToContents)
        self.tree.header().setSectionResizeMode(2, QHeaderView.ResizeToContents)
        self.tree.header().setStretchLastSection(False)
        self.tree.itemDoubleClicked.connect(lambda *_: self.open_selected())
        layout.addWidget(self.tree)

        buttons = QHBoxLayout()
        self.add_button = QPushButton("افزودن فایل…")
        self.open_button = QPushButton("باز کردن")
        self.remove_button = QPushButton("حذف")
        for button in (self.add_button, self.open_button, self.remove_button):
            buttons.addWidget(button)
        self.progress = QProgressBar()
        self.progress.setMaximumWidth(220)
        self.progress.setFormat("در حال افزودن…")
        self.progress.hide()
        buttons.addWidget(self.progress)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_button.clicked.connect(self.choose_files)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        if session.read_only:
            self.add_button.setEnabled(False)
            self.remove_button.setEnabled(False)
        self.refresh()

    def _size_tree(self) -> None:
        """Room for about three files (at most six) in the current font."""
        row = self.tree.fontMetrics().height() + 8
        self.tree.setMinimumHeight(row * 4)
        self.tree.setMaximumHeight(row * 7)

    def changeEvent(self, event) -> None:  # Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.FontChange and hasattr(self, "tree"):
            self._size_tree()

    def set_title(self, text: str) -> None:
        self.title.setText(text)

    def refs(self) -> list[EvidenceRef]:
        return list(self.session.answer(self.section_id).evidence)

    def refresh(self) -> None:
        self.tree.clear()
        for ref in self.refs():
            item = QTreeWidgetItem([ref.name, file_size(ref.size), file_kind(ref.mime, ref.name)])
            item.setData(0, Qt.UserRole, ref)
            item.setToolTip(0, ref.name)
            self.tree.addTopLevelItem(item)
        has = self.tree.topLevelItemCount() > 0
        self.open_button.setEnabled(has)
        self.remove_button.setEnabled(has and not self.session.read_only)

    def selected_refs(self) -> list[EvidenceRef]:
        items = self.tree.selectedItems() or ([self.tree.currentItem()] if self.tree.currentItem() else [])
        return [item.data(0, Qt.UserRole) for item in items]

    # --- adding -------------------------------------------------------------------------------

    def choose_files(self) -> None:
        paths = file_dialogs.open_files(self, "افزودن مستند", "evidence")  # Qt's Persian dialog, in the last folder used
        if paths:
            self.attach([Path(p) for p in paths])

    def attach(self, paths: list[Path]) -> None:
        """Attach files in a worker thread; the list updates when it is done."""
        if self.session.read_only or not paths:
            return
        task = workers.AttachTask(self.session.db_path, self.session.form, self.session.report.id, self.section_id, paths)
        task.signals.progress.connect(self._progress)
        task.signals.finished.connect(self._attached)
        task.signals.failed.connect(self._failed)
        self.progress.setRange(0, 0 if len(paths) == 1 else len(paths))
        self.progress.setValue(0)
        self.progress.show()
        self.add_button.setEnabled(False)
        self.busy.emit(True)
        workers.start(task, self._tasks)

    @property
    def attaching(self) -> bool:
        return bool(self._tasks)

    def _progress(self, done: int, total: int) -> None:
        if total > 1:
            self.progress.setValue(done)

    def _done(self) -> None:
        self.progress.hide()
        self.add_button.setEnabled(not self.session.read_only)
        self.busy.emit(False)

    def _attached(self, payload) -> None:
        section_id, refs, messages = payload
        self._done()
        if refs:
            self.session.evidence_added(section_id, refs)
        self.refresh()
        self.changed.emit()
        if messages:
            self.session.failed.emit("\n".join(messages))

    def _failed(self, message: str) -> None:
        self._done()
        self.session.failed.emit(message)

    def dragEnterEvent(self, event) -> None:
        if event.mimeData().hasUrls() and not self.session.read_only:
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:
        if event.mimeData().hasUrls():
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.attach(paths)

    # --- opening and removing -----------------------------------------------------------------

    def open_selected(self) -> None:
        for ref in self.selected_refs()[:5]:
            with busy_cursor():  # a scan of tens of megabytes is read from the database and written out
                data = self.session.evidence_bytes(ref)
            if data is None:
                continue
            folder = temp_dir() / ref.id
            folder.mkdir(parents=True, exist_ok=True)
            target = folder / Path(ref.name).name
            try:
                with busy_cursor():
                    target.write_bytes(data)
            except OSError:
                self.session.failed.emit(f"فایل «{isolate(ref.name)}» در پوشه موقت نوشته نشد.")
                continue
            if not QDesktopServices.openUrl(QUrl.fromLocalFile(str(target))):
                self.session.failed.emit(f"برنامه‌ای برای باز کردن «{isolate(ref.name)}» پیدا نشد.")

    def remove_selected(self) -> None:
        refs = self.selected_refs()
        if not refs or self.session.read_only:
            return
        names = "، ".join(f"«{isolate(r.name)}»" for r in refs)
        answer = QMessageBox.question(self, "حذف مستند", f"{names} از مستندات این شاخص حذف شود؟", QMessageBox.Yes | QMessageBox.No, QMessageBox.No)
        if answer != QMessageBox.Yes:
            return
        for ref in refs:
            if not self.session.remove_evidence(self.section_id, ref):
                break
        self.refresh()
        self.changed.emit()
