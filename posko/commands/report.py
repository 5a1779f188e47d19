"""`posko report`: the figures of a period as a PDF with charts, an Excel workbook, or CSV."""

from __future__ import annotations

from pathlib import Path

import typer

from posko.commands.base import ForceOption, parse_day, runtime
from posko.core.errors import InvalidInput
from posko.files import write_private
from posko.i18n import _


def report(
    ctx: typer.Context,
    start: str = typer.Option(..., "--from", help="First day, YYYY-MM-DD (WIB)."),
    end: str = typer.Option(..., "--to", help="Last day, YYYY-MM-DD (WIB)."),
    fmt: str = typer.Option("pdf", "--format", help="pdf, xlsx (Excel) or csv."),
    out: Path = typer.Option(
        ..., "--out", help="The file to write (from a training database: its name says LATIHAN)."
    ),
    force: bool = ForceOption,
) -> None:
    """Complaints per day, office and category; median times; overdue counts."""
    from posko.services import followup, reports, setup

    if fmt not in ("pdf", "xlsx", "csv"):
        raise InvalidInput("--format must be pdf, xlsx or csv")
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    assert first is not None and last is not None
    rt = runtime(ctx)
    with rt.session() as session:
        data = reports.report_data(
            session,
            rt.clock,
            rt.policy,
            followup.rules_for(rt.settings, rt.policy),
            start=first,
            end=last,
        )
    out = setup.training_path(out, data.training)
    if fmt == "csv":
        # UTF-8 with a byte-order mark: Excel then reads the Indonesian text right.
        content = reports.report_csv(data).encode("utf-8-sig")
    elif fmt == "xlsx":
        from posko.printing.spreadsheets import report_xlsx

        content = report_xlsx(data)
    else:
        from posko.printing.report_pdf import report_pdf

        content = report_pdf(data)
    write_private(out, content, replace=force)
    typer.echo(_("Report of {count} complaints written to {path}", count=data.total, path=str(out)))


def register(app: typer.Typer) -> None:
    app.command("report")(report)
