"""The ``citizen-rights`` entry point: the desktop application at once, or the command line.

It lives beside the interface, not in the core, because it is the one place that joins the two:
the core's command line (``citizen_rights_desktop.cli``) never imports ``ui``; this module hands it
the windows as a ``FrontEnd``.

Starting the window is what clerks do every day, so it must not pay for importing every CLI
command's modules (PDF, signing, bundles: about 0.7 s); only a command line with a sub-command or
an option other than --db/--forms goes through ``cli.main``. Nothing here imports Qt at module
level: the command line works where PySide6 is not installed.
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


def _open_office(db: Path | None, forms: Path | None) -> int:
    from ui.app import run

    return run(db_path=db, forms=forms)


def _open_hq(db: Path, forms: Path | None) -> int:
    from ui.hq.app import run_hq

    return run_hq(db, forms)


def _qt_installed() -> bool:
    try:
        import PySide6  # noqa: F401
    except ImportError:
        return False
    return True


def front_end():
    """The windows and self-check steps this installation offers (none without PySide6)."""
    from citizen_rights_desktop.cli.main import FrontEnd
    from ui.self_check import qt_step

    if not _qt_installed():
        return None
    return FrontEnd(open_office=_open_office, open_hq=_open_hq, self_check_steps=[("qt", qt_step)])


def main(argv: list[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # a frozen build's import worker processes start here (hq.import_pool)
    argv = sys.argv[1:] if argv is None else argv
    options = _application_options(argv)
    if options is not None:
        try:
            from ui.app import run
        except ImportError:
            pass  # the interface is not installed: the CLI explains how to install it
        else:
            return run(db_path=options.get("db"), forms=options.get("forms"))
    from citizen_rights_desktop.cli.main import main as cli_main

    return cli_main(argv, front_end=front_end())
