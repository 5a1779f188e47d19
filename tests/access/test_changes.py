"""Finding 3 of issue 12: every change is made by an officer proven by a PIN,
of the role the change needs; a citizen's dispute only with the slip's signature."""

from __future__ import annotations

import json
import sqlite3

import pytest
from sqlmodel import col, select

from posko.config import Settings
from posko.core.errors import PermissionDenied
from posko.services import followup, handoff, officers, public_status, setup
from posko.store.db import make_engine, new_session
from posko.store.models import AuditEvent, Complaint, DutySession
from tests.access.conftest import Desk
from tests.cli_helpers import posko
from tests.conftest import wib
from tests.handoff.conftest import payload

pytestmark = pytest.mark.db

REQUEST = {
    "service_request_id": "PKB-7K3Q-X9MN",
    "status": "closed",
    "status_notes": "selesai: Selesai",
    "service_name": "Banjir dan saluran air",
    "service_code": "BNJ",
    "description": "Saluran tersumbat.",
    "requested_datetime": "2026-11-01T08:15:00+07:00",
    "updated_datetime": "2026-11-02T10:00:00+07:00",
    "address_string": "Jl. Cideng Barat 12",
    "address_id": "31.71.01.1002",
}
ADMIN_ENV = {
    "POSKO_ADMIN_ID": "adm-1",
    "POSKO_ADMIN_NAME": "Admin Satu",
    "POSKO_ADMIN_PIN": "246810",
}


def complaints(db) -> int:  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        return len(session.exec(select(Complaint.id)).all())


def test_import_needs_the_pin_of_a_coordinator_or_admin(desk: Desk) -> None:
    path = desk.tmp / "in.json"
    path.write_text(json.dumps([REQUEST]), encoding="utf-8")
    before = complaints(desk.db)
    no_pin = desk.run("import", "open311", str(path), "--officer", "PV-ADM", pin=False)
    assert no_pin.exit_code != 0
    wrong = desk.run(
        "import", "open311", str(path), "--officer", "PV-ADM", env={"POSKO_PIN": "654321"}
    )
    assert wrong.exit_code == 3
    duty = desk.run("import", "open311", str(path), "--officer", "JP-AS1")
    assert duty.exit_code == 3
    assert complaints(desk.db) == before
    assert [e.subject for e in desk.events("access.denied")] == ["open311.import"]
    done = desk.run("import", "open311", str(path), "--officer", "PV-ADM", "--json")
    assert done.exit_code == 0, done.stderr
    assert complaints(desk.db) == before + 1
    event = desk.events("open311.import")[-1]
    assert event.actor == "PV-ADM" and "PKB-7K3Q-X9MN" in event.detail


def _completed(desk: Desk, clock, policy) -> None:  # type: ignore[no-untyped-def]
    scanned = payload(desk.db, desk.open_code)
    clock.advance(minutes=90)
    with new_session(desk.db.engine) as session:  # type: ignore[attr-defined]
        closer = officers.get(session, "JP-AS1")
        assert closer is not None
        handoff.close(session, clock, policy, day=clock.now().date(), officer=closer)
        clock.advance(hours=2)
        handoff.acknowledge(session, clock, "JP-WL1", scanned)
        for status in ("diproses", "selesai"):
            clock.advance(hours=1)
            followup.change_status(
                session, clock, officer_id="JP-WL1", code=desk.open_code, status=status, note="ok"
            )


def test_dispute_at_the_desk_needs_an_officer_and_pin(desk: Desk, clock, policy) -> None:  # type: ignore[no-untyped-def]
    _completed(desk, clock, policy)
    later = "2026-12-03T08:30:00+07:00"
    anonymous = desk.run("complaint", "dispute", desk.open_code, "--text", "Belum", now=later)
    assert anonymous.exit_code == 2 and "--officer" in anonymous.stderr
    no_pin = desk.run(
        "complaint", "dispute", desk.open_code, "--text", "Belum", "--officer", "JP-AS1",
        now=later, env={"POSKO_PIN": "000000"},
    )  # fmt: skip
    assert no_pin.exit_code == 3
    done = desk.run(
        "complaint", "dispute", desk.open_code, "--text", "Belum", "--officer", "JP-AS1", now=later
    )
    assert done.exit_code == 0, done.stderr
    event = desk.events("complaint.dispute")[-1]
    assert event.actor == "JP-AS1" and json.loads(event.detail) == {"via": "desk"}


def test_a_citizen_dispute_needs_the_slips_signature(desk: Desk, clock, policy) -> None:  # type: ignore[no-untyped-def]
    _completed(desk, clock, policy)
    rules = followup.rules_for(Settings(), policy)
    engine = desk.db.engine  # type: ignore[attr-defined]
    for forged in ("", "zzzzzzzzzzzz"):
        site = public_status.Site(engine, Settings(), policy, rules, clock)
        refused = public_status.dispute(site, desk.open_code, forged, "Belum")
        assert refused is None  # the page's 404, as for an unknown code
    with new_session(engine) as session:
        # Nor is anyone but the citizen, or an officer through the access gate, its author.
        with pytest.raises(PermissionDenied):
            followup.dispute(
                session, clock, rules, code=desk.open_code, text="Belum", actor="JP-AS1"
            )
        status = session.exec(select(Complaint.status).where(Complaint.code == desk.open_code))
        assert status.one() == "selesai"


def test_handoff_close_cannot_end_a_running_session_from_a_script(desk: Desk) -> None:
    at_0820 = "2026-12-01T08:28:00+07:00"
    out = str(desk.tmp / "lists")
    nobody = desk.run("handoff", "close", "--out", out, now=at_0820, pin=False)
    assert nobody.exit_code == 2
    # JP-AS2 is a duty officer, but not on duty on 1 December; JP-WL1 is regional.
    for officer in ("JP-AS2", "JP-WL1"):
        refused = desk.run("handoff", "close", "--out", out, "--officer", officer, now=at_0820)
        assert refused.exit_code == 3, refused.stdout + refused.stderr
    with new_session(desk.db.engine) as session:  # type: ignore[attr-defined]
        day = wib("2026-12-01 08:20").date()
        assert (
            session.exec(select(DutySession).where(DutySession.day == day)).one().closed_at is None
        )
    # The next citizen is still taken.
    path = desk.tmp / "c.json"
    path.write_text(
        json.dumps(
            {
                "reporter": {"anonymous": True},
                "category": "banjir",
                "description": "Got mampet.",
                "location": {"kota": "31.71", "kecamatan": "31.71.01"},
            }
        ),
        encoding="utf-8",
    )
    taken = desk.run("complaint", "add", "--officer", "JP-AS1", "--file", str(path), now=at_0820)
    assert taken.exit_code == 0, taken.stderr


def test_restore_needs_an_admin_and_refuses_a_training_backup_over_a_real_database(
    tmp_path,  # type: ignore[no-untyped-def]
) -> None:
    training = tmp_path / "latihan.db"
    made = posko("init", "--training", db_url=f"sqlite:///{training}")
    assert made.exit_code == 0, made.stderr
    real = tmp_path / "real.db"
    url = f"sqlite:///{real}"
    assert posko("init", db_url=url, env=ADMIN_ENV).exit_code == 0
    no_admin = posko("restore", str(training), "--yes", db_url=url)
    assert no_admin.exit_code == 2 and "--admin" in no_admin.stderr
    refused = posko(
        "restore", str(training), "--yes", "--admin", "ADM-1", db_url=url,
        env={"POSKO_PIN": "246810"},
    )  # fmt: skip
    assert refused.exit_code == 2
    assert "latihan" in refused.stderr.lower()
    with sqlite3.connect(real) as connection:
        flag = connection.execute("SELECT value FROM meta WHERE key = 'training'").fetchone()
    assert flag == ("0",)
    simulated = posko("status", db_url=url, now="2026-12-01T08:15:00+07:00")
    assert simulated.exit_code == 2  # still real: a simulated clock is refused


def test_backup_and_restore_are_an_admins_acts(tmp_path) -> None:  # type: ignore[no-untyped-def]
    url = f"sqlite:///{tmp_path / 'real.db'}"
    assert posko("init", db_url=url, env=ADMIN_ENV).exit_code == 0
    copy = tmp_path / "backup.db"
    pin = {"POSKO_PIN": "246810"}
    assert posko("backup", str(copy), db_url=url).exit_code == 2  # --admin missing
    assert not copy.exists()
    made = posko("backup", str(copy), "--admin", "ADM-1", db_url=url, env=pin)
    assert made.exit_code == 0, made.stderr

    def actions() -> list[tuple[str, str]]:
        engine = make_engine(url)
        with new_session(engine) as session:
            found = [(e.actor, e.action) for e in session.exec(select(AuditEvent)).all()]
        engine.dispose()
        return found

    assert ("ADM-1", "database.backup") in actions()
    done = posko("restore", str(copy), "--yes", "--admin", "ADM-1", db_url=url, env=pin)
    assert done.exit_code == 0, done.stderr
    assert actions()[-1] == ("ADM-1", "database.restore")


def test_first_admin_is_the_first_event_of_a_real_database(empty_db) -> None:  # type: ignore[no-untyped-def]
    init = posko("init", "--json", db_url=empty_db.url, env=ADMIN_ENV)
    assert init.exit_code == 0, init.stderr
    assert init.json()["admin"] == "ADM-1"
    with new_session(empty_db.engine) as session:
        first = session.exec(select(AuditEvent).order_by(col(AuditEvent.id))).first()
        assert setup.is_training(session) is False
    assert first is not None and (first.action, first.subject) == ("officer.bootstrap", "ADM-1")
    added = posko(
        "officer", "add", "JP-AS9", "--name", "Rahmat", "--region", "31.71", "--admin", "ADM-1",
        db_url=empty_db.url, env={"POSKO_PIN": "246810", "POSKO_NEW_PIN": "135790"},
    )  # fmt: skip
    assert added.exit_code == 0, added.stderr
    # Run again: nothing asked, nothing added.
    again = posko("init", "--json", db_url=empty_db.url)
    assert again.exit_code == 0 and again.json()["admin"] is None
