"""F8 ends the morning on paper: one PDF and one CSV per destination office, said on screen."""

from __future__ import annotations

import csv
import os
import stat
from dataclasses import replace
from pathlib import Path

import pytest

from posko.services import closeout, intake
from posko.store.db import new_session
from tests.receipts.helpers import pdf_text
from tests.tui.conftest import settle, sign_in

pytestmark = pytest.mark.db


def complaint(kota: str, kecamatan: str, text: str) -> dict:
    return {
        "reporter": {"name": "Sri Wahyuni", "nik": "3171014501850002", "phone": "081234567890"},
        "category": "banjir",
        "description": text,
        "location": {"kota": kota, "kecamatan": kecamatan},
    }


def take_three(runtime) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    """Two complaints for Jakarta Pusat, one for Jakarta Timur, taken at the desk."""
    codes: dict[str, list[str]] = {"31.71": [], "31.75": []}
    with new_session(runtime.engine) as session:
        for kota, kecamatan, text in (
            ("31.71", "31.71.01", "Saluran air di depan pasar tersumbat, banjir tiap hujan"),
            ("31.75", "31.75.01", "Lampu jalan mati sejak seminggu di gang sempit Matraman"),
            ("31.71", "31.71.01", "Trotoar rusak di depan sekolah, anak-anak berjalan di jalan"),
        ):
            taken = intake.take_complaint(
                session,
                runtime.clock,
                runtime.policy,
                officer_id="JP-AS1",
                data=complaint(kota, kecamatan, text),
            )
            codes[kota].append(taken.complaint.code)
    return codes


async def test_f8_writes_one_pdf_and_one_csv_per_office_and_says_where(kiosk, runtime) -> None:
    codes = take_three(runtime)
    folder = runtime.settings.handoff_folder
    runtime.clock.advance(minutes=80)  # 09:35: intake closed, the officer closes the session

    async with kiosk.run_test(size=(100, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert kiosk.screen.id == "closeout"
        shown = str(kiosk.screen.query_one("#closeout-lists").render())
        await pilot.press("enter")
        await settle(pilot)
        assert kiosk.screen.id == "home"

    assert stat.S_IMODE(folder.stat().st_mode) == 0o700  # identities inside: the desk's only
    pdfs = sorted(folder.glob("serah-terima-*.pdf"))
    csvs = sorted(folder.glob("serah-terima-*.csv"))
    books = sorted(folder.glob("serah-terima-*.xlsx"))
    assert [p.name for p in pdfs] == [  # a training database's lists say so in their names
        "serah-terima-LATIHAN-20261201-31.71-1.pdf",
        "serah-terima-LATIHAN-20261201-31.75-1.pdf",
    ]
    assert [p.with_suffix(".pdf").name for p in csvs] == [p.name for p in pdfs]
    assert [p.with_suffix(".pdf").name for p in books] == [p.name for p in pdfs]
    for region, pdf, table in zip(("31.71", "31.75"), pdfs, csvs, strict=True):
        text = pdf_text(pdf)
        assert all(code in text for code in codes[region])
        with table.open(encoding="utf-8-sig", newline="") as handle:
            rows = list(csv.DictReader(handle))
        assert [row["kode"] for row in rows] == codes[region]

    # The screen says where each list went and what is still pending.
    assert "Jakarta Pusat" in shown and "Jakarta Timur" in shown
    assert "serah-terima-LATIHAN-20261201-31.71-1.pdf · .xlsx · .csv" in shown
    assert "serah-terima-LATIHAN-20261201-31.75-1.pdf · .xlsx · .csv" in shown
    assert str(folder) in shown.replace("\n", "")
    assert "3 pengaduan diserahkan" in shown
    assert "Tidak ada printer" in shown  # the folder printer: print the PDFs from there


def fake_lp(tmp_path: Path, *, works: bool) -> str:
    """A CUPS `lp` that keeps what it is sent (or refuses it), first on PATH."""
    folder = tmp_path / "bin"
    folder.mkdir()
    spool = tmp_path / "spool"
    spool.mkdir()
    script = folder / "lp"
    body = (
        f'cat > "{spool}/$(date +%s%N).pdf"\nexit 0\n'
        if works
        else 'echo "lp: printer is out of paper" >&2\nexit 1\n'
    )
    script.write_text("#!/bin/sh\n" + body)
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    return str(folder)


def on_duty(session):  # type: ignore[no-untyped-def]
    """JP-AS1, on duty on 1 December, as the access gate hands them to the service."""
    from posko.services import officers

    return officers.get(session, "JP-AS1")


@pytest.mark.parametrize("works", [True, False])
def test_new_lists_go_to_the_configured_printer_and_a_failure_stays_pending(
    runtime, tmp_path, monkeypatch, works
) -> None:
    codes = take_three(runtime)
    monkeypatch.setenv("PATH", fake_lp(tmp_path, works=works) + os.pathsep + os.environ["PATH"])
    settings = replace(runtime.settings, printer="cups", printer_name="meja-posko")
    runtime.clock.advance(minutes=80)
    with new_session(runtime.engine) as session:
        done = closeout.hand_off(
            session, runtime.clock, settings, runtime.policy, officer=on_duty(session)
        )
    assert [item.batch.region for item in done.lists] == ["31.71", "31.75"]
    assert all(
        item.pdf.exists() and item.xlsx.exists() and item.csv.exists() for item in done.lists
    )
    assert {item.batch.region: list(item.batch.codes) for item in done.lists} == codes
    sent = sorted((tmp_path / "spool").iterdir())
    if works:
        assert [item.printed for item in done.lists] == [True, True]
        assert len(sent) == 2 and not done.unprinted
    else:
        assert [item.printed for item in done.lists] == [False, False]
        assert "out of paper" in (done.lists[0].error or "")
        assert len(done.unprinted) == 2 and sent == []

    # Closing again prints nothing twice, and makes no new batch.
    with new_session(runtime.engine) as session:
        again = closeout.hand_off(
            session, runtime.clock, settings, runtime.policy, officer=on_duty(session)
        )
    assert [item.new for item in again.lists] == [False, False]
    assert [item.printed for item in again.lists] == [None, None]
    assert len(list((tmp_path / "spool").iterdir())) == len(sent)
