"""An intake's rows are never stored without their audit event, whichever way they
are written: on PostgreSQL one statement (an audit lane locked first), on SQLite
and as the fallback the session's transaction.

Both edges of the one statement are exercised on both backends: a tracking code
already taken is drawn again, and a trail whose lane rows were deleted outside
Posko still gets the intake's event (the lane made again).
"""

from __future__ import annotations

from sqlalchemy import text

from posko.core.tracking import new_code
from posko.services import audit, intake
from posko.store.db import new_session
from tests import conftest
from tests.reliability.test_audit_lanes import _take


def _stored(db: conftest.TestDatabase) -> list[tuple[str, int, int]]:
    """Each complaint's code with how many status events and creating audit events it has."""
    with db.engine.connect() as connection:
        rows = connection.execute(
            text(
                "SELECT c.code, "
                "(SELECT count(*) FROM status_event e WHERE e.complaint_id = c.id), "
                "(SELECT count(*) FROM audit_event a "
                " WHERE a.action = 'complaint.create' AND a.subject = c.code) "
                "FROM complaint c ORDER BY c.id"
            )
        )
        return [tuple(row) for row in rows]  # type: ignore[misc]


def test_a_tracking_code_already_taken_is_drawn_again(db, monkeypatch) -> None:
    taken = _take(db, 0)
    fresh = new_code("PKB")
    codes = iter([taken, fresh])
    monkeypatch.setattr(intake, "new_code", lambda prefix: next(codes))

    assert _take(db, 1) == fresh

    assert _stored(db) == [(taken, 1, 1), (fresh, 1, 1)]
    with new_session(db.engine) as session:
        assert audit.verify(session).ok


def test_an_intake_without_its_lane_rows_still_writes_its_audit_event(db) -> None:
    _take(db, 0)
    with db.engine.begin() as connection:
        connection.execute(text("DELETE FROM audit_lane"))

    code = _take(db, 1)

    assert _stored(db)[-1] == (code, 1, 1)
    with db.engine.connect() as connection:
        lanes = connection.execute(text("SELECT lane FROM audit_lane")).scalars().all()
    assert lanes == [0]
