"""The application log: rotating files in the user's data folder, for support staff.

Nothing a clerk typed may reach the log (answers can be personal data): records carry event names
and ids, and unexpected errors are logged by ``log_exception`` as the exception's type and the
code locations only, never its message or local values.
"""

from __future__ import annotations

import logging
import logging.handlers
import traceback
from pathlib import Path
from types import TracebackType

from citizen_rights_desktop.paths import user_data_dir

LOGGER_NAME = "citizen_rights"


def log_dir() -> Path:
    return user_data_dir() / "logs"


def setup_logging(folder: Path | None = None, level: int = logging.INFO) -> Path:
    """Log to ``citizen-rights.log`` (1 MB, five old files kept); returns the file's path."""
    folder = folder or log_dir()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "citizen-rights.log"
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if isinstance(handler, logging.handlers.RotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()
    handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=5, encoding="utf-8")
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(level)
    return path


def get_logger(name: str = "") -> logging.Logger:
    return logging.getLogger(f"{LOGGER_NAME}.{name}" if name else LOGGER_NAME)


def describe_exception(exc_type: type[BaseException], tb: TracebackType | None) -> str:
    """The type and the code locations of an error, without its message (which may hold answers)."""
    frames = traceback.extract_tb(tb)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno} {f.name}" for f in reversed(frames))
    return f"{exc_type.__module__}.{exc_type.__qualname__} at {where or '?'}"


def log_exception(exc_type: type[BaseException], exc: BaseException | None, tb: TracebackType | None) -> str:
    description = describe_exception(exc_type, tb)
    get_logger().error("unexpected error: %s", description)
    return description
