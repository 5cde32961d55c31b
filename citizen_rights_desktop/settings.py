"""Per-user preferences of the office application (not report data): a small JSON file.

Kept outside the reports database so that restoring a backup never changes how the program looks.
Parts of the window change single keys (the side panel, the last folder of each file dialog) with
``update_settings``, which reads the file first, so they never overwrite each other's keys.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from pathlib import Path

from citizen_rights_desktop.paths import user_data_dir

FONT_SIZES = (10, 11, 12, 14, 16, 18, 20, 22, 24)


@dataclass
class Settings:
    font_size: int = 11
    export_folder: str = ""
    hq_profile: str = ""
    side_panel_hidden: bool = False  # the wizard's list of sections, hidden on a small screen (issue 17)
    last_folders: dict[str, str] = field(default_factory=dict)  # per purpose of a file dialog: the folder last used

    def problems(self) -> list[tuple[str, str, str]]:
        found = []
        if self.font_size not in FONT_SIZES:
            found.append(("font_size", f"font size must be one of {FONT_SIZES}", "اندازه قلم نامعتبر است."))
        if self.export_folder and not Path(self.export_folder).is_dir():
            found.append(("export_folder", f"{self.export_folder} is not a folder", "پوشه خروجی وجود ندارد."))
        return found


def settings_path() -> Path:
    return user_data_dir() / "settings.json"


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings; defaults for anything missing or unreadable (never an error at start-up)."""
    path = path or settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    defaults = Settings()
    values = {}
    for item in fields(Settings):
        value = data.get(item.name, getattr(defaults, item.name))
        values[item.name] = value if isinstance(value, type(getattr(defaults, item.name))) else getattr(defaults, item.name)
    values["last_folders"] = {str(k): v for k, v in values["last_folders"].items() if isinstance(v, str) and v}
    settings = Settings(**values)
    if settings.font_size not in FONT_SIZES:
        settings.font_size = defaults.font_size
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> None:
    path = path or settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    partial.write_text(json.dumps(asdict(settings), ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(partial, path)


def update_settings(path: Path | None = None, **changes) -> Settings:
    """Change only the given keys in the saved settings (read first: others are kept as saved)."""
    settings = replace(load_settings(path), **changes)
    save_settings(settings, path)
    return settings


def last_folder(purpose: str, path: Path | None = None) -> str:
    """The folder a file dialog for ``purpose`` last used, if it still exists; else ``""``."""
    folder = load_settings(path).last_folders.get(purpose, "")
    return folder if folder and Path(folder).is_dir() else ""


def remember_folder(purpose: str, folder: str | Path, path: Path | None = None) -> None:
    """Keep the folder a file dialog for ``purpose`` used (never an error: it is only a convenience)."""
    try:
        folders = dict(load_settings(path).last_folders)
        folders[purpose] = str(folder)
        update_settings(path, last_folders=folders)
    except OSError:
        pass
