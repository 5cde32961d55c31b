"""The colours and paragraph styles of the letterhead reports (the office's report and the national
report share them)."""

from __future__ import annotations

from reportlab.lib import colors

from citizen_rights_desktop.pdf import fonts
from citizen_rights_desktop.pdf.flowables import Style

INK = colors.HexColor("#1b2330")
ACCENT = colors.HexColor("#1f3b63")
BAND = colors.HexColor("#dfe6f0")
MUTED = colors.HexColor("#4a5360")

BODY = Style(size=9.5, leading=17, align="justify", color=INK)
CELL = Style(size=8.5, leading=14, color=INK)
CELL_HEAD = CELL.but(font=fonts.BOLD)
LABEL = Style(font=fonts.BOLD, size=9.5, leading=17, color=INK, space_before=4)
CAPTION = Style(font=fonts.BOLD, size=9, leading=16, color=ACCENT, space_before=7, space_after=2)
INDICATOR_TITLE = Style(font=fonts.BOLD, size=11, leading=19, color=ACCENT, space_before=10, space_after=2, align="justify")
DIMENSION_TITLE = Style(font=fonts.BOLD, size=12.5, leading=21, color=ACCENT, background=BAND, padding=5, space_before=6, space_after=6)
ANSWER = Style(font=fonts.BOLD, size=10, leading=18, color=INK, space_before=2, space_after=2)
GUIDANCE = Style(size=9, leading=16, align="justify", color=MUTED, space_after=2)  # the guideline's guidance under an indicator's title
HEADING = Style(font=fonts.BOLD, size=9.5, leading=16, color=INK, space_before=6, space_after=1)  # the seed's heading before an item (e.g. «بازرسی»)
HELP = CELL.but(size=7.5, leading=12, color=MUTED)  # a field's help (the seed's hint) under its label
ITEM = Style(size=9.5, leading=16.5, align="justify", color=INK, indent=12)  # an item listed under the "if yes" prompt
NOTE = Style(size=8, leading=13.5, align="justify", color=MUTED, space_after=2)  # short muted notes (the not-applicable rule)
