"""Handoff batches and their items: the chain of custody from desk to office.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 23:31:30.655400
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "handoff_batch",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("region_code", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["created_by"], ["officer.id"], name=op.f("fk_handoff_batch_created_by_officer")
        ),
        sa.ForeignKeyConstraint(
            ["region_code"], ["region.code"], name=op.f("fk_handoff_batch_region_code_region")
        ),
        sa.ForeignKeyConstraint(
            ["session_id"],
            ["duty_session.id"],
            name=op.f("fk_handoff_batch_session_id_duty_session"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_batch")),
        sa.UniqueConstraint(
            "session_id", "region_code", "number", name=op.f("uq_handoff_batch_session_id")
        ),
    )
    with op.batch_alter_table("handoff_batch", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_handoff_batch_session_id"), ["session_id"], unique=False
        )

    op.create_table(
        "handoff_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("batch_id", sa.Integer(), nullable=False),
        sa.Column("complaint_id", sa.Integer(), nullable=False),
        sa.Column("acknowledged_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("acknowledged_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.ForeignKeyConstraint(
            ["acknowledged_by"],
            ["officer.id"],
            name=op.f("fk_handoff_item_acknowledged_by_officer"),
        ),
        sa.ForeignKeyConstraint(
            ["batch_id"], ["handoff_batch.id"], name=op.f("fk_handoff_item_batch_id_handoff_batch")
        ),
        sa.ForeignKeyConstraint(
            ["complaint_id"], ["complaint.id"], name=op.f("fk_handoff_item_complaint_id_complaint")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_handoff_item")),
        sa.UniqueConstraint("complaint_id", name=op.f("uq_handoff_item_complaint_id")),
    )
    with op.batch_alter_table("handoff_item", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_handoff_item_batch_id"), ["batch_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("handoff_item", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_item_batch_id"))

    op.drop_table("handoff_item")
    with op.batch_alter_table("handoff_batch", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_handoff_batch_session_id"))

    op.drop_table("handoff_batch")
