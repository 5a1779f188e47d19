"""Synthetic complaints at scale, for training databases and the benchmarks.

`seed_synthetic` fills a training database with N complaints that look like
years of the desk's work: every kota, kecamatan and kelurahan, every category,
dates on the session days and hours of the policy, each complaint with the
status events of its way through the lifecycle, tracking codes from
`posko.core.tracking` on a seeded RNG (the same seed gives the same data).

Speed is the point (a million complaints well under a minute on SQLite), so
the rows bypass the ORM: SQLAlchemy's per-row parameter processing would cost
more than the insert itself. `posko.services.synthetic` draws the rows in a
process of its own, a batch ahead, while this one stores them: by the driver's
`executemany` (SQLite) or as COPY text (PostgreSQL), in one transaction. On an
empty table the secondary indexes (and SQLite's search triggers, PostgreSQL's
foreign keys) are dropped first and built once at the end, which is several
times faster than keeping them up to date row by row; they are rebuilt from
their own stored definitions, so the schema ends exactly as the migrations
left it.
"""

from __future__ import annotations

import gc
import pickle
import random
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from typing import IO, Any

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.core.schedule import SchedulePolicy, local_date, session_dates, session_window
from posko.services import audit, reference, setup
from posko.services.synthetic import COMPLAINT_COLUMNS, EVENT_COLUMNS, Order, World
from posko.store.db import new_session
from posko.store.models import Complaint, Officer, StatusEvent

TABLES = ("complaint", "status_event")


@dataclass(frozen=True)
class SeedResult:
    complaints: int
    status_events: int
    first_id: int
    last_id: int
    indexes_rebuilt: bool


def seed_synthetic(
    engine: Engine,
    clock: Clock,
    policy: SchedulePolicy,
    count: int,
    *,
    seed: int = 1,
    years: int = 3,
) -> SeedResult:
    """Add `count` synthetic complaints taken over the last `years` years.

    Only a training database takes them: synthetic citizens must never mix
    with real ones.
    """
    if count < 1:
        raise InvalidInput("give at least one complaint to seed")
    world, first_id, existing = _read_world(engine, clock, policy, years)
    events_before = _last_event_id(engine)
    rng = random.Random(seed * 1_000_003 + first_id)
    sqlite = engine.dialect.name == "sqlite"
    now = int(clock.now().timestamp())
    order = Order(world, rng, count, first_id, existing, now, copy_text=not sqlite)
    dbapi = engine.raw_connection()
    # Millions of new tuples, unpickled here, set off garbage collections that
    # scan them all again and again; none form cycles.
    gc.disable()
    try:
        with _drawn_elsewhere(order) as batches:
            events = (_load_sqlite if sqlite else _load_postgresql)(
                dbapi, batches, rebuild=first_id == 1
            )
    finally:
        gc.enable()
        dbapi.close()
    with new_session(engine) as session:
        # Covered by id range and count, not row by row: a digest per row would
        # cost as much as the load itself, and only training databases are seeded.
        audit.track_range(session, "complaint", first_id, first_id + count - 1, count)
        if events:
            audit.track_range(
                session, "status_event", events_before + 1, _last_event_id(engine), events
            )
        audit.record(
            session,
            clock,
            actor="sistem",
            action="seed.synthetic",
            detail={"complaints": count, "seed": seed, "first_id": first_id},
        )
        session.commit()
    return SeedResult(count, events, first_id, first_id + count - 1, first_id == 1)


def _last_event_id(engine: Engine) -> int:
    with new_session(engine) as session:
        return session.exec(select(func.max(StatusEvent.id))).one() or 0


def _read_world(
    engine: Engine, clock: Clock, policy: SchedulePolicy, years: int
) -> tuple[World, int, set[str]]:
    with new_session(engine) as session:
        if not setup.is_training(session):
            raise InvalidInput(
                "synthetic complaints only go into a training database (posko init --training)"
            )
        regions = reference.regions(session)
        last_id = session.exec(select(func.max(Complaint.id))).one() or 0
        # Codes already stored, so a new one never collides (few on a fresh DB).
        existing = set(session.exec(select(Complaint.code)).all()) if last_id else set()
        officers = session.exec(select(Officer).where(Officer.active)).all()
        categories = sorted(reference.categories(session))
    desk_of = {desk.region: desk.code for desk in policy.desks if desk.region}
    kelurahan = []
    for region in regions.of_level("kelurahan"):
        kecamatan = regions.get(region.parent_code or "")
        kota = regions.kota_of(region.code)
        if kecamatan is not None and kota is not None:
            kelurahan.append((kota.code, kecamatan.code, region.code))
    duty = [(o.id, desk_of.get(o.region_code, "")) for o in officers if o.role == "duty"]
    if not duty or not kelurahan or not categories:
        raise InvalidInput("the database has no duty officers, regions or categories to draw from")
    today = local_date(policy, clock.now())
    days = session_dates(policy, today - timedelta(days=365 * years), today - timedelta(days=1))
    world = World(
        site_code=policy.site_code,
        site_name=policy.site_name,
        kelurahan=kelurahan,
        categories=categories,
        officers=duty,
        regional={o.region_code: o.id for o in officers if o.role == "regional"},
        session_starts=[int(session_window(policy, d).starts_at.timestamp()) for d in days],
    )
    return world, last_id + 1, existing


@contextmanager
def _drawn_elsewhere(order: Order) -> Iterator[Iterator[tuple[Any, Any]]]:
    """The batches of `order`, drawn by `posko.services.synthetic` in a process
    of its own, a batch ahead of the caller (the pipe holds little, so the
    drawing waits while the caller stores a batch). The same interpreter and
    environment; -P keeps the working folder off its path, so it imports the
    same posko as this process."""
    process = subprocess.Popen(
        [sys.executable, "-P", "-m", "posko.services.synthetic"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
    )
    assert process.stdin is not None and process.stdout is not None
    try:
        pickle.dump(order, process.stdin, protocol=pickle.HIGHEST_PROTOCOL)
        process.stdin.close()
        yield _received(process.stdout)
        process.wait()
    finally:
        if process.poll() is None:  # the load failed or was interrupted
            process.kill()
            process.wait()
        process.stdout.close()


def _received(stream: IO[bytes]) -> Iterator[tuple[Any, Any]]:
    try:
        while (batch := pickle.load(stream)) is not None:
            yield batch
    except EOFError:
        raise RuntimeError("drawing the synthetic rows stopped (see the error above)") from None


def _load_sqlite(dbapi: Any, batches: Iterator[tuple[Any, Any]], *, rebuild: bool) -> int:
    cursor = dbapi.cursor()
    insert_complaint = (
        f"INSERT INTO complaint ({', '.join(COMPLAINT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(COMPLAINT_COLUMNS))})"
    )
    insert_event = (
        f"INSERT INTO status_event ({', '.join(EVENT_COLUMNS)}) "
        f"VALUES ({', '.join('?' * len(EVENT_COLUMNS))})"
    )
    events = 0
    # The rows are drawn from the reference data in this database, so their
    # foreign keys hold by construction; checking ten of them per row would
    # double the load (tests run PRAGMA foreign_key_check on seeded data).
    # A large page cache keeps the UNIQUE index on the random codes in memory.
    # A training database only: no fsync during the load (a crash loses the
    # seed, which is one transaction, not the database: the WAL still guards it).
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.execute("PRAGMA cache_size=-262144")
    cursor.execute("PRAGMA synchronous=OFF")
    cursor.execute("BEGIN IMMEDIATE")
    try:
        deferred: list[str] = []
        if rebuild:
            # Indexes and the search triggers, as the migrations created them.
            deferred = [
                sql
                for _, sql in cursor.execute(
                    "SELECT type, sql FROM sqlite_master WHERE tbl_name IN (?, ?) "
                    "AND type IN ('index', 'trigger') AND sql IS NOT NULL ORDER BY type",
                    TABLES,
                ).fetchall()
            ]
            for kind, name in cursor.execute(
                "SELECT type, name FROM sqlite_master WHERE tbl_name IN (?, ?) "
                "AND type IN ('index', 'trigger') AND sql IS NOT NULL",
                TABLES,
            ).fetchall():
                cursor.execute(f'DROP {kind.upper()} "{name}"')
        for complaints, status_events in batches:
            cursor.executemany(insert_complaint, complaints)
            cursor.executemany(insert_event, status_events)
            events += len(status_events)
        for sql in deferred:
            cursor.execute(sql)
        has_fts = cursor.execute(
            "SELECT 1 FROM sqlite_master WHERE name = 'complaint_fts'"
        ).fetchone()
        if rebuild and has_fts:
            cursor.execute("INSERT INTO complaint_fts(complaint_fts) VALUES ('rebuild')")
        cursor.execute("COMMIT")
    except BaseException:
        cursor.execute("ROLLBACK")
        raise
    finally:
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA cache_size=-2000")
        cursor.execute("PRAGMA foreign_keys=ON")
    return events


# Secondary indexes PostgreSQL may drop and rebuild: not those behind a
# constraint (primary keys, UNIQUE), which the table needs throughout.
_PG_INDEXES = """
SELECT i.relname, pg_get_indexdef(i.oid)
FROM pg_index x
JOIN pg_class i ON i.oid = x.indexrelid
JOIN pg_class t ON t.oid = x.indrelid
WHERE t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
  AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.oid)
"""


_PG_FOREIGN_KEYS = """
SELECT t.relname, c.conname, pg_get_constraintdef(c.oid)
FROM pg_constraint c JOIN pg_class t ON t.oid = c.conrelid
WHERE c.contype = 'f' AND t.relname = ANY(%s) AND t.relnamespace = 'public'::regnamespace
"""


def _load_postgresql(dbapi: Any, batches: Iterator[tuple[Any, Any]], *, rebuild: bool) -> int:
    connection = dbapi.driver_connection
    copy_complaints = f"COPY complaint ({', '.join(COMPLAINT_COLUMNS)}) FROM STDIN"
    copy_events = f"COPY status_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN"
    events = 0
    with connection.transaction(), connection.cursor() as cursor:
        deferred: list[str] = []
        if rebuild:
            # Foreign keys are checked by a trigger per row; added back at the
            # end, PostgreSQL checks them in one pass over the table.
            for table, name, definition in cursor.execute(
                _PG_FOREIGN_KEYS, [list(TABLES)]
            ).fetchall():
                cursor.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
                deferred.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
            found = cursor.execute(_PG_INDEXES, [list(TABLES)]).fetchall()
            deferred[:0] = [definition for _, definition in found]
            for name, _ in found:
                cursor.execute(f'DROP INDEX "{name}"')
        for complaints, status_events in batches:
            with cursor.copy(copy_complaints) as copy:
                copy.write(complaints)
            with cursor.copy(copy_events) as copy:
                copy.write(status_events)
            events += status_events.count(b"\n")
        # Memory to build the indexes (the search index above all) and to check
        # the foreign keys each in one pass, without spilling to disk.
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL work_mem = '128MB'")
        for definition in deferred:
            cursor.execute(definition)
        # Ids were given explicitly; the sequence must continue after them.
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('complaint', 'id'), "
            "(SELECT max(id) FROM complaint))"
        )
        cursor.execute("ANALYZE complaint")
        cursor.execute("ANALYZE status_event")
    return events
