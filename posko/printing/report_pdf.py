"""The report as an A4 PDF in Bahasa Indonesia, with reportlab graphics charts."""

from __future__ import annotations

import io
import math
from xml.sax.saxutils import escape

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from posko.core.clock import to_wib
from posko.core.figures import Count, ReportData
from posko.printing.content import LATIHAN, LATIHAN_NOTE, PROVINCE, long_date
from posko.printing.fonts import FontSet, load_fonts

WIDTH = 180 * mm
BLUE = colors.Color(0.04, 0.31, 0.54)


def hours_text(hours: float | None) -> str:
    if hours is None:
        return "-"
    return f"{hours:.1f} jam ({hours / 24:.1f} hari)".replace(".", ",")


def _integer_axis(axis, counts: list[int], fonts: FontSet) -> None:  # type: ignore[no-untyped-def]
    """Counts are whole numbers: whole-number ticks, about five of them."""
    axis.valueMin = 0
    axis.valueStep = max(1, math.ceil(max(counts, default=1) / 5))
    axis.labels.fontName = fonts.regular.name
    axis.labels.fontSize = 7


def _empty(fonts: FontSet, height: float) -> Drawing:
    drawing = Drawing(WIDTH, height)
    drawing.add(String(0, height / 2, "Tidak ada data.", fontName=fonts.regular.name, fontSize=9))
    return drawing


def _per_day_chart(counts: tuple[Count, ...], fonts: FontSet) -> Drawing:
    height = 60 * mm
    if not any(c.count for c in counts):
        return _empty(fonts, 20 * mm)
    drawing = Drawing(WIDTH, height)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = (
        12 * mm,
        10 * mm,
        WIDTH - 15 * mm,
        height - 14 * mm,
    )
    chart.data = [[c.count for c in counts]]
    step = max(1, len(counts) // 15)  # at most ~15 labels under the bars
    chart.categoryAxis.categoryNames = [
        c.name if i % step == 0 else "" for i, c in enumerate(counts)
    ]
    chart.categoryAxis.labels.fontName = fonts.regular.name
    chart.categoryAxis.labels.fontSize = 7
    _integer_axis(chart.valueAxis, chart.data[0], fonts)
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    drawing.add(chart)
    return drawing


def _bars(counts: tuple[Count, ...], fonts: FontSet) -> Drawing:
    """Horizontal bars, largest on top, with the count at the end of each bar."""
    if not counts:
        return _empty(fonts, 12 * mm)
    row = 7 * mm
    height = row * len(counts) + 8 * mm
    drawing = Drawing(WIDTH, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 62 * mm, 4 * mm
    chart.width, chart.height = WIDTH - 75 * mm, row * len(counts)
    ordered = list(reversed(counts))  # the chart draws its first category at the bottom
    chart.data = [[c.count for c in ordered]]
    chart.categoryAxis.categoryNames = [c.name[:40] for c in ordered]
    chart.categoryAxis.labels.fontName = fonts.regular.name
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.boxAnchor = "e"
    _integer_axis(chart.valueAxis, chart.data[0], fonts)
    chart.bars[0].fillColor = BLUE
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%d"
    chart.barLabels.fontName = fonts.bold.name
    chart.barLabels.fontSize = 8
    chart.barLabels.boxAnchor = "w"
    chart.barLabels.dx = 3
    drawing.add(chart)
    return drawing


def report_pdf(data: ReportData, *, fonts: FontSet | None = None) -> bytes:
    fonts = fonts or load_fonts()
    body = ParagraphStyle("body", fontName=fonts.regular.name, fontSize=9.5, leading=12.5)
    head = ParagraphStyle(
        "head",
        parent=body,
        fontName=fonts.bold.name,
        fontSize=11.5,
        leading=15,
        spaceBefore=8,
        spaceAfter=3,
    )
    title = ParagraphStyle("title", parent=body, fontName=fonts.bold.name, fontSize=15, leading=19)
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=15 * mm,
        rightMargin=15 * mm,
        topMargin=14 * mm,
        bottomMargin=14 * mm,
        title=(f"{LATIHAN} " if data.training else "")
        + f"Laporan pengaduan {data.start} – {data.end}",
        invariant=1,
    )
    generated = to_wib(data.generated_at)
    summary = [
        ["Jumlah pengaduan", str(data.total)],
        ["Dikonfirmasi kantor wali kota/bupati", str(data.acknowledged)],
        ["Median waktu hingga dikonfirmasi", hours_text(data.median_hours_to_ack)],
        ["Selesai", str(data.resolved)],
        ["Median waktu hingga selesai", hours_text(data.median_hours_to_resolution)],
        ["Melewati tenggat saat ini", str(data.overdue_total)],
    ]
    table = Table(
        [[Paragraph(escape(k), body), Paragraph(escape(v), body)] for k, v in summary],
        colWidths=[75 * mm, 60 * mm],
    )
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey)]))
    table.hAlign = "LEFT"
    statuses = Table(
        [[Paragraph(escape(c.name), body), Paragraph(str(c.count), body)] for c in data.per_status]
        or [[Paragraph("-", body), ""]],
        colWidths=[75 * mm, 60 * mm],
    )
    statuses.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey)]))
    statuses.hAlign = "LEFT"
    story = [
        *([Paragraph(escape(f"{LATIHAN}: {LATIHAN_NOTE}"), title)] if data.training else []),
        Paragraph(escape(PROVINCE), body),
        Paragraph("LAPORAN PENGADUAN POSKO", title),
        Paragraph(
            escape(
                f"Periode {long_date(data.start)} sampai {long_date(data.end)}; "
                f"dibuat {long_date(generated.date())} {generated:%H.%M} WIB"
            ),
            body,
        ),
        Spacer(1, 4 * mm),
        table,
        Paragraph("Status terkini", head),
        statuses,
        *(
            # A heading never ends a page without its chart.
            KeepTogether([Paragraph(heading, head), chart])
            for heading, chart in (
                ("Pengaduan per hari", _per_day_chart(data.per_day, fonts)),
                ("Pengaduan per kantor wali kota/bupati", _bars(data.per_region, fonts)),
                ("Pengaduan per kategori", _bars(data.per_category, fonts)),
                ("Melewati tenggat per kantor wali kota/bupati", _bars(data.overdue, fonts)),
            )
        ),
    ]
    if data.training:
        # On every page: a page torn off the report still says LATIHAN.
        def mark(canvas, doc) -> None:  # type: ignore[no-untyped-def]
            canvas.saveState()
            canvas.setFont(fonts.bold.name, 9)
            canvas.drawCentredString(A4[0] / 2, 8 * mm, f"{LATIHAN} · {LATIHAN_NOTE}")
            canvas.restoreState()

        doc.build(story, onFirstPage=mark, onLaterPages=mark)
    else:
        doc.build(story)
    return buffer.getvalue()
