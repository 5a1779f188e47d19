"""What the kiosk asks of the services; every function runs in a worker thread.

Imported lazily (it pulls in sqlmodel, ~0.6 s) so the first screen paints
before the database layer is loaded. Each function opens one session for one
unit of work and returns plain views, never rows.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from posko import print_messages
from posko.core.clock import Clock
from posko.core.errors import DutyRefused
from posko.i18n import _, language
from posko.runtime import Runtime
from posko.services import (
    access,
    closeout,
    complaints,
    duty,
    intake,
    lookup,
    outbox,
    overrides,
    print_queue,
    queue,
    reference,
    roster,
    roster_edit,
    setup,
)
from posko.services.duty import DeskState
from posko.services.views import ComplaintView, DutyOfficer, OfficerView, VisitView


def reprint_hint() -> str:
    """Said after a failed print: the kiosk reprints with Ctrl+R on the home screen."""
    return _("It waits in the reprint queue: fix the printer, then press Ctrl+R.")


@dataclass(frozen=True)
class DeskStatus:
    state: DeskState
    waiting: list[VisitView]  # issued or called, priority lane first
    complaints: int  # taken in today's session
    issued: int  # queue numbers issued today
    no_shows: int
    reprints: int  # slips whose printing failed and wait for a reprint
    training: bool
    site_name: str
    failing_messages: int = 0  # outbox messages failing or given up
    last_issued: int | None = None  # the last queue number handed out today
    training_pin: str | None = None  # the sample officers' PIN, on a training database only


@dataclass(frozen=True)
class Reference:
    regions: Any  # posko.core.regions.RegionIndex
    categories: dict[str, Any]  # code -> CategoryInfo


@dataclass(frozen=True)
class Saved:
    complaint: ComplaintView
    destination_name: str


def prepare_demo(rt: Runtime, progress: Callable[[str], None]) -> Clock:
    """`posko demo`: the training database made ready; the clock the demo runs on."""
    from posko.services import demo

    return demo.prepare(rt.engine, rt.clock, rt.policy, progress)


def load_status(rt: Runtime) -> DeskStatus:
    with rt.session() as session:
        state = duty.desk_state(session, rt.clock, rt.policy)
        waiting, counts = [], duty.SessionCounts(0, 0, 0)
        if state.session is not None:
            waiting = queue.waiting(session, state.session)
            counts = duty.session_counts(session, state.session.id)
        reprints = print_queue.pending_count(session)
        training = setup.is_training(session)
        failing = outbox.failing_count(session)
    return DeskStatus(
        state,
        waiting,
        counts.complaints,
        counts.issued,
        counts.no_shows,
        reprints,
        training,
        rt.policy.site_name,
        failing,
        last_issued=counts.last_issued,
        training_pin=setup.TRAINING_PIN if training else None,
    )


def load_reference(rt: Runtime) -> Reference:
    with rt.session() as session:
        return Reference(reference.regions(session), reference.categories(session))


def sign_in(rt: Runtime, officer_id: str, pin: str) -> DutyOfficer:
    """Check the PIN, then that the officer is on duty in today's session."""
    officer_id = officer_id.strip().upper()
    with rt.session() as session:
        access.sign_in(session, rt.clock, officer_id, pin, access.TAKE_COMPLAINT)
        state = duty.desk_state(session, rt.clock, rt.policy)
        if state.session is None:
            duty.require_open(state, holds_queue_number=True)  # says why and when next
        assert state.session is not None
        return duty.require_on_duty(session, state.session, officer_id)


def grant_override(
    rt: Runtime, *, officer_id: str, coordinator_id: str, pin: str, reason: str
) -> overrides.OverrideView:
    with rt.session() as session:
        coordinator = access.sign_in(session, rt.clock, coordinator_id, pin, access.GRANT_OVERRIDE)
        state = duty.desk_state(session, rt.clock, rt.policy)
        if state.session is None:
            raise DutyRefused("there is no session today to admit an officer to")
        return overrides.grant(
            session,
            rt.clock,
            coordinator=coordinator,
            session_id=state.session.id,
            officer_id=officer_id.strip().upper(),
            reason=reason,
        )


def take_number(rt: Runtime, *, priority: bool) -> VisitView:
    with rt.session() as session:
        return queue.take_number(session, rt.clock, rt.policy, priority=priority)


def print_ticket(rt: Runtime, visit_id: int) -> str:
    """A just-issued number's ticket, after the number is shown: a printer
    problem (or a printer's 20 s timeout) never holds up or loses the number."""
    with rt.session() as session:
        outcome = print_queue.print_ticket(session, rt.clock, rt.settings, rt.policy, visit_id)
    return print_messages.ticket_text(outcome, reprint_hint())


def call_next(rt: Runtime, officer_id: str) -> VisitView | None:
    with rt.session() as session:
        return queue.call_next(session, rt.clock, rt.policy, officer_id=officer_id)


def recall(rt: Runtime, officer_id: str, number: int) -> VisitView:
    with rt.session() as session:
        return queue.recall(session, rt.clock, rt.policy, officer_id=officer_id, number=number)


def no_show(rt: Runtime, officer_id: str, number: int) -> VisitView:
    with rt.session() as session:
        return queue.no_show(session, rt.clock, rt.policy, officer_id=officer_id, number=number)


def reporter_history(
    rt: Runtime, officer_id: str, nik: str | None, phone: str | None
) -> list[ComplaintView]:
    """The citizen's earlier complaints, for the officer at the form (audited)."""
    from posko.services import search

    with rt.session() as session:
        viewer = access.signed_in(session, rt.clock, officer_id, access.SEARCH)
        return search.reporter_history(session, rt.clock, viewer, nik=nik, phone=phone)


def similar(
    rt: Runtime, description: str, kelurahan: str | None, kecamatan: str | None
) -> list[tuple[ComplaintView, float]]:
    with rt.session() as session:
        return complaints.similar_recent(
            session, rt.clock, description=description, kelurahan=kelurahan, kecamatan=kecamatan
        )


def save_complaint(
    rt: Runtime, officer_id: str, data: dict[str, Any], queue_number: int | None
) -> Saved:
    with rt.session() as session:
        taken = intake.take_complaint(
            session,
            rt.clock,
            rt.policy,
            officer_id=officer_id,
            data=data,
            queue_number=queue_number,
        )
    return Saved(taken.complaint, taken.destination_name)


def print_slips(rt: Runtime, complaint_id: int) -> str:
    """THE call site of printing: the citizen's slip now, the office copy queued.

    Runs after the complaint is committed, in its own worker, so a printer
    problem never loses the complaint nor blocks the screen; a slip that did
    not print waits in the reprint queue.
    """
    with rt.session() as session:
        outcome = print_queue.print_for_complaint(
            session, rt.clock, rt.settings, rt.policy, complaint_id
        )
    return print_messages.outcome_text(outcome, reprint_hint())


def reprint_pending(rt: Runtime) -> str:
    """Try every slip in the reprint queue again."""
    with rt.session() as session:
        results = print_queue.drain(session, rt.clock, rt.settings, rt.policy)
    return "\n".join(print_messages.job_text(result) for result in results)


def look_up(rt: Runtime, text: str, officer_id: str | None = None) -> lookup.LookupResult:
    """A code or scanned slip for anyone; a search by name, phone or words for
    the signed-in officer only (audited by the access gate)."""
    with rt.session() as session:
        viewer = None
        if officer_id is not None:
            viewer = access.signed_in(session, rt.clock, officer_id, access.SEARCH)
        return lookup.look_up(
            session,
            rt.clock,
            text,
            viewer=viewer,
            template=rt.settings.qr_url_template,
            english=language() == "en",
        )


def history(rt: Runtime, code: str) -> list[Any]:
    with rt.session() as session:
        return lookup.history(session, code)


def close_session(rt: Runtime, officer_id: str) -> closeout.Closeout:
    """F8: what `posko handoff close` does, for today's session (closeout.hand_off)."""
    with rt.session() as session:
        # The officer on duty signed in at the desk with the PIN; the lists
        # hold identities, so writing them goes through the access gate.
        officer = access.signed_in(session, rt.clock, officer_id, access.HANDOFF_CLOSE)
        return closeout.hand_off(session, rt.clock, rt.settings, rt.policy, officer=officer)


def sign_in_office(rt: Runtime, officer_id: str, pin: str) -> OfficerView:
    """The scan screen's sign-in: a regional officer or a coordinator, with the PIN."""
    with rt.session() as session:
        return access.sign_in(session, rt.clock, officer_id, pin, access.HANDOFF_ACK)


def acknowledge(rt: Runtime, officer_id: str, scanned: str) -> Any:
    """One scanned slip: the complaint moves to diterima_wilayah (handoff.Acknowledgement)."""
    from posko.services import handoff

    with rt.session() as session:
        return handoff.acknowledge(
            session, rt.clock, officer_id, scanned, template=rt.settings.qr_url_template
        )


def unacknowledged(rt: Runtime, officer: OfficerView) -> list[Any]:
    """Handoff batches still waiting for this officer's office (every office for a coordinator)."""
    from posko.services import followup, handoff

    region = None if officer.role == "coordinator" else officer.region
    with rt.session() as session:
        rules = followup.rules_for(rt.settings, rt.policy)
        return handoff.pending(session, rt.clock, rules, region=region)


def statistics(rt: Runtime, start: date, end: date) -> Any:
    """The figures of `posko report` for the statistics screen (a ReportData)."""
    from posko.services import followup, reports

    with rt.session() as session:
        rules = followup.rules_for(rt.settings, rt.policy)
        return reports.report_data(session, rt.clock, rt.policy, rules, start=start, end=end)


# --- the roster (coordinators) ---------------------------------------------------


@dataclass(frozen=True)
class DayRow:
    day: date
    label: str  # "Sel 1 Des"
    officers: dict[str, list[str]]  # desk -> officer ids; empty without a session
    has_session: bool
    note: str  # holiday or closure name, "sesi tambahan", or ""


@dataclass(frozen=True)
class Month:
    first: date
    title: str  # "Desember 2026"
    rows: list[DayRow]
    names: dict[str, str]  # officer id -> name, for the detail line


def roster_month(runtime: Runtime, first: date) -> Month:
    """The month as the roster screen shows it: policy days, officers per desk, notes."""
    from babel.dates import format_date

    from posko.core.schedule import closed_days

    policy = runtime.policy
    last = first.replace(day=monthrange(first.year, first.month)[1])
    with runtime.session() as session:
        sessions = {s.day: s for s in roster.sessions_between(session, policy, first, last)}
        closed = closed_days(policy, first, last, roster.db_closures(session, policy, first, last))
    names: dict[str, str] = {}
    rows = []
    day = first
    while day <= last:
        view = sessions.get(day)
        if view is not None or day.weekday() in policy.days or day in policy.extra_dates:
            officers: dict[str, list[str]] = {}
            for o in view.officers if view else ():
                officers.setdefault(o.desk, []).append(o.id)
                names[o.id] = o.name
            note = _("Closed: {reason}", reason=closed[day]) if day in closed else ""
            if view is not None and view.kind == "extra":
                note = "sesi tambahan"
            rows.append(
                DayRow(
                    day,
                    format_date(day, "EEE d MMM", locale="id"),
                    officers,
                    view is not None,
                    note,
                )
            )
        day += timedelta(days=1)
    return Month(first, format_date(first, "MMMM y", locale="id").title(), rows, names)


def sign_in_coordinator(rt: Runtime, officer_id: str, pin: str) -> str:
    """Only a rota coordinator opens the roster; returns the coordinator's name."""
    with rt.session() as session:
        found = access.sign_in(
            session, rt.clock, officer_id.strip().upper(), pin, access.EDIT_ROSTER
        )
        return found.name


def _roster_change(rt: Runtime, change: Callable[..., Any], **arguments: Any) -> Any:
    """One roster change in its own session and transaction (roster_edit checks it)."""
    with rt.session() as session:
        return change(session, rt.clock, rt.policy, **arguments)


def assign_duty(rt: Runtime, **arguments: Any) -> None:
    _roster_change(rt, roster_edit.assign, **arguments)


def unassign_duty(rt: Runtime, **arguments: Any) -> None:
    _roster_change(rt, roster_edit.unassign, **arguments)


def swap_duty(rt: Runtime, **arguments: Any) -> None:
    _roster_change(rt, roster_edit.swap, **arguments)


def mark_absent(rt: Runtime, **arguments: Any) -> None:
    _roster_change(rt, roster_edit.mark_absent, **arguments)


def close_day(rt: Runtime, **arguments: Any) -> None:
    _roster_change(rt, roster_edit.close_day, **arguments)


def add_extra_session(rt: Runtime, **arguments: Any) -> None:
    _roster_change(rt, roster_edit.add_extra, **arguments)


def plan_absence(rt: Runtime, officer_id: str, start: date, end: date) -> list[Any]:
    """Who would fill in for an absence (roster_edit.FillIn), nothing saved."""
    with rt.session() as session:
        return roster_edit.plan_absence(
            session, rt.clock, rt.policy, officer_id=officer_id, start=start, end=end
        )
