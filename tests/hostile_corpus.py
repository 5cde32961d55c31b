"""A corpus of hostile bundles, made with the project's own writer and signed by an enrolled office
where the attack needs it (issue 12): what a headquarters import run must refuse file by file
while it imports the good files beside them.

``write_corpus(world, folder)`` writes good and hostile ``.crb`` files into ``folder`` and returns
``{file name: None for a good file, else the set of refusal codes that may name it}``. Used by
tests/test_hostile_run.py and bench/bench_hostile_run.py.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import io
import os
import struct
import uuid
import zipfile
from contextlib import contextmanager
from pathlib import Path
from unittest import mock

from bundle_world import World, foreign_ca_signer, self_signed

from citizen_rights_desktop.exchange import bundle_writer
from citizen_rights_desktop.pdf.report_pdf import render_report_pdf
from citizen_rights_desktop.report import answers_document
from citizen_rights_desktop.signing.identity import OfficeIdentity
from citizen_rights_desktop.signing.pades import sign_pdf

GOOD = None
ANY = frozenset()  # refused, whatever the code


def revision(world: World, number: int):
    report = copy.deepcopy(world.report)
    report.revision = number
    next(s for s in report.sections.values() if s.status == "no").reason = f"دلیل ویرایش {number}"
    return report


@contextmanager
def _answers_replaced(marker: str, replacement: str):
    """While building, put ``replacement`` (raw JSON) where the string ``marker`` would be."""
    original = answers_document.dumps
    with mock.patch.object(answers_document, "dumps", lambda document: original(document).replace(f'"{marker}"', replacement)):
        yield


def _with_raw_answer(world: World, number: int, raw_json: str) -> bytes:
    report = revision(world, number)
    marker = "MARKER-" + uuid.uuid4().hex
    next(s for s in report.sections.values() if s.status == "no").reason = marker
    with _answers_replaced(marker, raw_json):
        return world.build(report)


def _with_number(world: World, number: int, value: str) -> bytes:
    """A numeric answer of the demo report replaced by ``value`` (raw JSON)."""
    report = revision(world, number)
    form = world.catalog.get(report.form_id, report.form_version)
    marker = "MARKER-" + uuid.uuid4().hex
    for indicator in form.indicators:
        answer = report.sections.get(indicator.id)
        if answer is None or answer.status != "yes":
            continue
        for field in indicator.fields:
            if field.type in ("integer", "number"):
                answer.values[field.id] = marker
                with _answers_replaced(marker, value):
                    return world.build(report)
    raise AssertionError("the demo report has no numeric answer")


def _signed_pdf(world: World, report, signer, folder: Path) -> bytes:
    form = world.catalog.get(report.form_id, report.form_version)
    rendered = render_report_pdf(form, report, world.office, None, folder / "corpus-r.pdf")
    sign_pdf(rendered.path, folder / "corpus-s.pdf", OfficeIdentity(signer.private_key, signer.certificate, signer.chain),
             page=rendered.signature_page, box=rendered.signature_box)  # fmt: skip
    data = (folder / "corpus-s.pdf").read_bytes()
    for name in ("corpus-r.pdf", "corpus-s.pdf"):
        (folder / name).unlink()
    return data


def _zip_with_declared_count(world: World, count: int) -> bytes:
    """A real bundle's zip whose end-of-central-directory record claims ``count`` entries."""
    plain = io.BytesIO()
    with zipfile.ZipFile(plain, "w") as archive:
        for name, data in world.decrypt(world.build()).items():
            archive.writestr(name, data)
    raw = bytearray(plain.getvalue())
    end = raw.rfind(b"PK\x05\x06")
    struct.pack_into("<HH", raw, end + 8, count & 0xFFFF, count & 0xFFFF)
    import pyrage

    return pyrage.encrypt(bytes(raw), [pyrage.x25519.Recipient.from_str(world.hq.age_recipient)])


def write_corpus(world: World, folder: Path, work: Path) -> dict[str, set[str] | None]:
    folder.mkdir(parents=True, exist_ok=True)
    work.mkdir(parents=True, exist_ok=True)
    office_id = world.report.office_id
    files: dict[str, tuple[bytes, set[str] | None]] = {}

    def add(name: str, data: bytes, expected: set[str] | None) -> None:
        files[name] = (data, expected)

    # good files: three revisions of the enrolled office's report, the last with its signed PDF
    add("g01-revision-1.crb", world.build(revision(world, 1)), GOOD)
    add("g02-revision-2.crb", world.build(revision(world, 2)), GOOD)
    r3 = revision(world, 3)
    add("g03-revision-3-with-pdf.crb", world.build(r3, pdf=_signed_pdf(world, r3, world.signer, work)), GOOD)

    # answers: numbers, text, structure
    add("h01-5000-digit-integer.crb", _with_raw_answer(world, 11, "1" * 5000), {"answers_invalid", "answers_do_not_fit_form", "unreadable_content"})
    add("h02-400-digit-number.crb", _with_number(world, 12, "9" * 400), {"answers_do_not_fit_form", "answers_invalid"})
    add("h03-number-out-of-range.crb", _with_number(world, 13, "1e300"), {"answers_do_not_fit_form", "answers_invalid"})
    add("h04-lone-surrogate.crb", _with_raw_answer(world, 14, '"\\ud800"'), {"answers_invalid", "unreadable_content"})
    add("h05-deep-nesting.crb", _with_raw_answer(world, 15, "[" * 100000 + "]" * 100000), {"answers_invalid", "answers_do_not_fit_form", "unreadable_content"})
    # names that would forge output
    office = copy.deepcopy(world.office)
    office.agency = "اداره کل\nimported office 0000, period 1398, revision 9"
    data, _ = bundle_writer.build_bundle(revision(world, 16), office, world.evidence(), world.signer, world.hq.hq_id, world.hq.age_recipient, None)
    add("h06-forged-line-in-name.crb", data, {"unsafe_names"})
    office.agency = "اداره کل \u202edetropmi"
    data, _ = bundle_writer.build_bundle(revision(world, 17), office, world.evidence(), world.signer, world.hq.hq_id, world.hq.age_recipient, None)
    add("h07-bidi-override-in-name.crb", data, {"unsafe_names"})
    # PDFs that are not this report's
    other = world.enrol_key("another-office-0001")
    r18 = revision(world, 18)
    add("h08-another-offices-pdf.crb", world.build(r18, pdf=_signed_pdf(world, r18, other, work)), {"pdf_other_signer"})
    add("h09-pdf-of-another-revision.crb", world.build(revision(world, 19), pdf=_signed_pdf(world, revision(world, 1), world.signer, work)), {"pdf_other_report"})
    # a bundle id used twice with other content (the first copy arrives in g01)
    fixed = uuid.UUID(int=0xC0FFEE)
    with mock.patch.object(bundle_writer.uuid, "uuid4", lambda: fixed):
        add("g04-first-with-fixed-id.crb", world.build(revision(world, 4)), GOOD)
        add("h10-reused-bundle-id.crb", world.build(revision(world, 20)), {"bundle_id_reused"})
    # signers headquarters does not accept
    add("h11-self-signed.crb", world.build(revision(world, 21), signer=self_signed(office_id)), {"certificate_self_signed"})
    add("h12-unknown-ca.crb", world.build(revision(world, 22), signer=foreign_ca_signer(office_id, work)), {"certificate_untrusted"})
    past = dt.datetime.now(dt.timezone.utc) - dt.timedelta(days=400)
    add("h13-expired.crb", world.build(revision(world, 23), signer=world.enrol_key(office_id, not_before=past, valid_days=30)), {"certificate_expired"})
    add("h14-other-offices-certificate.crb", world.build(revision(world, 24), signer=other), {"certificate_other_office"})
    # archives
    members = world.decrypt(world.build(revision(world, 25)))
    bomb = b"\0" * (40 * 1024 * 1024)
    crafted = [(n, d, zipfile.ZIP_STORED) for n, d in members.items()]
    add("h15-zip-bomb.crb", world.repack([*crafted, ("evidence/" + hashlib.sha256(bomb).hexdigest(), bomb, zipfile.ZIP_DEFLATED)]),
        {"compression_ratio", "extra_member"})  # fmt: skip
    add("h16-zip-slip-name.crb", world.repack([*crafted, ("../../etc/passwd", b"x", zipfile.ZIP_STORED)]), {"bad_member_name", "extra_member"})
    add("h17-65535-entries-declared.crb", _zip_with_declared_count(world, 65535), ANY)
    # files that are not bundles at all
    good = world.build(revision(world, 26))
    add("h18-truncated.crb", good[: len(good) // 2], {"decrypt_failed"})
    add("h19-random-bytes.crb", os.urandom(4096), {"decrypt_failed"})
    add("h20-empty.crb", b"", {"decrypt_failed"})
    flipped = bytearray(good)
    flipped[len(flipped) // 3] ^= 0x40
    add("h21-one-byte-changed.crb", bytes(flipped), {"decrypt_failed"})

    for name, (data, _) in files.items():
        (folder / name).write_bytes(data)
    return {name: expected for name, (_, expected) in files.items()}
