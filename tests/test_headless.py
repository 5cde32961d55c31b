"""The core and storage must work without Qt (headquarters scripts, CI, the CLI)."""

import pkgutil
import subprocess
import sys

import citizen_rights_desktop
import storage
from tests.conftest import ROOT


def test_core_and_storage_do_not_import_qt():
    modules = [f"citizen_rights_desktop.{m.name}" for m in pkgutil.walk_packages(citizen_rights_desktop.__path__)]
    modules += [f"storage.{m.name}" for m in pkgutil.iter_modules(storage.__path__)]
    modules = [m for m in modules if not m.endswith("__main__")]
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('PySide6', 'shiboken6', 'PyQt5', 'PyQt6', 'ui'))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert len(modules) >= 10
    assert result.stdout.strip() == "", f"Qt imported by the core: {result.stdout}"
