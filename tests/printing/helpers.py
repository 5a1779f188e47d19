"""Helpers of the printing tests: a realistic slip and PDF readers.

Readers work as a person would: pypdf for the text, pypdfium2 to render the
page to pixels, zxing-cpp to decode the QR from those pixels.
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any

from posko.core.signing import DEFAULT_TEMPLATE, build_payload, signature
from posko.printing.slip_data import SlipData

SECRET = b"posko-test-secret-0123456789abcdef"
CODE = "PKB-7K3Q-X9MD"
NIK = "3171234567890001"
PHONE = "+6281234567890"
EMAIL = "budi.santoso@gmail.com"
NAME = "Budi Santoso"
DESCRIPTION = (
    "Jalan di depan SDN Gambir 03 berlubang besar sejak bulan lalu dan sudah dua kali "
    "menyebabkan pengendara motor jatuh, terutama saat hujan karena lubang tertutup "
    "genangan air. Mohon segera ditambal dan diberi rambu peringatan sementara. Warga "
    "sekitar sudah memasang ban bekas sebagai tanda.\n\n"
    "Saya Budi Santoso, bisa dihubungi di 081234567890."
)


def slip_for(code: str = CODE, **overrides: Any) -> SlipData:
    values: dict[str, Any] = {
        "code": code,
        "queue_number": 17,
        "taken_at": datetime(2026, 12, 1, 1, 15, tzinfo=UTC),  # 08.15 WIB, a Tuesday
        "site_name": "Posko Pengaduan Balai Kota DKI Jakarta",
        "desk_name": "Meja Jakarta Pusat",
        "category_name": "Jalan dan trotoar rusak",
        "description": DESCRIPTION,
        "location_text": (
            "Kel. Gambir, Kec. Gambir, Kota Administrasi Jakarta Pusat — "
            "Jl. Medan Merdeka Selatan No. 8"
        ),
        "destination_name": "Kantor Wali Kota Jakarta Pusat",
        "officer_name": "Dewi Lubis",
        "officer_title": "Kepala Bagian Pemerintahan Sekretariat Kota Administrasi Jakarta Pusat",
        "next_step": (
            "Akan diteruskan ke Kantor Wali Kota Jakarta Pusat; "
            "penerimaan dikonfirmasi paling lambat"
        ),
        "next_deadline": date(2026, 12, 3),
        "reporter_name": NAME,
        "reporter_nik": NIK,
        "reporter_phone": PHONE,
        "reporter_email": EMAIL,
        "anonymous": False,
        "confidential": False,
        "qr_payload": build_payload(DEFAULT_TEMPLATE, code, SECRET),
        "verification": signature(code, SECRET),
        "training": False,
    }
    values.update(overrides)
    return SlipData(**values)


def anonymous(slip: SlipData) -> SlipData:
    return replace(
        slip,
        anonymous=True,
        reporter_name=None,
        reporter_nik=None,
        reporter_phone=None,
        reporter_email=None,
    )


def pdf_text(pdf: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(pdf))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def render(pdf: bytes, page: int = 0, dpi: float = 150) -> Any:
    """One page as a greyscale PIL image."""
    import pypdfium2 as pdfium

    document = pdfium.PdfDocument(pdf)
    try:
        return document[page].render(scale=dpi / 72, grayscale=True).to_pil()
    finally:
        document.close()


def decode_qr(image: Any) -> list[str]:
    import zxingcpp

    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def read_qr(pdf: bytes, page: int = 0) -> list[str]:
    return decode_qr(render(pdf, page))
