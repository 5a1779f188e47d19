"""What the kiosk refuses and what it keeps: a closed desk, sign-in rules, the draft."""

from __future__ import annotations

import json
import stat

import pytest
from sqlmodel import select

from posko.store.db import new_session
from posko.store.models import Complaint
from tests.conftest import wib
from tests.tui.conftest import paste, pick, settle, sign_in, type_a_draft, type_text

pytestmark = pytest.mark.db


async def test_closed_desk_keeps_intake_shut_and_says_when_next(kiosk, clock) -> None:
    clock.set(wib("2026-12-04 10:00"))  # a Friday: no session
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        phase = str(kiosk.screen.query_one("#phase").render())
        assert "TUTUP" in phase and "Senin 07-12-2026 08:00 WIB" in phase
        await pilot.press("f4")
        await settle(pilot)
        assert kiosk.screen.id == "home"
        messages = [n.message for n in kiosk._notifications]
        assert any("Senin 07-12-2026 08:00 WIB" in m for m in messages), messages


async def test_before_eight_intake_waits_for_the_opening(kiosk, clock) -> None:
    clock.set(wib("2026-12-01 07:40"))
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        assert kiosk.screen.id == "home"
        assert any("08:00" in n.message for n in kiosk._notifications)


async def test_an_officer_not_on_duty_cannot_sign_in_for_intake(kiosk) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "JP-AS2")  # right PIN, not on today's roster
        assert kiosk.officer is None
        error = str(kiosk.screen.query_one("#sign-in-error").render())
        assert "JP-AS2" in error and "tidak bertugas" in error


async def test_a_wrong_pin_is_refused_and_counted(kiosk, db) -> None:
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot, "JP-AS1", "000000")
        assert kiosk.officer is None
        assert "PIN salah" in str(kiosk.screen.query_one("#sign-in-error").render())
    from posko.store.models import Officer

    with new_session(db.engine) as session:
        assert session.get(Officer, "JP-AS1").failed_pins == 1


async def test_the_draft_survives_a_closed_kiosk_and_is_offered_back(kiosk, runtime, db) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await type_a_draft(pilot)
    # The terminal was closed mid-complaint: the draft is on disk, for the desk's account only.
    path = kiosk.draft.path
    assert json.loads(path.read_text())["fields"]["name"] == "Sri Wahyuni"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600

    from posko.tui.app import make_app

    again = make_app(runtime, draft_path=path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("y")  # restore it
        await settle(pilot)
        screen = again.screen
        assert screen.query_one("#f-name").value == "Sri Wahyuni"
        assert "Lampu jalan" in screen.query_one("#f-description").text
        # Escape asks before throwing typed work away.
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)
        assert again.screen.id == "home"
    assert not path.exists()
    with new_session(db.engine) as session:
        assert session.exec(select(Complaint)).all() == []


async def test_the_form_shows_the_citizens_earlier_complaints_and_similar_ones(
    kiosk, runtime
) -> None:
    from posko.services import intake

    with new_session(runtime.engine) as session:
        earlier = intake.take_complaint(
            session,
            runtime.clock,
            runtime.policy,
            officer_id="JP-AS1",
            data={
                "reporter": {
                    "name": "Sri Wahyuni",
                    "nik": "3171014501850002",
                    "phone": "081234567890",
                },
                "category": "banjir",
                "description": "Saluran air di depan pasar tersumbat sampah, banjir tiap hujan",
                "location": {
                    "kota": "31.71",
                    "kecamatan": "31.71.01",
                    "kelurahan": "31.71.01.1005",
                },
            },
        ).complaint.code
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("f4")
        await settle(pilot)
        kiosk.screen.query_one("#f-phone").focus()
        await pilot.pause()
        await type_text(pilot, "0812 3456 7890")
        await settle(pilot)
        assert earlier in str(kiosk.screen.query_one("#history-box").render())
        assert not kiosk.screen.query_one("#warning-similar").display
        kiosk.screen.query_one("#f-kecamatan").focus()
        await pilot.pause()
        await pick(pilot, "Gambir")
        await pick(pilot, "Kebon Kelapa")
        kiosk.screen.query_one("#f-description").focus()
        await pilot.pause()
        await paste(pilot, "banjir tiap hujan, saluran depan pasar tersumbat")
        await pilot.pause(0.8)  # the check waits for a pause in the typing
        await settle(pilot)
        warning = kiosk.screen.query_one("#warning-similar")
        assert warning.display and earlier in str(warning.render())


async def test_the_command_palette_lists_the_desks_commands(kiosk) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        titles = [command.title for command in kiosk.get_system_commands(kiosk.screen)]
        for title in ("Masuk (F2)", "Pengaduan baru (F4)", "Cari (F5)", "Tutup sesi (F8)"):
            assert title in titles
        await pilot.press("ctrl+p")
        await type_text(pilot, "cari")
        await pilot.press("enter")
        await settle(pilot)
        assert kiosk.screen.id == "lookup"


async def test_after_half_past_nine_no_new_numbers_but_the_queue_is_served(kiosk, db, clock):
    from posko.store.models import Visit

    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await sign_in(pilot)  # numbers are called to the signed-in officer's desk
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        clock.set(wib("2026-12-01 09:35"))
        await pilot.press("n")
        await settle(pilot)
        assert any("09:30" in n.message for n in kiosk._notifications)
        await pilot.press("c")  # the one already waiting is still called
        await settle(pilot)
        assert kiosk.called_number == 1
    with new_session(db.engine) as session:
        rows = session.exec(select(Visit)).all()
        assert [(v.number, v.state, v.desk) for v in rows] == [(1, "called", "JP")]


async def test_a_coordinator_admits_an_officer_who_then_signs_in(kiosk, db) -> None:
    from posko.store.models import AuditEvent, DutyOverride

    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("f6")
        await settle(pilot)
        for text in ("JP-AS2", "Pengganti JP-AS1 yang sedang sakit", "PV-KO1", "123456"):
            await type_text(pilot, text)
            await pilot.press("enter")
        await settle(pilot)
        assert kiosk.screen.id == "home"
        await sign_in(pilot, "JP-AS2")
        assert kiosk.officer is not None and kiosk.officer.id == "JP-AS2"
    with new_session(db.engine) as session:
        grant = session.exec(select(DutyOverride)).one()
        assert (grant.officer_id, grant.granted_by) == ("JP-AS2", "PV-KO1")
        audit = session.exec(select(AuditEvent).where(AuditEvent.action == "duty.override")).one()
        assert "sakit" in audit.detail


async def test_an_anonymous_complaint_keeps_no_identity(kiosk, db) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("f4")
        await settle(pilot)
        screen = kiosk.screen
        screen.query_one("#f-name").focus()
        await pilot.pause()
        await type_text(pilot, "Budi")  # typed, then the citizen asks for anonymity
        screen.query_one("#f-anonymous").focus()
        await pilot.pause()
        await pilot.press("space")
        await settle(pilot)
        assert not screen.query_one("#identity").display
        screen.query_one("#f-category").focus()
        await pilot.pause()
        await pick(pilot, "Jalan")
        await paste(pilot, "Jalan berlubang besar di depan kantor kelurahan")
        await pilot.press("f10")
        await settle(pilot)
        assert kiosk.screen.id == "saved"
    with new_session(db.engine) as session:
        row = session.exec(select(Complaint)).one()
    assert row.anonymous and row.reporter_name is None and row.reporter_phone is None
