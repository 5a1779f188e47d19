"""A city's years of complaints: look-up by code, search, list pages and memory."""

from __future__ import annotations

import itertools
import json
import random
import subprocess
import sys
from pathlib import Path

from common import Row, policy, seed, summary, timed, training_database
from sqlalchemy import bindparam, text

from posko.services import complaints, search
from posko.store.db import make_engine, new_session

LOOKUP_MS = 0.3
SEARCH_MS = {"sqlite": 5.0, "postgresql": 20.0}
PAGE_MS = 50.0
MEMORY_MB = 150.0
EMPTY_DB_COMPLAINTS = 100
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}

# The raw index queries the service wraps: the floor of a search.
RAW_SEARCH = {
    "sqlite": "SELECT rowid FROM complaint_fts WHERE complaint_fts MATCH :words "
    "ORDER BY rowid DESC LIMIT 20",
    "postgresql": f"SELECT id FROM complaint WHERE {search.PG_DOCUMENT} "
    "@@ plainto_tsquery('simple'::regconfig, :words) ORDER BY id + 0 DESC LIMIT 20",
}

# Pages through the list in a fresh process and reports its peak memory.
MEMORY_SCRIPT = """
import json, sys
from posko.services import complaints
from posko.store.db import make_engine, new_session
sys.path.insert(0, {bench!r})
from common import policy
engine = make_engine({url!r})
pages = {pages}
with new_session(engine) as session:
    before = None
    for _ in range(pages):
        page = complaints.list_complaints(session, policy(), before_id=before)
        if not page:
            break
        before = page[-1].id
        session.expunge_all()
# VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the parent across exec.
peak = [line for line in open("/proc/self/status") if line.startswith("VmHWM")][0]
print(json.dumps(int(peak.split()[1]) / 1024))
"""


def _codes_and_phones(url: str, sample: int) -> tuple[list[str], list[str]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        total = connection.execute(text("SELECT max(id) FROM complaint")).scalar_one() or 0
        ids = random.Random(3).sample(range(1, total + 1), min(sample, total))
        found = connection.execute(
            text("SELECT code, reporter_phone FROM complaint WHERE id IN :ids").bindparams(
                bindparam("ids", expanding=True)
            ),
            {"ids": ids},
        ).all()
    engine.dispose()
    return [row[0] for row in found], [row[1] for row in found if row[1]]


def _lookup_times(url: str, repeat: int) -> tuple[list[float], list[float]]:
    """(complaints.get, the bare indexed query of the same codes), interleaved."""
    codes, _ = _codes_and_phones(url, repeat)
    engine = make_engine(url)
    service, bare = [], []
    statement = text("SELECT * FROM complaint WHERE code = :code")
    picks = itertools.cycle(codes)
    for _ in range(5):  # rounds, so a noisy neighbour slows both alike
        with new_session(engine) as session:
            service += timed(lambda: complaints.get(session, next(picks)), repeat // 5)
        # After the session is closed: SQLite starts every transaction with BEGIN IMMEDIATE.
        with engine.connect() as connection:
            bare += timed(
                lambda: connection.execute(statement, {"code": next(picks)}).first(), repeat // 5
            )
    engine.dispose()
    return service, bare


def _search_queries(url: str) -> list[str]:
    _, phones = _codes_and_phones(url, 50)
    # Common words, a name, a word no complaint has, a phone.
    return ["budi", "banjir hujan", "santoso", "sampah menumpuk", "kebakaran", phones[0]]


def _search_times(url: str, backend: str, repeat: int) -> tuple[list[float], list[float]]:
    queries = _search_queries(url)
    words = [q for q in queries if not q.startswith("+")]
    engine = make_engine(url)
    service, raw = [], []
    with new_session(engine) as session:
        for query in queries:
            service += timed(lambda q=query: search.search(session, q), repeat // len(queries))
    # After the session is closed: on SQLite every transaction, reads too, starts
    # with BEGIN IMMEDIATE, so an open session would lock this connection out.
    statement = text(RAW_SEARCH[backend])
    with engine.connect() as connection:
        for query in words:
            match = (
                " ".join(f'"{w}"' for w in search.words_of(query)) if backend == "sqlite" else query
            )
            raw += timed(
                lambda m=match: connection.execute(statement, {"words": m}).all(),
                repeat // len(words),
            )
    engine.dispose()
    return service, raw


def _page_times(url: str, repeat: int) -> tuple[list[float], list[float]]:
    engine = make_engine(url)
    with engine.connect() as connection:
        total = connection.execute(text("SELECT max(id) FROM complaint")).scalar_one()
    starts = [random.Random(5).randrange(100, total + 2) for _ in range(repeat)]
    starts[0] = total + 1  # the first page, newest
    desk_policy = policy()
    service, raw = [], []
    with new_session(engine) as session:
        picks = iter(starts * 2 + starts[:5])
        service = timed(
            lambda: complaints.list_complaints(session, desk_policy, before_id=next(picks)),
            repeat,
        )
    statement = text("SELECT * FROM complaint WHERE id < :before ORDER BY id DESC LIMIT 50")
    with engine.connect() as connection:
        picks = iter(starts * 2 + starts[:5])
        raw = timed(lambda: connection.execute(statement, {"before": next(picks)}).all(), repeat)
    engine.dispose()
    return service, raw


def _peak_memory_mb(url: str, pages: int) -> float:
    script = MEMORY_SCRIPT.format(bench=str(Path(__file__).parent), url=url, pages=pages)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    return float(json.loads(done.stdout.strip().splitlines()[-1]))


def run(count: int, repeat: int, folder: Path, pg_admin: str | None, pg_count: int) -> list[Row]:
    rows: list[Row] = []
    backends = [("sqlite", count)] + ([("postgresql", pg_count)] if pg_admin else [])
    for backend, size in backends:
        name = NAMES[backend]
        with training_database(backend, pg_admin, folder) as empty_url:
            seed(empty_url, EMPTY_DB_COMPLAINTS)
            empty, _ = _lookup_times(empty_url, repeat)
        with training_database(backend, pg_admin, folder) as url:
            seed(url, size)
            lookup, bare = _lookup_times(url, repeat)
            service, raw = _search_times(url, backend, repeat)
            pages, raw_pages = _page_times(url, max(20, repeat // 10))
            memory = _peak_memory_mb(url, 200)
            baseline = _peak_memory_mb(url, 0)
        median, p95 = summary(lookup)
        if backend == "sqlite":
            # "No slower than in an empty database", with a tenth for timer noise.
            floor, floor_name = summary(empty)[0], f"same look-up, {EMPTY_DB_COMPLAINTS} complaints"
            passed = median <= LOOKUP_MS and median <= 1.1 * floor
            target = f"<= {LOOKUP_MS} ms, <= 1.1x"
        else:
            # The server's round trip dominates: the look-up may add a tenth to it (issue 14).
            floor, floor_name = summary(bare)[0], "bare indexed SELECT by code, same codes"
            passed = median <= 1.1 * floor
            target = "<= 1.1x"
        rows.append(
            Row(
                f"look-up by code, {size:,} complaints ({name})",
                "ms",
                median,
                p95,
                floor_name,
                floor,
                target,
                passed,
                "" if passed else "one Core query and a view per call over the bare query",
            )
        )
        median, p95 = summary(service)
        floor = summary(raw)[0]
        passed = median <= SEARCH_MS[backend]
        rows.append(
            Row(
                f"search newest 20, {size:,} complaints ({name})",
                "ms",
                median,
                p95,
                "the raw index query (ids only)",
                floor,
                f"<= {SEARCH_MS[backend]:g} ms",
                passed,
                "" if passed else "common words match many rows; newest-first needs them all",
            )
        )
        median, p95 = summary(pages)
        floor = summary(raw_pages)[0]
        passed = median < PAGE_MS
        rows.append(
            Row(
                f"list page (50, keyset), {size:,} complaints ({name})",
                "ms",
                median,
                p95,
                "raw keyset SELECT of the same page",
                floor,
                f"< {PAGE_MS:g} ms",
                passed,
                "" if passed else "ORM rows to views",
            )
        )
        passed = memory < MEMORY_MB
        rows.append(
            Row(
                f"list 200 pages, peak memory ({name})",
                "MB",
                memory,
                None,
                "same process, 0 pages",
                baseline,
                f"< {MEMORY_MB:g} MB",
                passed,
                "" if passed else "imports + page cache",
            )
        )
    return rows
