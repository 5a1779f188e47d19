"""Duty rules at their edges: 07:59, 08:00, 09:29, 09:30, Fridays, holidays."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from posko.core import rotation
from posko.core.errors import InvalidInput
from posko.core.schedule import (
    Phase,
    closed_days,
    phase_at,
    policy_from_dict,
    session_dates,
    session_window,
    why_no_session,
)
from tests.conftest import policy_from_repo, wib


@pytest.mark.parametrize(
    ("at", "phase"),
    [
        ("2026-12-01 07:59", Phase.BEFORE),
        ("2026-12-01 08:00", Phase.OPEN),
        ("2026-12-01 09:29", Phase.OPEN),
        ("2026-12-01 09:30", Phase.GRACE),
        ("2026-12-01 10:29", Phase.GRACE),
        ("2026-12-01 10:30", Phase.AFTER),
    ],
)
def test_intake_phase_at_the_edges(at, phase):
    window = session_window(policy_from_repo(), date(2026, 12, 1))
    assert phase_at(window, wib(at)) is phase


def test_a_closed_session_is_over_whatever_the_time():
    window = session_window(policy_from_repo(), date(2026, 12, 1))
    assert phase_at(window, wib("2026-12-01 08:30"), closed=True) is Phase.AFTER


def test_window_is_stored_in_utc():
    window = session_window(policy_from_repo(), date(2026, 12, 1))
    assert window.starts_at.isoformat() == "2026-12-01T01:00:00+00:00"
    assert window.ends_at.isoformat() == "2026-12-01T02:30:00+00:00"


@pytest.mark.parametrize(
    ("day", "reason"),
    [
        (date(2026, 12, 4), "Jumat"),
        (date(2026, 12, 5), "Sabtu"),
        (date(2026, 12, 24), "Cuti Bersama Hari Raya Natal"),
        (date(2027, 3, 10), "Hari Raya Idul Fitri"),
    ],
)
def test_no_session_on_fridays_weekends_holidays_and_cuti_bersama(day, reason):
    found = why_no_session(policy_from_repo(), day)
    assert found is not None and found.startswith(reason)


def test_a_closure_in_the_policy_closes_the_desk():
    data = _policy_data()
    data["calendar"]["closures"] = {"2026-12-08": "Jakarta International Marathon"}
    policy = policy_from_dict(data)
    assert date(2026, 12, 8) not in session_dates(policy, date(2026, 12, 1), date(2026, 12, 10))
    assert why_no_session(policy, date(2026, 12, 8)) == "Jakarta International Marathon"


def test_extra_date_adds_a_session_on_a_friday():
    data = _policy_data()
    data["calendar"]["extra_dates"] = {"2026-12-11": "Posko keliling"}
    policy = policy_from_dict(data)
    assert date(2026, 12, 11) in session_dates(policy, date(2026, 12, 7), date(2026, 12, 13))


def test_a_year_has_sessions_only_on_working_mon_to_thu():
    policy = policy_from_repo()
    start, end = date(2027, 1, 1), date(2027, 12, 31)
    days = session_dates(policy, start, end)
    closed = closed_days(policy, start, end)
    assert days and all(d.weekday() <= 3 for d in days)
    assert not set(days) & set(closed)
    assert date(2027, 3, 10) not in days
    assert 170 < len(days) < 208


def _policy_data() -> dict:
    return {
        "site": {"code": "PKB", "name": "Posko", "timezone": "Asia/Jakarta"},
        "hours": {"days": ["mon", "tue", "wed", "thu"], "start": "08:00", "end": "09:30"},
        "calendar": {"closures": {}, "extra_dates": {}},
        "desks": [{"code": "JP", "region": "31.71", "staff": 1}],
    }


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d["hours"].update(end="07:00"), "hours.end"),
        (lambda d: d["hours"].update(days=["mon", "funday"]), "unknown day"),
        (lambda d: d["site"].update(timezone="Mars/Olympus"), "time zone"),
        (lambda d: d.update(desks=[]), "at least one desk"),
        (lambda d: d["desks"][0].update(staff=0), "staff"),
        (lambda d: d["calendar"].update(closures={"31-12-2026": "x"}), "bad date"),
    ],
)
def test_a_bad_policy_is_refused_with_a_clear_message(change, words):
    data = _policy_data()
    change(data)
    with pytest.raises(InvalidInput) as error:
        policy_from_dict(data)
    assert words in str(error.value)


def _officers(per_region: int) -> list[rotation.PoolOfficer]:
    return [
        rotation.PoolOfficer(f"{desk}-{i}", region, "asisten" if i < 3 else "kepala_bagian")
        for desk, region in [
            ("JP", "31.71"),
            ("JU", "31.72"),
            ("JB", "31.73"),
            ("JS", "31.74"),
            ("JT", "31.75"),
        ]
        for i in range(per_region)
    ]


def test_a_generated_year_staffs_every_desk_fairly():
    policy = policy_from_repo()
    days = session_dates(policy, date(2027, 1, 1), date(2027, 12, 31))
    planned = rotation.generate(policy, days, _officers(6))
    counts = Counter(a.officer_id for p in planned for a in p.assignments)
    for p in planned:
        assert sorted(a.desk for a in p.assignments) == sorted(d.code for d in policy.desks)
        assert all(a.officer_id.startswith(a.desk) for a in p.assignments)
        assert not p.shortages
    for desk in ("JP", "JU", "JB", "JS", "JT"):
        pool = [n for officer, n in counts.items() if officer.startswith(desk)]
        assert len(pool) == 6 and max(pool) - min(pool) <= 1


@settings(max_examples=60, deadline=None)
@given(
    per_region=st.integers(min_value=2, max_value=8),
    absences=st.lists(
        st.tuples(st.integers(0, 39), st.integers(0, 60), st.integers(0, 20)), max_size=6
    ),
)
def test_absent_officers_are_never_rostered_and_the_next_in_turn_fills_in(per_region, absences):
    policy = policy_from_repo()
    start = date(2027, 4, 1)
    days = session_dates(policy, start, start + timedelta(days=120))
    officers = _officers(per_region)
    declared = [
        rotation.Absence(
            officers[i % len(officers)].id,
            start + timedelta(days=s),
            start + timedelta(days=s + length),
        )
        for i, s, length in absences
    ]
    planned = rotation.generate(policy, days, officers, declared)
    for p in planned:
        for a in p.assignments:
            assert not any(x.officer_id == a.officer_id and x.covers(p.day) for x in declared)
        officers_today = [a.officer_id for a in p.assignments]
        assert len(officers_today) == len(set(officers_today))
    if not declared:
        counts = Counter(a.officer_id for p in planned for a in p.assignments)
        by_desk: dict[str, list[int]] = {}
        for officer in officers:
            by_desk.setdefault(officer.region, []).append(counts.get(officer.id, 0))
        assert all(max(v) - min(v) <= 1 for v in by_desk.values())


def test_regions_mode_rotates_whole_regions_across_one_desk():
    data = _policy_data()
    data["rotation"] = {"mode": "regions", "regions": ["31.71", "31.72", "31.73"]}
    data["desks"] = [{"code": "M1", "staff": 2}]
    policy = policy_from_dict(data)
    days = session_dates(policy, date(2027, 1, 4), date(2027, 1, 21))
    planned = rotation.generate(policy, days, _officers(4))
    regions = [p.assignments[0].region for p in planned]
    assert regions[:6] == ["31.71", "31.72", "31.73", "31.71", "31.72", "31.73"]
    assert all(
        len(p.assignments) == 2 and len({a.region for a in p.assignments}) == 1 for p in planned
    )
