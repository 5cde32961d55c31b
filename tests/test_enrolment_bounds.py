"""Enrolment issues only certificates that can be used (issue 12, item 10: 'hq enrol --days 0')."""

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from citizen_rights_desktop.exchange import certificates
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.hq import offices as hq_offices


@pytest.mark.parametrize("days", [0, -5, 3651])
def test_a_validity_outside_the_bounds_is_refused(w, tmp_path, days):
    request = certificates.office_request(ec.generate_private_key(ec.SECP256R1()), "office-days-1", "دستگاه").public_bytes(serialization.Encoding.PEM)
    database = w.hq_copy(tmp_path)
    try:
        with pytest.raises(ExchangeError) as info:
            hq_offices.enrol(database, w.hq, request, valid_days=days)
        assert info.value.code == "bad_validity" and str(days) in info.value.message_en
        assert database.conn.execute("SELECT COUNT(*) FROM hq_office_certificate WHERE office_id='office-days-1'").fetchone()[0] == 0
    finally:
        database.close()


def test_one_day_is_enough(w, tmp_path):
    request = certificates.office_request(ec.generate_private_key(ec.SECP256R1()), "office-days-2", "دستگاه").public_bytes(serialization.Encoding.PEM)
    database = w.hq_copy(tmp_path)
    try:
        cert = certificates.load_certificates(hq_offices.enrol(database, w.hq, request, valid_days=1))[0]
    finally:
        database.close()
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days == 1
