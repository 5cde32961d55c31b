"""What travels between an office and headquarters: bundles (manifest, cms, bundle_writer,
bundle_reader), certificates, signed envelopes, the headquarters profile (profile), feedback files
(feedback), the office's enrolment state (office_enrolment), and the errors they raise (errors).

May import: signing, pdf, editing, storage and the domain.
"""
