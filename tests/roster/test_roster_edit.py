"""The coordinator's edits: checked before saving, audited, and live at the desk."""

from __future__ import annotations

import json
from datetime import date

import pytest
from sqlmodel import select

from posko.core.errors import DutyRefused, InvalidInput, PermissionDenied
from posko.services import duty, intake, roster, roster_edit
from posko.store.db import new_session
from posko.store.models import Absence, Closure
from tests.roster.helpers import (
    COORDINATOR,
    audit_count,
    audit_events,
    on_duty,
    roster_snapshot,
)

TUE, WED, THU = date(2026, 12, 1), date(2026, 12, 2), date(2026, 12, 3)
COMPLAINT = {
    "reporter": {"name": "Siti Aminah", "nik": "3171014101800002", "phone": "081234567890"},
    "category": "banjir",
    "description": "Saluran air tersumbat, banjir setiap hujan.",
    "location": {"kota": "31.71", "kecamatan": "31.71.01", "kelurahan": "31.71.01.1002"},
}


def test_a_swap_trades_two_turns_and_is_audited(session, clock, policy, db):
    assert on_duty(db, TUE)["JP"] == ["JP-AS1"] and on_duty(db, WED)["JP"] == ["JP-AS2"]
    roster_edit.swap(
        session,
        clock,
        policy,
        actor=COORDINATOR,
        first_day=TUE,
        first_officer="JP-AS1",
        second_day=WED,
        second_officer="JP-AS2",
        why="JP-AS1 rapat di kantor wali kota",
    )
    assert on_duty(db, TUE)["JP"] == ["JP-AS2"]
    assert on_duty(db, WED)["JP"] == ["JP-AS1"]
    event = audit_events(db)[-1]
    assert (event.actor, event.action) == (COORDINATOR, "roster.swap")
    assert json.loads(event.detail)["why"] == "JP-AS1 rapat di kantor wali kota"


def test_an_invalid_assignment_is_refused_in_words_and_nothing_is_saved(session, clock, policy, db):
    before, events = roster_snapshot(db), audit_count(db)
    with pytest.raises(roster_edit.RosterRefused) as refused:
        roster_edit.assign(
            session,
            clock,
            policy,
            actor=COORDINATOR,
            day=THU,
            desk="JP",
            officer_id="JU-AS1",
            instead_of="JP-AS3",
            why="coba",
        )
    assert "JU-AS1" in str(refused.value) and "31.72" in str(refused.value)
    assert refused.value.violations[0].msgid.startswith("the officer is from region")
    assert roster_snapshot(db) == before
    assert audit_count(db) == events


def test_unassigning_the_only_officer_is_refused(session, clock, policy, db):
    before = roster_snapshot(db)
    with pytest.raises(roster_edit.RosterRefused) as refused:
        roster_edit.unassign(
            session, clock, policy, actor=COORDINATOR, day=THU, officer_id="JP-AS3", why="x"
        )
    (violation,) = refused.value.violations
    assert (violation.desk, violation.params) == ("JP", {"count": 0, "needed": 1})
    assert "meja hanya berisi 0 dari 1 petugas" in str(refused.value)  # said in Indonesian
    assert roster_snapshot(db) == before


def test_only_a_coordinator_may_edit(session, clock, policy, db):
    before = roster_snapshot(db)
    with pytest.raises(PermissionDenied):
        roster_edit.swap(
            session,
            clock,
            policy,
            actor="JP-AS1",
            first_day=TUE,
            first_officer="JP-AS1",
            second_day=WED,
            second_officer="JP-AS2",
            why="saya mau tukar",
        )
    assert roster_snapshot(db) == before


def test_past_sessions_are_history(session, clock, policy, db):
    clock.set(clock.now().replace(day=2))  # Wednesday: Tuesday's session is past
    with pytest.raises(InvalidInput, match="past"):
        roster_edit.swap(
            session,
            clock,
            policy,
            actor=COORDINATOR,
            first_day=TUE,
            first_officer="JP-AS1",
            second_day=THU,
            second_officer="JP-AS3",
            why="terlambat",
        )


def test_an_absence_is_filled_by_the_next_in_turn(session, clock, policy, db):
    # JT-AS2 is on duty on Wednesday; propose first, nothing saved yet.
    plan = roster_edit.plan_absence(
        session, clock, policy, officer_id="JT-AS2", start=WED, end=date(2026, 12, 31)
    )
    assert plan and all(f.absent == "JT-AS2" and f.fill_in for f in plan)
    assert on_duty(db, WED)["JT"] == ["JT-AS2"]
    applied = roster_edit.mark_absent(
        session,
        clock,
        policy,
        actor=COORDINATOR,
        officer_id="JT-AS2",
        start=WED,
        end=date(2026, 12, 31),
        reason="cuti tahunan",
    )
    assert applied == plan
    for fill in plan:
        assert on_duty(db, fill.day)["JT"] == [fill.fill_in]
        assert fill.fill_in.startswith("JT-")
    with new_session(db.engine) as s:
        assert len(s.exec(select(Absence).where(Absence.officer_id == "JT-AS2")).all()) == 1
        errors = [
            v for v in roster.check(s, policy, WED, date(2026, 12, 31)) if v.severity == "error"
        ]
    assert errors == []
    assert audit_events(db)[-1].action == "roster.absence"


def test_closing_a_date_removes_its_session(session, clock, policy, db):
    roster_edit.close_day(
        session, clock, policy, actor=COORDINATOR, day=THU, reason="Jakarta Fair di Balai Kota"
    )
    assert on_duty(db, THU) == {}
    with new_session(db.engine) as s:
        assert s.exec(select(Closure)).one().reason == "Jakarta Fair di Balai Kota"
        clock.set(clock.now().replace(day=3))
        state = duty.desk_state(s, clock, policy)
    assert state.session is None and state.closed_reason == "Jakarta Fair di Balai Kota"


def test_an_extra_session_is_staffed_by_the_rotation(session, clock, policy, db):
    monday = date(2028, 1, 3)  # past the seeded roster
    roster_edit.add_extra(session, clock, policy, actor=COORDINATOR, day=monday, why="tambahan")
    staffed = on_duty(db, monday)
    assert sorted(staffed) == ["JB", "JP", "JS", "JT", "JU"]
    assert roster.session_on(session, policy, monday).kind == "extra"
    with pytest.raises(InvalidInput, match="Sabtu"):
        roster_edit.add_extra(
            session, clock, policy, actor=COORDINATOR, day=date(2028, 1, 8), why="x"
        )


def test_an_edit_during_the_session_counts_at_once_at_the_desk(session, clock, policy, db):
    """Tuesday 08:15: JP-AS1 is replaced by JP-AS2; the desk follows immediately."""
    roster_edit.assign(
        session,
        clock,
        policy,
        actor=COORDINATOR,
        day=TUE,
        desk="JP",
        officer_id="JP-AS2",
        instead_of="JP-AS1",
        why="JP-AS1 sakit mendadak",
    )
    with new_session(db.engine) as s:
        taken = intake.take_complaint(s, clock, policy, officer_id="JP-AS2", data=COMPLAINT)
    assert taken.complaint.officer_id == "JP-AS2"
    with new_session(db.engine) as s, pytest.raises(DutyRefused, match="JP-AS1"):
        intake.take_complaint(s, clock, policy, officer_id="JP-AS1", data=COMPLAINT)
