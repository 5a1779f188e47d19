"""A whole session at the desk, driven through the keyboard as the duty officer would."""

from __future__ import annotations

import pytest
from sqlmodel import select

from posko.core.signing import DEFAULT_TEMPLATE, build_payload
from posko.services import setup
from posko.store.db import new_session
from posko.store.models import AuditEvent, Complaint, DutySession, Visit
from tests.tui.conftest import TYPED_FLOOD, fill_complaint, settle, sign_in, type_text

pytestmark = pytest.mark.db


async def test_a_whole_session_by_keyboard(kiosk, db, runtime) -> None:
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        assert kiosk.officer is not None and kiosk.officer.id == "JP-AS1"

        # Three arrivals, the third in the priority lane.
        await pilot.press("f3")
        await settle(pilot)
        for key in ("n", "n", "p"):
            await pilot.press(key)
            await settle(pilot)
        await pilot.press("c")  # the priority lane is called first
        await settle(pilot)
        assert kiosk.called_number == 3

        await pilot.press("f4")
        await settle(pilot)
        assert kiosk.screen.id == "intake"
        await fill_complaint(pilot, **TYPED_FLOOD)
        await pilot.press("enter")  # Enter on the last field saves
        await settle(pilot)
        assert kiosk.screen.id == "saved", kiosk.screen
        first_code = kiosk.screen.saved.complaint.code
        # Nothing is handed on before the session's handoff lists are closed.
        shown = " ".join(str(w.render()) for w in kiosk.screen.query("Static"))
        assert "Akan diteruskan ke: Kantor Wali Kota Jakarta Pusat" in shown
        assert "\nDiteruskan ke" not in shown
        await pilot.press("escape")
        await settle(pilot)

        # The next citizen asks for confidentiality.
        await pilot.press("f3")
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert kiosk.called_number == 1
        await pilot.press("f4")
        await settle(pilot)
        await fill_complaint(
            pilot,
            name="Andi Pratama",
            nik="3171010101900003",
            phone="085711112222",
            category="Jalan",
            description="Trotoar rusak dan berlubang di depan sekolah, membahayakan murid",
            kecamatan="Gambir",
            kelurahan="Gambir",
            place="Jl. Medan Merdeka Barat",
            confidential=True,
        )
        await pilot.press("f10")
        await settle(pilot)
        assert kiosk.screen.id == "saved"
        second_code = kiosk.screen.saved.complaint.code
        await pilot.press("escape")
        await settle(pilot)

        with new_session(db.engine) as session:
            rows = {c.code: c for c in session.exec(select(Complaint)).all()}
            secret = setup.qr_secret(session)
            visits = session.exec(select(Visit).order_by(Visit.number)).all()
        first, second = rows[first_code], rows[second_code]
        assert (first.queue_number, first.reporter_nik, first.reporter_phone) == (
            3,
            "3171014501850002",
            "+6281234567890",
        )
        assert first.category_code == "banjir" and first.kelurahan_code == "31.71.01.1005"
        assert first.description == "Saluran air di depan pasar tersumbat sampah, banjir tiap hujan"
        assert first.location_address == "Jl. Kebon Kelapa Raya depan pasar"
        assert first.destination_region == "31.71" and first.priority
        assert not first.confidential
        assert second.confidential and second.queue_number == 1
        assert second.kelurahan_code == "31.71.01.1001"
        assert [(v.number, v.priority, v.state) for v in visits] == [
            (1, False, "served"),
            (2, False, "issued"),
            (3, True, "served"),
        ]
        assert not kiosk.draft.path.exists()  # the draft is gone once saved
        slips = sorted(p.name for p in runtime.settings.slips_dir.iterdir())
        for code in (first_code, second_code):
            assert any(code in name for name in slips), slips

        # A slip's QR text, as a USB scanner types it, then Enter.
        payload = build_payload(DEFAULT_TEMPLATE, second_code, secret)
        await pilot.press("f5")
        await settle(pilot)
        await type_text(pilot, payload)
        await pilot.press("enter")
        await settle(pilot)
        verdict = str(kiosk.screen.query_one("#verdict").render())
        assert "FORGED" not in verdict.upper() and "PALSU" not in verdict.upper()
        assert "genuine" in kiosk.screen.query_one("#verdict").classes
        assert kiosk.screen.found[0].code == second_code
        detail = str(kiosk.screen.query_one("#detail").render())
        assert "Andi" not in detail  # masked: initials only

        # A forged slip: the right shape, the wrong signature.
        await pilot.press("f5")
        await type_text(pilot, payload[:-3] + "aaa")
        await pilot.press("enter")
        await settle(pilot)
        assert "forged" in kiosk.screen.query_one("#verdict").classes
        await pilot.press("escape")
        await settle(pilot)

        # Close the session.
        await pilot.press("f8")
        await settle(pilot)
        await pilot.press("y")
        await settle(pilot)

    with new_session(db.engine) as session:
        closed = session.exec(select(DutySession).where(DutySession.closed_at.is_not(None))).all()
        actions = [e.action for e in session.exec(select(AuditEvent)).all()]
    assert [s.closed_by for s in closed] == ["JP-AS1"]
    assert actions.count("complaint.create") == 2 and "session.close" in actions
    assert actions.count("queue.issue") == 3 and "signin" in actions
