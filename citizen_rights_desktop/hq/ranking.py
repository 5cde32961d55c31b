"""The combined ranking (issue 16; seed 003, duty 11): each unit's self-report score, inspection
score and satisfaction, weighted by the method in ``resources/ranking/ranking-method.yaml`` (its
docstring there says how), ranked with shared ranks (``analysis.competition_ranks``).

Everything here reads the scoped connection (``hq.scope``): a ranking filtered to a province
ranks that province's units. Call ``digest.refresh_digests`` first.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from citizen_rights_desktop.files import atomic_writer
from citizen_rights_desktop.form.catalog import FormCatalog, FormNotFound
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq import inspections as hq_inspections
from citizen_rights_desktop.paths import ranking_method_path
from citizen_rights_desktop.report.office import LEVELS, PROVINCES
from storage.report_store import ReportStore

COMPONENTS = ("self_report", "inspection", "satisfaction")
ANNUAL, PROGRAMS = "citizen_rights_annual", "citizen_rights_programs"


class BadMethod(ValueError):
    def __init__(self, message_en: str):
        self.message_en = message_en
        self.message_fa = "فایل روش رتبه‌بندی معتبر نیست."
        super().__init__(message_en)


@dataclass(frozen=True)
class Component:
    id: str
    label: str
    weight: float


@dataclass(frozen=True)
class Method:
    id: str
    version: str
    title: str
    components: tuple[Component, ...]
    required: tuple[str, ...]


def load_method(path: str | os.PathLike | None = None) -> Method:
    """The ranking method (``BadMethod`` with the reason when the file is not one)."""
    path = Path(path or ranking_method_path())
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise BadMethod(f"cannot read the ranking method {path}: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("components"), list):
        raise BadMethod(f"{path}: needs 'components', a list of {{id, label, weight}}")
    components = []
    for raw in data["components"]:
        weight = raw.get("weight") if isinstance(raw, dict) else None
        if not isinstance(raw, dict) or raw.get("id") not in COMPONENTS or isinstance(weight, bool) or not isinstance(weight, (int, float)) or weight < 0:
            raise BadMethod(f"{path}: each component needs an id among {', '.join(COMPONENTS)} and a weight of zero or more")
        components.append(Component(raw["id"], str(raw.get("label") or raw["id"]), float(weight)))
    if len({c.id for c in components}) != len(components) or sum(c.weight for c in components) <= 0:
        raise BadMethod(f"{path}: components must be distinct and their weights must not all be zero")
    required = data.get("required") or []
    if not isinstance(required, list) or not set(required) <= {c.id for c in components}:
        raise BadMethod(f"{path}: 'required' must list components of the method")
    return Method(str(data.get("id", "")), str(data.get("version", "")), str(data.get("title", "")), tuple(components), tuple(required))


@dataclass
class UnitScore:
    office_id: str
    name: str
    province: str
    level: str
    parts: dict[str, float] = field(default_factory=dict)  # component id → score (percent)
    combined: float | None = None
    rank: int | None = None

    def used(self, method: Method) -> list[str]:
        return [c.id for c in method.components if c.id in self.parts and c.weight > 0]


def office_satisfaction(store: ReportStore, catalog: FormCatalog, year: int, rows: list | None = None) -> dict[str, float]:
    """Each office's mean survey satisfaction over its current quarterly reports of ``year``,
    weighted by respondents (seed 002, rule 8: ``form.satisfaction``); ``rows``: the year's
    ``analysis.survey_rows`` when the caller has them already."""
    if rows is None:
        try:
            form = catalog.latest(PROGRAMS)  # ids are stable across versions
        except FormNotFound:
            return {}
        rows = analysis.survey_rows(store, form, [f"{year}-Q{q}" for q in range(1, 5)])
    sums: dict[str, list[float]] = defaultdict(lambda: [0.0, 0.0])
    for office_id, _, weight, score in rows:
        sums[office_id][0] += weight
        sums[office_id][1] += weight * score
    return {office: round(total / weight, 2) for office, (weight, total) in sums.items() if weight}


def combined_ranking(
    store: ReportStore, catalog: FormCatalog, year: str, method: Method, visits: list | None = None, surveys: list | None = None
) -> list[UnitScore]:
    """Every unit with a component in ``year``, scored and ranked by ``method`` (module docstring);
    ``visits``: the year's inspection visits when the caller has them already."""
    conn = store.conn
    units: dict[str, UnitScore] = {}
    names = dict(conn.execute("SELECT id, name FROM org_unit"))
    offices = {row[0]: row[1:] for row in conn.execute("SELECT id, agency, province, level FROM office")}

    def unit(office_id: str) -> UnitScore:
        if office_id not in units:
            agency, province, level = offices.get(office_id, ("", "", ""))
            units[office_id] = UnitScore(office_id, names.get(office_id) or agency or office_id, province or "", level or "")
        return units[office_id]

    try:
        annual = catalog.latest(ANNUAL)
        for score in analysis.scores(conn, annual, year):
            unit(score.office_id).parts["self_report"] = max(score.score, unit(score.office_id).parts.get("self_report", 0.0))
    except FormNotFound:
        pass
    by_office: dict[str, list[float]] = defaultdict(list)
    for visit in hq_inspections.visits(store, catalog, year) if visits is None else visits:
        if visit.score is not None:
            by_office[visit.office_id].append(visit.score)
    for office_id, values in by_office.items():
        unit(office_id).parts["inspection"] = round(sum(values) / len(values), 2)
    for office_id, value in office_satisfaction(store, catalog, int(year), surveys).items():
        unit(office_id).parts["satisfaction"] = value
    for item in units.values():
        if not all(r in item.parts for r in method.required):
            continue
        used = [c for c in method.components if c.id in item.parts and c.weight > 0]
        total = sum(c.weight for c in used)
        if total > 0:
            item.combined = round(sum(c.weight * item.parts[c.id] for c in used) / total, 2)
    ranks = analysis.competition_ranks((u.office_id, u.name, u.combined, 1) for u in units.values())
    out = []
    for rank in ranks:
        item = units[rank.key]
        item.rank = rank.rank
        out.append(item)
    return out


def write_ranking_csv(ranking: list[UnitScore], method: Method, path: str | os.PathLike) -> Path:
    """The ranking fit for publication: UTF-8 with a byte-order mark (Excel reads the Persian),
    one row per unit with its id, province, level, each component and the combined score."""
    path = Path(path)
    header = ["رتبه", "شناسه واحد", "دستگاه / واحد", "استان", "سطح", *(c.label for c in method.components), "امتیاز ترکیبی", "اجزای به کار رفته"]
    with atomic_writer(path, "w", encoding="utf-8-sig", newline="", make_parents=True) as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for u in ranking:
            writer.writerow([
                u.rank if u.rank is not None else "", u.office_id, u.name, PROVINCES.get(u.province, u.province), LEVELS.get(u.level, u.level),
                *(u.parts.get(c.id, "") for c in method.components), "" if u.combined is None else u.combined, " + ".join(u.used(method)),
            ])  # fmt: skip
    return path
