"""Alembic environment: the engine comes from `posko.store.migrate`, or from
`sqlalchemy.url` when run as `alembic -x url=...` by a developer."""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from posko.store import models

config = context.config
target_metadata = models.metadata


def include_name(name, type_, _parent_names):  # type: ignore[no-untyped-def]
    """Leave the search indexes of migration 0002 out of autogenerate: they are
    raw SQL (FTS5 tables, a tsvector expression index), not in the models."""
    return not (name or "").startswith(("complaint_fts", "ix_complaint_search"))


def run_migrations_online() -> None:
    engine = config.attributes.get("engine")
    if engine is None:
        url = context.get_x_argument(as_dictionary=True).get("url")
        if not url:
            raise SystemExit("give the database: alembic -x url=sqlite:///posko.db ...")
        engine = create_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            # SQLite cannot ALTER most things; batch mode copies the table.
            render_as_batch=connection.dialect.name == "sqlite",
            compare_type=True,
            include_name=include_name,
        )
        with context.begin_transaction():
            context.run_migrations()
        connection.commit()


run_migrations_online()
