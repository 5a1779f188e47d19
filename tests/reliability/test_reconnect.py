"""PostgreSQL restarted under a desk: the next intake reconnects (pool pre-ping)."""

from __future__ import annotations

import os

import pytest
from sqlalchemy import create_engine, text

from posko.services import intake
from posko.store.db import new_session, resolve_url
from tests import conftest
from tests.reliability.checks import complaint_count, on_duty
from tests.reliability.figures import FIGURES
from tests.reliability.intake_worker import complaint


def _terminate_backends(database: str) -> int:
    """What a server restart does to a desk: every connection to its database dies."""
    admin = create_engine(resolve_url(os.environ[conftest.PG_ENV]), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        killed = connection.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :name AND pid <> pg_backend_pid()"
            ),
            {"name": database},
        ).scalar_one()
    admin.dispose()
    return killed


def test_desk_reconnects_after_postgresql_drops_its_connections(
    db: conftest.TestDatabase, clock, policy
) -> None:
    if db.backend != "postgresql":
        pytest.skip("a PostgreSQL server's restart")
    officer = on_duty(db.engine)[0]
    with new_session(db.engine) as session:
        intake.take_complaint(session, clock, policy, officer_id=officer, data=complaint("pg", 0))
    killed = _terminate_backends(db.engine.url.database or "")
    # The officer's typed complaint is still in hand; saving it works at once.
    typed = complaint("pg", 1)
    with new_session(db.engine) as session:
        saved = intake.take_complaint(session, clock, policy, officer_id=officer, data=typed)
    FIGURES.add(
        "PostgreSQL restart",
        f"{killed} backend connections terminated",
        f"next intake saved {saved.complaint.code}; complaints {complaint_count(db.engine)}",
    )
    assert killed >= 1
    assert complaint_count(db.engine) == 2
