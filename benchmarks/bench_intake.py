"""Taking one complaint at the desk, against one SQLModel insert and commit."""

from __future__ import annotations

import itertools
from datetime import timedelta
from pathlib import Path

from common import ON_DUTY, Row, clock, policy, summary, timed, training_database

from posko.core.tracking import new_code
from posko.services import intake
from posko.store.db import make_engine, new_session
from posko.store.models import Complaint

TARGET_MS = 1.0  # SQLite, synchronous=NORMAL (issues 8 and 14)
TARGET_RATIO = 2.0

# What an intake sends, against the floor's BEGIN, INSERT, COMMIT.
STATEMENTS = {
    "sqlite": "10 statements (BEGIN, the one read, counter, visit, complaint, status event, "
    "audit lane, audit event, lane head, COMMIT)",
    "postgresql": "4 round trips in autocommit, each statement prepared (the pooled "
    "connection's check, the one read drawing the rows' ids, the counter's unflushed UPDATE, "
    "one statement writing visit, complaint, status event and audit event in a free lane)",
}

COMPLAINT = {
    "reporter": {"name": "Budi Santoso", "nik": "3171010101800001", "phone": "081234567890"},
    "category": "banjir",
    "description": "Saluran air di depan rumah tersumbat sejak seminggu, banjir setiap hujan.",
    "location": {"kota": "31.71", "kecamatan": "31.71.01", "kelurahan": "31.71.01.1002"},
}


def measure(url: str, repeat: int) -> tuple[list[float], list[float]]:
    """(take_complaint times, SQLModel add+commit times) in ms, on one database."""
    engine = make_engine(url)
    desk_clock, desk_policy = clock(), policy()
    officers = itertools.cycle(ON_DUTY)

    def take() -> None:
        desk_clock.advance(seconds=1)
        with new_session(engine) as session:
            intake.take_complaint(
                session, desk_clock, desk_policy, officer_id=next(officers), data=COMPLAINT
            )

    def insert() -> None:
        # The floor: the same complaint as one ORM row, nothing else.
        now = desk_clock.now()
        with new_session(engine) as session:
            session.add(
                Complaint(
                    code=new_code("PKB"), site_code="PKB", officer_id="JP-AS1",
                    created_at=now, updated_at=now, status="diterima", category_code="banjir",
                    description=COMPLAINT["description"], reporter_name="Budi Santoso",
                    reporter_nik="3171010101800001", reporter_phone="+6281234567890",
                    kota_code="31.71", kecamatan_code="31.71.01",
                    kelurahan_code="31.71.01.1002", destination_region="31.71",
                )
            )  # fmt: skip
            session.commit()

    # Interleaved rounds, so a noisy neighbour slows both alike.
    takes, inserts = [], []
    for _ in range(5):
        takes += timed(take, repeat // 5)
        inserts += timed(insert, repeat // 5)
        desk_clock.advance(seconds=5)
    assert desk_clock.now() < clock().now() + timedelta(hours=1), "stay inside the session"
    engine.dispose()
    return takes, inserts


def run(repeat: int, folder: Path, pg_admin: str | None) -> list[Row]:
    rows = []
    backends = ["sqlite"] + (["postgresql"] if pg_admin else [])
    for backend in backends:
        with training_database(backend, pg_admin, folder) as url:
            takes, inserts = measure(url, repeat)
        median, p95 = summary(takes)
        floor = summary(inserts)[0]
        ratio_ok = median <= TARGET_RATIO * floor
        if backend == "sqlite":
            passed = median <= TARGET_MS and ratio_ok
            target = f"<= {TARGET_MS} ms and <= {TARGET_RATIO}x"
        else:
            passed = ratio_ok
            target = f"<= {TARGET_RATIO}x"
        reason = ""
        if not passed:
            reason = STATEMENTS[backend] + " and validation, vs one insert and its commit"
        name = "SQLite" if backend == "sqlite" else "PostgreSQL"
        rows.append(
            Row(
                f"take one complaint ({name})",
                "ms",
                median,
                p95,
                "SQLModel add+commit of one complaint",
                floor,
                target,
                passed,
                reason,
            )
        )
    return rows
