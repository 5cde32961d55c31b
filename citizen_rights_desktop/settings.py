"""Per-user preferences of the office application (not report data): a small JSON file.

Kept outside the reports database so that restoring a backup never changes how the program looks.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from pathlib import Path

from citizen_rights_desktop.paths import user_data_dir

FONT_SIZES = (10, 11, 12, 14, 16, 18)


@dataclass
class Settings:
    font_size: int = 11
    export_folder: str = ""
    hq_profile: str = ""

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
