"""Schema and set-up on both backends: migrations, not create_all."""

from __future__ import annotations

import stat

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlmodel import select

from posko.store import migrate
from posko.store.db import new_session, sqlite_path
from posko.store.models import Meta, Officer, Region, metadata
from tests.cli_helpers import posko


def test_migrations_build_exactly_the_models(empty_db):
    migrate.upgrade(empty_db.engine)
    with empty_db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), metadata)
    assert [d for d in diff if not _is_search_index(d)] == []


def _is_search_index(diff: tuple) -> bool:
    """The full-text index is dialect-specific SQL (FTS5 / tsvector), not a model."""
    name = getattr(diff[1], "name", "") or ""
    return name.startswith(("complaint_fts", "ix_complaint_search"))


def test_init_is_repeatable_and_real_by_default(empty_db):
    first = posko("init", "--json", db_url=empty_db.url)
    assert first.exit_code == 0, first.stderr
    again = posko("init", "--json", db_url=empty_db.url)
    assert again.exit_code == 0 and again.json()["training"] is False
    with new_session(empty_db.engine) as s:
        assert len(s.exec(select(Region)).all()) == 318
        assert s.exec(select(Officer)).all() == []  # no sample officers in a real database
        assert len(bytes.fromhex(s.get(Meta, "qr_secret").value)) == 32


def test_a_real_database_refuses_a_simulated_clock(empty_db):
    assert posko("init", db_url=empty_db.url).exit_code == 0
    result = posko("roster", "show", db_url=empty_db.url, now="2026-12-01T08:15:00+07:00")
    assert result.exit_code == 2 and "--now" in result.stderr
    refused = posko("init", db_url=empty_db.url, now="2026-12-01T08:15:00+07:00")
    assert refused.exit_code == 2


def test_an_empty_database_asks_for_init(empty_db):
    result = posko("complaint", "list", db_url=empty_db.url)
    assert result.exit_code == 1 and "posko init" in result.stderr


def test_training_init_seeds_officers_and_three_months_of_roster(empty_db):
    result = posko(
        "init", "--training", "--json", db_url=empty_db.url, now="2026-12-01T07:00:00+07:00"
    )
    assert result.exit_code == 0, result.stderr
    out = result.json()
    assert out["training"] is True and out["officers_added"] >= 40
    assert 40 <= out["sessions_generated"] <= 56
    listed = posko("officer", "list", "--json", db_url=empty_db.url).json()
    assert {o["role"] for o in listed} == {"duty", "coordinator", "regional", "admin"}


def test_sqlite_runs_in_wal_with_foreign_keys_and_a_private_file(db):
    if db.backend != "sqlite":
        return
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    fresh = sqlite_path(db.url).with_name("fresh.db")
    posko("init", db_url=f"sqlite:///{fresh}")
    assert stat.S_IMODE(fresh.stat().st_mode) == 0o600


def test_help_is_there_for_every_command():
    for args in (
        ["--help"],
        ["init", "--help"],
        ["roster", "show", "--help"],
        ["complaint", "add", "--help"],
        ["queue", "take", "--help"],
    ):
        result = posko(*args)
        assert result.exit_code == 0 and "Usage" in result.stdout
