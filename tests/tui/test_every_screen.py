"""Every screen of the kiosk, for every role, at 80x24 and 120x40, in Indonesian.

Three things a desk officer would notice: every key the screen offers is on
the screen (the key bar never cuts one off), no English of Textual's (or of
ours) shows in Indonesian mode, and the screens look as they did (snapshots).
The screens do not depend on the database backend, so these run on SQLite.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from posko.i18n import _catalogue
from posko.runtime import Runtime
from posko.tui.app import make_app
from tests.roster.helpers import COORDINATOR
from tests.tui.conftest import FORM, SIGN_IN, burst, keys, settle, steady

SIZES = [(80, 24), (120, 40)]
# Texts of Textual's own that once showed on the desk's screens, in English.
TEXTUAL_ENGLISH = [
    "Search for commands",
    "No matches found",
    "Dismiss menu",
    "Exit the command palette",
    "palette",
    "Quit",
    "Change the current theme",
    "Screenshot",
]
SCREENS: dict[str, list[str]] = {  # what is typed, from the home screen, to get there
    "home": [],
    "home-signed-in": SIGN_IN,
    "sign-in": ["f2"],
    "sign-in-roster-list": ["f2", "enter"],
    "override": ["f6"],
    "queue": ["f3", "n"],
    "intake": [*SIGN_IN, "f4"],
    "intake-refused": [*SIGN_IN, "f4", "tab", *keys("Sri"), "f10"],
    "saved": [*SIGN_IN, "f4", *FORM, "f10"],
    "close-session": [*SIGN_IN, "f8"],
    "lookup": ["f5"],
    "scan": ["f11", *keys("JP-WL1"), "enter", *keys("123456"), "enter"],
    "stats": ["f12"],
    "roster-sign-in": ["f7"],
    "roster": ["f7", *keys(COORDINATOR), "enter", *keys("123456"), "enter"],
    "palette": ["ctrl+p", *keys("cetak")],
    "palette-no-match": ["ctrl+p", *keys("zzzz")],
}


@pytest.fixture
def backend() -> str:
    return "sqlite"


def indonesian(runtime: Runtime, tmp_path):
    runtime.settings = replace(runtime.settings, language="id")
    return make_app(runtime, draft_path=tmp_path / "draft.json")


def opener(name: str):
    async def open_screen(pilot) -> None:
        await settle(pilot)
        await burst(pilot, *SCREENS[name])
        if name.startswith("palette"):
            await pilot.pause(0.8)  # the palette says "no matches" after half a second
        await steady(pilot)

    return open_screen


def shown_text(app) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


# The saved screen names a fresh tracking code and the slips folder (a temporary
# path here): its keys and words are checked below, its picture is not.
PICTURED = [name for name in SCREENS if name != "saved"]


@pytest.mark.parametrize("name", PICTURED)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_every_screen(snap_compare, runtime, tmp_path, name, size) -> None:
    assert snap_compare(indonesian(runtime, tmp_path), terminal_size=size, run_before=opener(name))


@pytest.mark.parametrize("name", list(SCREENS))
async def test_every_key_shows_and_nothing_is_english(runtime, tmp_path, name) -> None:
    app = indonesian(runtime, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await opener(name)(pilot)
        text = shown_text(app)
        flat = " ".join(text.split())
        for active in app.screen.active_bindings.values():
            binding = active.binding
            if binding.show and active.enabled:
                label = _catalogue("id").get(binding.description, binding.description)
                assert label in flat, f"{name}: {binding.key} {label!r} not on screen:\n{text}"
        for english in TEXTUAL_ENGLISH:
            assert english not in flat, f"{name}: {english!r} in Indonesian mode:\n{text}"
        ours = {
            msgid
            for msgid, text_id in _catalogue("id").items()
            if text_id != msgid and len(msgid.split()) >= 3 and "{" not in msgid
        }
        leaked = [msgid for msgid in ours if msgid in flat]
        assert not leaked, f"{name}: English on screen: {leaked}\n{text}"


@pytest.mark.parametrize(
    ("query", "found"), [("cetak", "Cetak ulang"), ("panggil", "Antrean (F3)")]
)
async def test_the_palette_finds_commands_by_what_they_do(runtime, tmp_path, query, found) -> None:
    """'panggil' (call) is in no title, only in the queue's description."""
    app = indonesian(runtime, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await burst(pilot, "ctrl+p", *keys(query))
        await pilot.pause(0.5)
        assert found in shown_text(app)
