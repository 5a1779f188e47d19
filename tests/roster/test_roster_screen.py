"""The roster screen in the kiosk, driven from the keyboard as a coordinator would."""

from __future__ import annotations

from datetime import date

import pytest
from textual.widgets import DataTable, Static

from posko.tui.app import make_app
from posko.tui.screens.roster import RosterScreen
from tests.roster.helpers import COORDINATOR, audit_count, on_duty, roster_snapshot
from tests.tui.conftest import settle, type_text

pytestmark = pytest.mark.db
SIZE = (130, 40)


@pytest.fixture
def kiosk(runtime, tmp_path):
    return make_app(runtime, draft_path=tmp_path / "draft.json")


async def open_roster(pilot) -> RosterScreen:
    """F7, the coordinator's id and PIN, then December 2026 (the clock's month)."""
    await settle(pilot)
    await pilot.press("f7")
    await settle(pilot)
    await type_text(pilot, COORDINATOR)
    await pilot.press("enter")
    await type_text(pilot, "123456")
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, RosterScreen)
    return screen


async def go_to(pilot, screen: RosterScreen, day: date, desk: str) -> None:
    """Move the cursor with the arrow keys, as a person does."""
    table = screen.query_one(DataTable)
    row = next(i for i, r in enumerate(screen.month.rows) if r.day == day)
    column = 1 + [d.code for d in pilot.app.runtime.policy.desks].index(desk)
    while table.cursor_row != row:
        await pilot.press("down" if table.cursor_row < row else "up")
    while table.cursor_column != column:
        await pilot.press("right" if table.cursor_column < column else "left")


async def answer(pilot, *values: str) -> None:
    """Fill the form's fields in order, Enter after each."""
    for value in values:
        if value:
            await type_text(pilot, value)
        await pilot.press("enter")
    await settle(pilot)


def message(screen: RosterScreen) -> str:
    return str(screen.query_one("#roster-message", Static).render())


async def test_the_month_shows_sessions_and_holidays_in_indonesian(kiosk, db):
    async with kiosk.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        assert screen.month.title == "Desember 2026"
        days = {r.day: r for r in screen.month.rows}
        assert all(d.weekday() < 4 for d in days)
        assert days[date(2026, 12, 1)].label == "Sel 1 Des"
        assert days[date(2026, 12, 1)].officers["JP"] == ["JP-AS1"]
        assert days[date(2026, 12, 24)].note == "Tutup: Cuti Bersama Hari Raya Natal"
        assert not days[date(2026, 12, 24)].has_session


async def test_the_month_and_its_dates_in_english(runtime, tmp_path, db):
    """English mode is English throughout: the month, the day labels, dates in messages."""
    from dataclasses import replace

    runtime.settings = replace(runtime.settings, language="en")
    app = make_app(runtime, draft_path=tmp_path / "draft.json")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        assert screen.month.title == "December 2026"
        days = {r.day: r for r in screen.month.rows}
        assert days[date(2026, 12, 1)].label == "Tue 1 Dec"
        await go_to(pilot, screen, date(2026, 12, 3), "JP")
        await pilot.press("c")
        await settle(pilot)
        title = pilot.app.screen.query_one(".dialog-title", Static)
        assert str(title.render()) == "Close the desk on Thursday, 3 December 2026"
        await answer(pilot, "city event")
        assert message(screen) == "The desk is closed on Thursday, 3 December 2026."
        days = {r.day: r for r in screen.month.rows}
        assert days[date(2026, 12, 3)].note == "Closed: city event"


async def test_a_duty_officer_cannot_open_the_roster(kiosk, db):
    async with kiosk.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await pilot.press("f7")
        await settle(pilot)
        await type_text(pilot, "JP-AS1")
        await pilot.press("enter")
        await type_text(pilot, "123456")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, RosterScreen)
        assert "JP-AS1" in str(pilot.app.screen.query_one("#form-error", Static).render())


async def test_a_swap_from_the_keyboard(kiosk, db):
    async with kiosk.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        await go_to(pilot, screen, date(2026, 12, 1), "JP")
        await pilot.press("s")
        await go_to(pilot, screen, date(2026, 12, 2), "JP")
        await pilot.press("s")
        await settle(pilot)
        await answer(pilot, "rapat dinas")
        assert "JP-AS1" in message(screen)
        assert screen.month.rows[0].officers["JP"] == ["JP-AS2"]  # the screen reloaded
    assert on_duty(db, date(2026, 12, 1))["JP"] == ["JP-AS2"]
    assert on_duty(db, date(2026, 12, 2))["JP"] == ["JP-AS1"]


async def test_an_absence_with_a_fill_in(kiosk, db):
    async with kiosk.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        await go_to(pilot, screen, date(2026, 12, 2), "JT")
        await pilot.press("b")
        await settle(pilot)
        await answer(pilot, "", "", "sakit")  # from and to default to the day
        question = str(pilot.app.screen.question)
        assert "Rabu, 2 Desember 2026 JT: JT-AS2 → JT-" in question
        fill_in = question.split("→ ")[1].split()[0]
        await pilot.press("y")
        await settle(pilot)
    assert on_duty(db, date(2026, 12, 2))["JT"] == [fill_in]


async def test_a_refused_assignment_is_shown_and_nothing_is_saved(kiosk, db):
    before, events = roster_snapshot(db), audit_count(db)
    async with kiosk.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        events = audit_count(db)  # the coordinator's sign-in is audited too
        await go_to(pilot, screen, date(2026, 12, 3), "JP")
        await pilot.press("a")
        await settle(pilot)
        await answer(pilot, "JU-AS1", "", "coba")  # "in place of" is prefilled
        assert isinstance(pilot.app.screen, RosterScreen)
        text = message(screen)
        assert "JU-AS1" in text and "31.72" in text
        assert screen.query_one("#roster-message").has_class("refused")
    assert roster_snapshot(db) == before
    assert audit_count(db) == events


async def test_a_refusal_on_the_screen_is_a_sentence_with_its_date_in_words(kiosk, db):
    async with kiosk.run_test(size=SIZE) as pilot:
        screen = await open_roster(pilot)
        for _attempt in range(2):
            await go_to(pilot, screen, date(2026, 12, 3), "JP")
            await pilot.press("c")
            await settle(pilot)
            await answer(pilot, "acara kota")
        # The catalogue's "posko sudah ditutup …" follows "Kesalahan: " on the command
        # line; shown alone, it starts with a capital.
        assert message(screen) == "Posko sudah ditutup pada Kamis, 3 Desember 2026"
