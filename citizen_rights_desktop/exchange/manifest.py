"""The bundle's manifest: the names of its members, the limits a reader enforces, and the strict
parser of ``manifest.json`` (``docs/bundle-format.md``)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from citizen_rights_desktop.exchange.errors import BundleRefused

MANIFEST_FORMAT = "citizen-rights-bundle-manifest"


FORMAT_VERSION = 1


SUFFIX = ".crb"


MANIFEST = "manifest.json"


SIGNATURE = "manifest.p7s"


ANSWERS = "answers.json"


PDF = "report.pdf"


EVIDENCE_PREFIX = "evidence/"


_SHA = re.compile(r"^[0-9a-f]{64}$")


MEMBER_NAME = re.compile(r"^(answers\.json|report\.pdf|evidence/[0-9a-f]{64})$")


_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


_ROLES = {"answers": ANSWERS, "pdf": PDF}


@dataclass(frozen=True)
class Limits:
    """Bounds on a bundle from an unknown source (checked before anything is decompressed)."""

    max_file_bytes: int = 700 * 1024 * 1024  # the encrypted file
    max_members: int = 1000
    max_member_bytes: int = 60 * 1024 * 1024  # evidence is at most 50 MB per file
    max_total_bytes: int = 600 * 1024 * 1024  # all members, uncompressed
    max_ratio: int = 100  # uncompressed / compressed size of a member, for members above ratio_floor
    ratio_floor: int = 1024 * 1024
    max_manifest_bytes: int = 1024 * 1024
    max_signature_bytes: int = 64 * 1024


def refused(code: str, en: str, fa: str) -> BundleRefused:
    return BundleRefused(code, en, fa)


@dataclass(frozen=True)
class Member:
    name: str
    role: str  # answers, pdf, evidence
    sha256: str
    size: int


@dataclass(frozen=True)
class Manifest:
    bundle_id: str
    created_at: str
    form_id: str
    form_version: str
    office_id: str
    agency: str
    report_id: str
    period: str
    revision: int
    hq_id: str
    age_recipient: str
    members: tuple[Member, ...]

    def member(self, name: str) -> Member | None:
        return next((m for m in self.members if m.name == name), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "format": MANIFEST_FORMAT,
            "format_version": FORMAT_VERSION,
            "bundle_id": self.bundle_id,
            "created_at": self.created_at,
            "form": {"id": self.form_id, "version": self.form_version},
            "office": {"id": self.office_id, "agency": self.agency},
            "report": {"id": self.report_id, "period": self.period, "revision": self.revision},
            "recipient": {"hq_id": self.hq_id, "age_recipient": self.age_recipient},
            "members": [{"name": m.name, "role": m.role, "sha256": m.sha256, "size": m.size} for m in self.members],
        }

    def dumps(self) -> bytes:
        return (json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


class ManifestError(ValueError):
    pass


def _keys(obj: Any, where: str, keys: set[str]) -> dict:
    if not isinstance(obj, dict):
        raise ManifestError(f"{where} must be an object")
    if set(obj) != keys:
        raise ManifestError(f"{where} must have exactly the keys {', '.join(sorted(keys))}")
    return obj


def _text(value: Any, where: str, pattern: re.Pattern | None = None, max_len: int = 256) -> str:
    if not isinstance(value, str) or not value or len(value) > max_len:
        raise ManifestError(f"{where} must be non-empty text of at most {max_len} characters")
    if pattern is not None and not pattern.match(value):
        raise ManifestError(f"{where} is not in the expected form")
    return value


def _count(value: Any, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 0 or value > 2**53:
        raise ManifestError(f"{where} must be a whole number")
    return value


def parse_manifest(data: bytes) -> Manifest:
    """Parse manifest bytes strictly: ``ManifestError`` with a one-line reason for anything else."""
    try:
        raw = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise ManifestError("the manifest is not UTF-8 JSON") from None
    doc = _keys(raw, "the manifest", {"format", "format_version", "bundle_id", "created_at", "form", "office", "report", "recipient", "members"})
    if doc["format"] != MANIFEST_FORMAT:
        raise ManifestError(f"format must be {MANIFEST_FORMAT!r}")
    if doc["format_version"] != FORMAT_VERSION or isinstance(doc["format_version"], bool):
        raise ManifestError(f"unsupported manifest format_version {doc['format_version']!r}")
    form = _keys(doc["form"], "form", {"id", "version"})
    office = _keys(doc["office"], "office", {"id", "agency"})
    report = _keys(doc["report"], "report", {"id", "period", "revision"})
    recipient = _keys(doc["recipient"], "recipient", {"hq_id", "age_recipient"})
    if not isinstance(doc["members"], list) or len(doc["members"]) > 100_000:
        raise ManifestError("members must be a list")
    members = []
    seen: set[str] = set()
    for index, item in enumerate(doc["members"]):
        where = f"members[{index}]"
        item = _keys(item, where, {"name", "role", "sha256", "size"})
        name = _text(item["name"], f"{where}.name", MEMBER_NAME, 80)
        role = _text(item["role"], f"{where}.role")
        sha = _text(item["sha256"], f"{where}.sha256", _SHA, 64)
        expected = _ROLES.get(role, EVIDENCE_PREFIX + sha if role == "evidence" else None)
        if expected != name:
            raise ManifestError(f"{where}: role {role!r} does not fit name {name!r}")
        if name in seen:
            raise ManifestError(f"{where}: {name} is listed twice")
        seen.add(name)
        members.append(Member(name, role, sha, _count(item["size"], f"{where}.size")))
    if ANSWERS not in seen:
        raise ManifestError("the manifest lists no answers.json")
    revision = _count(report["revision"], "report.revision")
    if revision < 1:
        raise ManifestError("report.revision must be at least 1")
    return Manifest(
        bundle_id=_text(doc["bundle_id"], "bundle_id", _ID),
        created_at=_text(doc["created_at"], "created_at", max_len=40),
        form_id=_text(form["id"], "form.id"),
        form_version=_text(form["version"], "form.version"),
        office_id=_text(office["id"], "office.id", _ID),
        agency=_text(office["agency"], "office.agency", max_len=512),
        report_id=_text(report["id"], "report.id", _ID),
        period=_text(report["period"], "report.period", max_len=80),
        revision=revision,
        hq_id=_text(recipient["hq_id"], "recipient.hq_id"),
        age_recipient=_text(recipient["age_recipient"], "recipient.age_recipient"),
        members=tuple(members),
    )
