"""The ``hq`` and ``office`` command groups and ``report bundle`` (gathered by ``cli.main``).

Passphrases are read from ``--passphrase-file FILE`` only: never from the command line, never printed.
Errors are ``ExchangeError`` (one English line; ``cli.main`` prints it and exits 2).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.cli.context import EXIT_ERROR, Commands, say
from citizen_rights_desktop.exchange import bundle_writer, certificates, outbox
from citizen_rights_desktop.exchange import cms as bundle_cms
from citizen_rights_desktop.exchange import office_enrolment as office_exchange
from citizen_rights_desktop.hq.import_pool import pooled
from citizen_rights_desktop.hq.pdf_fast import validate_pending
from citizen_rights_desktop.hq.signer_trust import default_pdf_check
from citizen_rights_desktop.exchange.errors import BundleRefused, ExchangeError, read_passphrase_file
from citizen_rights_desktop.files import write_atomically
from citizen_rights_desktop.form.catalog import FormCatalog, form_files
from citizen_rights_desktop.form.definition import FormDefinitionError
from citizen_rights_desktop.hq import identity as hq_identity
from citizen_rights_desktop.hq import importer as hq_import
from citizen_rights_desktop.hq import offices as hq_offices
from citizen_rights_desktop.hq import profile as hq_profile_export
from citizen_rights_desktop.paths import default_database_path, forms_dir
from citizen_rights_desktop.report.office import PROVINCES
from storage import ReportStore, open_database


def add_parsers(commands: Commands, report: Commands, common: argparse.ArgumentParser) -> None:
    """Add ``hq …``, ``office …`` and ``report bundle`` to the parser ."""

    def secret(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
        parser.add_argument("--passphrase-file", type=Path, required=True, help="file whose first line is the passphrase")
        return parser

    hq = commands.group("hq", help="headquarters: keys, enrolment, revocation, bundle import")
    init = secret(hq.add_parser("init", help="create the headquarters CA and encryption key in --db"))
    init.add_argument("--name", required=True, help="headquarters name, e.g. «سازمان اداری و استخدامی کشور»")
    profile = secret(hq.add_parser("profile", help="'profile export -o FILE': the signed headquarters profile for offices"))
    profile.add_argument("what", choices=["export"])
    profile.add_argument("-o", "--output", type=Path, required=True)
    profile.add_argument("--province-form", action="append", default=[], metavar="PROVINCE=FILE",
                         help="a province's localised variant of a form (its own version, e.g. 1399.1-fars), kept for every later profile")  # fmt: skip
    profile.add_argument("--for-teams", action="store_true",
                         help="a profile for joint inspection teams: also carries each office's answers in its latest annual report")  # fmt: skip
    profile.add_argument("--intake-url", metavar="URL", help="the https:// address of headquarters' intake service ('hq serve'), where offices send bundles")
    enrol = secret(hq.add_parser("enrol", help="issue an office certificate for a certificate request file"))
    enrol.add_argument("request", type=Path)
    enrol.add_argument("-o", "--output", type=Path, required=True, help="certificate file for the office (PEM)")
    enrol.add_argument("--office", help="office id, when the request does not name one")
    enrol.add_argument("--days", type=int, default=hq_offices.DEFAULT_OFFICE_VALIDITY_DAYS, help="validity in days")
    revoke = hq.add_parser("revoke", help="revoke every certificate of an office (lost or stolen computer)")
    revoke.add_argument("office")
    revoke.add_argument("--reason", default="key compromise")
    imp = secret(hq.add_parser("import", help="import bundles (.crb files, or folders of them)"))
    imp.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    backup = secret(hq.add_parser("key-backup", help="write an encrypted backup of the headquarters keys"))
    backup.add_argument("-o", "--output", type=Path, required=True)
    backup.add_argument("--backup-passphrase-file", type=Path, required=True, help="passphrase for the backup file (keep it apart from the backup)")
    identity = secret(hq.add_parser("export-age-identity", help="write the age key as an identity file for the standard 'age -d -i FILE'"))
    identity.add_argument("-o", "--output", type=Path, required=True)
    root = hq.add_parser("trust-root", help="trust certificates issued by another root (e.g. a national CA)")
    root.add_argument("certificate", type=Path)
    root.add_argument("--label", required=True)
    units = hq.add_parser("org-units", help="replace the list of organizational units from a JSON file [{id, name, parent_id, level, province}]")
    units.add_argument("file", type=Path)

    office = commands.group("office", help="office side of the exchange with headquarters")
    prof = office.add_parser("import-profile", help="import the signed headquarters profile")
    prof.add_argument("file", type=Path)
    cert = office.add_parser("import-certificate", help="import the certificate headquarters issued to this office (and install it in the signing identity)")
    cert.add_argument("file", type=Path)
    cert.add_argument("--identity", type=Path, help="the office identity (.p12) to install it in (default: the user's data folder)")
    cert.add_argument("--passphrase-file", type=Path, help="the identity's passphrase; without it the identity file is left as it is")
    request = secret(office.add_parser("request", help="write a certificate request naming this office, for 'hq enrol'"))
    request.add_argument("--identity", type=Path, help="the office identity (.p12; default: the user's data folder)")
    request.add_argument("-o", "--output", type=Path, required=True)

    make = secret(report.add_parser("bundle", help="write the encrypted, signed bundle of a signed report into a folder"))
    make.add_argument("report")
    make.add_argument("-o", "--output", type=Path, metavar="FOLDER", help="the folder to write it in (e.g. a USB drive)")
    make.add_argument("--queue", action="store_true", help="put it in the outbox for 'send' (headquarters' intake service) instead of a folder")
    make.add_argument("--identity", type=Path, help="the office identity (.p12; default: the user's data folder)")
    make.add_argument("--pdf", type=Path, help="the signed report PDF to include (default: the one kept when the report was signed)")


def _database(args: argparse.Namespace):
    return open_database(args.db or default_database_path())


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise ExchangeError("unreadable", f"cannot read {what} {path}: {exc.strerror or exc}", "فایل قابل خواندن نیست.") from None


def _write(path: Path, data: bytes, private: bool = False) -> None:
    """Complete or not at all (``files.WriteError``, one line from ``cli.main``); a ``private`` file (a
    key) is readable by its owner only from its first byte, not made so after it was written."""
    write_atomically(path, data, private=private)


def _hq(args: argparse.Namespace, database):
    return hq_identity.load_hq(database, read_passphrase_file(args.passphrase_file))


def cmd_hq_init(args: argparse.Namespace) -> int:
    database = _database(args)
    hq = hq_identity.init_hq(database, args.name, read_passphrase_file(args.passphrase_file))
    say(f"created headquarters {hq.hq_id} ({hq.name}) in {database.path}")
    say(f"encryption key (age recipient): {hq.age_recipient}")
    say("IMPORTANT: back up the keys now with 'citizen-rights hq key-backup'; without them no bundle can ever be read")
    return 0


def cmd_hq_profile(args: argparse.Namespace) -> int:
    database = _database(args)
    hq = _hq(args, database)
    files = form_files(args.forms or forms_dir())
    for item in args.province_form:
        province, _, path = item.partition("=")
        if province not in PROVINCES or not path:
            raise ExchangeError("bad_province_form", f"--province-form must be PROVINCE=FILE with a province id such as fars, not {item!r}", "استان یا فایل فرم نامعتبر است.")
        try:
            form = hq_profile_export.add_province_form(database, province, Path(path))
        except FormDefinitionError as exc:
            raise ExchangeError("bad_province_form", str(exc).splitlines()[0], "فایل فرم استانی معتبر نیست.") from None
        say(f"kept {form.id} {form.version} for the offices of {province}")
    _write(args.output, hq_profile_export.export_profile(database, hq, files, for_teams=args.for_teams, intake_url=args.intake_url))
    teams = f", with the offices' self-reports for inspection teams" if args.for_teams else ""
    intake = f", intake service {args.intake_url.strip().rstrip('/')}" if args.intake_url else ""
    say(f"wrote the headquarters profile ({len(files)} form definition(s){teams}{intake}) to {args.output}")
    return 0


def cmd_hq_enrol(args: argparse.Namespace) -> int:
    database = _database(args)
    hq = _hq(args, database)
    pem = hq_offices.enrol(database, hq, _read(args.request, "the request"), args.office, args.days)
    _write(args.output, pem)
    office_id = certificates.office_id_of(certificates.load_certificates(pem)[0])
    say(f"issued the certificate of office {office_id}: {args.output}")
    return 0


def cmd_hq_revoke(args: argparse.Namespace) -> int:
    count = hq_offices.revoke_office(_database(args), args.office, args.reason)
    say(f"revoked {count} certificate(s) of office {args.office}; bundles signed with them are refused from now on")
    return 0


def cmd_hq_import(args: argparse.Namespace) -> int:
    database = _database(args)
    hq = _hq(args, database)
    files = hq_import.bundle_files(args.paths)
    if not files:
        raise ExchangeError("no_bundles", "no bundle files (*.crb) found", "فایل بسته‌ای پیدا نشد.")
    counts = {"imported": 0, "unchanged": 0, "refused": 0}
    catalog = FormCatalog(args.forms)
    hq_profile_export.install_province_forms(database, catalog)  # the variants headquarters delivered
    # the signed PDFs: their signer checked on the hot path, their full validation after (hq.pdf_fast)
    with hq_import.Importer(database, hq, catalog, pdf_check="fast") as importer:
        # the bundles checked on every core (hq.import_pool), stored here in order
        for path, result in hq_import.import_paths(importer, files, many=pooled(importer, len(files), forms=args.forms and str(args.forms))):
            if isinstance(result, BundleRefused):
                counts["refused"] += 1
                say(f"{path}: refused: {result.message_en}")
            else:
                counts["imported" if result.changed else "unchanged"] += 1
                say(f"{path}: {result.message_en}")
        checked = validate_pending(database, default_pdf_check(importer.trust.roots))
    say(f"{counts['imported']} imported, {counts['unchanged']} unchanged, {counts['refused']} refused")
    if checked["invalid"]:
        say(f"signed PDFs: {checked['valid']} valid, {checked['invalid']} NOT valid (hq status lists them; the bundles' own signatures stand)")
    return EXIT_ERROR if counts["refused"] else 0


def cmd_hq_key_backup(args: argparse.Namespace) -> int:
    database = _database(args)
    hq = _hq(args, database)
    _write(args.output, hq_identity.key_backup(hq, read_passphrase_file(args.backup_passphrase_file)), private=True)
    say(f"wrote the encrypted key backup to {args.output}; keep it and its passphrase in two separate safe places")
    return 0


def cmd_hq_export_age_identity(args: argparse.Namespace) -> int:
    hq = _hq(args, _database(args))
    _write(args.output, hq_identity.age_identity_text(hq).encode("utf-8"), private=True)  # age reads UTF-8 comments
    say(f"wrote the UNENCRYPTED age identity to {args.output} (mode 600); delete it when done")
    return 0


def cmd_hq_trust_root(args: argparse.Namespace) -> int:
    database = _database(args)
    hq_identity.hq_public(database)
    cert = certificates.load_certificates(_read(args.certificate, "the certificate"))[0]
    hq_identity.add_trusted_root(database, cert, args.label)
    say(f"headquarters now trusts certificates issued under {cert.subject.rfc4514_string()}")
    return 0


def cmd_hq_org_units(args: argparse.Namespace) -> int:
    database = _database(args)
    hq_identity.hq_public(database)
    try:
        units = json.loads(_read(args.file, "the org units file").decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise ExchangeError("bad_org_unit", f"{args.file} is not a JSON list", "فهرست واحدهای سازمانی نامعتبر است.") from None
    if not isinstance(units, list):
        raise ExchangeError("bad_org_unit", f"{args.file} is not a JSON list", "فهرست واحدهای سازمانی نامعتبر است.")
    hq_offices.set_org_units(database, units)
    say(f"{len(units)} organizational unit(s) stored; they go into the next exported profile")
    return 0


def cmd_office_import_profile(args: argparse.Namespace) -> int:
    result = office_exchange.import_profile(_database(args), _read(args.file, "the profile"))
    say(result.message_en)
    return 0


def _identity(path: Path | None, passphrase_file: Path):
    """The office signing identity (``citizen_rights_desktop.signing.identity``: PKCS#12, passphrase-encrypted)."""
    from citizen_rights_desktop.signing import identity

    try:
        return identity.load_identity(path or identity.default_identity_path(), read_passphrase_file(passphrase_file))
    except identity.IdentityError as exc:
        raise ExchangeError("identity", exc.message_en, exc.message_fa) from None


def _public_der(key) -> bytes:
    return key.public_key().public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)


def cmd_office_import_certificate(args: argparse.Namespace) -> int:
    from citizen_rights_desktop.signing import identity

    database = _database(args)
    data = _read(args.file, "the certificate")
    office = None
    if args.passphrase_file:
        office = _identity(args.identity, args.passphrase_file)
    cert = office_exchange.import_certificate(database, data, _public_der(office.private_key) if office else None)
    say(f"imported the certificate of office {certificates.office_id_of(cert)}, valid until {cert.not_valid_after_utc.date().isoformat()}")
    if office is not None:
        chain = b"".join(c.public_bytes(serialization.Encoding.PEM) for c in certificates.load_certificates(data)[1:])
        try:
            installed = identity.install_certificate(office, cert.public_bytes(serialization.Encoding.PEM), chain)
            path = identity.save_identity(installed, args.identity or identity.default_identity_path(), read_passphrase_file(args.passphrase_file))
        except identity.IdentityError as exc:
            raise ExchangeError("identity", exc.message_en, exc.message_fa) from None
        say(f"installed it in the signing identity {path}")
    return 0


def cmd_office_request(args: argparse.Namespace) -> int:
    store = ReportStore(_database(args))
    offices = store.offices()
    if not offices:
        raise ExchangeError("no_office", "this database has no office profile yet", "این پایگاه داده هنوز مشخصات دستگاه را ندارد.")
    office = _identity(args.identity, args.passphrase_file)
    csr = certificates.office_request(office.private_key, offices[0].id, office.holder_name)
    _write(args.output, csr.public_bytes(serialization.Encoding.PEM))
    say(f"wrote the certificate request of office {offices[0].id} to {args.output}; take it to headquarters")
    return 0


def cmd_report_bundle(args: argparse.Namespace) -> int:
    store = ReportStore(_database(args))
    report = store.load_report(args.report)
    if not args.queue and args.output is None:
        raise ExchangeError("no_folder", "give the folder to write the bundle in (-o FOLDER), or --queue to send it", "پوشه مقصد بسته را تعیین کنید.")
    profile = office_exchange.load_profile(store.database)
    if profile is None:
        raise ExchangeError("no_profile", "import the headquarters profile first ('office import-profile')", "ابتدا فایل مشخصات ستاد را وارد کنید.")
    issued = office_exchange.office_certificate(store.database, report.office_id)
    if issued is None:
        raise ExchangeError("no_certificate", "import the certificate headquarters issued first ('office import-certificate')", "ابتدا گواهی صادرشده از ستاد را وارد کنید.")
    office = _identity(args.identity, args.passphrase_file)
    if _public_der(office.private_key) != _public_der(issued[0]):
        raise ExchangeError(
            "certificate_other_key",
            "the certificate headquarters issued is not for this identity's key; enrol this key again",
            "گواهی صادرشده از ستاد برای کلید این دستگاه نیست.",
        )
    pdf = _read(args.pdf, "the PDF") if args.pdf else None
    signer = bundle_cms.OfficeSigner(office.private_key, issued[0], issued[1])
    if args.queue:
        entry = outbox.queue_bundle(store, report.id, signer, profile, pdf)
        say(f"queued {entry.file_name} ({entry.size} bytes), revision {entry.revision}: {entry.state}; 'citizen-rights send' sends it")
        return 0
    result = bundle_writer.export_bundle(store, report.id, args.output, signer, profile, pdf)
    say(f"wrote {result.path} ({result.size} bytes), revision {report.revision}")
    return 0


COMMANDS = {
    ("hq", "init"): cmd_hq_init,
    ("hq", "profile"): cmd_hq_profile,
    ("hq", "enrol"): cmd_hq_enrol,
    ("hq", "revoke"): cmd_hq_revoke,
    ("hq", "import"): cmd_hq_import,
    ("hq", "key-backup"): cmd_hq_key_backup,
    ("hq", "export-age-identity"): cmd_hq_export_age_identity,
    ("hq", "trust-root"): cmd_hq_trust_root,
    ("hq", "org-units"): cmd_hq_org_units,
    ("office", "import-profile"): cmd_office_import_profile,
    ("office", "import-certificate"): cmd_office_import_certificate,
    ("office", "request"): cmd_office_request,
    ("report", "bundle"): cmd_report_bundle,
}
