"""The ``citizen-rights`` entry point: the desktop application at once, or the command line.

Starting the window is what clerks do every day, so it must not pay for importing every CLI
command's modules (PDF, signing, bundles: about 0.7 s); only a command line with a sub-command or
an option other than --db/--forms goes through ``cli.main``.
"""

from __future__ import annotations

import sys
from pathlib import Path


def _application_options(argv: list[str]) -> dict[str, Path] | None:
    """``--db``/``--forms`` when they are all that was given, else ``None`` (a CLI invocation)."""
    options: dict[str, Path] = {}
    items = iter(argv)
    for item in items:
        name, _, value = item.partition("=")
        if name not in ("--db", "--forms"):
            return None
        if not value:
            value = next(items, "")
            if not value:
                return None
        options[name[2:]] = Path(value)
    return options


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    options = _application_options(argv)
    if options is not None:
        try:
            from ui.app import run
        except ImportError:
            pass  # the interface is not installed: the CLI explains how to install it
        else:
            return run(db_path=options.get("db"), forms=options.get("forms"))
    from citizen_rights_desktop.cli import main as cli_main

    return cli_main(argv)
