"""The duty roster for the notice board: landscape A4, a page per month.

One row per session with a column per desk (the officers' names) and a
Keterangan column saying what changed on that day and why; days the desk is
closed are rows that say why. A month is kept on one page (the type shrinks a
little for a long one), and a few days of a month at the edge of the range
follow the month before instead of taking a page of their own. The officers'
titles ("Asisten Pemerintahan Sekretariat Kota Administrasi Jakarta Pusat")
follow on a page of their own, one line per officer by desk: written into every
cell of the month they would not leave the month one page in readable type.
Pure: the service hands in plain data.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from datetime import date
from typing import Any
from xml.sax.saxutils import escape

from babel.dates import format_date
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from posko.printing.content import LATIHAN
from posko.printing.fonts import FontSet, load_fonts, printable

PAGE = landscape(A4)
MARGIN = 12 * mm
TOP, BOTTOM = 10 * mm, 12 * mm
FRAME_HEIGHT = PAGE[1] - TOP - BOTTOM - 12  # SimpleDocTemplate's frame pads 6 pt each side
SHORT_MONTH = 4  # rows; fewer follow the month before on its page when they fit
SIZES = (9.5, 9.0, 8.5, 8.0, 7.5, 7.0, 6.5)  # type sizes tried until a month fits a page


@dataclass(frozen=True)
class SheetOfficer:
    name: str
    region: str | None  # the region's name where regions take turns at the desk
    highlighted: bool = False  # the officer the sheet is for


@dataclass(frozen=True)
class SheetRow:
    day: date
    desks: tuple[tuple[SheetOfficer, ...], ...] | None  # per desk, in policy order; None: closed
    closed: str = ""  # the holiday's or closure's name
    extra: bool = False
    note: str = ""  # Keterangan: what changed and why


@dataclass(frozen=True)
class RosterSheet:
    site_name: str
    weekdays: str  # "Senin, Selasa, Rabu, Kamis"
    hours: str  # "08.00–09.30 WIB"
    desks: tuple[str, ...]  # desk names, in order
    rows: tuple[SheetRow, ...]
    printed: date
    subject: str | None = None  # "Budi Santoso": the sheet of one officer
    training: bool = False
    # (desk name, officer name, title) of everyone on the sheet, in desk order
    officers: tuple[tuple[str, str, str], ...] = ()


def holiday_name(name: str) -> str:
    """The holiday as the SKB names it: without the holidays package's "(perkiraan)"."""
    return re.sub(r"\s*\(perkiraan\)", "", name)


class _Styles:
    def __init__(self, fonts: FontSet, size: float) -> None:
        self.fonts = fonts
        self.body = ParagraphStyle(
            "body", fontName=fonts.regular.name, fontSize=size, leading=size * 1.2
        )
        self.strong = ParagraphStyle("strong", parent=self.body, fontName=fonts.bold.name)
        self.muted = ParagraphStyle(
            "muted",
            parent=self.body,
            fontSize=size - 1.5,
            leading=(size - 1.5) * 1.2,
            textColor=colors.HexColor("#444444"),
        )
        self.title = ParagraphStyle("title", parent=self.strong, fontSize=16, leading=20)
        self.mark = ParagraphStyle("mark", parent=self.title, textColor=colors.HexColor("#b00000"))

    def para(self, value: str, style: ParagraphStyle) -> Paragraph:
        face = self.fonts.bold if style.fontName == self.fonts.bold.name else self.fonts.regular
        return Paragraph(escape(printable(value, face)), style)


def _month_table(sheet: RosterSheet, rows: list[SheetRow], month: str, st: _Styles) -> Table:
    width = PAGE[0] - 2 * MARGIN
    date_width, note_width = 44 * mm, 60 * mm
    desk_width = (width - date_width - note_width) / len(sheet.desks)
    data: list[list[Any]] = [
        [st.para(month, st.strong)]
        + [st.para(name, st.strong) for name in sheet.desks]
        + [st.para("Keterangan", st.strong)]
    ]
    style: list[Any] = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9d9d9")),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
    ]
    for row in rows:
        line = len(data)
        day = [st.para(format_date(row.day, "EEEE, d MMMM", locale="id"), st.strong)]
        if row.desks is None:
            style += [
                ("SPAN", (1, line), (-1, line)),
                ("BACKGROUND", (0, line), (-1, line), colors.HexColor("#eeeeee")),
            ]
            data.append(
                [day, st.para(f"TUTUP: {holiday_name(row.closed)}", st.strong)]
                + [""] * len(sheet.desks)
            )
            continue
        if row.extra:
            day.append(st.para("sesi tambahan", st.muted))
        cells: list[Any] = [day]
        for column, officers in enumerate(row.desks, start=1):
            cell = []
            for o in officers:
                if o.region:
                    cell.append(st.para(o.region, st.muted))
                cell.append(st.para(o.name, st.body))
                if o.highlighted:
                    style.append(
                        ("BACKGROUND", (column, line), (column, line), colors.HexColor("#fff2b3"))
                    )
            cells.append(cell or [st.para("—", st.body)])
        cells.append(st.para(row.note, st.muted) if row.note else "")
        data.append(cells)
    # The month in the header row, which repeats if a month must run onto a second page.
    table = Table(
        data,
        colWidths=[date_width] + [desk_width] * len(sheet.desks) + [note_width],
        repeatRows=1,
    )
    table.setStyle(TableStyle(style))
    return table


def _month_block(
    sheet: RosterSheet, rows: list[SheetRow], fonts: FontSet, *, follows: bool = False
) -> list[Any]:
    """The month's heading and table in the largest type with which it fits a page.

    A month that `follows` the one before on its page gets a plain heading:
    the page already says whose roster it is.
    """
    month = format_date(rows[0].day.replace(day=1), "MMMM y", locale="id").title()
    for size in SIZES:
        st = _Styles(fonts, size)
        block: list[Any] = []
        if follows:
            block.append(st.para(f"Jadwal Piket {month}", st.strong))
        else:
            if sheet.training:
                block.append(st.para(f"{LATIHAN} — data latihan, bukan jadwal resmi", st.mark))
            block.append(st.para(f"Jadwal Piket {month}", st.title))
            subject = f" · Petugas: {sheet.subject}" if sheet.subject else ""
            block.append(
                st.para(
                    f"{sheet.site_name} · {sheet.weekdays}, pukul {sheet.hours}{subject}", st.body
                )
            )
        block.append(Spacer(1, 2 * mm))
        block.append(_month_table(sheet, rows, month, st))
        height = sum(f.wrap(PAGE[0] - 2 * MARGIN, FRAME_HEIGHT)[1] for f in block)
        if height <= FRAME_HEIGHT:
            break
    return block


def _officers_block(sheet: RosterSheet, fonts: FontSet) -> list[Any]:
    """Who is who: each officer on the sheet with their title, by desk."""
    st = _Styles(fonts, SIZES[0])
    data: list[list[Any]] = [
        [st.para(heading, st.strong) for heading in ("Meja", "Nama", "Jabatan")]
    ]
    data += [
        [st.para(desk, st.body), st.para(name, st.body), st.para(title, st.body)]
        for desk, name, title in sheet.officers
    ]
    width = PAGE[0] - 2 * MARGIN
    table = Table(data, colWidths=[50 * mm, 55 * mm, width - 105 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("GRID", (0, 0), (-1, -1), 0.5, colors.HexColor("#888888")),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#d9d9d9")),
                ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
            ]
        )
    )
    return [st.para("Petugas piket dan jabatannya", st.title), Spacer(1, 2 * mm), table]


def render(sheet: RosterSheet) -> bytes:
    fonts = load_fonts()
    months: dict[tuple[int, int], list[SheetRow]] = {}
    for row in sheet.rows:
        months.setdefault((row.day.year, row.day.month), []).append(row)
    story: list[Any] = []
    for index, (_month, rows) in enumerate(sorted(months.items())):
        if index and len(rows) < SHORT_MONTH:
            block = _month_block(sheet, rows, fonts, follows=True)
            story += [Spacer(1, 5 * mm), KeepTogether(block)]
        else:
            block = _month_block(sheet, rows, fonts)
            if index:
                story.append(PageBreak())
            story += block
    if not story:
        st = _Styles(fonts, SIZES[0])
        story.append(st.para("Tidak ada sesi dalam rentang ini.", st.body))
    elif sheet.officers:
        story += [PageBreak(), *_officers_block(sheet, fonts)]
    printed = format_date(sheet.printed, "d MMMM y", locale="id")

    def footer(canvas: Any, document: Any) -> None:
        canvas.saveState()
        canvas.setFont(fonts.regular.name, 8)
        canvas.setFillColor(colors.HexColor("#333333"))
        mark = f"{LATIHAN} · " if sheet.training else ""
        canvas.drawString(
            MARGIN, 7 * mm, printable(f"{mark}Dicetak {printed} · posko", fonts.regular)
        )
        canvas.drawRightString(PAGE[0] - MARGIN, 7 * mm, f"Halaman {document.page}")
        canvas.restoreState()

    buffer = io.BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=PAGE,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=TOP,
        bottomMargin=BOTTOM,
        title=f"Jadwal Piket {sheet.site_name}",
        invariant=1,
    ).build(story, onFirstPage=footer, onLaterPages=footer)
    return buffer.getvalue()
