"""Synthetic complaints at scale, for training databases and the benchmarks.

`seed_synthetic` fills a training database with N complaints that look like
years of the desk's work: every kota, kecamatan and kelurahan, every category,
dates on the session days and hours of the policy, each complaint with the
status events of its way through the lifecycle, tracking codes from
`posko.core.tracking` on a seeded RNG (the same seed gives the same data).

Speed is the point (a million complaints well under a minute on SQLite), so
the rows bypass the ORM: SQLAlchemy's per-row parameter processing would cost
more than the insert itself. The rows go in by the driver's `executemany`
(SQLite) or COPY (PostgreSQL), in one transaction. On an empty table the
secondary indexes (and SQLite's search triggers) are dropped first and built
once at the end, which is several times faster than keeping them up to date
row by row; they are rebuilt from their own stored definitions, so the schema
ends exactly as the migrations left it.
"""

from __future__ import annotations

import gc
import queue
import random
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.core.lifecycle import Status
from posko.core.schedule import SchedulePolicy, local_date, session_dates, session_window
from posko.core.tracking import ALPHABET, check_symbol
from posko.services import audit, reference, setup
from posko.store.db import new_session
from posko.store.models import Complaint, Officer, StatusEvent

BATCH = 20_000
_T = TypeVar("_T")
_DONE = object()
TABLES = ("complaint", "status_event")
# The columns a synthetic complaint fills; the others (session, visit, e-mail,
# coordinates, duplicates, erasure) stay NULL, and leaving them out of the
# statement saves binding eight parameters per row.
COMPLAINT_COLUMNS = (
    "id", "code", "site_code", "queue_number", "desk", "officer_id", "created_at",
    "updated_at", "status", "category_code", "description", "reporter_name", "reporter_nik",
    "reporter_phone", "anonymous", "confidential", "kota_code", "kecamatan_code",
    "kelurahan_code", "location_address", "priority", "destination_region",
)  # fmt: skip
EVENT_COLUMNS = ("complaint_id", "status", "at", "officer_id", "actor", "note", "region_code")

FIRST_NAMES = (
    "Budi", "Siti", "Agus", "Dewi", "Rudi", "Ani", "Joko", "Sri", "Andi", "Rina", "Hendra",
    "Yuni", "Bambang", "Ratna", "Dedi", "Wati", "Eko", "Lina", "Fajar", "Nur", "Ahmad",
    "Putri", "Rizky", "Indah", "Slamet", "Maya", "Teguh", "Fitri", "Hadi", "Kartini",
)  # fmt: skip
LAST_NAMES = (
    "Santoso", "Saputra", "Maharani", "Lubis", "Siregar", "Wijaya", "Hartono", "Nasution",
    "Kusuma", "Pratama", "Setiawan", "Hidayat", "Rahman", "Simanjuntak", "Sihombing",
    "Gunawan", "Susanto", "Purnomo", "Halim", "Tanjung", "Harahap", "Wibowo", "Utami",
)  # fmt: skip
STREETS = (
    "Jl. Cideng Barat", "Jl. Kramat Raya", "Jl. Pemuda", "Jl. Daan Mogot", "Jl. Fatmawati",
    "Jl. Kalimalang", "Jl. Pluit Raya", "Jl. Salemba", "Jl. Gatot Subroto", "Jl. Casablanca",
    "Jl. Kebon Jeruk", "Jl. Tanjung Priok", "Jl. Matraman", "Jl. Kemang Raya", "Gang Mawar",
)  # fmt: skip
# Words of complaints as citizens tell them, by category when it has its own.
PROBLEMS = {
    "jalan": ("Jalan berlubang", "Trotoar rusak", "Aspal mengelupas", "Lampu jalan mati"),
    "banjir": ("Saluran air tersumbat", "Banjir setiap hujan", "Got meluap", "Tanggul bocor"),
    "sampah": ("Sampah menumpuk", "Sampah tidak diangkut", "Bau sampah menyengat"),
    "adminduk": ("KTP belum jadi", "Kartu keluarga salah data", "Akta kelahiran tertunda"),
}
GENERAL = ("Mohon ditindaklanjuti", "Warga resah", "Sudah dilaporkan ke RT", "Tidak ada respons")
WHEN = ("sejak seminggu", "sejak sebulan", "setiap pagi", "sudah lama", "sejak kemarin")

# The share of complaints that reach each final status, by age: most older
# complaints are closed, recent ones are still on their way.
PATH_DONE = (Status.DISERAHKAN, Status.DITERIMA_WILAYAH, Status.DIPROSES, Status.SELESAI)
PATH_REFUSED = (Status.DISERAHKAN, Status.DITERIMA_WILAYAH, Status.DITOLAK)


@dataclass(frozen=True)
class SeedResult:
    complaints: int
    status_events: int
    first_id: int
    last_id: int
    indexes_rebuilt: bool


@dataclass(frozen=True)
class _World:
    """Everything a synthetic row is drawn from, read once from the database."""

    site_code: str
    site_name: str
    kelurahan: list[tuple[str, str, str]]  # (kota, kecamatan, kelurahan)
    categories: list[str]
    officers: list[tuple[str, str]]  # (officer id, desk code)
    regional: dict[str, str]  # kota -> the regional office's officer id
    session_starts: list[int]  # UTC epoch seconds of each session's start


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
    dbapi = engine.raw_connection()
    # Millions of new tuples set off garbage collections that scan them all
    # again and again (drawing the rows took ~30% longer); none form cycles.
    gc.disable()
    try:
        sqlite = engine.dialect.name == "sqlite"
        batches = _ahead(
            _batches(world, rng, count, first_id, existing, clock, utc_suffix=not sqlite)
        )
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
) -> tuple[_World, int, set[str]]:
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
    world = _World(
        site_code=policy.site_code,
        site_name=policy.site_name,
        kelurahan=kelurahan,
        categories=categories,
        officers=duty,
        regional={o.region_code: o.id for o in officers if o.role == "regional"},
        session_starts=[int(session_window(policy, d).starts_at.timestamp()) for d in days],
    )
    return world, last_id + 1, existing


class _Stamps:
    """UTC instants as text, as SQLAlchemy stores them on SQLite (no offset) or
    PostgreSQL reads them: from two small tables instead of strftime, which
    cost a quarter of drawing the rows."""

    def __init__(self, utc_suffix: bool) -> None:
        suffix = ".000000+00:00" if utc_suffix else ".000000"
        self._days: dict[int, str] = {}
        self._times = [
            f" {h:02d}:{m:02d}:{s:02d}{suffix}"
            for h in range(24)
            for m in range(60)
            for s in range(60)
        ]

    def __call__(self, epoch: int) -> str:
        day, second = divmod(epoch, 86_400)
        prefix = self._days.get(day)
        if prefix is None:
            prefix = self._days[day] = datetime.fromtimestamp(day * 86_400, UTC).strftime(
                "%Y-%m-%d"
            )
        return prefix + self._times[second]


def _descriptions(category: str, rng: random.Random) -> list[tuple[str, str]]:
    """(category, description) pairs; the same number per category, so that
    drawing a pair draws every category equally often."""
    problems = PROBLEMS.get(category, GENERAL)
    texts = [
        f"{problem} di {street} {when}. {extra}."
        for problem in problems
        for street in STREETS
        for when in WHEN
        for extra in GENERAL
    ]
    return [(category, text) for text in rng.choices(texts, k=300)]


def _reporters(world: _World, rng: random.Random, count: int) -> list[tuple[Any, ...]]:
    """A pool of citizens (name, NIK, phone); some come back with another complaint."""
    getrandbits, choices = rng.getrandbits, rng.choices
    kecamatan = sorted({kec.replace(".", "") for _, kec, _ in world.kelurahan})
    # NIK's date of birth is DDMMYY, women adding 40 to the day.
    births = [
        f"{day + women:02d}{month:02d}{year % 100:02d}"
        for day in range(1, 29)
        for women in (0, 40)
        for month in range(1, 13)
        for year in range(1950, 2005)
    ]
    return [
        (f"{first} {last}", f"{kec}{born}{1 + getrandbits(13) % 9999:04d}",
         f"+628{1 + getrandbits(3) % 8}{getrandbits(30) % 10**9:09d}")
        for first, last, kec, born in zip(
            choices(FIRST_NAMES, k=count), choices(LAST_NAMES, k=count),
            choices(kecamatan, k=count), choices(births, k=count), strict=True,
        )
    ]  # fmt: skip


def _codes(prefix: str, rng: random.Random, taken: set[str]) -> Iterator[str]:
    """Tracking codes as `tracking.new_code` makes them, from 35 random bits at a
    time: new_code's seven randbelow(32) calls would cost a fifth of the seeding."""
    pairs = [a + b for a in ALPHABET for b in ALPHABET]
    getrandbits = rng.getrandbits
    while True:
        bits = getrandbits(35)
        body = pairs[bits & 1023] + pairs[bits >> 10 & 1023] + pairs[bits >> 20 & 1023]
        body += ALPHABET[bits >> 30]
        symbols = body + check_symbol(body)
        code = f"{prefix}-{symbols[:4]}-{symbols[4:]}"
        if code not in taken:
            taken.add(code)
            yield code


def _batches(
    world: _World,
    rng: random.Random,
    count: int,
    first_id: int,
    codes: set[str],
    clock: Clock,
    *,
    utc_suffix: bool,
) -> Iterator[tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]]:
    """(complaint rows, their status events) a batch at a time, oldest first.

    Columns are drawn a batch at a time with `choices`, whose loop runs in C;
    only what depends on the row (codes, the lifecycle path) is computed per row.
    """
    now = int(clock.now().timestamp())
    stamp = _Stamps(utc_suffix)
    session_length = 90 * 60
    starts = world.session_starts
    span = len(starts) * session_length
    random_, getrandbits, choices = rng.random, rng.getrandbits, rng.choices
    # Instants sorted up front, so ids follow time as they do at the desk.
    offsets = sorted(int(random_() * span) for _ in range(count))
    pairs = [pair for category in world.categories for pair in _descriptions(category, rng)]
    people = _reporters(world, rng, min(count, 50_000))
    streets = [f"{street} {number}" for street in STREETS for number in range(1, 201)]
    note = f"Diterima di {world.site_name}"
    done, refused = [s.value for s in PATH_DONE], [s.value for s in PATH_REFUSED]

    new_codes = _codes(world.site_code, rng, codes)
    queue_day, queue_number = -1, 0
    for batch_start in range(0, count, BATCH):
        size = min(BATCH, count - batch_start)
        officers = choices(world.officers, k=size)
        places = choices(world.kelurahan, k=size)
        texts = choices(pairs, k=size)
        reporters = choices(people, k=size)
        addresses = choices(streets, k=size)
        rows: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        for i in range(size):
            complaint_id = first_id + batch_start + i
            day, second = divmod(offsets[batch_start + i], session_length)
            queue_number = queue_number + 1 if day == queue_day else 1
            queue_day = day
            created = starts[day] + second
            code = next(new_codes)
            officer_id, desk = officers[i]
            kota, kecamatan, kelurahan = places[i]
            category, description = texts[i]
            roll = random_()
            name, nik, phone = (None, None, None) if roll < 0.05 else reporters[i]
            created_at = stamp(created)
            events.append(
                (complaint_id, "diterima", created_at, officer_id, officer_id, note, kota)
            )
            # Older complaints got further, a step every few days; none in the future.
            age_days = (now - created) // 86_400
            path = refused if roll > 0.97 else done
            at, updated_at, status = created, created_at, "diterima"
            regional = world.regional.get(kota)
            for step in path[: min(len(path), age_days // 3 + (age_days > 0))]:
                at = min(
                    at + (7_200 if step == "diserahkan" else 86_400 + 3 * getrandbits(15)), now
                )
                actor = officer_id if step == "diserahkan" else regional
                updated_at, status = stamp(at), step
                events.append((complaint_id, step, updated_at, actor, actor or "sistem", "", kota))
            rows.append((
                complaint_id, code, world.site_code, queue_number, desk or None, officer_id,
                created_at, updated_at, status, category, description, name, nik, phone,
                roll < 0.05, 0.05 <= roll < 0.10, kota, kecamatan, kelurahan, addresses[i],
                roll < 0.15, kota,
            ))  # fmt: skip
        yield rows, events


def _ahead(batches: Iterator[_T]) -> Iterator[_T]:
    """The same batches, each drawn in a thread while the database stores the one
    before: the drivers release the GIL while SQLite or PostgreSQL work, so on
    two cores drawing rows and storing them overlap instead of adding up."""
    ready: queue.Queue[Any] = queue.Queue(maxsize=2)
    stop = threading.Event()

    def offer(item: Any) -> bool:
        """Put the item unless the consumer has gone (then the thread may end)."""
        while not stop.is_set():
            try:
                ready.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for batch in batches:
                if not offer(batch):
                    return
            offer(_DONE)
        except BaseException as error:  # handed to the consumer, raised there
            offer(error)

    thread = threading.Thread(target=produce, name="posko-seed", daemon=True)
    thread.start()
    try:
        while (item := ready.get()) is not _DONE:
            if isinstance(item, BaseException):
                raise item
            yield item
    finally:
        stop.set()
        thread.join()


def _load_sqlite(dbapi: Any, batches: Iterator, *, rebuild: bool) -> int:
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
    cursor.execute("PRAGMA foreign_keys=OFF")
    cursor.execute("PRAGMA cache_size=-262144")
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


def _load_postgresql(dbapi: Any, batches: Iterator, *, rebuild: bool) -> int:
    connection = dbapi.driver_connection
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
            with cursor.copy(f"COPY complaint ({', '.join(COMPLAINT_COLUMNS)}) FROM STDIN") as copy:
                for row in complaints:
                    copy.write_row(row)
            with cursor.copy(f"COPY status_event ({', '.join(EVENT_COLUMNS)}) FROM STDIN") as copy:
                for event in status_events:
                    copy.write_row(event)
            events += len(status_events)
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
