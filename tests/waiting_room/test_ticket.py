"""The queue ticket, as the citizen holds it: a large number, its QR to the queue page."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path

import pypdfium2 as pdfium
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import text

from posko.config import Settings
from posko.services import print_queue, tickets
from posko.store.db import new_session
from tests.receipts.helpers import fake_lp

from .helpers import cli, take

MM = 72 / 25.4  # PDF points per millimetre


def _render(pdf: Path) -> tuple[Image.Image, float, str]:
    """The page as a 203 dpi image (a thermal printer's), the number's height in mm, its text."""
    document = pdfium.PdfDocument(str(pdf))
    page = document[0]
    image = page.render(scale=203 / 72).to_pil()
    textpage = page.get_textpage()
    words = " ".join(textpage.get_text_range().split())
    # The tallest glyph on the ticket is the number's.
    tallest = max(
        (textpage.get_charbox(i)[3] - textpage.get_charbox(i)[1])
        for i in range(textpage.count_chars())
        if textpage.get_text_range(i, 1).isdigit()
    )
    return image, tallest / MM, words


@pytest.mark.parametrize("width", [80, 58])
def test_the_ticket_shows_the_number_large_and_its_qr_opens_the_queue_page(
    db, monkeypatch, tmp_path, width
) -> None:
    take(db, monkeypatch=monkeypatch)
    out = tmp_path / f"tiket-{width}.pdf"
    done = cli(
        db,
        "queue",
        "take",
        "--priority",
        "--out",
        str(out),
        "--json",
        monkeypatch=monkeypatch,
        env={"POSKO_PAPER_WIDTH_MM": str(width)},
    )
    assert done.exit_code == 0, done.stderr
    answer = done.json()
    assert answer["number"] == 2 and answer["priority"] is True
    assert answer["ahead"] == 0  # the priority lane goes before number 1
    assert answer["queue_url"] == "https://lacak.posko-latihan.invalid/antrean/2026-12-01/2"

    image, number_mm, words = _render(out)
    assert image.width == pytest.approx(width / 25.4 * 203, abs=2)
    assert number_mm >= 15, f"the number is only {number_mm:.1f} mm tall"
    for seen in ("NOMOR ANTREAN", "PRIORITAS", "Posko Pengaduan", "08.00–09.30 WIB", "LATIHAN"):
        assert seen in words
    assert "Selasa, 1 Desember 2026 08.15 WIB" in words
    found = zxingcpp.read_barcodes(image)
    assert [code.text for code in found] == [answer["queue_url"]]
    image.save(Path(os.environ.get("TICKET_SCREENSHOTS", tmp_path)) / f"tiket-{width}.png")


def test_escpos_bytes_carry_the_same_ticket(db, clock, policy) -> None:
    settings = Settings(database_url=db.url)
    from posko.services import queue

    with new_session(db.engine) as session:
        queue.take_number(session, clock, policy)
        visit = queue.take_number(session, clock, policy)
        ticket = tickets.ticket_data(session, settings, policy, visit.id)
    data = tickets.render(ticket, settings, "escpos", 58)
    assert b"NOMOR ANTREAN" in data and b"Antrean di depan Anda" in data
    assert b"1 orang" in data  # number 1 is ahead
    # GS ! 0x33: the number at 4x width and height (then bold, centred, code page).
    assert re.search(rb"\x1d!\x33(?:\x1b[Eat].)*2\n", data, re.DOTALL)
    assert ticket.queue_url.encode() in data  # the printer's own QR carries the same URL
    assert b"PRIORITAS" not in data


def test_a_failing_printer_never_loses_the_number(db, monkeypatch, tmp_path) -> None:
    for key, value in fake_lp(tmp_path / "bin", exit_code=1).items():
        monkeypatch.setenv(key, value)
    printer = {"POSKO_PRINTER": "cups", "POSKO_PRINTER_NAME": "kasir"}

    done = take(db, monkeypatch=monkeypatch, **printer)

    assert done.exit_code == 1
    answer = done.json()
    assert answer["number"] == 1 and answer["ticket"]["printed"] is False
    assert "on fire" in answer["ticket"]["error"]
    told = cli(db, "queue", "take", monkeypatch=monkeypatch, env=printer)
    assert "Nomor antrean 2" in told.stdout and "posko receipt --drain" in told.stdout
    with db.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT v.number, j.copy_kind, j.state FROM print_job j "
                "JOIN visit v ON v.id = j.visit_id ORDER BY v.number"
            )
        ).all()
    assert [tuple(r) for r in rows] == [(1, "ticket", "pending"), (2, "ticket", "pending")]

    # The printer is back: the reprint queue prints both tickets.
    for key, value in fake_lp(tmp_path / "bin", exit_code=0).items():
        monkeypatch.setenv(key, value)
    drained = cli(db, "receipt", "--drain", monkeypatch=monkeypatch, env=printer)
    assert drained.exit_code == 0, drained.stdout + drained.stderr
    assert "antrean-20261201-001: tiket antrean tercetak." in drained.stdout
    with new_session(db.engine) as session:
        assert print_queue.pending_count(session) == 0


def test_the_ticket_is_saved_to_the_slips_folder_by_default(db, monkeypatch, tmp_path) -> None:
    slips = tmp_path / "slips"
    done = take(db, monkeypatch=monkeypatch, POSKO_OUTPUT_DIR=str(slips))
    assert done.exit_code == 0, done.stderr
    saved = slips / "antrean-20261201-001.pdf"
    assert saved.exists()
    image = pdfium.PdfDocument(io.BytesIO(saved.read_bytes()))[0].render(scale=3).to_pil()
    assert [c.text for c in zxingcpp.read_barcodes(image)] == [done.json()["queue_url"]]
