"""Headquarters: its CA and keys (identity), the offices it knows (offices), the profile it hands out
(profile), bundle import (importer), review and feedback (review), revision comparison (compare),
who has reported (completeness), analysis, exports and the national report (national_report).

May import: exchange and everything below it.
"""
