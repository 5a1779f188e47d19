"""One clock on every screen: the demo's never runs backwards, the draft dialog shows it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import select

from posko.core.clock import JAKARTA, SimulatedClock
from posko.services import demo
from posko.store.db import make_engine, new_session
from posko.store.models import AuditEvent, StatusEvent
from tests.tui.conftest import settle, sign_in, type_a_draft

pytestmark = pytest.mark.db


class MachineClock(SimulatedClock):
    """The machine's own clock (not a --now), set to a chosen afternoon."""

    simulated = False


async def test_the_draft_dialog_shows_the_kiosks_clock(kiosk, runtime) -> None:
    """The kiosk runs at Tuesday 1 December 2026 08:15 WIB (a training clock);
    the dialog says the draft was typed then, not at the machine's own time."""
    async with kiosk.run_test(size=(120, 40)) as pilot:
        await type_a_draft(pilot)
    saved = json.loads(kiosk.draft.path.read_text())["saved_at"]
    assert datetime.fromisoformat(saved) == runtime.clock.now()

    from posko.tui.app import make_app

    runtime.clock.advance(minutes=3)
    again = make_app(runtime, draft_path=kiosk.draft.path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("f4")
        await settle(pilot)
        question = str(again.screen.query_one(".dialog-title").render())
    assert "01-12-2026 08:15" in question


def _events(engine) -> list[datetime]:  # type: ignore[no-untyped-def]
    with new_session(engine) as session:
        audit = session.exec(select(AuditEvent.at).order_by(AuditEvent.id)).all()
        status = session.exec(select(StatusEvent.at).order_by(StatusEvent.id)).all()
    return list(audit), list(status)


def test_the_demo_clock_continues_from_the_last_event_across_launches(tmp_path, policy) -> None:
    """Launch, take a complaint at 08:19, launch again the same real morning:
    the clock goes on from 08:19, not back to 08:15, and no history runs backwards."""
    from posko.services import intake

    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    real = MachineClock(datetime(2026, 11, 30, 13, 30, tzinfo=JAKARTA))  # Monday afternoon
    first = demo.prepare(engine, real, policy)
    tuesday = datetime(2026, 12, 1, 8, 15, tzinfo=JAKARTA)
    assert abs(first.now() - tuesday) < timedelta(seconds=5)  # the next session, 15 min in

    later = SimulatedClock(tuesday + timedelta(minutes=4))
    with new_session(engine) as session:
        intake.take_complaint(
            session,
            later,
            policy,
            officer_id="JP-AS2",  # the demo roster's officer of Jakarta Pusat that day
            data={
                "reporter": {"name": "Sri Wahyuni", "phone": "081234567890"},
                "category": "banjir",
                "description": "Saluran air tersumbat, banjir tiap hujan di depan pasar",
                "location": {"kota": "31.71", "kecamatan": "31.71.01"},
            },
        )

    again = demo.prepare(
        engine, MachineClock(datetime(2026, 11, 30, 13, 40, tzinfo=JAKARTA)), policy
    )
    assert again.now() >= tuesday + timedelta(minutes=4)
    audit, status = _events(engine)
    assert audit == sorted(audit) and status == sorted(status)

    # After the session ended (the last event at 10:00), the next launch moves on
    # to the next session instead of reopening this one.
    with new_session(engine) as session:
        from posko.services import audit as audit_log

        audit_log.record(
            session,
            SimulatedClock(datetime(2026, 12, 1, 10, 0, tzinfo=JAKARTA)),
            actor="sistem",
            action="test.late",
        )
        session.commit()
    third = demo.prepare(
        engine, MachineClock(datetime(2026, 11, 30, 13, 50, tzinfo=JAKARTA)), policy
    )
    assert third.now().astimezone(JAKARTA).date() == datetime(2026, 12, 2).date()
    audit, _ = _events(engine)
    assert audit == sorted(audit)
    engine.dispose()


def test_a_now_before_the_demos_last_event_is_refused(tmp_path, policy) -> None:
    from posko.core.errors import InvalidInput

    engine = make_engine(f"sqlite:///{tmp_path / 'demo.db'}")
    demo.prepare(engine, SimulatedClock(datetime(2026, 12, 1, 8, 30, tzinfo=JAKARTA)), policy)
    with pytest.raises(InvalidInput, match="never runs backwards"):
        demo.prepare(engine, SimulatedClock(datetime(2026, 12, 1, 8, 0, tzinfo=JAKARTA)), policy)
    engine.dispose()


def test_posko_demo_twice_never_runs_backwards(tmp_path) -> None:
    """The installed command, twice, on one demo database in a fresh home."""
    home = tmp_path / "home"
    env = {
        **os.environ,
        "HOME": str(home),
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_CACHE_HOME": str(home / "cache"),
    }
    env.pop("POSKO_DATABASE_URL", None)
    posko = str(Path(sys.executable).with_name("posko"))
    for _ in range(2):
        done = subprocess.run(
            [posko, "demo", "--no-ui"], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0, done.stderr
        assert "LATIHAN" in done.stdout or "123456" in done.stdout
    engine = make_engine(f"sqlite:///{home / 'data' / 'posko' / 'demo.db'}")
    audit, _ = _events(engine)
    engine.dispose()
    assert len(audit) >= 2 and audit == sorted(audit)
