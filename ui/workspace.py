"""The report wizard: the side panel of dimensions and indicators (on the right) and the pages.

Pages are built from the form definition when first shown (and the rest in idle time), so a
report opens at once. After edits, the report is revalidated by the core (debounced) and the side
panel, the page's state and the review page follow.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolButton,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.validation import ValidationResult, validate_report
from ui.adaptive import ElidedLabel, FlowLayout, restyle_tree
from ui.busy import busy_cursor
from ui.formatting import fa_percent
from ui.intro_page import INTRODUCTION_KEY, IntroductionPage, has_introduction
from ui.pages import HeaderPage, ReviewPage, ScrollPage, SectionPage
from ui.session import ReportSession
from ui.side_panel import MIN_WIDTH, SidePanel
from ui.window_menus import SIDE_PANEL_SHORTCUT

REVALIDATE_MS = 400
SIDE_SHARE, SIDE_MAX = 0.3, 420  # the side panel's share of the window's width, and its widest


class ReportWorkspace(QWidget):
    back_requested = Signal()
    page_changed = Signal(str)
    action_requested = Signal(str)  # preview / print / sign / bundle / revision
    side_panel_toggled = Signal(bool)  # the clerk showed (True) or hid the side panel

    def __init__(self, session: ReportSession, validation: ValidationResult, title: str = "", parent=None):
        super().__init__(parent)
        self.session = session
        self.form = session.form
        self.validation = validation
        self.pages: dict[str, ScrollPage] = {}
        self.items: dict[str, QTreeWidgetItem] = {}
        intro = [INTRODUCTION_KEY] if has_introduction(self.form) else []  # the guideline's «مقدمه», read-only
        opening = [self.form.opening.id] if self.form.opening is not None else []  # an inspection's team (issue 15)
        self.keys = [*intro, "header", *opening, *(ind.id for ind in self.form.indicators), self.form.diagnostic.id, "review"]
        self._dimension_titles = {
            ind.id: f"{self.form.kind.dimension_word} {to_persian_digits(dim.number)}: {dim.title}" for dim in self.form.dimensions for ind in dim.indicators
        }

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        # one line on a wide screen; on a narrow one (or a large font) the buttons wrap below
        top = FlowLayout()
        top.setContentsMargins(10, 6, 10, 0)
        self.side_button = QToolButton()
        self.side_button.setText("فهرست بخش‌ها")
        self.side_button.setCheckable(True)
        self.side_button.setChecked(True)
        self.side_button.setToolTip(f"نمایش یا پنهان کردن فهرست بخش‌ها ({SIDE_PANEL_SHORTCUT})")
        self.side_button.toggled.connect(self._side_button_toggled)
        self.back_button = QPushButton("فهرست گزارش‌ها")
        self.back_button.clicked.connect(self.back_requested)
        self.title = ElidedLabel(title)  # shortened with «…» (the whole title in its tooltip)
        self.title.setStyleSheet("font-weight: 600;")
        self.completeness = QLabel()
        for widget in (self.side_button, self.back_button, self.title, self.completeness):
            top.addWidget(widget)
        self.action_buttons: dict[str, QPushButton] = {}
        actions = [("preview", "پیش‌نمایش"), ("print", "چاپ…"), ("sign", "ذخیره PDF امضاشده…")]
        if session.read_only:
            actions.append(("bundle", "ارسال بسته…"))
        for name, text in actions:
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, n=name: self.action_requested.emit(n))
            self.action_buttons[name] = button
            top.addWidget(button)
        layout.addLayout(top)
        self.revision_button: QPushButton | None = None
        if session.read_only:
            banner = QWidget()
            banner.setObjectName("lockedBanner")
            banner.setStyleSheet("QWidget#lockedBanner { background: #fff4d6; border: 1px solid #f0d58a; border-radius: 4px; }")
            row = QHBoxLayout(banner)
            row.setContentsMargins(10, 6, 10, 6)
            # "exported": its bundle was made; whether headquarters has it, only a receipt says (issue 18)
            state = "امضا و بسته‌بندی" if session.report.state == "exported" else "امضا"
            text = QLabel(
                f"ویرایش {to_persian_digits(session.report.revision)} این گزارش {state} شده و قفل است؛ فقط قابل مشاهده است. "
                "برای اصلاح، ویرایش جدیدی بسازید (این نسخه دست‌نخورده می‌ماند)."
            )
            text.setWordWrap(True)
            row.addWidget(text, 1)
            self.revision_button = QPushButton("ویرایش جدید")
            self.revision_button.setStyleSheet("font-weight: 600; padding: 4px 16px;")
            self.revision_button.clicked.connect(lambda: self.action_requested.emit("revision"))
            row.addWidget(self.revision_button)
            layout.addWidget(banner)
        self.feedback = None

        self.splitter = QSplitter(Qt.Horizontal)
        self.tree = SidePanel(self.form, self.keys)
        self.items: dict[str, QTreeWidgetItem] = self.tree.items
        self.tree.currentItemChanged.connect(self._tree_changed)
        self.stack = QStackedWidget()
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.stack, 1)
        nav = QHBoxLayout()
        nav.setContentsMargins(16, 4, 16, 8)
        self.prev_button = QPushButton("→ قبلی")
        self.next_button = QPushButton("بعدی ←")
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        nav.addWidget(self.prev_button)
        nav.addStretch(1)
        nav.addWidget(self.next_button)
        right_layout.addLayout(nav)
        self._keyboard_shortcuts()
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(right)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setCollapsible(0, False)  # hidden with its button or Ctrl+B, never dragged away
        self._sized = False
        layout.addWidget(self.splitter, 1)

        self._revalidate_timer = QTimer(self)
        self._revalidate_timer.setSingleShot(True)
        self._revalidate_timer.setInterval(REVALIDATE_MS)
        self._revalidate_timer.timeout.connect(self.revalidate)
        session.section_changed.connect(self._changed)
        self._dirty = False
        self.current_key = ""
        self.apply_validation(validation)
        self.go_to("header")
        self._prebuild = [k for k in self.keys if k not in self.pages]
        self._build_timer = QTimer(self)  # owned by the workspace: stops when it is closed
        self._build_timer.setSingleShot(True)
        self._build_timer.timeout.connect(self._build_next)
        self._build_timer.start(50)

    # --- side panel ---------------------------------------------------------------------------

    def set_side_panel_visible(self, visible: bool) -> None:
        """Show or hide the side panel (its button, the window's menu «نمایش» or Ctrl+B)."""
        self.tree.setVisible(visible)
        if self.side_button.isChecked() != visible:
            self.side_button.blockSignals(True)
            self.side_button.setChecked(visible)
            self.side_button.blockSignals(False)

    def side_panel_visible(self) -> bool:
        return not self.tree.isHidden()

    def _side_button_toggled(self, visible: bool) -> None:
        self.set_side_panel_visible(visible)
        self.side_panel_toggled.emit(visible)

    def resizeEvent(self, event) -> None:  # Qt's name
        super().resizeEvent(event)
        if not self._sized and self.width() > 0:  # the first layout: a share of the window, not 430 pixels
            self._sized = True
            side = max(MIN_WIDTH, min(SIDE_MAX, int(self.width() * SIDE_SHARE)))
            self.splitter.setSizes([side, max(1, self.width() - side)])

    def _tree_changed(self, current: QTreeWidgetItem | None, _previous=None) -> None:
        if current is None:
            return
        key = current.data(0, Qt.UserRole)
        if key and key != self.current_key:
            self.go_to(key)

    # --- pages --------------------------------------------------------------------------------

    def page(self, key: str) -> ScrollPage:
        if key not in self.pages:
            self._build_page(key)
        return self.pages[key]

    def _build_page(self, key: str) -> None:
        if key == "header":
            page = HeaderPage(self.session)
        elif key == INTRODUCTION_KEY:
            page = IntroductionPage(self.form)
        elif key == "review":
            page = ReviewPage(self.session)
            page.jump.connect(self.go_to)
        elif key in (self.form.diagnostic.id, *(s.id for s in self.form.free_sections)):
            page = SectionPage(self.session, self.form.section(key))
        else:
            page = SectionPage(self.session, self.form.indicator(key), self._dimension_titles.get(key, ""))
        self.pages[key] = page
        restyle_tree(page)  # a title sized in points follows the chosen font size
        self.stack.addWidget(page)
        self._show_result(key)
        self._show_feedback(key)

    # --- headquarters' feedback ---------------------------------------------------------------

    def set_feedback(self, feedback) -> None:
        """Comments of headquarters (``hq_review.Feedback`` or ``None``): a box at the top of each
        indicator page concerned, general comments on the header page, a mark in the side panel."""
        self.feedback = feedback
        if feedback is None:
            return
        comments = feedback.by_indicator()
        for key, item in self.items.items():
            if comments.get(key):
                item.setText(0, item.text(0) + " (نظر ستاد)")
                item.setForeground(0, QColor("#b3261e"))
                item.setToolTip(0, item.toolTip(0) + "\n" + "نظر ستاد: " + " / ".join(c.text for c in comments[key]))
        for key in self.pages:
            self._show_feedback(key)

    def feedback_comments(self, key: str) -> list:
        if self.feedback is None:
            return []
        comments = self.feedback.by_indicator()
        if key == "header":
            return comments.get("general", [])
        return comments.get(key, [])

    def _show_feedback(self, key: str) -> None:
        page = self.pages[key]
        comments = self.feedback_comments(key)
        if comments and hasattr(page, "show_feedback"):
            from citizen_rights_desktop.exchange.feedback import STATE_FA

            decision = STATE_FA.get(self.feedback.decision, self.feedback.decision)
            revision = to_persian_digits(self.feedback.revision)
            page.show_feedback(f"نظر ستاد درباره ویرایش {revision} (گزارش {decision}):", [(c.text, c.author) for c in comments])

    def _build_next(self) -> None:
        """Build one more page while the window is idle (so later switches are instant); not once
        the window is closed (its database may be closed too)."""
        if not self.isVisible():
            return
        while self._prebuild:
            key = self._prebuild.pop(0)
            if key not in self.pages:
                self.page(key)
                break
        if self._prebuild:
            self._build_timer.start(0)

    def go_to(self, key: str) -> None:
        if key not in self.keys:
            return
        if self.current_key in self.pages:
            self.pages[self.current_key].flush()
        if self.isVisible() and (key not in self.pages or (key == "review" and self._dirty)):
            with busy_cursor():  # building a page, or validating the whole report, can take a moment
                page = self.page(key)
                if key == "review":
                    self.revalidate(force=False)
        page = self.page(key)
        self.stack.setCurrentWidget(page)
        self.current_key = key
        item = self.items.get(key)
        if item is not None and self.tree.currentItem() is not item:
            self.tree.blockSignals(True)
            self.tree.setCurrentItem(item)
            self.tree.blockSignals(False)
        index = self.keys.index(key)
        self.prev_button.setEnabled(index > 0)
        self.next_button.setEnabled(index < len(self.keys) - 1)
        self.page_changed.emit(key)

    # keyboard: a clerk can answer a whole report without the mouse (issue 17)
    SHORTCUTS = {"next": "Ctrl+PgDown", "previous": "Ctrl+PgUp", "yes": "Ctrl+1", "no": "Ctrl+2", "not_applicable": "Ctrl+3", "add_row": "Ctrl+Ins"}

    def _keyboard_shortcuts(self) -> None:
        def bind(name: str, slot) -> None:
            QShortcut(QKeySequence(self.SHORTCUTS[name]), self, slot, context=Qt.WidgetWithChildrenShortcut)

        bind("next", lambda: self.step(1))
        bind("previous", lambda: self.step(-1))
        for status in ("yes", "no", "not_applicable"):
            bind(status, lambda status=status: self.answer_current(status))
        bind("add_row", self.add_row_to_current)
        self.next_button.setToolTip(f"شاخص بعدی ({self.SHORTCUTS['next']})")
        self.prev_button.setToolTip(f"شاخص قبلی ({self.SHORTCUTS['previous']})")

    def answer_current(self, status: str) -> None:
        """Answer the current indicator's gate (yes / no / not applicable) from the keyboard."""
        page = self.pages.get(self.current_key)
        radios = getattr(page, "radios", {})
        if status in radios and radios[status].isEnabled():
            page.set_status(status)

    def add_row_to_current(self) -> None:
        """Add a row to the table that has the focus, else to the current page's first visible table."""
        page = self.pages.get(self.current_key)
        tables = [t for t in getattr(page, "tables", []) if t.isVisibleTo(page) and t.add_button.isEnabled()]
        focused = next((t for t in tables if t.isAncestorOf(self.focusWidget())), None) if self.focusWidget() else None
        if focused or tables:
            (focused or tables[0]).add_row()

    def step(self, delta: int) -> None:
        index = self.keys.index(self.current_key) + delta
        if 0 <= index < len(self.keys):
            self.go_to(self.keys[index])

    def flush(self) -> None:
        for page in self.pages.values():
            page.flush()

    # --- validation ---------------------------------------------------------------------------

    def _changed(self, _section_id: str) -> None:
        self._dirty = True
        self._revalidate_timer.start()

    def revalidate(self, force: bool = True) -> ValidationResult:
        """Validate the in-memory report with the core (only if something changed, unless forced)."""
        self._revalidate_timer.stop()
        if force or self._dirty:
            self._dirty = False
            self.apply_validation(validate_report(self.form, self.session.report))
        return self.validation

    def _set_state(self, key: str, state: str) -> None:
        self.tree.set_state(key, state)

    def apply_validation(self, result: ValidationResult) -> None:
        self.validation = result
        for section_id, section in result.sections.items():
            if section_id in self.items:
                self._set_state(section_id, section.state)
        free = [("header", result.header), (self.form.diagnostic.id, result.diagnostic)]
        if self.form.opening is not None:
            free.append((self.form.opening.id, result.opening))
        for key, problems in free:
            if problems:
                state = "incomplete"
            elif key == self.form.diagnostic.id and self.session.report.section(key).is_empty():
                state = "unanswered"  # the diagnostic form is optional: untouched is not "complete" (issue 17)
            else:
                state = "complete"
            self._set_state(key, state)
        count = len(result.problems)
        self.tree.set_review_text(to_persian_digits(count) + " مورد" if count else "کامل")
        self.completeness.setText(f"درصد تکمیل: {fa_percent(result.completeness)}")
        for key in self.pages:
            self._show_result(key)

    def _show_result(self, key: str) -> None:
        page = self.pages[key]
        result = self.validation
        if isinstance(page, ReviewPage):
            page.show_result(result)
        elif isinstance(page, SectionPage):
            if key == self.form.diagnostic.id:
                page.show_result(None, result.diagnostic)
            elif self.form.opening is not None and key == self.form.opening.id:
                page.show_result(None, result.opening)
            else:
                section = result.sections.get(key)
                page.show_result(section, section.problems if section else [])
