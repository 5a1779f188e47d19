"""The foundation's "done when", through the real CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import func
from sqlmodel import select

from posko.store.db import new_session
from posko.store.models import AuditEvent, Complaint, StatusEvent, Visit
from tests.cli_helpers import posko

COMPLAINT = {
    "reporter": {"name": "Budi Santoso", "nik": "3171010101800001", "phone": "081234567890"},
    "category": "banjir",
    "description": "Saluran air di depan rumah tersumbat, banjir setiap hujan.",
    "location": {"kota": "31.71", "kecamatan": "31.71.01", "kelurahan": "31.71.01.1002"},
}
PIN = {"POSKO_PIN": "123456"}


def counts(db) -> tuple[int, int, int]:
    with new_session(db.engine) as s:
        return (
            s.exec(select(func.count()).select_from(Complaint)).one(),
            s.exec(select(func.count()).select_from(StatusEvent)).one(),
            s.exec(select(func.count()).select_from(Visit)).one(),
        )


def add(db, now: str, officer: str = "JP-AS1", data: dict | None = None, *extra: str):
    return posko(
        "complaint",
        "add",
        "--officer",
        officer,
        "--file",
        "-",
        "--json",
        *extra,
        db_url=db.url,
        now=now,
        stdin=json.dumps(data or COMPLAINT),
        env=PIN,
    )


def test_roster_show_lists_the_officers_on_duty(db):
    result = posko(
        "roster",
        "show",
        "--date",
        "2026-12-01",
        "--json",
        db_url=db.url,
        now="2026-12-01T08:15:00+07:00",
    )
    assert result.exit_code == 0, result.stderr
    (session,) = result.json()
    assert session["date"] == "2026-12-01"
    assert session["start"] == "2026-12-01T08:00:00+07:00"
    assert session["end"] == "2026-12-01T09:30:00+07:00"
    desks = {o["desk"]: o for o in session["officers"]}
    assert set(desks) == {"JP", "JU", "JB", "JS", "JT"}
    assert desks["JP"]["region"] == "31.71" and desks["JP"]["id"] == "JP-AS1"
    assert {"id", "name", "title", "region", "desk"} <= set(desks["JP"])


def test_the_officer_on_duty_takes_a_complaint(db):
    result = add(db, "2026-12-01T08:15:00+07:00")
    assert result.exit_code == 0, result.stderr
    out = result.json()
    assert out["status"] == "diterima" and out["destination_region"] == "31.71"
    assert out["queue_number"] == 1
    with new_session(db.engine) as s:
        stored = s.exec(select(Complaint).where(Complaint.code == out["code"])).one()
        assert stored.reporter_phone == "+6281234567890"
        # UTC in storage: 08:15 WIB is 01:15Z (the simulated clock then runs on).
        assert stored.created_at.utcoffset().total_seconds() == 0
        assert stored.created_at.isoformat().startswith("2026-12-01T01:15:0")
        events = s.exec(select(StatusEvent).where(StatusEvent.complaint_id == stored.id)).all()
        assert [e.status for e in events] == ["diterima"]
        audit = s.exec(select(AuditEvent).where(AuditEvent.subject == out["code"])).all()
        assert [a.action for a in audit] == ["complaint.create"]
    shown = posko("complaint", "show", out["code"], "--json", db_url=db.url)
    assert shown.exit_code == 0 and shown.json()["complaint"]["code"] == out["code"]


def test_queue_holder_is_served_in_the_grace_period_but_not_after_it(db):
    taken = posko("queue", "take", "--json", db_url=db.url, now="2026-12-01T09:25:00+07:00")
    assert taken.exit_code == 0, taken.stderr
    number = str(taken.json()["number"])
    late = add(db, "2026-12-01T10:31:00+07:00", "JP-AS1", None, "--queue-number", number)
    assert late.exit_code == 3
    served = add(db, "2026-12-01T09:45:00+07:00", "JP-AS1", None, "--queue-number", number)
    assert served.exit_code == 0, served.stderr
    assert served.json()["queue_number"] == int(number)
    again = add(db, "2026-12-01T09:50:00+07:00", "JP-AS1", None, "--queue-number", number)
    assert again.exit_code == 2 and number in again.stderr


@pytest.mark.parametrize(
    ("now", "officer", "words"),
    [
        ("2026-12-01T07:59:00+07:00", "JP-AS1", "08:00"),
        ("2026-12-01T09:31:00+07:00", "JP-AS1", "09:30"),
        ("2026-12-04T08:15:00+07:00", "JP-AS1", "Jumat"),
        ("2026-12-24T08:15:00+07:00", "JP-AS1", "Cuti Bersama"),
        ("2027-03-10T08:15:00+07:00", "JP-AS1", "Idul Fitri"),
        ("2026-12-01T08:15:00+07:00", "JP-KB1", "JP-KB1"),
    ],
)
def test_refused_by_a_duty_rule_exits_3_and_stores_nothing(db, now, officer, words):
    before = counts(db)
    result = add(db, now, officer)
    assert result.exit_code == 3, result.stdout + result.stderr
    assert words in result.stderr
    assert counts(db) == before


def test_no_queue_numbers_after_the_end(db):
    result = posko("queue", "take", db_url=db.url, now="2026-12-01T09:30:00+07:00")
    assert result.exit_code == 3
    assert counts(db)[2] == 0


def test_bad_input_exits_2_naming_every_field_and_stores_nothing(db):
    bad = {
        "reporter": {"name": "Budi", "nik": "317101010180000", "phone": "+1 202 555 0100"},
        "category": "ufo",
        "description": "short",
        "location": {"kota": "31.71", "kecamatan": "31.72.01"},
    }
    before = counts(db)
    result = add(db, "2026-12-01T08:15:00+07:00", "JP-AS1", bad)
    assert result.exit_code == 2
    for field in (
        "reporter.nik",
        "reporter.phone",
        "category",
        "description",
        "location.kecamatan",
    ):
        assert field in result.stderr
    assert counts(db) == before


@pytest.mark.parametrize(
    "payload",
    ["{not json", "\xff\xfe", "[" * 100_000 + "]" * 100_000, ""],
    ids=["broken", "not-utf8", "deeply-nested", "empty"],
)
def test_input_that_is_not_a_complaint_is_refused_plainly(db, payload):
    result = posko(
        "complaint",
        "add",
        "--officer",
        "JP-AS1",
        "--file",
        "-",
        db_url=db.url,
        now="2026-12-01T08:15:00+07:00",
        stdin=payload,
        env=PIN,
    )
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    assert counts(db)[0] == 0


def test_wrong_pin_is_refused(db):
    result = posko(
        "complaint",
        "add",
        "--officer",
        "JP-AS1",
        "--file",
        "-",
        db_url=db.url,
        now="2026-12-01T08:15:00+07:00",
        stdin=json.dumps(COMPLAINT),
        env={"POSKO_PIN": "000000"},
    )
    assert result.exit_code == 3
    assert counts(db)[0] == 0


def test_queue_numbers_restart_each_session(db):
    for now, expected in [
        ("2026-12-01T08:10:00+07:00", 1),
        ("2026-12-01T08:11:00+07:00", 2),
        ("2026-12-02T08:10:00+07:00", 1),
    ]:
        result = posko("queue", "take", "--json", db_url=db.url, now=now)
        assert result.exit_code == 0 and result.json()["number"] == expected


def test_list_filters_by_date_region_and_status(db):
    add(db, "2026-12-01T08:15:00+07:00")
    other = dict(COMPLAINT, location={"kota": "31.74"})
    add(db, "2026-12-01T08:16:00+07:00", "JS-AS1", other)
    listed = posko("complaint", "list", "--date", "2026-12-01", "--json", db_url=db.url)
    assert len(listed.json()) == 2
    south = posko("complaint", "list", "--region", "31.74", "--json", db_url=db.url).json()
    assert [c["destination_region"] for c in south] == ["31.74"]
    # A person reads the office by its kota's name, not its code.
    lines = posko("complaint", "list", "--date", "2026-12-01", db_url=db.url).stdout.splitlines()
    assert len(lines) == 2
    assert "Jakarta Selatan" in lines[0] and "Jakarta Pusat" in lines[1]
    assert not any("31.7" in line for line in lines)
    none = posko("complaint", "list", "--date", "2026-12-02", "--json", db_url=db.url).json()
    assert none == []
    bad = posko("complaint", "list", "--status", "lost", db_url=db.url)
    assert bad.exit_code == 2


def test_the_region_is_named_as_people_name_it_through_the_installed_command(db, tmp_path):
    add(db, "2026-12-01T08:15:00+07:00")
    add(db, "2026-12-01T08:16:00+07:00", "JS-AS1", dict(COMPLAINT, location={"kota": "31.74"}))
    command = str(Path(sys.executable).with_name("posko"))
    env = {**os.environ, "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "cfg")}

    def listed(region: str) -> subprocess.CompletedProcess[str]:
        argv = [command, "--db", db.url, "complaint", "list", "--region", region, "--json"]
        return subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)

    for name in ("Jakarta Selatan", "jakarta  selatan", "Kota Administrasi Jakarta Selatan"):
        found = listed(name)
        assert found.returncode == 0, found.stderr
        assert [c["destination_region"] for c in json.loads(found.stdout)] == ["31.74"]
    assert json.loads(listed("Kepulauan Seribu").stdout) == []
    wrong = listed("Jakarta Tengah")
    assert wrong.returncode == 2 and "Traceback" not in wrong.stderr
    assert "tidak ada kota atau kabupaten Jakarta Tengah" in wrong.stderr
    assert "Kepulauan Seribu (31.01)" in wrong.stderr and "Jakarta Selatan (31.74)" in wrong.stderr
