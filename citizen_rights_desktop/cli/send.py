"""``citizen-rights send``, ``office receipts`` and ``office set-intake`` (issue 18): the office's
outbox sent to headquarters' intake service, and headquarters' signed receipts."""

from __future__ import annotations

import argparse
from pathlib import Path

from citizen_rights_desktop.cli.context import EXIT_ERROR, Commands, say
from citizen_rights_desktop.cli.exchange import _database, _identity
from citizen_rights_desktop.cli.hq import _subparsers
from citizen_rights_desktop.exchange import office_enrolment as office_exchange
from citizen_rights_desktop.exchange import outbox
from citizen_rights_desktop.exchange.sender import Sender, office_credentials
from storage import outbox_store
from storage.outbox_store import RECEIVED


def add_parsers(commands: Commands, common: argparse.ArgumentParser) -> None:
    send = commands.add_parser("send", help="send the queued bundles to headquarters' intake service; exit 0 once every one has a receipt")
    send.add_argument("--max-time", type=float, metavar="SECONDS", help="stop retrying after this long (default: until every bundle is answered)")
    send.add_argument("--identity", type=Path, help="the office identity (.p12; default: the user's data folder)")
    send.add_argument("--passphrase-file", type=Path, required=True, help="the identity's passphrase (its key proves this office to headquarters)")
    send.add_argument("--url", help="send to this address this once (default: 'office set-intake', else the profile's)")
    office = Commands(_subparsers(commands.commands.choices["office"]), common)
    office.add_parser("receipts", help="the outbox: every queued bundle, and headquarters' receipt or refusal")
    intake = office.add_parser("set-intake", help="the address of headquarters' intake service, instead of the profile's ('-' for the profile's)")
    intake.add_argument("url")


def _credentials(args: argparse.Namespace, database):
    return office_credentials(database, _identity(args.identity, args.passphrase_file).private_key)


def cmd_send(args: argparse.Namespace) -> int:
    database = _database(args)
    pending = outbox_store.entries(database, pending_only=True)
    if not pending:
        say("nothing to send: the outbox holds no queued bundle ('report bundle REPORT --queue' queues one)")
        return 0
    profile, credentials = _credentials(args, database)
    url = outbox.check_intake_url(args.url) if args.url else None
    sender = Sender(database, profile, credentials, url)
    say(f"sending {len(pending)} bundle(s) to {sender.connection.base_url}")
    results = sender.send_all(args.max_time, say)
    answered = [e for e in results if e.receipt is not None]
    refused_at_door = [e for e in results if e.answered and e.receipt is None]
    waiting = [e for e in results if not e.answered]
    received = sum(e.state == RECEIVED for e in results)
    say(f"{received} received, {len(answered) - received} refused with a receipt, {len(refused_at_door)} refused, {len(waiting)} not sent yet")
    return 0 if len(answered) == len(results) else EXIT_ERROR


def cmd_office_receipts(args: argparse.Namespace) -> int:
    database = _database(args)
    found = outbox_store.entries(database)
    if not found:
        say("the outbox is empty")
        return 0
    for e in found:
        if e.state == RECEIVED:
            status = f"received, receipt {e.receipt_id} at {e.answered_at}"
        elif e.answered:
            status = f"refused ({e.reason_code}): {e.reason_en}" + (f"; receipt {e.receipt_id}" if e.receipt_id else "")
        else:
            status = f"{e.state} {e.percent}%" + (f"; last try: {e.last_error}" if e.last_error else "")
            status += f"; next try after {e.next_attempt_at}" if e.next_attempt_at else ""
        say(f"{e.report_id} revision {e.revision}  {e.file_name}  {e.size} bytes  queued {e.queued_at}  {status}")
    return 0


def cmd_office_set_intake(args: argparse.Namespace) -> int:
    database = _database(args)
    value = outbox.set_intake_url(database, None if args.url in ("-", "") else args.url)
    profile = office_exchange.load_profile(database)
    say(f"bundles go to {value}" if value else f"bundles go to the profile's address: {outbox.intake_url(database, profile) or 'none set'}")
    return 0


COMMANDS = {
    ("send", None): cmd_send,
    ("office", "receipts"): cmd_office_receipts,
    ("office", "set-intake"): cmd_office_set_intake,
}
