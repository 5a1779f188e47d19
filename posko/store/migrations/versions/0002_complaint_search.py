"""complaint search: FTS5 on SQLite, a tsvector GIN index on PostgreSQL

Both index the reporter's name and the description; `posko.services.search`
holds the matching queries. Phone numbers are found through the existing
`ix_complaint_reporter_phone` index, not through these.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-28
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# An external-content FTS5 table: the words live in the index only, the text
# stays in `complaint`; triggers keep the two in step. remove_diacritics lets
# "jalan" find "jálan" typed on a phone keyboard.
SQLITE_UP = [
    """
    CREATE VIRTUAL TABLE complaint_fts USING fts5(
        reporter_name, description,
        content='complaint', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2'
    )
    """,
    """
    CREATE TRIGGER complaint_fts_insert AFTER INSERT ON complaint BEGIN
        INSERT INTO complaint_fts(rowid, reporter_name, description)
        VALUES (new.id, new.reporter_name, new.description);
    END
    """,
    """
    CREATE TRIGGER complaint_fts_delete AFTER DELETE ON complaint BEGIN
        INSERT INTO complaint_fts(complaint_fts, rowid, reporter_name, description)
        VALUES ('delete', old.id, old.reporter_name, old.description);
    END
    """,
    """
    CREATE TRIGGER complaint_fts_update AFTER UPDATE OF reporter_name, description ON complaint
    BEGIN
        INSERT INTO complaint_fts(complaint_fts, rowid, reporter_name, description)
        VALUES ('delete', old.id, old.reporter_name, old.description);
        INSERT INTO complaint_fts(rowid, reporter_name, description)
        VALUES (new.id, new.reporter_name, new.description);
    END
    """,
    "INSERT INTO complaint_fts(complaint_fts) VALUES ('rebuild')",
]
SQLITE_DOWN = [
    "DROP TRIGGER IF EXISTS complaint_fts_update",
    "DROP TRIGGER IF EXISTS complaint_fts_delete",
    "DROP TRIGGER IF EXISTS complaint_fts_insert",
    "DROP TABLE IF EXISTS complaint_fts",
]

# An expression index: no extra column, so the tables stay the same on both
# backends. The expression must match posko.services.search.PG_DOCUMENT exactly,
# or PostgreSQL will not use the index. 'simple' keeps names and Indonesian
# words as typed (no English stemming).
PG_UP = [
    """
    CREATE INDEX ix_complaint_search ON complaint USING gin (
        to_tsvector('simple'::regconfig,
                    coalesce(reporter_name, '') || ' ' || description)
    )
    """,
]
PG_DOWN = ["DROP INDEX IF EXISTS ix_complaint_search"]


def _run(statements: list[str]) -> None:
    for statement in statements:
        op.execute(statement)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _run(SQLITE_UP)
    else:
        _run(PG_UP)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        _run(SQLITE_DOWN)
    else:
        _run(PG_DOWN)
