"""QR codes drawn as vectors, sized for a 203 dpi thermal head.

A raster QR scaled into a PDF gets resampled twice (by the viewer or CUPS,
then by the printer) and comes out with uneven modules that phones misread.
We draw the modules as one filled path instead, each module a whole number
of printer dots (0.125 mm at 8 dots/mm, "203 dpi"), at a position that falls
on the dot grid, so the head prints every module the same width.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    # Only for the hint: the ESC/POS path uses make_qr without paying for reportlab.
    from reportlab.pdfgen.canvas import Canvas

mm = 72 / 25.4  # points per millimetre, as reportlab.lib.units.mm
DOT_MM = 0.125  # one dot of an 8 dots/mm (203 dpi) thermal printer
DOT = DOT_MM * mm  # in points
QUIET_ZONE = 4  # modules of white around the symbol, as ISO/IEC 18004 asks
MIN_DOTS = 3  # below 3 dots per module thermal bleed closes the gaps


class QrError(ValueError):
    """The payload cannot be encoded (too long for any QR version)."""


@dataclass(frozen=True)
class QrSymbol:
    payload: str
    version: int
    rows: tuple[tuple[bool, ...], ...]  # dark modules, without the quiet zone

    @property
    def modules(self) -> int:
        return len(self.rows)


@functools.lru_cache(maxsize=64)
def make_qr(payload: str, level: str = "M") -> QrSymbol:
    """Encode a payload; error correction M (15 %) or better (Q, H).

    Cached: a slip, its office copy and a reprint encode the same payload,
    and choosing the mask costs a few milliseconds each time.
    """
    # qrcode (with its PIL-free core) costs ~15 ms to import; only slips need it.
    import qrcode
    from qrcode.exceptions import DataOverflowError

    levels = {
        "M": qrcode.constants.ERROR_CORRECT_M,
        "Q": qrcode.constants.ERROR_CORRECT_Q,
        "H": qrcode.constants.ERROR_CORRECT_H,
    }
    if level not in levels:
        raise ValueError("QR error correction must be M, Q or H")
    if not payload:
        raise QrError("empty QR payload")
    code = qrcode.QRCode(error_correction=levels[level], border=0)
    try:
        code.add_data(payload)
        code.make(fit=True)
    except (DataOverflowError, ValueError) as error:  # qrcode 8 says ValueError past v40
        raise QrError(f"QR payload too long ({len(payload)} characters)") from error
    rows = tuple(tuple(bool(cell) for cell in row) for row in code.get_matrix())
    return QrSymbol(payload=payload, version=code.version or 0, rows=rows)


def snap(value: float) -> float:
    """Round a length in points down to whole printer dots."""
    return int(value / DOT + 1e-6) * DOT


def module_size(symbol: QrSymbol, target: float, min_dots: int = MIN_DOTS) -> float:
    """The largest whole-dot module for which the symbol fits in `target` points.

    `target` is the side of the symbol itself; the quiet zone is extra.
    """
    dots = max(min_dots, int(target / (symbol.modules * DOT) + 1e-6))
    return dots * DOT


def fit_module(symbol: QrSymbol, target: float, available: float) -> float:
    """A whole-dot module: the symbol near `target`, symbol and quiet zone
    within `available` (the width of the column it sits in)."""
    by_target = int(target / (symbol.modules * DOT) + 1e-6)
    by_space = int(available / ((symbol.modules + 2 * QUIET_ZONE) * DOT) + 1e-6)
    return max(MIN_DOTS, min(by_target, by_space)) * DOT


def side_with_quiet_zone(symbol: QrSymbol, module: float) -> float:
    return (symbol.modules + 2 * QUIET_ZONE) * module


def draw_qr(canvas: Canvas, symbol: QrSymbol, x: float, y: float, module: float) -> None:
    """Draw the symbol with its lower-left corner at (x, y), in one filled path.

    The caller keeps QUIET_ZONE modules clear around it. The path is written
    in module units under a scaling transform: whole numbers only, so the
    content stream is small and exact. Runs of dark modules in a row become
    one rectangle: the same picture with far fewer operators, and no hairline
    seams between neighbours in a viewer.
    """
    x, y = snap(x), snap(y)
    size = symbol.modules
    ops: list[str] = []
    for row_index, row in enumerate(symbol.rows):
        row_y = size - row_index - 1
        start = None
        for column, dark in enumerate((*row, False)):
            if dark and start is None:
                start = column
            elif not dark and start is not None:
                ops.append(f"{start} {row_y} {column - start} 1 re")
                start = None
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    canvas.transform(module, 0, 0, module, x, y)
    # One path, one fill: reportlab's path API would format ~400 floats one
    # by one, a third of the slip's render time without its C accelerator.
    canvas.addLiteral("\n".join(ops) + "\nf")
    canvas.restoreState()
