"""Trust before members (issue 12): whether headquarters trusts a bundle's signer is decided from
the signed manifest alone, before any listed member is inflated, so a bundle signed by a key
nobody trusts costs its manifest and nothing more, however large the members it lists.

This is shown without measuring memory: the bundle below lists an evidence member whose stored
bytes are damaged. Inflating that member fails its CRC; being refused for the signer proves it was
never inflated (before, every listed member was inflated first and the refusal was ``bad_member``).
bench/bench_hostile_run.py measures the memory itself.
"""

import pyrage
import pytest
from bundle_world import db_fingerprint, self_signed

from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.exchange.manifest import EVIDENCE_PREFIX


def _with_damaged_evidence(w, signer) -> bytes:
    """A bundle of the demo report signed by ``signer``, one evidence member's stored bytes changed
    (same size, so only inflating it can tell)."""
    plain = bytearray(pyrage.decrypt(w.build(signer=signer), [w.hq.age_identity]))
    content = next(data for name, data in w.decrypt(w.build()).items() if name.startswith(EVIDENCE_PREFIX))
    start = bytes(plain).find(content)  # evidence is stored, so its bytes lie in the zip as they are
    assert start > 0 and len(content) > 16
    plain[start + len(content) // 2] ^= 0xFF
    return pyrage.encrypt(bytes(plain), [pyrage.x25519.Recipient.from_str(w.hq.age_recipient)])


def test_an_untrusted_signer_is_refused_before_its_damaged_evidence_is_inflated(w, tmp_path):
    untrusted = tmp_path / "untrusted.crb"
    untrusted.write_bytes(_with_damaged_evidence(w, self_signed(w.report.office_id)))
    trusted = _with_damaged_evidence(w, w.signer)
    database = w.hq_copy(tmp_path)
    before = db_fingerprint(database)
    try:
        with w.importer(database) as importer:
            with pytest.raises(BundleRefused) as from_file:
                importer.import_file(untrusted)
            with pytest.raises(BundleRefused) as from_memory:
                importer.import_bytes(untrusted.read_bytes())
            with pytest.raises(BundleRefused) as signer_trusted:  # the damage is real: it is found once the signer is trusted
                importer.import_bytes(trusted)
        assert db_fingerprint(database) == before
    finally:
        database.close()
    assert from_file.value.code == "certificate_self_signed", from_file.value.message_en
    assert from_memory.value.code == "certificate_self_signed", from_memory.value.message_en
    assert signer_trusted.value.code in ("bad_member", "member_hash"), signer_trusted.value.message_en
