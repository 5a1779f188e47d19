"""`posko seed --synthetic N` leaves a database the app works with, on both backends."""

from __future__ import annotations

import itertools
import json

from sqlalchemy import text

from posko.core.lifecycle import TRANSITIONS, Status
from posko.core.tracking import normalize_code
from posko.services import search
from posko.store.db import new_session
from tests.cli_helpers import posko
from tests.reliability.intake_worker import complaint


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


def test_a_seeded_database_is_consistent_searchable_and_takes_the_next_complaint(db, tmp_path):
    """What the bulk load skips row by row it must leave whole at the end: every
    foreign key in force (PostgreSQL: validated, none NOT VALID), the search index
    complete, statistics gathered, and the desk's next complaint numbered after the
    seeded ones."""
    assert seed(db, 300).exit_code == 0
    with db.engine.connect() as connection:
        name, description = connection.execute(
            text("SELECT reporter_name, description FROM complaint "
                 "WHERE reporter_name IS NOT NULL AND confidential = :no ORDER BY id DESC"),
            {"no": False},
        ).first()  # fmt: skip
        if db.backend == "sqlite":
            assert connection.execute(text("PRAGMA foreign_key_check")).all() == []
            # Raises unless the FTS5 index holds exactly the complaints' words.
            connection.execute(
                text("INSERT INTO complaint_fts(complaint_fts, rank) VALUES ('integrity-check', 1)")
            )
        else:
            keys = connection.execute(
                text("SELECT conname, convalidated FROM pg_constraint WHERE contype = 'f' "
                     "AND conrelid::regclass::text IN ('complaint', 'status_event')")
            ).all()  # fmt: skip
            assert len(keys) == 13 and all(valid for _, valid in keys), keys
            assert connection.execute(
                text("SELECT indisvalid FROM pg_index "
                     "WHERE indexrelid = 'ix_complaint_search'::regclass")
            ).scalar()  # fmt: skip
            analysed = connection.execute(
                text("SELECT DISTINCT tablename FROM pg_stats "
                     "WHERE tablename IN ('complaint', 'status_event')")
            ).scalars()  # fmt: skip
            assert set(analysed) == {"complaint", "status_event"}
    env = {"POSKO_PIN": "123456"}
    found = posko("complaint", "search", name, "--officer", "JP-AS1", "--json",
                  db_url=db.url, env=env)  # fmt: skip
    assert found.exit_code == 0, found.stderr
    phrase = " ".join(description.split()[:2])  # "Jalan berlubang", "Warga resah", ...
    words = posko("complaint", "search", phrase, "--officer", "JP-AS1",
                  "--json", db_url=db.url, env=env)  # fmt: skip
    assert words.exit_code == 0, words.stderr
    with db.engine.connect() as connection:
        for result, column, wanted in ((found, "reporter_name", name),
                                       (words, "description", phrase)):  # fmt: skip
            codes = [c["code"] for c in result.json()]
            assert codes, wanted
            for code in codes:
                value = connection.execute(
                    text(f"SELECT {column} FROM complaint WHERE code = :code"), {"code": code}
                ).scalar_one()
                # Every word searched for is in each complaint found, in any order.
                assert all(word in value.lower() for word in wanted.lower().split()), value
    form = tmp_path / "complaint.json"
    form.write_text(json.dumps(complaint("after seeding", 1)), encoding="utf-8")
    taken = posko("complaint", "add", "--officer", "JP-AS1", "--file", str(form), "--json",
                  db_url=db.url, now="2026-12-01T08:20:00+07:00", env=env)  # fmt: skip
    assert taken.exit_code == 0, taken.stdout + taken.stderr
    with db.engine.connect() as connection:
        assert (
            connection.execute(
                text("SELECT id FROM complaint WHERE code = :code"), {"code": taken.json()["code"]}
            ).scalar()
            == 301
        )
