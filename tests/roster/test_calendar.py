"""Calendars that follow the roster's changes: SEQUENCE, cancellations, subscriptions.

A calendar app keeps what it once imported; these tests import one export
after another into a store that behaves as RFC 5545/5546 clients do (an
event is replaced by the same UID with a SEQUENCE at least as high, and
removed by STATUS:CANCELLED or a METHOD:CANCEL) and compare what is left
with the roster in the database.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import httpx
import icalendar
import pytest
from sqlmodel import select

from posko.store.db import new_session
from posko.store.models import CalendarToken
from tests.cli_helpers import posko
from tests.roster.helpers import COORDINATOR, PIN, SESSION_NOW, audit_events, on_duty

DECEMBER = ("--from", "2026-12-01", "--to", "2026-12-31")
SWAP = ("2026-12-01", "JP-AS1", "2026-12-02", "JP-AS2")


def run(db, *args: str):
    return posko(*args, db_url=db.url, now=SESSION_NOW, env=PIN)


class CalendarStore:
    """What a calendar app holds after importing files, one after another."""

    def __init__(self) -> None:
        self.events: dict[str, icalendar.Event] = {}
        self.sequences: dict[str, int] = {}

    def load(self, data: bytes) -> None:
        calendar = icalendar.Calendar.from_ical(data)
        cancel_all = str(calendar.get("method", "")).upper() == "CANCEL"
        for event in calendar.walk("VEVENT"):
            uid, sequence = str(event["uid"]), int(event.get("sequence", 0))
            if sequence < self.sequences.get(uid, -1):
                continue  # an older version than the one held
            self.sequences[uid] = sequence
            if cancel_all or str(event.get("status", "")).upper() == "CANCELLED":
                self.events.pop(uid, None)
            else:
                self.events[uid] = event

    def turns(self) -> set[tuple[date, str]]:
        """(day, officer id) of every event held, read from the UID."""
        found = set()
        for uid in self.events:
            day, rest = uid[:10], uid[11:]  # 2026-12-01-jp-jp-as1@posko
            officer = rest.split("-", 1)[1].removesuffix("@posko").upper()
            found.add((date.fromisoformat(day), officer))
        return found


def roster_turns(db, start: date, end: date, officer: str | None = None) -> set[tuple[date, str]]:
    found = set()
    day = start
    while day <= end:
        for officers in on_duty(db, day).values():
            found |= {(day, o) for o in officers if officer in (None, o)}
        day += timedelta(days=1)
    return found


def export(db, path: Path, *extra: str) -> bytes:
    result = run(db, "roster", "export", "--format", "ics", "--out", str(path), *DECEMBER, *extra)
    assert result.exit_code == 0, result.stderr
    return path.read_bytes()


def sequence_of(data: bytes, uid: str) -> tuple[int, str]:
    for event in icalendar.Calendar.from_ical(data).walk("VEVENT"):
        if str(event["uid"]) == uid:
            return int(event["sequence"]), str(event["status"])
    raise AssertionError(f"{uid} not in the file")


def test_importing_after_a_swap_leaves_exactly_the_new_roster(db, tmp_path):
    store = CalendarStore()
    before = export(db, tmp_path / "before.ics")
    store.load(before)
    assert store.turns() == roster_turns(db, date(2026, 12, 1), date(2026, 12, 31))
    assert run(db, "roster", "swap", *SWAP, "--by", COORDINATOR, "--why", "rapat").exit_code == 0
    after = export(db, tmp_path / "after.ics")
    store.load(after)
    expected = roster_turns(db, date(2026, 12, 1), date(2026, 12, 31))
    assert (date(2026, 12, 1), "JP-AS2") in expected
    assert store.turns() == expected
    # The swapped-away turn is cancelled with a higher SEQUENCE; untouched ones keep theirs.
    assert sequence_of(before, "2026-12-01-jp-jp-as1@posko") == (0, "CONFIRMED")
    assert sequence_of(after, "2026-12-01-jp-jp-as1@posko") == (1, "CANCELLED")
    assert sequence_of(after, "2026-12-03-jp-jp-as3@posko") == (0, "CONFIRMED")
    # Swapped back: the same turn returns, its SEQUENCE grows again.
    back = ("2026-12-01", "JP-AS2", "2026-12-02", "JP-AS1")
    assert run(db, "roster", "swap", *back, "--by", COORDINATOR, "--why", "batal").exit_code == 0
    again = export(db, tmp_path / "again.ics")
    assert sequence_of(again, "2026-12-01-jp-jp-as1@posko") == (2, "CONFIRMED")
    store.load(again)
    assert store.turns() == roster_turns(db, date(2026, 12, 1), date(2026, 12, 31))
    # An old file imported late changes nothing: its SEQUENCEs are lower.
    store.load(after)
    assert store.turns() == roster_turns(db, date(2026, 12, 1), date(2026, 12, 31))


def test_a_cancel_message_for_one_off_imports_of_one_officer(db, tmp_path):
    store = CalendarStore()
    store.load(export(db, tmp_path / "budi.ics", "--officer", "JP-AS1"))
    assert (date(2026, 12, 1), "JP-AS1") in store.turns()
    assert run(db, "roster", "swap", *SWAP, "--by", COORDINATOR, "--why", "rapat").exit_code == 0
    cancel = export(db, tmp_path / "batal.ics", "--officer", "JP-AS1", "--cancellations")
    calendar = icalendar.Calendar.from_ical(cancel)
    assert str(calendar["method"]) == "CANCEL"
    events = calendar.walk("VEVENT")
    assert [str(e["uid"]) for e in events] == ["2026-12-01-jp-jp-as1@posko"]
    assert all("organizer" in e and int(e["sequence"]) == 1 for e in events)
    store.load(cancel)
    store.load(export(db, tmp_path / "budi-baru.ics", "--officer", "JP-AS1"))
    assert store.turns() == roster_turns(db, date(2026, 12, 1), date(2026, 12, 31), "JP-AS1")
    assert (date(2026, 12, 2), "JP-AS1") in store.turns()


def test_a_training_calendar_says_latihan(db, tmp_path):
    calendar = icalendar.Calendar.from_ical(export(db, tmp_path / "latihan.ics"))
    assert str(calendar["x-wr-calname"]).startswith("LATIHAN")
    assert all(str(e["summary"]).startswith("LATIHAN") for e in calendar.walk("VEVENT"))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def served(db):
    """`posko serve` on the test database, as an officer's calendar app reaches it."""
    port = _free_port()
    command = Path(sys.executable).with_name("posko")
    env = {**os.environ, "POSKO_DATABASE_URL": db.url, "POSKO_NOW": SESSION_NOW}
    server = subprocess.Popen(
        [str(command), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                httpx.get(base + "/lacak", timeout=1)
                break
            except httpx.TransportError:
                if server.poll() is not None:
                    raise AssertionError(server.stderr.read().decode()) from None
                time.sleep(0.1)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_the_subscription_url_serves_the_current_calendar_until_revoked(db, served):
    made = run(db, "roster", "calendar", "add", "JP-AS1", "--by", COORDINATOR, "--base-url", served)
    assert made.exit_code == 0, made.stderr
    url = made.stdout.splitlines()[0]
    assert url.startswith(served + "/kalender/") and url.endswith(".ics")
    token = url.rsplit("/", 1)[1].removesuffix(".ics")
    with new_session(db.engine) as s:
        (row,) = s.exec(select(CalendarToken)).all()
    assert row.officer_id == "JP-AS1" and token not in row.token_hash  # only a hash is kept

    store = CalendarStore()
    first = httpx.get(url, timeout=30)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/calendar")
    store.load(first.content)
    assert (date(2026, 12, 1), "JP-AS1") in store.turns()
    assert all(officer == "JP-AS1" for _, officer in store.turns())

    assert run(db, "roster", "swap", *SWAP, "--by", COORDINATOR, "--why", "rapat").exit_code == 0
    store.load(httpx.get(url, timeout=30).content)  # the app's next refresh
    assert (date(2026, 12, 1), "JP-AS1") not in store.turns()
    assert (date(2026, 12, 2), "JP-AS1") in store.turns()
    assert {t for t in store.turns() if t[0] <= date(2026, 12, 31)} == roster_turns(
        db, date(2026, 12, 1), date(2026, 12, 31), "JP-AS1"
    )

    assert httpx.get(url.replace(token, token[:-2] + "xx"), timeout=10).status_code == 404
    revoked = run(db, "roster", "calendar", "revoke", str(row.id), "--by", COORDINATOR)
    assert revoked.exit_code == 0, revoked.stderr
    assert httpx.get(url, timeout=10).status_code == 404
    actions = [e.action for e in audit_events(db, "calendar.")]
    assert actions == ["calendar.token.create", "calendar.token.revoke"]


def test_only_a_coordinator_with_a_pin_makes_a_subscription(db):
    refused = run(db, "roster", "calendar", "add", "JP-AS1", "--by", "JP-AS2")
    assert refused.exit_code == 3
    wrong = posko(
        "roster",
        "calendar",
        "add",
        "JP-AS1",
        "--by",
        COORDINATOR,
        db_url=db.url,
        now=SESSION_NOW,
        env={"POSKO_PIN": "000000"},
    )
    assert wrong.exit_code != 0
    with new_session(db.engine) as s:
        assert s.exec(select(CalendarToken)).all() == []


def test_a_cancel_message_with_nothing_to_cancel_is_refused_not_written(db, tmp_path):
    path = tmp_path / "batal.ics"
    result = run(
        db, "roster", "export", "--format", "ics", "--cancellations", "--out", str(path), *DECEMBER
    )
    assert result.exit_code == 2
    assert "tidak ada giliran" in result.stderr
    assert not path.exists()
