"""The manifest's CMS (PKCS #7) detached signature: made with the office key, verified with the
certificate chain it carries (whether headquarters trusts that chain is the importer's question)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from typing import Any

from asn1crypto import cms as asn1_cms
from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from citizen_rights_desktop.exchange.errors import BundleRefused
from citizen_rights_desktop.exchange.manifest import refused


@dataclass
class OfficeSigner:
    """The office's signing key and certificate chain (from ``identity`` + the certificate headquarters issued)."""

    private_key: ec.EllipticCurvePrivateKey | rsa.RSAPrivateKey
    certificate: x509.Certificate
    chain: list[x509.Certificate] = field(default_factory=list)


def cms_sign(content: bytes, signer: OfficeSigner) -> bytes:
    """A DER CMS SignedData, detached, SHA-256, with signed attributes and the certificate chain."""
    builder = pkcs7.PKCS7SignatureBuilder().set_data(content).add_signer(signer.certificate, signer.private_key, hashes.SHA256())
    for cert in signer.chain:
        builder = builder.add_certificate(cert)
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature, pkcs7.PKCS7Options.Binary])


def _bad_signature(reason: str) -> BundleRefused:
    return refused("signature_invalid", f"the manifest signature is not valid: {reason}", "امضای فهرست محتویات بسته معتبر نیست.")


def _register_cms_attributes() -> None:
    """asn1crypto builds an OID type's reverse map once, on first use; modules that register CMS
    attribute types later (asn1crypto.tsp and .pdf, pyHanko's ades) would then make pyHanko's PDF
    signing fail in this process ("invalid literal for int(): 'signing_certificate_v2'").
    Import them before anything here touches CMS."""
    from asn1crypto import pdf, tsp  # noqa: F401

    try:
        import pyhanko.sign.ades.asn1_util  # noqa: F401
    except ImportError:
        pass


def cms_verify(content: bytes, signature: bytes) -> tuple[x509.Certificate, list[x509.Certificate], str | None]:
    """Check a detached CMS signature over ``content``; returns (signer certificate, other certificates, signing time).

    Only the cryptographic binding is checked here; whether the certificate is trusted is ``hq.signer_trust``'s job.
    """
    _register_cms_attributes()
    try:
        info = asn1_cms.ContentInfo.load(signature, strict=True)
        if info["content_type"].native != "signed_data":
            raise _bad_signature("not a CMS SignedData")
        signed_data = info["content"]
        if signed_data["encap_content_info"]["content_type"].native != "data" or signed_data["encap_content_info"]["content"].native is not None:
            raise _bad_signature("the signature is not detached over data")
        signer_infos = signed_data["signer_infos"]
        if len(signer_infos) != 1:
            raise _bad_signature("there must be exactly one signer")
        signer_info = signer_infos[0]
        if signer_info["digest_algorithm"]["algorithm"].native != "sha256":
            raise _bad_signature("the digest is not SHA-256")
        # the certificates' DER before anything parses them (asn1crypto re-encodes what it has read as
        # native), loaded with cryptography: the signer found by its serial number and issuer's DER
        certificates = [c.chosen for c in (signed_data["certificates"] or []) if c.name == "certificate"]
        raw_certificates = [c.dump() for c in certificates]
        loaded = [x509.load_der_x509_certificate(raw) for raw in raw_certificates]
        sid = signer_info["sid"]
        signer_asn1 = None
        if sid.name == "issuer_and_serial_number":
            issuer_der = sid.chosen["issuer"].dump()  # compared as DER: asn1crypto's Name equality is slow (string preparation)
            serial = sid.chosen["serial_number"].native
            index = next((i for i, c in enumerate(loaded) if c.serial_number == serial and c.issuer.public_bytes() == issuer_der), None)
            if index is None:  # an issuer name cryptography encodes otherwise than the certificate: asn1crypto's view
                index = next((i for i, c in enumerate(certificates) if c.serial_number == serial and c.issuer.dump() == issuer_der), None)
        else:
            key_id = sid.chosen.native
            index = next((i for i, c in enumerate(certificates) if c.key_identifier == key_id), None)
        if index is not None:
            signer_asn1 = certificates[index]
        if signer_asn1 is None:
            raise _bad_signature("the signer's certificate is not included")
        attrs = signer_info["signed_attrs"]
        if not attrs:
            raise _bad_signature("signed attributes are missing")
        # the signed bytes before any .native below: reading some values as
        # native (an algorithm's absent parameters) marks them changed, and dump() would then
        # re-encode the whole set, 25 times slower (issue 16: 8 ms of an 8.3 ms PDF check)
        signed_bytes = b"\x31" + attrs.dump()[1:]  # signed over the attributes as a DER SET
        values: dict[str, Any] = {}
        for attr in attrs:
            name = attr["type"].native
            if name in values or len(attr["values"]) != 1:
                raise _bad_signature(f"attribute {name} is repeated")
            values[name] = attr["values"][0].native
        if values.get("content_type") != "data":
            raise _bad_signature("content type attribute is not data")
        if values.get("message_digest") != hashlib.sha256(content).digest():
            raise _bad_signature("manifest.json does not match the signed digest")
        signature_value = signer_info["signature"].native
        algorithm = signer_info["signature_algorithm"]
        signer = loaded[index]
        key = signer.public_key()
        if algorithm.signature_algo == "ecdsa" and isinstance(key, ec.EllipticCurvePublicKey):
            if algorithm["algorithm"].native not in ("sha256_ecdsa", "ecdsa"):
                raise _bad_signature("the signature algorithm is not ECDSA with SHA-256")
            key.verify(signature_value, signed_bytes, ec.ECDSA(hashes.SHA256()))
        elif algorithm.signature_algo == "rsassa_pkcs1v15" and isinstance(key, rsa.RSAPublicKey):
            key.verify(signature_value, signed_bytes, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise _bad_signature("unsupported signature algorithm")
        others = [c for i, c in enumerate(loaded) if i != index]
        signing_time = values.get("signing_time")
        return signer, others, signing_time.isoformat() if signing_time is not None else None
    except BundleRefused:
        raise
    except InvalidSignature:
        raise _bad_signature("the signature does not verify with the signer's certificate") from None
    except Exception:  # hostile DER: asn1crypto raises many kinds of errors; none may escape as a crash
        raise _bad_signature("manifest.p7s is not a readable CMS signature") from None
