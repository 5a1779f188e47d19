"""A year of roster generated and checked."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from common import Row, clock, policy, summary, training_database

from posko.core import rotation
from posko.core.schedule import session_dates
from posko.services import roster
from posko.store.db import make_engine, new_session

TARGET_MS = 200.0
YEAR = (date(2028, 1, 1), date(2028, 12, 31))  # after the training roster, so all new


def _generate_and_check(url: str) -> float:
    import time

    engine = make_engine(url)
    desk_policy = policy()
    with new_session(engine) as session:
        started = time.perf_counter()
        roster.generate(session, clock(), desk_policy, start=YEAR[0], end=YEAR[1])
        roster.check(session, desk_policy, YEAR[0], YEAR[1])
        elapsed = (time.perf_counter() - started) * 1000
    engine.dispose()
    return elapsed


def _plan_only(url: str) -> float:
    """The floor: the pure rotation plan of the same year, no database."""
    import time

    engine = make_engine(url)
    desk_policy = policy()
    with new_session(engine) as session:
        officers = roster.pool_officers(session)
        days = session_dates(desk_policy, *YEAR)
        state = roster.rotation_state(session, desk_policy)
        started = time.perf_counter()
        rotation.generate(desk_policy, days, officers, [], state)
        elapsed = (time.perf_counter() - started) * 1000
    engine.dispose()
    return elapsed


def run(repeat: int, folder: Path) -> list[Row]:
    times, floors = [], []
    for _ in range(repeat):
        with training_database("sqlite", None, folder) as url:
            floors.append(_plan_only(url))
            times.append(_generate_and_check(url))
    median, p95 = summary(times)
    floor = summary(floors)[0]
    passed = median < TARGET_MS
    return [
        Row(
            "a year of roster generated + checked (SQLite)",
            "ms",
            median,
            p95,
            "the rotation plan alone (core, no DB)",
            floor,
            f"< {TARGET_MS:g} ms",
            passed,
            "" if passed else "reading the year back as views and checking it, after the inserts",
        )
    ]
