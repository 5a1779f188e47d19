"""Calendar events (SEQUENCE, cancellations) and hashed calendar subscription tokens.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 06:27:01.326474
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calendar_event",
        sa.Column("uid", sqlmodel.sql.sqltypes.AutoString(length=120), nullable=False),
        sa.Column("site_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("officer_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("fingerprint", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("summary", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=False),
        sa.Column("changed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("cancelled_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_calendar_event_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["site_code"], ["site.code"], name=op.f("fk_calendar_event_site_code_site")
        ),
        sa.PrimaryKeyConstraint("uid", name=op.f("pk_calendar_event")),
    )
    with op.batch_alter_table("calendar_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_calendar_event_day"), ["day"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_calendar_event_officer_id"), ["officer_id"], unique=False
        )

    op.create_table(
        "calendar_token",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("officer_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("token_hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("revoked_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("revoked_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("last_used_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["officer.id"], name=op.f("fk_calendar_token_created_by_officer")
        ),
        sa.ForeignKeyConstraint(
            ["officer_id"], ["officer.id"], name=op.f("fk_calendar_token_officer_id_officer")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by"], ["officer.id"], name=op.f("fk_calendar_token_revoked_by_officer")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calendar_token")),
        sa.UniqueConstraint("token_hash", name=op.f("uq_calendar_token_token_hash")),
    )
    with op.batch_alter_table("calendar_token", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_calendar_token_officer_id"), ["officer_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("calendar_token", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_token_officer_id"))

    op.drop_table("calendar_token")
    with op.batch_alter_table("calendar_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calendar_event_officer_id"))
        batch_op.drop_index(batch_op.f("ix_calendar_event_day"))

    op.drop_table("calendar_event")
