"""The services the kiosk added: overrides, close-out, reporter history, similar complaints."""

from __future__ import annotations

from datetime import date

import pytest
from sqlmodel import select

from posko.core.errors import DutyRefused, InvalidInput, PermissionDenied
from posko.core.similarity import most_similar, score
from posko.services import closeout, complaints, duty, intake, officers, overrides, queue, roster
from posko.store.models import AuditEvent, DutySession
from tests.conftest import wib
from tests.tui.conftest import FLOOD

pytestmark = pytest.mark.db


def take(session, clock, policy, data=FLOOD, officer="JP-AS1"):
    return intake.take_complaint(session, clock, policy, officer_id=officer, data=data).complaint


def todays(session, clock, policy):
    return duty.desk_state(session, clock, policy).session


def coordinator(session):
    row = next(o for o in officers.list_officers(session) if o.role == "coordinator")
    return row


def test_override_admits_an_officer_for_one_session_with_an_audited_reason(
    session, clock, policy
) -> None:
    today = todays(session, clock, policy)
    tomorrow = roster.session_on(session, policy, date(2026, 12, 2))
    rostered = {d.id for d in (*today.officers, *tomorrow.officers)}
    outsider = next(
        o.id for o in officers.list_officers(session) if o.role == "duty" and o.id not in rostered
    )
    with pytest.raises(DutyRefused):
        take(session, clock, policy, officer=outsider)
    with pytest.raises(InvalidInput):
        overrides.grant(
            session,
            clock,
            coordinator=coordinator(session),
            session_id=today.id,
            officer_id=outsider,
            reason="sakit",
        )
    overrides.grant(
        session,
        clock,
        coordinator=coordinator(session),
        session_id=today.id,
        officer_id=outsider,
        reason="Pengganti JP-AS1 yang sakit hari ini",
    )
    assert take(session, clock, policy, officer=outsider).officer_id == outsider
    event = session.exec(select(AuditEvent).where(AuditEvent.action == "duty.override")).one()
    assert event.subject == outsider and "sakit" in event.detail
    # Only for that session: the next one refuses again.
    clock.set(wib("2026-12-02 08:15"))
    with pytest.raises(DutyRefused):
        take(session, clock, policy, officer=outsider)


def test_only_a_coordinator_may_override(session, clock, policy) -> None:
    today = todays(session, clock, policy)
    duty_officer = officers.get(session, "JP-AS1")
    with pytest.raises(PermissionDenied):
        overrides.grant(
            session,
            clock,
            coordinator=duty_officer,
            session_id=today.id,
            officer_id="JP-AS2",
            reason="Pengganti yang sakit hari ini",
        )


def test_close_session_marks_it_closed_and_stops_intake(session, clock, policy) -> None:
    take(session, clock, policy)
    queue.take_number(session, clock, policy)
    with pytest.raises(DutyRefused):
        closeout.close_session(session, clock, policy, "JB-AS2")  # not on duty today
    result = closeout.close_session(session, clock, policy, "JP-AS1")
    assert (result.complaints, result.still_waiting, result.closed_by) == (1, 1, "JP-AS1")
    row = session.get(DutySession, result.session_id)
    assert row.closed_at is not None and row.closed_by == "JP-AS1"
    with pytest.raises(DutyRefused):
        take(session, clock, policy)
    actions = session.exec(select(AuditEvent.action)).all()
    assert "session.close" in actions


def test_close_before_the_session_opens_is_refused(session, clock, policy) -> None:
    clock.set(wib("2026-12-01 07:40"))
    with pytest.raises(DutyRefused):
        closeout.close_session(session, clock, policy, "JP-AS1")


def test_by_reporter_finds_the_same_citizen_by_nik_or_phone(session, clock, policy) -> None:
    first = take(session, clock, policy)
    other = {**FLOOD, "reporter": {"name": "Andi", "phone": "085711112222"}}
    take(session, clock, policy, data=other)
    assert [c.code for c in complaints.by_reporter(session, nik="3171014501850002")] == [first.code]
    assert [c.code for c in complaints.by_reporter(session, phone="+6281234567890")] == [first.code]
    assert complaints.by_reporter(session) == []


def test_similar_recent_warns_of_the_same_problem_at_the_same_place(session, clock, policy) -> None:
    first = take(session, clock, policy)
    found = complaints.similar_recent(
        session,
        clock,
        description="banjir tiap hujan karena saluran air depan pasar tersumbat",
        kelurahan="31.71.01.1005",
    )
    assert [view.code for view, _score in found] == [first.code]
    elsewhere = complaints.similar_recent(
        session, clock, description=FLOOD["description"], kelurahan="31.71.01.1001"
    )
    assert elsewhere == []
    clock.advance(days=15)
    assert (
        complaints.similar_recent(
            session, clock, description=FLOOD["description"], kelurahan="31.71.01.1005"
        )
        == []
    )


def test_similarity_scores_word_order_and_case_alike() -> None:
    assert score("Jalan berlubang di depan pasar", "di DEPAN pasar, jalan berlubang") == 100
    assert score("Jalan berlubang di depan pasar", "Pelayanan KTP lambat sekali") < 50
    assert most_similar("jalan berlubang", [(1, "jalan berlubang besar"), (2, "KTP")]) == [
        (1, 100.0)
    ]
