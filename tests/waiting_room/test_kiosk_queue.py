"""The kiosk's queue screen: N prints a ticket, C calls to the desk, R announces again."""

from __future__ import annotations

from sqlalchemy import text

from tests.tui.conftest import kiosk, settle, sign_in  # noqa: F401 (kiosk is a fixture)


async def test_the_kiosk_prints_tickets_and_calls_by_desk(kiosk, db, tmp_path) -> None:  # noqa: F811
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("c")  # not signed in: nobody's desk to call to
        await settle(pilot)
        assert any("Silakan masuk terlebih dahulu" in n.message for n in kiosk._notifications)
        await pilot.press("escape")
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("f3")
        await settle(pilot)
        for key in ("n", "p", "c", "r"):
            await pilot.press(key)
            await settle(pilot)
        told = [n.message for n in kiosk._notifications]
        assert any("Nomor antrean 2 (prioritas)" in m and "Tiket disimpan" in m for m in told)
        assert any("Memanggil ulang nomor 2" in m for m in told)
        assert (tmp_path / "slips" / "antrean-20261201-001.pdf").exists()
        assert (tmp_path / "slips" / "antrean-20261201-002.pdf").exists()
        with db.engine.connect() as conn:
            called = conn.execute(
                text("SELECT number, state, desk, calls FROM visit WHERE state = 'called'")
            ).all()
        assert [tuple(row) for row in called] == [(2, "called", "JP", 2)]
        await pilot.press("x")
        await settle(pilot)
        with db.engine.connect() as conn:
            state = conn.execute(text("SELECT state FROM visit WHERE number = 2")).scalar_one()
        assert state == "no_show"
