"""Errors of the office ↔ headquarters exchange (profiles, enrolment, bundles, import).

Every error carries a stable ``code`` (tests and the UI key on it), a precise English message (the
CLI prints it on one line) and a Persian ``message_fa`` (the UI shows it).
"""

from __future__ import annotations

from pathlib import Path


class ExchangeError(Exception):
    def __init__(self, code: str, message_en: str, message_fa: str):
        super().__init__(message_en)
        self.code = code
        self.message_en = message_en
        self.message_fa = message_fa


class BundleRefused(ExchangeError):
    """Headquarters refused a bundle; nothing was written to its database."""


def read_passphrase_file(path: str | Path) -> str:
    """The passphrase in ``path``: its first line, without the line ending (never from the command line)."""
    try:
        text = Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ExchangeError(
            "passphrase_file",
            f"cannot read the passphrase file {path}: {getattr(exc, 'strerror', None) or exc}",
            "فایل گذرواژه قابل خواندن نیست.",
        ) from None
    passphrase = text.splitlines()[0] if text else ""
    if not passphrase:
        raise ExchangeError("passphrase_empty", f"the passphrase file {path} is empty", "فایل گذرواژه خالی است.")
    return passphrase
