"""A desk whose clock is off says so and refuses intake; training clocks are exempt."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from posko.core.errors import DutyRefused
from posko.services import audit, clockcheck, intake
from posko.store.db import new_session
from posko.store.models import Meta
from tests import conftest
from tests.cli_helpers import posko
from tests.reliability.checks import complaint_count
from tests.reliability.intake_worker import complaint


class OffsetClock:
    """A real (non-simulated) clock running `offset` ahead of this computer's."""

    simulated = False

    def __init__(self, offset: timedelta) -> None:
        self.offset = offset

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset


@pytest.mark.parametrize("minutes", [3, -3])
def test_a_desk_clock_off_by_more_than_two_minutes_refuses_intake(
    db: conftest.TestDatabase, policy, minutes: int
) -> None:
    clock = OffsetClock(timedelta(minutes=minutes))
    with new_session(db.engine) as session:
        status = clockcheck.check(session, clock)
        assert not status.ok
        assert abs(status.skew_seconds - minutes * 60) < 30
        with pytest.raises(DutyRefused) as refused:
            intake.take_complaint(
                session, clock, policy, officer_id="JP-AS1", data=complaint("clock", 0)
            )
    authority = "database server" if db.backend == "postgresql" else "this computer"
    assert authority in refused.value.message
    assert complaint_count(db.engine) == 0


def test_a_clock_within_two_minutes_is_fine(db: conftest.TestDatabase) -> None:
    with new_session(db.engine) as session:
        status = clockcheck.check(session, OffsetClock(timedelta(seconds=90)))
    assert status.ok


def test_simulated_training_clock_is_exempt(db: conftest.TestDatabase, clock) -> None:
    # The fixtures' clock sits in December 2026, far from the real date.
    with new_session(db.engine) as session:
        assert clockcheck.check(session, clock).ok
        intake.take_complaint(
            session,
            clock,
            conftest.policy_from_repo(),
            officer_id="JP-AS1",
            data=complaint("clock", 1),
        )
    assert complaint_count(db.engine) == 1


def test_sqlite_clock_set_back_behind_the_last_event_is_caught(db: conftest.TestDatabase) -> None:
    if db.backend != "sqlite":
        pytest.skip("on PostgreSQL the server's clock is the authority")
    # A real database: the training one's events come from a simulated clock.
    real = OffsetClock(timedelta(0))
    with new_session(db.engine) as session:
        session.get(Meta, "training").value = "0"  # type: ignore[union-attr]
        session.commit()
        # The desk worked an hour ahead (as if its clock had then been set back an hour).
        audit.record(session, OffsetClock(timedelta(hours=1)), actor="sistem", action="test.tick")
        session.commit()
        status = clockcheck.check(session, real)
    assert not status.ok
    assert "set back" in (status.problem or "")


def test_posko_clock_names_the_authority(db: conftest.TestDatabase) -> None:
    result = posko("--lang", "en", "clock", "--json", db_url=db.url)
    assert result.exit_code == 0, result.stdout + result.stderr
    expected = "database server" if db.backend == "postgresql" else "this computer"
    assert result.json()["authority"] == expected and result.json()["ok"] is True
    simulated = posko("clock", "--json", db_url=db.url, now=conftest.SESSION_INSTANT.isoformat())
    assert simulated.json()["authority"] == "simulated"
