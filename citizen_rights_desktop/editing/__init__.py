"""The office's work on its reports in the local database: the editor every change goes through
(editor), the report list, new reports and revisions (report_list), the digest row dashboards
read (digest), and demo data (demo).

May import: storage, report, form, persian, paths.
"""
