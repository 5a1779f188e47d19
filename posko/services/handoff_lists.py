"""The files of a handoff batch: the PDF list with the office copies, an Excel
workbook for the office, and a CSV for machines.

Written to a folder as `serah-terima-LABEL.pdf` / `.xlsx` / `.csv`
(`serah-terima-LATIHAN-LABEL.…` from a training database), private files
(`posko.files`); writing again replaces them only when asked (`--force`), with
the same content (an .xlsx differs only in the timestamps inside its zip).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlmodel import Session

from posko.config import Settings
from posko.core.clock import Clock, to_wib
from posko.core.schedule import SchedulePolicy
from posko.files import check_writable, private_dir, write_private
from posko.printing.content import LATIHAN
from posko.services import access, audit, followup, reference, setup, slips
from posko.services.handoff import BatchView, batch_complaints
from posko.services.views import OfficerView
from posko.store.models import Complaint, Officer

if TYPE_CHECKING:
    from posko.printing.handoff_list import HandoffRow

SUMMARY_LIMIT = 110  # characters: one line of the list
CSV_HEADER = (
    "no",
    "kode",
    "waktu_wib",
    "kategori",
    "kecamatan",
    "kelurahan",
    "ringkasan",
    "kantor_tujuan",
    "daftar",
    "jangkar_audit",  # the audit trail's hash when the batch was made
)
# Spreadsheets run a cell that starts with one of these as a formula.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _area(session: Session, complaint: Complaint) -> tuple[str, str]:
    regions = reference.regions(session)
    kecamatan = regions.get(complaint.kecamatan_code or "")
    kelurahan = regions.get(complaint.kelurahan_code or "")
    return (kecamatan.name if kecamatan else "-", kelurahan.name if kelurahan else "-")


def _rows(
    session: Session, settings: Settings, policy: SchedulePolicy, batch: BatchView
) -> tuple[list[HandoffRow], list[bytes]]:
    """The list's rows and the office copies to attach, in the same order."""
    from posko.printing.content import hide_reporter, summarize
    from posko.printing.handoff_list import HandoffRow

    categories = reference.categories(session)
    rows, copies = [], []
    complaints = batch_complaints(session, batch.id)
    # One status-history query for the batch, not one per office copy.
    entered = followup.last_entered(session, [c.id or 0 for c in complaints])
    for complaint in complaints:
        slip = slips.slip_data(
            session, settings, policy, complaint, entered=entered[complaint.id or 0]
        )
        text = (
            hide_reporter(complaint.description, slip)
            if complaint.confidential
            else slip.description
        )
        kecamatan, kelurahan = _area(session, complaint)
        category = categories.get(complaint.category_code)
        rows.append(
            HandoffRow(
                code=complaint.code,
                taken_at=complaint.created_at,
                category=category.name_id if category else complaint.category_code,
                kecamatan=kecamatan,
                kelurahan=kelurahan,
                summary=summarize(text, SUMMARY_LIMIT),
            )
        )
        copies.append(slips.render(slip, settings, "office"))
    return rows, copies


def batch_pdf(
    session: Session, settings: Settings, policy: SchedulePolicy, batch: BatchView
) -> tuple[bytes, list[HandoffRow]]:
    """The list with the office copies attached, and the rows it shows."""
    from posko.printing.fonts import load_fonts
    from posko.printing.handoff_list import HandoffList, handoff_list_pdf, with_attachments

    rows, copies = _rows(session, settings, policy, batch)
    officer = session.get(Officer, batch.created_by) if batch.created_by else None
    data = HandoffList(
        label=batch.label,
        site_name=policy.site_name,
        office=batch.office,
        created_at=batch.created_at,
        handed_by=f"{officer.name} ({officer.id})" if officer else "sistem",
        rows=tuple(rows),
        training=setup.is_training(session),
        anchor=audit.batch_anchor(session, batch.label),
    )
    fonts = load_fonts(settings.font_path or None)
    return with_attachments(handoff_list_pdf(data, fonts=fonts), copies), rows


def batch_csv(batch: BatchView, rows: list[HandoffRow], anchor: str, *, training: bool) -> str:
    """One row per complaint; from a training database a last column says LATIHAN
    on every row, so no row copied out of the file loses the mark."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow((*CSV_HEADER, "latihan") if training else CSV_HEADER)
    for number, row in enumerate(rows, start=1):
        cells = [
            number,
            row.code,
            to_wib(row.taken_at).strftime("%Y-%m-%d %H:%M"),
            row.category,
            row.kecamatan,
            row.kelurahan,
            row.summary,
            batch.office,
            batch.label,
            anchor,
            *([LATIHAN] if training else []),
        ]
        writer.writerow(
            ["'" + c if isinstance(c, str) and c.startswith(_FORMULA_START) else c for c in cells]
        )
    return out.getvalue()


@dataclass(frozen=True)
class BatchFiles:
    """The three files of one handoff list: to print, for the office's Excel, for machines."""

    pdf: Path
    xlsx: Path
    csv: Path


def batch_paths(out_dir: Path, batch: BatchView, *, training: bool) -> BatchFiles:
    stem = f"serah-terima-{LATIHAN}" if training else "serah-terima"
    # Not with_suffix: the label holds dots ("31.71").
    return BatchFiles(
        out_dir / f"{stem}-{batch.label}.pdf",
        out_dir / f"{stem}-{batch.label}.xlsx",
        out_dir / f"{stem}-{batch.label}.csv",
    )


def write_batch_files(
    session: Session,
    settings: Settings,
    policy: SchedulePolicy,
    batches: list[BatchView],
    out_dir: Path,
    *,
    replace: bool = False,
) -> list[BatchFiles]:
    """Each batch's files in `out_dir`, in the order of `batches`: private files
    (0600, folder 0700)."""
    from posko.printing.spreadsheets import handoff_xlsx

    private_dir(out_dir)
    training = setup.is_training(session)
    written = []
    for batch in batches:
        pdf, rows = batch_pdf(session, settings, policy, batch)
        paths = batch_paths(out_dir, batch, training=training)
        write_private(paths.pdf, pdf, replace=replace)
        anchor = audit.batch_anchor(session, batch.label)
        xlsx = handoff_xlsx(batch.label, batch.office, rows, anchor, training=training)
        write_private(paths.xlsx, xlsx, replace=replace)
        # UTF-8 with a byte-order mark: Excel then reads the Indonesian text right.
        csv_text = batch_csv(batch, rows, anchor, training=training)
        write_private(paths.csv, csv_text.encode("utf-8-sig"), replace=replace)
        written.append(paths)
    return written


def write_for(
    session: Session,
    clock: Clock,
    settings: Settings,
    policy: SchedulePolicy,
    officer: OfficerView,
    batches: list[BatchView],
    out_dir: Path,
    *,
    replace: bool = False,
) -> list[BatchFiles]:
    """`write_batch_files` through the access gate: the lists hold the office
    copies with the reporters' identities, so writing them is a reveal,
    audited with the batches and codes written."""
    access.allow(session, clock, officer, access.HANDOFF_LISTS)
    if not batches:
        return []
    training = setup.is_training(session)
    for batch in batches:  # refused before the audit says they were written
        paths = batch_paths(out_dir, batch, training=training)
        for path in (paths.pdf, paths.xlsx, paths.csv):
            check_writable(path, replace=replace)
    access.record(
        session,
        clock,
        officer,
        access.HANDOFF_LISTS,
        subject=str(out_dir)[-120:],
        detail={
            "batches": [b.label for b in batches],
            "complaints": [code for b in batches for code in b.codes],
        },
    )
    session.commit()
    return write_batch_files(session, settings, policy, batches, out_dir, replace=replace)
