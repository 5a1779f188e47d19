"""What the desk sees of consent and of failing messages: the office copy, the
status page's stop button, the kiosk's home."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
from sqlalchemy import text

from posko.printing.layout import office_copy_pdf
from posko.tui.app import make_app
from tests.handoff.conftest import complaint_data, payload
from tests.handoff.helpers import close_session
from tests.outbox.helpers import add_complaint, drain, free_port, serving, write_config
from tests.printing.helpers import anonymous, pdf_text, slip_for
from tests.tui.conftest import settle

CONSENT = {"consent": True, "channel": "sms"}


def _flat(pdf: bytes) -> str:
    return " ".join(pdf_text(pdf).split())


def test_the_office_copy_states_the_consent_its_purpose_and_how_to_withdraw() -> None:
    given = _flat(office_copy_pdf(slip_for(contact_channel="whatsapp")))
    assert (
        "Persetujuan Dihubungi lewat WhatsApp, hanya untuk kabar status; dapat dicabut di "
        "posko atau halaman status." in given
    )
    withdrawn = _flat(office_copy_pdf(slip_for(contact_channel="sms", consent_withdrawn=True)))
    assert "Persetujuan Dicabut: pelapor tidak lagi dikabari lewat SMS." in withdrawn
    assert "Persetujuan" not in _flat(office_copy_pdf(slip_for()))
    assert "Persetujuan" not in _flat(office_copy_pdf(anonymous(slip_for(contact_channel="sms"))))


def test_the_citizen_stops_the_messages_from_the_status_page_with_the_slips_signature(
    db, tmp_path
) -> None:
    env = write_config(tmp_path / "config.toml", f'[notify]\nfolder = "{tmp_path / "pesan"}"\n')
    code = add_complaint(
        db.url,
        complaint_data("31.71", "Saluran air di Cideng tersumbat.", contact=CONSENT),
        env,
    )
    parts = urlsplit(payload(db, code))
    with serving(db.url, "2026-12-01T09:00:00+07:00", free_port()) as base:
        site = base.removesuffix("/open311/v2")
        page = httpx.get(f"{site}{parts.path}?{parts.query}")
        assert "lewat SMS" in page.text and "Berhenti menerima pesan" in page.text
        forged = httpx.post(f"{site}{parts.path}/berhenti?s=zz{parts.query[2:]}")
        assert forged.status_code == 404
        stopped = httpx.post(f"{site}{parts.path}/berhenti?{parts.query}", follow_redirects=True)
        assert stopped.status_code == 200
        assert "Anda tidak akan menerima pesan lagi" in stopped.text
        again = httpx.get(f"{site}{parts.path}?{parts.query}")
        assert "Berhenti menerima pesan" not in again.text
    close_session(db, tmp_path, env)
    assert drain(db.url, "2026-12-01T09:50:00+07:00", env)["sent"] == 0
    with db.engine.connect() as conn:
        actor = conn.execute(
            text("SELECT actor FROM audit_event WHERE action = 'consent.withdraw'")
        ).scalar_one()
        queued = conn.execute(text("SELECT count(*) FROM outbox_message")).scalar_one()
    assert actor == "warga" and queued == 0


async def test_the_kiosk_home_counts_the_failing_messages(db, runtime, tmp_path) -> None:
    env = write_config(
        tmp_path / "config.toml",
        f'[notify.sms]\nsender = "gateway"\nurl = "http://127.0.0.1:{free_port()}/send"\n',
    )
    add_complaint(
        db.url, complaint_data("31.71", "Saluran air di Cideng tersumbat.", contact=CONSENT), env
    )
    close_session(db, tmp_path, env)
    assert drain(db.url, "2026-12-01T09:50:00+07:00", env)["retrying"] == 1
    kiosk = make_app(runtime, draft_path=tmp_path / "draft.json")
    async with kiosk.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        box = kiosk.screen.query_one("#messages")
        assert box.display
        assert "1 pesan gagal terkirim" in str(box.render())


async def test_the_kiosk_form_records_the_consent_and_its_channel(db, runtime, tmp_path) -> None:
    from sqlmodel import select

    from posko.store.db import new_session
    from posko.store.models import Complaint
    from tests.tui.conftest import TYPED_FLOOD, fill_complaint, sign_in

    kiosk = make_app(runtime, draft_path=tmp_path / "draft.json")
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await fill_complaint(pilot, **TYPED_FLOOD, contact="wa")
        await pilot.press("enter")
        await settle(pilot)
        assert kiosk.screen.id == "saved", kiosk.screen
    with new_session(db.engine) as session:
        row = session.exec(select(Complaint)).one()
    assert (row.contact_channel, row.reporter_phone) == ("whatsapp", "+6281234567890")
    assert row.consent_at is not None
