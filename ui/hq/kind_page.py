"""The analysis of a kind of report with its own answers (the quarterly program report, seed 002):
per program and per action, the share carried out in the period beside the previous period's,
each answer's count, the targets met over the year so far and each program's satisfaction
surveys — the figures of ``hq.kind_figures`` (the functions ``hq analyse --kind`` calls), within
the window's filters. Its columns come from the form: its own answers, its words for a program
and an action («برنامه», «اقدام»)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from citizen_rights_desktop.hq.kind_figures import KindFigures
from citizen_rights_desktop.report.targets import PER_FA
from ui.formatting import fa_number
from ui.hq.common import fa_digits, fa_int, fa_pct, fill, item, table

UNANSWERED_FA = "بی‌پاسخ"
NOT_DUE_SHORT = {"not_due": "موعد نرسیده"}  # a header short enough for its column (the whole label is in the note)


def change_text(value: float | None) -> str:
    """A change in percentage points, signed: «+۳٫۵», «−۲»."""
    if value is None:
        return "—"
    sign = "+" if value > 0 else ("−" if value < 0 else "")
    return sign + fa_number(round(abs(value), 1), 1)


def change_colour(value: float | None) -> str | None:
    return None if not value else ("#2e8b57" if value > 0 else "#c0392b")


class KindView(QWidget):
    """Programs above, their actions below; both sortable (a header click: weakest first)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.figures: KindFigures | None = None
        layout = QVBoxLayout(self)
        self.summary = QLabel("")
        self.summary.setWordWrap(True)
        layout.addWidget(self.summary)
        self.note = QLabel("")
        self.note.setWordWrap(True)
        layout.addWidget(self.note)
        splitter = QSplitter(Qt.Vertical)
        self.programs = table(["برنامه"], stretch=1)
        self.actions = table(["اقدام"], stretch=1)
        splitter.addWidget(self.programs)
        splitter.addWidget(self.actions)
        splitter.setSizes([260, 420])
        layout.addWidget(splitter, 1)

    def headers(self, figures: KindFigures) -> tuple[list[str], list[str]]:
        form = figures.form
        kind = form.kind
        share = f"درصد «{form.statuses[0].label}»"
        before = "دوره قبل"
        programs = [kind.dimension_word, "عنوان", f"{kind.indicator_word}‌ها", share, before, "تغییر", "نظرسنجی‌ها", "پاسخ‌دهندگان", "میانگین رضایت"]
        answers = [NOT_DUE_SHORT.get(s.id, s.label) for s in form.statuses]
        actions = [kind.indicator_word, "عنوان", *answers, UNANSWERED_FA, share, before, "تغییر", "هدف: موفق / گزارش‌دهنده", "تحقق هدف"]
        return programs, actions

    def show_figures(self, figures: KindFigures | None) -> None:
        self.figures = figures
        if figures is None:
            return
        form = figures.form
        period = form.period_words(figures.period)
        before = form.period_words(figures.previous) if figures.previous else "—"
        self.summary.setText(fa_digits(
            f"{period}: {figures.reports} گزارش؛ دوره قبل، {before}: {figures.reports_before} گزارش."
        ))  # fmt: skip
        statuses = "، ".join(f"«{s.label}»" for s in form.statuses)
        self.note.setText(
            f"پاسخ‌ها: {statuses}. درصد «{form.statuses[0].label}» = تعداد آن ÷ پاسخ‌های سررسیده"
            " («هنوز موعد انجام آن نرسیده است» در مخرج نیست؛ بی‌پاسخ در مخرج هست)؛ برای هر برنامه، پاسخ‌های همه اقدام‌های آن با هم."
            " تغییر: به واحد درصد. هدف: واحدهایی که در گزارش‌های سال تا این دوره به حداقل تعیین‌شده رسیده‌اند، از واحدهای گزارش‌دهنده. رضایت: میانگین امتیاز نظرسنجی‌ها، وزن‌دار به تعداد پاسخ‌دهندگان."
        )
        program_headers, action_headers = self.headers(figures)
        self.programs.set_headers(program_headers)
        self.actions.set_headers(action_headers)
        dimensions = {d.id: d for d in form.dimensions}
        fill(self.programs, [self._program_row(dimensions[p.dimension_id], p) for p in figures.programs()])
        fill(self.actions, [self._action_row(figures, dimensions[a.dimension_id], a) for a in figures.actions()])

    @staticmethod
    def _program_row(dimension, p) -> list:
        s = p.satisfaction
        return [
            item(fa_int(dimension.number), raw=dimension.number, align_center=True),
            item(dimension.title, raw=dimension.id, tooltip=dimension.title),
            item(fa_int(p.actions), raw=p.actions, align_center=True),
            item(fa_pct(p.share), raw=p.share, align_center=True),
            item(fa_pct(p.before), raw=p.before, align_center=True),
            item(change_text(p.change), raw=p.change, align_center=True, colour=change_colour(p.change)),
            item("—" if s is None else fa_int(s.surveys), raw=None if s is None else s.surveys, align_center=True),
            item("—" if s is None else fa_number(s.respondents, 0), raw=None if s is None else s.respondents, align_center=True),
            item("—" if s is None else fa_pct(s.mean), raw=None if s is None else s.mean, align_center=True),
        ]

    def _action_row(self, figures: KindFigures, dimension, a) -> list:
        indicator, kind = figures.form.indicator(a.indicator_id), figures.form.kind
        target = a.target
        spec = indicator.target
        tip = None if spec is None else fa_digits(f"هدف: حداقل {spec.at_least:g} {PER_FA[spec.per]} ({indicator.field(spec.field).label})")
        return [
            item(fa_digits(f"{dimension.number}.{indicator.number}"), raw=dimension.number * 1000 + indicator.number, align_center=True, tooltip=indicator.id),
            item(indicator.title, raw=indicator.id, tooltip=f"{kind.dimension_word} {fa_digits(dimension.number)}: {dimension.title}\n{indicator.full_title}"),
            *(item(fa_int(a.counts[s]), raw=a.counts[s], align_center=True) for s in figures.statuses),
            item(fa_pct(a.share), raw=a.share, align_center=True),
            item(fa_pct(a.before), raw=a.before, align_center=True),
            item(change_text(a.change), raw=a.change, align_center=True, colour=change_colour(a.change)),
            item("—" if target is None else fa_digits(f"{target.met} / {target.offices}"), raw=None if target is None else target.met, align_center=True, tooltip=tip),
            item("—" if target is None else fa_pct(target.percent), raw=None if target is None else target.percent, align_center=True, tooltip=tip),
        ]
