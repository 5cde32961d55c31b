"""The report wizard: the side panel of dimensions and indicators (on the right) and the pages.

Pages are built from the form definition when first shown (and the rest in idle time), so a
report opens at once. After edits, the report is revalidated by the core (debounced) and the side
panel, the page's state and the review page follow.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.validation import ValidationResult, validate_report
from ui.formatting import STATE_COLOURS, STATE_LABELS, fa_percent
from ui.intro_page import INTRODUCTION_KEY, INTRODUCTION_TITLE, IntroductionPage, has_introduction
from ui.page_parts import state_icon
from ui.pages import HeaderPage, ReviewPage, ScrollPage, SectionPage
from ui.session import ReportSession

REVALIDATE_MS = 400


class ReportWorkspace(QWidget):
    back_requested = Signal()
    page_changed = Signal(str)
    action_requested = Signal(str)  # preview / print / sign / bundle / revision

    def __init__(self, session: ReportSession, validation: ValidationResult, title: str = "", parent=None):
        super().__init__(parent)
        self.session = session
        self.form = session.form
        self.validation = validation
        self.pages: dict[str, ScrollPage] = {}
        self.items: dict[str, QTreeWidgetItem] = {}
        intro = [INTRODUCTION_KEY] if has_introduction(self.form) else []  # the guideline's «مقدمه», read-only
        self.keys = [*intro, "header", *(ind.id for ind in self.form.indicators), self.form.diagnostic.id, "review"]
        self._dimension_titles = {
            ind.id: f"بُعد {to_persian_digits(dim.number)}: {dim.title}" for dim in self.form.dimensions for ind in dim.indicators
        }

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        top = QHBoxLayout()
        top.setContentsMargins(10, 6, 10, 0)
        self.back_button = QPushButton("فهرست گزارش‌ها")
        self.back_button.clicked.connect(self.back_requested)
        self.title = QLabel(title)
        self.title.setStyleSheet("font-weight: 600;")
        self.completeness = QLabel()
        top.addWidget(self.back_button)
        top.addSpacing(12)
        top.addWidget(self.title, 1)
        top.addWidget(self.completeness)
        layout.addLayout(top)
        bar = QHBoxLayout()
        bar.setContentsMargins(10, 2, 10, 0)
        self.action_buttons: dict[str, QPushButton] = {}
        actions = [("preview", "پیش‌نمایش"), ("print", "چاپ…"), ("sign", "ذخیره PDF امضاشده…")]
        if session.read_only:
            actions.append(("bundle", "ارسال بسته…"))
        for name, text in actions:
            button = QPushButton(text)
            button.clicked.connect(lambda _c=False, n=name: self.action_requested.emit(n))
            self.action_buttons[name] = button
            bar.addWidget(button)
        bar.addStretch(1)
        layout.addLayout(bar)
        self.revision_button: QPushButton | None = None
        if session.read_only:
            banner = QWidget()
            banner.setObjectName("lockedBanner")
            banner.setStyleSheet("QWidget#lockedBanner { background: #fff4d6; border: 1px solid #f0d58a; border-radius: 4px; }")
            row = QHBoxLayout(banner)
            row.setContentsMargins(10, 6, 10, 6)
            state = "ارسال" if session.report.state == "exported" else "امضا"
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
        self.tree = QTreeWidget()
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels(["بخش", "وضعیت"])
        self.tree.setIconSize(QSize(12, 12))
        # fixed widths: a column sized to its contents would measure every item on each change
        self.tree.header().setSectionResizeMode(0, QHeaderView.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.Fixed)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().resizeSection(1, 112)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.ElideRight)
        self.tree.setMinimumWidth(300)
        self._build_tree()
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
        self.splitter.setSizes([430, 936])
        layout.addWidget(self.splitter, 1)

        self._revalidate_timer = QTimer(self)
        self._revalidate_timer.setSingleShot(True)
        self._revalidate_timer.setInterval(REVALIDATE_MS)
        self._revalidate_timer.timeout.connect(self.revalidate)
        session.section_changed.connect(self._changed)
        self._dirty = False
        self._item_states: dict[str, str] = {}
        self.current_key = ""
        self.apply_validation(validation)
        self.go_to("header")
        self._prebuild = [k for k in self.keys if k not in self.pages]
        self._build_timer = QTimer(self)  # owned by the workspace: stops when it is closed
        self._build_timer.setSingleShot(True)
        self._build_timer.timeout.connect(self._build_next)
        self._build_timer.start(50)

    # --- side panel ---------------------------------------------------------------------------

    def _item(self, parent, text: str, key: str | None, tooltip: str = "") -> QTreeWidgetItem:
        item = QTreeWidgetItem([text, ""])
        item.setToolTip(0, tooltip or text)
        if key:
            item.setData(0, Qt.UserRole, key)
            self.items[key] = item
        if parent is None:
            self.tree.addTopLevelItem(item)
        else:
            parent.addChild(item)
        return item

    def _build_tree(self) -> None:
        if INTRODUCTION_KEY in self.keys:
            self._item(None, INTRODUCTION_TITLE, INTRODUCTION_KEY, "مقدمه شیوه‌نامه، شرایط عدم مصداق و مستندات قابل قبول")
        self._item(None, "سربرگ گزارش", "header")
        for dim in self.form.dimensions:
            dim_item = self._item(None, f"بُعد {to_persian_digits(dim.number)}: {dim.title}", None)
            dim_item.setFlags(dim_item.flags() & ~Qt.ItemIsSelectable)
            font = dim_item.font(0)
            font.setBold(True)
            dim_item.setFont(0, font)
            for ind in dim.indicators:
                self._item(dim_item, f"{to_persian_digits(ind.number)}. {ind.title}", ind.id, ind.full_title)
            dim_item.setExpanded(True)
        self._item(None, self.form.diagnostic.title or "فرم آسیب شناسی", self.form.diagnostic.id)
        self._item(None, "بازبینی و موارد ناقص", "review")

    def _tree_changed(self, current: QTreeWidgetItem | None, _previous=None) -> None:
        if current is None:
            return
        key = current.data(0, Qt.UserRole)
        if key and key != self.current_key:
            self.go_to(key)

    # --- pages --------------------------------------------------------------------------------

    def page(self, key: str) -> ScrollPage:
        if key not in self.pages:
            if key == "header":
                page = HeaderPage(self.session)
            elif key == INTRODUCTION_KEY:
                page = IntroductionPage(self.form)
            elif key == "review":
                page = ReviewPage(self.session)
                page.jump.connect(self.go_to)
            elif key == self.form.diagnostic.id:
                page = SectionPage(self.session, self.form.diagnostic)
            else:
                page = SectionPage(self.session, self.form.indicator(key), self._dimension_titles.get(key, ""))
            self.pages[key] = page
            self.stack.addWidget(page)
            self._show_result(key)
            self._show_feedback(key)
        return self.pages[key]

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
        """Build one more page while the window is idle (so later switches are instant)."""
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
        page = self.page(key)
        if key == "review":
            self.revalidate(force=False)
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
        if self._item_states.get(key) == state:
            return
        self._item_states[key] = state
        item = self.items[key]
        item.setIcon(0, state_icon(state))
        item.setText(1, STATE_LABELS[state])
        item.setForeground(1, QColor(STATE_COLOURS[state]))

    def apply_validation(self, result: ValidationResult) -> None:
        self.validation = result
        for section_id, section in result.sections.items():
            if section_id in self.items:
                self._set_state(section_id, section.state)
        for key, problems in (("header", result.header), (self.form.diagnostic.id, result.diagnostic)):
            if problems:
                state = "incomplete"
            elif key != "header" and self.session.report.section(key).is_empty():
                state = "unanswered"  # the diagnostic form is optional: untouched is not "complete" (issue 17)
            else:
                state = "complete"
            self._set_state(key, state)
        count = len(result.problems)
        review = self.items["review"]
        text = to_persian_digits(count) + " مورد" if count else "کامل"
        if review.text(1) != text:
            review.setText(1, text)
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
            else:
                section = result.sections.get(key)
                page.show_result(section, section.problems if section else [])
