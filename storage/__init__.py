"""SQLite access for Citizen Rights Desktop: connection, numbered migrations, backups, the report store.

May import the domain's types (``citizen_rights_desktop.report``, ``form``, ``persian``) and nothing
above them: the workflows (editing, signing, exchange, hq) call storage, never the other way round.
"""

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
