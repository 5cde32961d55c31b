"""The answers-document reader never fails with anything but AnswersDocumentError (hostile input)."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from citizen_rights_desktop.report import answers_document
from citizen_rights_desktop.report.answers_document import (
    AnswersDocumentError,
    from_document,
    loads,
    to_document,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4),
    max_leaves=25,
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(json_values)
def test_arbitrary_json_never_crashes(data):
    try:
        from_document(data)
    except AnswersDocumentError:
        pass


def _real_document(store, demo_id):
    report = store.load_report(demo_id)
    content = {ev.sha256: store.evidence_bytes(ev.sha256) for s in report.sections.values() for ev in s.evidence}
    return to_document(report, store.get_office(report.office_id), content)


def _paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*prefix, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*prefix, index))


def test_mutations_of_a_real_document(store, demo_id):
    document = _real_document(store, demo_id)
    report, office, blobs = from_document(json.loads(json.dumps(document)))
    assert report.id == demo_id and office is not None and blobs

    paths = [p for p in _paths(document) if p]

    @settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)
    @given(st.sampled_from(paths), json_values)
    def mutate(path, replacement):
        copy = json.loads(json.dumps(document))
        node = copy
        for key in path[:-1]:
            node = node[key]
        node[path[-1]] = replacement
        try:
            from_document(copy)
        except AnswersDocumentError:
            pass

    mutate()


def test_text_that_is_not_json():
    for text in ("", "[", "{" * 100_000, '{"format": "citizen-rights-answers", "format_version": 1}'):
        try:
            loads(text)
        except AnswersDocumentError:
            continue


def test_dumps_is_stable(store, demo_id):
    document = _real_document(store, demo_id)
    assert answers_document.dumps(document) == answers_document.dumps(json.loads(answers_document.dumps(document)))


_HOSTILE_FRAGMENTS = ["1" * 5000, '"\\ud800"', '"\\udfff\\ud800"', "1e999", "-1e999", "[" * 3000, '{"a":' * 3000, "NaN", "Infinity", '"\\u202e"', "null"]


def test_hostile_text_is_only_ever_refused_by_loads_and_the_form_check(store, demo_id):
    """Issue 12: the reader of outside answers documents (JSON import, bundles) raises nothing but
    AnswersDocumentError, whatever a hostile sender puts where; the form check returns problems."""
    from citizen_rights_desktop.form.catalog import FormCatalog
    from tests.conftest import ROOT

    text = answers_document.dumps(_real_document(store, demo_id))
    form = FormCatalog(ROOT / "forms").latest()

    @settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture], deadline=None)
    @given(st.sampled_from(_HOSTILE_FRAGMENTS), st.integers(min_value=0, max_value=len(text)), st.text(max_size=20))
    def insert(fragment, position, noise):
        candidate = text[:position] + fragment + noise + text[position:]
        try:
            report, _, _ = loads(candidate)
        except AnswersDocumentError:
            return
        assert isinstance(answers_document.structural_problems(form, report), list)

    insert()

    # and each fragment as a value where a reason was: refused or a problem, never an exception
    document = _real_document(store, demo_id)
    section = next(k for k, v in document["sections"].items() if isinstance(v, dict) and v.get("reason"))
    for fragment in _HOSTILE_FRAGMENTS:
        candidate = text.replace(json.dumps(document["sections"][section]["reason"], ensure_ascii=False), fragment, 1)
        try:
            report, _, _ = loads(candidate)
        except AnswersDocumentError:
            continue
        assert isinstance(answers_document.structural_problems(form, report), list)
