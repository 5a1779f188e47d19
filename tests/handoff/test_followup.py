"""Follow-up by the offices: transitions, permissions, reroute, reject, duplicate, dispute."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from sqlalchemy import text

from tests.cli_helpers import posko
from tests.handoff.conftest import PIN, payload
from tests.handoff.helpers import close_session, history, status_of

DAY2 = "2026-12-02T10:00:00+07:00"
_minutes = itertools.count()


def _tick() -> str:
    """Wednesday 2 Dec, a minute later at every call: each CLI run starts its own
    simulated clock, so events of one test need distinct instants to keep order."""
    return f"2026-12-02T10:{next(_minutes) % 60:02d}:00+07:00"


def _ack(db, code: str, officer: str, now: str | None = None) -> None:  # type: ignore[no-untyped-def]
    now = now or _tick()
    result = posko(
        "handoff", "ack", payload(db, code), "--officer", officer, db_url=db.url, now=now, env=PIN
    )
    assert result.exit_code == 0, result.stderr


def _set(db, code: str, status: str, officer: str, *extra: str, now: str | None = None):  # type: ignore[no-untyped-def]
    now = now or _tick()
    return posko(
        "complaint",
        "status",
        code,
        status,
        "--officer",
        officer,
        *extra,
        db_url=db.url,
        now=now,
        env=PIN,
    )


@pytest.fixture
def handed(db, taken, tmp_path: Path):  # type: ignore[no-untyped-def]
    close_session(db, tmp_path)
    return taken


def test_only_allowed_transitions_by_the_right_office(db, handed) -> None:
    code = handed.codes["31.71"][0]
    # Not acknowledged yet: diproses is not the next step.
    early = _set(db, code, "diproses", "JP-WL1", "--note", "Dicek")
    assert early.exit_code == 2 and "diterima_wilayah" in early.stderr
    _ack(db, code, "JP-WL1")
    other = _set(db, code, "diproses", "JU-WL1", "--note", "Dicek")
    assert other.exit_code == 3
    duty = _set(db, code, "diproses", "JP-AS1", "--note", "Dicek")
    assert duty.exit_code == 3
    assert _set(db, code, "diproses", "JP-WL1", "--note", "Petugas SDA meninjau").exit_code == 0
    done = _set(db, code, "selesai", "PV-KO1", "--note", "Saluran dikeruk")  # a coordinator may
    assert done.exit_code == 0, done.stderr
    assert status_of(db, code) == "selesai"
    assert [e[0] for e in history(db, code)] == [
        "diterima",
        "diserahkan",
        "diterima_wilayah",
        "diproses",
        "selesai",
    ]
    # Only the citizen reopens a completed complaint.
    assert _set(db, code, "diproses", "JP-WL1", "--note", "x").exit_code == 2
    assert _set(db, code, "diserahkan", "PV-KO1").exit_code == 2


def test_reroute_and_reject_need_a_reason(db, handed) -> None:
    code = handed.codes["31.72"][0]
    _ack(db, code, "JU-WL1")
    assert _set(db, code, "dialihkan", "JU-WL1", "--to", "31.75").exit_code == 2
    assert _set(db, code, "dialihkan", "JU-WL1", "--note", "Lokasi", "--to", "31.99").exit_code == 2
    moved = _set(
        db, code, "dialihkan", "JU-WL1", "--note", "Lokasi di Jakarta Timur", "--to", "31.75"
    )
    assert moved.exit_code == 0, moved.stderr
    with db.engine.connect() as conn:
        region = conn.execute(
            text("SELECT destination_region FROM complaint WHERE code = :c"), {"c": code}
        ).scalar_one()
    assert region == "31.75"
    # The old office has no say any more; the new one acknowledges by scanning.
    assert _set(db, code, "ditolak", "JU-WL1", "--note", "x").exit_code == 3
    refused = posko(
        "handoff", "ack", payload(db, code), "--officer", "JU-WL1", db_url=db.url, now=DAY2, env=PIN
    )
    assert refused.exit_code == 3
    _ack(db, code, "JT-WL1")
    assert _set(db, code, "ditolak", "JT-WL1").exit_code == 2
    rejected = _set(db, code, "ditolak", "JT-WL1", "--note", "Jalan nasional, wewenang pusat")
    assert rejected.exit_code == 0
    assert history(db, code)[-1] == ("ditolak", "JT-WL1", "Jalan nasional, wewenang pusat")


def test_duplicate_links_both_ways(db, handed) -> None:
    original, copy = handed.codes["31.71"]
    _ack(db, copy, "JP-WL1")
    assert _set(db, copy, "duplikat", "JP-WL1").exit_code == 2  # needs --duplicate-of
    assert _set(db, copy, "duplikat", "JP-WL1", "--duplicate-of", copy).exit_code == 2
    marked = _set(db, copy, "duplikat", "JP-WL1", "--duplicate-of", original)
    assert marked.exit_code == 0, marked.stderr
    shown = posko("complaint", "show", original, db_url=db.url, now=DAY2)
    assert copy in shown.stdout  # the original names its duplicate
    shown_copy = posko("complaint", "show", copy, "--json", db_url=db.url, now=DAY2)
    assert shown_copy.json()["complaint"]["duplicate_of"] == original


def test_dispute_within_ten_working_days_reopens(db, handed) -> None:
    code = handed.codes["31.71"][0]
    _ack(db, code, "JP-WL1")
    assert _set(db, code, "selesai", "JP-WL1", "--note", "Saluran dikeruk").exit_code == 0
    # Completed Wednesday 2 Dec; ten working days end Wednesday 16 Dec (no holidays between).
    late = posko(
        "complaint",
        "dispute",
        code,
        "--text",
        "Masih banjir",
        "--officer",
        "JP-AS1",
        db_url=db.url,
        now="2026-12-17T08:00:00+07:00",
        env=PIN,
    )
    assert late.exit_code == 2
    words = "Saluran belum dikeruk, kemarin masih banjir setinggi lutut."
    ok = posko(
        "complaint",
        "dispute",
        code,
        "--text",
        words,
        "--officer",
        "JP-AS1",
        db_url=db.url,
        now="2026-12-16T23:00:00+07:00",
        env=PIN,
    )
    assert ok.exit_code == 0, ok.stderr
    assert status_of(db, code) == "diproses"
    assert history(db, code)[-1] == ("diproses", "warga", words)
    again = posko(
        "complaint",
        "dispute",
        code,
        "--text",
        words,
        "--officer",
        "JP-AS1",
        db_url=db.url,
        now="2026-12-16T23:00:00+07:00",
        env=PIN,
    )
    assert again.exit_code == 2  # no longer selesai


def test_overdue_per_office_in_working_days(db, handed) -> None:
    _ack(db, handed.codes["31.71"][0], "JP-WL1")  # Wed 2 Dec: first response due Mon 7 Dec
    # Friday evening: the unacknowledged ones (due end of Wed 2 Dec) are overdue.
    friday = posko(
        "complaint", "list", "--overdue", "--json", db_url=db.url, now="2026-12-04T18:00:00+07:00"
    )
    late = {r["code"] for r in friday.json()}
    assert late == set(handed.all()) - {handed.codes["31.71"][0]}
    # The weekend does not count: on Monday the acknowledged one is still in time...
    monday = posko(
        "complaint",
        "list",
        "--overdue",
        "--region",
        "jakarta pusat",
        "--json",
        db_url=db.url,
        now="2026-12-07T20:00:00+07:00",
    )
    assert {r["code"] for r in monday.json()} == {handed.codes["31.71"][1]}
    # ...and late on Tuesday.
    tuesday = posko(
        "complaint", "list", "--overdue", db_url=db.url, now="2026-12-08T00:00:00+07:00"
    )
    assert handed.codes["31.71"][0] in tuesday.stdout
    assert "Kantor Wali Kota Jakarta Pusat" in tuesday.stdout
    # The deadline in words, as people write a date.
    assert "tenggat Rabu, 2 Desember 2026" in tuesday.stdout and "2026-12-02" not in tuesday.stdout


def test_overdue_skips_holidays(db, clock, policy) -> None:
    from datetime import datetime

    from posko.core.clock import JAKARTA
    from posko.core.deadlines import DeadlineRules, add_working_days, deadline

    rules = DeadlineRules()
    # Handed off Wed 23 Dec 2026: 24 Dec is cuti bersama, 25 Dec Christmas, then a weekend.
    assert add_working_days(rules, datetime(2026, 12, 23).date(), 1).isoformat() == "2026-12-28"
    due = deadline(rules, datetime(2026, 12, 23, 9, 40, tzinfo=JAKARTA), 1)
    assert due.ends_at == datetime(2026, 12, 29, 0, 0, tzinfo=JAKARTA)
    assert due.last_day.isoformat() == "2026-12-28"  # what people read


def test_deadlines_are_configurable(tmp_path: Path) -> None:
    from posko.core.deadlines import rules_from_dict
    from posko.core.errors import InvalidInput
    from posko.core.lifecycle import Status

    rules = rules_from_dict({"diproses": 10, "dispute": 5})
    assert rules.days[Status.DIPROSES] == 10 and rules.dispute_days == 5
    assert rules.days[Status.DISERAHKAN] == 1
    with pytest.raises(InvalidInput):
        rules_from_dict({"selesai": 3})
    with pytest.raises(InvalidInput):
        rules_from_dict({"diproses": 0})


def test_deadlines_come_from_the_configuration(db, handed, tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[deadlines]\ndiserahkan = 3\n", encoding="utf-8")
    friday = "2026-12-04T18:00:00+07:00"  # three working days after Tuesday's handoff
    default = posko("complaint", "list", "--overdue", "--json", db_url=db.url, now=friday)
    assert len(default.json()) == 4
    relaxed = posko(
        "complaint",
        "list",
        "--overdue",
        "--json",
        db_url=db.url,
        now=friday,
        env={"POSKO_CONFIG": str(config)},
    )
    assert relaxed.exit_code == 0, relaxed.stderr
    assert relaxed.json() == []
    config.write_text("[deadlines]\nselesai = 3\n", encoding="utf-8")
    bad = posko(
        "complaint",
        "list",
        "--overdue",
        db_url=db.url,
        now=friday,
        env={"POSKO_CONFIG": str(config)},
    )
    assert bad.exit_code == 2 and "deadlines.selesai" in bad.stderr
