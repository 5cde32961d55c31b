"""The wizard's side panel: the guideline's introduction, the header, each dimension with its
indicators, the diagnostic form and the review, each with its state.

Titles wrap onto more lines instead of being cut with «…» (issue 17: at a large font every item is
read whole), and the state column is as wide as the longest state it shows, in the current font.
When the panel is too narrow for both (a large font), the state is shown by its coloured dot alone
and the titles take the whole width.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics
from PySide6.QtWidgets import QHeaderView, QStyledItemDelegate, QTreeWidget, QTreeWidgetItem

from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.persian.text import to_persian_digits
from ui.formatting import STATE_COLOURS, STATE_LABELS
from ui.intro_page import INTRODUCTION_KEY, INTRODUCTION_TITLE
from ui.page_parts import state_icon

MIN_WIDTH = 180
MIN_TITLE_CHARS = 14  # narrower than this, the state column gives its room to the titles


class WrappingDelegate(QStyledItemDelegate):
    """Rows as tall as their wrapped title at the column's current width (a tree view does not
    measure wrapped text by itself)."""

    def sizeHint(self, option, index):  # Qt's name
        hint = super().sizeHint(option, index)
        view = self.parent()
        if index.column() != 0:
            return hint
        depth, parent = 0, index.parent()
        while parent.isValid():
            depth, parent = depth + 1, parent.parent()
        width = view.header().sectionSize(0) - view.indentation() * (depth + 1) - view.iconSize().width() - 12
        metrics = option.fontMetrics
        font = index.data(Qt.FontRole)
        if font is not None:
            metrics = QFontMetrics(font)
        text = index.data(Qt.DisplayRole) or ""
        height = metrics.boundingRect(QRect(0, 0, max(20, width), 100000), Qt.TextWordWrap, text).height() + 8
        return QSize(hint.width(), max(hint.height(), height))


class SidePanel(QTreeWidget):
    def __init__(self, form: FormDefinition, keys: list[str], parent=None):
        super().__init__(parent)
        self.items: dict[str, QTreeWidgetItem] = {}
        self._states: dict[str, str] = {}
        self.setColumnCount(2)
        self.setHeaderLabels(["بخش", "وضعیت"])
        self.setIconSize(QSize(12, 12))
        header = self.header()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        header.setSectionResizeMode(1, QHeaderView.Fixed)  # sized to its labels: never measures every item
        header.setStretchLastSection(False)
        self.setWordWrap(True)  # a long indicator title takes two lines rather than ending in «…»
        self.setTextElideMode(Qt.ElideNone)
        self.setUniformRowHeights(False)
        self.setItemDelegate(WrappingDelegate(self))
        header.sectionResized.connect(
            lambda *_: self.scheduleDelayedItemsLayout()
        )  # heights for the new width
        self.setMinimumWidth(MIN_WIDTH)
        self._build(form, keys)
        self._size_state_column()

    def _item(self, parent, text: str, key: str | None, tooltip: str = "") -> QTreeWidgetItem:
        item = QTreeWidgetItem([text, ""])
        item.setToolTip(0, tooltip or text)
        if key:
            item.setData(0, Qt.UserRole, key)
            self.items[key] = item
        if parent is None:
            self.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _build(self, form: FormDefinition, keys: list[str]) -> None:
        if INTRODUCTION_KEY in keys:
            self._item(
                None,
                INTRODUCTION_TITLE,
                INTRODUCTION_KEY,
                "مقدمه شیوه‌نامه، شرایط عدم مصداق و مستندات قابل قبول",
            )
        self._item(None, "سربرگ گزارش", "header")
        if form.opening is not None:
            self._item(None, form.opening.title, form.opening.id)
        for dim in form.dimensions:
            dim_item = self._item(None, f"{form.kind.dimension_word} {to_persian_digits(dim.number)}: {dim.title}", None)
            dim_item.setFlags(dim_item.flags() & ~Qt.ItemIsSelectable)
            font = dim_item.font(0)
            font.setBold(True)
            dim_item.setFont(0, font)
            for ind in dim.indicators:
                self._item(dim_item, f"{to_persian_digits(ind.number)}. {ind.title}", ind.id, ind.full_title)
            dim_item.setExpanded(True)
        self._item(None, form.diagnostic.title or "فرم آسیب شناسی", form.diagnostic.id)
        self._item(None, "بازبینی و موارد ناقص", "review")

    def set_state(self, key: str, state: str) -> None:
        if self._states.get(key) == state:
            return
        self._states[key] = state
        item = self.items[key]
        item.setIcon(0, state_icon(state))
        item.setText(1, STATE_LABELS[state])
        item.setToolTip(1, STATE_LABELS[state])
        item.setForeground(1, QColor(STATE_COLOURS[state]))
        self._size_state_column()

    def set_review_text(self, text: str) -> None:
        """The review's line: how many items are missing («۱۲ مورد») or «کامل»."""
        item = self.items["review"]
        if item.text(1) != text:
            item.setText(1, text)
            self._size_state_column()

    def _size_state_column(self) -> None:
        """As wide as the longest state shown (from the states kept here: no item is measured)."""
        metrics = self.fontMetrics()
        labels = [STATE_LABELS[state] for state in set(self._states.values())]
        labels += [self.headerItem().text(1), self.items["review"].text(1)] if "review" in self.items else []
        width = max(metrics.horizontalAdvance(text) for text in labels) + 2 * metrics.averageCharWidth() + 8
        if width != self.header().sectionSize(1):
            self.header().resizeSection(1, width)
        narrow = self.viewport().width() - width < MIN_TITLE_CHARS * metrics.averageCharWidth()
        if narrow != self.isColumnHidden(1):
            self.setColumnHidden(1, narrow)

    def resizeEvent(self, event) -> None:  # Qt's name
        super().resizeEvent(event)
        self._size_state_column()

    def changeEvent(self, event) -> None:  # Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.FontChange:
            self._size_state_column()
