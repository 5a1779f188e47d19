"""The README's pictures are made by the test suite and kept current by it.

Each test makes its picture the way the project makes it (the kiosk's
snapshot test, a slip rendered by the printing layout) and compares it with
the one in docs/img; when they differ, the test writes the new picture and
fails, so the change is seen and committed with the code that made it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from posko.core.signing import build_payload, signature
from posko.printing.layout import citizen_slip_pdf
from posko.printing.slip_data import SlipData

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "img"
# The intake screen at 120x40 in Indonesian, as the snapshot test keeps it.
KIOSK_SNAPSHOT = ROOT / "tests/tui/__snapshots__/test_snapshots/test_intake[120x40-id].svg"
SECRET = b"readme-picture-secret-not-a-real-one"
CODE = "PKB-7K3Q-X9MD"


def _refresh(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    pytest.fail(f"{path.relative_to(ROOT)} was out of date and is rewritten; commit it")


def test_the_kiosk_picture_is_the_snapshot_of_the_intake_screen():
    snapshot = KIOSK_SNAPSHOT.read_bytes()
    picture = IMAGES / "kiosk.svg"
    if not picture.exists() or picture.read_bytes() != snapshot:
        _refresh(picture, snapshot)


def readme_slip() -> SlipData:
    return SlipData(
        code=CODE,
        queue_number=17,
        taken_at=datetime(2026, 12, 1, 1, 15, tzinfo=UTC),  # Selasa 08.15 WIB
        site_name="Posko Pengaduan Balai Kota DKI Jakarta",
        desk_name="Meja Jakarta Pusat",
        category_name="Jalan dan trotoar rusak",
        description=(
            "Jalan di depan SDN Gambir 03 berlubang besar sejak bulan lalu; dua pengendara "
            "motor sudah jatuh. Mohon segera ditambal dan diberi rambu sementara."
        ),
        location_text=(
            "Kel. Gambir, Kec. Gambir, Kota Administrasi Jakarta Pusat — "
            "Jl. Medan Merdeka Selatan No. 8"
        ),
        destination_name="Kantor Wali Kota Jakarta Pusat",
        officer_name="Dewi Lubis",
        officer_title="Kepala Bagian Pemerintahan Sekretariat Kota Administrasi Jakarta Pusat",
        next_step=(
            "Akan diteruskan ke Kantor Wali Kota Jakarta Pusat; penerimaan dikonfirmasi "
            "paling lambat"
        ),
        next_deadline=date(2026, 12, 3),
        reporter_name="Budi Santoso",
        reporter_nik="3171234567890001",
        reporter_phone="+6281234567890",
        reporter_email=None,
        anonymous=False,
        confidential=False,
        qr_payload=build_payload("https://posko.example/lacak/{code}?s={sig}", CODE, SECRET),
        verification=signature(CODE, SECRET),
        training=True,
    )


def test_the_slip_picture_is_the_rendered_citizen_slip():
    import pypdfium2 as pdfium
    from PIL import Image, ImageChops

    document = pdfium.PdfDocument(citizen_slip_pdf(readme_slip()))
    try:
        image = document[0].render(scale=2, grayscale=True).to_pil().convert("L")
    finally:
        document.close()
    picture = IMAGES / "slip.png"
    if picture.exists():
        with Image.open(picture) as old:
            same = (
                old.size == image.size
                and not ImageChops.difference(old.convert("L"), image)
                .point(lambda v: 255 if v > 64 else 0)
                .getbbox()
            )
        if same:  # equal but for anti-aliasing
            return
    import io

    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    _refresh(picture, buffer.getvalue())
