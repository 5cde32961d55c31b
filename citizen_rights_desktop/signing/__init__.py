"""The office's signing key and certificate (identity), PAdES signing and validation of a PDF (pades),
and render → sign → lock of a report (signed_report).

May import: pdf, editing, storage and the domain below them.
"""
