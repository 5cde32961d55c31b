"""The working group's compiled progress report (issue 16; seed 000, item 11: «گزارش مستمر پیشرفت
برنامه ها»; seed 003, duty 8: analytical reports): every kind of report of a year, each figure
beside the previous year's, with the change, nationally, per province and per agency.

The figures only: ``hq.progress_pdf`` prints them on letterhead and ``hq.progress_xlsx`` writes
them as a workbook, so both always show the same numbers. Every figure comes from the functions
the other commands use (``hq.completeness``, ``hq.analysis``, ``hq.inspections``, ``hq.ranking``)
on the scoped connection (``hq.scope``); call ``digest.refresh_digests`` first.

Definitions (stated in the PDF too):
- a share's denominator leaves out «عدم مصداق» (the annual report) and «هنوز موعد انجام آن نرسیده
  است» (the quarterly report), as the scores do; a blank answer counts (the unit owed one);
- changes are in percentage points for shares and scores, in units for counts;
- «improved» and «got worse» in the summary are the largest changes of the indicators' «بله» shares
  and of the programs' «انجام شد» shares, then the key figures, each in the direction that is better
  (fewer overdue findings is better).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import completeness as hq_completeness
from citizen_rights_desktop.hq import inspections as hq_inspections
from citizen_rights_desktop.hq import ranking as hq_ranking
from citizen_rights_desktop.persian.text import to_persian_digits
from citizen_rights_desktop.report.office import PROVINCES
from storage.report_store import ReportStore

NOT_DUE = "not_due"


@dataclass(frozen=True)
class Figure:
    key: str  # stable, for the workbook and tests
    label: str
    now: float | None
    before: float | None
    percent: bool = True  # a share or score (change in points); else a count
    higher_is_better: bool = True

    @property
    def change(self) -> float | None:
        return None if self.now is None or self.before is None else round(self.now - self.before, 2)

    @property
    def gain(self) -> float | None:
        """The change in the direction that is better (positive: improved)."""
        return None if self.change is None else (self.change if self.higher_is_better else -self.change)


@dataclass
class Row:
    key: str
    label: str
    values: list[float | None]


@dataclass
class ProgressReport:
    period: str
    previous: str
    scope: str
    key_figures: list[Figure] = field(default_factory=list)
    indicators: list[Figure] = field(default_factory=list)  # annual «بله» share per indicator
    provinces: list[Row] = field(default_factory=list)  # reported %, score now, before, change, inspection score
    agencies: list[Row] = field(default_factory=list)  # units, reported, score now, before, change, inspection score
    programs: list[Row] = field(default_factory=list)  # «انجام شد» share per quarter, change last vs the one before
    program_quarters: list[str] = field(default_factory=list)
    targets: list[Row] = field(default_factory=list)  # offices, met, percent
    satisfaction: list[Row] = field(default_factory=list)  # surveys, respondents, mean
    inspection_dimensions: list[Figure] = field(default_factory=list)
    ranking: list[hq_ranking.UnitScore] = field(default_factory=list)
    method: hq_ranking.Method | None = None

    def improved(self, count: int = 5) -> list[Figure]:
        return sorted((f for f in self._compared() if f.gain and f.gain > 0), key=lambda f: -f.gain)[:count]

    def worse(self, count: int = 5) -> list[Figure]:
        return sorted((f for f in self._compared() if f.gain and f.gain < 0), key=lambda f: f.gain)[:count]

    def _compared(self) -> list[Figure]:
        """Shares and scores only: a count's change (visits, units) is not comparable with them."""
        return [f for f in (*self.key_figures, *self.indicators, *self.inspection_dimensions) if f.percent]


def _mean(values) -> float | None:
    values = [v for v in values if v is not None]
    return round(sum(values) / len(values), 2) if values else None


def previous_year(period: str) -> str:
    return str(int(period) - 1)


def build_progress(store: ReportStore, catalog: FormCatalog, period: str, scope_text: str = "", today: dt.date | None = None,
                   method: hq_ranking.Method | None = None) -> ProgressReport:  # fmt: skip
    """The progress report of the Jalali year ``period`` against the year before."""
    today = today or dt.date.today()
    report = ProgressReport(period, previous_year(period), scope_text)
    conn = store.conn
    try:
        annual = catalog.latest(hq_ranking.ANNUAL)
    except FormNotFound:
        annual = None
    if annual is not None:
        _annual(report, conn, annual)
    try:
        programs = catalog.latest(hq_ranking.PROGRAMS)
    except FormNotFound:
        programs = None
    surveys = analysis.survey_rows(store, programs, [f"{period}-Q{q}" for q in range(1, 5)]) if programs is not None else []
    if programs is not None:
        _programs(report, store, programs, surveys)
    every = hq_inspections.visits(store, catalog)  # read once, for the inspections and the ranking
    _inspections(report, every, catalog, today)
    report.method = method or hq_ranking.load_method()
    chosen = [v for v in every if hq_inspections.in_period(v.period, period)]
    report.ranking = hq_ranking.combined_ranking(store, catalog, period, report.method, chosen, surveys)
    return report


def _annual(report: ProgressReport, conn, form: FormDefinition) -> None:
    now_status = hq_completeness.completeness(conn, form, report.period)
    before_status = hq_completeness.completeness(conn, form, report.previous)
    now_scores, before_scores = analysis.scores(conn, form, report.period), analysis.scores(conn, form, report.previous)

    def on_time(status) -> float | None:
        c = status.counts
        return round(100 * c.on_time / c.units, 2) if c.units else None

    report.key_figures += [
        Figure("annual.units", "واحدهای موظف به گزارش سالانه", now_status.counts.units, before_status.counts.units, percent=False),
        Figure("annual.reported", "درصد واحدهایی که گزارش سالانه فرستاده اند", now_status.counts.percent, before_status.counts.percent),
        Figure("annual.on_time", "درصد واحدهایی که گزارش را به موقع فرستاده اند", on_time(now_status), on_time(before_status)),
        Figure("annual.score", "میانگین امتیاز گزارش های سالانه", _mean(s.score for s in now_scores), _mean(s.score for s in before_scores)),
    ]
    now_shares, before_shares = analysis.status_shares(conn, form, report.period), analysis.status_shares(conn, form, report.previous)
    for indicator in form.indicators:
        label = f"شاخص {to_persian_digits(indicator.number)}: {indicator.title}"
        now, before = now_shares.share("", indicator.id), before_shares.share("", indicator.id)
        report.indicators.append(Figure(f"annual.{indicator.id}", label, None if now is None else round(now, 2), None if before is None else round(before, 2)))
    by_province_now = {r.province: r.counts for r in now_status.by_province()}
    score_now, score_before = _group_scores(now_scores, lambda s: s.province), _group_scores(before_scores, lambda s: s.province)
    for key, name in PROVINCES.items():
        counts = by_province_now.get(key)
        if counts is None or not counts.units:
            continue
        report.provinces.append(Row(key, name, [counts.percent, score_now.get(key), score_before.get(key), _diff(score_now.get(key), score_before.get(key)), None]))
    names = dict(conn.execute("SELECT id, name FROM org_unit"))
    agency_of = {u.unit_id: hq_inspections.agency_of(u.name) for u in now_status.units}
    reported: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for unit in now_status.units:
        reported[agency_of[unit.unit_id]][0] += 1
        reported[agency_of[unit.unit_id]][1] += unit.reported

    def agency(score) -> str:
        return agency_of.get(score.office_id) or hq_inspections.agency_of(names.get(score.office_id) or score.agency)

    a_now, a_before = _group_scores(now_scores, agency), _group_scores(before_scores, agency)
    for key in sorted(set(reported) | set(a_now)):
        units, sent = reported.get(key, [0, 0])
        report.agencies.append(Row(key, key, [units, sent, a_now.get(key), a_before.get(key), _diff(a_now.get(key), a_before.get(key)), None]))


def _group_scores(scores, key) -> dict[str, float | None]:
    groups: dict[str, list[float]] = defaultdict(list)
    for item in scores:
        groups[key(item)].append(item.score)
    return {k: _mean(v) for k, v in groups.items()}


def _diff(now: float | None, before: float | None) -> float | None:
    return None if now is None or before is None else round(now - before, 2)


def done_share(shares: analysis.StatusShares, indicators) -> float | None:
    """The share of «انجام شد» over the answers that are due (not «هنوز موعد …»), for ``indicators``."""
    done = due = 0
    for indicator in indicators:
        counts = shares.counts.get(("", indicator.id), {})
        done += counts.get("done", 0)
        due += sum(counts.values()) - counts.get(NOT_DUE, 0)
    return round(100 * done / due, 2) if due else None


def _programs(report: ProgressReport, store: ReportStore, form: FormDefinition, surveys: list) -> None:
    conn = store.conn
    quarters = [f"{report.period}-Q{q}" for q in range(1, 5)]
    shares = {q: analysis.status_shares(conn, form, q) for q in quarters}
    with_data = [q for q in quarters if shares[q].reports.get("", 0)]
    report.program_quarters = quarters
    last = with_data[-1] if with_data else None
    before = with_data[-2] if len(with_data) > 1 else None
    for dimension in form.dimensions:
        values = [done_share(shares[q], dimension.indicators) for q in quarters]
        change = _diff(values[quarters.index(last)], values[quarters.index(before)]) if last and before else None
        report.programs.append(Row(dimension.id, f"{form.kind.dimension_word} {to_persian_digits(dimension.number)}: {dimension.title}", [*values, change]))
    every = [i for d in form.dimensions for i in d.indicators]
    done = [done_share(shares[q], every) for q in quarters]
    report.key_figures.append(Figure("programs.reports", "گزارش های سه ماهه رسیده در سال", sum(shares[q].reports.get("", 0) for q in quarters), None, percent=False))
    if last:
        report.key_figures.append(
            Figure("programs.done", "سهم اقدام های «انجام شد» در آخرین سه ماهه (در برابر سه ماهه پیش از آن)", done[quarters.index(last)],
                   done[quarters.index(before)] if before else None)  # fmt: skip
        )
        for target in analysis.target_shares(store, form, last):
            indicator = form.indicator(target.indicator_id)
            report.targets.append(Row(indicator.id, f"{to_persian_digits(indicator.number)}. {indicator.title}", [target.offices, target.met, target.percent]))
    for item in analysis.satisfaction(store, form, with_data, surveys) if with_data else []:  # the year's quarters together
        report.satisfaction.append(Row(item.group, item.label, [item.surveys, item.respondents, item.mean]))


def _inspections(report: ProgressReport, every: list[hq_inspections.Visit], catalog: FormCatalog, today: dt.date) -> None:
    now = [v for v in every if hq_inspections.in_period(v.period, report.period)]
    before = [v for v in every if hq_inspections.in_period(v.period, report.previous)]
    if not every:
        return
    opened = hq_inspections.open_findings(every)
    g_now = hq_inspections.rollup(now, every, None, today, opened)
    g_before = hq_inspections.rollup(before, [v for v in every if v.period.year <= int(report.previous)], None, today)
    first_now, first_before = (g_now[0] if g_now else None), (g_before[0] if g_before else None)

    def value(group, attribute):
        return None if group is None else getattr(group, attribute)

    report.key_figures += [
        Figure("inspections.visits", "بازدیدهای بازرسی مشترک", value(first_now, "visits") or 0, value(first_before, "visits") or 0, percent=False),
        Figure("inspections.score", "میانگین امتیاز بازدیدهای بازرسی", value(first_now, "mean_score"), value(first_before, "mean_score")),
        Figure("inspections.open", "یافته های باز بازرسی", value(first_now, "open_findings") or 0, value(first_before, "open_findings"), percent=False, higher_is_better=False),
        Figure("inspections.overdue", "یافته های با مهلت گذشته", value(first_now, "overdue_findings") or 0, value(first_before, "overdue_findings"), percent=False, higher_is_better=False),
        Figure("inspections.contradictions", "مغایرت بازرسی با خوداظهاری", value(first_now, "contradictions") or 0, value(first_before, "contradictions"), percent=False, higher_is_better=False),
    ]  # fmt: skip
    means_now, means_before = hq_inspections.mean_by(now, "by_dimension"), hq_inspections.mean_by(before, "by_dimension")
    try:
        titles = {d.id: d.title for d in catalog.latest(hq_inspections.INSPECTION_FORM_ID).dimensions}
    except FormNotFound:
        titles = {}
    for key in sorted(set(means_now) | set(means_before)):
        label = f"بازرسی، {titles.get(key, key)}"
        report.inspection_dimensions.append(Figure(f"inspections.{key}", label, means_now.get(key, (None, 0))[0], means_before.get(key, (None, 0))[0]))
    by_province = {g.key: g.mean_score for g in hq_inspections.rollup(now, every, "province", today, opened)}
    by_agency = {g.key: g.mean_score for g in hq_inspections.rollup(now, every, "agency", today, opened)}
    for row in report.provinces:
        row.values[-1] = by_province.get(row.key)
    for row in report.agencies:
        row.values[-1] = by_agency.get(row.key)
