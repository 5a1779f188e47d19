"""From the desk to selesai: close, batches, acks, follow-up, Open311, report."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from sqlalchemy import text

from tests.cli_helpers import posko
from tests.handoff.conftest import CLOSER, PIN, payload
from tests.handoff.helpers import NOW, close_session, history, status_of, week_report


def test_close_makes_one_batch_per_office_once(db, taken, tmp_path: Path) -> None:
    out = tmp_path / "lists"
    result = posko(
        "handoff",
        "close",
        "--out",
        str(out),
        "--officer",
        "JP-AS1",
        "--json",
        db_url=db.url,
        now=NOW,
        env=PIN,
    )
    assert result.exit_code == 0, result.stderr
    batches = result.json()["batches"]
    assert {b["region"]: sorted(b["codes"]) for b in batches} == {
        region: sorted(codes) for region, codes in taken.codes.items()
    }
    assert all(b["new"] for b in batches)
    for code in taken.all():
        assert status_of(db, code) == "diserahkan"
        assert [e[0] for e in history(db, code)] == ["diterima", "diserahkan"]
    # The files: a PDF list with the office copies, and a CSV of the same rows.
    pdf = out / "serah-terima-LATIHAN-20261201-31.71-1.pdf"
    reader = PdfReader(pdf)
    first = reader.pages[0].extract_text()
    assert "DAFTAR SERAH TERIMA" in first and "Kantor Wali Kota Jakarta Pusat" in first
    assert all(code in first for code in taken.codes["31.71"])
    assert len(reader.pages) >= 3  # the list and one office copy per complaint
    assert "SALINAN UNTUK KANTOR WALI KOTA JAKARTA PUSAT" in reader.pages[1].extract_text()
    with (out / "serah-terima-LATIHAN-20261201-31.71-1.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["kode"] for r in rows] == taken.codes["31.71"]
    assert rows[0]["kecamatan"] == "Gambir" and rows[0]["waktu_wib"] == "2026-12-01 08:15"
    assert {r["latihan"] for r in rows} == {"LATIHAN"}  # a training database's rows say so
    # The same rows for the office's Excel: typed cells, a header, a LATIHAN sheet.
    book = load_workbook(out / "serah-terima-LATIHAN-20261201-31.71-1.xlsx")
    (sheet,) = book.worksheets
    assert sheet.title == "LATIHAN Serah terima"
    header, *cells = list(sheet.iter_rows(values_only=True))
    assert header[:3] == ("No", "Kode pelacakan", "Waktu (WIB)")
    assert [c[1] for c in cells] == taken.codes["31.71"]
    assert cells[0][0] == 1 and isinstance(cells[0][0], int)
    assert cells[0][2] == datetime(2026, 12, 1, 8, 15)  # a date-time cell, in WIB
    assert sheet["C2"].is_date and sheet["C2"].number_format == "DD/MM/YYYY HH:MM"
    assert cells[0][4] == "Gambir" and cells[0][7] == "Kantor Wali Kota Jakarta Pusat"
    # Each row carries the audit anchor, as the CSV's jangkar_audit and the PDF print it.
    assert header[-1] == "Jangkar audit"
    anchor = rows[0]["jangkar_audit"]
    assert len(anchor) == 64
    assert {c[-1] for c in cells} == {r["jangkar_audit"] for r in rows} == {anchor}
    # The confidential reporter's name never reaches the office's list.
    selatan = PdfReader(out / "serah-terima-LATIHAN-20261201-31.74-1.pdf")
    assert "Sari Wulandari" not in "".join(p.extract_text() for p in selatan.pages)

    again = posko(
        "handoff", "close", "--out", str(out), *CLOSER, "--force", "--json",
        db_url=db.url, now=NOW, env=PIN,
    )  # fmt: skip
    assert again.exit_code == 0, again.stderr
    assert not any(b["new"] for b in again.json()["batches"])
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM handoff_batch")).scalar_one() == 3
        assert conn.execute(text("SELECT count(*) FROM handoff_item")).scalar_one() == 4
        assert (
            conn.execute(
                text("SELECT count(*) FROM status_event WHERE status = 'diserahkan'")
            ).scalar_one()
            == 4
        )


def test_ack_needs_a_genuine_slip_and_the_right_region(db, taken, tmp_path: Path) -> None:
    close_session(db, tmp_path)
    pusat, utara = taken.codes["31.71"][0], taken.codes["31.72"][0]
    later = "2026-12-02T10:00:00+07:00"
    genuine = payload(db, pusat)
    forged = genuine[:-3] + ("aaa" if not genuine.endswith("aaa") else "bbb")
    refused = posko(
        "handoff", "ack", forged, "--officer", "JP-WL1", db_url=db.url, now=later, env=PIN
    )
    assert refused.exit_code == 3
    assert "tidak asli" in refused.stderr or "not genuine" in refused.stderr
    wrong = posko(
        "handoff",
        "ack",
        payload(db, utara),
        "--officer",
        "JP-WL1",
        db_url=db.url,
        now=later,
        env=PIN,
    )
    assert wrong.exit_code == 3
    assert status_of(db, pusat) == status_of(db, utara) == "diserahkan"

    ok = posko(
        "handoff", "ack", genuine + "\r\n", "--officer", "JP-WL1", db_url=db.url, now=later, env=PIN
    )
    assert ok.exit_code == 0, ok.stderr
    assert status_of(db, pusat) == "diterima_wilayah"
    assert history(db, pusat)[-1][:2] == ("diterima_wilayah", "JP-WL1")
    twice = posko(
        "handoff", "ack", genuine, "--officer", "JP-WL1", db_url=db.url, now=later, env=PIN
    )
    assert twice.exit_code == 0 and len(history(db, pusat)) == 3

    # A bare code cannot prove it came from a slip.
    bare = posko("handoff", "ack", pusat, "--officer", "JP-WL1", db_url=db.url, now=later, env=PIN)
    assert bare.exit_code == 2

    pending = posko("handoff", "pending", "--json", db_url=db.url, now=later)
    rows = {r["batch"]["region"]: r for r in pending.json()}
    assert rows["31.71"]["waiting"] == [taken.codes["31.71"][1]]
    assert not rows["31.71"]["late"]  # handed off Tuesday: due by the end of Wednesday
    thursday = posko("handoff", "pending", "--json", db_url=db.url, now="2026-12-03T00:00:00+07:00")
    assert all(r["late"] for r in thursday.json())
    text_out = posko("handoff", "pending", db_url=db.url, now="2026-12-03T08:00:00+07:00").stdout
    assert "20261201-31.72-1" in text_out and utara in text_out
    # The office by its kota's name, as people say it.
    north = posko("handoff", "pending", "--region", "Jakarta Utara", "--json", db_url=db.url)
    assert [r["batch"]["region"] for r in north.json()] == ["31.72"]


GEOREPORT_FIELDS = {
    "service_request_id",
    "status",
    "status_notes",
    "service_name",
    "service_code",
    "description",
    "agency_responsible",
    "requested_datetime",
    "updated_datetime",
    "expected_datetime",
    "address",
    "address_string",
    "address_id",
}


def _check_georeport(request: dict) -> None:
    """The GeoReport v2 `GET requests` fields, with their types and formats."""
    from datetime import datetime

    assert set(request) >= GEOREPORT_FIELDS
    assert set(request) <= GEOREPORT_FIELDS | {"lat", "long", "service_notice"}
    assert request["status"] in ("open", "closed")
    for key in ("requested_datetime", "updated_datetime"):
        assert datetime.fromisoformat(request[key]).utcoffset() is not None
    if request["expected_datetime"] is not None:
        assert datetime.fromisoformat(request["expected_datetime"]).utcoffset() is not None
    assert isinstance(request["service_code"], str) and request["service_code"]
    assert isinstance(request["agency_responsible"], str)


def test_desk_to_selesai_then_open311_and_report(db, empty_db, taken, tmp_path: Path) -> None:
    close_session(db, tmp_path)
    day2 = "2026-12-02T{:02d}:00:00+07:00"
    officers = {"31.71": "JP-WL1", "31.72": "JU-WL1", "31.74": "JS-WL1"}
    hour = 9
    for region, codes in taken.codes.items():
        for code in codes:
            hour += 1
            r = posko(
                "handoff",
                "ack",
                payload(db, code),
                "--officer",
                officers[region],
                db_url=db.url,
                now=day2.format(hour),
                env=PIN,
            )
            assert r.exit_code == 0, r.stderr
    done = taken.codes["31.71"][0]
    for status, when in (
        ("diproses", "2026-12-03T09:00:00+07:00"),
        ("selesai", "2026-12-04T15:00:00+07:00"),
    ):
        r = posko(
            "complaint",
            "status",
            done,
            status,
            "--note",
            "Ditangani",
            "--officer",
            "JP-WL1",
            db_url=db.url,
            now=when,
            env=PIN,
        )
        assert r.exit_code == 0, r.stderr
    assert [e[0] for e in history(db, done)] == [
        "diterima",
        "diserahkan",
        "diterima_wilayah",
        "diproses",
        "selesai",
    ]

    # Open311: every request has the GeoReport v2 fields; the confidential one no text.
    r = posko(
        "export",
        "open311",
        "--out",
        str(tmp_path / "requests.json"),
        db_url=db.url,
        now="2026-12-07T09:00:00+07:00",
    )
    assert r.exit_code == 0, r.stderr
    import json

    # A training database's export says so: in its name and in every request.
    export = tmp_path / "requests-LATIHAN.json"
    assert str(export) in r.stdout and not (tmp_path / "requests.json").exists()
    requests = {q["service_request_id"]: q for q in json.loads(export.read_text("utf-8"))}
    assert {q["service_notice"] for q in requests.values()} == {
        "LATIHAN: Data latihan, bukan pengaduan resmi"
    }
    assert set(requests) == set(taken.all())
    for request in requests.values():
        _check_georeport(request)
    assert requests[done]["status"] == "closed"
    assert requests[done]["status_notes"].startswith("selesai")
    assert requests[done]["expected_datetime"] is None
    assert requests[done]["service_code"] == "BNJ"
    assert requests[done]["agency_responsible"] == "Kantor Wali Kota Jakarta Pusat"
    secret = requests[taken.codes["31.74"][0]]
    assert secret["description"] is None and secret["status"] == "open"
    assert "Sari" not in json.dumps(requests)
    since = posko(
        "export",
        "open311",
        "--since",
        "2026-12-04T00:00:00",
        "--out",
        str(tmp_path / "since.json"),
        db_url=db.url,
        now="2026-12-07T09:00:00+07:00",
    )
    assert since.exit_code == 0
    since_file = tmp_path / "since-LATIHAN.json"
    assert [q["service_request_id"] for q in json.loads(since_file.read_text())] == [done]

    # Round trip into another database.
    assert posko("init", "--training", db_url=empty_db.url).exit_code == 0
    imported = posko(
        "import",
        "open311",
        str(export),
        "--officer",
        "PV-KO1",
        "--json",
        db_url=empty_db.url,
        now="2026-12-07T09:00:00+07:00",
        env=PIN,
    )
    assert imported.exit_code == 0, imported.stderr
    assert sorted(imported.json()["added"]) == sorted(taken.all())
    back = tmp_path / "back.json"
    posko(
        "export",
        "open311",
        "--out",
        str(back),
        db_url=empty_db.url,
        now="2026-12-07T09:00:00+07:00",
    )
    back = tmp_path / "back-LATIHAN.json"
    returned = {q["service_request_id"]: q for q in json.loads(back.read_text("utf-8"))}
    for code, request in requests.items():
        same = {k: v for k, v in request.items() if k != "expected_datetime"}
        assert {k: returned[code][k] for k in same} == same
    again = posko(
        "import",
        "open311",
        str(export),
        "--officer",
        "PV-KO1",
        "--json",
        db_url=empty_db.url,
        now="2026-12-07T09:00:00+07:00",
        env=PIN,
    )
    assert again.json()["added"] == []

    # The report counts what a direct SQL count finds.
    csv_path = tmp_path / "report.csv"
    r = week_report(db, "csv", csv_path, now="2026-12-07T09:00:00+07:00")
    assert r.exit_code == 0, r.stderr
    csv_path = tmp_path / "report-LATIHAN.csv"
    with csv_path.open(encoding="utf-8-sig") as handle:
        figures = list(csv.DictReader(handle))
    assert figures[0] == {
        "bagian": "latihan",
        "kunci": "LATIHAN",
        "nama": "Data latihan, bukan pengaduan resmi",
        "nilai": "",
    }

    def by(section: str) -> dict[str, float]:
        return {f["kunci"]: float(f["nilai"] or "nan") for f in figures if f["bagian"] == section}

    with db.engine.connect() as conn:
        sql = lambda q: dict(conn.execute(text(q)).all())  # noqa: E731
        assert by("per_wilayah") == sql(
            "SELECT destination_region, count(*) FROM complaint GROUP BY destination_region"
        )
        assert by("per_kategori") == sql(
            "SELECT category_code, count(*) FROM complaint GROUP BY category_code"
        )
        assert by("per_status") == sql("SELECT status, count(*) FROM complaint GROUP BY status")
        total = conn.execute(text("SELECT count(*) FROM complaint")).scalar_one()
    assert by("ringkasan")["jumlah"] == total == 4
    assert by("per_hari")["2026-12-01"] == 4 and by("per_hari")["2026-12-02"] == 0
    assert by("ringkasan")["selesai"] == 1 and by("ringkasan")["dikonfirmasi"] == 4
    # Handed off 09:45 Tuesday, acknowledged 10:00-13:00 Wednesday: 24.25-27.25 hours,
    # median 25.75; the simulated clock runs on while the PIN is checked, so the
    # handoff is a moment after 09:45 and the rounding may fall either way.
    assert by("ringkasan")["median_jam_konfirmasi"] == pytest.approx(25.75, abs=0.06)
    assert by("ringkasan")["median_jam_selesai"] == pytest.approx(78.75, abs=0.05)
    # Acknowledged Wednesday: first response due by Monday 7 Dec, not overdue at 09:00 Monday.
    assert by("ringkasan")["terlambat"] == 0
    pdf_path = tmp_path / "report.pdf"
    r = week_report(db, "pdf", pdf_path, now="2026-12-09T09:00:00+07:00")
    assert r.exit_code == 0, r.stderr
    pages = PdfReader(tmp_path / "report-LATIHAN.pdf").pages
    text_of_pdf = "".join(p.extract_text() for p in pages)
    assert "LAPORAN PENGADUAN POSKO" in text_of_pdf and "Jakarta Pusat" in text_of_pdf
    assert all("LATIHAN" in p.extract_text() for p in pages)  # on every page
    assert "Median waktu hingga dikonfirmasi" in text_of_pdf
    # The same figures for Excel: typed cells, dates as dates, LATIHAN on every sheet.
    r = week_report(db, "xlsx", tmp_path / "laporan.xlsx", now="2026-12-07T09:00:00+07:00")
    assert r.exit_code == 0, r.stderr
    book = load_workbook(tmp_path / "laporan-LATIHAN.xlsx")
    assert all(name.startswith("LATIHAN ") for name in book.sheetnames)
    summary = dict(book["LATIHAN Ringkasan"].iter_rows(min_row=2, values_only=True))
    assert summary["Periode dari"] == datetime(2026, 12, 1)  # a date cell
    assert summary["Jumlah pengaduan"] == 4
    # As above: the PIN check moves the handoff a moment past 09:45.
    assert summary["Median waktu hingga dikonfirmasi (jam)"] == pytest.approx(25.75, abs=0.06)
    days = list(book["LATIHAN Per hari"].iter_rows(values_only=True))
    assert days[0] == ("Tanggal", "Pengaduan")
    assert days[1] == (datetime(2026, 12, 1), 4) and len(days) == 8
    assert book["LATIHAN Per hari"]["A2"].is_date
    offices = {
        row[0]: row[2] for row in book["LATIHAN Per kantor"].iter_rows(min_row=2, values_only=True)
    }
    assert offices == by("per_wilayah")


def test_the_office_scans_the_printed_office_copy(db, taken, tmp_path: Path) -> None:
    """The QR code on the office copy attached to the list, read from the pixels, acknowledges."""
    from tests.printing.helpers import decode_qr, render

    close_session(db, tmp_path)
    pdf = (tmp_path / "lists" / "serah-terima-LATIHAN-20261201-31.72-1.pdf").read_bytes()
    scanned = decode_qr(render(pdf, page=1, dpi=200))
    assert len(scanned) == 1 and taken.codes["31.72"][0] in scanned[0]
    result = posko(
        "handoff",
        "ack",
        scanned[0],
        "--officer",
        "JU-WL1",
        db_url=db.url,
        now="2026-12-02T08:00:00+07:00",
        env=PIN,
    )
    assert result.exit_code == 0, result.stderr
    assert status_of(db, taken.codes["31.72"][0]) == "diterima_wilayah"
