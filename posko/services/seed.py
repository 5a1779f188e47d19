"""Synthetic complaints at scale, for training databases and the benchmarks.

`seed_synthetic` fills a training database with N complaints that look like
years of the desk's work: every kota, kecamatan and kelurahan, every category,
dates on the session days and hours of the policy, each complaint with the
status events of its way through the lifecycle, tracking codes from
`posko.core.tracking` on a seeded RNG (the same seed gives the same data).

Speed is the point (a million complaints well under a minute on SQLite), so
the rows bypass the ORM: SQLAlchemy's per-row parameter processing would cost
more than the insert itself. The rows are drawn a batch and a column at a time
(see `_rows`) and go in by the driver's `executemany` (SQLite) or as COPY text
joined in C (PostgreSQL, the next batch drawn in a thread meanwhile), in one
transaction. On an empty table the
secondary indexes (and SQLite's search triggers) are dropped first and built
once at the end, which is several times faster than keeping them up to date
row by row; they are rebuilt from their own stored definitions, so the schema
ends exactly as the migrations left it.
"""

from __future__ import annotations

import gc
import random
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import repeat
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.engine import Engine
from sqlmodel import select

from posko.core.clock import Clock
from posko.core.errors import InvalidInput
from posko.core.lifecycle import Status
from posko.core.schedule import SchedulePolicy, local_date, session_dates, session_window
from posko.core.tracking import ALPHABET
from posko.services import audit, reference, setup
from posko.store.db import new_session
from posko.store.models import Complaint, Officer, StatusEvent

BATCH = 20_000
_T = TypeVar("_T")
SESSION_SECONDS = 90 * 60  # the length of the policy's intake hours
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
        batches = _rows(world, rng, count, first_id, existing, clock, _Form(copy_text=not sqlite))
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


class _Days(dict[int, str]):
    """Day number since the epoch -> "YYYY-MM-DD", each formatted once."""

    def __missing__(self, day: int) -> str:
        text = self[day] = datetime.fromtimestamp(day * 86_400, UTC).strftime("%Y-%m-%d")
        return text


class _Times(dict[int, str]):
    """Second of the day -> " HH:MM:SS.000000" (and "+00:00" for PostgreSQL)."""

    def __init__(self, suffix: str) -> None:
        super().__init__()
        self._suffix = suffix

    def __missing__(self, second: int) -> str:
        hour, rest = divmod(second, 3600)
        text = self[second] = f" {hour:02d}:{rest // 60:02d}:{rest % 60:02d}{self._suffix}"
        return text


def _stamps(instants: list[int], days: _Days, times: _Times) -> list[str]:
    """UTC instants as text, as SQLAlchemy stores them on SQLite (no offset) or
    PostgreSQL reads them: a day and a time of day from two tables, each
    formatted once, instead of strftime, which cost a quarter of the drawing."""
    return [days[t // 86_400] + times[t % 86_400] for t in instants]


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
    days = [f"{day + women:02d}" for day in range(1, 29) for women in (0, 40)]
    months = [f"{month:02d}" for month in range(1, 13)]
    years = [f"{year % 100:02d}" for year in range(1950, 2005)]
    return [
        (f"{first} {last}", f"{kec}{day}{month}{year}{1 + getrandbits(13) % 9999:04d}",
         f"+628{1 + getrandbits(3) % 8}{getrandbits(30) % 10**9:09d}")
        for first, last, kec, day, month, year in zip(
            choices(FIRST_NAMES, k=count), choices(LAST_NAMES, k=count),
            choices(kecamatan, k=count), choices(days, k=count), choices(months, k=count),
            choices(years, k=count), strict=True,
        )
    ]  # fmt: skip


class _Codes:
    """Tracking codes as `tracking.new_code` makes them, from 35 random bits at a
    time, the check symbol summed from tables of symbol pairs: new_code's seven
    randbelow(32) calls and check_symbol's loop would cost a third of the seeding."""

    def __init__(self, prefix: str, rng: random.Random, taken: set[str]) -> None:
        self._head, self._getrandbits, self._taken = f"{prefix}-", rng.getrandbits, taken
        self._pairs = [a + b for a in ALPHABET for b in ALPHABET]
        # Luhn mod 32 from the right: the 1st, 3rd, 5th and 7th symbols are doubled.
        doubled = [2 * v // 32 + 2 * v % 32 for v in range(32)]
        self._sums = [doubled[a] + b for a in range(32) for b in range(32)]
        self._last = doubled

    def draw(self, count: int) -> list[str]:
        head, pairs, sums, last = self._head, self._pairs, self._sums, self._last
        taken = self._taken
        codes: list[str] = []
        while len(codes) < count:
            for bits in [self._getrandbits(35) for _ in range(count - len(codes))]:
                a, b, c, d = bits & 1023, bits >> 10 & 1023, bits >> 20 & 1023, bits >> 30
                check = ALPHABET[-(sums[a] + sums[b] + sums[c] + last[d]) % 32]
                code = f"{head}{pairs[a]}{pairs[b]}-{pairs[c]}{ALPHABET[d]}{check}"
                if code not in taken:  # a collision is drawn again
                    taken.add(code)
                    codes.append(code)
        return codes


# Who a complaint's reporter is, by one roll: anonymous, confidential, priority
# (the first three are priority), ordinary, or refused by the regional office.
_KINDS = range(5)
_KIND_SHARES = (5, 10, 15, 97, 100)  # cumulative percent
_ANONYMOUS = (True, False, False, False, False)
_CONFIDENTIAL = (False, True, False, False, False)
_PRIORITY = (True, True, True, False, False)
_REFUSED = 4


class _Form:
    """How values travel to the driver: as Python values for sqlite3's
    executemany, or in COPY's text format for PostgreSQL, where a whole batch
    is one string joined in C (`rows`). Synthetic text holds no tab, newline
    or backslash, so nothing needs escaping."""

    def __init__(self, copy_text: bool) -> None:
        self.copy_text = copy_text
        self.null: str | None = "\\N" if copy_text else None
        self.flag: Callable[[tuple[bool, ...]], tuple[Any, ...]] = (
            (lambda flags: tuple("t" if f else "f" for f in flags)) if copy_text else tuple
        )
        self.number: Callable[[Sequence[int]], Sequence[Any]] = (
            (lambda numbers: list(map(str, numbers))) if copy_text else (lambda numbers: numbers)
        )

    def rows(self, columns: Iterable[tuple[Any, ...]]) -> Any:
        if self.copy_text:
            return "\n".join(map("\t".join, columns)) + "\n"
        return list(columns)


def _rows(
    world: _World,
    rng: random.Random,
    count: int,
    first_id: int,
    codes: set[str],
    clock: Clock,
    form: _Form,
) -> Iterator[tuple[Any, Any]]:
    """(complaint rows, their status events) a batch at a time, oldest first, in
    COMPLAINT_COLUMNS and EVENT_COLUMNS, in the driver's `form`.

    Drawn a column at a time: `choices`, `map` and `zip` over small tables run
    in C, and the events a step at a time (every complaint's intake, then the
    handoffs of those handed over, and so on), so that the Python work per row
    is a few comprehension items, not a loop body with its calls.
    """
    now = int(clock.now().timestamp())
    days, times = _Days(), _Times(".000000+00:00" if form.copy_text else ".000000")
    starts = world.session_starts
    random_, getrandbits, choices = rng.random, rng.getrandbits, rng.choices
    null = form.null
    # Instants sorted up front, so ids follow time as they do at the desk.
    span = len(starts) * SESSION_SECONDS
    offsets = sorted([int(random_() * span) for _ in range(count)])
    pairs = [pair for category in world.categories for pair in _descriptions(category, rng)]
    categories, descriptions = [c for c, _ in pairs], [d for _, d in pairs]
    people = _reporters(world, rng, min(count, 50_000))
    nobody = len(people)  # the anonymous reporter's index: no name, NIK or phone
    names, niks, phones = ([p[i] for p in people] + [null] for i in range(3))
    streets = [f"{street} {number}" for street in STREETS for number in range(1, 201)]
    officer_ids = [officer for officer, _ in world.officers]
    desk_of = {officer: desk or null for officer, desk in world.officers}
    kotas = [kota for kota, _, _ in world.kelurahan]
    kecamatans = [kecamatan for _, kecamatan, _ in world.kelurahan]
    kelurahans = [kelurahan for _, _, kelurahan in world.kelurahan]
    # After the handoff the regional office acts; "sistem" where a kota has none.
    regional = {kota: world.regional.get(kota) or null for kota in kotas}
    regional_actor = {kota: world.regional.get(kota) or "sistem" for kota in kotas}
    anonymous, confidential = form.flag(_ANONYMOUS), form.flag(_CONFIDENTIAL)
    priority = form.flag(_PRIORITY)
    note = f"Diterima di {world.site_name}"
    done = ["diterima", *(s.value for s in PATH_DONE)]
    refused = ["diterima", *(s.value for s in PATH_REFUSED)]
    path_of = [refused if kind == _REFUSED else done for kind in _KINDS]
    new_codes = _Codes(world.site_code, rng, codes)
    queue_day, queue_number = -1, 0
    for batch_start in range(0, count, BATCH):
        size = min(BATCH, count - batch_start)
        ids = form.number(range(first_id + batch_start, first_id + batch_start + size))
        kinds = choices(_KINDS, cum_weights=_KIND_SHARES, k=size)
        officers = choices(officer_ids, k=size)
        places = choices(range(len(kotas)), k=size)
        place = [kotas[i] for i in places]
        texts = choices(range(len(pairs)), k=size)
        reporters = [
            nobody if kind == 0 else person
            for kind, person in zip(kinds, choices(range(nobody), k=size), strict=True)
        ]
        session_days = [
            offset // SESSION_SECONDS for offset in offsets[batch_start : batch_start + size]
        ]
        created = [
            starts[day] + offset % SESSION_SECONDS
            for day, offset in zip(
                session_days, offsets[batch_start : batch_start + size], strict=False
            )
        ]
        queue_numbers = []
        for day in session_days:
            if day != queue_day:
                queue_day, queue_number = day, 0
            queue_number += 1
            queue_numbers.append(queue_number)
        # Older complaints got further, a step every few days; none in the future.
        paths = [path_of[kind] for kind in kinds]
        steps = [
            min(len(path) - 1, age // 3 + (age > 0))
            for path, age in zip(paths, [(now - t) // 86_400 for t in created], strict=True)
        ]
        created_at = _stamps(created, days, times)
        at, updated_at = created[:], created_at[:]  # each complaint's latest step
        events: list[tuple[Any, ...]] = list(
            zip(ids, repeat("diterima"), created_at, officers, officers, repeat(note), place)
        )
        members: Iterable[int] = range(size)
        by: list[str | None]
        for step in range(1, 5):
            members = [i for i in members if steps[i] >= step]
            if step == 1:  # handed over by the desk's officer two hours after intake
                instants = [min(at[i] + 7_200, now) for i in members]
                by = [officers[i] for i in members]
                actors = [officers[i] for i in members]
            else:  # then the regional office, a step every day or so
                instants = [min(at[i] + 86_400 + 3 * getrandbits(15), now) for i in members]
                by = [regional[place[i]] for i in members]
                actors = [regional_actor[place[i]] for i in members]
            stamped = _stamps(instants, days, times)
            events += zip(
                [ids[i] for i in members], [paths[i][step] for i in members], stamped, by,
                actors, repeat(""), [place[i] for i in members],
            )  # fmt: skip
            for i, instant, text in zip(members, instants, stamped, strict=True):
                at[i], updated_at[i] = instant, text
        complaints = zip(
            ids, new_codes.draw(size), repeat(world.site_code, size), form.number(queue_numbers),
            map(desk_of.__getitem__, officers), officers, created_at, updated_at,
            [path[step] for path, step in zip(paths, steps, strict=True)],
            map(categories.__getitem__, texts), map(descriptions.__getitem__, texts),
            map(names.__getitem__, reporters), map(niks.__getitem__, reporters),
            map(phones.__getitem__, reporters),
            map(anonymous.__getitem__, kinds), map(confidential.__getitem__, kinds),
            place, map(kecamatans.__getitem__, places), map(kelurahans.__getitem__, places),
            choices(streets, k=size), map(priority.__getitem__, kinds), place,
            strict=True,
        )  # fmt: skip
        yield form.rows(complaints), form.rows(events)


def _drawn_ahead(batches: Iterator[_T]) -> Iterator[_T]:
    """The same batches, the next one drawn in a thread while the caller stores
    this one: psycopg releases the GIL while it waits for PostgreSQL to take the
    COPY data, so on two cores drawing and storing overlap instead of adding up."""
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="posko-seed") as pool:
        upcoming = pool.submit(next, batches, None)
        while (batch := upcoming.result()) is not None:
            upcoming = pool.submit(next, batches, None)
            yield batch


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
        for complaints, status_events in _drawn_ahead(batches):
            with cursor.copy(copy_complaints) as copy:
                copy.write(complaints)
            with cursor.copy(copy_events) as copy:
                copy.write(status_events)
            events += status_events.count("\n")
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
