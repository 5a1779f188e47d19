"""Keys land where they would if typed slowly, whatever the speed (posko/tui/keys.py).

The property: any key sequence that signs in (F2), opens the form (F4), fills
it and saves, stores the same complaint — every field and flag — and leaves
the same screen, whether its keys arrive in one burst (as a terminal delivers
a paste, a USB scanner or a busy machine's backlog) or 50 ms apart. Run on
SQLite and PostgreSQL, on the whole intake form and the sign-in; the example
count is kept small for CI (POSKO_KEY_EXAMPLES raises it).
"""

from __future__ import annotations

import asyncio
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from posko.runtime import Runtime
from posko.store.db import new_session
from posko.store.models import Complaint, Officer
from posko.tui.app import make_app
from tests.tui.conftest import key_event, settle

pytestmark = pytest.mark.db

EXAMPLES = int(os.environ.get("POSKO_KEY_EXAMPLES", "3"))
SLOW = 0.05  # seconds between keys, as a person types
# Keys that edit or move inside a field, as an officer fixing a typo presses them.
EDITING = ["backspace", "delete", "home", "end", "left", "right", "ctrl+u", "ctrl+k", "ctrl+w"]
ANYWHERE = [*EDITING, "tab", "shift+tab", "space", "up", "down", "x", "7"]
# Columns that differ between two saves of the same form by design.
NOT_COMPARED = {"id", "code", "created_at", "updated_at", "visit_id", "queue_number", "signature"}


def key_names(text: str) -> list[str]:
    names = {" ": "space", "-": "minus"}
    return [names.get(char, char) for char in text]


@st.composite
def typed(draw: st.DrawFn, text: str, *, noise: float) -> list[str]:
    """`text` typed by a person: now and then a typo corrected, the cursor moved, a stray key."""
    out: list[str] = []
    for name in key_names(text):
        roll = draw(st.floats(0, 1))
        if roll < noise / 3:
            out += [draw(st.sampled_from("qzj")), "backspace"]  # a typo, corrected
        elif roll < 2 * noise / 3:
            out += draw(st.sampled_from([["left", "right"], ["home", "end"], ["end"]]))
        elif roll < noise:
            out.append(draw(st.sampled_from(ANYWHERE)))  # anything at all
        out.append(name)
    return out


@st.composite
def a_morning(draw: st.DrawFn) -> list[str]:
    """Sign in, open the form, fill it (flags included) and save: one officer's keys."""
    next_field = st.sampled_from(["tab", "enter"])
    keys = ["f2", "tab", *draw(typed("JP-AS1", noise=0.1)), "enter"]
    keys += [*draw(typed("123456", noise=0.1)), "enter", "f4"]
    keys += ["tab"]  # the queue number is left to the service
    for _flag in range(3):  # anonymous, confidential, priority
        if draw(st.booleans()):
            keys.append("space")
        keys.append("tab")
    fields = [
        draw(st.sampled_from(["Sri Wahyuni", "Budi Hartono", "Ani"])),
        draw(st.sampled_from(["3171014501850002", ""])),
        "081234567890",
        draw(st.sampled_from(["", "sri@example.id"])),
        "",
        draw(st.sampled_from(["", "sms", "wa"])),  # consent to status messages
        draw(st.sampled_from(["banjir", "jalan", "samp"])),
    ]
    for text in fields:
        keys += [*draw(typed(text, noise=0.15)), draw(next_field)]
    keys += [*draw(typed("Saluran air di depan pasar tersumbat", noise=0.15)), "tab"]
    kota, kecamatan, kelurahan = draw(
        st.sampled_from(
            [
                ("", "gambir", "kebon kel"),
                ("", "cakung", "pulo geb"),
                ("jakarta sel", "", ""),
                ("", "tanah ab", ""),
            ]
        )
    )
    for text in (kota, kecamatan, kelurahan):
        keys += [*(["ctrl+u"] if text else []), *draw(typed(text, noise=0.1)), "tab"]
    keys += [*draw(typed("Jl Pasar Baru 5", noise=0.1)), draw(st.sampled_from(["enter", "f10"]))]
    return keys


@dataclass(frozen=True)
class Outcome:
    screen: str | None
    officer: str | None
    stored: list[dict[str, Any]]
    form: Any  # the intake form's values when nothing was stored
    errors: dict[str, str]  # field error lines shown


def reset_pins(runtime: Runtime) -> None:
    """A mistyped PIN counts against the officer; each run starts from a clean count."""
    with new_session(runtime.engine) as session:
        for officer in session.exec(select(Officer)).all():
            officer.failed_pins, officer.locked_until = 0, None
            session.add(officer)
        session.commit()


def stored_since(runtime: Runtime, last_id: int) -> list[dict[str, Any]]:
    with new_session(runtime.engine) as session:
        rows = session.exec(select(Complaint).where(Complaint.id > last_id)).all()
        return [
            {k: v for k, v in row.model_dump().items() if k not in NOT_COMPARED} for row in rows
        ]


def last_complaint_id(runtime: Runtime) -> int:
    with new_session(runtime.engine) as session:
        ids = session.exec(select(Complaint.id)).all()
    return max((i for i in ids if i is not None), default=0)


async def run_keys(runtime: Runtime, draft: Path, keys: list[str], gap: float | None) -> Outcome:
    """Type `keys` into a fresh kiosk: all at once (gap None) or `gap` seconds apart."""
    reset_pins(runtime)
    before = last_complaint_id(runtime)
    app = make_app(runtime, draft_path=draft)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for name in keys:
            app.post_message(key_event(name))
            if gap is not None:
                await asyncio.sleep(gap)
        await settle(pilot)
        screen = app.screen
        form = screen.values() if screen.id == "intake" else None  # type: ignore[attr-defined]
        errors = {str(w.id): str(w.render()) for w in screen.query(".field-error") if w.display}
        return Outcome(
            screen.id,
            app.officer.id if app.officer else None,
            stored_since(runtime, before),
            form,
            errors,
        )


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples in every CI run
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(keys=a_morning())
def test_a_burst_stores_what_slow_typing_stores(runtime, tmp_path, keys) -> None:
    burst = asyncio.run(run_keys(runtime, tmp_path / "burst.json", keys, None))
    slow = asyncio.run(run_keys(runtime, tmp_path / "slow.json", keys, SLOW))
    assert burst == slow, keys


async def test_the_examples_reach_the_database(runtime, tmp_path) -> None:
    """The property is not vacuous: clean keys of the generator save a complaint, routed right."""
    keys = ["f2", "tab", *key_names("JP-AS1"), "enter", *key_names("123456"), "enter", "f4"]
    keys += ["tab", "tab", "space", "tab", "tab"]  # confidential ticked
    for text in ("Budi Hartono", "", "081234567890", "", "", "", "jalan"):
        keys += [*key_names(text), "enter"]
    keys += [*key_names("Saluran air di depan pasar tersumbat"), "tab", "tab"]
    keys += [*key_names("cakung"), "tab", *key_names("pulo geb"), "tab"]
    keys += [*key_names("Jl Pasar Baru 5"), "enter"]
    outcome = await run_keys(runtime, tmp_path / "d.json", keys, None)
    assert outcome.screen == "saved", outcome
    (row,) = outcome.stored
    assert (row["reporter_name"], row["confidential"], row["anonymous"]) == (
        "Budi Hartono",
        True,
        False,
    )
    assert (row["kota_code"], row["kecamatan_code"]) == ("31.75", "31.75.06")
    assert row["kelurahan_code"].startswith("31.75.06.")


async def test_tab_after_a_field_reappears_goes_to_it_when_the_refresh_is_late(
    runtime, tmp_path, monkeypatch
) -> None:
    """Tab follows the last layout, and Textual lays out on a timer that a busy machine
    runs late: unticking Anonymous shows the identity fields again, and the Tabs that
    follow must reach Name as they do when typed slowly, not the old order's Category.

    The screen's refresh timer is made to come (far too) late, as under load; the keys
    are waited for without the test's pilot, which would lay the screen out itself."""
    import textual.screen

    monkeypatch.setattr(textual.screen, "UPDATE_PERIOD", 3600.0)  # read as a screen starts
    app = make_app(runtime, draft_path=tmp_path / "draft.json")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        for name in ["f2", "tab", *key_names("JP-AS1"), "enter", *key_names("123456"), "enter"]:
            app.post_message(key_event(name))
        await settle(pilot)
        await pilot.press("f4")
        await settle(pilot)
        await pilot.press("tab", "space")  # from the queue number: Anonymous ticked
        await settle(pilot)
        assert not app.screen.query_one("#identity").display
        for name in ["space", "tab", "tab", "tab", *key_names("Ani")]:
            app.post_message(key_event(name))
        for _ in range(500):  # all keys handled; no pilot.pause, which would lay out
            await asyncio.sleep(0.01)
            if app._message_queue.empty() and not (app._input_line or app._input_busy):
                break
        form = app.screen.values()  # type: ignore[attr-defined]
        assert (form.anonymous, form.name, form.category) == (False, "Ani", None), form
