"""One digest of a report's answers, the same wherever the report is: in the office's database
when its PDF is rendered, and at headquarters after the bundle's answers document is parsed.

The signed PDF carries it (``pdf.report_pdf``), so headquarters can tell that the PDF in a bundle
was made for exactly the answers, report and revision the bundle carries (issue 12). It covers
what the office answered and nothing that changes by itself afterwards: not the report's state
(draft → signed → exported), not the times, not an evidence file's local id.
"""

from __future__ import annotations

import hashlib
import json

from citizen_rights_desktop.report.model import Report


def answers_fingerprint(report: Report) -> str:
    """SHA-256 (hex) of the report's identity and answers as canonical JSON."""
    sections = {
        section_id: {
            "status": answer.status,
            "reason": answer.reason,
            "justification": answer.justification,
            "values": answer.values,
            "tables": {table_id: [[row.id, row.cells] for row in rows] for table_id, rows in answer.tables.items() if rows},
            "evidence": sorted([ev.sha256, ev.name, ev.size] for ev in answer.evidence),
        }
        for section_id, answer in report.sections.items()
        if not answer.is_empty()
    }
    document = {
        "report": report.id, "office": report.office_id, "form": [report.form_id, report.form_version],
        "period": report.period, "revision": report.revision, "header": report.header, "sections": sections,
    }  # fmt: skip
    canonical = json.dumps(document, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False)
    return hashlib.sha256(canonical.encode("utf-8", "surrogatepass")).hexdigest()
