"""The report as a letterhead PDF: reportlab with Persian typeset by ``typeset``, the letterhead,
flowables, fonts and bar charts (``charts``, for the national report). No database, no Qt.

May import: report, form, persian, paths.
"""

from citizen_rights_desktop.pdf.errors import PdfError
from citizen_rights_desktop.pdf.report_pdf import RenderResult, render_report_pdf

__all__ = ["PdfError", "RenderResult", "render_report_pdf"]
