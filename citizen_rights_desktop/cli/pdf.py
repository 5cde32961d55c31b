"""CLI commands of issue 4: ``report pdf``, ``report verify-pdf`` and the ``identity`` group.

Registered by ``cli.main`` (``add_parsers``, ``COMMANDS``, ``ERRORS``); same conventions: English
one-line errors, exit 2, never a traceback, never a secret on the command line (passphrases are
read from files).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from citizen_rights_desktop.cli.context import open_catalog, open_store, resolve_report, say
from citizen_rights_desktop.files import write_atomically
from citizen_rights_desktop.pdf import PdfError
from citizen_rights_desktop.signing import identity as ident

EXIT_INVALID_SIGNATURE = 2


class PdfCommandError(Exception):
    def __init__(self, message_en: str):
        super().__init__(message_en)
        self.message_en = message_en


def _errors() -> tuple[type[Exception], ...]:
    from citizen_rights_desktop.signing.pades import SigningError
    from citizen_rights_desktop.signing.signed_report import ReportIncomplete

    return (PdfError, ident.IdentityError, SigningError, PdfCommandError, ReportIncomplete)


def add_parsers(commands, report) -> None:
    pdf = report.add_parser("pdf", help="write the report as a letterhead PDF, optionally signed")
    pdf.add_argument("report")
    pdf.add_argument("-o", "--output", type=Path, required=True, help="the PDF file to write")
    pdf.add_argument("--sign", type=Path, metavar="KEYFILE", help="sign with this PKCS#12 identity file (see 'identity create')")
    pdf.add_argument("--allow-incomplete", action="store_true", help="sign (and lock) the report even though it is incomplete")
    pdf.add_argument("--passphrase-file", type=Path, help="file whose first line is the identity's passphrase")
    pdf.add_argument("--emblem", type=Path, help="emblem image (PNG/JPEG; default: the office profile's emblem)")
    pdf.add_argument("--signature-image", type=Path, help="scanned signature image (PNG/JPEG)")
    pdf.add_argument("--seal-image", type=Path, help="seal image (PNG/JPEG)")
    pdf.add_argument("--number", help="letter number (default: the office prefix, period and revision)")
    pdf.add_argument("--date", help="letter date, Jalali like 1399/02/20 (default: today)")

    verify = report.add_parser("verify-pdf", help="check the digital signature of a signed report PDF")
    verify.add_argument("file", type=Path)
    verify.add_argument("--trust", type=Path, action="append", default=[], metavar="CERT", help="trusted certificate (PEM/DER): the issuing CA, or the office's self-signed certificate")

    group = commands.add_parser("identity", help="the office's signing key and certificate").add_subparsers(dest="action", required=True)
    create = group.add_parser("create", help="make an EC P-256 key, a self-signed certificate and a certificate request")
    create.add_argument("--name", required=True, help="certificate holder (the head's name or the office)")
    create.add_argument("--organization", default="", help="organization name in the certificate")
    create.add_argument("--province", default="", help="province in the certificate")
    create.add_argument("--days", type=int, default=3 * 365, help="validity of the self-signed certificate in days")
    create.add_argument("--passphrase-file", type=Path, required=True, help="file whose first line is the new passphrase (8+ characters)")
    create.add_argument("-o", "--output", type=Path, help="identity file (default: office-identity.p12 in the user's data folder)")
    create.add_argument("--csr", type=Path, help="also write the certificate signing request (PEM) here")
    create.add_argument("--force", action="store_true", help="replace an existing identity file")
    imp = group.add_parser("import-p12", help="import the PKCS#12 file (.p12/.pfx) issued by a certificate authority")
    imp.add_argument("file", type=Path)
    imp.add_argument("--passphrase-file", type=Path, required=True)
    imp.add_argument("--new-passphrase-file", type=Path, help="re-encrypt with this passphrase (default: the same)")
    imp.add_argument("-o", "--output", type=Path, help="identity file (default: office-identity.p12 in the user's data folder)")
    imp.add_argument("--force", action="store_true", help="replace an existing identity file")
    csr = group.add_parser("csr", help="write a certificate signing request for the identity's key")
    csr.add_argument("keyfile", type=Path, nargs="?")
    csr.add_argument("--passphrase-file", type=Path, required=True)
    csr.add_argument("-o", "--output", type=Path, required=True)
    show = group.add_parser("show", help="show the identity's certificate")
    show.add_argument("keyfile", type=Path, nargs="?")
    show.add_argument("--passphrase-file", type=Path, required=True)
    install = group.add_parser("install-cert", help="put the certificate issued for the request into the identity file")
    install.add_argument("certificate", type=Path)
    install.add_argument("keyfile", type=Path, nargs="?")
    install.add_argument("--chain", type=Path, help="issuer certificates (PEM)")
    install.add_argument("--passphrase-file", type=Path, required=True)


def _passphrase(args: argparse.Namespace, attribute: str = "passphrase_file") -> str:
    path = getattr(args, attribute)
    if path is None:
        raise PdfCommandError(f"--{attribute.replace('_', '-')} is required")
    return ident.read_passphrase_file(path)


def _keyfile(path: Path | None) -> Path:
    return path or ident.default_identity_path()


def _read(path: Path, what: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise PdfCommandError(f"cannot read {what} {path}: {exc.strerror or exc}") from None


def _write(path: Path, data: bytes) -> None:
    write_atomically(path, data)  # complete or not at all, synced; files.WriteError is one line from cli.main


def _describe(identity: ident.OfficeIdentity) -> None:
    kind = "self-signed (until headquarters issues a certificate)" if identity.is_self_signed else f"issued by {identity.issuer_name}"
    say(f"holder   {identity.holder_name}")
    say(f"issuer   {kind}")
    say(f"valid    {identity.not_before.date()} to {identity.not_after.date()}")
    say(f"sha256   {identity.fingerprint}")


def cmd_report_pdf(args: argparse.Namespace) -> int:
    from citizen_rights_desktop.persian.jalali import InvalidDate, parse_date

    identity = None
    if args.sign is not None:  # check the key before the (longer) rendering
        identity = ident.load_identity(args.sign, _passphrase(args))
        problem = identity.validity_problem()
        if problem is not None:
            raise problem
    elif args.passphrase_file is not None:
        raise PdfCommandError("--passphrase-file is only used with --sign")
    letter_date = None
    if args.date:
        try:
            letter_date = parse_date(args.date)
        except InvalidDate:
            raise PdfCommandError(f"--date must be a Jalali date like 1399/02/20, not {args.date!r}") from None
    store = open_store(args)
    report, form = resolve_report(store, open_catalog(args), args.report)
    office = store.get_office(report.office_id)
    if office is None:
        raise PdfCommandError(f"report {report.id} has no office profile in this database")
    emblem: bytes | Path | None = args.emblem
    if emblem is None and office.emblem_sha256:
        try:
            emblem = store.evidence_bytes(office.emblem_sha256)
        except KeyError:
            raise PdfCommandError(f"the office emblem ({office.emblem_sha256[:12]}…) is not in the database; set the emblem again or pass --emblem") from None
    output: Path = args.output
    from citizen_rights_desktop.signing.signed_report import write_report_pdf

    result = write_report_pdf(
        store, form, report.id, output, identity, emblem=emblem, signature_image=args.signature_image, seal_image=args.seal_image,
        letter_number=args.number, letter_date=letter_date, allow_incomplete=args.allow_incomplete,
    )  # fmt: skip
    if identity is None:
        say(f"wrote {output} ({result.pages} pages)")
        return 0
    note = " with a self-signed certificate" if identity.is_self_signed else ""
    say(f"wrote {output} ({result.pages} pages), signed by {identity.holder_name}{note}; report {report.id} is now locked")
    return 0


def _load_certificates(path: Path) -> list:
    from cryptography import x509

    data = _read(path, "the certificate")
    try:
        if b"-----BEGIN" in data:
            return x509.load_pem_x509_certificates(data)
        return [x509.load_der_x509_certificate(data)]
    except ValueError:
        raise PdfCommandError(f"{path} is not a readable X.509 certificate") from None


def cmd_report_verify_pdf(args: argparse.Namespace) -> int:
    from citizen_rights_desktop.signing.pades import validate_pdf_signature

    trusted = [cert for path in args.trust for cert in _load_certificates(path)]
    check = validate_pdf_signature(args.file, trusted)
    if check.signed:
        say(f"signer   {check.signer}")
        if check.signed_at:
            say(f"signed   {check.signed_at.isoformat(timespec='seconds')}")
        say(f"intact {check.intact}; valid {check.valid}; trusted {check.trusted}; covers the whole file {check.whole_file}")
    if check.ok:
        say(check.reason_en)
        return 0
    raise PdfCommandError(check.reason_en)


def _refuse_overwrite(path: Path, force: bool) -> None:
    if path.exists() and not force:
        raise PdfCommandError(f"{path} already exists; pass --force to replace it (the old key is lost)")


def cmd_identity_create(args: argparse.Namespace) -> int:
    output = _keyfile(args.output)
    _refuse_overwrite(output, args.force)
    passphrase = _passphrase(args)
    identity = ident.create_identity(args.name, args.organization, args.province, args.days)
    ident.save_identity(identity, output, passphrase)
    say(f"wrote {output} (key encrypted with the passphrase)")
    if args.csr:
        _write(args.csr, ident.make_csr(identity))
        say(f"wrote the certificate request {args.csr}")
    _describe(identity)
    return 0


def cmd_identity_import(args: argparse.Namespace) -> int:
    output = _keyfile(args.output)
    _refuse_overwrite(output, args.force)
    passphrase = _passphrase(args)
    new = _passphrase(args, "new_passphrase_file") if args.new_passphrase_file else passphrase
    identity = ident.import_pkcs12(args.file, passphrase, output, new)
    problem = identity.validity_problem()
    say(f"imported {args.file} into {output}")
    _describe(identity)
    if problem is not None:
        say(f"warning: {problem.message_en}")
    return 0


def cmd_identity_csr(args: argparse.Namespace) -> int:
    identity = ident.load_identity(_keyfile(args.keyfile), _passphrase(args))
    _write(args.output, ident.make_csr(identity))
    say(f"wrote the certificate request {args.output}")
    return 0


def cmd_identity_show(args: argparse.Namespace) -> int:
    identity = ident.load_identity(_keyfile(args.keyfile), _passphrase(args))
    _describe(identity)
    problem = identity.validity_problem()
    if problem is not None:
        say(f"warning: {problem.message_en}")
    return 0


def cmd_identity_install(args: argparse.Namespace) -> int:
    keyfile = _keyfile(args.keyfile)
    passphrase = _passphrase(args)
    identity = ident.load_identity(keyfile, passphrase)
    chain = _read(args.chain, "the chain") if args.chain else b""
    updated = ident.install_certificate(identity, _read(args.certificate, "the certificate"), chain)
    ident.save_identity(updated, keyfile, passphrase)
    say(f"installed the certificate into {keyfile}")
    _describe(updated)
    return 0


COMMANDS = {
    ("report", "pdf"): cmd_report_pdf,
    ("report", "verify-pdf"): cmd_report_verify_pdf,
    ("identity", "create"): cmd_identity_create,
    ("identity", "import-p12"): cmd_identity_import,
    ("identity", "csr"): cmd_identity_csr,
    ("identity", "show"): cmd_identity_show,
    ("identity", "install-cert"): cmd_identity_install,
}

ERRORS = _errors()
