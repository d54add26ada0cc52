"""SQL views for researchers and Datasette, in SQL that SQLite and PostgreSQL both run.

``observation_provenance``: every figure of a successfully stored document with its area,
indicator label, document metadata, page, position and evidence.
``latest_observations``: of those with status ok and an area, the latest figure of each area,
indicator, breakdown, qualifier and source (latest period, then meeting, then confidence).
"""
from __future__ import annotations

from sqlalchemy import Connection, inspect, text

PROVENANCE_COLUMNS = {
    "id": "o.id", "indicator": "o.indicator_id", "indicator_label": "i.label",
    "area_code": "o.area_code", "area_dfe_code": "a.dfe_code", "area_name": "a.name", "area_kind": "a.kind",
    "period_start": "o.period_start", "period_end": "o.period_end", "value": "o.value",
    "value_text": "o.value_text", "missing_reason": "o.missing_reason", "unit": "o.unit",
    "breakdown": "o.breakdown", "qualifier": "o.qualifier", "status": "o.status", "source": "o.source",
    "confidence": "o.confidence", "document": "d.name", "document_title": "d.title", "document_url": "d.url",
    "committee": "d.committee", "meeting_date": "d.meeting_date", "document_sha256": "d.sha256",
    "page": "o.page", "x0": "o.x0", "top": "o.top", "x1": "o.x1", "bottom": "o.bottom",
    "evidence": "o.evidence", "parser": "o.parser", "parser_version": "o.parser_version",
}

_PROVENANCE = (
    "SELECT " + ", ".join(f"{expr} AS {name}" for name, expr in PROVENANCE_COLUMNS.items())
    + " FROM observations o JOIN documents d ON d.id = o.document_id"
    " JOIN indicators i ON i.id = o.indicator_id LEFT JOIN authorities a ON a.code = o.area_code"
    " WHERE d.status = 'ok'")

_LATEST = (
    "SELECT " + ", ".join(PROVENANCE_COLUMNS) + " FROM (SELECT p.*, ROW_NUMBER() OVER ("
    "PARTITION BY p.area_code, p.indicator, p.breakdown, p.qualifier, p.source ORDER BY"
    " CASE WHEN p.period_end IS NULL THEN 1 ELSE 0 END, p.period_end DESC,"
    " CASE WHEN p.meeting_date IS NULL THEN 1 ELSE 0 END, p.meeting_date DESC,"
    " p.confidence DESC, p.id DESC) AS recency"
    " FROM observation_provenance p WHERE p.status = 'ok' AND p.area_code IS NOT NULL) ranked"
    " WHERE recency = 1")

VIEWS = {"observation_provenance": _PROVENANCE, "latest_observations": _LATEST}  # in dependency order


def create_views(conn: Connection) -> None:
    """Create the views, or recreate them all when one is missing or has other columns than these."""
    found = inspect(conn)
    existing = set(found.get_view_names())
    if all(name in existing and [c["name"] for c in found.get_columns(name)] == list(PROVENANCE_COLUMNS)
           for name in VIEWS):
        return
    for name in reversed(VIEWS):
        conn.execute(text(f"DROP VIEW IF EXISTS {name}"))
    for name, query in VIEWS.items():
        conn.execute(text(f"CREATE VIEW {name} AS {query}"))
