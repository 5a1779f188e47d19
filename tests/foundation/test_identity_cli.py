"""NIK and phone rules through `posko complaint add`, on SQLite and PostgreSQL."""

from __future__ import annotations

import copy

import pytest
from sqlmodel import select

from posko.store.db import new_session
from posko.store.models import Complaint
from tests.foundation.test_intake_cli import COMPLAINT, add

pytestmark = pytest.mark.db
NOW = "2026-12-01T08:15:00+07:00"


def with_reporter(**fields: object) -> dict:
    data = copy.deepcopy(COMPLAINT)
    data["reporter"].update(fields)
    return data


def stored(db) -> list[Complaint]:
    with new_session(db.engine) as session:
        return list(session.exec(select(Complaint)).all())


@pytest.mark.parametrize("province", ["99", "20"])
def test_a_nik_of_no_province_is_refused_naming_the_field(db, province):
    result = add(db, NOW, "JP-AS1", with_reporter(nik=province + "71010101800001"))
    assert result.exit_code == 2
    assert "reporter.nik" in result.stderr and "kode provinsi" in result.stderr
    assert stored(db) == []


def test_a_jakarta_nik_of_no_kota_needs_the_officers_confirmation(db):
    data = with_reporter(nik="3176010101800001")
    refused = add(db, NOW, "JP-AS1", data)
    assert refused.exit_code == 2
    assert "reporter.nik" in refused.stderr and "31.76" in refused.stderr
    assert "--confirm-nik" in refused.stderr  # how to accept it, in the message
    assert stored(db) == []
    saved = add(db, NOW, "JP-AS1", data, "--confirm-nik")
    assert saved.exit_code == 0, saved.stderr
    data["reporter"]["nik_confirmed"] = True  # the same, in the JSON
    assert add(db, NOW, "JP-AS1", data).exit_code == 0
    assert [c.reporter_nik for c in stored(db)] == ["3176010101800001"] * 2


def test_a_99_year_old_is_accepted(db):
    result = add(db, NOW, "JP-AS1", with_reporter(nik="3171011512260001"))
    assert result.exit_code == 0, result.stderr


def test_a_jakarta_landline_without_the_plus(db):
    result = add(db, NOW, "JP-AS1", with_reporter(phone="62 21 3822255"))
    assert result.exit_code == 0, result.stderr
    (complaint,) = stored(db)
    assert complaint.reporter_phone == "+62213822255"
