"""SQLite access for Citizen Rights Desktop: connection, numbered migrations, backups, the report store."""

from storage.database import (
    Database,
    DatabaseError,
    DatabaseTooNew,
    DatabaseUnreadable,
    open_database,
)
from storage.report_store import EvidenceTooLarge, ReportNotFound, ReportStore

__all__ = [
    "Database",
    "DatabaseError",
    "DatabaseTooNew",
    "DatabaseUnreadable",
    "EvidenceTooLarge",
    "ReportNotFound",
    "ReportStore",
    "open_database",
]
