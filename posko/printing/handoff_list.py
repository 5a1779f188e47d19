"""The handoff list (daftar serah terima) of one batch: an A4 PDF in Bahasa Indonesia.

One row per complaint (code, time, category, kecamatan/kelurahan, a one-line
summary) and room for both officers' signatures; the office copies of the
slips follow as further pages. Pure: the service hands in plain data.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from xml.sax.saxutils import escape
from zoneinfo import ZoneInfo

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle
from reportlab.platypus.doctemplate import LayoutError

from posko.printing.content import LATIHAN, PROVINCE, long_date
from posko.printing.fonts import FontSet, load_fonts

JAKARTA = ZoneInfo("Asia/Jakarta")


@dataclass(frozen=True)
class HandoffRow:
    code: str
    taken_at: datetime  # aware; shown in WIB
    category: str
    kecamatan: str
    kelurahan: str  # "-" when not known
    summary: str  # one line, identity of a confidential reporter already hidden


@dataclass(frozen=True)
class HandoffList:
    label: str
    site_name: str
    office: str  # the receiving regional office
    created_at: datetime
    handed_by: str  # "Budi Santoso (JP-AS1)" or "sistem"
    rows: tuple[HandoffRow, ...]
    training: bool
    # The audit trail's hash when the batch was made: `posko audit verify --anchor`
    # checks a later trail still holds it (a rewritten trail does not).
    anchor: str = ""


def _styles(fonts: FontSet) -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=fonts.regular.name, fontSize=8.5, leading=10.5)
    return {
        "body": body,
        "code": ParagraphStyle("code", parent=body, fontName=fonts.mono.name),
        "head": ParagraphStyle("head", parent=body, fontName=fonts.bold.name),
        "title": ParagraphStyle(
            "title", parent=body, fontName=fonts.bold.name, fontSize=13, leading=16, alignment=1
        ),
        "center": ParagraphStyle("center", parent=body, fontSize=10, leading=13, alignment=1),
    }


def _p(text: str, style: ParagraphStyle) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _signature_table(st: dict[str, ParagraphStyle], handed_by: str, office: str) -> Table:
    lines = (
        "Nama: ....................................\n\nJabatan: ................................"
    )
    cells = [
        [
            _p("Diserahkan oleh (petugas posko)", st["head"]),
            _p(f"Diterima oleh ({office})", st["head"]),
        ],
        [
            _p(f"{handed_by}\n\nTanda tangan:", st["body"]),
            _p(lines + "\n\nTanggal/jam: ..........................\n\nTanda tangan:", st["body"]),
        ],
        ["", ""],
    ]
    table = Table(cells, colWidths=[85 * mm, 85 * mm], rowHeights=[None, None, 22 * mm])
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (0, -1), 0.6, colors.black),
                ("BOX", (1, 0), (1, -1), 0.6, colors.black),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def handoff_list_pdf(data: HandoffList, *, fonts: FontSet | None = None) -> bytes:
    fonts = fonts or load_fonts()
    st = _styles(fonts)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=15 * mm,
        bottomMargin=15 * mm,
        title=f"Daftar serah terima {data.label}",
        author=data.site_name,
        subject=f"Jangkar jejak audit {data.anchor}" if data.anchor else "",
        invariant=1,
    )
    created = data.created_at.astimezone(JAKARTA)
    story: list = [
        _p(PROVINCE, st["center"]),
        _p(data.site_name, st["center"]),
        Spacer(1, 3 * mm),
        _p("DAFTAR SERAH TERIMA PENGADUAN", st["title"]),
    ]
    if data.training:
        story.append(_p(f"{LATIHAN}: data latihan, bukan pengaduan resmi", st["title"]))
    story += [
        Spacer(1, 2 * mm),
        _p(
            f"Nomor daftar: {data.label}\nKepada: {data.office}\n"
            f"Dibuat: {long_date(created.date())} {created:%H.%M} WIB\n"
            f"Jumlah pengaduan: {len(data.rows)}",
            st["body"],
        ),
        Spacer(1, 4 * mm),
    ]
    header = ["No", "Kode pelacakan", "Jam WIB", "Kategori", "Kecamatan / Kelurahan", "Ringkasan"]
    rows = [[_p(h, st["head"]) for h in header]]
    for number, row in enumerate(data.rows, start=1):
        rows.append(
            [
                _p(str(number), st["body"]),
                _p(row.code, st["code"]),
                _p(row.taken_at.astimezone(JAKARTA).strftime("%H.%M"), st["body"]),
                _p(row.category, st["body"]),
                _p(f"Kec. {row.kecamatan}\nKel. {row.kelurahan}", st["body"]),
                _p(row.summary, st["body"]),
            ]
        )
    widths = [9 * mm, 33 * mm, 13 * mm, 30 * mm, 36 * mm, 59 * mm]
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.black),
                ("BACKGROUND", (0, 0), (-1, 0), colors.Color(0.88, 0.88, 0.88)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story += [
        table,
        Spacer(1, 6 * mm),
        KeepTogether(
            [
                _p(
                    f"{data.office} mengonfirmasi penerimaan setiap pengaduan dengan memindai "
                    "kode QR pada salinannya (terlampir).",
                    st["body"],
                ),
                Spacer(1, 3 * mm),
                _signature_table(st, data.handed_by, data.office),
                *(
                    [Spacer(1, 3 * mm), _p(f"Jangkar jejak audit: {data.anchor}", st["code"])]
                    if data.anchor
                    else []
                ),
            ]
        ),
    ]
    try:
        doc.build(story)
    except LayoutError as error:  # a cell taller than a page: never expected, say so plainly
        raise ValueError(f"the handoff list {data.label} cannot be laid out: {error}") from None
    return buffer.getvalue()


def with_attachments(main: bytes, attachments: list[bytes]) -> bytes:
    """The list followed by the office copies, as one PDF to print or archive."""
    # pypdf costs ~60 ms to import; only handoff needs it.
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter()
    for part in (main, *attachments):
        writer.append(PdfReader(io.BytesIO(part)))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
