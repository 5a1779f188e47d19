"""Engines for SQLite (the default) and PostgreSQL (several desks sharing data)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from posko.files import ensure_private_dir, private_dir

ENV_URL = "POSKO_DATABASE_URL"


def default_folder() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("posko", appauthor=False))


def default_url() -> str:
    return f"sqlite:///{default_folder() / 'posko.db'}"


def resolve_url(url: str | None) -> str:
    """The database URL from the option, the environment or the default SQLite file."""
    chosen = url or os.environ.get(ENV_URL) or default_url()
    parsed = make_url(chosen)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def sqlite_path(url: str) -> Path | None:
    database = make_url(url).database
    if not is_sqlite(url) or not database or database == ":memory:":
        return None
    return Path(database)


def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # NORMAL is durable across application crashes in WAL mode; only a power
    # cut may lose the last transactions, not corrupt the file.
    cursor.execute("PRAGMA synchronous=NORMAL")
    # Several processes (kiosk + CLI) wait for each other instead of failing.
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if is_sqlite(url):
        path = sqlite_path(url)
        if path is not None:
            # Posko's own data folder is 0700 even if it was made before;
            # a folder the user chose (--db) is created 0700, else left alone.
            if path.parent == default_folder():
                ensure_private_dir(path.parent)
            else:
                private_dir(path.parent)
            if not path.exists():
                # Citizens' personal data: readable by the desk's account only.
                path.touch(mode=0o600)
        engine = create_engine(url, connect_args={"timeout": 15})
        event.listen(engine, "connect", _sqlite_pragmas)
        # Take the write lock at BEGIN, so two writers queue up on busy_timeout
        # instead of one failing when it upgrades a read lock.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        _disable_pysqlite_begin(engine)
        return engine
    engine = create_engine(
        url,
        pool_pre_ping=True,
        # Generic plans make trigram/full-text searches slow: plan every query,
        # unless it asks to be prepared (`PREPARED`). psycopg would prepare a
        # query on its own after this many executions: never, in practice (None
        # would also refuse the queries that ask).
        connect_args={"prepare_threshold": 2**62},
    )
    event.listen(engine, "do_execute", _execute_prepared)
    return engine


# Execution option of a statement a desk runs on every intake: prepared on the
# server once per connection (psycopg keeps it), so PostgreSQL neither parses
# nor, once it settles on a generic plan, plans it again; about half the
# server's work per intake.
PREPARED = {"prepared": True}


def _execute_prepared(cursor, statement, parameters, context) -> bool:  # type: ignore[no-untyped-def]
    if not context.execution_options.get("prepared"):
        return False  # executed the ordinary way
    cursor.execute(statement, parameters, prepare=True)
    return True


def _disable_pysqlite_begin(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _no_implicit_begin(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None


def new_session(engine: Engine) -> Session:
    return Session(engine, expire_on_commit=False)


@contextmanager
def transaction(session: Session) -> Iterator[Session]:
    """One unit of work: committed when the block ends, rolled back when it fails.

    Rolled back on any exception (BaseException: a Ctrl+C too), so no row
    lock and no half-made change outlives a failed use case.
    """
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
