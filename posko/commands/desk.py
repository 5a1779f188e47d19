"""`posko status` and `posko queue`: the state of the desk, its queue, tickets and calls."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from posko import print_messages
from posko.commands.base import JsonOption, emit, runtime, safe, wib, wib_day
from posko.commands.receipt import reprint_hint
from posko.i18n import _
from posko.runtime import Runtime

if TYPE_CHECKING:
    from sqlmodel import Session

    from posko.services.views import VisitView

T = TypeVar("T")

queue_app = typer.Typer(help="Queue numbers for arriving citizens.", no_args_is_help=True)

PHASES = {
    "before": "not yet open",
    "open": "open",
    "grace": "closed to new arrivals; queue holders still served",
    "after": "closed",
}


def status_data(rt: Runtime) -> dict[str, Any]:
    from posko.services import duty, queue

    with rt.session() as session:
        state = duty.desk_state(session, rt.clock, rt.policy)
        waiting = queue.waiting(session, state.session) if state.session else []
    return {
        "now": state.now,
        "phase": state.phase.value,
        "session": state.session,
        "closed_reason": state.closed_reason,
        "next_session": state.next_session,
        "waiting": waiting,
    }


def print_status(rt: Runtime) -> None:
    data = status_data(rt)
    lines = [
        f"{rt.policy.site_name}",
        f"{_('Now')}: {wib_day(data['now'])}" + ("  [LATIHAN]" if rt.clock.simulated else ""),
        f"{_('Posko')}: {_(PHASES[str(data['phase'])])}"
        + (f" ({safe(data['closed_reason'])})" if data["closed_reason"] else ""),
    ]
    session = data["session"]
    if session is not None:
        lines.append(
            f"{_('Session')}: {session.day} {wib(session.starts_at, '%H:%M')} – "
            f"{wib(session.ends_at, '%H:%M')}"
        )
        for officer in session.officers:
            lines.append(
                f"  {officer.desk:<3} {officer.id:<7} {safe(officer.name)} — {safe(officer.title)}"
            )
        lines.append(f"{_('Waiting in the queue')}: {len(data['waiting'])}")  # type: ignore[arg-type]
    upcoming = data["next_session"]
    if upcoming is not None and upcoming is not session:
        lines.append(f"{_('Next session')}: {wib_day(upcoming.starts_at)}")
    typer.echo("\n".join(lines))


def register(app: typer.Typer) -> None:
    @app.command()
    def status(ctx: typer.Context, as_json: bool = JsonOption) -> None:
        """The desk now: open or closed, who is on duty, the queue, the next session."""
        rt = runtime(ctx)
        if as_json:
            emit(True, status_data(rt), str)
        else:
            print_status(rt)


@queue_app.command("take")
def take(
    ctx: typer.Context,
    priority: bool = typer.Option(
        False,
        "--priority",
        help="Priority lane: the elderly, people with disabilities, pregnant women.",
    ),
    out: Path | None = typer.Option(
        None, "--out", help="Save the ticket's PDF at this path (or into this folder)."
    ),
    as_json: bool = JsonOption,
) -> None:
    """Give an arriving citizen a queue number and print its ticket (or save it with --out)."""
    from posko.core.errors import InvalidInput, PoskoError
    from posko.services import print_queue, queue, slips, tickets
    from posko.services.views import to_json

    rt = runtime(ctx)
    with rt.session() as session:
        visit = queue.take_number(session, rt.clock, rt.policy, priority=priority)
        if out is None:
            outcome = print_queue.print_ticket(session, rt.clock, rt.settings, rt.policy, visit.id)
            ticket, printed, error = outcome.ticket, outcome.result.printed, outcome.result.error
        else:
            ticket = tickets.ticket_data(session, rt.settings, rt.policy, visit.id)
    if out is None:
        text = print_messages.ticket_text(outcome, reprint_hint())
        result = {"printed": printed, "error": error}
    else:
        # The number is committed: a ticket that cannot be saved is reported
        # with its number, never as a lost number.
        try:
            path = slips.save_file(
                out, tickets.render(ticket, rt.settings), default_name=tickets.file_name(ticket)
            )
        except PoskoError as failure:
            raise InvalidInput(
                "queue number {number} is issued, but its ticket was not saved: {error}",
                number=visit.number,
                error=_(failure.message, **failure.params),
            ) from None
        text = "\n".join(
            [*print_messages.ticket_lines(ticket), _("Ticket saved to {path}", path=str(path))]
        )
        printed, result = True, {"printed": True, "error": None, "path": str(path)}
    answer = {
        **to_json(visit),
        "ahead": ticket.ahead,
        "queue_url": ticket.queue_url,
        "ticket": result,
    }
    emit(as_json, answer, lambda: text)
    if not printed:
        raise typer.Exit(1)


def _lane(visit: VisitView) -> str:
    return f"{visit.number} ({_('priority')})" if visit.priority else str(visit.number)


def _as_officer(rt: Runtime, officer: str, act: Callable[[Session, str], T]) -> T:
    """Run `act` as this officer, once the access gate has checked their PIN
    (POSKO_PIN or a prompt); the queue's own rules check the desk."""
    from posko.commands.base import sign_in
    from posko.services import access

    with rt.session() as session:
        actor = sign_in(rt, session, officer, access.TAKE_COMPLAINT)
        return act(session, actor.id)


OfficerOption = typer.Option(..., "--officer", help="Id of the officer on duty (PIN in POSKO_PIN).")


@queue_app.command("call")
def call(ctx: typer.Context, officer: str = OfficerOption, as_json: bool = JsonOption) -> None:
    """Call the next number (the priority lane first) to the officer's desk."""
    from posko.services import queue

    rt = runtime(ctx)
    visit = _as_officer(
        rt,
        officer,
        lambda session, who: queue.call_next(session, rt.clock, rt.policy, officer_id=who),
    )
    if visit is None:
        emit(as_json, None, lambda: _("Nobody is waiting."))
        return
    emit(
        as_json,
        visit,
        lambda: _(
            "Calling number {number} to desk {desk}", number=_lane(visit), desk=visit.desk or "-"
        ),
    )


def _on_called(
    ctx: typer.Context,
    act: Callable[..., VisitView],
    number: int,
    officer: str,
    as_json: bool,
    said: Callable[[VisitView], str],
) -> None:
    """`recall` and `no-show`: the queue's `act` by this officer on a called number."""
    rt = runtime(ctx)
    visit = _as_officer(
        rt,
        officer,
        lambda session, who: act(session, rt.clock, rt.policy, officer_id=who, number=number),
    )
    emit(as_json, visit, lambda: said(visit))


@queue_app.command("recall")
def recall(
    ctx: typer.Context,
    number: int = typer.Argument(..., min=1, help="The called queue number."),
    officer: str = OfficerOption,
    as_json: bool = JsonOption,
) -> None:
    """Call a number again (the citizen did not hear it): the board shows it anew."""
    from posko.services import queue

    _on_called(
        ctx,
        queue.recall,
        number,
        officer,
        as_json,
        lambda visit: _(
            "Calling number {number} again to desk {desk}",
            number=_lane(visit),
            desk=visit.desk or "-",
        ),
    )


@queue_app.command("no-show")
def no_show(
    ctx: typer.Context,
    number: int = typer.Argument(..., min=1, help="The called queue number."),
    officer: str = OfficerOption,
    as_json: bool = JsonOption,
) -> None:
    """Mark a called number that did not come to the desk."""
    from posko.services import queue

    _on_called(
        ctx,
        queue.no_show,
        number,
        officer,
        as_json,
        lambda visit: _("Number {number} marked as a no-show", number=visit.number),
    )
