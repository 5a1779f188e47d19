"""The regional office's scan screen: sign in, scan slip after slip, see what still waits."""

from __future__ import annotations

import pytest
from sqlmodel import select

from posko.core.signing import DEFAULT_TEMPLATE, build_payload
from posko.services import closeout, intake, setup
from posko.store.db import new_session
from posko.store.models import Complaint
from tests.tui.conftest import FLOOD, settle, type_text

pytestmark = pytest.mark.db


def status_of(runtime, code: str) -> str:
    with new_session(runtime.engine) as session:
        return session.exec(select(Complaint.status).where(Complaint.code == code)).one()


async def test_the_office_scans_a_genuine_slip_and_a_forged_one(kiosk, runtime) -> None:
    template = DEFAULT_TEMPLATE
    with new_session(runtime.engine) as session:
        codes = [
            intake.take_complaint(
                session, runtime.clock, runtime.policy, officer_id="JP-AS1", data=FLOOD
            ).complaint.code
            for _ in range(2)
        ]
        closeout.close_session(session, runtime.clock, runtime.policy, "JP-AS1")
        genuine = build_payload(template, codes[0], setup.qr_secret(session))
    forged = build_payload(template, codes[1], b"not the desk's secret, 32 bytes!")

    async with kiosk.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        await type_text(pilot, "JP-WL1")
        await pilot.press("enter")
        await type_text(pilot, "123456")
        await pilot.press("enter")
        await settle(pilot)
        screen = pilot.app.screen
        pending = str(screen.query_one("#scan-pending").render())
        assert codes[0] in pending and codes[1] in pending
        for payload in (genuine, forged):
            await type_text(pilot, payload)
            await pilot.press("enter")
            await settle(pilot)
        assert screen.query_one("#scan-input").has_focus
        assert screen.query_one("#scan-input").value == ""
        results = str(screen.query_one("#scan-results").render())
        pending = str(screen.query_one("#scan-pending").render())

    assert status_of(runtime, codes[0]) == "diterima_wilayah"
    assert status_of(runtime, codes[1]) == "diserahkan"
    lines = results.splitlines()
    assert lines[1] == f"✓ {codes[0]} diterima"
    assert lines[0].startswith("✗ ") and codes[1] in lines[0]
    assert codes[0] not in pending and codes[1] in pending


async def test_slip_cli_and_scan_screen_show_one_deadline(kiosk, runtime) -> None:
    """Handed off on Tuesday 1 December: the office must acknowledge by the end of
    Wednesday 2 December, on paper, in the CLI and on the screen alike (the
    screen used to show the midnight after it, Kamis 03-12-2026 00:00)."""
    from datetime import date

    from posko.services import slips
    from tests.cli_helpers import posko

    with new_session(runtime.engine) as session:
        code = intake.take_complaint(
            session, runtime.clock, runtime.policy, officer_id="JP-AS1", data=FLOOD
        ).complaint.code
        closeout.close_session(session, runtime.clock, runtime.policy, "JP-AS1")
        row = session.exec(select(Complaint).where(Complaint.code == code)).one()
        slip = slips.slip_data(session, runtime.settings, runtime.policy, row)
    assert slip.next_deadline == date(2026, 12, 2)

    cli = posko("handoff", "pending", db_url=runtime.url, now=runtime.clock.now().isoformat())
    assert cli.exit_code == 0, cli.stderr
    assert "Rabu, 2 Desember 2026" in cli.stdout and "3 Desember" not in cli.stdout

    async with kiosk.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("f11")
        await settle(pilot)
        await type_text(pilot, "JP-WL1")
        await pilot.press("enter")
        await type_text(pilot, "123456")
        await pilot.press("enter")
        await settle(pilot)
        pending = str(pilot.app.screen.query_one("#scan-pending").render())
    assert "Rabu 02-12-2026" in pending
    assert "03-12-2026" not in pending and "00:00" not in pending
