"""Backing up and restoring a SQLite database, and checking it when it is opened.

The copy uses SQLite's online backup API, so a desk may keep working while it
runs and the copy is a consistent snapshot. PostgreSQL is backed up with its
own tools (pg_dump / pg_restore, see the README).
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path

from sqlalchemy.engine import Engine

from posko.core.clock import Clock
from posko.core.errors import InvalidInput, PoskoError
from posko.files import create_private
from posko.services import access, reference
from posko.services.setup import is_training
from posko.services.views import OfficerView
from posko.store.db import new_session, sqlite_path

# What a Posko database has, whatever its schema revision.
REQUIRED_TABLES = frozenset({"alembic_version", "meta", "complaint", "audit_event", "officer"})


class DamagedDatabase(PoskoError):
    exit_code = 1


def sqlite_file(engine: Engine, command: str) -> Path:
    path = sqlite_path(engine.url.render_as_string(hide_password=False))
    if path is None:
        raise InvalidInput(
            "{command} works on a SQLite database file; for PostgreSQL use "
            "pg_dump and pg_restore (see the README)",
            command=command,
        )
    return path


def quick_check(engine: Engine) -> None:
    """A SQLite file that fails PRAGMA quick_check is refused before anything is written."""
    if engine.dialect.name != "sqlite":
        return
    from sqlalchemy.exc import DatabaseError

    try:
        with engine.connect() as connection:
            result = [row[0] for row in connection.exec_driver_sql("PRAGMA quick_check(5)")]
    except DatabaseError as error:
        result = [str(error.orig)]
    if result != ["ok"]:
        raise DamagedDatabase(
            "the database file is damaged ({problem}); restore the last backup "
            "with `posko restore PATH`",
            problem="; ".join(result)[:200],
        )


def backup(engine: Engine, clock: Clock, dest: Path, officer: OfficerView) -> int:
    """Copy the database to a new file `dest` (mode 0600); returns its size in bytes.

    A backup holds every identity: an admin's act through the access gate.
    """
    source = sqlite_file(engine, "posko backup")
    with new_session(engine) as session:
        access.allow(session, clock, officer, access.BACKUP)
    create_private(dest)
    try:
        with (
            closing(sqlite3.connect(source, timeout=15)) as src,
            closing(sqlite3.connect(dest)) as dst,
        ):
            src.backup(dst)
            # The copy is self-contained: no -wal file to carry along.
            dst.execute("PRAGMA journal_mode=DELETE")
    except sqlite3.Error as error:
        dest.unlink(missing_ok=True)
        raise DamagedDatabase("the backup failed: {error}", error=str(error)[:200]) from None
    with new_session(engine) as session:
        access.record(session, clock, officer, access.BACKUP, dest.name[:120])
        session.commit()
    return dest.stat().st_size


def _read_only(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)


def check_backup(path: Path) -> None:
    """Refuse a file that is not a readable, intact Posko database."""
    if not path.is_file():
        raise InvalidInput("{path} is not a file", path=str(path))
    try:
        with closing(_read_only(path)) as connection:
            check = [row[0] for row in connection.execute("PRAGMA quick_check(5)")]
            tables = {
                row[0]
                for row in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
    except sqlite3.Error as error:
        raise InvalidInput(
            "{path} is not a Posko database: {error}", path=str(path), error=str(error)[:200]
        ) from None
    if check != ["ok"]:
        raise InvalidInput(
            "{path} is damaged: {problem}", path=str(path), problem="; ".join(check)[:200]
        )
    if not tables >= REQUIRED_TABLES:
        raise InvalidInput("{path} is not a Posko database", path=str(path))


def is_training_file(path: Path) -> bool:
    """Whether a backup is of a training database (its `meta` row says so)."""
    with closing(_read_only(path)) as connection:
        row = connection.execute("SELECT value FROM meta WHERE key = 'training'").fetchone()
    return row is not None and row[0] == "1"


def restore(engine: Engine, clock: Clock, source: Path, officer: OfficerView) -> None:
    """Replace the database's content with the backup `source`, after checking it.

    An admin's act through the access gate, on the database it replaces; a
    training backup never replaces a real database, nor a real one a training
    database (a real database refuses a simulated clock; a training one
    would not).
    """
    target = sqlite_file(engine, "posko restore")
    check_backup(source)
    with new_session(engine) as session:
        access.allow(session, clock, officer, access.RESTORE)
        training = is_training(session)
    restored = is_training_file(source)
    if restored and not training:
        raise InvalidInput(
            "{path} is a training database; it cannot replace this real one", path=str(source)
        )
    if training and not restored:
        raise InvalidInput(
            "{path} is a real database; it cannot replace this training one", path=str(source)
        )
    engine.dispose()
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        create_private(target)
    with closing(_read_only(source)) as src, closing(sqlite3.connect(target, timeout=15)) as dst:
        src.backup(dst)
    reference.forget(engine)  # another database now: its own regions and training flag
    with new_session(engine) as session:
        access.record(session, clock, officer, access.RESTORE, source.name[:120])
        session.commit()
