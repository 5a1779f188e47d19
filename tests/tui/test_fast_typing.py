"""Keys typed at any speed land where the user sent them (fast typists, USB scanners)."""

from __future__ import annotations

import pytest

from tests.tui.conftest import burst, keys, settle

pytestmark = pytest.mark.db


@pytest.mark.parametrize("between", ["tab", "enter"])
async def test_sign_in_typed_in_one_burst(kiosk, between) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await burst(pilot, "tab", *keys("JP-AS1"), between, *keys("123456"), "enter")
        assert kiosk.officer is not None and kiosk.officer.id == "JP-AS1"
        assert kiosk.screen.id == "home"


async def test_sign_in_pressed_in_one_go(kiosk) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2", "tab", *keys("JP-AS1"), "tab", *keys("123456"), "enter")
        await settle(pilot)
        assert kiosk.officer is not None and kiosk.officer.id == "JP-AS1"


async def test_the_whole_intake_form_typed_in_one_burst(kiosk, db) -> None:
    """Pickers are searched by typing: no overlay to open, Enter takes the match."""
    from sqlmodel import select

    from posko.store.db import new_session
    from posko.store.models import Complaint

    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f2")
        await settle(pilot)
        await burst(pilot, "tab", *keys("JP-AS1"), "enter", *keys("123456"), "enter")
        await pilot.press("f4")
        await settle(pilot)
        await burst(
            pilot,
            *["tab"] * 4,  # queue number, anonymous, confidential, priority: to the name
            *keys("Sri Wahyuni"), "enter",
            *keys("3171014501850002"), "enter",
            *keys("081234567890"), "enter",
            "enter", "enter", "enter",  # e-mail, address and status messages left empty
            *keys("banjir"), "enter",
            *keys("Saluran air di depan pasar tersumbat sampah"), "tab",
            "tab",  # kota stays the desk's own
            *keys("gambir"), "enter",
            *keys("kebon kel"), "enter",
            *keys("Jl Kebon Kelapa Raya"), "enter",
        )  # fmt: skip
        assert kiosk.screen.id == "saved", kiosk.screen
    with new_session(db.engine) as session:
        row = session.exec(select(Complaint)).one()
    assert (row.reporter_name, row.reporter_nik, row.reporter_phone) == (
        "Sri Wahyuni",
        "3171014501850002",
        "+6281234567890",
    )
    assert (row.category_code, row.kelurahan_code) == ("banjir", "31.71.01.1005")
    assert row.description == "Saluran air di depan pasar tersumbat sampah"
    assert row.location_address == "Jl Kebon Kelapa Raya"
