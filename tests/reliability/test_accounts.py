"""Accounts: admins manage officers, roles are enforced, lockout survives a restart."""

from __future__ import annotations

import pytest
from sqlmodel import select

from posko.core.errors import PermissionDenied
from posko.services import accounts, officers
from posko.store.db import make_engine, new_session
from posko.store.models import AuditEvent, Officer
from tests import conftest
from tests.cli_helpers import posko

pytestmark = pytest.mark.usefixtures("fast_pins")

NOW = "2026-12-01T08:15:00+07:00"


def cli(db: conftest.TestDatabase, *args: str, pin: str = "123456", new_pin: str = "") -> object:
    env = {"POSKO_PIN": pin}
    if new_pin:
        env["POSKO_NEW_PIN"] = new_pin
    return posko(*args, db_url=db.url, now=NOW, env=env)


def test_admin_adds_officer_who_can_then_sign_in(db: conftest.TestDatabase, clock) -> None:
    result = cli(
        db,
        "officer",
        "add",
        "JP-AS9",
        "--name",
        "Rahmat Hidayat",
        "--region",
        "Jakarta Pusat",  # the kota by name, as people say it
        "--admin",
        "PV-ADM",
        new_pin="24680135",
    )
    assert result.exit_code == 0, result.stderr
    with new_session(db.engine) as session:
        row = session.get(Officer, "JP-AS9")
        assert row is not None and row.role == "duty" and "24680135" not in (row.pin_hash or "")
        assert row.region_code == "31.71"
        assert officers.verify_pin(session, clock, "JP-AS9", "24680135").id == "JP-AS9"
        actions = session.exec(select(AuditEvent.action).where(AuditEvent.subject == "JP-AS9"))
        assert "officer.add" in actions.all()


def test_short_pin_refused(db: conftest.TestDatabase) -> None:
    result = cli(db, "officer", "set-pin", "JP-AS2", "--admin", "PV-ADM", new_pin="12345")
    assert result.exit_code == 2
    assert "6" in result.stderr


def test_non_admin_cannot_manage_accounts(db: conftest.TestDatabase) -> None:
    result = cli(db, "officer", "deactivate", "JP-AS2", "--reason", "x", "--admin", "JP-AS1")
    assert result.exit_code == 3
    with new_session(db.engine) as session:
        assert session.get(Officer, "JP-AS2").active  # type: ignore[union-attr]


def test_deactivated_officer_cannot_sign_in(db: conftest.TestDatabase, clock) -> None:
    result = cli(db, "officer", "deactivate", "JP-AS2", "--reason", "pensiun", "--admin", "PV-ADM")
    assert result.exit_code == 0, result.stderr
    taken = posko(
        "complaint",
        "add",
        "--officer",
        "JP-AS2",
        "--file",
        "sample_data/complaint_example.json",
        db_url=db.url,
        now=NOW,
        env={"POSKO_PIN": "123456"},
    )
    assert taken.exit_code == 3


def test_require_role_refuses_other_roles(db: conftest.TestDatabase) -> None:
    with new_session(db.engine) as session:
        duty = officers.get(session, "JP-AS1")
    assert duty is not None
    accounts.require_role(duty, "duty", "admin")
    with pytest.raises(PermissionDenied):
        accounts.require_role(duty, "coordinator")


def test_lockout_survives_a_restart_and_set_pin_lifts_it(db: conftest.TestDatabase, clock) -> None:
    for _ in range(officers.MAX_FAILED_PINS):
        assert (
            cli(
                db,
                "complaint",
                "show",
                "PKB-0000-0000",
                "--reveal",
                "--officer",
                "JP-AS1",
                pin="999999",
            ).exit_code
            == 3
        )
    # A new engine: as if the kiosk were restarted.
    engine = make_engine(db.url)
    with new_session(engine) as session:
        with pytest.raises(PermissionDenied, match="too many"):
            officers.verify_pin(session, clock, "JP-AS1", "123456")
        clock.advance(minutes=5, seconds=1)
        assert officers.verify_pin(session, clock, "JP-AS1", "123456").id == "JP-AS1"
    engine.dispose()
    for _ in range(officers.MAX_FAILED_PINS):
        with new_session(db.engine) as session, pytest.raises(PermissionDenied):
            officers.verify_pin(session, clock, "JP-AS1", "000000")
    assert (
        cli(db, "officer", "set-pin", "JP-AS1", "--admin", "PV-ADM", new_pin="13572468").exit_code
        == 0
    )
    with new_session(db.engine) as session:
        assert officers.verify_pin(session, clock, "JP-AS1", "13572468").id == "JP-AS1"
        failed = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "signin.failed", AuditEvent.subject == "JP-AS1"
            )
        ).all()
    assert len(failed) == 2 * officers.MAX_FAILED_PINS


def test_concurrent_wrong_pins_all_count(db: conftest.TestDatabase, clock) -> None:
    """Ten desks guessing at once: the account ends locked, no guess is lost."""
    from concurrent.futures import ThreadPoolExecutor

    def guess(_: int) -> str:
        with new_session(db.engine) as session:
            try:
                officers.verify_pin(session, clock, "JP-AS1", "999999")
            except PermissionDenied as refused:
                return refused.message
        return "accepted"

    with ThreadPoolExecutor(max_workers=10) as pool:
        answers = list(pool.map(guess, range(10)))
    assert "accepted" not in answers
    with new_session(db.engine) as session:
        row = session.get(Officer, "JP-AS1")
        assert row is not None and row.locked_until is not None
        failed = session.exec(
            select(AuditEvent).where(
                AuditEvent.action == "signin.failed", AuditEvent.subject == "JP-AS1"
            )
        ).all()
    # Five counted wrong PINs lock it; later guesses meet the lock and are not checked.
    assert len(failed) == officers.MAX_FAILED_PINS
    assert answers.count("unknown officer or wrong PIN") == officers.MAX_FAILED_PINS - 1
