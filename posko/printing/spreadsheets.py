"""Reports and handoff lists as Excel workbooks (.xlsx), for the offices that work in Excel.

Typed cells (numbers as numbers, dates as dates), one header row per sheet,
and on a training database every sheet's name starts with LATIHAN, so a
workbook forwarded by mistake says what it is on every tab. CSV stays for
machines. Pure: the services hand in plain data.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import TYPE_CHECKING

from posko.core.clock import to_wib
from posko.core.figures import Count, ReportData
from posko.printing.content import LATIHAN, LATIHAN_NOTE

if TYPE_CHECKING:
    from openpyxl import Workbook

    from posko.printing.handoff_list import HandoffRow

DATE_FORMAT = "DD/MM/YYYY"
TIME_FORMAT = "DD/MM/YYYY HH:MM"
Cell = str | int | float | date | datetime | None


def _local(instant: datetime) -> datetime:
    """Excel has no time zones: the wall-clock time in WIB, as the paper shows it."""
    return to_wib(instant).replace(tzinfo=None)


def _sheet(book: Workbook, title: str, training: bool, header: Sequence[str], rows: Iterable):  # type: ignore[no-untyped-def]
    from openpyxl.styles import Font

    name = f"{LATIHAN} {title}" if training else title
    sheet = book.create_sheet(name[:31])  # Excel's limit on a sheet name
    sheet.append(list(header))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.freeze_panes = "A2"
    for values in rows:
        sheet.append([_cell_value(v) for v in values])
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, datetime):
                cell.number_format = TIME_FORMAT
            elif isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            elif isinstance(cell.value, str) and cell.data_type == "f":
                # Text typed by a citizen is never a formula ("=HYPERLINK(…)").
                cell.data_type = "s"
    for column in sheet.columns:
        width = max(len(str(c.value)) if c.value is not None else 0 for c in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width + 2, 8), 60)
    return sheet


def _cell_value(value: Cell) -> Cell:
    if isinstance(value, datetime):
        return _local(value) if value.tzinfo else value
    return value


def _book(training: bool, title: str) -> Workbook:
    from openpyxl import Workbook  # ~100 ms to import: only when a workbook is written

    book = Workbook()
    book.remove(book.active)
    book.properties.title = f"{LATIHAN}: {title} ({LATIHAN_NOTE})" if training else title
    book.properties.creator = "Posko"
    return book


def _bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def report_xlsx(data: ReportData) -> bytes:
    """The report's figures: a summary sheet and one sheet per breakdown."""
    book = _book(data.training, f"Laporan pengaduan {data.start} – {data.end}")
    summary: list[tuple[str, Cell]] = [
        ("Periode dari", data.start),
        ("Periode sampai", data.end),
        ("Dibuat (WIB)", data.generated_at),
        ("Jumlah pengaduan", data.total),
        ("Dikonfirmasi kantor wali kota/bupati", data.acknowledged),
        ("Median waktu hingga dikonfirmasi (jam)", data.median_hours_to_ack),
        ("Selesai", data.resolved),
        ("Median waktu hingga selesai (jam)", data.median_hours_to_resolution),
        ("Melewati tenggat saat ini", data.overdue_total),
    ]
    if data.training:
        summary.insert(0, (LATIHAN, LATIHAN_NOTE))
    _sheet(book, "Ringkasan", data.training, ("Ukuran", "Nilai"), summary)
    _sheet(
        book,
        "Per hari",
        data.training,
        ("Tanggal", "Pengaduan"),
        ((date.fromisoformat(c.key), c.count) for c in data.per_day),
    )

    def counts(rows: tuple[Count, ...]) -> Iterable[tuple[str, str, int]]:
        return ((c.key, c.name, c.count) for c in rows)

    for title, header, rows in (
        ("Per kantor", ("Kode", "Kota/kabupaten", "Pengaduan"), data.per_region),
        ("Per kategori", ("Kode", "Kategori", "Pengaduan"), data.per_category),
        ("Per status", ("Status", "Keterangan", "Pengaduan"), data.per_status),
        ("Terlambat per kantor", ("Kode", "Kota/kabupaten", "Pengaduan"), data.overdue),
    ):
        _sheet(book, title, data.training, header, counts(rows))
    return _bytes(book)


HANDOFF_HEADER = (
    "No",
    "Kode pelacakan",
    "Waktu (WIB)",
    "Kategori",
    "Kecamatan",
    "Kelurahan",
    "Ringkasan",
    "Kantor tujuan",
    "Daftar",
    "Jangkar audit",
)


def handoff_xlsx(
    label: str, office: str, rows: Sequence[HandoffRow], anchor: str, *, training: bool
) -> bytes:
    """One handoff list: a row per complaint, as on the PDF list, each with the
    audit anchor (the trail's hash when the list was made), as the CSV has it, so
    a row copied out of the workbook still names what `posko audit verify` checks."""
    book = _book(training, f"Daftar serah terima {label}")
    _sheet(
        book,
        "Serah terima",
        training,
        HANDOFF_HEADER,
        (
            (
                number,
                row.code,
                row.taken_at,
                row.category,
                row.kecamatan,
                row.kelurahan,
                row.summary,
                office,
                label,
                anchor,
            )
            for number, row in enumerate(rows, start=1)
        ),
    )
    return _bytes(book)
