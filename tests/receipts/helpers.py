"""A complaint taken at the desk, and reading slips and jobs as a person would."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any

from sqlalchemy import text

from posko.services import intake
from posko.store.db import new_session

NOW = "2026-12-01T08:20:00+07:00"  # inside Tuesday's session, after the intake
NIK = "3171014506800002"
MASKED_NIK = "3171********0002"
MASKED_PHONE = "+62 812-****-7890"
NAME = "Sari Wulandari"


def complaint_data(**reporter: Any) -> dict[str, Any]:
    who = {"name": NAME, "nik": NIK, "phone": "0812-3456-7890", **reporter}
    return {
        "reporter": who,
        "category": "banjir",
        "description": "Saluran air di Cideng tersumbat, banjir setiap hujan deras.",
        "location": {
            "kota": "31.71",
            "kecamatan": "31.71.01",
            "kelurahan": "31.71.01.1002",
            "address": "Jl. Cideng Barat 12",
        },
    }


def take(db, clock, policy, **reporter: Any):  # type: ignore[no-untyped-def]
    """A complaint through the intake service, by JP-AS1 on duty at 08:15 WIB."""
    with new_session(db.engine) as session:
        done = intake.take_complaint(
            session, clock, policy, officer_id="JP-AS1", data=complaint_data(**reporter)
        )
    return done.complaint


def pdf_text(path: Path) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(path.read_bytes()))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def read_qr(path: Path) -> list[str]:
    import pypdfium2 as pdfium
    import zxingcpp

    document = pdfium.PdfDocument(path.read_bytes())
    try:
        image = document[0].render(scale=150 / 72, grayscale=True).to_pil()
    finally:
        document.close()
    return [r.text for r in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def jobs(db, code: str) -> list[tuple[str, str, int, str | None]]:  # type: ignore[no-untyped-def]
    """(copy, state, attempts, last_error) of a complaint's print jobs, oldest first."""
    with db.engine.connect() as conn:
        return [
            tuple(r)
            for r in conn.execute(
                text(
                    "SELECT j.copy_kind, j.state, j.attempts, j.last_error FROM print_job j "
                    "JOIN complaint c ON c.id = j.complaint_id WHERE c.code = :code "
                    "ORDER BY j.id"
                ),
                {"code": code},
            )
        ]


def audit_actions(db, code: str) -> list[str]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return list(
            conn.execute(
                text(
                    "SELECT action FROM audit_event WHERE subject = :code "
                    "AND action LIKE 'slip.%' ORDER BY id"
                ),
                {"code": code},
            ).scalars()
        )


def fake_lp(folder: Path, exit_code: int) -> dict[str, str]:
    """A CUPS `lp` on PATH that refuses every job (exit 1) or accepts it (exit 0)."""
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "lp"
    script.write_text(
        f"#!/bin/sh\ncat >/dev/null\necho 'lp: printer kasir is on fire' >&2\nexit {exit_code}\n"
    )
    script.chmod(0o755)
    return {"PATH": f"{folder}{os.pathsep}{os.environ['PATH']}"}
