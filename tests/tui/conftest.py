"""Fixtures of the kiosk's tests: the app built by the same factory as `posko kiosk`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from posko.runtime import Runtime
from posko.tui.app import PoskoApp, make_app


@pytest.fixture
def kiosk(runtime: Runtime, tmp_path: Path) -> PoskoApp:
    return make_app(runtime, draft_path=tmp_path / "draft.json")


async def settle(pilot: Pilot) -> None:
    """Let every database worker finish and the screen catch up."""
    for _ in range(5):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not pilot.app.workers._workers:
            break
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    """Key by key, as a person or a USB barcode scanner types."""
    await pilot.press(*["space" if char == " " else char for char in text])


async def paste(pilot: Pilot, text: str) -> None:
    """A terminal paste into the focused widget: long texts without a key per letter."""
    from textual import events

    assert pilot.app.focused is not None
    pilot.app.focused.post_message(events.Paste(text))
    await pilot.pause()
