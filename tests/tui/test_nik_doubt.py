"""A Jakarta NIK whose kota does not exist: the officer checks the card and confirms it."""

from __future__ import annotations

import pytest
from sqlmodel import select

from posko.store.db import new_session
from posko.store.models import Complaint
from tests.tui.conftest import TYPED_FLOOD, fill_complaint, settle, sign_in

pytestmark = pytest.mark.db

NIK = "3176010101800001"  # Jakarta has no kota 76


async def _form_with_doubtful_nik(pilot) -> None:
    await settle(pilot)
    await sign_in(pilot)
    await pilot.press("f4")
    await settle(pilot)
    await fill_complaint(pilot, **{**TYPED_FLOOD, "nik": NIK})
    await pilot.press("f10")
    await settle(pilot)


async def test_the_officer_confirms_a_nik_with_an_unknown_kota(kiosk, db) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await _form_with_doubtful_nik(pilot)
        question = " ".join(str(w.render()) for w in kiosk.screen.query(".dialog-title"))
        assert "31.76" in question and "KTP" in question, question
        await pilot.press("y")
        await settle(pilot)
        assert kiosk.screen.id == "saved", kiosk.screen
    with new_session(db.engine) as session:
        (saved,) = session.exec(select(Complaint)).all()
        assert saved.reporter_nik == NIK


async def test_declining_goes_back_to_the_nik_and_saves_nothing(kiosk, db) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await _form_with_doubtful_nik(pilot)
        await pilot.press("n")
        await settle(pilot)
        assert kiosk.screen.id == "intake"
        assert kiosk.focused is not None and kiosk.focused.id == "f-nik"
        error = kiosk.screen.query_one("#e-nik")
        assert "31.76" in str(error.render())
    with new_session(db.engine) as session:
        assert session.exec(select(Complaint)).all() == []
