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


def ranking_method_path() -> Path:
    """The ranking method headquarters publishes (issue 16): weights as data."""
    return bundle_root() / "resources" / "ranking" / "ranking-method.yaml"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_database_path() -> Path:
    return user_data_dir() / "reports.sqlite3"


SAMPLE_DATABASE_NAME = "sample.sqlite3"


def sample_database_path(real: Path | None = None) -> Path:
    """Where sample data goes: ``sample.sqlite3`` beside the real database (the user data folder
    by default), never the real database itself, so trying the product leaves the office's
    profile and reports untouched (issue 17)."""
    folder = Path(real).parent if real is not None else user_data_dir()
    return folder / SAMPLE_DATABASE_NAME


def is_sample_database(path: Path | str) -> bool:
    """Whether ``path`` is a sample database (the application marks its window «نمونه»)."""
    return Path(path).name == SAMPLE_DATABASE_NAME
