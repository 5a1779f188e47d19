"""`posko backup` / `posko restore` and the check when a SQLite database is opened."""

from __future__ import annotations

import shutil
import stat

import pytest

from posko.services import intake
from posko.store.db import new_session
from tests import conftest
from tests.cli_helpers import posko
from tests.reliability.checks import complaint_count
from tests.reliability.intake_worker import complaint

PIN = {"POSKO_PIN": "123456"}


@pytest.fixture
def sqlite_db(db: conftest.TestDatabase) -> conftest.TestDatabase:
    if db.backend != "sqlite":
        pytest.skip("PostgreSQL is backed up with pg_dump (README)")
    return db


def _take(db: conftest.TestDatabase, clock, number: int) -> None:  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        intake.take_complaint(
            session,
            clock,
            conftest.policy_from_repo(),
            officer_id="JP-AS1",
            data=complaint("backup", number),
        )


def test_backup_then_restore_brings_back_the_data(sqlite_db, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    _take(sqlite_db, clock, 0)
    copy = tmp_path / "cadangan.db"
    result = posko("backup", str(copy), "--admin", "PV-ADM", db_url=sqlite_db.url, env=PIN)
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    _take(sqlite_db, clock, 1)
    assert complaint_count(sqlite_db.engine) == 2
    restored = posko(
        "restore", str(copy), "--yes", "--admin", "PV-ADM", db_url=sqlite_db.url, env=PIN
    )
    assert restored.exit_code == 0, restored.stderr
    assert complaint_count(sqlite_db.engine) == 1
    verify = posko("audit", "verify", db_url=sqlite_db.url)
    assert verify.exit_code == 0, verify.stdout
    again = posko("backup", str(copy), "--admin", "PV-ADM", db_url=sqlite_db.url, env=PIN)
    assert again.exit_code == 2  # never overwrites


def test_restore_refuses_what_is_not_an_intact_posko_database(sqlite_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    other = tmp_path / "other.db"
    import sqlite3

    with sqlite3.connect(other) as connection:
        connection.execute("CREATE TABLE t (x)")
    for path in (garbage, other, tmp_path / "missing.db"):
        result = posko(
            "restore", str(path), "--yes", "--admin", "PV-ADM", db_url=sqlite_db.url, env=PIN
        )
        assert result.exit_code == 2, (path, result.stderr)
        assert "Traceback" not in result.stderr
    assert complaint_count(sqlite_db.engine) == 0  # untouched, still readable


def test_damaged_database_is_refused_on_open(sqlite_db, tmp_path) -> None:  # type: ignore[no-untyped-def]
    damaged = tmp_path / "damaged.db"
    shutil.copyfile(sqlite_db.engine.url.database, damaged)
    data = bytearray(damaged.read_bytes())
    # Overwrite pages in the middle of the file: a disk error, a half-copied file.
    middle = len(data) // 2
    data[middle : middle + 16384] = b"\x5a" * 16384
    damaged.write_bytes(bytes(data))
    result = posko("complaint", "list", db_url=f"sqlite:///{damaged}")
    assert result.exit_code == 1
    assert "posko restore" in result.stderr and "Traceback" not in result.stderr


def test_backup_of_postgresql_points_to_pg_dump(db: conftest.TestDatabase, tmp_path) -> None:
    if db.backend != "postgresql":
        pytest.skip("SQLite is backed up by posko backup")
    result = posko("backup", str(tmp_path / "x.db"), "--admin", "PV-ADM", db_url=db.url, env=PIN)
    assert result.exit_code == 2 and "pg_dump" in result.stderr
