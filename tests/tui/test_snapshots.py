"""What the desk sees: home, intake and look-up, at 80x24 and 120x40, in both languages.

The screens do not depend on the database backend, so these run on SQLite only;
the clock is fixed and the tracking code made deterministic.
"""

from __future__ import annotations

from dataclasses import replace

import pytest

from posko.core.tracking import new_code
from posko.runtime import Runtime
from posko.services import intake
from posko.store.db import new_session
from posko.tui.app import make_app
from tests.tui.conftest import FLOOD, settle, sign_in, steady, type_text

SIZES = [(80, 24), (120, 40)]
LANGUAGES = ["id", "en"]


@pytest.fixture
def backend() -> str:
    return "sqlite"


def kiosk_in(runtime: Runtime, language: str, tmp_path):
    runtime.settings = replace(runtime.settings, language=language)
    return make_app(runtime, draft_path=tmp_path / "draft.json")


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_home(snap_compare, runtime, tmp_path, language, size) -> None:
    assert snap_compare(
        kiosk_in(runtime, language, tmp_path), terminal_size=size, run_before=steady
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_intake(snap_compare, runtime, tmp_path, language, size) -> None:
    async def open_intake(pilot) -> None:
        await settle(pilot)
        await sign_in(pilot)
        await pilot.press("f4")
        await steady(pilot)

    assert snap_compare(
        kiosk_in(runtime, language, tmp_path), terminal_size=size, run_before=open_intake
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lookup(snap_compare, runtime, tmp_path, monkeypatch, language, size) -> None:
    monkeypatch.setattr(intake, "new_code", lambda prefix: new_code(prefix, lambda _n: 7))
    with new_session(runtime.engine) as session:
        code = intake.take_complaint(
            session, runtime.clock, runtime.policy, officer_id="JP-AS1", data=FLOOD
        ).complaint.code

    async def look_up(pilot) -> None:
        await settle(pilot)
        await pilot.press("f5")
        await settle(pilot)
        await type_text(pilot, code)
        await pilot.press("enter")
        await steady(pilot)

    assert snap_compare(
        kiosk_in(runtime, language, tmp_path), terminal_size=size, run_before=look_up
    )
