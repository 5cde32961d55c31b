"""An inspection team's copy of the offices' self-report answers (migration 8), written when a
headquarters profile for teams is imported and read when a visit's PDF lists contradictions."""

from __future__ import annotations

from collections.abc import Mapping

from storage.database import Database


def replace_claims(database: Database, claims: Mapping[str, tuple[str, Mapping[str, str]]]) -> None:
    """Replace every stored claim by ``claims``: office id → (the annual report's period, indicator id → status)."""
    with database.transaction() as conn:
        conn.execute("DELETE FROM self_report_claim")
        conn.executemany(
            "INSERT INTO self_report_claim (office_id, period, indicator_id, status) VALUES (?,?,?,?)",
            [(office, period, indicator, status) for office, (period, answers) in claims.items() for indicator, status in answers.items()],
        )


def claims_of(database: Database, office_id: str) -> tuple[str, dict[str, str]] | None:
    """(period, indicator id → status) of ``office_id``'s latest annual report; ``None`` when unknown."""
    rows = database.conn.execute("SELECT period, indicator_id, status FROM self_report_claim WHERE office_id=?", (office_id,)).fetchall()
    if not rows:
        return None
    return rows[0][0], {indicator: status for _, indicator, status in rows}
