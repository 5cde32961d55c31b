"""``hq serve`` (issue 18): headquarters' intake service, where offices upload their bundles over
HTTPS (tus resumable uploads, mutual TLS with the certificates headquarters issued) and get a
signed receipt back (``hq.intake_server``). Registered by ``cli.hq``.

It runs until Ctrl+C or SIGTERM (``packaging/citizen-rights-intake.service`` runs it under
systemd); one log line per upload created, completed, refused or expired, on stderr or ``--log FILE``.
"""

from __future__ import annotations

import argparse
import ipaddress
import logging
import re
import socket
import sys
from pathlib import Path

from citizen_rights_desktop.cli.context import Commands, say
from citizen_rights_desktop.exchange.errors import ExchangeError, read_passphrase_file
from citizen_rights_desktop.paths import default_database_path

_LISTEN = re.compile(r"^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9.\-]+):([0-9]{1,5})$")
_ANY = ("0.0.0.0", "::")


def add_parsers(hq: Commands) -> None:
    serve = hq.add_parser("serve", help="run headquarters' intake service: offices upload bundles over HTTPS and get signed receipts")
    serve.add_argument("--passphrase-file", type=Path, required=True, help="file whose first line is the headquarters passphrase")
    serve.add_argument("--listen", required=True, metavar="HOST:PORT", help="address and port to listen on, e.g. 0.0.0.0:8443 or 127.0.0.1:8443")
    serve.add_argument("--hostname", action="append", default=[], metavar="NAME",
                       help="a name or IP address offices reach the service by (in its TLS certificate); repeat for more")  # fmt: skip
    serve.add_argument("--max-bundle-mb", type=float, default=700, help="largest bundle accepted, in MB (default 700, as 'hq import')")
    serve.add_argument("--max-uploads-per-office", type=int, default=4, help="unfinished uploads one office may have at a time (default 4)")
    serve.add_argument("--expire-hours", type=float, default=24, help="an unfinished upload silent this long is removed (default 24)")
    serve.add_argument("--quota-gb", type=float, help="all unfinished uploads together, at most (default: only the free disk limits them)")
    serve.add_argument("--min-free-mb", type=float, default=256, help="disk space always left free beside the database (default 256)")
    serve.add_argument("--intake-folder", type=Path, help="where partial uploads are kept (default: <database>-intake beside the database)")
    serve.add_argument("--log", type=Path, metavar="FILE", help="append the service's log to FILE (default: standard error)")


def _listen(value: str) -> tuple[str, int]:
    found = _LISTEN.match(value.strip())
    port = int(found.group(2)) if found else -1
    if not found or not 0 <= port <= 65535:
        raise ExchangeError("bad_listen", f"--listen must be HOST:PORT, e.g. 0.0.0.0:8443, not {value!r}", "نشانی و درگاه نامعتبر است.")
    return found.group(1).strip("[]"), port


def _hostnames(host: str, given: list[str]) -> list[str]:
    """The names in the server certificate: those given; else the listening address, or for an
    address that listens everywhere this computer's name and localhost."""
    if given:
        return given
    if host not in _ANY:
        return [host]
    names = ["localhost", "127.0.0.1"]
    name = socket.gethostname()
    try:
        ipaddress.ip_address(name)
        names.append(name)
    except ValueError:
        if re.fullmatch(r"[A-Za-z0-9.\-]{1,253}", name) and not name.startswith(("-", ".")):
            names.insert(0, name)
    return names


def _limits(args: argparse.Namespace):
    from citizen_rights_desktop.hq.intake_limits import MB, IntakeLimits

    try:
        return IntakeLimits(
            max_bundle_bytes=int(args.max_bundle_mb * MB),
            max_uploads_per_office=args.max_uploads_per_office,
            expire_seconds=args.expire_hours * 3600,
            quota_bytes=int(args.quota_gb * 1024 * MB) if args.quota_gb is not None else None,
            min_free_bytes=max(0, int(args.min_free_mb * MB)),
        )
    except ValueError:
        raise ExchangeError(
            "bad_limits", "--max-bundle-mb, --max-uploads-per-office, --expire-hours and --quota-gb must be positive", "محدودیت‌های سرویس باید مثبت باشند."
        ) from None


def _logging(path: Path | None) -> None:
    handler: logging.Handler
    if path is None:
        handler = logging.StreamHandler(sys.stderr)
    else:
        try:
            handler = logging.FileHandler(path, encoding="utf-8")
        except OSError as exc:
            raise ExchangeError("unwritable_log", f"cannot write the log {path}: {exc.strerror or exc}", "فایل گزارش کار قابل نوشتن نیست.") from None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    for name in ("citizen_rights.intake", "uvicorn.error"):
        logger = logging.getLogger(name)
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False


def cmd_hq_serve(args: argparse.Namespace) -> int:
    host, port = _listen(args.listen)
    limits = _limits(args)
    path = args.db or default_database_path()
    if not Path(path).exists():
        raise ExchangeError("no_database", f"no database at {path}", "پایگاه داده پیدا نشد.")
    passphrase = read_passphrase_file(args.passphrase_file)
    hostnames = _hostnames(host, args.hostname)
    _logging(args.log)
    from citizen_rights_desktop.hq.intake_server import serve

    def ready(server) -> None:
        shown = hostnames[0] if host in _ANY else host
        base = f"https://{f'[{shown}]' if ':' in shown else shown}:{server.port}"
        say(f"headquarters' intake service is listening on {host}:{server.port}: {base}/files/ (TLS; offices need their certificate from headquarters)")
        say(f"names in its certificate: {', '.join(hostnames)}; the certificate's SHA-256: {server.certificate_sha256}")
        say(f"give offices the address with: citizen-rights hq profile export --intake-url {base} ...")
        say("health: GET /health; stop with Ctrl+C (under systemd: systemctl stop citizen-rights-intake)")
        sys.stdout.flush()

    serve(path, passphrase, host, port, limits, hostnames, args.forms, args.intake_folder, ready=ready)
    say("the intake service stopped")
    return 0


COMMANDS = {("hq", "serve"): cmd_hq_serve}
