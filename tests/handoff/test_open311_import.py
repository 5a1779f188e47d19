"""Importing Open311: every bad field named, nothing half-written."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import text

from tests.cli_helpers import posko

NOW = "2026-12-07T09:00:00+07:00"
GOOD = {
    "service_request_id": "PKB-7K3Q-X9MN",
    "status": "open",
    "status_notes": "diproses: Sedang diproses",
    "service_name": "Banjir dan saluran air",
    "service_code": "BNJ",
    "description": "Saluran tersumbat di depan sekolah.",
    "agency_responsible": "Kantor Wali Kota Jakarta Pusat",
    "requested_datetime": "2026-12-01T08:15:00+07:00",
    "updated_datetime": "2026-12-02T10:00:00+07:00",
    "expected_datetime": None,
    "address_string": "Kel. Cideng, Kec. Gambir — Jl. Cideng Barat 12",
    "address_id": "31.71.01.1002",
    "lat": -6.17,
    "long": 106.81,
}


def _import(db, tmp_path: Path, data: object):  # type: ignore[no-untyped-def]
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return posko(
        "import", "open311", str(path), "--officer", "PV-KO1", "--json", db_url=db.url, now=NOW,
        env={"POSKO_PIN": "123456"},
    )  # fmt: skip


def _count(db) -> int:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return conn.execute(text("SELECT count(*) FROM complaint")).scalar_one()


def test_a_good_request_is_imported_with_its_history(db, tmp_path: Path) -> None:
    result = _import(db, tmp_path, [GOOD])
    assert result.exit_code == 0, result.stderr
    assert result.json()["added"] == ["PKB-7K3Q-X9MN"]
    shown = posko("complaint", "show", "PKB-7K3Q-X9MN", "--json", db_url=db.url, now=NOW).json()
    assert shown["complaint"]["status"] == "diproses"
    assert shown["complaint"]["destination_region"] == "31.71"
    assert shown["complaint"]["kecamatan"] == "31.71.01"
    assert shown["complaint"]["location_address"] == "Jl. Cideng Barat 12"
    assert [e["status"] for e in shown["history"]] == ["diterima", "diproses"]


def test_every_bad_field_is_named_and_nothing_is_written(db, tmp_path: Path) -> None:
    bad = dict(
        GOOD,
        service_request_id="PKB-7K3Q-X9MZ",
        status="pending",
        service_code="XXX",
        requested_datetime="kemarin",
        lat=-6.1,
        long=None,
        address_id="32.01",
    )
    broken = {k: v for k, v in GOOD.items() if k != "status_notes"}
    result = _import(db, tmp_path, [GOOD, bad, broken, "x"])
    assert result.exit_code == 2
    for field in (
        "[1].service_request_id",
        "[1].status",
        "[1].service_code",
        "[1].requested_datetime",
        "[1].address_id",
        "[2].status_notes",
        "[3]",
    ):
        assert field in result.stderr, field
    assert "Traceback" not in result.stderr
    assert _count(db) == 0

    mismatch = _import(db, tmp_path, [dict(GOOD, status="closed")])
    assert mismatch.exit_code == 2 and "[0].status" in mismatch.stderr
    twice = _import(db, tmp_path, [GOOD, GOOD])
    assert twice.exit_code == 2 and "lebih dari sekali" in twice.stderr
    assert _import(db, tmp_path, {"requests": []}).exit_code == 2
    not_json = tmp_path / "bad.json"
    not_json.write_text("[{", encoding="utf-8")
    result = posko(
        "import", "open311", str(not_json), "--officer", "PV-KO1", db_url=db.url, now=NOW
    )
    assert result.exit_code == 2 and "JSON" in result.stderr
    assert _count(db) == 0
