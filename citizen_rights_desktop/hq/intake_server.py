"""Running headquarters' intake service (issue 18): HTTPS on uvicorn, with a server certificate
headquarters' CA issues at every start, and mutual TLS with the offices' certificates.

From the command line (``citizen-rights hq serve``): ``serve(...)`` loads the headquarters keys and
runs until stopped (Ctrl+C, SIGTERM). From a test::

    server = IntakeServer(db_path, hq, port=0, limits=IntakeLimits(...))
    server.start()            # in a thread; returns once it listens
    ... server.url, server.port, server.certificate ...
    server.stop()
"""

from __future__ import annotations

import hashlib
import logging
import signal
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Self

import uvicorn
from cryptography.hazmat.primitives import serialization

from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.hq.identity import HQIdentity, load_hq
from citizen_rights_desktop.hq.intake_app import IntakeService, create_app
from citizen_rights_desktop.hq.intake_files import IntakeFolder, default_intake_folder
from citizen_rights_desktop.hq.intake_limits import IntakeLimits
from citizen_rights_desktop.hq.intake_tls import ClientCertificateH11Protocol
from citizen_rights_desktop.hq.server_certificate import issue_server_certificate, server_ssl_context
from storage.database import open_database

log = logging.getLogger("citizen_rights.intake")


class IntakeServer:
    """The intake service bound to ``host:port`` (0: any free port), for ``hostnames`` (the names
    and addresses offices reach it by: its certificate's subject alternative names)."""

    def __init__(
        self,
        database_path: str | Path,
        hq: HQIdentity,
        host: str = "127.0.0.1",
        port: int = 0,
        limits: IntakeLimits | None = None,
        hostnames: list[str] | None = None,
        forms: Path | None = None,
        intake_folder: str | Path | None = None,
    ):
        self.host = host
        self.certificate, key = issue_server_certificate(hq, hostnames or [host])
        ssl_context = server_ssl_context(self.certificate, key, hq.ca_cert)
        self.folder = IntakeFolder(intake_folder or default_intake_folder(database_path))
        self.service = IntakeService(database_path, hq, self.folder, limits, forms)
        config = uvicorn.Config(
            create_app(self.service), host=host, port=port, http=ClientCertificateH11Protocol, ws="none", lifespan="on", loop="asyncio",
            ssl_context_factory=lambda _config, _default: ssl_context, log_config=None, access_log=False,
            proxy_headers=False, server_header=False, timeout_graceful_shutdown=10,
        )  # fmt: skip
        self.server = uvicorn.Server(config)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.server.servers[0].sockets[0].getsockname()[1]

    @property
    def url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"https://{host}:{self.port}/files/"

    @property
    def certificate_sha256(self) -> str:
        return hashlib.sha256(self.certificate.public_bytes(serialization.Encoding.DER)).hexdigest()

    def run(self, ready: Callable[[IntakeServer], None] | None = None) -> None:
        """Serve in this thread until stopped; ``ready(self)`` once it listens."""
        if ready is not None:
            threading.Thread(target=self._when_ready, args=(ready,), daemon=True, name="intake-ready").start()
        try:
            self.server.run()
        except SystemExit:  # uvicorn's answer to an address it cannot listen on (logged by it)
            raise ExchangeError(
                "intake_not_started",
                f"the intake service could not listen on {self.host}:{self.server.config.port} (in use, or not this computer's address)",
                "سرویس دریافت نتوانست روی این نشانی راه‌اندازی شود.",
            ) from None
        finally:
            self.service.close()

    def _when_ready(self, ready: Callable[[IntakeServer], None]) -> None:
        while not self.server.started:
            if self.server.should_exit:
                return
            time.sleep(0.02)
        ready(self)

    def start(self, timeout: float = 15.0) -> Self:
        """Serve in a background thread; returns once it listens."""
        self._thread = threading.Thread(target=self.run, daemon=True, name="intake-server")
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self.server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("the intake service did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        self.server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=30)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def serve(
    database_path: str | Path,
    passphrase: str,
    host: str,
    port: int,
    limits: IntakeLimits | None = None,
    hostnames: list[str] | None = None,
    forms: Path | None = None,
    intake_folder: str | Path | None = None,
    ready: Callable[[IntakeServer], None] | None = None,
) -> None:
    """Load the headquarters keys from ``database_path`` and serve until Ctrl+C or SIGTERM."""
    database = open_database(database_path)
    try:
        hq = load_hq(database, passphrase)
    finally:
        database.close()
    server = IntakeServer(database_path, hq, host, port, limits, hostnames, forms, intake_folder)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _stop_quietly) if in_main else None
    try:
        server.run(ready)
    except KeyboardInterrupt:
        pass
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    log.info("the intake service stopped")


def _stop_quietly(signum, frame) -> None:
    """SIGTERM after uvicorn's own graceful shutdown (it raises the signal again when done)."""
    raise KeyboardInterrupt

