"""Where the application's bundled data and the user's data live."""

from __future__ import annotations

import sys
from pathlib import Path

import platformdirs

APP_NAME = "CitizenRightsDesktop"


def bundle_root() -> Path:
    """The folder holding ``forms/`` and ``resources/`` (the source tree, or a frozen build's folder)."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen)
    return Path(__file__).resolve().parent.parent


def forms_dir() -> Path:
    return bundle_root() / "forms"


def fonts_dir() -> Path:
    return bundle_root() / "resources" / "fonts"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return user_data_dir() / "reports.sqlite3"
