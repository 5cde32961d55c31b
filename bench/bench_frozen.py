"""The frozen one-folder build: its size and cold start time.

    .venv/bin/python bench/bench_frozen.py [--dist DIR]
Builds with build_installer.spec into a temporary folder unless --dist names an existing build.
Cold start is measured as process start to exit of `citizen-rights --version` (loader, Python,
the application's imports), and of `--self-check` (which also renders and signs a report).
Prints only.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def folder_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink())


def timed(command: list[str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(command, capture_output=True, check=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dist", type=Path, help="an existing dist/CitizenRightsDesktop folder")
    args = parser.parse_args()
    folder = args.dist
    if folder is None:
        work = Path(tempfile.mkdtemp(prefix="crd-frozen-"))
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "PyInstaller", "--noconfirm", "--log-level", "ERROR", "--distpath", str(work / "dist"),
             "--workpath", str(work / "build"), str(ROOT / "build_installer.spec")],
            check=True, cwd=ROOT,
        )  # fmt: skip
        print(f"build: {time.perf_counter() - start:.0f} s")
        folder = work / "dist" / "CitizenRightsDesktop"
    exe = str(folder / ("citizen-rights.exe" if os.name == "nt" else "citizen-rights"))
    print(f"folder size: {folder_size(folder) / 1e6:.0f} MB ({folder})   [goal < 150 MB]")
    internal = folder / "_internal"
    parts = sorted(((folder_size(p) if p.is_dir() else p.stat().st_size), p.name) for p in internal.iterdir())
    print("largest parts: " + ", ".join(f"{name} {size / 1e6:.0f} MB" for size, name in parts[-5:][::-1]))
    first = timed([exe, "--version"], 1)[0]
    warm = timed([exe, "--version"], 5)
    print(f"cold start (--version): first {first * 1000:.0f} ms, then median {statistics.median(warm) * 1000:.0f} ms")
    check = timed([exe, "--self-check"], 3)
    print(f"--self-check (fonts, forms, database, 18-page PDF, signature, Qt): median {statistics.median(check):.2f} s")


if __name__ == "__main__":
    main()
