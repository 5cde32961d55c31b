"""``hq forward`` and ``hq import-forward`` (issue 16): a provincial headquarters passes what it
accepted to the national one (``hq.forward``)."""

from __future__ import annotations

import argparse
from pathlib import Path

from citizen_rights_desktop.cli.context import Commands, say
from citizen_rights_desktop.cli.exchange import _database, _hq, _read, _write
from citizen_rights_desktop.cli.hq import _subparsers
from citizen_rights_desktop.exchange.errors import BundleRefused, ExchangeError
from citizen_rights_desktop.exchange.profile import read_profile
from citizen_rights_desktop.form.catalog import FormCatalog
from citizen_rights_desktop.hq import forward as hq_forward
from citizen_rights_desktop.hq import importer as hq_import
from citizen_rights_desktop.hq import profile as hq_profile_export
from citizen_rights_desktop.hq.pdf_fast import validate_pending
from citizen_rights_desktop.hq.signer_trust import default_pdf_check


def add_parsers(commands: Commands, common: argparse.ArgumentParser) -> None:
    hq = Commands(_subparsers(commands.commands.choices["hq"]), common)
    forward = hq.add_parser("forward", help="a provincial headquarters: forward the submissions it accepted to the national headquarters, in one signed file")
    forward.add_argument("--passphrase-file", type=Path, required=True, help="file whose first line is the headquarters passphrase")
    forward.add_argument("--to", type=Path, required=True, metavar="PROFILE", help="the national headquarters' profile (its key and id)")
    forward.add_argument("-o", "--output", type=Path, required=True, help="the forwarding file to write (.crf)")
    forward.add_argument("--kind", metavar="FORM_ID", help="only this kind of report")
    forward.add_argument("--period", help="only this period (a year includes its quarters and visits)")
    take = hq.add_parser("import-forward", help="the national headquarters: import a province's forwarding file")
    take.add_argument("--passphrase-file", type=Path, required=True, help="file whose first line is the headquarters passphrase")
    take.add_argument("file", type=Path)


def cmd_hq_forward(args: argparse.Namespace) -> int:
    database = _database(args)
    hq = _hq(args, database)
    national = read_profile(_read(args.to, "the national profile"))
    rows = hq_forward.forwardable(database, args.kind, args.period)
    if not rows:
        raise ExchangeError("nothing_to_forward", "no accepted submission to forward (review them first: hq review accept)", "گزارش پذیرفته‌شده‌ای برای ارسال نیست.")
    _write(args.output, hq_forward.build_forward(database, hq, national, rows))
    say(f"wrote {args.output}: {len(rows)} accepted submission(s) for {national.name} ({national.hq_id})")
    return 0


def cmd_hq_import_forward(args: argparse.Namespace) -> int:
    database = _database(args)
    hq = _hq(args, database)
    catalog = FormCatalog(args.forms)
    hq_profile_export.install_province_forms(database, catalog)
    refused = 0
    with hq_import.Importer(database, hq, catalog, pdf_check="fast") as importer:
        for item in hq_forward.import_forward(importer, _read(args.file, "the forwarding file")):
            if isinstance(item.outcome, BundleRefused):
                refused += 1
                say(f"{item.key}: refused: {item.outcome.message_en}")
            else:
                say(f"{item.key}: {item.outcome.message_en}")
        validate_pending(database, default_pdf_check(importer.trust.roots))
    say(f"{refused} refused" if refused else "every forwarded submission is in")
    return 2 if refused else 0


COMMANDS = {("hq", "forward"): cmd_hq_forward, ("hq", "import-forward"): cmd_hq_import_forward}
