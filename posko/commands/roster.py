"""`posko roster`: generating and showing the duty roster."""

from __future__ import annotations

from datetime import timedelta

import typer

from posko.commands.base import JsonOption, emit, parse_day, runtime, safe, wib
from posko.core.clock import to_wib
from posko.core.errors import InvalidInput
from posko.core.schedule import local_date
from posko.i18n import _
from posko.services.views import SessionView

app = typer.Typer(help="The duty roster of the desk.", no_args_is_help=True)


def roster_json(sessions: list[SessionView]) -> list[dict[str, object]]:
    return [
        {
            "id": s.id,
            "date": s.day.isoformat(),
            "start": to_wib(s.starts_at).isoformat(),
            "end": to_wib(s.ends_at).isoformat(),
            "kind": s.kind,
            "closed": s.closed_at is not None,
            "officers": [
                {"id": o.id, "name": o.name, "title": o.title, "region": o.region, "desk": o.desk}
                for o in s.officers
            ],
        }
        for s in sessions
    ]


def roster_text(sessions: list[SessionView]) -> str:
    if not sessions:
        return _("No sessions in this range.")
    lines = []
    for s in sessions:
        lines.append(f"{wib(s.starts_at, '%a %Y-%m-%d %H:%M')}–{wib(s.ends_at, '%H:%M')}")
        lines.extend(
            f"  {o.desk:<3} {o.id:<7} {safe(o.name)} — {safe(o.title)}" for o in s.officers
        )
    return "\n".join(lines)


@app.command()
def generate(
    ctx: typer.Context,
    start: str = typer.Option(..., "--from", help="First date, YYYY-MM-DD."),
    end: str = typer.Option(..., "--to", help="Last date, YYYY-MM-DD."),
    as_json: bool = JsonOption,
) -> None:
    """Plan sessions for dates without one; existing sessions stay as they are."""
    from posko.services import roster

    rt = runtime(ctx)
    first, last = parse_day(start, "--from"), parse_day(end, "--to")
    assert first is not None and last is not None
    if last < first:
        raise InvalidInput("--to must not be before --from")
    if (last - first).days > 3 * 366:
        raise InvalidInput("generate at most three years at once")
    with rt.session() as session:
        created = roster.generate(session, rt.clock, rt.policy, start=first, end=last)
    emit(
        as_json,
        roster_json(created),
        lambda: _("{count} sessions created.", count=len(created)) + "\n" + roster_text(created),
    )


@app.command()
def show(
    ctx: typer.Context,
    day: str | None = typer.Option(None, "--date", help="One date, YYYY-MM-DD."),
    start: str | None = typer.Option(None, "--from", help="First date (default: today)."),
    end: str | None = typer.Option(None, "--to", help="Last date (default: four weeks on)."),
    as_json: bool = JsonOption,
) -> None:
    """The sessions and the officers on duty at each desk."""
    from posko.services import roster

    rt = runtime(ctx)
    if day is not None and (start or end):
        raise InvalidInput("give either --date or --from/--to")
    today = local_date(rt.policy, rt.clock.now())
    first = parse_day(day or start, "--date" if day else "--from") or today
    last = parse_day(day or end, "--date" if day else "--to") or first + timedelta(days=27)
    with rt.session() as session:
        sessions = roster.sessions_between(session, rt.policy, first, last)
    emit(as_json, roster_json(sessions), lambda: roster_text(sessions))
