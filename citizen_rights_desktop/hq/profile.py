"""The signed headquarters profile headquarters hands to its offices (the office reads it with
``exchange.profile.read_profile``): a new sequence number each time, so an office keeps the newest."""

from __future__ import annotations

import hashlib
import time
from pathlib import Path

from citizen_rights_desktop.exchange.certificates import cert_pem
from citizen_rights_desktop.exchange.envelope import sign_envelope
from citizen_rights_desktop.exchange.profile import PROFILE_FORMAT
from citizen_rights_desktop.form.loader import load_form
from citizen_rights_desktop.hq.identity import HQIdentity, trusted_roots
from citizen_rights_desktop.hq.offices import org_units
from storage.database import Database, utc_now


DEADLINE_SETTING = "deadline_days:"  # + form id: headquarters' own deadline for a kind of report


def deadline_days(database: Database) -> dict[str, int]:
    """Headquarters' deadlines per kind (days after the period), as set by ``set_deadline_days``."""
    rows = database.conn.execute("SELECT key, value FROM setting WHERE key LIKE ?", (DEADLINE_SETTING + "%",)).fetchall()
    return {key[len(DEADLINE_SETTING):]: int(value) for key, value in rows}


def set_deadline_days(database: Database, form_id: str, days: int) -> None:
    """Headquarters sets how many days after its period a kind of report is due (issue 14: the
    quarterly report's deadline is headquarters' to set; 15 days by default). Offices learn it from
    the next exported profile; headquarters' own status uses it at once."""
    with database.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (DEADLINE_SETTING + form_id, str(int(days))))


def export_profile(database: Database, hq: HQIdentity, form_files: list[Path]) -> bytes:
    """A new signed profile (its sequence number one more than the last one exported)."""
    forms = []
    for path in form_files:
        text = Path(path).read_text(encoding="utf-8")
        form = load_form(Path(path))
        forms.append({"id": form.id, "version": form.version, "file_name": Path(path).name,
                      "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "definition": text})  # fmt: skip
    roots = [r for r in trusted_roots(database)[1:]]
    with database.transaction() as conn:
        # increasing across key-backup restores too: at least the current time in seconds
        sequence = max(conn.execute("SELECT profile_sequence FROM hq_identity WHERE id=1").fetchone()[0] + 1, int(time.time()))
        conn.execute("UPDATE hq_identity SET profile_sequence=? WHERE id=1", (sequence,))
    payload = {
        "hq_id": hq.hq_id,
        "name": hq.name,
        "sequence": sequence,
        "issued_at": utc_now(),
        "ca_certificate": cert_pem(hq.ca_cert),
        "age_recipient": hq.age_recipient,
        "forms": forms,
        "org_units": org_units(database),
        "trusted_roots": [cert_pem(r) for r in roots],
        "deadline_days": deadline_days(database),
    }
    return sign_envelope(hq.ca_key, PROFILE_FORMAT, payload)
