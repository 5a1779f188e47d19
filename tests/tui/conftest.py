"""Fixtures of the kiosk's tests: the app built by the same factory as `posko kiosk`."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual import events
from textual.pilot import Pilot

from posko.runtime import Runtime
from posko.tui.app import PoskoApp, make_app


@pytest.fixture
def kiosk(runtime: Runtime, tmp_path: Path) -> PoskoApp:
    return make_app(runtime, draft_path=tmp_path / "draft.json")


async def settle(pilot: Pilot) -> None:
    """Let every typed key be handled, every database worker finish and the screen catch up."""
    from contextlib import suppress

    from textual.worker import WorkerCancelled

    app = pilot.app
    for _ in range(400):
        with suppress(WorkerCancelled):  # a look-up replaced by a newer one (exclusive)
            await app.workers.wait_for_complete()
        await pilot.pause()
        if not app.workers._workers and not app._input_line and not app._input_busy:
            break
    await pilot.pause()


async def steady(pilot: Pilot) -> None:
    """Settled, with no toast and no blinking cursor: what a snapshot may compare."""
    from textual.widgets import Input, TextArea

    await settle(pilot)
    pilot.app.clear_notifications()
    for widget in pilot.app.screen.query("Input, TextArea"):
        if isinstance(widget, Input | TextArea):
            widget.cursor_blink = False
    await pilot.pause()


async def type_text(pilot: Pilot, text: str) -> None:
    """Key by key, as a person or a USB barcode scanner types."""
    await pilot.press(*["space" if char == " " else char for char in text])


KEY_CHARACTERS = {"tab": "\t", "enter": "\r", "space": " ", "minus": "-"}


def key_event(name: str) -> events.Key:
    """The Key event a terminal sends for key `name` (no character for Backspace, F-keys…)."""
    return events.Key(name, KEY_CHARACTERS.get(name, name if len(name) == 1 else None))


def keys(text: str) -> list[str]:
    """Key names for `text`, as pilot.press takes them."""
    names = {" ": "space", "-": "minus"}
    return [names.get(char, char) for char in text]


# A sign-in and a whole complaint form, as keys typed one after another (`burst`).
SIGN_IN = ["f2", "tab", *keys("JP-AS1"), "enter", *keys("123456"), "enter"]
FORM = [
    "tab", "tab", "tab", "tab",
    *keys("Sri Wahyuni"), "enter", "enter", *keys("081234567890"), "enter", "enter", "enter",
    "enter",  # no consent to status messages
    *keys("banjir"), "enter", *keys("Saluran air di depan pasar tersumbat"), "tab",
    "tab", *keys("gambir"), "tab", *keys("kebon kel"), "tab", *keys("Jl Kebon Kelapa"),
]  # fmt: skip


async def burst(pilot: Pilot, *names: str) -> None:
    """Keys queued all at once, as a terminal delivers a scanner's or a fast typist's burst.

    pilot.press waits for the app to idle after each key; this does not.
    """
    for name in names:
        pilot.app.post_message(key_event(name))
    await settle(pilot)


async def paste(pilot: Pilot, text: str) -> None:
    """A terminal paste, as the driver delivers it: the app hands it to the focused widget."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def sign_in(pilot, officer_id: str = "JP-AS1", pin: str = "123456") -> None:
    await pilot.press("f2")
    await settle(pilot)
    await pilot.press("tab")  # from the roster pick to the id field
    await type_text(pilot, officer_id)
    await pilot.press("enter")
    await type_text(pilot, pin)
    await pilot.press("enter")
    await settle(pilot)


async def type_a_draft(pilot) -> None:
    """Sign in, open the form and type a name and a description: a draft, left unsaved."""
    await settle(pilot)
    await sign_in(pilot)
    await pilot.press("f4")
    await settle(pilot)
    pilot.app.screen.query_one("#f-name").focus()
    await pilot.pause()
    await type_text(pilot, "Sri Wahyuni")
    pilot.app.screen.query_one("#f-description").focus()
    await pilot.pause()
    await paste(pilot, "Lampu jalan mati sejak seminggu di gang sempit")
    await settle(pilot)


async def pick(pilot, search: str) -> None:
    """Type to search in the focused picker; Enter takes the match and moves on."""
    await type_text(pilot, search)
    await pilot.press("enter")
    await settle(pilot)


# The walk-in of the kiosk tests: as typed into the form (`fill_complaint`), and as
# the JSON the services take.
TYPED_FLOOD = {
    "name": "Sri Wahyuni",
    "nik": "3171014501850002",
    "phone": "081234567890",
    "category": "Banjir",
    "description": "Saluran air di depan pasar tersumbat sampah, banjir tiap hujan",
    "kecamatan": "Gambir",
    "kelurahan": "Kebon Kelapa",
    "place": "Jl. Kebon Kelapa Raya depan pasar",
}
FLOOD = {
    "reporter": {"name": "Sri Wahyuni", "nik": "3171014501850002", "phone": "081234567890"},
    "category": "banjir",
    "description": "Saluran air di depan pasar tersumbat sampah, banjir tiap hujan",
    "location": {"kota": "31.71", "kecamatan": "31.71.01", "kelurahan": "31.71.01.1005"},
}


async def fill_complaint(
    pilot,
    *,
    name,
    nik,
    phone,
    category,
    description,
    kecamatan,
    kelurahan,
    place,
    confidential=False,
    contact=None,
) -> None:
    screen = pilot.app.screen
    screen.query_one("#f-anonymous").focus()
    await pilot.press("tab")  # confidential
    if confidential:
        await pilot.press("space")
    await pilot.press("tab", "tab")  # priority, then name
    await type_text(pilot, name)
    await pilot.press("enter")
    await type_text(pilot, nik)
    await pilot.press("enter")
    await type_text(pilot, phone)
    await pilot.press("enter", "enter", "enter")  # e-mail and address left empty
    if contact:
        await pick(pilot, contact)  # the channel the citizen agreed to be told by
    else:
        await pilot.press("enter")  # no consent to status messages
    await pick(pilot, category)
    await paste(pilot, description)
    await pilot.press("tab", "tab")  # kota stays the desk's own
    await pick(pilot, kecamatan)
    await pick(pilot, kelurahan)
    await paste(pilot, place)
