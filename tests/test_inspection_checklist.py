"""Issue 15: the unified inspection checklist as data, the visit period, and what a visit found —
scores, findings, contradictions with the annual self-report, follow-up of an earlier visit."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
import yaml

from citizen_rights_desktop.editing.inspection_demo import team_office, visit_report
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.form.definition import FormDefinitionError
from citizen_rights_desktop.form.loader import parse_form
from citizen_rights_desktop.form.periods import InvalidPeriod, parse_period
from citizen_rights_desktop.report.inspection import contradictions, findings, follow_up, visit_scores
from citizen_rights_desktop.report.model import SectionAnswer
from citizen_rights_desktop.report.relevance import asked_fields
from citizen_rights_desktop.report.validation import validate_report

FORMS = Path(__file__).resolve().parent.parent / "forms"
FINDING = {"corrective_action", "responsible", "corrective_deadline"}


@pytest.fixture(scope="module")
def checklist():
    return FormCatalog().latest("joint_inspection")


@pytest.fixture(scope="module")
def annual():
    return FormCatalog().latest("citizen_rights_annual")


def test_the_checklist_is_grouped_by_the_seven_dimensions_and_names_its_sources(checklist, annual):
    assert checklist.kind.period == "visit" and checklist.kind.filled_by == ("inspection_team",)
    assert [d.id for d in checklist.dimensions] == [d.id for d in annual.dimensions]
    assert [d.title for d in checklist.dimensions] == [d.title for d in annual.dimensions]  # verbatim
    assert len(checklist.indicators) >= 28
    articles = {a for a, _ in checklist.rights}
    assert articles == set(range(3, 14))
    for item in checklist.indicators:
        assert any(word in item.references for word in ("ماده", "مواد", "شاخص")), item.id
        assert item.rights and set(item.rights) <= articles, item.id
        assert all(annual.has_indicator(i) for i in item.self_report), item.id
    # what the self-report leaves out (privacy) is checked, with no self-report to compare with
    privacy = [i for i in checklist.indicators if 7 in i.rights and not i.self_report]
    assert privacy
    words = " ".join(i.title for i in checklist.indicators)
    for observable in ("نوبت", "شکایات", "توانخواه", "حریم خصوصی", "کمیته"):
        assert observable in words
    # the three recipients of seed 000, item 6
    assert checklist.kind.recipients == ("رؤسای دستگاه های اجرایی", "شورای راهبری توسعه مدیریت استان", "ستاد صیانت از حریم امنیت عمومی و حقوق شهروندی استان")


def test_a_finding_asks_its_corrective_action_and_only_a_finding_does(checklist):
    item = checklist.indicators[0]
    asked = {s.id: {f.id for f in asked_fields(item, SectionAnswer(status=s.id))} for s in checklist.statuses}
    assert FINDING <= asked["partly"] and FINDING <= asked["not_compliant"]
    assert not FINDING & asked["compliant"] and asked["not_applicable"] == set()
    assert {s.id: s.score for s in checklist.statuses} == {"compliant": 1.0, "partly": 0.5, "not_compliant": 0.0, "not_applicable": None}


def test_a_visit_period_is_a_date_and_the_inspected_office():
    period = parse_period("۱۳۹۹/۰۷/۱۵@fars-sabt-shiraz", "visit")
    assert (period.text, period.label_fa, period.subject, period.quarter_of_year) == ("1399-07-15@fars-sabt-shiraz", "بازدید ۱۵ مهر ۱۳۹۹", "fars-sabt-shiraz", 3)
    for bad in ("1399-07-15", "1399-12-31@x", "1399-07-15@a b", "1399@x", "1399-Q3", "", "1399-07-15@" + "x" * 65):
        with pytest.raises(InvalidPeriod):
            parse_period(bad, "visit")


def _data() -> dict:
    return yaml.safe_load((FORMS / "joint-inspection-1399.yaml").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "change, words",
    [
        (lambda d: d["statuses"][0].update(score=2), "'score' must be a number from 0 to 1"),
        (lambda d: d["statuses"][1].update(score=True), "'score' must be a number from 0 to 1"),
        (lambda d: d.pop("finding_fields"), "needs 'finding_fields'"),
        (lambda d: d["dimensions"][0]["indicators"][0].update(rights=[2]), "articles 3 to 13"),
        (lambda d: d["dimensions"][0]["indicators"][0].update(self_report=["I01; drop"]), "'self_report' must be a list"),
        (lambda d: d["dimensions"][0]["indicators"][0]["fields"].append({"id": "responsible", "label": "x", "type": "text"}), "is a finding field"),
        (lambda d: d["kind"].update(recipients="all"), "'recipients' must be a list"),
        (lambda d: d["rights"].pop(), "are not in the form's 'rights'"),
        (lambda d: d["opening"].update(id="header"), "duplicate id 'header'"),
    ],
)
def test_a_broken_checklist_is_refused_with_the_reason(change, words):
    data = copy.deepcopy(_data())
    change(data)
    with pytest.raises(FormDefinitionError) as refused:
        parse_form(data, "checklist")
    assert words in str(refused.value)


def test_scores_per_dimension_right_and_overall_recomputed_by_hand(checklist):
    report = visit_report(checklist, team_office())
    given = {"compliant": 1.0, "partly": 0.5, "not_compliant": 0.0}
    scores = visit_scores(checklist, report)
    for dimension in checklist.dimensions:
        marks = [given[s] for s in (report.section(i.id).status for i in dimension.indicators) if s in given]
        assert scores.by_dimension[dimension.id].percent == round(100 * sum(marks) / len(marks), 1)
    for right in range(3, 14):
        marks = [given[report.section(i.id).status] for i in checklist.indicators if right in i.rights and report.section(i.id).status in given]
        assert scores.by_right[right].scored == len(marks)
    marks = [given[report.section(i.id).status] for i in checklist.indicators if report.section(i.id).status in given]
    assert scores.overall.scored == len(checklist.indicators) - 1  # the one «مصداق ندارد» is left out
    assert scores.overall.percent == round(100 * sum(marks) / len(marks), 1) and 0 < scores.overall.percent < 100


def test_the_demo_visit_is_complete_and_its_findings_carry_their_corrective_actions(checklist):
    office = team_office()
    report = visit_report(checklist, office)
    assert validate_report(checklist, report, office).problems == []
    found = findings(checklist, report)
    assert len(found) == 4 and {f.status for f in found} == {"partly", "not_compliant"}
    assert all(f.corrective_action and f.responsible and f.deadline > "2020-10-06" for f in found)
    # a finding without its corrective action, or a team without the Ministry of Interior, is incomplete
    first = found[0].indicator_id
    report.sections[first].values.pop("corrective_action")
    report.sections[checklist.opening.id].tables["members"] = [r for r in report.sections["team"].tables["members"] if r.cells["organization"] != "moi"]
    problems = {(p.section_id, p.item) for p in validate_report(checklist, report, office).problems}
    assert (first, "corrective_action") in problems
    assert any(section == "team" for section, _ in problems)


def test_contradictions_are_items_found_not_compliant_that_the_annual_report_answered_yes(checklist):
    report = visit_report(checklist, team_office())
    not_compliant = [i for i in checklist.indicators if report.section(i.id).status == "not_compliant" and i.self_report]
    partly = [i for i in checklist.indicators if report.section(i.id).status == "partly" and i.self_report]
    assert not_compliant and partly
    claims = {i.self_report[0]: "yes" for i in not_compliant + partly}
    found = contradictions(checklist, report, claims)
    assert [c.indicator_id for c in found] == [i.id for i in not_compliant]  # «تا حدودی» is no contradiction
    assert contradictions(checklist, report, {k: "no" for k in claims}) == []  # a «خیر» claims nothing
    assert contradictions(checklist, report, {}) == []


def test_a_follow_up_visit_says_which_earlier_findings_were_resolved(checklist):
    office = team_office()
    earlier = visit_report(checklist, office, day="02-10")
    later = visit_report(checklist, office, day="07-15")
    first, second, *rest = findings(checklist, earlier)
    later.sections[first.indicator_id] = SectionAnswer(status="compliant")
    later.sections[second.indicator_id] = SectionAnswer(status="not_compliant")
    del later.sections[rest[0].indicator_id]
    outcome = {f.finding.indicator_id: (f.now, f.resolved) for f in follow_up(checklist, later, earlier, checklist)}
    assert outcome[first.indicator_id] == ("compliant", True)
    assert outcome[second.indicator_id] == ("not_compliant", False)
    assert outcome[rest[0].indicator_id] == (None, False)
