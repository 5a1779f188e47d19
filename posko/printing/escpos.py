"""The slips as ESC/POS commands, for thermal printers driven directly.

Same blocks as the PDF (content.py), drawn with the printer's own fonts; the
QR code is encoded by the printer itself (`GS ( k`), which prints crisper
than any image we could send. Text is reduced to printable ASCII first: the
printer's code page cannot show Arabic or emoji, and a control byte from a
citizen's text must never reach the printer as a command (ESC, GS, a cut).
"""

from __future__ import annotations

import textwrap
import unicodedata
from typing import TYPE_CHECKING

from posko.printing import content as c
from posko.printing.qr import QUIET_ZONE, QrError, make_qr
from posko.printing.slip_data import Copy, SlipData
from posko.printing.ticket import TicketData, ticket_blocks

if TYPE_CHECKING:
    from escpos.escpos import Escpos

# Font A is 12 dots wide: 576 printable dots on 80 mm paper, 384 on 58 mm.
COLUMNS = {80: 48, 58: 32}
PRINTABLE_DOTS = {80: 576, 58: 384}
QR_TARGET_DOTS = {80: 240, 58: 208}  # 30 mm and 26 mm, as on the PDF slip
_ASCII = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2022": "*",
        "\u00b7": ".",
        "\u00d7": "x",
        "\u00b0": "o",
        "\u00df": "ss",
        "\u00e6": "ae",
        "\u00c6": "AE",
        "\u00f8": "o",
        "\u00d8": "O",
        "\u0111": "d",
        "\u0110": "D",
        "\u0142": "l",
        "\u0141": "L",
        "\u20ac": "EUR",
    }
)


def to_ascii(text: str) -> str:
    """Transliterate to printable ASCII: accents dropped (é -> e), dashes and
    quotes simplified, anything else a visible "?" (one per run)."""
    out: list[str] = []
    for char in unicodedata.normalize("NFKD", text.translate(_ASCII)).translate(_ASCII):
        category = unicodedata.category(char)
        if char == "\n":
            out.append("\n")
        elif char.isspace():
            out.append(" ")
        elif " " <= char <= "~":
            out.append(char)
        elif category in ("Mn", "Me", "Mc", "Cf") or 0xFE00 <= ord(char) <= 0xFE0F:
            continue  # accents after NFKD, zero-width joiners, bidi controls
        elif not out or out[-1] != "?":
            out.append("?")
    return "".join(out)


class _Slip:
    def __init__(self, printer: Escpos, width_mm: int) -> None:
        if width_mm not in COLUMNS:
            raise ValueError("paper width must be 80 or 58 mm")
        self.p = printer
        self.width_mm = width_mm
        self.columns = COLUMNS[width_mm]

    def lines(self, text: str, columns: int | None = None) -> list[str]:
        width = columns or self.columns
        out: list[str] = []
        for paragraph in to_ascii(text).split("\n"):
            wrapped = textwrap.wrap(" ".join(paragraph.split()), width, break_on_hyphens=False)
            out.extend(wrapped or [""])
        while out and not out[-1]:
            out.pop()
        return out

    def write(
        self, text: str, *, align: str = "left", bold: bool = False, big: bool = False
    ) -> None:
        columns = self.columns // 2 if big else self.columns
        self.p.set(
            align=align,
            bold=bold,
            double_width=big,
            double_height=big,
            normal_textsize=not big,
        )
        for line in self.lines(text, columns):
            self.p.text(line + "\n")

    def reset(self) -> None:
        self.p.set(align="left", bold=False, normal_textsize=True, invert=False)

    def banner(self) -> None:
        self.p.set(align="center", bold=True, double_width=True, double_height=True, invert=True)
        self.p.text(f" {c.LATIHAN} \n")
        self.p.set(normal_textsize=True, invert=True)
        self.p.text(f" {to_ascii(c.LATIHAN_NOTE)} \n")
        self.reset()
        self.p.text("\n")

    def qr(self, qr: c.Qr) -> None:
        try:
            symbol = make_qr(qr.payload)
        except QrError:
            self.write("(kode QR tidak tersedia)", align="center")
            return
        # The printer picks the QR version itself from the same data and the
        # same level, so our symbol tells how many modules it will have.
        fit = PRINTABLE_DOTS[self.width_mm] // (symbol.modules + 2 * QUIET_ZONE)
        dots = max(3, min(8, QR_TARGET_DOTS[self.width_mm] // symbol.modules, fit))
        from escpos.constants import QR_ECLEVEL_M

        self.p.set(align="center")
        self.p.text("\n")
        # python-escpos cannot centre a native QR; ESC a (alignment) does on
        # the printers we target. ASCII payload: it is our own URL.
        self.p.qr(to_ascii(qr.payload), ec=QR_ECLEVEL_M, size=dots, native=True)
        self.p.text("\n")
        self.write(qr.caption, align="center", bold=True)
        self.reset()

    def block(self, block: c.Block) -> None:
        match block:
            case c.Text(text, style, align):
                bold = style in ("province", "desk", "title", "strong", "big", "closing")
                big = style in ("title", "big") and all(
                    len(line) * 2 <= self.columns for line in self.lines(text)
                )
                self.write(text, align=align, bold=bold, big=big)
            case c.Field(label, value, strong):
                self.write(label, bold=True)
                self.write(value if value.strip() else "-", bold=strong)
                self.p.text("\n")
            case c.TrackingCode(label, code):
                self.write(label, align="center")
                big = len(code) * 2 <= self.columns
                self.write(code, align="center", bold=True, big=big)
                self.reset()
            case c.QueueNumber(number, mark):
                # 4x the font: the largest the printers we target print crisply.
                self.p.set(align="center", bold=True, custom_size=True, width=4, height=4)
                self.p.text(to_ascii(number) + "\n")
                if mark is not None:
                    self.p.set(align="center", bold=True, double_width=True, invert=True)
                    self.p.text(f" {to_ascii(mark)} \n")
            case c.Rule():
                self.reset()
                self.p.text("-" * self.columns + "\n")
            case c.Space():
                self.p.text("\n")
            case c.Qr():
                self.qr(block)
            case c.FieldsWithQr(fields, qr):
                for field in fields:
                    self.block(field)
                self.qr(qr)
            case c.SignatureBox(title, labels):
                self.p.text("=" * self.columns + "\n")
                self.write(title, bold=True)
                for label in labels:
                    self.p.text("\n")
                    if "tangan" in label.lower():
                        self.p.text("\n\n")
                    text = to_ascii(label)[: self.columns - 6] + ": "
                    self.p.text(text + "_" * (self.columns - len(text)) + "\n")
                self.p.text("=" * self.columns + "\n")
        self.reset()


def render_blocks(
    blocks: list[c.Block], printer: Escpos, *, training: bool, width_mm: int = 80
) -> None:
    """Send one document's blocks to any python-escpos printer (Network, Usb, Dummy…)."""
    writer = _Slip(printer, width_mm)
    printer.hw("INIT")
    writer.reset()
    if training:
        writer.banner()
    for block in blocks:
        writer.block(block)
    if training:
        printer.text("\n")
        writer.banner()
    printer.text("\n\n")
    printer.cut()


def render_escpos(
    slip: SlipData, printer: Escpos, *, copy: Copy = "citizen", width_mm: int = 80
) -> None:
    """Send one slip to any python-escpos printer."""
    blocks = c.citizen_blocks(slip) if copy == "citizen" else c.office_blocks(slip)
    render_blocks(blocks, printer, training=slip.training, width_mm=width_mm)


def render_ticket(ticket: TicketData, printer: Escpos, *, width_mm: int = 80) -> None:
    """Send one queue ticket to any python-escpos printer."""
    render_blocks(ticket_blocks(ticket), printer, training=ticket.training, width_mm=width_mm)


def escpos_bytes(slip: SlipData, *, copy: Copy = "citizen", width_mm: int = 80) -> bytes:
    """The ESC/POS byte stream of a slip, e.g. for `posko receipt --format escpos`."""
    from escpos.printer import Dummy

    dummy = Dummy()
    render_escpos(slip, dummy, copy=copy, width_mm=width_mm)
    return dummy.output


def ticket_escpos_bytes(ticket: TicketData, *, width_mm: int = 80) -> bytes:
    """The ESC/POS byte stream of a queue ticket."""
    from escpos.printer import Dummy

    dummy = Dummy()
    render_ticket(ticket, dummy, width_mm=width_mm)
    return dummy.output
