#!/usr/bin/env python3
"""Set up and run Citizen Rights Desktop from a source checkout, on any machine with Python 3.11+.

    python3 run.py            start the application (a local database in the user's data folder)
    python3 run.py test       run the test suite
    python3 run.py cli ...    run the citizen-rights command line, e.g. `python3 run.py cli demo`

The first run creates `.venv/` beside this file and installs the project into it; later runs
reinstall only when pyproject.toml has changed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def ensure_environment() -> Path:
    if sys.version_info < (3, 11):
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]})")
    python = venv_python()
    if not python.exists():
        print("creating .venv ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    stamp = VENV / ".installed"
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if not stamp.exists() or stamp.read_text() != wanted:
        print("installing Citizen Rights Desktop and its dependencies into .venv ...", flush=True)
        quiet = {**os.environ, "PYTHONWARNINGS": "ignore"}  # setuptools' editable-install notices are not for users
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", "pip"], check=True, env=quiet)
        subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-e", f"{ROOT}[ui,test]"], check=True, env=quiet)
        stamp.write_text(wanted)
    return python


def main(argv: list[str]) -> int:
    python = ensure_environment()
    command = argv[0] if argv else "app"
    if command == "test":
        return subprocess.run([str(python), "-m", "pytest", *argv[1:]], cwd=ROOT).returncode
    if command == "cli":
        return subprocess.run([str(python), "-m", "citizen_rights_desktop", *argv[1:]], cwd=ROOT).returncode
    if command == "app":
        return subprocess.run([str(python), "-m", "citizen_rights_desktop", *argv[1:]], cwd=ROOT).returncode
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
