"""The layers of docs/architecture.md, checked by import-linter (contracts in .importlinter)."""

import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

CONTRACTS = ("chain", "headless", "domain-without-sql", "top-modules", "acyclic")


def _lint_imports() -> str:
    found = Path(sys.executable).with_name("lint-imports")
    return str(found) if found.exists() else shutil.which("lint-imports") or "lint-imports"


def test_import_contracts_hold():
    result = subprocess.run([_lint_imports(), "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "0 broken" in result.stdout
    for name in CONTRACTS:
        assert f"[importlinter:contract:{name}]" in (ROOT / ".importlinter").read_text()


def test_a_forbidden_import_is_caught(tmp_path):
    """The contracts can fail: a domain module that imports storage breaks two of them."""
    config = (ROOT / ".importlinter").read_text()
    probe = ROOT / "citizen_rights_desktop" / "report" / "_architecture_probe.py"
    probe.write_text("import storage.report_store  # noqa: F401\n")
    try:
        result = subprocess.run([_lint_imports(), "--no-cache"], capture_output=True, text=True, cwd=ROOT, timeout=300)
    finally:
        probe.unlink()
    assert result.returncode != 0
    assert "citizen_rights_desktop.report._architecture_probe -> storage" in result.stdout.replace("\n", "")
    assert config == (ROOT / ".importlinter").read_text()


def test_no_module_over_400_lines():
    long = []
    for folder in ("citizen_rights_desktop", "storage", "ui"):
        for path in (ROOT / folder).rglob("*.py"):
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > 400:
                long.append(f"{path.relative_to(ROOT)} ({lines})")
    assert not long, f"modules over 400 lines: {long}"
