"""PDF layouts of the slips (reportlab): the citizen's roll slip and the office copy.

Every layout is measured before it is drawn: the content becomes a list of
rows of known height, a roll page is exactly as tall as its rows, and an A5
copy is paginated row by row (a long complaint continues on the next page).
`invariant=1` makes the output byte-identical for the same input, so slips
can be compared with golden files and reprints are exact copies.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Literal

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas

from posko.printing import content as c
from posko.printing.fonts import FontFace, FontSet, load_fonts, printable, visual_order
from posko.printing.qr import (
    QUIET_ZONE,
    QrError,
    QrSymbol,
    draw_qr,
    fit_module,
    make_qr,
    side_with_quiet_zone,
    snap,
)
from posko.printing.slip_data import SlipData
from posko.printing.ticket import TicketData, ticket_blocks

Paper = Literal["a5", "roll80"]
Draw = Callable[[Canvas, float], None]  # draws a row whose top edge is at y

ASCENT = 0.95  # baseline below the top of a line, in font sizes


@dataclass(frozen=True)
class Geometry:
    page_width: float
    page_height: float | None  # None: a roll, as tall as its content
    left: float
    width: float  # printable content width
    top: float
    bottom: float
    sizes: dict[str, float]
    qr_target: float  # side of the QR symbol to aim for (quiet zone extra)
    table: bool  # fields as label | value columns (pages) or stacked (rolls)
    label_width: float = 0.0
    leading: float = 1.25  # line height / font size; roomy on rolls, for elderly readers


_ROLL_SIZES = {
    "province": 10.5,
    "site": 10.0,
    "desk": 11.0,
    "title": 13.0,
    "big": 14.0,
    "body": 10.5,
    "strong": 10.5,
    "small": 9.5,
    "closing": 10.5,
    "label": 9.5,
    "code_label": 9.5,
    "code": 24.0,
    "banner": 22.0,
    "banner_note": 9.0,
    "number": 80.0,  # a queue ticket's number
}
_BOLD = frozenset(
    {"province", "desk", "title", "big", "strong", "closing", "label", "banner", "code_label"}
)
# Headings that may shrink to this size (points) to stay on one line.
_HEADINGS = {"province": 9.0, "site": 9.0, "desk": 9.5, "title": 11.0, "closing": 9.5}
# The office copy is read at a desk, by staff: a little smaller, so that the
# receipt box and most complaints fit on the first A5 page.
_PAGE_SIZES = {
    **_ROLL_SIZES,
    "province": 10.0,
    "site": 9.5,
    "desk": 10.5,
    "title": 12.5,
    "body": 9.5,
    "strong": 9.5,
    "small": 8.5,
    "label": 8.5,
    "code": 16.0,
}


def roll_geometry(width_mm: int) -> Geometry:
    if width_mm == 80:
        # 72 mm is what an 80 mm thermal printer really prints (576 dots).
        return Geometry(80 * mm, None, 4 * mm, 72 * mm, 4 * mm, 8 * mm, _ROLL_SIZES, 30 * mm, False)
    if width_mm == 58:
        # 48 mm (384 dots) printable on 58 mm paper.
        sizes = {**_ROLL_SIZES, "title": 12.0, "big": 13.0, "code": 20.0}
        return Geometry(58 * mm, None, 5 * mm, 48 * mm, 4 * mm, 8 * mm, sizes, 26 * mm, False)
    raise ValueError("paper width must be 80 or 58 mm")


def page_geometry() -> Geometry:
    width, height = A5
    return Geometry(
        page_width=width,
        page_height=height,
        left=13 * mm,
        width=width - 26 * mm,
        top=10 * mm,
        bottom=13 * mm,
        sizes=_PAGE_SIZES,
        qr_target=24 * mm,
        table=True,
        label_width=30 * mm,
        leading=1.2,
    )


@dataclass
class Row:
    height: float
    draw: Draw
    keep_with_next: bool = False  # a label stays on the page of its first value line
    gap: bool = False  # blank space, dropped at the top of a page
    keep_with_previous: bool = False  # a paragraph's last line never starts a page alone


def _nothing(canvas: Canvas, y: float) -> None:
    pass


class _Writer:
    """Turns blocks into rows for one geometry and one font set."""

    def __init__(self, geometry: Geometry, fonts: FontSet) -> None:
        self.g = geometry
        self.fonts = fonts

    def face(self, style: str) -> FontFace:
        if style in _BOLD:
            return self.fonts.bold
        return self.fonts.regular

    # -- text ------------------------------------------------------------

    def wrap(self, text: str, face: FontFace, size: float, width: float) -> list[str]:
        """Lines in logical order; paragraphs kept, words never split unless
        a single word is wider than the line."""
        lines: list[str] = []
        blank = False
        for paragraph in text.splitlines() or [""]:
            clean = " ".join(printable(paragraph, face).split())
            if not clean:
                # One blank line between paragraphs, however many were typed.
                if lines and not blank:
                    lines.append("")
                    blank = True
                continue
            blank = False
            lines.extend(self._wrap_paragraph(clean, face.name, size, width))
        while lines and not lines[-1]:
            lines.pop()
        return lines

    def _wrap_paragraph(self, text: str, font: str, size: float, width: float) -> list[str]:
        space = stringWidth(" ", font, size)
        lines: list[str] = []
        current, current_width = "", 0.0
        for word in text.split(" "):
            word_width = stringWidth(word, font, size)
            if current and current_width + space + word_width <= width:
                current += " " + word
                current_width += space + word_width
                continue
            if current:
                lines.append(current)
            if word_width <= width:
                current, current_width = word, word_width
                continue
            *full, current = self._break_word(word, font, size, width)
            lines.extend(full)
            current_width = stringWidth(current, font, size)
        if current:
            lines.append(current)
        return lines

    @staticmethod
    def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
        """A "word" wider than the line (a URL, a 4000-character string):
        break after a "/", "." or "-" when one is in the second half of the
        line, else between characters, never between a letter and its marks
        (a combining mark has no width of its own)."""
        pieces: list[str] = []
        piece, piece_width = "", 0.0
        for char in word:
            char_width = stringWidth(char, font, size)
            if piece and char_width and piece_width + char_width > width:
                cut = max(piece.rfind("/"), piece.rfind("."), piece.rfind("-"))
                if cut >= len(piece) // 2:
                    pieces.append(piece[: cut + 1])
                    piece = piece[cut + 1 :]
                else:
                    pieces.append(piece)
                    piece = ""
                piece_width = stringWidth(piece, font, size)
            piece += char
            piece_width += char_width
        pieces.append(piece)
        return pieces

    def line_row(
        self, line: str, face: FontFace, size: float, x: float, width: float, align: str
    ) -> Row:
        shown = visual_order(line)

        def draw(canvas: Canvas, top: float) -> None:
            if not shown:
                return
            canvas.setFont(face.name, size)
            baseline = top - size * ASCENT
            if align == "center":
                canvas.drawCentredString(x + width / 2, baseline, shown)
            else:
                canvas.drawString(x, baseline, shown)

        return Row(size * self.g.leading, draw)

    def text_rows(
        self,
        text: str,
        style: str,
        align: str = "left",
        x: float | None = None,
        width: float | None = None,
    ) -> list[Row]:
        face, size = self.face(style), self.g.sizes[style]
        x = self.g.left if x is None else x
        width = self.g.width if width is None else width
        if style in _HEADINGS and "\n" not in text:
            # A heading reads best on one line: shrink it a little if that is
            # enough, else let it wrap at its full size.
            natural = stringWidth(printable(text, face), face.name, size)
            if width < natural <= width * size / _HEADINGS[style]:
                size = size * width / natural * 0.995
        return [
            self.line_row(line, face, size, x, width, align)
            for line in self.wrap(text, face, size, width)
        ]

    def gap(self, height: float) -> Row:
        return Row(height, _nothing, gap=True)

    # -- blocks ----------------------------------------------------------

    def rows(self, block: c.Block) -> list[Row]:
        match block:
            case c.Text(text, style, align):
                return self.text_rows(text, style, align)
            case c.Field():
                return self.field_rows(block, self.g.left, self.g.width)
            case c.TrackingCode(label, code):
                return self.code_rows(label, code)
            case c.QueueNumber(number, mark):
                return self.number_rows(number, mark)
            case c.Rule():
                return [self.rule_row()]
            case c.Space(height):
                return [self.gap(height * mm)]
            case c.Qr():
                return [self.qr_row(block, self.g.left, self.g.width)]
            case c.FieldsWithQr(fields, qr):
                return self.fields_with_qr_rows(fields, qr)
            case c.SignatureBox(title, labels):
                return [self.signature_row(title, labels)]
            case c.Footnote(text):
                return [self.gap(1 * mm), *self.text_rows(text, "small")]
        raise TypeError(f"unknown block {block!r}")

    def field_rows(self, field: c.Field, x: float, width: float) -> list[Row]:
        value_style = "strong" if field.strong else "body"
        value = field.value if field.value.strip() else "–"
        if self.g.table and not field.wide:
            return self._table_field(field.label, value, value_style, x, width)
        label = self.text_rows(field.label, "label", x=x, width=width)
        values = self.text_rows(value, value_style, x=x, width=width)
        # Across a page break, at least two lines on each side: the label never
        # ends a page with one line under it, and no line is left alone.
        for row in [*label, *values[:1]]:
            row.keep_with_next = True
        if len(values) > 2:
            values[-1].keep_with_previous = True
        return [*label, *values, self.gap(1.6 * mm)]

    def _table_field(self, label: str, value: str, style: str, x: float, width: float) -> list[Row]:
        label_width = self.g.label_width
        value_x, value_width = x + label_width, width - label_width
        labels = self.text_rows(label, "label", x=x, width=label_width - 2 * mm)
        values = self.text_rows(value, style, x=value_x, width=value_width)
        rows: list[Row] = []
        for index in range(max(len(labels), len(values))):
            parts = [r for r in (labels[index : index + 1] + values[index : index + 1])]
            height = max(r.height for r in parts)

            def draw(canvas: Canvas, top: float, parts: list[Row] = parts) -> None:
                # Baselines of label and value line up: the label is smaller.
                bottom = top - max(p.height for p in parts)
                for part in parts:
                    part.draw(canvas, bottom + part.height)

            rows.append(Row(height, draw))
        return [*rows, self.gap(1.4 * mm)]

    def code_rows(self, label: str, code: str) -> list[Row]:
        face = self.fonts.mono
        text = printable(code, face)
        # Large, but never wider than the paper: a 58 mm roll shrinks it.
        natural = stringWidth(text, face.name, 1) or 1
        size = min(self.g.sizes["code"], self.g.width / natural * 0.98)
        rows = self.text_rows(label, "code_label", "center")
        rows.append(self.line_row(text, face, size, self.g.left, self.g.width, "center"))
        rows.append(self.gap(1 * mm))
        return rows

    def number_rows(self, number: str, mark: str | None) -> list[Row]:
        """The ticket's number as large as the roll allows; its mark white on black."""
        face = self.fonts.bold
        natural = stringWidth(number, face.name, 1) or 1
        size = min(self.g.sizes["number"], self.g.width * 0.9 / natural)
        rows = [
            self.gap(1 * mm),
            self.line_row(number, face, size, self.g.left, self.g.width, "center"),
        ]
        if mark is None:
            return rows
        x, width, text_size = self.g.left, self.g.width, self.g.sizes["title"]
        height = text_size * 1.6

        def band(canvas: Canvas, top: float) -> None:
            canvas.saveState()
            canvas.setFillColorRGB(0, 0, 0)
            canvas.rect(x, top - height, width, height, stroke=0, fill=1)
            canvas.setFillColorRGB(1, 1, 1)
            canvas.setFont(face.name, text_size)
            baseline = top - height / 2 - text_size * 0.35
            canvas.drawCentredString(x + width / 2, baseline, printable(mark, face))
            canvas.restoreState()

        return [*rows, Row(height, band), self.gap(1.5 * mm)]

    def rule_row(self) -> Row:
        x, width = self.g.left, self.g.width

        def draw(canvas: Canvas, top: float) -> None:
            canvas.setLineWidth(0.8)
            y = top - 1.5 * mm
            canvas.line(x, y, x + width, y)

        return Row(3 * mm, draw, gap=True)

    def _symbol(self, payload: str) -> QrSymbol | None:
        try:
            return make_qr(payload)
        except QrError:
            return None

    def qr_row(self, qr: c.Qr, x: float, width: float) -> Row:
        symbol = self._symbol(qr.payload)
        caption_face, caption_size = self.fonts.mono, self.g.sizes["small"]
        caption = printable(qr.caption, caption_face)
        if symbol is None:
            return self.text_rows("(kode QR tidak tersedia)", "small", "center")[0]
        module = fit_module(symbol, self.g.qr_target, width)
        side = side_with_quiet_zone(symbol, module)
        height = side + caption_size * self.g.leading

        def draw(canvas: Canvas, top: float) -> None:
            left = snap(x + (width - side) / 2) + QUIET_ZONE * module
            bottom = top - side + QUIET_ZONE * module
            draw_qr(canvas, symbol, left, bottom, module)
            canvas.setFont(caption_face.name, caption_size)
            canvas.drawCentredString(x + width / 2, top - side - caption_size * 0.8, caption)

        return Row(height, draw)

    def fields_with_qr_rows(self, fields: tuple[c.Field, ...], qr: c.Qr) -> list[Row]:
        if not self.g.table:
            rows = [
                row for field in fields for row in self.field_rows(field, self.g.left, self.g.width)
            ]
            return [*rows, self.qr_row(qr, self.g.left, self.g.width)]
        symbol = self._symbol(qr.payload)
        qr_width = 30 * mm
        if symbol is not None:
            module = fit_module(symbol, self.g.qr_target, self.g.width)
            qr_width = max(qr_width, side_with_quiet_zone(symbol, module))
        field_width = self.g.width - qr_width - 2 * mm
        field_rows = [r for f in fields for r in self.field_rows(f, self.g.left, field_width)]
        qr_here = self.qr_row(qr, self.g.left + field_width + 2 * mm, qr_width)
        height = max(sum(r.height for r in field_rows) + 1 * mm, qr_here.height)

        def draw(canvas: Canvas, top: float) -> None:
            y = top - 1 * mm
            for row in field_rows:
                row.draw(canvas, y)
                y -= row.height
            qr_here.draw(canvas, top)

        return [Row(height, draw)]

    def signature_row(self, title: str, labels: tuple[str, ...]) -> Row:
        """A box the receiving office fills in by hand: two fields a line, a
        signature line tall enough to sign on."""
        x, width = self.g.left, self.g.width
        face, bold = self.fonts.regular, self.fonts.bold
        size = self.g.sizes["body"]
        title_text = printable(title, bold)
        # Two fields a line on a page; one on a roll, or the lines are too short to write on.
        per_line = 2 if self.g.table else 1
        pairs = [labels[i : i + per_line] for i in range(0, len(labels), per_line)]
        heights = [
            15 * mm if any("tangan" in x.lower() for x in pair) else 10 * mm for pair in pairs
        ]
        padding = 3 * mm
        height = padding + size * self.g.leading + sum(heights) + padding
        column = (width - 2 * padding) / per_line

        def draw(canvas: Canvas, top: float) -> None:
            box_top = top - 1 * mm
            canvas.setLineWidth(0.8)
            canvas.rect(x, box_top - height, width, height, stroke=1, fill=0)
            canvas.setFont(bold.name, size)
            canvas.drawString(x + padding, box_top - padding - size * ASCENT, title_text)
            y = box_top - padding - size * self.g.leading
            for pair, line_height in zip(pairs, heights, strict=True):
                y -= line_height
                for index, label in enumerate(pair):
                    left = x + padding + index * column
                    right = left + column - (4 * mm if index == 0 and len(pair) > 1 else 0)
                    text = printable(label, face) + ":"
                    canvas.setFont(face.name, size)
                    canvas.drawString(left, y + 1.5 * mm, text)
                    start = left + stringWidth(text, face.name, size) + 1.5 * mm
                    canvas.setLineWidth(0.5)
                    canvas.line(start, y + 1 * mm, right, y + 1 * mm)

        return Row(height + 2 * mm, draw)

    def banner_row(self) -> Row:
        """LATIHAN in white on a black band: impossible to miss or to cut off."""
        x, width = self.g.left, self.g.width
        bold = self.fonts.bold
        big, note = self.g.sizes["banner"], self.g.sizes["banner_note"]
        big = min(big, width * 0.9 / stringWidth(c.LATIHAN, bold.name, 1))
        # White text cannot be seen to overflow: wrap the note to the band.
        notes = self.wrap(c.LATIHAN_NOTE, bold, note, width - 2 * mm)
        height = big * 1.1 + len(notes) * note * self.g.leading + 3 * mm

        def draw(canvas: Canvas, top: float) -> None:
            canvas.saveState()
            canvas.setFillColorRGB(0, 0, 0)
            canvas.rect(x, top - height, width, height, stroke=0, fill=1)
            canvas.setFillColorRGB(1, 1, 1)
            canvas.setFont(bold.name, big)
            canvas.drawCentredString(x + width / 2, top - 1.5 * mm - big * 0.9, c.LATIHAN)
            canvas.setFont(bold.name, note)
            y = top - 1.5 * mm - big * 1.1
            for line in notes:
                canvas.drawCentredString(x + width / 2, y - note * ASCENT, line)
                y -= note * self.g.leading
            canvas.restoreState()

        return Row(height, draw)


def _new_canvas(buffer: io.BytesIO, size: tuple[float, float], title: str) -> Canvas:
    canvas = Canvas(buffer, pagesize=size, invariant=1, pageCompression=1)
    # No personal data in the metadata: a PDF travels further than its paper.
    canvas.setTitle(title)
    canvas.setAuthor("Posko Pengaduan")
    canvas.setCreator("posko")
    return canvas


def _roll_pdf(
    blocks: list[c.Block], g: Geometry, fonts: FontSet, training: bool, title: str
) -> bytes:
    writer = _Writer(g, fonts)
    rows: list[Row] = []
    if training:
        rows += [writer.banner_row(), writer.gap(2 * mm)]
    for block in blocks:
        rows += writer.rows(block)
    while rows and rows[-1].gap:
        rows.pop()
    if training:
        rows += [writer.gap(2 * mm), writer.banner_row()]
    height = g.top + sum(row.height for row in rows) + g.bottom
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, (g.page_width, height), title)
    y = height - g.top
    for row in rows:
        row.draw(canvas, y)
        y -= row.height
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _paginate(rows: list[Row], first: float, later: float) -> list[list[Row]]:
    pages: list[list[Row]] = [[]]
    used = 0.0
    for row in rows:
        available = first if len(pages) == 1 else later
        if not pages[-1] and row.gap:
            continue
        if pages[-1] and used + row.height > available:
            carried: list[Row] = []
            head = row  # not `first`: that is the first page's height
            while pages[-1] and (pages[-1][-1].keep_with_next or head.keep_with_previous):
                head = pages[-1].pop()
                carried.insert(0, head)
            if not pages[-1]:  # a page of labels only: keep them, give up
                pages[-1], carried = carried, []
            pages.append(carried)
            used = sum(r.height for r in carried)
            if row.gap:
                continue
        pages[-1].append(row)
        used += row.height
    return [page for page in pages if page]


# Smaller type, tried in turn, keeps a longer complaint on one A5 sheet (body
# text down to 8 pt, still read easily at a desk); past the last, the copy
# continues on further sheets at full size, each with the code and its number.
PAGE_FITS = (1.0, 0.92, 0.85)


def _page_pdf(
    blocks: list[c.Block],
    g: Geometry,
    fonts: FontSet,
    training: bool,
    code: str,
    title: str,
    heading: str,
) -> bytes:
    assert g.page_height is not None
    fits = [replace(g, sizes={k: v * scale for k, v in g.sizes.items()}) for scale in PAGE_FITS]
    for geometry in [*fits, g]:  # the last: full size, on as many sheets as it takes
        pages, writer = _page_rows(blocks, geometry, fonts, training, code, heading)
        if len(pages) == 1:
            break
    g = geometry
    assert g.page_height is not None  # as for the geometry it was made from
    notes = [block.text for block in blocks if isinstance(block, c.Footnote)]
    banner = writer.banner_row()
    banner_space = banner.height + 3 * mm if training else 0.0
    continued = writer.text_rows(_continued(heading, code), "label")
    buffer = io.BytesIO()
    canvas = _new_canvas(buffer, (g.page_width, g.page_height), title)
    small, face = g.sizes["small"], fonts.regular
    for number, page in enumerate(pages, start=1):
        y = g.page_height - g.top
        if training:
            _watermark(canvas, g, fonts)
            banner.draw(canvas, y)
            y -= banner_space
        if number > 1:
            for row in continued:
                row.draw(canvas, y)
                y -= row.height
            y -= 3 * mm
        for row in page:
            row.draw(canvas, y)
            y -= row.height
        footer = f"{code} · {heading} · Halaman {number} dari {len(pages)}"
        footer = printable(f"{c.LATIHAN} · {footer}" if training else footer, face)
        canvas.setFont(face.name, small)
        y = g.bottom - 6 * mm
        canvas.drawCentredString(g.left + g.width / 2, y, footer)
        for note in notes:
            text = printable(note, face)
            size = min(small, small * g.width / (stringWidth(text, face.name, small) or 1))
            y -= small * g.leading
            canvas.setFont(face.name, size)
            canvas.drawCentredString(g.left + g.width / 2, y, text)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def _continued(heading: str, code: str) -> str:
    """The line atop a continuation sheet: "SALINAN UNTUK KANTOR … · PKB-… (lanjutan)"."""
    return f"{heading.upper()} · {code} (lanjutan)"


def _page_rows(
    blocks: list[c.Block],
    g: Geometry,
    fonts: FontSet,
    training: bool,
    code: str,
    heading: str,
) -> tuple[list[list[Row]], _Writer]:
    """The rows of each A5 page, below the banner and the continuation line."""
    assert g.page_height is not None
    writer = _Writer(g, fonts)
    rows = [row for b in blocks if not isinstance(b, c.Footnote) for row in writer.rows(b)]
    banner_space = writer.banner_row().height + 3 * mm if training else 0.0
    continued = writer.text_rows(_continued(heading, code), "label")
    continued_height = sum(r.height for r in continued) + 3 * mm
    body = g.page_height - g.top - g.bottom - banner_space
    return _paginate(rows, body, body - continued_height), writer


def _watermark(canvas: Canvas, g: Geometry, fonts: FontSet) -> None:
    """A light diagonal LATIHAN across an A5 page, under the text: a laser
    printer shows grey, and a photocopy of the page still says LATIHAN."""
    assert g.page_height is not None
    canvas.saveState()
    canvas.setFillColorRGB(0.85, 0.85, 0.85)
    canvas.translate(g.page_width / 2, g.page_height / 2)
    canvas.rotate(55)
    canvas.setFont(fonts.bold.name, 72)
    canvas.drawCentredString(0, -24, c.LATIHAN)
    canvas.restoreState()


def citizen_slip_pdf(slip: SlipData, width_mm: int = 80, *, fonts: FontSet | None = None) -> bytes:
    """The citizen's slip on an 80 mm (or 58 mm) thermal roll, as PDF bytes."""
    geometry = roll_geometry(width_mm)
    fonts = fonts or load_fonts()
    return _roll_pdf(
        c.citizen_blocks(slip), geometry, fonts, slip.training, f"Tanda terima {slip.code}"
    )


def office_copy_pdf(slip: SlipData, paper: Paper = "a5", *, fonts: FontSet | None = None) -> bytes:
    """The office copy (salinan untuk kantor wali kota/bupati) on A5 pages or an 80 mm roll."""
    fonts = fonts or load_fonts()
    blocks = c.office_blocks(slip)
    heading = c.office_copy_name(slip)
    # The document's metadata stays plain: only the code, never free text.
    title = f"Salinan untuk kantor wali kota/bupati {slip.code}"
    if paper == "roll80":
        return _roll_pdf(blocks, roll_geometry(80), fonts, slip.training, title)
    if paper == "a5":
        return _page_pdf(blocks, page_geometry(), fonts, slip.training, slip.code, title, heading)
    raise ValueError("office paper must be a5 or roll80")


def ticket_pdf(ticket: TicketData, width_mm: int = 80, *, fonts: FontSet | None = None) -> bytes:
    """A queue ticket on an 80 mm (or 58 mm) thermal roll, as PDF bytes."""
    return _roll_pdf(
        ticket_blocks(ticket),
        roll_geometry(width_mm),
        fonts or load_fonts(),
        ticket.training,
        f"Nomor antrean {ticket.number}",
    )
