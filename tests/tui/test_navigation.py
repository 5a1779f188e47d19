"""Where each key takes the desk, and what the screens say, typed as a person types."""

from __future__ import annotations

import pytest
from textual.widgets import Digits

from posko.tui.app import make_app
from tests.tui.conftest import FORM, SIGN_IN, burst, keys, settle

pytestmark = pytest.mark.db


def digits(screen, selector: str) -> str:
    return screen.query_one(selector, Digits).value


async def test_f3_on_the_saved_screen_opens_the_queue_and_keys_go_on_there(kiosk) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "f4", *FORM, "f10", "f3", "n")
        assert kiosk.screen.id == "queue-screen", kiosk.screen
        assert digits(kiosk.screen, "#issued") == "2"  # the saved complaint took number 1


async def test_f5_on_the_queue_screen_looks_up(kiosk) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "f3", "f5", *keys("PKB"))
        assert kiosk.screen.id == "lookup"
        assert kiosk.focused.value == "PKB"


async def test_picking_oneself_from_the_roster_moves_to_the_pin(kiosk) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        first = kiosk.status.state.session.officers[0]
        await burst(pilot, "f2", "enter", "down", "enter", *keys("123456"), "enter")
        assert kiosk.officer is not None and kiosk.officer.id == first.id


async def test_a_queue_number_refused_shows_at_its_field_on_a_small_screen(kiosk) -> None:
    async with kiosk.run_test(size=(60, 20)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "f4", *keys("77"), *FORM, "f10")
        screen = kiosk.screen
        assert screen.id == "intake"
        error = screen.query_one("#e-queue")
        assert "Nomor antrean 77" in str(error.render())
        assert kiosk.focused is screen.query_one("#f-queue")
        # Both the field and its error line are on the 60x20 screen, not scrolled away.
        assert error.region.height and error.region.y < 20
        assert kiosk.focused.region.height and kiosk.focused.region.y < 20


async def test_the_last_number_survives_reopening_the_queue(kiosk) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "f3", "n", "n", "escape", "f3")
        assert kiosk.screen.id == "queue-screen"
        assert digits(kiosk.screen, "#issued") == "2"


async def test_being_served_agrees_with_the_form_after_a_restart(kiosk, runtime, tmp_path) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, *SIGN_IN, "f3", "n", "n", "c")
        assert kiosk.called_number == 1
    again = make_app(runtime, draft_path=tmp_path / "again.json")  # the kiosk was restarted
    async with again.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "1" in str(again.screen.query_one("#queue-box").render())  # being served: 1
        await burst(pilot, *SIGN_IN, "f3")
        assert digits(again.screen, "#serving") == "1"
        await burst(pilot, "f4")
        assert again.screen.query_one("#f-queue").value == "1"


async def test_closing_a_screen_cancels_its_work_and_drops_the_result(kiosk) -> None:
    import threading

    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "f5")
        screen = kiosk.screen
        release, delivered = threading.Event(), []
        worker = screen.run_job(lambda: release.wait(10) and "late", delivered.append)
        await burst(pilot, "escape")
        assert kiosk.screen.id == "home"
        assert worker.is_cancelled
        release.set()
        await settle(pilot)
        assert delivered == []


async def test_page_down_on_the_roster_shows_the_next_month(kiosk) -> None:
    """The table's own PageDown (scrolling) once hid the roster's month keys."""
    from tests.roster.helpers import COORDINATOR

    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "f7", *keys(COORDINATOR), "enter", *keys("123456"), "enter")
        assert "Desember 2026" in str(kiosk.screen.query_one("#roster-title").render())
        await burst(pilot, "pagedown")
        assert "Januari 2027" in str(kiosk.screen.query_one("#roster-title").render())
