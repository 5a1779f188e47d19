"""Calling by desk from the command line: next (priority first), again, no-show."""

from __future__ import annotations

from sqlalchemy import text

from .helpers import PIN, call, cli, take


def _visits(db) -> list[tuple]:  # type: ignore[no-untyped-def]
    with db.engine.connect() as conn:
        return [
            tuple(row)
            for row in conn.execute(
                text("SELECT number, state, desk, called_by, calls FROM visit ORDER BY number")
            )
        ]


def test_the_priority_lane_is_called_first_each_to_the_callers_desk(db, monkeypatch) -> None:
    take(db, monkeypatch=monkeypatch)
    take(db, priority=True, monkeypatch=monkeypatch)

    first = call(db, "JU-AS1", monkeypatch)
    second = call(db, "JP-AS1", monkeypatch)
    nobody = cli(db, "queue", "call", "--officer", "JP-AS1", monkeypatch=monkeypatch, env=PIN)

    assert first.exit_code == 0, first.stderr
    assert (first.json()["number"], first.json()["desk"]) == (2, "JU")
    assert (second.json()["number"], second.json()["desk"]) == (1, "JP")
    assert nobody.exit_code == 0 and "Tidak ada yang menunggu" in nobody.stdout
    assert _visits(db) == [(1, "called", "JP", "JP-AS1", 1), (2, "called", "JU", "JU-AS1", 1)]


def test_recall_and_no_show_by_number(db, monkeypatch) -> None:
    take(db, monkeypatch=monkeypatch)
    call(db, "JP-AS1", monkeypatch)

    again = cli(db, "queue", "recall", "1", "--officer", "JB-AS1", monkeypatch=monkeypatch, env=PIN)
    assert again.exit_code == 0, again.stderr
    assert again.stdout.strip() == "Memanggil ulang nomor 1 ke meja JB"
    missed = cli(
        db, "queue", "no-show", "1", "--officer", "JB-AS1", monkeypatch=monkeypatch, env=PIN
    )
    assert missed.exit_code == 0, missed.stderr
    assert _visits(db) == [(1, "no_show", "JB", "JB-AS1", 2)]
    twice = cli(db, "queue", "recall", "1", "--officer", "JB-AS1", monkeypatch=monkeypatch, env=PIN)
    assert twice.exit_code == 2 and "tidak hadir" in twice.stderr
    with db.engine.connect() as conn:
        actions = conn.execute(
            text("SELECT action, actor FROM audit_event WHERE action LIKE 'queue.%' ORDER BY id")
        ).all()
    assert [tuple(a) for a in actions] == [
        ("queue.issue", "sistem"),
        ("queue.call", "JP-AS1"),
        ("queue.recall", "JB-AS1"),
        ("queue.no_show", "JB-AS1"),
    ]


def test_only_an_officer_on_duty_with_the_right_pin_calls(db, monkeypatch) -> None:
    take(db, monkeypatch=monkeypatch)
    not_called = cli(
        db, "queue", "recall", "1", "--officer", "JP-AS1", monkeypatch=monkeypatch, env=PIN
    )
    assert not_called.exit_code == 2 and "belum dipanggil" in not_called.stderr
    wrong_pin = cli(
        db, "queue", "call", "--officer", "JP-AS1", monkeypatch=monkeypatch,
        env={"POSKO_PIN": "000000"},
    )  # fmt: skip
    assert wrong_pin.exit_code == 3, wrong_pin.stderr
    off_duty = call(db, "JP-AS2", monkeypatch)
    assert off_duty.exit_code == 3 and "tidak bertugas" in off_duty.stderr
    assert _visits(db) == [(1, "issued", None, None, 0)]


def test_desks_calling_at_once_never_get_the_same_number(db, clock, policy) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from posko.services import queue
    from posko.store.db import new_session

    with new_session(db.engine) as session:
        for _ in range(10):
            queue.take_number(session, clock, policy)
    officers = ["JP-AS1", "JU-AS1", "JB-AS1", "JS-AS1", "JT-AS1"] * 2

    def call_one(officer: str) -> int:
        with new_session(db.engine) as session:
            visit = queue.call_next(session, clock, policy, officer_id=officer)
            assert visit is not None
            return visit.number

    with ThreadPoolExecutor(max_workers=5) as pool:
        numbers = list(pool.map(call_one, officers))
    assert sorted(numbers) == list(range(1, 11))
    assert {row[2] for row in _visits(db)} == {"JP", "JU", "JB", "JS", "JT"}
