"""`posko status` and `posko queue`: the state of the desk and its queue."""

from __future__ import annotations

import typer

from posko.commands.base import JsonOption, emit, runtime, safe, wib, wib_day
from posko.i18n import _
from posko.runtime import Runtime

queue_app = typer.Typer(help="Queue numbers for arriving citizens.", no_args_is_help=True)

PHASES = {
    "before": "not yet open",
    "open": "open",
    "grace": "closed to new arrivals; queue holders still served",
    "after": "closed",
}


def status_data(rt: Runtime) -> dict[str, object]:
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
    as_json: bool = JsonOption,
) -> None:
    """Give an arriving citizen a queue number in the current session."""
    from posko.services import queue

    rt = runtime(ctx)
    with rt.session() as session:
        visit = queue.take_number(session, rt.clock, rt.policy, priority=priority)
    emit(
        as_json,
        visit,
        lambda: _(
            "Queue number {number}{lane}, issued {time}",
            number=visit.number,
            lane=" (" + _("priority") + ")" if visit.priority else "",
            time=wib(visit.issued_at, "%H:%M"),
        ),
    )
