"""Personal data: masked by default, revealed only to those who need it, exported, erased."""

from __future__ import annotations

import json
import stat
from datetime import timedelta

import pytest
from sqlmodel import select

from posko.core.lifecycle import Status
from posko.services import intake
from posko.store.db import new_session
from posko.store.models import AuditEvent, Complaint, StatusEvent
from tests import conftest
from tests.cli_helpers import posko
from tests.reliability.intake_worker import complaint

pytestmark = pytest.mark.usefixtures("fast_pins")

NIK = "3171010101800001"
PIN = {"POSKO_PIN": "123456"}


def _take(db: conftest.TestDatabase, clock, number: int = 0) -> str:  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        taken = intake.take_complaint(
            session,
            clock,
            conftest.policy_from_repo(),
            officer_id="JP-AS1",
            data=complaint("privacy", number),
        )
    return taken.complaint.code


def _close(db: conftest.TestDatabase, code: str, at) -> None:  # type: ignore[no-untyped-def]
    with new_session(db.engine) as session:
        row = session.exec(select(Complaint).where(Complaint.code == code)).one()
        row.status = Status.SELESAI.value
        session.add(row)
        session.add(StatusEvent(complaint_id=row.id, status="selesai", at=at, actor="JP-WL1"))
        session.commit()


def _actions(db: conftest.TestDatabase) -> list[tuple[str, str, str]]:
    with new_session(db.engine) as session:
        rows = session.exec(select(AuditEvent).order_by(AuditEvent.id)).all()
    return [(r.actor, r.action, r.subject) for r in rows]


def test_show_list_and_search_mask_identity_in_text_and_json(
    db: conftest.TestDatabase, clock
) -> None:
    code = _take(db, clock)
    for args in (
        ("complaint", "show", code),
        ("complaint", "show", code, "--json"),
        ("complaint", "list", "--json"),
        ("complaint", "search", "saluran", "--officer", "JP-AS1", "--json"),
        ("complaint", "search", NIK, "--officer", "JP-AS1", "--json"),
    ):
        result = posko(*args, db_url=db.url, env=PIN)
        assert result.exit_code == 0, result.stderr
        assert NIK not in result.stdout and "Budi Santoso" not in result.stdout
        assert "81234567890" not in result.stdout
        if "search" not in args:
            assert code in result.stdout and "3171********0001" in result.stdout


def test_reveal_needs_the_right_officer_and_is_audited(db: conftest.TestDatabase, clock) -> None:
    code = _take(db, clock)
    now = conftest.SESSION_INSTANT.isoformat()
    other_region = posko(
        "complaint",
        "show",
        code,
        "--reveal",
        "--officer",
        "JB-WL1",
        db_url=db.url,
        now=now,
        env=PIN,
    )
    assert other_region.exit_code == 3 and NIK not in other_region.stdout
    no_officer = posko("complaint", "show", code, "--reveal", db_url=db.url, now=now)
    assert no_officer.exit_code == 2
    regional = posko(
        "complaint",
        "show",
        code,
        "--reveal",
        "--officer",
        "JP-WL1",
        db_url=db.url,
        now=now,
        env=PIN,
    )
    assert regional.exit_code == 0, regional.stderr
    assert NIK in regional.stdout and "Budi Santoso" in regional.stdout
    assert ("JP-WL1", "complaint.reveal", code) in _actions(db)
    assert ("JB-WL1", "complaint.reveal_denied", code) in _actions(db)
    assert ("JB-WL1", "complaint.reveal", code) not in _actions(db)


def test_purge_erases_identity_after_retention_keeps_the_complaint(
    db: conftest.TestDatabase, clock
) -> None:
    old, recent, open_ = _take(db, clock, 0), _take(db, clock, 1), _take(db, clock, 2)
    _close(db, old, clock.now() + timedelta(days=4))  # 2026-12-05
    _close(db, recent, clock.now() + timedelta(days=9))  # 2026-12-10
    later = "2028-12-06T09:00:00+07:00"  # 24 months on: cutoff 2026-12-06
    dry = posko("privacy", "purge", "--dry-run", "--json", db_url=db.url, now=later)
    assert dry.exit_code == 0, dry.stderr
    assert dry.json()["codes"] == [old]
    with new_session(db.engine) as session:
        assert session.exec(select(Complaint).where(Complaint.code == old)).one().reporter_nik
    real = posko("privacy", "purge", "--officer", "PV-ADM", db_url=db.url, now=later, env=PIN)
    assert real.exit_code == 0, real.stderr
    with new_session(db.engine) as session:
        rows = {r.code: r for r in session.exec(select(Complaint)).all()}
    gone = rows[old]
    assert gone.reporter_name is None and gone.reporter_nik is None and gone.reporter_phone is None
    assert gone.identity_erased_at is not None and gone.description and gone.category_code
    assert rows[recent].reporter_nik == NIK and rows[open_].reporter_nik == NIK
    assert ("PV-ADM", "privacy.purge", "") in _actions(db)
    again = posko("privacy", "purge", "--dry-run", "--json", db_url=db.url, now=later)
    assert again.json()["codes"] == []


def test_export_gives_everything_in_a_private_file_and_is_audited(
    db: conftest.TestDatabase, clock, tmp_path
) -> None:
    codes = {_take(db, clock, 0), _take(db, clock, 1)}
    out = tmp_path / "budi.json"
    now = conftest.SESSION_INSTANT.isoformat()
    result = posko(
        "privacy",
        "export",
        "--nik",
        NIK,
        "--out",
        str(out),
        "--officer",
        "PV-ADM",
        db_url=db.url,
        now=now,
        env=PIN,
    )
    assert result.exit_code == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = json.loads(out.read_text(encoding="utf-8"))
    assert {c["complaint"]["code"] for c in document["complaints"]} == codes
    assert all(c["complaint"]["reporter_nik"] == NIK for c in document["complaints"])
    assert all(c["history"][0]["status"] == "diterima" for c in document["complaints"])
    assert ("PV-ADM", "privacy.export", "budi.json") in _actions(db)
    # The trail names the person masked; an export never overwrites a file.
    with new_session(db.engine) as session:
        detail = session.exec(
            select(AuditEvent.detail).where(AuditEvent.action == "privacy.export")
        ).one()
    assert NIK not in detail
    again = posko(
        "privacy",
        "export",
        "--nik",
        NIK,
        "--out",
        str(out),
        "--officer",
        "PV-ADM",
        db_url=db.url,
        now=now,
        env=PIN,
    )
    assert again.exit_code == 2


def test_erase_on_request_by_phone(db: conftest.TestDatabase, clock) -> None:
    code = _take(db, clock)
    now = conftest.SESSION_INSTANT.isoformat()
    duty = posko(
        "privacy",
        "erase",
        "--phone",
        "0812-3456-7890",
        "--reason",
        "permintaan",
        "--officer",
        "JP-AS1",
        db_url=db.url,
        now=now,
        env=PIN,
    )
    assert duty.exit_code == 3
    result = posko(
        "privacy",
        "erase",
        "--phone",
        "0812-3456-7890",
        "--reason",
        "permintaan warga 1 Des",
        "--officer",
        "PV-ADM",
        db_url=db.url,
        now=now,
        env=PIN,
    )
    assert result.exit_code == 0, result.stderr
    with new_session(db.engine) as session:
        row = session.exec(select(Complaint).where(Complaint.code == code)).one()
    assert row.reporter_phone is None and row.reporter_nik is None
    assert row.identity_erased_at is not None
    assert ("PV-ADM", "privacy.erase", "") in _actions(db)
    neither = posko(
        "privacy", "erase", "--reason", "x", "--officer", "PV-ADM", db_url=db.url, now=now, env=PIN
    )
    assert neither.exit_code == 2
