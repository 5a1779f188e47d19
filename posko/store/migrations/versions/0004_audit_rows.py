"""The audit trail covers the record: each event carries the digests of the rows it wrote.

Rows already in the database are digested once by `posko init` after this
upgrade (`audit.adopt_existing`), as the baseline of the covered record.

Revision ID: 0004
Revises: 0005 (after the queue calls and tickets, and the calendar events, of main)
Create Date: 2026-11-30 06:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("rows", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("rows")
