"""What the kiosk and the CLI tell the officer about printing slips and tickets.

The print queue reports facts (printed or not, and why); the sentences are
here, and each UI passes its own way to reprint (the kiosk's Ctrl+R, the
CLI's `posko receipt --drain`), so nobody is told of a key or a command
they do not have.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from posko.core.clock import to_wib
from posko.i18n import _

if TYPE_CHECKING:
    from posko.printing.ticket import TicketData
    from posko.services.print_queue import JobResult, PrintOutcome, TicketOutcome


def job_text(result: JobResult) -> str:
    if result.copy == "ticket":
        what = _("queue ticket")
    else:
        what = _("citizen's slip") if result.copy == "citizen" else _("office copy")
    if result.printed:
        return _("{code}: {what} printed.", code=result.code, what=what)
    return _("{code}: {what} not printed: {error}", code=result.code, what=what, error=result.error)


def outcome_text(outcome: PrintOutcome, reprint_hint: str) -> str:
    lines = []
    if outcome.citizen.printed and outcome.printer == "folder":
        lines.append(
            _("The slip of {code} is saved in {folder}.", code=outcome.code, folder=outcome.where)
        )
    elif outcome.citizen.printed:
        lines.append(_("The citizen's slip of {code} is printed.", code=outcome.code))
    else:
        lines.append(
            _(
                "The complaint {code} is saved, but its slip was not printed: {error}",
                code=outcome.code,
                error=outcome.citizen.error,
            )
        )
    if outcome.office is not None and not outcome.office.printed:
        lines.append(_("The office copy was not saved either: {error}", error=outcome.office.error))
    if outcome.ok:
        lines.append(_("The office copy goes with the handoff list."))
    else:
        lines.append(reprint_hint)
    return " ".join(lines)


def ticket_lines(ticket: TicketData) -> list[str]:
    """The number, its lane, when it was issued and how many are ahead."""
    return [
        _(
            "Queue number {number}{lane}, issued {time}",
            number=ticket.number,
            lane=" (" + _("priority") + ")" if ticket.priority else "",
            time=to_wib(ticket.issued_at).strftime("%H:%M WIB"),
        ),
        _("{ahead} ahead.", ahead=ticket.ahead),
    ]


def ticket_text(outcome: TicketOutcome, reprint_hint: str) -> str:
    lines = ticket_lines(outcome.ticket)
    if outcome.result.printed and outcome.printer == "folder":
        lines.append(_("Ticket saved in {folder}.", folder=outcome.where))
    elif outcome.result.printed:
        lines.append(_("Ticket printed."))
    else:
        lines.append(
            _(
                "The ticket was not printed: {error}. Tell the citizen the number.",
                error=outcome.result.error,
            )
        )
        lines.append(reprint_hint)
    return "\n".join(lines)
