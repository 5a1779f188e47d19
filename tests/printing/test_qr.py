"""QR codes: vectors on the printer's dot grid, quiet zone kept, level M or better."""

from __future__ import annotations

import io
import re

import pytest
from reportlab.pdfgen.canvas import Canvas

from posko.printing.qr import DOT, QUIET_ZONE, QrError, draw_qr, fit_module, make_qr

from .helpers import decode_qr, render

PAYLOAD = "https://pengaduan.jakarta.go.id/lacak/PKB-7K3Q-X9MD?s=abcdefghijkl"


def test_module_is_whole_dots() -> None:
    symbol = make_qr(PAYLOAD)
    module = fit_module(symbol, target=30 * 72 / 25.4, available=72 * 72 / 25.4)
    dots = module / DOT
    assert abs(dots - round(dots)) < 1e-9 and round(dots) >= 3
    side = (symbol.modules + 2 * QUIET_ZONE) * module
    assert side <= 72 * 72 / 25.4


def test_drawn_as_one_vector_path_that_decodes() -> None:
    symbol = make_qr(PAYLOAD)
    module = 4 * DOT
    side = (symbol.modules + 2 * QUIET_ZONE) * module
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(side, side), invariant=1, pageCompression=0)
    draw_qr(canvas, symbol, QUIET_ZONE * module, QUIET_ZONE * module, module)
    canvas.save()
    pdf = buffer.getvalue()
    assert b"/Subtype /Image" not in pdf and b"/XObject" not in pdf  # not a raster
    stream = pdf[pdf.index(b"stream") : pdf.index(b"endstream")]
    assert len(re.findall(rb" re\b", stream)) > 50
    assert len(re.findall(rb"\bf\*?\n", stream)) == 1  # one fill: one path
    assert decode_qr(render(pdf, dpi=300)) == [PAYLOAD]


def test_levels() -> None:
    assert make_qr(PAYLOAD, "H").modules > make_qr(PAYLOAD, "M").modules
    with pytest.raises(ValueError):
        make_qr(PAYLOAD, "L")


def test_unencodable_payload() -> None:
    with pytest.raises(QrError):
        make_qr("")
    with pytest.raises(QrError):
        make_qr("x" * 5000)
