"""The headquarters window: receive bundles, completeness, review, analysis, ranking, exports.

Every figure comes from the same core functions as the ``citizen-rights hq …`` commands
(``hq_import``, ``hq_completeness``, ``hq_review``, ``analysis``, ``hq_export``, ``hq_report_pdf``).
"""
