"""The command line on a bad day (issue 12, items 5, 8 and 10): a full disk, a reader that goes away
(``| head``), an unexpected OS error, a Persian headquarters name in the age identity file, and
third-party warnings. Every failure is one English line and exit 2, never a traceback, and a failed
write leaves nothing behind: the folder written to lists exactly what it listed before.

The full disk is simulated (no root, no tmpfs): every file opened for writing under the "disk"
folder takes only so many bytes and then fails with ``ENOSPC``, as a real full disk does partway
through a file; or the disk accepts the bytes and reports ``ENOSPC`` when they are synced, as
delayed allocation and network file systems do.
"""

from __future__ import annotations

import builtins
import errno
import io
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pyrage
import pytest
from test_hq_completeness import sample_hq

from citizen_rights_desktop.cli import main as cli
from storage import open_database

ROOT = Path(__file__).resolve().parent.parent
FULL = "No space left on device"
HQ_PASS = "headquarters secret 1"
PERSIAN_HQ = "سازمان اداری و استخدامی کشور"


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def listing(folder: Path) -> list[str]:
    """Everything under ``folder`` (hidden temporary files included), with sizes."""
    return sorted(f"{p.relative_to(folder)} {p.stat().st_size if p.is_file() else '/'}" for p in folder.rglob("*"))


def _fd_path(fd: int) -> str | None:
    try:
        return os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None


class FullDisk:
    """Files opened for writing under ``folder`` accept ``room`` bytes in all, then fail with ENOSPC
    (``how="write"``), or accept everything and fail when synced (``how="fsync"``)."""

    def __init__(self, monkeypatch, folder: Path, how: str, room: int):
        self.folder, self.how, self.room = folder.resolve(), how, room
        real_open, real_fsync = io.open, os.fsync

        def fake_open(file, mode="r", *args, **kwargs):
            handle = real_open(file, mode, *args, **kwargs)
            path = _fd_path(file) if isinstance(file, int) else os.fspath(file)
            if how == "write" and any(m in mode for m in "wxa+") and path is not None and self.inside(path):
                return _Filling(handle, self)
            return handle

        def fake_fsync(fd):
            path = _fd_path(fd if isinstance(fd, int) else fd.fileno())
            if path is not None and self.inside(path) and not os.path.isdir(path):
                raise OSError(errno.ENOSPC, FULL)
            return real_fsync(fd)

        monkeypatch.setattr(builtins, "open", fake_open)
        monkeypatch.setattr(io, "open", fake_open)
        if how == "fsync":
            monkeypatch.setattr(os, "fsync", fake_fsync)

    def inside(self, path: str) -> bool:
        return self.folder in Path(os.path.abspath(path)).parents


class _Filling:
    def __init__(self, handle, disk: FullDisk):
        self._handle, self._disk = handle, disk

    def write(self, data):
        if len(data) > self._disk.room:
            self._disk.room = 0
            raise OSError(errno.ENOSPC, FULL)
        self._disk.room -= len(data)
        return self._handle.write(data)

    def __getattr__(self, name):
        return getattr(self._handle, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self._handle.close()

    def __iter__(self):
        return iter(self._handle)


HOW = ["write", pytest.param("fsync", marks=pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc/self/fd"))]


@pytest.fixture(scope="module")
def hq_db(tmp_path_factory, form):
    path = tmp_path_factory.mktemp("robust-hq") / "hq.sqlite3"
    database, _, _ = sample_hq(path, form, 12, seed=3)
    database.close()
    return path


@pytest.fixture
def disk(tmp_path):
    """The "disk" written to, with a file already on it (it must survive every failure)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    (folder / "keep.txt").write_text("already here\n")
    return folder


# --- item 8: a full disk -----------------------------------------------------------------------


@pytest.mark.parametrize("how", HOW)
def test_hq_export_xlsx_on_a_full_disk_leaves_nothing(hq_db, disk, capsys, monkeypatch, how):
    before = listing(disk)
    sheets_before = set(Path(tempfile.gettempdir()).glob("crd-xlsx-*"))
    FullDisk(monkeypatch, disk, how, room=20000)
    code, out, err = run(capsys, "hq", "export", "--db", hq_db, "--xlsx", disk / "hq.xlsx")
    assert (code, out, err) == (2, "", f"error: cannot write {disk / 'hq.xlsx'}: {FULL}\n")
    assert listing(disk) == before
    assert set(Path(tempfile.gettempdir()).glob("crd-xlsx-*")) <= sheets_before  # the streamed sheets' scratch files are gone too


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("folder_exists", [False, True], ids=["new-folder", "existing-folder"])
def test_hq_export_csv_on_a_full_disk_leaves_no_partial_set(hq_db, disk, capsys, monkeypatch, how, folder_exists):
    target = disk / "csv"
    if folder_exists:
        target.mkdir()
        (target / "notes.txt").write_text("the user's own file\n")
    before = listing(disk)
    FullDisk(monkeypatch, disk, how, room=20000)  # a few files fit, then the disk is full
    code, out, err = run(capsys, "hq", "export", "--db", hq_db, "--csv", target)
    assert (code, out, err) == (2, "", f"error: cannot write {target}: {FULL}\n")
    assert listing(disk) == before


@pytest.mark.parametrize("how", HOW)
def test_hq_status_reminders_on_a_full_disk_leaves_nothing(hq_db, disk, capsys, monkeypatch, how):
    before = listing(disk)
    FullDisk(monkeypatch, disk, how, room=100)
    code, _, err = run(capsys, "hq", "status", "--db", hq_db, "--reminders", disk / "reminders.csv")
    assert (code, err) == (2, f"error: cannot write {disk / 'reminders.csv'}: {FULL}\n")
    assert listing(disk) == before


@pytest.fixture(scope="module")
def office_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("robust-office") / "office.sqlite3"
    assert cli.main(["demo", "--db", str(path)]) == 0
    database = open_database(path, take_backups=False)
    (report_id,) = [row[0] for row in database.conn.execute("SELECT id FROM report")]
    database.close()
    return path, report_id


@pytest.mark.parametrize("how", HOW)
def test_report_export_json_on_a_full_disk_leaves_no_partial_file(office_db, disk, capsys, monkeypatch, how):
    path, report_id = office_db
    before = listing(disk)
    FullDisk(monkeypatch, disk, how, room=2000)
    code, _, err = run(capsys, "report", "export-json", "--db", path, report_id, disk / "answers.json")
    assert (code, err) == (2, f"error: cannot write {disk / 'answers.json'}: {FULL}\n")
    assert listing(disk) == before


@pytest.fixture(scope="module")
def hq_keys(tmp_path_factory):
    """A headquarters database with its keys, its passphrase file and an office identity (for 'identity csr')."""
    from citizen_rights_desktop.signing import identity

    folder = tmp_path_factory.mktemp("robust-keys")
    secret = folder / "pass"
    secret.write_text(HQ_PASS + "\n")
    assert cli.main(["hq", "init", "--db", str(folder / "hq.sqlite3"), "--name", "Headquarters", "--passphrase-file", str(secret)]) == 0
    identity.save_identity(identity.create_identity("Office"), folder / "office.p12", HQ_PASS)
    return folder


WRITERS = {  # the command's arguments after the ones naming the database and the passphrase; "OUT" is the file written
    "hq profile export": ["hq", "profile", "export", "-o", "OUT"],
    "hq key-backup": ["hq", "key-backup", "--backup-passphrase-file", "PASS", "-o", "OUT"],
    "hq export-age-identity": ["hq", "export-age-identity", "-o", "OUT"],
    "identity csr": ["identity", "csr", "KEYS/office.p12", "-o", "OUT"],
}


def _writer_argv(name: str, keys: Path, out: Path) -> list[str]:
    secret = str(keys / "pass")
    argv = [{"OUT": str(out), "PASS": secret}.get(a, a).replace("KEYS", str(keys)) for a in WRITERS[name]]
    if argv[0] == "hq":
        argv += ["--db", str(keys / "hq.sqlite3")]
    return argv + ["--passphrase-file", secret]


@pytest.mark.parametrize("how", HOW)
@pytest.mark.parametrize("name", WRITERS)
def test_other_cli_writers_on_a_full_disk_leave_nothing(hq_keys, disk, capsys, monkeypatch, how, name):
    before = listing(disk)
    FullDisk(monkeypatch, disk, how, room=10)
    code, _, err = run(capsys, *_writer_argv(name, hq_keys, disk / "out.file"))
    assert (code, err) == (2, f"error: cannot write {disk / 'out.file'}: {FULL}\n")
    assert listing(disk) == before


def test_successful_writes_leave_only_their_files(hq_db, office_db, disk, capsys):
    """No temporary file or folder is left after a write that worked; an existing CSV folder keeps the user's files."""
    (disk / "csv").mkdir()
    (disk / "csv" / "notes.txt").write_text("the user's own file\n")
    assert run(capsys, "hq", "export", "--db", hq_db, "--xlsx", disk / "hq.xlsx")[0] == 0
    assert run(capsys, "hq", "export", "--db", hq_db, "--csv", disk / "csv")[0] == 0
    assert run(capsys, "hq", "export", "--db", hq_db, "--csv", disk / "new" / "csv")[0] == 0
    assert run(capsys, "report", "export-json", "--db", office_db[0], office_db[1], disk / "answers.json")[0] == 0
    assert sorted(p.name for p in disk.iterdir()) == ["answers.json", "csv", "hq.xlsx", "keep.txt", "new"]
    assert "notes.txt" in {p.name for p in (disk / "csv").iterdir()}
    assert sorted(p.name for p in (disk / "csv").iterdir()) == sorted([*(p.name for p in (disk / "new" / "csv").iterdir()), "notes.txt"])
    assert all(not p.name.startswith(".") for p in disk.rglob("*"))
    assert stat.S_IMODE((disk / "new" / "csv").stat().st_mode) == stat.S_IMODE((disk / "csv").stat().st_mode)  # not a private temp folder's mode


# --- the last resort: an OS error no command expected --------------------------------------------


def test_an_unexpected_os_error_is_one_line(capsys, monkeypatch):
    def boom(args):
        raise PermissionError(errno.EACCES, "Permission denied", "/somewhere/locked")

    monkeypatch.setitem(cli.COMMANDS, ("report", "list"), boom)
    code, out, err = run(capsys, "report", "list")
    assert (code, out, err) == (2, "", "error: /somewhere/locked: Permission denied\n")


def test_the_commands_own_messages_are_kept(tmp_path, capsys):
    """The catch-all does not replace what a command already says (a read error keeps its wording)."""
    code, _, err = run(capsys, "report", "import-json", "--db", tmp_path / "x.sqlite3", tmp_path / "missing.json")
    assert (code, err) == (2, f"error: cannot read {tmp_path / 'missing.json'}: No such file or directory\n")


# --- item 10: the reader goes away (| head) ----------------------------------------------------------


def _closed_pipe(*argv) -> subprocess.CompletedProcess:
    """Run the command with its output into a pipe whose reading end is closed at once, as ``| head`` does."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONUNBUFFERED", None)
    process = subprocess.Popen([sys.executable, "-m", "citizen_rights_desktop", *map(str, argv)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    process.stdout.close()
    err = process.stderr.read().decode("utf-8", "replace")
    process.stderr.close()
    return subprocess.CompletedProcess(argv, process.wait(timeout=120), "", err)


@pytest.fixture(scope="module")
def many_reports(tmp_path_factory):
    path = tmp_path_factory.mktemp("robust-many") / "office.sqlite3"
    assert cli.main(["demo", "--db", str(path), "--reports", "200"]) == 0  # 'report list' then prints ~25 kB
    return path


def test_report_list_into_a_closed_pipe_exits_quietly(many_reports):
    result = _closed_pipe("report", "list", "--db", many_reports)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr
    assert result.stderr == "" and result.returncode == 1


def test_hq_status_into_a_closed_pipe_exits_quietly(hq_db):
    result = _closed_pipe("hq", "status", "--db", hq_db)
    assert "Traceback" not in result.stderr and "BrokenPipe" not in result.stderr, result.stderr
    assert result.stderr == "" and result.returncode == 1


def test_a_broken_pipe_in_process_returns_1_quietly(capsys, monkeypatch):
    def reader_gone(args):
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    monkeypatch.setitem(cli.COMMANDS, ("report", "list"), reader_gone)
    assert run(capsys, "report", "list") == (1, "", "")


# --- item 5: the age identity file of a headquarters with a Persian name -----------------------------


@pytest.mark.skipif(shutil.which("age") is None, reason="the age tool (Debian package 'age') is not installed; .ci/run installs it")
@pytest.mark.parametrize("name", [PERSIAN_HQ], ids=["persian"])
def test_age_identity_of_a_persian_headquarters_opens_with_age(tmp_path, capsys, monkeypatch, name):
    from citizen_rights_desktop.hq import identity as hq_identity

    secret = tmp_path / "pass"
    secret.write_text(HQ_PASS + "\n")
    db = tmp_path / "hq.sqlite3"
    assert run(capsys, "hq", "init", "--db", db, "--name", name, "--passphrase-file", secret)[0] == 0
    modes = []
    real_replace = os.replace

    def watch_replace(source, target, *args, **kwargs):  # the key file must be private while it is written, too
        if Path(target).name == "id.txt":
            modes.append(stat.S_IMODE(os.stat(source).st_mode))
        return real_replace(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "replace", watch_replace)
    code, _, err = run(capsys, "hq", "export-age-identity", "--db", db, "--passphrase-file", secret, "-o", tmp_path / "id.txt")
    monkeypatch.undo()
    assert code == 0, err
    assert modes == [0o600] and stat.S_IMODE((tmp_path / "id.txt").stat().st_mode) == 0o600
    database = open_database(db, take_backups=False)
    recipient = pyrage.x25519.Recipient.from_str(hq_identity.hq_public(database).age_recipient)
    database.close()
    (tmp_path / "message.age").write_bytes(pyrage.encrypt("سلام ستاد".encode(), [recipient]))
    out = subprocess.run(["age", "-d", "-i", str(tmp_path / "id.txt"), str(tmp_path / "message.age")], capture_output=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == "سلام ستاد"
    text = (tmp_path / "id.txt").read_text(encoding="utf-8")
    assert " ".join(name.split()) in text  # the name stays readable for people, on one comment line


# --- third-party warnings --------------------------------------------------------------------------


def _cli(*argv, code: str = "") -> subprocess.CompletedProcess:
    script = f"import sys\nfrom citizen_rights_desktop.cli.main import main\nstatus = main({[str(a) for a in argv]!r})\n{code}\nsys.exit(status)\n"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    env.pop("PYTHONWARNINGS", None)
    return subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_pyhanko_deprecation_warnings_are_not_shown(tmp_path):
    missing = tmp_path / "missing.pdf"
    result = _cli("report", "verify-pdf", missing)  # imports pyHanko, which touches cryptography's deprecated DSA
    assert result.stderr == f"error: cannot read {missing}: No such file or directory\n"
    assert result.returncode == 2


def test_other_warnings_are_still_shown(tmp_path):
    result = _cli("report", "verify-pdf", tmp_path / "missing.pdf", code="import warnings\nwarnings.warn('still shown', UserWarning)")
    assert "UserWarning: still shown" in result.stderr


def test_age_identity_keeps_a_name_from_before_the_checks_on_its_comment_line():
    """hq init now refuses a name with a line break; a database made before may hold one: the
    identity file keeps it on the comment line, so age still reads the file."""
    import pyrage

    from citizen_rights_desktop.hq.identity import HQIdentity, age_identity_text

    key = pyrage.x25519.Identity.generate()
    hq = HQIdentity("hq-1", "ستاد مرکزی\nسازمان اداری و استخدامی کشور", None, str(key.to_public()), None, key)
    lines = age_identity_text(hq).splitlines()
    assert len(lines) == 3 and lines[0].startswith("#") and lines[1].startswith("#") and lines[2].startswith("AGE-SECRET-KEY-")
    assert "ستاد مرکزی سازمان اداری" in lines[0]
