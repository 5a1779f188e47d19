"""`posko receipt` (a complaint's slips: to a file, to the printer, the reprint
queue) and `posko verify` (is a scanned slip genuine?)."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

import typer

from posko import print_messages
from posko.commands.base import ForceOption, JsonOption, emit, runtime, safe, sign_in
from posko.files import check_writable
from posko.i18n import _


def reprint_hint() -> str:
    """Said after a failed print, by every command that prints."""
    return _("It waits in the reprint queue: fix the printer, then run `posko receipt --drain`.")


def receipt(
    ctx: typer.Context,
    code: str | None = typer.Argument(None, help="Tracking code of the complaint."),
    out: Path | None = typer.Option(
        None, "--out", help="Write the slip to this file (or into this folder)."
    ),
    copy: str = typer.Option("citizen", "--copy", help="citizen (the slip) or office (the copy)."),
    fmt: str = typer.Option("pdf", "--format", help="pdf or escpos (raw printer bytes)."),
    width: int | None = typer.Option(
        None, "--width", help="Roll width in mm, 80 or 58 (default: the setting)."
    ),
    to_printer: bool = typer.Option(
        False, "--print", help="Print through the configured printer (its pending jobs first)."
    ),
    drain_all: bool = typer.Option(
        False, "--drain", help="Print every slip and queue ticket of the reprint queue."
    ),
    officer: str | None = typer.Option(
        None,
        "--officer",
        help="The office copy shows the reporter's identity: who asks for it (PIN, audited).",
    ),
    force: bool = ForceOption,
    as_json: bool = JsonOption,
) -> None:
    """A complaint's slip: to a file, to the printer, or the whole reprint queue."""
    from posko.core.errors import InvalidInput
    from posko.services import access, complaints, print_queue, slips

    if copy not in ("citizen", "office"):
        raise InvalidInput("--copy must be citizen or office, not {value}", value=safe(copy)[:20])
    if fmt not in ("pdf", "escpos"):
        raise InvalidInput("--format must be pdf or escpos, not {value}", value=safe(fmt)[:20])
    chosen = sum((out is not None, to_printer, drain_all))
    if chosen != 1 or (code is None) != drain_all:
        raise InvalidInput(
            "give CODE with --out PATH or --print, or --drain alone (without a code)"
        )
    kind: Literal["citizen", "office"] = "office" if copy == "office" else "citizen"
    if kind == "office" and not drain_all and officer is None:
        raise InvalidInput(
            "the office copy shows the reporter's identity: give --officer (and the PIN)"
        )
    if out is not None and not out.is_dir():
        check_writable(out, replace=force)  # refused before the audit says it was written
    rt = runtime(ctx)
    with rt.session() as session:
        if kind == "office" and not drain_all:
            assert officer is not None and code is not None
            viewer = sign_in(rt, session, officer, access.OFFICE_COPY)
            slips.allow_office_copy(session, rt.clock, viewer, code, "file" if out else "printer")
        if drain_all:
            results = print_queue.drain(session, rt.clock, rt.settings, rt.policy)
            left = print_queue.pending_count(session)
        else:
            assert code is not None
            row = complaints.find_row(session, code)
            if out is not None:
                slip = slips.slip_data(session, rt.settings, rt.policy, row)
                data = slips.render(slip, rt.settings, kind, fmt, width)  # type: ignore[arg-type]
                name = slips.file_name(slip, kind, fmt)  # type: ignore[arg-type]
                path = slips.save_file(out, data, default_name=name, replace=force)
                emit(
                    as_json,
                    {"code": slip.code, "copy": kind, "format": fmt, "path": str(path)},
                    lambda: _("Slip {code} written to {path}", code=slip.code, path=str(path)),
                )
                return
            results = print_queue.drain(
                session, rt.clock, rt.settings, rt.policy, complaint_id=row.id
            )
            if not results:
                results = [
                    print_queue.reprint(
                        session, rt.clock, rt.settings, rt.policy, row.id or 0, kind
                    )
                ]
            left = len(print_queue.pending_jobs(session, row.id))

    def text() -> str:
        lines = [safe(print_messages.job_text(result)) for result in results]
        if not results:
            lines.append(_("The reprint queue is empty."))
        if left:
            lines.append(_("{count} slips still wait for a reprint.", count=left))
        return "\n".join(lines)

    emit(as_json, {"results": results, "pending": left}, text)
    if left or not all(r.printed for r in results):
        raise typer.Exit(1)


def verify(
    ctx: typer.Context,
    payload: str = typer.Argument(
        ..., help="The text of a slip's QR code, as scanned, or its tracking code."
    ),
    verification: list[str] | None = typer.Argument(
        None, help="The slip's verification code, when the tracking code is typed by hand."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Is a scanned slip genuine, and which complaint does it name? Exit 0 yes, 1 no."""
    from posko.services import slip_verification

    rt = runtime(ctx)
    with rt.session() as session:
        if verification:
            # `posko verify PKB-7K3Q-X9MD SGB5-QFAA-G2GS`, read off the paper.
            payload = slip_verification.typed_payload(
                session, rt.settings, payload, " ".join(verification)
            )
        try:
            found = slip_verification.verify(session, rt.settings, payload)
        except slip_verification.NotGenuine as error:
            if not as_json:
                raise
            emit(True, {"genuine": False, "reason": _(error.message, **error.params)}, str)
            raise typer.Exit(1) from None

    def text() -> str:
        lines = [
            _("GENUINE: this slip was printed by this Posko."),
            _("Code: {code}", code=found.code),
            _("Status: {status} ({label})", status=found.status, label=found.status_label),
            _("Destination: {office}", office=safe(found.destination_name)),
        ]
        if found.training:
            lines.append(_("Training database (LATIHAN): not an official complaint."))
        return "\n".join(lines)

    emit(as_json, {"genuine": True, **found.__dict__}, text)


def register(app: typer.Typer) -> None:
    app.command("receipt")(receipt)
    app.command("verify")(verify)
