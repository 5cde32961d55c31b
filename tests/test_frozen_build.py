"""The one-folder PyInstaller build starts and passes its own self-check (Linux build of the same spec)."""

import subprocess
import sys

import pytest

from tests.conftest import ROOT


@pytest.mark.slow
def test_frozen_build_self_check(tmp_path):
    pytest.importorskip("PyInstaller")
    build = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR",
         "--distpath", str(tmp_path / "dist"), "--workpath", str(tmp_path / "work"), str(ROOT / "build_installer.spec")],
        capture_output=True, text=True, cwd=ROOT, timeout=900,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr[-3000:]
    folder = tmp_path / "dist" / "CitizenRightsDesktop"
    exe = folder / ("citizen-rights.exe" if sys.platform == "win32" else "citizen-rights")
    assert (folder / "_internal" / "forms" / "citizen-rights-1398.yaml").exists()
    assert (folder / "_internal" / "resources" / "fonts" / "OFL.txt").exists()
    check = subprocess.run([str(exe), "--self-check"], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.strip().splitlines()[-1] == "ok"
