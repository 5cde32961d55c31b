"""Day-to-day safety: one instance per database, logs without answers, the self-check."""

import logging
import subprocess
import sys

import pytest

from citizen_rights_desktop.app_log import log_exception, setup_logging
from storage.lock import DatabaseInUse, InstanceLock
from tests.conftest import ROOT

HOLD = r"""
import sys, time
from storage.lock import InstanceLock
lock = InstanceLock(sys.argv[1]).acquire()
print("held", flush=True)
time.sleep(30)
"""


def test_second_instance_is_refused(tmp_path):
    db = tmp_path / "reports.sqlite3"
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(db)], stdout=subprocess.PIPE, text=True, cwd=ROOT)
    try:
        assert holder.stdout.readline().strip() == "held"
        with pytest.raises(DatabaseInUse) as info:
            InstanceLock(db).acquire()
        assert "already open" in info.value.message_en and "پنجره دیگری" in info.value.message_fa
    finally:
        holder.kill()
        holder.wait()
    # the OS releases the lock of a killed process: the next start works
    with InstanceLock(db):
        pass


def test_errors_are_logged_without_their_message(tmp_path):
    path = setup_logging(tmp_path)
    secret = "شماره ملی ۰۰۱۲۳۴۵۶۷۸ متقاضی"
    try:
        raise ValueError(f"cannot parse {secret}")
    except ValueError:
        description = log_exception(*sys.exc_info())
    for handler in logging.getLogger("citizen_rights").handlers:
        handler.flush()
    text = path.read_text(encoding="utf-8")
    assert "builtins.ValueError at test_safety.py:" in text
    assert description in text
    assert secret not in text and "cannot parse" not in text


def test_self_check_prints_ok():
    result = subprocess.run([sys.executable, "-m", "citizen_rights_desktop", "--self-check"], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.strip().splitlines()
    assert lines[-1] == "ok"
    assert any(line.startswith("pdf: ") for line in lines)


def test_self_check_reports_a_broken_installation(tmp_path, monkeypatch):
    from citizen_rights_desktop.cli import self_check

    monkeypatch.setattr(self_check, "fonts_dir", lambda: tmp_path)
    said = []
    assert self_check.run_self_check(said.append) == 1
    assert said[-1].startswith("FAILED fonts:")


def test_settings_round_trip_and_tolerate_damage(tmp_path):
    from citizen_rights_desktop.settings import Settings, load_settings, save_settings

    path = tmp_path / "settings.json"
    assert load_settings(path) == Settings()
    save_settings(Settings(font_size=16, export_folder=str(tmp_path)), path)
    assert load_settings(path) == Settings(font_size=16, export_folder=str(tmp_path))
    path.write_text('{"font_size": "huge", "export_folder": 3}', encoding="utf-8")
    assert load_settings(path) == Settings()
    path.write_text("not json", encoding="utf-8")
    assert load_settings(path) == Settings()
    assert [p[0] for p in Settings(font_size=99, export_folder=str(tmp_path / "none")).problems()] == ["font_size", "export_folder"]


def test_launcher_starts_the_window_without_the_cli_modules(monkeypatch, tmp_path):
    import sys as system
    from pathlib import Path

    from ui import launcher

    assert launcher._application_options([]) == {}
    assert launcher._application_options(["--db", str(tmp_path / "x.sqlite3")]) == {"db": tmp_path / "x.sqlite3"}
    assert launcher._application_options(["--db=a", "--forms", "f"]) == {"db": Path("a"), "forms": Path("f")}
    assert launcher._application_options(["report", "list"]) is None
    assert launcher._application_options(["--self-check"]) is None
    assert launcher._application_options(["--db"]) is None
    code = (
        "import sys, types\n"
        "app = types.ModuleType('ui.app')\n"
        "app.run = lambda db_path, forms: print('window', db_path) or 0\n"
        "sys.modules['ui.app'] = app\n"
        "from ui.launcher import main\n"
        "assert main(['--db', 'x.sqlite3']) == 0\n"
        "print('cli imported' if 'citizen_rights_desktop.cli.main' in sys.modules else 'cli not imported')\n"
    )
    result = subprocess.run([system.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.split() == ["window", "x.sqlite3", "cli", "not", "imported"], result.stderr
