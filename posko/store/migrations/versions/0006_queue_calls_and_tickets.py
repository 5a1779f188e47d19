"""Calls by desk (who called, how often, when last announced) and queue tickets
in the print queue.

Revision ID: 0006
Revises: 0003
Create Date: 2026-11-30 06:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel.sql.sqltypes
from alembic import op

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("called_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True)
        )
        batch_op.add_column(sa.Column("calls", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column("announced_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True)
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_visit_called_by_officer"), "officer", ["called_by"], ["id"]
        )
    # Numbers called before this revision were called once, when called_at says.
    op.execute("UPDATE visit SET calls = 1, announced_at = called_at WHERE called_at IS NOT NULL")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.alter_column("calls", server_default=None)

    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("visit_id", sa.Integer(), nullable=True))
        batch_op.alter_column("complaint_id", existing_type=sa.Integer(), nullable=True)
        batch_op.create_index(batch_op.f("ix_print_job_visit_id"), ["visit_id"], unique=False)
        batch_op.create_foreign_key(
            batch_op.f("fk_print_job_visit_id_visit"), "visit", ["visit_id"], ["id"]
        )


def downgrade() -> None:
    op.execute("DELETE FROM print_job WHERE complaint_id IS NULL")
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_print_job_visit_id_visit"), type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_print_job_visit_id"))
        batch_op.alter_column("complaint_id", existing_type=sa.Integer(), nullable=False)
        batch_op.drop_column("visit_id")
    with op.batch_alter_table("visit", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_visit_called_by_officer"), type_="foreignkey")
        batch_op.drop_column("announced_at")
        batch_op.drop_column("calls")
        batch_op.drop_column("called_by")
