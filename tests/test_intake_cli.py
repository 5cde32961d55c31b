"""``citizen-rights hq serve`` and ``hq profile export --intake-url`` (issue 18)."""

from __future__ import annotations

import base64
import json
import queue
import re
import signal
import subprocess
import sys
import threading

import pytest
from bundle_world import PASSPHRASE

from citizen_rights_desktop.cli import main as cli
from citizen_rights_desktop.exchange.envelope import sign_envelope
from citizen_rights_desktop.exchange.errors import ExchangeError
from citizen_rights_desktop.exchange.profile import PROFILE_FORMAT, read_profile
from tests.intake_helpers import TusTestClient, office_files, pem


def _lines(stream, into: queue.Queue) -> None:
    for line in stream:
        into.put(line)
    into.put(None)


def test_hq_serve_runs_the_service_until_sigterm(w, tmp_path):
    database = w.hq_copy(tmp_path)
    db_path = database.path
    database.close()
    passphrase = tmp_path / "pass"
    passphrase.write_text(PASSPHRASE + "\n")
    log = tmp_path / "intake.log"
    process = subprocess.Popen(
        [sys.executable, "-c", "import sys; from citizen_rights_desktop.cli.main import main; sys.exit(main(sys.argv[1:]))",
         "hq", "serve", "--db", str(db_path), "--passphrase-file", str(passphrase), "--listen", "127.0.0.1:0",
         "--hostname", "127.0.0.1", "--log", str(log)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    lines: queue.Queue = queue.Queue()
    threading.Thread(target=_lines, args=(process.stdout, lines), daemon=True).start()
    try:
        said = []
        while not any("stop with Ctrl+C" in line for line in said):
            line = lines.get(timeout=30)
            assert line is not None, process.stderr.read()
            said.append(line)
        port = int(re.search(r"listening on 127\.0\.0\.1:(\d+)", "".join(said)).group(1))
        assert re.search(r"SHA-256: [0-9a-f]{64}", "".join(said)) and f"--intake-url https://127.0.0.1:{port}" in "".join(said)
        (tmp_path / "ca.pem").write_bytes(pem(w.hq.ca_cert))
        anonymous = TusTestClient(port, tmp_path / "ca.pem", None)
        health = anonymous.request("GET", "/health", tus=False)
        assert health.status == 200 and health.json()["hq_id"] == w.hq.hq_id
        office = TusTestClient(port, tmp_path / "ca.pem", office_files(tmp_path / "tls", "office", w.signer.certificate, w.signer.private_key))
        assert office.upload(w.build()).headers["upload-receipt"].startswith("/receipts/")
    finally:
        process.send_signal(signal.SIGTERM)
        code = process.wait(timeout=30)
    rest = []
    while (line := lines.get(timeout=10)) is not None:
        rest.append(line)
    assert code == 0, process.stderr.read()
    assert "the intake service stopped" in "".join(rest)
    text = log.read_text(encoding="utf-8")
    assert re.search(r"upload [0-9a-f]{32} created: office ", text) and re.search(r"upload [0-9a-f]{32} completed: .*imported", text)


def test_hq_serve_refuses_a_bad_listen_address(tmp_path, capsys):
    code = cli.main(["hq", "serve", "--db", str(tmp_path / "none.sqlite3"), "--passphrase-file", str(tmp_path / "p"), "--listen", "nowhere"])
    assert code == 2 and "--listen must be HOST:PORT" in capsys.readouterr().err


def test_the_profile_carries_the_intake_address(w, tmp_path, capsys):
    database = w.hq_copy(tmp_path)
    db_path = database.path
    database.close()
    passphrase = tmp_path / "pass"
    passphrase.write_text(PASSPHRASE + "\n")
    out_file = tmp_path / "profile.json"
    args = ["hq", "profile", "export", "--db", str(db_path), "-o", str(out_file), "--passphrase-file", str(passphrase)]
    assert cli.main([*args, "--intake-url", "https://intake.hq.example:8443/"]) == 0
    assert "intake service https://intake.hq.example:8443" in capsys.readouterr().out
    assert read_profile(out_file.read_bytes()).intake_url == "https://intake.hq.example:8443"
    assert cli.main([*args, "--intake-url", "http://intake.hq.example"]) == 2
    assert "--intake-url must be an https:// address" in capsys.readouterr().err
    assert read_profile(w.profile).intake_url == ""  # a profile without one: USB only


@pytest.mark.parametrize("url", ["http://hq.example", "https://hq.example/\u202eexe", "https://user@hq.example", "https://" + "a" * 300, 42])
def test_a_profile_with_a_bad_intake_address_is_refused(w, url):
    envelope = json.loads(w.profile)
    payload = json.loads(base64.b64decode(envelope["payload"]))
    payload["intake_url"] = url
    with pytest.raises(ExchangeError, match="intake_url"):
        read_profile(sign_envelope(w.hq.ca_key, PROFILE_FORMAT, payload))
