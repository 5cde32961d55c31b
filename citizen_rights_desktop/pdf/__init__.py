"""The report as a letterhead PDF (reportlab, with Persian typeset by ``typeset``; no Qt)."""

from citizen_rights_desktop.pdf.errors import PdfError
from citizen_rights_desktop.pdf.report_pdf import RenderResult, render_report_pdf

__all__ = ["PdfError", "RenderResult", "render_report_pdf"]
