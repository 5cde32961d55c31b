"""Layouts for small screens and large fonts (issue 17: 1024×600, font sizes up to 24).

- ``FlowLayout``: buttons side by side that wrap onto the next line instead of widening the window.
- ``ElidedLabel``: one line that shortens itself with «…» (the whole text in its tooltip).
- ``restyle_fonts``: widgets with a style sheet keep the font they had when it was set, and a size in
  points (a page title) never follows the application's font. After a change of font size each is
  styled again, its sizes moved by as many points as the application's font moved from 11.
- ``fit_to_screen``: a window or dialog never larger than the screen it opens on; ``scrolling``: its
  content scrolls when it is taller.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QGuiApplication, QPainter
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QLayout, QScrollArea, QSizePolicy, QStyle, QWidget

BASE_POINT_SIZE = 11  # the settings' default: style sheets are written for it
_GROWING = (QSizePolicy.Expanding, QSizePolicy.MinimumExpanding, QSizePolicy.Ignored)
_POINTS = re.compile(r"font-size:\s*(\d+(?:\.\d+)?)pt")


class FlowLayout(QLayout):
    """Items in lines, right to left in a right-to-left window, wrapping when the width runs out.

    An item whose horizontal policy expands (an ``ElidedLabel``) is packed at its minimum width and
    then takes what is left of its line."""

    def __init__(self, parent: QWidget | None = None, spacing: int = 6):
        super().__init__(parent)
        self._items = []
        self.setSpacing(spacing)
        self.setContentsMargins(0, 0, 0, 0)

    def addItem(self, item) -> None:  # Qt's name
        self._items.append(item)

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int):
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int):
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    def expandingDirections(self):
        return Qt.Orientation.Horizontal

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        return self._arrange(QRect(0, 0, width, 0), apply=False)

    def setGeometry(self, rect: QRect) -> None:
        super().setGeometry(rect)
        self._arrange(rect, apply=True)

    def _visible(self) -> list:
        return [item for item in self._items if not item.isEmpty()]

    def sizeHint(self) -> QSize:  # everything on one line
        items = self._visible()
        margins = self.contentsMargins()
        width = sum(item.sizeHint().width() for item in items) + self.spacing() * max(0, len(items) - 1)
        height = max((item.sizeHint().height() for item in items), default=0)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    def minimumSize(self) -> QSize:  # the widest single item
        margins = self.contentsMargins()
        width = max((self._packed_width(item) for item in self._visible()), default=0)
        height = max((item.minimumSize().height() for item in self._visible()), default=0)
        return QSize(width + margins.left() + margins.right(), height + margins.top() + margins.bottom())

    @staticmethod
    def _expands(item) -> bool:
        widget = item.widget()
        return widget is not None and widget.sizePolicy().horizontalPolicy() in _GROWING

    def _packed_width(self, item) -> int:
        return item.minimumSize().width() if self._expands(item) else item.sizeHint().width()

    def _arrange(self, rect: QRect, apply: bool) -> int:
        margins = self.contentsMargins()
        area = rect.adjusted(margins.left(), margins.top(), -margins.right(), -margins.bottom())
        spacing = self.spacing()
        lines: list[list] = [[]]
        used = 0
        for item in self._visible():
            width = min(self._packed_width(item), area.width())
            if lines[-1] and used + spacing + width > area.width():
                lines.append([])
                used = 0
            used += (spacing if lines[-1] else 0) + width
            lines[-1].append(item)
        y = area.y()
        for line in lines:
            if not line:
                continue
            widths = [min(self._packed_width(item), area.width()) for item in line]
            left = area.width() - sum(widths) - spacing * (len(line) - 1)
            growing = [i for i, item in enumerate(line) if self._expands(item)]
            for i in growing:
                extra = left // len(growing)
                widths[i] = min(widths[i] + extra, max(widths[i], line[i].sizeHint().width()) + extra)
            height = max(item.sizeHint().height() for item in line)
            if apply:
                direction = (
                    self.parentWidget().layoutDirection()
                    if self.parentWidget()
                    else QGuiApplication.layoutDirection()
                )
                x = area.x()
                for item, width in zip(line, widths):
                    item_height = min(height, max(item.sizeHint().height(), item.minimumSize().height()))
                    box = QRect(QPoint(x, y + (height - item_height) // 2), QSize(width, item_height))
                    item.setGeometry(QStyle.visualRect(direction, area, box))
                    x += width + spacing
            y += height + spacing
        return y - spacing - area.y() + margins.top() + margins.bottom() if y > area.y() else 0


class ElidedLabel(QLabel):
    """A one-line label that shows «…» rather than being cut or widening the window; the whole
    text is in its tooltip."""

    def __init__(self, text: str = "", parent: QWidget | None = None, min_chars: int = 8):
        super().__init__(text, parent)
        self._min_chars = min_chars
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Preferred)
        self.setToolTip(text)
        self.setTextFormat(Qt.PlainText)

    def setText(self, text: str) -> None:
        super().setText(text)
        self.setToolTip(text)

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        return QSize(
            min(hint.width(), self.fontMetrics().averageCharWidth() * self._min_chars), hint.height()
        )

    def shown_text(self) -> str:
        return self.fontMetrics().elidedText(self.text(), Qt.ElideRight, max(0, self.contentsRect().width()))

    def is_elided(self) -> bool:
        return self.shown_text() != self.text()

    def paintEvent(self, _event) -> None:
        painter = QPainter(self)
        alignment = QStyle.visualAlignment(self.layoutDirection(), self.alignment())
        self.style().drawItemText(
            painter,
            self.contentsRect(),
            int(alignment),
            self.palette(),
            self.isEnabled(),
            self.shown_text(),
            self.foregroundRole(),
        )
        painter.end()


def restyle_fonts(widgets, only_sized: bool = False) -> None:
    """Style again each widget that has a style sheet, so it takes the application's current font;
    a size in points moves with the application's font (``BASE_POINT_SIZE`` is the one written)."""
    delta = QApplication.font().pointSizeF() - BASE_POINT_SIZE
    if only_sized and delta == 0:
        return  # at the size the style sheets were written for, nothing moves
    for widget in widgets:
        css = widget.styleSheet()
        if not css:
            continue
        base = widget.property("crd_base_css")
        if base is None or css != widget.property("crd_applied_css"):
            base = css  # first time, or the widget's own code set another style since
        sized = _POINTS.search(base) is not None
        if only_sized and not sized:
            continue
        new = (
            _POINTS.sub(lambda m: f"font-size: {max(6, round(float(m.group(1)) + delta))}pt", base)
            if sized
            else base
        )
        widget.setProperty("crd_base_css", base)
        widget.setProperty("crd_applied_css", new)
        widget.setStyleSheet(new)  # styling again also gives it the application's new font


def restyle_tree(root: QWidget, only_sized: bool = True) -> None:
    """``restyle_fonts`` for a widget and everything in it (a page built after the font was chosen)."""
    restyle_fonts([root, *root.findChildren(QWidget)], only_sized=only_sized)


def available_size(widget: QWidget | None = None) -> QSize:
    screen = (widget.screen() if widget is not None else None) or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else QSize(1024, 600)


def fit_to_screen(widget: QWidget, preferred: QSize) -> QSize:
    """Resize to ``preferred``, but never larger than the available screen (a 1024×600 laptop)."""
    room = available_size(widget)
    size = QSize(min(preferred.width(), room.width()), min(preferred.height(), room.height()))
    widget.resize(size)
    return size


def scrolling(content: QWidget) -> QScrollArea:
    """``content`` in a frameless area that scrolls when it is taller than the window or dialog."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    area.setWidget(content)
    return area


def line_height(widget: QWidget, padding: int = 10) -> int:
    """The height of a one-line row in ``widget``'s font (a table row that never cuts its text)."""
    return widget.fontMetrics().height() + padding
