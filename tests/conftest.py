"""Fixtures shared by every test.

Every database test runs on SQLite and, when POSKO_TEST_DATABASE_URL names a
PostgreSQL server, on PostgreSQL too. Each test gets its own database, copied
from a template that was migrated and seeded once per run (a file copy on
SQLite, CREATE DATABASE ... TEMPLATE on PostgreSQL).
"""

from __future__ import annotations

import os
import shutil
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.exc import DBAPIError

from posko.config import Settings, data_dir
from posko.core.clock import JAKARTA, FixedClock
from posko.core.schedule import SchedulePolicy
from posko.runtime import Runtime
from posko.services import reference
from posko.store.db import make_engine, new_session

PG_ENV = "POSKO_TEST_DATABASE_URL"
# The fixtures' world: a training database on the sample officers, the roster
# generated from 1 December 2026 to the end of 2027, the clock inside the first
# session (Tuesday 1 December 2026, 08:15 WIB).
SEED_INSTANT = datetime(2026, 12, 1, 7, 0, tzinfo=JAKARTA)
ROSTER_END = date(2027, 12, 31)
SESSION_INSTANT = datetime(2026, 12, 1, 8, 15, tzinfo=JAKARTA)

BACKENDS = ["sqlite", "postgresql"]


def wib(text_: str) -> datetime:
    """'2026-12-01 08:15' as an aware WIB datetime."""
    return datetime.fromisoformat(text_).replace(tzinfo=JAKARTA)


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory: pytest.TempPathFactory, monkeypatch) -> None:
    """Shut out the developer's own config, database and language."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    for name in list(os.environ):
        if name.startswith("POSKO_") and name != PG_ENV:
            monkeypatch.delenv(name)
    from posko import i18n

    i18n.set_language("id")


def policy_from_repo() -> SchedulePolicy:
    return reference.load_policy(data_dir("schedules") / "pendopo.toml")


def _seed(engine: Engine) -> None:
    from posko.services import roster, setup

    clock = FixedClock(SEED_INSTANT)
    policy = policy_from_repo()
    setup.init_database(engine, clock, policy, training=True)
    with new_session(engine) as session:
        roster.generate(session, clock, policy, start=SEED_INSTANT.date(), end=ROSTER_END)


@dataclass
class TestDatabase:
    backend: str
    url: str
    engine: Engine


class _Templates:
    """Per-run templates, made on first use."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.sqlite_template: Path | None = None
        self.pg_template: str | None = None

    def sqlite(self) -> Path:
        if self.sqlite_template is None:
            path = self.root / "template.db"
            engine = make_engine(f"sqlite:///{path}")
            _seed(engine)
            # Closing the last connection checkpoints the WAL into the file,
            # so a plain copy of template.db is a whole database.
            engine.dispose()
            self.sqlite_template = path
        return self.sqlite_template

    def postgresql(self, admin_url: str) -> str:
        if self.pg_template is None:
            name = f"posko_tmpl_{uuid.uuid4().hex[:8]}"
            _create_pg_database(admin_url, name)
            engine = make_engine(_pg_url(admin_url, name))
            _seed(engine)
            engine.dispose()
            self.pg_template = name
        return self.pg_template


def _pg_url(admin_url: str, database: str) -> str:
    from posko.store.db import resolve_url

    return (
        make_url(resolve_url(admin_url))
        .set(database=database)
        .render_as_string(hide_password=False)
    )


def _admin_engine(admin_url: str) -> Engine:
    from posko.store.db import resolve_url

    return create_engine(resolve_url(admin_url), isolation_level="AUTOCOMMIT")


def _create_pg_database(admin_url: str, name: str, template: str | None = None) -> None:
    engine = _admin_engine(admin_url)
    with engine.connect() as connection:
        clause = f" TEMPLATE {template}" if template else ""
        connection.execute(text(f'CREATE DATABASE "{name}"{clause}'))
    engine.dispose()


def _drop_pg_database(admin_url: str, name: str) -> None:
    """Drop a test database; an autovacuum worker may hold it for a moment.

    FORCE cannot end a superuser's autovacuum backend, so wait it out; a
    database still left after that is only litter on a throwaway server.
    """
    engine = _admin_engine(admin_url)
    try:
        for attempt in range(10):
            try:
                with engine.connect() as connection:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                return
            except DBAPIError:
                time.sleep(0.2 * (attempt + 1))
    finally:
        engine.dispose()


@pytest.fixture(scope="session")
def _templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[_Templates]:
    templates = _Templates(tmp_path_factory.mktemp("templates"))
    yield templates
    admin = os.environ.get(PG_ENV)
    if admin and templates.pg_template:
        _drop_pg_database(admin, templates.pg_template)


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    if request.param == "postgresql" and not os.environ.get(PG_ENV):
        pytest.skip(f"PostgreSQL tests need {PG_ENV} (a server .ci/run starts)")
    return request.param


@contextmanager
def fresh_database(
    backend: str, path: Path, prefix: str, templates: _Templates | None
) -> Iterator[TestDatabase]:
    """A database of one test's own: the file `path` on SQLite, a database named
    `prefix_…` on PostgreSQL; a copy of the seeded template, or without any
    schema when `templates` is None. Dropped at the end."""
    if backend == "sqlite":
        if templates is not None:
            shutil.copyfile(templates.sqlite(), path)
        url = f"sqlite:///{path}"
        engine = make_engine(url)
        yield TestDatabase(backend, url, engine)
        engine.dispose()
        return
    admin = os.environ[PG_ENV]
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    _create_pg_database(admin, name, template=templates.postgresql(admin) if templates else None)
    url = _pg_url(admin, name)
    engine = make_engine(url)
    yield TestDatabase(backend, url, engine)
    engine.dispose()
    _drop_pg_database(admin, name)


@pytest.fixture
def db(backend: str, _templates: _Templates, tmp_path: Path) -> Iterator[TestDatabase]:
    """A fresh, seeded training database on the backend under test."""
    with fresh_database(backend, tmp_path / "posko.db", "posko_t", _templates) as database:
        yield database


@pytest.fixture
def empty_db(backend: str, tmp_path: Path) -> Iterator[TestDatabase]:
    """A database with no schema at all, for `init` and migration tests."""
    with fresh_database(backend, tmp_path / "empty.db", "posko_e", None) as database:
        yield database


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(SESSION_INSTANT)


@pytest.fixture
def policy() -> SchedulePolicy:
    return policy_from_repo()


@pytest.fixture
def session(db: TestDatabase):  # type: ignore[no-untyped-def]
    with new_session(db.engine) as s:
        yield s


@pytest.fixture
def runtime(db: TestDatabase, clock: FixedClock, tmp_path: Path) -> Runtime:
    """What the CLI and kiosk are built from, on the test database and clock."""
    rt = Runtime(
        settings=Settings(
            database_url=db.url,
            output_dir=str(tmp_path / "slips"),
            handoff_dir=str(tmp_path / "serah-terima"),
        )
    )
    rt.clock = clock
    rt.engine = db.engine
    return rt
