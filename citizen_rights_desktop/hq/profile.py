"""The signed headquarters profile headquarters hands to its offices (the office reads it with
``exchange.profile.read_profile``): a new sequence number each time, so an office keeps the newest."""

from __future__ import annotations

import hashlib
import json
import time
from pathlib import Path

from citizen_rights_desktop.exchange.certificates import cert_pem
from citizen_rights_desktop.exchange.envelope import sign_envelope
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.profile import MAX_INTAKE_URL, PROFILE_FORMAT, valid_intake_url
from citizen_rights_desktop.form.definition import FormDefinition
from citizen_rights_desktop.form.loader import load_form, load_form_text
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


PROVINCE_FORM = "province_form:"  # + province + ":" + form id + ":" + version → the definition's text


def add_province_form(database: Database, province: str, path: Path) -> FormDefinition:
    """Keep a province's localised variant of a form (issue 14; seed 002 rule 9: a province may
    localise the programs in coordination with the central secretariat). Its (id, version) must be
    its own, e.g. version ``1399.1-fars``. Every later profile carries it for that province's
    offices only, and headquarters' own catalogs know it (``install_province_forms``)."""
    form = load_form(Path(path))  # FormDefinitionError when broken
    text = Path(path).read_text(encoding="utf-8")
    with database.transaction() as conn:
        conn.execute("INSERT OR REPLACE INTO setting (key, value) VALUES (?, ?)", (f"{PROVINCE_FORM}{province}:{form.id}:{form.version}", text))
    return form


def province_forms(database: Database) -> list[tuple[str, str]]:
    """(province, definition text) of every localised variant kept."""
    rows = database.conn.execute("SELECT key, value FROM setting WHERE key LIKE ?", (PROVINCE_FORM + "%",)).fetchall()
    return [(key[len(PROVINCE_FORM):].split(":", 1)[0], text) for key, text in rows]


def install_province_forms(database: Database, catalog) -> None:
    """Headquarters knows the variants it delivers: their reports import, show and analyse."""
    for province, text in province_forms(database):
        catalog.add_text(text, f"headquarters: variant for {province}")


def self_reports(database: Database, form_id: str = "citizen_rights_annual") -> dict[str, dict]:
    """Each office's answers in its current annual report of the latest year received: what an
    inspection team compares its findings with (issue 15)."""
    rows = database.conn.execute(
        "SELECT s.office_id, s.period, a.section_id, a.value FROM hq_submission s JOIN answer a ON a.report_id = s.report_id"
        " WHERE s.form_id = ? AND s.superseded_by IS NULL AND a.item_id = 'status' ORDER BY s.office_id, s.period",
        (form_id,),
    )
    out: dict[str, dict] = {}
    for office_id, period, section, value in rows:
        if not str(period).isdigit():
            continue
        entry = out.get(office_id)
        if entry is None or entry["period"] < str(period):
            entry = out[office_id] = {"period": str(period), "answers": {}}
        if entry["period"] == str(period):
            status = json.loads(value) if isinstance(value, str) else value
            if isinstance(status, str):
                entry["answers"][section] = status
    return out


def export_profile(database: Database, hq: HQIdentity, form_files: list[Path], for_teams: bool = False, intake_url: str | None = None) -> bytes:
    """A new signed profile (its sequence number one more than the last one exported): the given
    form files for every office, and each province's variants for that province's offices. A
    profile ``for_teams`` (inspection teams) also carries the offices' self-report answers;
    ``intake_url`` is the address of headquarters' intake service offices send to (issue 18)."""
    if intake_url is not None:
        intake_url = intake_url.strip().rstrip("/")
        if not valid_intake_url(intake_url):
            raise ExchangeError(
                "bad_intake_url",
                f"--intake-url must be an https:// address of at most {MAX_INTAKE_URL} plain characters, not {intake_url[:80]!r}",
                "نشانی سامانه دریافت ستاد باید با https:// شروع شود.",
            )
    forms = []
    for path in form_files:
        text = Path(path).read_text(encoding="utf-8")
        form = load_form(Path(path))
        forms.append({"id": form.id, "version": form.version, "file_name": Path(path).name,
                      "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(), "definition": text})  # fmt: skip
    variants: dict[str, dict] = {}
    for province, text in province_forms(database):
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if digest not in variants:
            form = load_form_text(text, f"variant for {province}")
            variants[digest] = {"id": form.id, "version": form.version, "file_name": f"{form.id}-{form.version}.yaml",
                                "sha256": digest, "definition": text, "provinces": []}  # fmt: skip
        variants[digest]["provinces"].append(province)
    forms.extend(variants.values())
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
    if for_teams:
        payload["self_reports"] = self_reports(database)
    if intake_url:
        payload["intake_url"] = intake_url
    return sign_envelope(hq.ca_key, PROFILE_FORMAT, payload)
