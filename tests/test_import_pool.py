"""Issue 16: importing with worker processes gives exactly what the importing process alone gives:
the same outcomes and refusals, in the order given, each batch committed before it is reported."""

from __future__ import annotations

import copy

from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.hq.import_pool import import_many_pooled
from storage import hq_store


def _bundles(w, tmp_path):
    good = w.build()
    revised = copy.deepcopy(w.report)
    revised.revision = 2
    next(s for s in revised.sections.values() if s.status == "no").reason = "دلیل دیگر"
    second = w.build(report=revised)
    tampered = bytearray(good)
    tampered[len(tampered) // 2] ^= 0x55
    big = tmp_path / "file.crb"
    big.write_bytes(second)
    return [("good", good), ("again", good), ("tampered", bytes(tampered)), ("garbage", b"not a bundle"), ("file", big), ("older", good)]


def _summary(results):
    return [(key, outcome.code if isinstance(outcome, BundleRefused) else outcome.status) for key, outcome in results]


def test_worker_processes_give_the_same_outcomes_in_the_same_order(w, tmp_path):
    items = _bundles(w, tmp_path)
    first, second = w.hq_copy(tmp_path), w.hq_copy(tmp_path)
    with w.importer(first, pdf_check="fast") as importer:
        alone = _summary(importer.import_many([(k, lambda v=v: v) for k, v in items], batch_size=2))
    with w.importer(second, pdf_check="fast") as importer:
        pooled = _summary(import_many_pooled(importer, [(k, lambda v=v: v) for k, v in items], workers=2, batch_size=2))
    assert pooled == alone
    assert [s for _, s in pooled][:2] == [hq_store.IMPORTED, hq_store.IDENTICAL] and pooled[4][1] == hq_store.SUPERSEDED
    assert pooled[5][1] == hq_store.OLDER
    count = "SELECT count(*), group_concat(revision) FROM hq_submission"
    assert first.conn.execute(count).fetchone() == second.conn.execute(count).fetchone()
    first.close()
    second.close()


def test_a_pdf_check_the_caller_passed_in_is_still_the_one_used(w, tmp_path):
    items = [("with-pdf", w.build(pdf=b"%PDF-1.7 not really signed"))]
    database = w.hq_copy(tmp_path)
    calls = []

    def check(pdf, expected):
        calls.append(pdf)
        return False, "the signature does not cover the document"

    with w.importer(database, pdf_check=check) as importer:
        results = list(import_many_pooled(importer, [(k, lambda v=v: v) for k, v in items], workers=2))
    assert calls == [b"%PDF-1.7 not really signed"]  # made here, by the caller's check, not in a worker
    assert isinstance(results[0][1], BundleRefused) and results[0][1].code == "pdf_signature_invalid"
    database.close()


def test_groups_stored_by_two_workers_at_once_end_in_the_same_database(w, tmp_path, monkeypatch):
    """Each worker stores its own groups, in the order they were handed out: two revisions of one
    report in groups checked at the same time are stored as one process stores them (the earlier
    kept as history), whichever worker finishes its checks first."""
    from citizen_rights_desktop.hq import import_pool

    monkeypatch.setattr(import_pool, "GROUP", 2)
    waiting = import_pool._wait_turn

    def first_group_late(number):  # the first group (revision 1) finishes its checks last (in a forked worker)
        if number == 0:
            import time

            time.sleep(0.5)
        waiting(number)

    monkeypatch.setattr(import_pool, "_wait_turn", first_group_late)
    items = _bundles(w, tmp_path) * 2
    first, second = w.hq_copy(tmp_path), w.hq_copy(tmp_path)
    with w.importer(first, pdf_check="fast") as importer:
        alone = _summary(importer.import_many([(k, lambda v=v: v) for k, v in items]))
    with w.importer(second, pdf_check="fast") as importer:
        pooled = _summary(import_many_pooled(importer, [(k, lambda v=v: v) for k, v in items], workers=2))
    assert pooled == alone  # every bundle answered, in the order given, as one process answers
    state = "SELECT count(*), group_concat(revision), sum(superseded_by IS NULL) FROM (SELECT * FROM hq_submission ORDER BY revision)"
    assert first.conn.execute(state).fetchone() == second.conn.execute(state).fetchone() == (2, "1,2", 1)
    first.close()
    second.close()
