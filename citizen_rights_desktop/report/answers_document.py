"""The answers document: a report as one JSON file, keyed by the form's stable ids.

Used by ``report export-json`` / ``import-json`` and inside bundles. The format is documented in
the README; reading it is strict, since the file may come from anywhere: anything malformed is an
``AnswersDocumentError`` with a one-line reason, never another exception.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
from typing import Any

from citizen_rights_desktop.form.definition import NUMERIC_TYPES, Field, FormDefinition
from citizen_rights_desktop.form.values import check_stored_value, within_limits
from citizen_rights_desktop.report.model import EvidenceRef, Report, Row, SectionAnswer
from citizen_rights_desktop.report.office import OfficeProfile

FORMAT = "citizen-rights-answers"
FORMAT_VERSION = 1
_SHA = re.compile(r"^[0-9a-f]{64}$")
MAX_INT_DIGITS = 4000  # below Python's own 4,300-digit limit, past which json.loads raises a bare ValueError
_SQLITE_INT_MAX = 2**63 - 1  # the largest whole number SQLite stores


class AnswersDocumentError(ValueError):
    pass


def to_document(report: Report, office: OfficeProfile | None, evidence_content: dict[str, bytes] | None = None) -> dict[str, Any]:
    """The document for ``report``; ``evidence_content`` (sha256 → bytes) embeds the files."""
    sections: dict[str, Any] = {}
    for section_id in sorted(report.sections):
        answer = report.sections[section_id]
        evidence = []
        for ev in answer.evidence:
            item = {"id": ev.id, "sha256": ev.sha256, "name": ev.name, "size": ev.size, "mime": ev.mime, "added_at": ev.added_at}
            if evidence_content is not None:
                item["content_base64"] = base64.b64encode(evidence_content[ev.sha256]).decode("ascii")
            evidence.append(item)
        sections[section_id] = {
            "status": answer.status,
            "reason": answer.reason,
            "justification": answer.justification,
            "values": dict(sorted(answer.values.items())),
            "tables": {t: [{"id": r.id, "cells": dict(sorted(r.cells.items()))} for r in rows] for t, rows in sorted(answer.tables.items())},
            "evidence": evidence,
        }
    office_data = None
    if office is not None:
        office_data = {k: getattr(office, k) for k in OfficeProfile.__dataclass_fields__}
    return {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "form": {"id": report.form_id, "version": report.form_version},
        "report": {
            "id": report.id,
            "period": report.period,
            "revision": report.revision,
            "state": report.state,
            "created_at": report.created_at,
            "updated_at": report.updated_at,
        },
        "office": office_data,
        "header": dict(sorted(report.header.items())),
        "sections": sections,
    }


def dumps(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


def _require(cond: bool, message: str) -> None:
    if not cond:
        raise AnswersDocumentError(message)


def _obj(value: Any, where: str) -> dict:
    _require(isinstance(value, dict), f"{where} must be an object")
    return value


def _str(value: Any, where: str, optional: bool = False) -> str | None:
    if optional and value is None:
        return None
    _require(isinstance(value, str), f"{where} must be text")
    return value


def _int(value: Any, where: str) -> int:
    _require(isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= _SQLITE_INT_MAX, f"{where} must be a whole number")
    return value


def _answer_value(value: Any, where: str) -> Any:
    if isinstance(value, dict):
        _require(set(value) == {"typed"} and isinstance(value["typed"], str), f"{where} has an unknown value shape")
        return value
    _require(value is None or (isinstance(value, (str, int, float)) and not isinstance(value, bool)), f"{where} has a value of a wrong type")
    if isinstance(value, float):
        _require(value == value and value not in (float("inf"), float("-inf")), f"{where} is not a finite number")
    return value


def from_document(data: Any) -> tuple[Report, OfficeProfile | None, list[bytes]]:
    """Parse a document (already JSON-decoded): the report, its office and embedded evidence bytes."""
    doc = _obj(data, "the document")
    _require(doc.get("format") == FORMAT, f"not an answers document (format must be {FORMAT!r})")
    _require(doc.get("format_version") == FORMAT_VERSION, f"unsupported answers document version {doc.get('format_version')!r}")
    form = _obj(doc.get("form"), "form")
    meta = _obj(doc.get("report"), "report")
    report = Report(
        id=_str(meta.get("id"), "report.id"),
        office_id="",
        form_id=_str(form.get("id"), "form.id"),
        form_version=_str(form.get("version"), "form.version"),
        period=_str(meta.get("period"), "report.period"),
        revision=_int(meta.get("revision"), "report.revision"),
        state=_str(meta.get("state"), "report.state"),
        created_at=_str(meta.get("created_at"), "report.created_at"),
        updated_at=_str(meta.get("updated_at"), "report.updated_at"),
    )
    _require(bool(report.id) and re.fullmatch(r"[0-9A-Za-z_-]{1,64}", report.id) is not None, "report.id is not a valid id")
    _require(report.state in ("draft", "signed", "exported"), "report.state is not draft, signed or exported")
    office = None
    if doc.get("office") is not None:
        raw = _obj(doc["office"], "office")
        fields = list(OfficeProfile.__dataclass_fields__)
        _require(set(raw) == set(fields), f"office must have exactly the fields {', '.join(fields)}")
        office = OfficeProfile(**{k: _str(raw[k], f"office.{k}") for k in fields})
        report.office_id = office.id
    for key, value in _obj(doc.get("header", {}), "header").items():
        report.header[_str(key, "header key")] = _answer_value(value, f"header.{key}")
    blobs: list[bytes] = []
    for section_id, raw_section in _obj(doc.get("sections", {}), "sections").items():
        where = f"sections.{section_id}"
        raw_section = _obj(raw_section, where)
        answer = SectionAnswer(
            status=_str(raw_section.get("status"), f"{where}.status", optional=True),
            reason=_str(raw_section.get("reason"), f"{where}.reason", optional=True),
            justification=_str(raw_section.get("justification"), f"{where}.justification", optional=True),
        )
        for key, value in _obj(raw_section.get("values", {}), f"{where}.values").items():
            answer.values[key] = _answer_value(value, f"{where}.values.{key}")
        for table_id, rows in _obj(raw_section.get("tables", {}), f"{where}.tables").items():
            _require(isinstance(rows, list), f"{where}.tables.{table_id} must be a list")
            parsed_rows = []
            seen: set[str] = set()
            for index, raw_row in enumerate(rows):
                row_where = f"{where}.tables.{table_id}[{index}]"
                raw_row = _obj(raw_row, row_where)
                row_id = _str(raw_row.get("id"), f"{row_where}.id")
                _require(row_id not in seen and 0 < len(row_id) <= 64, f"{row_where}.id is empty, too long or repeated")
                seen.add(row_id)
                cells = {k: _answer_value(v, f"{row_where}.{k}") for k, v in _obj(raw_row.get("cells", {}), f"{row_where}.cells").items()}
                parsed_rows.append(Row(row_id, {k: v for k, v in cells.items() if v is not None}))
            answer.tables[table_id] = parsed_rows
        raw_evidence = raw_section.get("evidence", [])
        _require(isinstance(raw_evidence, list), f"{where}.evidence must be a list")
        for index, raw_ev in enumerate(raw_evidence):
            ev_where = f"{where}.evidence[{index}]"
            raw_ev = _obj(raw_ev, ev_where)
            ref = EvidenceRef(
                id=_str(raw_ev.get("id"), f"{ev_where}.id"),
                sha256=_str(raw_ev.get("sha256"), f"{ev_where}.sha256"),
                name=_str(raw_ev.get("name"), f"{ev_where}.name"),
                size=_int(raw_ev.get("size"), f"{ev_where}.size"),
                mime=_str(raw_ev.get("mime"), f"{ev_where}.mime"),
                added_at=_str(raw_ev.get("added_at"), f"{ev_where}.added_at"),
            )
            _require(_SHA.match(ref.sha256) is not None, f"{ev_where}.sha256 is not a SHA-256 hex digest")
            if "content_base64" in raw_ev:
                try:
                    content = base64.b64decode(_str(raw_ev["content_base64"], f"{ev_where}.content_base64"), validate=True)
                except (binascii.Error, ValueError):
                    raise AnswersDocumentError(f"{ev_where}.content_base64 is not base64") from None
                _require(hashlib.sha256(content).hexdigest() == ref.sha256, f"{ev_where}: content does not match its SHA-256")
                _require(len(content) == ref.size, f"{ev_where}: content does not match its size")
                blobs.append(content)
            answer.evidence.append(ref)
        report.sections[section_id] = answer
    return report, office, blobs


def _parse_int(digits: str) -> int:
    if len(digits) > MAX_INT_DIGITS:
        raise AnswersDocumentError(f"a number in the document has {len(digits):,} digits; no answer needs more than a few")
    return int(digits)


def loads(text: str) -> tuple[Report, OfficeProfile | None, list[bytes]]:
    try:
        data = json.loads(text, parse_int=_parse_int)
    except AnswersDocumentError:
        raise
    except (ValueError, RecursionError) as exc:  # json.JSONDecodeError is a ValueError
        raise AnswersDocumentError(f"not valid JSON: {exc}") from None
    if _LONE_SURROGATE.search(text) and _has_lone_surrogate(data):
        # JSON may spell half a character pair ("\\ud800"); no text holds one, and SQLite and
        # every encoder refuse it later, far from the file that brought it (issue 12)
        raise AnswersDocumentError("the document holds a broken character (a lone UTF-16 surrogate escape)")
    return from_document(data)


_LONE_SURROGATE = re.compile(r"\\u[dD][89a-fA-F]", re.ASCII)


def _has_lone_surrogate(value: object) -> bool:
    """Whether any string in the parsed document (keys included) holds a surrogate code point."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            if any("\ud800" <= c <= "\udfff" for c in item):
                return True
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return False


def _number_problem(where: str, spec: Field, value: object) -> str | None:
    """A number outside its field's range, not finite, or huge (in any field): refused at import,
    as at entry, so it never reaches headquarters' sums and exports. Text kept as typed, and a
    small number in a text field, are validation's business."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if spec.type not in NUMERIC_TYPES:
        return None if within_limits(value) else f"{where}: a number far too large, or not finite, for a {spec.type} field"
    problem = check_stored_value(spec.type, value, bounds=spec.bounds)
    return f"{where}: {problem.message_en}" if problem is not None else None


def structural_problems(form: FormDefinition, report: Report) -> list[str]:
    """Items the form does not define — unknown header fields, sections, questions, tables,
    columns, answers other than yes / no / not applicable, fixed-row tables with other rows — and
    numbers outside their field's range (or not finite), for every section whatever its answer.
    An import must refuse these (an incomplete report is fine).

    Only the structural part of validation: a full validation costs about 8 ms a report, too much
    for headquarters importing hundreds of bundles.
    """
    found = []
    headers = {f.id: f for f in form.header_fields}
    for key, value in report.header.items():
        found.append(f"header.{key}: unknown header field" if key not in headers else _number_problem(f"header.{key}", headers[key], value))
    for section_id, answer in report.sections.items():
        if section_id in {f.id for f in form.free_sections}:
            section = form.section(section_id)
        elif form.has_indicator(section_id):
            section = form.indicator(section_id)
            if answer.status is not None and section.status(answer.status) is None:
                found.append(f"{section_id}.status: unknown answer {answer.status!r}")
        else:
            found.append(f"{section_id}: unknown indicator")
            continue
        fields = {f.id: f for f in section.fields}
        for key, value in answer.values.items():
            spec = fields.get(key)
            found.append(f"{section_id}.{key}: unknown question" if spec is None else _number_problem(f"{section_id}.{key}", spec, value))
        tables = {t.id: t for t in section.tables}
        for table_id, rows in answer.tables.items():
            table = tables.get(table_id)
            if table is None:
                found.append(f"{section_id}.{table_id}: unknown table")
                continue
            if table.fixed_rows and rows and [r.id for r in rows] != [r.id for r in table.fixed_rows]:
                found.append(f"{section_id}.{table_id}: the table must have exactly its fixed rows")
            columns = {c.id: c for c in table.columns}
            for index, row in enumerate(rows, start=1):
                for key, value in row.cells.items():
                    where = f"{section_id}.{table_id}[{index}].{key}"
                    found.append(f"{where}: unknown column" if key not in columns else _number_problem(where, columns[key], value))
    return [problem for problem in found if problem is not None]
