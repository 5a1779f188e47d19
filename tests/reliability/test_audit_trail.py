"""`posko audit verify` catches what someone changes directly in the database."""

from __future__ import annotations

import pytest
from sqlalchemy import text

from posko.core.clock import FixedClock
from posko.services import audit, intake
from posko.store.db import new_session
from tests import conftest
from tests.cli_helpers import posko
from tests.reliability.figures import FIGURES
from tests.reliability.intake_worker import complaint


def _add_complaints(db: conftest.TestDatabase, count: int) -> None:
    clock, policy = FixedClock(conftest.SESSION_INSTANT), conftest.policy_from_repo()
    for number in range(count):
        with new_session(db.engine) as session:
            intake.take_complaint(
                session, clock, policy, officer_id="JP-AS1", data=complaint("audit", number)
            )


def _ids(db: conftest.TestDatabase) -> list[int]:
    with db.engine.connect() as connection:
        return list(connection.execute(text("SELECT id FROM audit_event ORDER BY id")).scalars())


def _raw(db: conftest.TestDatabase, sql: str, **params: object) -> None:
    """What someone with sqlite3 or psql does: plain SQL, outside Posko."""
    with db.engine.begin() as connection:
        connection.execute(text(sql), params)


def _verify(db: conftest.TestDatabase):  # type: ignore[no-untyped-def]
    return posko("audit", "verify", "--json", db_url=db.url)


def test_intact_trail_verifies(db: conftest.TestDatabase) -> None:
    _add_complaints(db, 2)
    result = _verify(db)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert result.json()["ok"] is True and result.json()["events"] == len(_ids(db))


TAMPERING = {
    "altered": ("UPDATE audit_event SET actor = 'JB-AS1' WHERE id = :id", "altered", 0),
    "detail altered": (
        "UPDATE audit_event SET detail = detail || ' ' WHERE id = :id",
        "altered",
        0,
    ),
    "deleted": ("DELETE FROM audit_event WHERE id = :id", "linked", 1),
    "deleted at the end": ("DELETE FROM audit_event WHERE id = :last", "head", None),
    # A copy of a genuine event slipped in after the last one.
    "inserted": (
        "INSERT INTO audit_event (id, at, actor, action, subject, detail, rows, prev_hash, hash) "
        "SELECT :id + 100000, at, actor, action, subject, detail, rows, prev_hash, hash "
        "FROM audit_event WHERE id = :id",
        "linked",
        "new",
    ),
}


@pytest.mark.parametrize("change", list(TAMPERING))
def test_verify_names_the_first_broken_event(db: conftest.TestDatabase, change: str) -> None:
    _add_complaints(db, 2)
    ids = _ids(db)
    target, last = ids[len(ids) // 2], ids[-1]
    sql, kind, named = TAMPERING[change]
    _raw(db, sql, id=target, last=last)
    result = _verify(db)
    report = result.json()
    FIGURES.add(
        f"audit verify ({db.backend})",
        f"event {change} by raw SQL",
        f"exit {result.exit_code}, {report['broken_kind']} at event "
        f"{report['broken_event'] or 'head'}",
    )
    assert result.exit_code == 1
    assert report["broken_kind"] == kind
    expected = {0: target, 1: ids[ids.index(target) + 1], None: None, "new": target + 100000}[named]
    assert report["broken_event"] == expected
    text_result = posko("audit", "verify", db_url=db.url)
    assert text_result.exit_code == 1
    assert (str(expected) if expected else str(ids[-2])) in text_result.stdout


def test_verify_holds_while_timestamps_pass_through_the_database(
    db: conftest.TestDatabase, clock
) -> None:
    """Hashes are computed on UTC text, whatever time zone the connection uses."""
    if db.backend == "postgresql":
        _raw(db, f"ALTER DATABASE \"{db.engine.url.database}\" SET timezone TO 'Asia/Jakarta'")
        db.engine.dispose()
    with new_session(db.engine) as session:
        audit.record(session, clock, actor="sistem", action="test.event", subject="x")
        session.commit()
    with new_session(db.engine) as session:
        assert audit.verify(session).ok
