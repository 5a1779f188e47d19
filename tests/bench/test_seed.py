"""`posko seed --synthetic N` leaves a database the app works with, on both backends."""

from __future__ import annotations

import itertools

from sqlalchemy import text

from posko.core.lifecycle import TRANSITIONS, Status
from posko.core.tracking import normalize_code
from posko.services import search
from posko.store.db import new_session
from tests.cli_helpers import posko


def indexes_and_triggers(db) -> set[str]:
    with db.engine.connect() as connection:
        if db.backend == "sqlite":
            query = (
                "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger') "
                "AND tbl_name IN ('complaint', 'status_event')"
            )
        else:
            query = (
                "SELECT 'index ' || indexname FROM pg_indexes "
                "WHERE tablename IN ('complaint', 'status_event') UNION ALL "
                "SELECT 'fk ' || conname FROM pg_constraint WHERE contype = 'f' "
                "AND conrelid::regclass::text IN ('complaint', 'status_event')"
            )
        return set(connection.execute(text(query)).scalars())


def seed(db, count: int, *extra: str):
    return posko("seed", "--synthetic", str(count), "--json", *extra, db_url=db.url)


def test_seeded_complaints_are_whole_and_the_schema_is_as_migrated(db):
    schema = indexes_and_triggers(db)
    result = seed(db, 400)
    assert result.exit_code == 0, result.stderr
    assert result.json()["complaints"] == 400
    assert indexes_and_triggers(db) == schema  # dropped for the load, built again
    with db.engine.connect() as connection:
        rows = connection.execute(
            text("SELECT id, code, status, kota_code, kecamatan_code, kelurahan_code, "
                 "destination_region, category_code, created_at, updated_at FROM complaint")
        ).all()  # fmt: skip
        events = connection.execute(
            text("SELECT complaint_id, status FROM status_event ORDER BY at, id")
        ).all()
        kota = set(
            connection.execute(text("SELECT code FROM region WHERE level = 'kota'")).scalars()
        )
        if db.backend == "sqlite":
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
            assert connection.execute(text("PRAGMA integrity_check")).scalar() == "ok"
    assert len(rows) == 400
    assert all(normalize_code(row.code) == row.code for row in rows)
    assert len({row.code for row in rows}) == 400
    assert {row.kota_code for row in rows} == kota  # every kota, Kepulauan Seribu too
    assert len({row.category_code for row in rows}) > 5
    assert all(row.kelurahan_code.startswith(row.kecamatan_code) for row in rows)
    assert all(row.kecamatan_code.startswith(row.kota_code) for row in rows)
    assert all(row.destination_region == row.kota_code for row in rows)
    assert all(row.updated_at >= row.created_at for row in rows)
    # Each complaint's history is a path through the lifecycle ending at its status.
    history: dict[int, list[str]] = {}
    for complaint_id, status in events:
        history.setdefault(complaint_id, []).append(status)
    for row in rows:
        path = [Status(s) for s in history[row.id]]
        assert path[0] is Status.DITERIMA and path[-1].value == row.status
        assert all(b in TRANSITIONS[a] for a, b in itertools.pairwise(path))
    assert len({row.status for row in rows}) >= 3  # years of dates: most closed, some not


def test_the_app_lists_shows_and_finds_seeded_complaints(db):
    assert seed(db, 300).exit_code == 0
    listed = posko("complaint", "list", "--limit", "5", "--json", db_url=db.url)
    assert listed.exit_code == 0, listed.stderr
    newest = listed.json()
    assert len(newest) == 5
    assert newest[0]["created_at"] >= newest[-1]["created_at"]  # ids follow time
    shown = posko("complaint", "show", newest[0]["code"], "--json", db_url=db.url)
    assert shown.exit_code == 0, shown.stderr
    assert shown.json()["history"][0]["status"] == "diterima"
    word = newest[0]["description"].split()[0]
    with new_session(db.engine) as session:
        found = search.search(session, word)
    assert found and all(word.lower() in c.description.lower() for c in found)


def test_seeding_again_adds_after_the_existing_complaints(db):
    assert seed(db, 150).exit_code == 0
    second = seed(db, 100, "--seed", "2")
    assert second.exit_code == 0, second.stderr
    assert second.json()["first_id"] == 151 and second.json()["last_id"] == 250
    with db.engine.connect() as connection:
        count, codes = connection.execute(
            text("SELECT count(*), count(DISTINCT code) FROM complaint")
        ).one()
    assert count == codes == 250
    # The search index followed the rows added by the triggers this time.
    with new_session(db.engine) as session:
        assert search.search(session, "mohon", limit=20)


def test_a_real_database_refuses_synthetic_complaints(empty_db):
    assert posko("init", db_url=empty_db.url).exit_code == 0
    refused = posko("seed", "--synthetic", "10", db_url=empty_db.url)
    assert refused.exit_code == 2
    assert "Traceback" not in refused.stderr
    with empty_db.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM complaint")).scalar() == 0


def test_seeded_rows_are_in_the_audit_trail_by_range_and_count(db):
    """A training database's bulk load is vouched for by id range and count: verify
    holds after the seed and names the range when a seeded row is deleted."""
    assert seed(db, 200).exit_code == 0
    verified = posko("audit", "verify", "--json", db_url=db.url)
    assert verified.exit_code == 0, verified.stdout
    with db.engine.begin() as connection:
        connection.execute(
            text("DELETE FROM status_event WHERE id = (SELECT max(id) FROM status_event)")
        )
    broken = posko("audit", "verify", "--json", db_url=db.url)
    assert broken.exit_code == 1
    assert [(r["table"], r["kind"]) for r in broken.json()["rows"]] == [("status_event", "deleted")]
