"""Errors the PDF renderer reports to people: an English message (CLI) and a Persian one (UI)."""

from __future__ import annotations


class PdfError(Exception):
    """The report PDF could not be made; nothing was written at the destination."""

    def __init__(self, message_en: str, message_fa: str):
        super().__init__(message_en)
        self.message_en = message_en
        self.message_fa = message_fa
