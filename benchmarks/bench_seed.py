"""`posko seed --synthetic N`: complaints per second, against a plain bulk insert."""

from __future__ import annotations

import random
import sqlite3
import time
from pathlib import Path

from common import INIT_INSTANT, Row, policy, training_database

from posko.core.clock import FixedClock
from posko.services import seed
from posko.store.db import make_engine

TARGET = 50_000  # complaints per second on SQLite (issue 8)


def _seed_rate(url: str, count: int) -> float:
    engine = make_engine(url)
    started = time.perf_counter()
    seed.seed_synthetic(engine, FixedClock(INIT_INSTANT), policy(), count)
    seconds = time.perf_counter() - started
    engine.dispose()
    return count / seconds


def _same_rows(url: str, count: int):  # type: ignore[no-untyped-def]
    """The seeder's own complaint rows, batch by batch (drawn outside the timing)."""
    engine = make_engine(url)
    clock = FixedClock(INIT_INSTANT)
    world, first_id, codes = seed._read_world(engine, clock, policy(), 3)
    engine.dispose()
    sqlite = url.startswith("sqlite")
    for rows, _events in seed._batches(
        world, random.Random(7), count, first_id, codes, clock, utc_suffix=not sqlite
    ):
        yield rows


def _sqlite_floor(url: str, count: int, folder: Path) -> float:
    """Plain sqlite3 executemany of the same rows into a comparable table: the
    same columns, an integer key and the UNIQUE code, WAL; no events, no other index."""
    path = folder / "floor.db"
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    columns = ", ".join(
        f"{name} INTEGER PRIMARY KEY"
        if name == "id"
        else (f"{name} TEXT NOT NULL UNIQUE" if name == "code" else name)
        for name in seed.COMPLAINT_COLUMNS
    )
    connection.execute(f"CREATE TABLE complaint_floor ({columns})")
    insert = f"INSERT INTO complaint_floor VALUES ({', '.join('?' * len(seed.COMPLAINT_COLUMNS))})"
    spent = 0.0
    connection.execute("BEGIN")
    for rows in _same_rows(url, count):
        started = time.perf_counter()
        connection.executemany(insert, rows)
        spent += time.perf_counter() - started
    started = time.perf_counter()
    connection.execute("COMMIT")
    spent += time.perf_counter() - started
    connection.close()
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return count / spent


def _pg_floor(url: str, count: int) -> float:
    """psycopg COPY of the same rows into a comparable table (the complaint
    table's columns, key and UNIQUE code; no foreign keys, events or other index)."""
    engine = make_engine(url)
    raw = engine.raw_connection()
    connection = raw.driver_connection
    columns = ", ".join(seed.COMPLAINT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE complaint_floor (LIKE complaint INCLUDING DEFAULTS, "
            "PRIMARY KEY (id), UNIQUE (code))"
        )
        connection.commit()
        spent = 0.0
        for rows in _same_rows(url, count):
            started = time.perf_counter()
            with cursor.copy(f"COPY complaint_floor ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            spent += time.perf_counter() - started
        started = time.perf_counter()
        connection.commit()
        spent += time.perf_counter() - started
        cursor.execute("DROP TABLE complaint_floor")
        connection.commit()
    raw.close()
    engine.dispose()
    return count / spent


def run(count: int, folder: Path, pg_admin: str | None) -> list[Row]:
    rows = []
    with training_database("sqlite", None, folder) as url:
        rate = _seed_rate(url, count)
        floor = _sqlite_floor(url, count, folder)
    rows.append(
        Row(
            f"seed --synthetic {count:,} (SQLite)",
            "/s",
            rate,
            None,
            "sqlite3 executemany, same rows, UNIQUE code only",
            floor,
            f">= {TARGET:,}/s",
            rate >= TARGET,
            "" if rate >= TARGET else _why_seed_is_slower(rate, floor),
        )
    )
    if pg_admin:
        pg_count = min(count, 200_000)
        with training_database("postgresql", pg_admin, folder) as url:
            rate = _seed_rate(url, pg_count)
            floor = _pg_floor(url, pg_count)
        rows.append(
            Row(
                f"seed --synthetic {pg_count:,} (PostgreSQL)",
                "/s",
                rate,
                None,
                "psycopg COPY, same rows, key + UNIQUE code only",
                floor,
                "- (no target; COPY)",
                None,
            )
        )
    return rows


def _why_seed_is_slower(rate: float, floor: float) -> str:
    if floor < TARGET:
        return (
            f"the floor itself ({floor:,.0f}/s) is under the target on this machine; the seed "
            "also writes ~5 status events per complaint and builds 6 indexes + FTS"
        )
    return (
        "the seed also writes ~5 status events per complaint and builds 6 indexes + FTS "
        "after the load; drawing the rows in Python costs ~10 us each"
    )
