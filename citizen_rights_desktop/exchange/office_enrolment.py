"""The office side of the exchange with headquarters: its profile and the certificate it issued.

The office key itself belongs to ``citizen_rights_desktop.signing.identity`` (made for PDF signing); this
module only keeps what headquarters sends: the signed profile (CA certificate, encryption key, forms,
org units) and the office certificate with its chain.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from cryptography import x509
from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.exchange.certificates import cert_pem, issued_by, load_certificates, office_id_of
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.profile import HQProfile, read_profile
from citizen_rights_desktop.form.definition import FormDefinitionError
from citizen_rights_desktop.report.office import REPORTING_LEVELS
from storage.self_report_claims import replace_claims
from storage.database import Database, utc_now


@dataclass
class ProfileImport:
    profile: HQProfile
    changed: bool
    message_en: str
    message_fa: str


def _public_der(cert: x509.Certificate) -> bytes:
    return cert.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def load_profile(database: Database) -> HQProfile | None:
    row = database.conn.execute("SELECT profile FROM office_hq_profile WHERE id=1").fetchone()
    return read_profile(bytes(row[0])) if row else None


def import_profile(database: Database, data: bytes) -> ProfileImport:
    """Store a headquarters profile. A later one must be signed by the same headquarters and be newer."""
    profile = read_profile(data)
    current = load_profile(database)
    if current is not None:
        if current.hq_id != profile.hq_id or _public_der(current.ca_cert) != _public_der(profile.ca_cert):
            raise ExchangeError(
                "profile_other_hq",
                f"this profile is signed by headquarters {profile.hq_id}, not by {current.hq_id} whose profile this office uses; refused",
                "این فایل مشخصات را ستاد دیگری امضا کرده است و پذیرفته نشد.",
            )
        if profile.sequence <= current.sequence:
            same = profile.sequence == current.sequence
            return ProfileImport(
                current, False,
                f"profile {profile.sequence} is {'already imported' if same else f'older than the imported {current.sequence}'}; nothing was changed",
                "این فایل مشخصات قبلاً وارد شده یا قدیمی‌تر است؛ چیزی تغییر نکرد.",
            )  # fmt: skip
    with database.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO office_hq_profile (id, hq_id, ca_cert_pem, sequence, profile, imported_at) VALUES (1,?,?,?,?,?)",
            (profile.hq_id, cert_pem(profile.ca_cert), profile.sequence, data, utc_now()),
        )
    replace_claims(database, profile.self_reports)  # a team's copy of the offices' self-reports (issue 15)
    return ProfileImport(
        profile, True,
        f"imported the profile of {profile.name} ({profile.hq_id}), sequence {profile.sequence}: {len(profile.forms)} form(s), {len(profile.org_units)} org unit(s)"
        + (f", the self-reports of {len(profile.self_reports)} office(s) for inspections" if profile.self_reports else ""),
        f"مشخصات ستاد «{profile.name}» وارد شد.",
    )  # fmt: skip


def register_units(database: Database) -> list[tuple[str, str]]:
    """(id, name) of the units of headquarters' org-unit register that report (not grouping nodes
    or inspection teams), by name: what an inspection team picks the inspected office from."""
    profile = load_profile(database)
    if profile is None:
        return []
    units = [(str(u.get("id")), str(u.get("name"))) for u in profile.org_units
             if u.get("level") in REPORTING_LEVELS and isinstance(u.get("id"), str) and isinstance(u.get("name"), str)]  # fmt: skip
    return sorted(units, key=lambda unit: unit[1])


def install_profile_forms(database: Database, catalog) -> list[tuple[str, str]]:
    """Add the form definitions headquarters' imported profile carries to ``catalog`` (a
    ``form.catalog.FormCatalog``): a new kind of report, or a new version, reaches the office by a
    profile update, with no reinstall (issue 14). The profile's signature was checked when it was
    imported and is checked again here; each definition must match the SHA-256 the profile lists.
    Returns the (id, version) pairs added; a broken one is left out and named in ``catalog.errors``."""
    profile = load_profile(database)
    if profile is None:
        return []
    before = set(catalog.forms)
    provinces = {row[0] for row in database.conn.execute("SELECT province FROM office")}
    for entry in profile.forms:
        scope = entry.get("provinces")
        if isinstance(scope, list) and not provinces & {p for p in scope if isinstance(p, str)}:
            continue  # a province's localised variant, not this office's province
        text = entry.get("definition")
        source = f"profile {profile.sequence}: {entry.get('file_name') or entry.get('id')}"
        if not isinstance(text, str) or hashlib.sha256(text.encode("utf-8")).hexdigest() != entry.get("sha256"):
            catalog.errors.append(FormDefinitionError(source, [("profile", "the definition does not match its SHA-256 in the profile")]))
            continue
        catalog.add_text(text, source)
    apply_deadlines(catalog, profile.deadline_days)
    return sorted(set(catalog.forms) - before)


def apply_deadlines(catalog, days_by_kind: dict[str, int]) -> None:
    """Headquarters' deadline for a kind (days after the period) replaces the form's default in
    every installed version of it."""
    from dataclasses import replace

    for key, form in list(catalog.forms.items()):
        days = days_by_kind.get(form.id)
        if days is not None and form.kind.period != "year":
            catalog.forms[key] = replace(form, kind=replace(form.kind, deadline_days=days))


def import_certificate(database: Database, data: bytes, public_key_der: bytes | None = None) -> x509.Certificate:
    """Store the certificate headquarters issued (PEM: the certificate, then its chain).

    It must be issued by the profile's CA (or by a root the profile trusts, through the chain given),
    name one of this database's offices, and — when ``public_key_der`` is given — hold that key.
    """
    profile = load_profile(database)
    if profile is None:
        raise ExchangeError("no_profile", "import the headquarters profile first", "ابتدا فایل مشخصات ستاد را وارد کنید.")
    certs = load_certificates(data)
    cert, chain = certs[0], certs[1:]
    roots = [profile.ca_cert, *profile.trusted_roots]
    path_ok = any(issued_by(cert, root) for root in roots) or any(
        issued_by(cert, inter) and any(issued_by(inter, root) for root in roots) for inter in chain
    )
    if not path_ok:
        raise ExchangeError(
            "certificate_not_from_hq",
            f"the certificate was not issued by headquarters {profile.hq_id} or a root it trusts",
            "این گواهی را ستاد یا مرجع مورد اعتماد آن صادر نکرده است.",
        )
    office_id = office_id_of(cert)
    if office_id is None or database.conn.execute("SELECT 1 FROM office WHERE id=?", (office_id,)).fetchone() is None:
        raise ExchangeError(
            "certificate_other_office",
            f"the certificate is for office {office_id}, which is not this database's office",
            "این گواهی برای دستگاه دیگری صادر شده است.",
        )
    if public_key_der is not None and _public_der(cert) != public_key_der:
        raise ExchangeError(
            "certificate_other_key", "the certificate is not for this office's signing key", "این گواهی برای کلید امضای این دستگاه نیست."
        )
    chain_pem = "".join(cert_pem(c) for c in chain) or cert_pem(profile.ca_cert)
    with database.transaction() as conn:
        conn.execute(
            "INSERT OR REPLACE INTO office_certificate (office_id, cert_pem, chain_pem, imported_at) VALUES (?,?,?,?)",
            (office_id, cert_pem(cert), chain_pem, utc_now()),
        )
    return cert


def office_certificate(database: Database, office_id: str) -> tuple[x509.Certificate, list[x509.Certificate]] | None:
    """The certificate headquarters issued to ``office_id`` and its chain, if imported."""
    row = database.conn.execute("SELECT cert_pem, chain_pem FROM office_certificate WHERE office_id=?", (office_id,)).fetchone()
    if row is None:
        return None
    return x509.load_pem_x509_certificate(row[0].encode("ascii")), x509.load_pem_x509_certificates(row[1].encode("ascii"))
