"""Rendering one citizen slip with its QR, against a bare reportlab page."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from common import Row, summary, timed

TARGET_RATIO = 1.5


def _slip(code: str):  # type: ignore[no-untyped-def]
    from posko.printing.slip_data import SlipData

    return SlipData(
        code=code,
        queue_number=12,
        taken_at=datetime(2026, 12, 1, 1, 15, tzinfo=UTC),
        site_name="Posko Pengaduan Balai Kota DKI Jakarta",
        desk_name="Meja Jakarta Pusat",
        category_name="Banjir dan saluran air",
        description="Saluran air di depan rumah tersumbat sejak seminggu, banjir setiap hujan. "
        "Air masuk ke rumah warga setinggi 30 cm; mohon segera ditindaklanjuti.",
        location_text="Kel. Cideng, Kec. Gambir, Kota Administrasi Jakarta Pusat - Jl. Cideng 12",
        destination_name="Kantor Wali Kota Jakarta Pusat",
        officer_name="Budi Santoso",
        officer_title="Asisten Pemerintahan Sekretariat Kota Administrasi Jakarta Pusat",
        next_step=(
            "Akan diteruskan ke Kantor Wali Kota Jakarta Pusat; penerimaan dikonfirmasi "
            "paling lambat"
        ),
        next_deadline=datetime(2026, 12, 3).date(),
        reporter_name="Siti Rahma",
        reporter_nik="3171014501800002",
        reporter_phone="+6281234567890",
        reporter_email=None,
        anonymous=False,
        confidential=False,
        qr_payload=f"https://posko.jakarta.go.id/s/{code}?t=1764551700&s=4f2a9c0d1e7b3a5c",
        verification="4f2a9c0d1e7b",
        training=False,
    )


def _codes():  # type: ignore[no-untyped-def]
    """A new code (so a new QR) for every slip: real slips never repeat."""
    from posko.core.tracking import new_code

    while True:
        yield new_code("PKB")


def _slip_lines(pdf: bytes) -> list[str]:
    from pypdf import PdfReader

    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    return [line for line in text.splitlines() if line.strip()]


def bare_page(lines: list[str], payload: str, height: float) -> bytes:
    """The floor: the slip's text lines and its QR from qrcode's matrix as one path."""
    import qrcode
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas

    buffer = io.BytesIO()
    page = canvas.Canvas(buffer, pagesize=(80 * mm, height), invariant=1)
    page.setFont("Helvetica", 9)
    y = height - 10 * mm
    for line in lines:
        page.drawString(4 * mm, y, line)
        y -= 11
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=0)
    code.add_data(payload)
    code.make(fit=True)
    module = 0.5 * mm
    path = page.beginPath()
    for row, cells in enumerate(code.get_matrix()):
        for column, dark in enumerate(cells):
            if dark:
                path.rect(20 * mm + column * module, 5 * mm + row * module, module, module)
    page.drawPath(path, stroke=0, fill=1)
    page.showPage()
    page.save()
    return buffer.getvalue()


def run(repeat: int, _folder: Path) -> list[Row]:
    try:
        from posko.printing.layout import citizen_slip_pdf
    except ImportError as error:
        return [Row("citizen slip PDF with QR", "ms", None, None, "-", None,
                    f"<= {TARGET_RATIO}x", None, f"no layout yet ({error})")]  # fmt: skip
    from pypdf import PdfReader
    from reportlab.lib.units import mm

    codes = _codes()
    sample = citizen_slip_pdf(_slip(next(codes)))
    lines = _slip_lines(sample)
    height = float(PdfReader(io.BytesIO(sample)).pages[0].mediabox.height) or 200 * mm
    slips = timed(lambda: citizen_slip_pdf(_slip(next(codes))), repeat)
    floors = timed(lambda: bare_page(lines, _slip(next(codes)).qr_payload, height), repeat)
    median, p95 = summary(slips)
    floor = summary(floors)[0]
    passed = median <= TARGET_RATIO * floor
    return [
        Row(
            "citizen slip PDF with QR (80 mm)",
            "ms",
            median,
            p95,
            "bare reportlab page, same text + QR path",
            floor,
            f"<= {TARGET_RATIO}x",
            passed,
            "" if passed else "wrapping, fonts (DejaVu TTF subsetting), masking, layout passes",
        )
    ]
