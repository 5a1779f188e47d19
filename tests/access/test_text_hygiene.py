"""Finding 6 of issue 12, the text: invisible marks never stored; numbers masked
however they are written; an erased identity gone from the text and the search."""

from __future__ import annotations

import json

import pytest
from pypdf import PdfReader
from sqlmodel import col, select
from starlette.testclient import TestClient

from posko.config import Settings
from posko.core.clock import FixedClock
from posko.store.db import new_session
from posko.store.models import Complaint, StatusEvent
from posko.web.app import create_app
from tests.access.conftest import NIK, Desk
from tests.conftest import policy_from_repo, wib
from tests.handoff.conftest import payload

pytestmark = pytest.mark.db

INVISIBLE = "\u200b\u200c\u200d\u200e\u200f\ufeff\u202a\u202e\u2066\u2069\u2060\u061c"
DICTATED = "Hubungi saya di (0812) 3456-7890 atau NIK 3171 0101 0180 0001, rumah no. 12."


def _add(desk: Desk, data: dict) -> str:
    path = desk.tmp / "c.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    added = desk.run("complaint", "add", "--officer", "JP-AS1", "--file", str(path), "--json")
    assert added.exit_code == 0, added.stderr
    return added.json()["code"]


def _row(desk: Desk, code: str) -> Complaint:
    with new_session(desk.db.engine) as session:  # type: ignore[attr-defined]
        return session.exec(select(Complaint).where(Complaint.code == code)).one()


def test_zero_width_and_bidi_marks_are_not_stored(desk: Desk) -> None:
    code = _add(
        desk,
        {
            "reporter": {"name": f"Sa{INVISIBLE}ri Wu\u200blandari", "phone": "081234567890"},
            "category": "banjir",
            "description": f"Got{INVISIBLE} mampet di\u200d depan\ufeff sekolah.",
            "location": {"kota": "31.71", "kecamatan": "31.71.01"},
        },
    )
    row = _row(desk, code)
    assert row.reporter_name == "Sari Wulandari"
    assert row.description == "Got mampet di depan sekolah."
    assert not set(INVISIBLE) & set(row.reporter_name + row.description)
    # The name typed plainly finds it: nothing hides between the letters.
    found = desk.run("complaint", "search", "Sari Wulandari", "--officer", "JP-AS1", "--json")
    assert code in found.stdout


def test_numbers_written_with_spaces_dashes_and_brackets_are_masked(desk: Desk) -> None:
    code = _add(
        desk,
        {
            "reporter": {"anonymous": True},
            "category": "banjir",
            "description": DICTATED,
            "location": {"kota": "31.71", "kecamatan": "31.71.01"},
        },
    )
    slip = desk.tmp / "slip.pdf"
    assert desk.run("receipt", code, "--out", str(slip)).exit_code == 0
    text = " ".join(" ".join(p.extract_text() for p in PdfReader(slip).pages).split())
    app = create_app(
        engine=desk.db.engine,  # type: ignore[attr-defined]
        settings=Settings(database_url=desk.db.url),  # type: ignore[attr-defined]
        policy=policy_from_repo(),
        clock=FixedClock(wib("2026-12-01 08:30")),
    )
    page = TestClient(app).get("/lacak/" + payload(desk.db, code).split("/lacak/", 1)[1])
    assert page.status_code == 200
    shown_cli = desk.run("complaint", "show", code, "--json").stdout
    listed = desk.run("complaint", "list", "--json").stdout
    for shown in (text, page.text, shown_cli, listed):
        assert "3456-7890" not in shown and "3456" not in shown
        assert "0101 0180" not in shown and "01010180" not in shown
        assert "3171********0001" in shown and "+62 812-****-7890" in shown
        assert "no. 12" in shown  # a house number is not identity


def test_erasure_scrubs_the_description_the_notes_and_the_search(desk: Desk) -> None:
    code = _add(
        desk,
        {
            "reporter": {
                "name": "Dewi Anggraini",
                "nik": "3171015506900003",
                "phone": "0813-1111-2222",
            },
            "category": "banjir",
            "description": "Saya Dewi Anggraini, NIK 3171015506900003, melapor got mampet.",
            "location": {"kota": "31.71", "kecamatan": "31.71.01"},
        },
    )
    with new_session(desk.db.engine) as session:  # type: ignore[attr-defined]
        row = session.exec(select(Complaint).where(Complaint.code == code)).one()
        event = session.exec(select(StatusEvent).where(StatusEvent.complaint_id == row.id)).one()
        event.note = "Pelapor Dewi Anggraini (NIK 3171 0155 0690 0003) minta ditelepon"
        session.add(event)
        session.commit()
    before = desk.run("complaint", "search", "3171015506900003", "--officer", "PV-ADM", "--json")
    assert code in before.stdout  # the index has the NIK before erasure
    erased = desk.run(
        "privacy", "erase", "--nik", "3171015506900003", "--reason", "permintaan warga",
        "--officer", "PV-ADM",
    )  # fmt: skip
    assert erased.exit_code == 0, erased.stderr
    row = _row(desk, code)
    assert row.reporter_name is None and row.reporter_nik is None
    assert "Dewi" not in row.description and "0155" not in row.description
    assert "got mampet" in row.description and "[dihapus]" in row.description
    with new_session(desk.db.engine) as session:  # type: ignore[attr-defined]
        notes = session.exec(
            select(StatusEvent.note)
            .where(StatusEvent.complaint_id == row.id)
            .order_by(col(StatusEvent.id))
        ).all()
    assert all("Dewi" not in n and "3171015506900003" not in n for n in notes)
    for query in ("3171015506900003", "Dewi Anggraini", "Anggraini"):
        after = desk.run("complaint", "search", query, "--officer", "PV-ADM", "--json")
        assert after.exit_code == 0 and code not in after.stdout, query
    assert NIK not in str(desk.detail("privacy.erase"))
