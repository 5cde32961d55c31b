"""The button of a table whose rows may start from another indicator's table (``rows_from``:
indicator 4's processes from indicator 2's): «افزودن ردیف‌ها از شاخص ۲».

What is offered and the copying are the core's (``ReportEditor.rows_offered`` /
``copy_offered_rows``): rows already in the table are not offered again, nothing typed changes.
The button is disabled, with a tooltip saying why, while nothing is offered.
"""

from __future__ import annotations

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QPushButton

from citizen_rights_desktop.form.definition import Indicator, Table
from citizen_rights_desktop.persian.text import to_persian_digits
from ui.session import ReportSession

REFRESH_MS = 250  # after an edit in the table: a row typed or deleted changes what is offered


def source_name(session: ReportSession, table: Table) -> str:
    """«شاخص ۲» for the section ``table.rows_from`` names (its title if it is not an indicator)."""
    section = session.form.section(table.rows_from.section)
    return f"شاخص {to_persian_digits(section.number)}" if isinstance(section, Indicator) else f"«{section.title}»"


class OfferedRowsButton(QPushButton):
    copied = Signal(int)  # rows added

    def __init__(self, session: ReportSession, section_id: str, table: Table, model, parent=None):
        self.source = source_name(session, table)
        super().__init__(f"افزودن ردیف‌ها از {self.source}", parent)
        self.setObjectName("offered_rows")
        self.session, self.section_id, self.table, self.model = session, section_id, table, model
        source_table = session.form.section(table.rows_from.section).table(table.rows_from.table)
        self.source_table = f"جدول «{source_table.title}» {self.source}"
        self.offered: list[str] = []
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REFRESH_MS)
        self._timer.timeout.connect(self.refresh)
        model.edited.connect(self._timer.start)
        self.clicked.connect(self.copy)
        self.refresh()

    def showEvent(self, event) -> None:  # the source table may have changed on its own page
        super().showEvent(event)
        self.refresh()

    def refresh(self) -> None:
        self._timer.stop()
        if self.session.read_only:
            self.offered = []
            self.setEnabled(False)
            self.setToolTip("این گزارش قفل است.")
            return
        self.offered = self.session.offered_rows(self.section_id, self.table.id)
        self.setEnabled(bool(self.offered))
        if not self.offered:
            self.setToolTip(f"در {self.source_table} ردیفی نیست که در این جدول نباشد؛ ردیف‌های آن را نخست در {self.source} وارد کنید.")
            return
        names = "، ".join(f"«{text}»" for text in self.offered[:5]) + ("، …" if len(self.offered) > 5 else "")
        count = to_persian_digits(len(self.offered))
        self.setToolTip(f"{count} ردیف از {self.source_table} که در این جدول نیست، افزوده می‌شود: {names}")

    def copy(self) -> int:
        added = self.model.copy_offered() if self.offered else 0
        self.refresh()
        self.copied.emit(added)
        return added
