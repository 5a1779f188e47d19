"""From the desk to selesai: close, batches, acks, follow-up, Open311, report."""

from __future__ import annotations

import csv
from pathlib import Path

from pypdf import PdfReader
from sqlalchemy import text

from tests.cli_helpers import posko
from tests.handoff.conftest import PIN, payload
from tests.handoff.helpers import NOW, close_session, history, status_of


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
    pdf = out / "serah-terima-20261201-31.71-1.pdf"
    reader = PdfReader(pdf)
    first = reader.pages[0].extract_text()
    assert "DAFTAR SERAH TERIMA" in first and "Kantor Walikota Jakarta Pusat" in first
    assert all(code in first for code in taken.codes["31.71"])
    assert len(reader.pages) >= 3  # the list and one office copy per complaint
    assert "LEMBAR UNTUK WILAYAH" in reader.pages[1].extract_text()
    with (out / "serah-terima-20261201-31.71-1.csv").open(encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["kode"] for r in rows] == taken.codes["31.71"]
    assert rows[0]["kecamatan"] == "Gambir" and rows[0]["waktu_wib"] == "2026-12-01 08:15"
    # The confidential reporter's name never reaches the office's list.
    selatan = PdfReader(out / "serah-terima-20261201-31.74-1.pdf")
    assert "Sari Wulandari" not in "".join(p.extract_text() for p in selatan.pages)

    again = posko("handoff", "close", "--out", str(out), "--json", db_url=db.url, now=NOW)
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
