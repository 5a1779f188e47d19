"""The Excel workbooks the offices open: typed cells, a header row, LATIHAN on
training data, and a citizen's text never run as a formula."""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import UTC, date, datetime

from openpyxl import load_workbook

from posko.core.figures import Count, ReportData
from posko.printing.handoff_list import HandoffRow
from posko.printing.spreadsheets import handoff_xlsx, report_xlsx

DATA = ReportData(
    start=date(2026, 12, 1),
    end=date(2026, 12, 2),
    generated_at=datetime(2026, 12, 3, 2, 0, tzinfo=UTC),
    total=3,
    per_day=(Count("2026-12-01", "01/12", 3), Count("2026-12-02", "02/12", 0)),
    per_region=(Count("31.71", "Jakarta Pusat", 3),),
    per_category=(Count("banjir", "Banjir dan saluran air", 3),),
    per_status=(Count("diterima", "Diterima di Posko", 3),),
    acknowledged=0,
    median_hours_to_ack=None,
    resolved=0,
    median_hours_to_resolution=None,
    overdue=(),
    overdue_total=0,
    training=False,
)


def test_report_cells_are_typed_and_sheets_have_a_header():
    book = load_workbook(io.BytesIO(report_xlsx(DATA)))
    assert book.sheetnames == [
        "Ringkasan",
        "Per hari",
        "Per kantor",
        "Per kategori",
        "Per status",
        "Terlambat per kantor",
    ]
    summary = dict(book["Ringkasan"].iter_rows(min_row=2, values_only=True))
    assert summary["Periode dari"] == datetime(2026, 12, 1)
    assert summary["Dibuat (WIB)"] == datetime(2026, 12, 3, 9, 0)  # 02:00 UTC is 09:00 WIB
    assert summary["Jumlah pengaduan"] == 3
    assert summary["Median waktu hingga dikonfirmasi (jam)"] is None  # empty, not "-"
    assert book["Ringkasan"]["B2"].is_date
    per_day = book["Per hari"]
    assert next(per_day.iter_rows(values_only=True)) == ("Tanggal", "Pengaduan")
    assert per_day["A2"].is_date and per_day["B2"].data_type == "n"
    assert list(book["Per kantor"].iter_rows(values_only=True))[1] == ("31.71", "Jakarta Pusat", 3)
    assert "LATIHAN" not in "".join(book.sheetnames)


def test_a_training_report_says_latihan_on_every_sheet():
    book = load_workbook(io.BytesIO(report_xlsx(replace(DATA, training=True))))
    assert all(name.startswith("LATIHAN ") for name in book.sheetnames)
    summary = dict(book["LATIHAN Ringkasan"].iter_rows(min_row=2, values_only=True))
    assert summary["LATIHAN"] == "Data latihan, bukan pengaduan resmi"


def test_a_citizens_text_is_never_a_formula():
    row = HandoffRow(
        code="PKB-7K3Q-X9MD",
        taken_at=datetime(2026, 12, 1, 1, 15, tzinfo=UTC),
        category="Banjir",
        kecamatan="Gambir",
        kelurahan="=1+1",
        summary='=HYPERLINK("http://evil.example","klik")',
    )
    book = load_workbook(
        io.BytesIO(
            handoff_xlsx(
                "20261201-31.71-1",
                "Kantor Wali Kota Jakarta Pusat",
                [row],
                "ab" * 32,
                training=False,
            )
        )
    )
    (sheet,) = book.worksheets
    assert sheet.title == "Serah terima"
    assert sheet["G2"].value == '=HYPERLINK("http://evil.example","klik")'
    assert sheet["G2"].data_type == "s" and sheet["F2"].data_type == "s"
    assert sheet["C2"].value == datetime(2026, 12, 1, 8, 15) and sheet["A2"].value == 1
    assert (sheet["J1"].value, sheet["J2"].value) == ("Jangkar audit", "ab" * 32)
