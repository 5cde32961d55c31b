"""The headquarters window: receive bundles, completeness, review, analysis, ranking, exports.

Every figure comes from the same core functions as the ``citizen-rights hq …`` commands
(``citizen_rights_desktop.hq``: importer, completeness, review, analysis, export, national_report).
"""
