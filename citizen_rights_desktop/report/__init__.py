"""A report as data: its answers (model), the office profile (office), validation and computed values
(validation), and the answers document, its JSON form (answers_document).

May import: form, persian. Holds no SQL and never imports storage (storage builds these types).
"""
