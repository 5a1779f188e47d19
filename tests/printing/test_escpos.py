"""The slip as ESC/POS bytes, captured from python-escpos's dummy printer."""

from __future__ import annotations

from dataclasses import replace

import pytest
from escpos.printer import Dummy

from posko.core.signing import signature
from posko.printing.escpos import escpos_bytes, render_escpos, to_ascii
from posko.printing.slip_data import SlipData

from .helpers import CODE, NAME, NIK, PHONE, SECRET

QR_STORE = b"\x1d(k"  # GS ( k: the 2D code commands


@pytest.mark.parametrize("width", [80, 58])
def test_native_qr_and_code(slip: SlipData, width: int) -> None:
    printer = Dummy()
    render_escpos(slip, printer, width_mm=width)
    data = printer.output
    assert QR_STORE in data
    # fn 80 ("P"): store the payload; fn 81 ("Q"): print it.
    payload = slip.qr_payload.encode("ascii")
    store = QR_STORE + (len(payload) + 3).to_bytes(2, "little") + b"1P0" + payload
    assert store in data
    assert QR_STORE + b"\x03\x001Q0" in data
    assert b"\x1b(k" not in data
    assert CODE.encode() in data
    # The verification code, grouped to be read aloud: the signature of the code.
    grouped = "-".join(signature(CODE, SECRET)[i : i + 4] for i in (0, 4, 8)).upper()
    assert b"Kode verifikasi" in data and grouped.encode() in data
    assert b"TANDA TERIMA PENGADUAN" in data
    assert data.endswith(b"\x1dV\x00")  # GS V 0: feed past the cutter, cut


def test_masked_identity(slip: SlipData) -> None:
    data = escpos_bytes(slip)
    assert b"3171********0001" in data and b"+62 812-****-7890" in data and b"B. S." in data
    for secret in (NAME, NIK, PHONE):
        assert secret.encode() not in data


def test_text_cannot_inject_printer_commands(slip: SlipData) -> None:
    hostile = replace(slip, description="a\x1b@b\x1dV\x00c\x1b(k d", officer_name="Ö\x1bE\x01")
    data = escpos_bytes(hostile)
    summary = data[data.index(b"Ringkasan pengaduan") :]
    summary = summary[: summary.index(b"Kantor tujuan")]
    assert b"a?@b" in summary and b"\x1b@b" not in summary and b"\x1dV\x00c" not in summary


def test_training_banner(slip: SlipData) -> None:
    assert escpos_bytes(replace(slip, training=True)).count(b"LATIHAN") >= 2


def test_office_copy(slip: SlipData) -> None:
    data = escpos_bytes(replace(slip, confidential=True), copy="office")
    assert b"SALINAN UNTUK KANTOR WALI KOTA JAKARTA PUSAT" in data and QR_STORE in data
    assert b"Identitas pelapor dirahasiakan" in data
    assert NIK.encode() not in data and b"3171" not in data


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Éloïse Ñúñez — “kafe”…", 'Eloise Nunez - "kafe"...'),
        ("مرحبا 😀 中文", "? ? ?"),
        ("a\u200db\u202ec", "abc"),
        ("tab\there", "tab here"),
    ],
)
def test_to_ascii(text: str, expected: str) -> None:
    assert to_ascii(text) == expected
