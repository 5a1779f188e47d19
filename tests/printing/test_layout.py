"""The slips as a person sees them: their text, their QR, where they print."""

from __future__ import annotations

import io
from dataclasses import replace
from pathlib import Path

import pytest
from pypdf import PdfReader

from posko.core.signing import parse_payload
from posko.printing.layout import citizen_slip_pdf, office_copy_pdf
from posko.printing.slip_data import SlipData

from .helpers import (
    CODE,
    EMAIL,
    NAME,
    NIK,
    PHONE,
    SECRET,
    page_count,
    pdf_text,
    read_qr,
    render,
    slip_for,
)

MM = 72 / 25.4


def flat(text: str) -> str:
    """Text with line breaks undone, to look for phrases that wrap."""
    return " ".join(text.split())


def test_citizen_slip_fields(slip: SlipData) -> None:
    text = pdf_text(citizen_slip_pdf(slip))
    for expected in (
        "PEMERINTAH PROVINSI DKI JAKARTA",
        "Posko Pengaduan Balai Kota DKI Jakarta",
        "Meja Jakarta Pusat",
        "TANDA TERIMA PENGADUAN",
        CODE,
        "Nomor antrean 17",
        "Selasa, 1 Desember 2026 08.15 WIB",
        "Jalan dan trotoar rusak",
        "Kantor tujuan Kantor Wali Kota Jakarta Pusat",
        "Dewi Lubis",
        "Kepala Bagian Pemerintahan Sekretariat Kota",
        "Akan diteruskan ke Kantor Wali Kota Jakarta Pusat; "
        "penerimaan dikonfirmasi paling lambat Kamis, 3 Desember 2026.",
        "Layanan LAPOR! 1708",
        "lacak.posko-latihan.invalid/lacak",
        "B. S.",
        "NIK 3171********0001",
        "Telp. +62 812-****-7890",
        "Surel b***@gmail.com",
    ):
        assert expected in flat(text), expected
    assert "LATIHAN" not in text
    assert "Diteruskan ke" not in text  # printed at intake: nothing is handed on yet


def test_citizen_slip_never_shows_full_identity(slip: SlipData) -> None:
    text = flat(pdf_text(citizen_slip_pdf(slip)))
    for secret in (NAME, "Budi", "Santoso", NIK, PHONE, "81234567890", "3456", EMAIL, "santoso"):
        assert secret not in text, secret
    # Not even when the reporter dictated them into the complaint.
    dictated = replace(slip, description=f"Saya {NAME}, NIK {NIK}, HP {PHONE}, {EMAIL}.")
    text = flat(pdf_text(citizen_slip_pdf(dictated)))
    for secret in (NAME, NIK, PHONE, EMAIL):
        assert secret not in text, secret


def test_summary_is_cut_at_a_word_with_an_ellipsis(slip: SlipData) -> None:
    words = " ".join(f"kata{i:03d}" for i in range(200))
    text = flat(pdf_text(citizen_slip_pdf(replace(slip, description=words))))
    summary = text.split("Ringkasan pengaduan ")[1].split(" Kantor tujuan")[0]
    assert summary.endswith("…")
    assert summary[:-1].split()[-1] in words.split()  # a whole word before the "…"
    assert len(summary) <= 200


def test_anonymous_shows_no_identity(anonymous_slip: SlipData) -> None:
    # Even if a caller forgot to clear the fields, anonymous wins.
    leaky = replace(anonymous_slip, reporter_name=NAME, reporter_nik=NIK, reporter_phone=PHONE)
    for pdf in (citizen_slip_pdf(leaky), office_copy_pdf(leaky)):
        text = flat(pdf_text(pdf))
        assert "Anonim" in text
        for secret in (NAME, "B. S.", NIK, "3171****", "+62 812", PHONE):
            assert secret not in text, secret


def test_confidential(slip: SlipData) -> None:
    confidential = replace(slip, confidential=True)
    citizen = flat(pdf_text(citizen_slip_pdf(confidential)))
    assert "B. S." in citizen and "3171********0001" in citizen
    assert "dirahasiakan dari Kantor Wali Kota Jakarta Pusat" in citizen
    office = flat(pdf_text(office_copy_pdf(confidential)))
    assert "Identitas pelapor dirahasiakan" in office
    for secret in (NAME, "B. S.", NIK, "3171", PHONE, "812", EMAIL, "b***", "081234567890"):
        assert secret not in office, secret
    assert "Saya [dirahasiakan], bisa dihubungi di [dirahasiakan]." in office


def test_office_copy_fields(slip: SlipData) -> None:
    pdf = office_copy_pdf(slip)
    text = flat(pdf_text(pdf))
    for expected in (
        "SALINAN UNTUK KANTOR WALI KOTA JAKARTA PUSAT",
        CODE,
        "Kantor Wali Kota Jakarta Pusat",
        "Kel. Gambir, Kec. Gambir",
        "Jl. Medan Merdeka Selatan No. 8",
        "Jalan dan trotoar rusak",
        flat(slip.description),  # the full text
        NAME,
        "NIK " + NIK,
        "+62 812-3456-7890",
        EMAIL,
        "Diterima oleh Kantor Wali Kota Jakarta Pusat",
        "Nama petugas:",
        "Tanda tangan:",
        "Tanggal:",
        "Halaman 1 dari 1",
        "Pindai kode QR untuk memeriksa keaslian",
    ):
        assert expected in text, expected
    assert page_count(pdf) == 1


def test_office_copy_long_complaint_continues_on_more_a5_pages(slip: SlipData) -> None:
    words = [f"kata{i:04d}" for i in range(420)]  # ~4000 characters
    pdf = office_copy_pdf(replace(slip, description=" ".join(words)))
    pages = page_count(pdf)
    assert pages >= 2
    text = pdf_text(pdf)
    found = [word for word in text.split() if word.startswith("kata")]
    assert found == words  # every word, once, in order, across the pages
    assert f"Halaman {pages} dari {pages}" in text
    assert "(lanjutan)" in text


# The fullest header a desk prints: the training banner, a long officer title
# and a long location, as the kiosk's own data makes them.
FULL_HEADER = {
    "training": True,
    "officer_title": "Asisten Pemerintahan Sekretariat Kota Administrasi Jakarta Pusat",
    "location_text": (
        "Kel. Pulo Gebang, Kec. Cakung, Kota Administrasi Jakarta Timur — Jl. Raya Bekasi "
        "KM 18, depan pasar, dekat halte bus TransJakarta"
    ),
}
COMPLAINT_TEXT = (
    "Saluran air di depan pasar tersumbat sampah sejak dua minggu, banjir setiap hujan "
    "deras dan warga kesulitan lewat; mohon segera dibersihkan. "
)


@pytest.mark.parametrize("length", [150, 400, 600])
def test_office_copy_fits_one_a5_sheet_for_a_desk_complaint(slip: SlipData, length: int) -> None:
    """A 150-character complaint used to spill one line onto a second sheet."""
    text = (COMPLAINT_TEXT * 10)[:length]
    pdf = office_copy_pdf(replace(slip, description=text, **FULL_HEADER))
    assert page_count(pdf) == 1
    assert "Halaman 1 dari 1" in pdf_text(pdf)
    assert " ".join(text.split()[-3:]) in " ".join(pdf_text(pdf).split())


def test_the_longest_description_continues_cleanly_with_code_and_page_on_every_sheet(
    slip: SlipData,
) -> None:
    from posko.core.complaint_input import DESCRIPTION_MAX

    text = (COMPLAINT_TEXT * 40)[:DESCRIPTION_MAX]
    pdf = office_copy_pdf(replace(slip, description=text, **FULL_HEADER))
    reader = PdfReader(io.BytesIO(pdf))
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        shown = " ".join((page.extract_text() or "").split())
        assert slip.code in shown and f"Halaman {number} dari {total}" in shown
        assert "LATIHAN" in shown
        if number > 1:
            heading = "SALINAN UNTUK KANTOR WALI KOTA JAKARTA PUSAT"
            assert f"{heading} · {slip.code} (lanjutan)" in shown
    # No sheet carries a lone line of the complaint: the last one has several.
    last = (reader.pages[-1].extract_text() or "").splitlines()
    assert sum("Saluran" in line or "banjir" in line or "warga" in line for line in last) >= 2


def test_office_copy_on_the_roll(slip: SlipData) -> None:
    pdf = office_copy_pdf(slip, "roll80")
    assert page_count(pdf) == 1
    assert "SALINAN UNTUK KANTOR WALI KOTA JAKARTA PUSAT" in flat(pdf_text(pdf))
    assert read_qr(pdf) == [slip.qr_payload]


@pytest.mark.parametrize("width", [80, 58])
def test_qr_decodes_to_the_signed_payload(slip: SlipData, width: int) -> None:
    decoded = read_qr(citizen_slip_pdf(slip, width))
    assert decoded == [slip.qr_payload]
    parsed = parse_payload(decoded[0], SECRET)
    assert parsed is not None and parsed.genuine and parsed.code == CODE


def test_office_copy_qr_decodes(slip: SlipData) -> None:
    assert read_qr(office_copy_pdf(slip)) == [slip.qr_payload]


def test_training_mark_everywhere(slip: SlipData) -> None:
    training = replace(slip, training=True, description="\n\n".join([slip.description] * 14))
    citizen = pdf_text(citizen_slip_pdf(training))
    assert citizen.count("LATIHAN") >= 2  # a banner at the top and at the bottom
    office = office_copy_pdf(training)
    assert page_count(office) >= 2
    for page in PdfReader(io.BytesIO(office)).pages:
        assert "LATIHAN" in page.extract_text()
    assert "LATIHAN" in pdf_text(office_copy_pdf(training, "roll80"))


def test_byte_identical_for_the_same_input(slip: SlipData) -> None:
    assert citizen_slip_pdf(slip) == citizen_slip_pdf(slip)
    assert office_copy_pdf(slip) == office_copy_pdf(slip)


def test_page_height_grows_with_the_content(slip: SlipData) -> None:
    def height(pdf: bytes) -> float:
        return float(PdfReader(io.BytesIO(pdf)).pages[0].mediabox.height)

    short = citizen_slip_pdf(replace(slip, description="Lampu jalan mati."))
    long = citizen_slip_pdf(slip)
    assert height(short) < height(long)
    width = float(PdfReader(io.BytesIO(long)).pages[0].mediabox.width)
    assert abs(width - 80 * 72 / 25.4) < 0.01


@pytest.mark.parametrize(("width", "margin"), [(80, 4), (58, 5)])
def test_nothing_prints_outside_the_printable_width(width: int, margin: int) -> None:
    # Long unbroken words, a long name and a training banner: the worst case.
    slip = slip_for(
        training=True,
        destination_name="Kantor" + "W" * 80,
        description="X" * 300 + " https://example.com/" + "a/" * 60,
        officer_name="Prof. Dr. Ir. " + "Muhammad" * 10,
    )
    dpi = 203
    image = render(citizen_slip_pdf(slip, width), dpi=dpi)
    px = dpi / 25.4
    left, right = int(margin * px) - 1, int((width - margin) * px) + 2
    columns = (
        image.crop((0, 0, left, image.height)),
        image.crop((right, 0, image.width, image.height)),
    )
    for strip in columns:
        assert strip.getextrema()[0] >= 250, "ink outside the printable width"


@pytest.mark.parametrize(("width", "margin"), [(80, 4), (58, 5)])
def test_every_character_inside_the_printable_width(width: int, margin: int) -> None:
    """Also white text (the LATIHAN band), which pixels cannot show overflowing."""
    import pypdfium2 as pdfium

    slip = slip_for(training=True, confidential=True, officer_name="W" * 60)
    document = pdfium.PdfDocument(citizen_slip_pdf(slip, width))
    try:
        text = document[0].get_textpage()
        # 1 pt of slack: a glyph such as "J" overhangs its origin a little.
        left, right = margin * MM - 1, (width - margin) * MM + 1
        boxes = [text.get_charbox(i) for i in range(text.count_chars())]
        assert boxes
        for index, (x0, _, x1, _) in enumerate(boxes):
            if x1 > x0:  # spaces and line ends have empty boxes
                assert left <= x0 and x1 <= right, (index, x0, x1)
    finally:
        document.close()


@pytest.mark.parametrize("paper", ["80", "58", "a5", "roll80"])
def test_quiet_zone_is_clear(slip: SlipData, paper: str) -> None:
    """Four modules of white around the symbol, as ISO/IEC 18004 asks."""
    import zxingcpp

    from posko.printing.qr import QUIET_ZONE, make_qr

    roll = paper.isdigit()
    pdf = citizen_slip_pdf(slip, int(paper)) if roll else office_copy_pdf(slip, paper)  # type: ignore[arg-type]
    image = render(pdf, dpi=300)
    (found,) = zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)
    # zxing-cpp gives the outer corners of the symbol.
    position = found.position
    corners = [position.top_left, position.top_right, position.bottom_right, position.bottom_left]
    xs, ys = [p.x for p in corners], [p.y for p in corners]
    module = (max(xs) - min(xs)) / make_qr(slip.qr_payload).modules
    margin = QUIET_ZONE * module - 1.5  # less the pixels the corners may be off by
    # From just outside the symbol (antialiasing) to the end of the quiet zone.
    x0, y0, x1, y1 = min(xs) - 2, min(ys) - 2, max(xs) + 2, max(ys) + 2
    for band in (
        (x0 - margin, y0 - margin, x1 + margin, y0),  # above
        (x0 - margin, y1, x1 + margin, y1 + margin),  # below
        (x0 - margin, y0, x0, y1),  # left
        (x1, y0, x1 + margin, y1),  # right
    ):
        crop = image.crop(tuple(int(v) for v in band))
        assert crop.getextrema()[0] >= 200, (paper, band)


def test_renders_with_reportlabs_vera_too(slip: SlipData) -> None:
    import reportlab

    from posko.printing.fonts import load_fonts

    vera = load_fonts(Path(reportlab.__file__).parent / "fonts" / "Vera.ttf")
    weird = replace(
        slip, description="Jalan rusak — “parah” … مرحبا 😀 中文", reporter_name="Ñúñez"
    )
    pdf = citizen_slip_pdf(weird, fonts=vera)
    assert read_qr(pdf) == [slip.qr_payload]
    assert "Jalan rusak" in pdf_text(pdf)


def test_text_is_not_tiny(slip: SlipData) -> None:
    """Elderly citizens read this slip: no text under 9 pt on the roll."""
    import io
    import re

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(citizen_slip_pdf(slip))).pages[0]
    stream = page.get_contents().get_data()
    sizes = [float(s) for s in re.findall(rb"/F\d+\+?\d* ([\d.]+) Tf", stream)]
    assert sizes and min(sizes) >= 9


def test_missing_or_oversized_payload_still_prints_the_slip(slip: SlipData) -> None:
    from posko.printing.escpos import escpos_bytes

    for payload in ("", "x" * 5000):
        broken = replace(slip, qr_payload=payload)
        for pdf in (citizen_slip_pdf(broken), office_copy_pdf(broken)):
            text = flat(pdf_text(pdf))
            assert CODE in text and "kode QR tidak tersedia" in text
        assert b"kode QR tidak tersedia" in escpos_bytes(broken)


def test_a_page_break_leaves_no_line_of_a_paragraph_alone() -> None:
    """Two lines at least on each side of a break: one spilled line takes another along."""
    from posko.printing import content as c
    from posko.printing.fonts import load_fonts
    from posko.printing.layout import Row, _paginate, _Writer, page_geometry

    writer = _Writer(page_geometry(), load_fonts())
    rows = writer.field_rows(c.Field("Isi pengaduan", COMPLAINT_TEXT * 3, wide=True), 0, 300)
    label, lines = rows[0], [r for r in rows[1:] if not r.gap]
    assert len(lines) >= 5
    all_but_one = label.height + sum(r.height for r in lines[:-1]) + 0.01
    pages = _paginate(rows, all_but_one, 10_000)
    assert len(pages) == 2
    assert len([r for r in pages[1] if not r.gap]) == 2  # the last line did not go alone
    # Room for the label and one line below other rows: the label moves on with its lines.
    above = Row(50, lambda canvas, top: None)
    pages = _paginate([above, *rows], above.height + label.height + lines[0].height + 0.01, 10_000)
    assert pages[0] == [above] and pages[1][0] is label
