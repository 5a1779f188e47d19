"""The audit trail in lanes: several hash chains, so desks append without waiting.

Each event gets the lane it was appended to and, when its transaction made an
anchor (a handoff batch, the handoff lists), the heads of the other lanes at
that moment (`seal`). Each lane's head moves from the one `audit_head` meta
row to a row of `audit_lane`. Events already written are lane 0 and keep their
hashes; the old head becomes lane 0's head (`posko.services.audit`).

Revision ID: 0010
Revises: 0004
Create Date: 2026-11-30 09:50:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

LANES = 16  # posko.services.audit.LANES when this revision was written
GENESIS = "0" * 64


def upgrade() -> None:
    with op.batch_alter_table("audit_event") as batch:
        batch.add_column(sa.Column("lane", sa.Integer(), nullable=False, server_default="0"))
        batch.add_column(sa.Column("seal", sa.Text(), nullable=False, server_default=""))
    lanes = op.create_table(
        "audit_lane",
        sa.Column("lane", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("head", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("lane", name=op.f("pk_audit_lane")),
    )
    connection = op.get_bind()
    old = connection.execute(sa.text("SELECT value FROM meta WHERE key = 'audit_head'")).scalar()
    op.bulk_insert(
        lanes, [{"lane": lane, "head": (old or GENESIS) if lane == 0 else GENESIS}
                for lane in range(LANES)]
    )  # fmt: skip
    connection.execute(sa.text("DELETE FROM meta WHERE key = 'audit_head'"))


def downgrade() -> None:
    connection = op.get_bind()
    heads = (
        connection.execute(sa.text("SELECT head FROM audit_lane WHERE head <> :g"), {"g": GENESIS})
        .scalars()
        .all()
    )
    if len(heads) > 1:
        raise RuntimeError("the audit trail has several lanes: it cannot go back to one chain")
    if heads:
        connection.execute(
            sa.text("INSERT INTO meta (key, value) VALUES ('audit_head', :h)"), {"h": heads[0]}
        )
    op.drop_table("audit_lane")
    with op.batch_alter_table("audit_event") as batch:
        batch.drop_column("seal")
        batch.drop_column("lane")
