"""``hq.kind_figures`` (issue 16): the quarterly program report's figures the headquarters window
shows — recomputed here independently from the digests' answer codes, and checked against the
functions ``hq analyse --kind`` and the progress report use."""

from __future__ import annotations

import pytest

from citizen_rights_desktop.editing.digest import refresh_digests
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import analysis
from citizen_rights_desktop.hq.demo import fill_demo
from citizen_rights_desktop.hq.kind_figures import due_share, kind_figures
from citizen_rights_desktop.hq.progress import done_share
from storage import ReportStore, open_database


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    path = tmp_path_factory.mktemp("hq-kind-figures") / "hq.sqlite3"
    database = open_database(path, take_backups=False)
    catalog = FormCatalog()
    fill_demo(database, catalog, 70, seed=11)
    store = ReportStore(database, actor="tester")
    refresh_digests(store, catalog)
    yield store, catalog.latest("citizen_rights_programs")
    database.close()


def codes_of(store, form, period: str) -> list[str]:
    """Each current report's answer codes, one character per action (the digests, read directly)."""
    return [row[0] for row in store.conn.execute(
        "SELECT d.statuses FROM report_digest d JOIN hq_submission s ON s.report_id = d.report_id"
        " WHERE d.form_id = ? AND d.period = ? AND s.superseded_by IS NULL", (form.id, period))]  # fmt: skip


def test_the_share_carried_out_is_done_over_the_due_answers(demo):
    store, form = demo
    figures = kind_figures(store, form, "1399-Q3")
    codes = codes_of(store, form, "1399-Q3")
    code = {s.id: s.code for s in form.statuses}
    position = {indicator.id: i for i, indicator in enumerate(form.indicators)}
    assert figures.reports == len(codes) > 0 and figures.previous == "1399-Q2" and figures.status == "done"
    assert figures.reports_before == len(codes_of(store, form, "1399-Q2"))
    left_out_somewhere = False
    for action in figures.actions():
        column = [c[position[action.indicator_id]] for c in codes]
        due = [c for c in column if c != code["not_due"]]
        left_out_somewhere |= len(due) < len(column)
        expected = round(100 * due.count(code["done"]) / len(due), 2) if due else None
        assert action.share == expected
        assert action.counts["done"] == column.count(code["done"]) and action.counts["not_due"] == column.count(code["not_due"])
    assert left_out_somewhere  # the demo answers «هنوز موعد …» sometimes: the rule is exercised
    for program in figures.programs():
        dimension = next(d for d in form.dimensions if d.id == program.dimension_id)
        column = [c[position[i.id]] for c in codes for i in dimension.indicators]
        due = [c for c in column if c != code["not_due"]]
        assert program.share == (round(100 * due.count(code["done"]) / len(due), 2) if due else None)
        assert program.share == done_share(figures.now, dimension.indicators)  # the progress report's rule
        assert program.change == (None if program.before is None else round(program.share - program.before, 2))


def test_targets_satisfaction_and_counts_are_those_of_hq_analyse(demo):
    store, form = demo
    figures = kind_figures(store, form, "1399-Q4")
    shares = analysis.status_shares(store.conn, form, "1399-Q4")
    assert {a.indicator_id: a.counts for a in figures.actions()} == {
        i.id: {**dict.fromkeys(figures.statuses, 0), **shares.counts[("", i.id)]} for i in form.indicators
    }
    assert list(figures.targets.values()) == analysis.target_shares(store, form, "1399-Q4")
    assert list(figures.satisfaction.values()) == analysis.satisfaction(store, form, "1399-Q4")
    by_program = {p.dimension_id: p.satisfaction for p in figures.programs()}
    assert by_program["g"] is None and all(by_program[f"p{n}"] is figures.satisfaction[f"p{n}"] for n in range(1, 10))


def test_a_first_quarter_compares_with_the_last_quarter_of_the_year_before(demo):
    store, form = demo
    figures = kind_figures(store, form, "1399-Q1")
    assert figures.previous == "1398-Q4" and figures.reports_before == 0
    assert all(a.before is None and a.change is None for a in figures.actions())
    assert due_share(analysis.StatusShares(), form.indicators, "done") is None


def test_the_cli_shows_the_same_done_share_as_the_window_and_refuses_the_annual_exports(demo, tmp_path, capsys):
    from citizen_rights_desktop.cli.main import main

    store, form = demo
    path = str(store.database.path)
    figures = kind_figures(store, form, "1399-Q3")
    assert main(["hq", "analyse", "--db", path, "--kind", form.id, "--period", "1399-Q3"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for action in figures.actions()[:6]:
        shown = [text for text in lines if text.startswith(f"  {action.indicator_id} ")]
        expected = "-" if action.share is None else f"{action.share:.1f}%"
        assert len(shown) == 2 and all(expected in text.split() for text in shown), (action.indicator_id, expected, shown)  # shares, then now vs before
    assert main(["hq", "export", "--db", path, "--kind", form.id, "--period", "1399-Q3", "--xlsx", str(tmp_path / "a.xlsx")]) == 2
    assert "hq progress-report" in capsys.readouterr().err and not (tmp_path / "a.xlsx").exists()
