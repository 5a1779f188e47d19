"""The slips as a person sees them: their text, their QR, where they print."""

from __future__ import annotations

import io
from dataclasses import replace

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
        "Kantor Walikota Jakarta Pusat",
        "Dewi Lubis",
        "Kepala Bagian Pemerintahan Setko",
        "dikonfirmasi paling lambat Kamis, 3 Desember 2026.",
        "Layanan LAPOR! 1708",
        "pengaduan.jakarta.go.id/lacak",
        "B. S.",
        "NIK 3171********0001",
        "Telp. +62 812-****-7890",
        "Surel b***@gmail.com",
    ):
        assert expected in flat(text), expected
    assert "LATIHAN" not in text


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
    summary = text.split("Ringkasan pengaduan ")[1].split(" Diteruskan ke")[0]
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
    assert "dirahasiakan dari kantor wilayah" in citizen
    office = flat(pdf_text(office_copy_pdf(confidential)))
    assert "Identitas pelapor dirahasiakan" in office
    for secret in (NAME, "B. S.", NIK, "3171", PHONE, "812", EMAIL, "b***", "081234567890"):
        assert secret not in office, secret
    assert "Saya [dirahasiakan], bisa dihubungi di [dirahasiakan]." in office


def test_office_copy_fields(slip: SlipData) -> None:
    pdf = office_copy_pdf(slip)
    text = flat(pdf_text(pdf))
    for expected in (
        "LEMBAR UNTUK WILAYAH",
        CODE,
        "Kantor Walikota Jakarta Pusat",
        "Kel. Gambir, Kec. Gambir",
        "Jl. Medan Merdeka Selatan No. 8",
        "Jalan dan trotoar rusak",
        flat(slip.description),  # the full text
        NAME,
        "NIK " + NIK,
        "+62 812-3456-7890",
        EMAIL,
        "Diterima oleh kantor wilayah",
        "Nama petugas:",
        "Tanda tangan:",
        "Tanggal:",
        "Halaman 1 dari 1",
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


def test_office_copy_on_the_roll(slip: SlipData) -> None:
    pdf = office_copy_pdf(slip, "roll80")
    assert page_count(pdf) == 1
    assert "LEMBAR UNTUK WILAYAH" in pdf_text(pdf)
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


def test_text_is_not_tiny(slip: SlipData) -> None:
    """Elderly citizens read this slip: no text under 9 pt on the roll."""
    import io
    import re

    from pypdf import PdfReader

    page = PdfReader(io.BytesIO(citizen_slip_pdf(slip))).pages[0]
    stream = page.get_contents().get_data()
    sizes = [float(s) for s in re.findall(rb"/F\d+\+?\d* ([\d.]+) Tf", stream)]
    assert sizes and min(sizes) >= 9
