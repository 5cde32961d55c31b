"""The form of a name that goes into a certificate, as opposed to the name people read.

RFC 5280 compares names after LDAP string preparation (RFC 4518). asn1crypto, which pyHanko and
pyhanko-certvalidator use to build and check certificate paths, also applies the bidirectional
rule of RFC 3454 to every attribute of a name: a value holding Persian letters must begin and end
with a right-to-left letter and may hold no Latin letter. «مدیر کل ۲» (ends with a digit),
«… استان فارس (ستاد ۱)» (ends with a bracket) and «اداره IT» break that rule, and the invisible
marks that could fix it (RLM, ZWNJ) are removed by the same preparation before the check. A
certificate carrying such a name cannot be validated by pyHanko, so a PDF signed with it, or with
a certificate it issued, is "not trusted".

So a certificate never carries a name that fails the preparation: ``certificate_text`` keeps the
whole name when it passes and fits X.520's 64 characters, else the longest run of whole words from
its start that does (brackets balanced), else nothing and the caller uses an identifier. The name
people read is kept where no validator compares it: the headquarters profile and database, the
office profile, and the identity file's friendly name (``signing.identity``).
"""

from __future__ import annotations

import unicodedata

from asn1crypto import x509 as asn1_x509

UB_NAME = 64  # X.520's upper bound for commonName and organizationName, in characters
CN_BYTES = 64  # cryptography refuses a commonName over 64 bytes of UTF-8 (about 32 Persian letters)
O_BYTES = 4 * UB_NAME
_PAIRS = {"(": ")", "[": "]", "«": "»", "{": "}"}


def prepares(text: str) -> bool:
    """Whether ``text`` survives the string preparation validators apply when they compare names."""
    value = asn1_x509.NameTypeAndValue({"type": "common_name", "value": asn1_x509.DirectoryString(name="utf8_string", value=text)})
    try:
        return bool(value.prepped_value.strip())
    except ValueError:
        return False


def _balanced(text: str) -> bool:
    stack: list[str] = []
    for char in text:
        if char in _PAIRS:
            stack.append(_PAIRS[char])
        elif char in _PAIRS.values():
            if not stack or stack.pop() != char:
                return False
    return not stack


def clean_name(text: str) -> str:
    """NFC, one space between words, no control or format characters (ZWNJ, which Persian spelling
    needs, is kept)."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in text if c == "\u200c" or unicodedata.category(c) not in ("Cc", "Cf", "Cs", "Co", "Cn"))
    return " ".join(text.split())


def certificate_text(text: str, max_bytes: int = CN_BYTES) -> str:
    """The longest leading run of whole words of ``text`` that every validator can compare and that
    fits X.520's 64 characters and ``max_bytes`` of UTF-8 (``CN_BYTES`` for a common name,
    ``O_BYTES`` for an organization); ``""`` when there is none (the caller then uses an identifier)."""
    words = clean_name(text).split(" ")
    for count in range(len(words), 0, -1):
        candidate = " ".join(words[:count])
        if len(candidate) <= UB_NAME and len(candidate.encode("utf-8")) <= max_bytes and _balanced(candidate) and prepares(candidate):
            return candidate
    return ""
