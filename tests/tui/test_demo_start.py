"""`posko demo` paints first, then prepares its database in a worker, saying each step."""

from __future__ import annotations

from posko.config import Settings
from posko.runtime import Runtime
from posko.tui.app import make_app
from posko.tui.screens.preparing import STEP_TEXT, PreparingScreen
from tests.tui.conftest import settle


async def test_the_demo_says_what_it_prepares_then_opens_the_desk(tmp_path, monkeypatch) -> None:
    shown: list[str] = []
    original = PreparingScreen.show_step

    def record(self, step: str) -> None:  # type: ignore[no-untyped-def]
        shown.append(step)
        original(self, step)

    monkeypatch.setattr(PreparingScreen, "show_step", record)
    runtime = Runtime(
        settings=Settings(database_url=f"sqlite:///{tmp_path / 'demo.db'}"), demo=True
    )
    app = make_app(runtime, draft_path=tmp_path / "draft.json")
    async with app.run_test(size=(80, 24)) as pilot:
        # The first frame: what is being prepared, and no database touched yet.
        assert isinstance(app.screen, PreparingScreen)
        first = str(app.screen.query_one(".dialog-title").render())
        assert "Menyiapkan basis data latihan" in first
        await settle(pilot)
        await settle(pilot)
        assert app.screen.id == "home"
        assert app.status is not None and app.status.training
        assert runtime.clock.simulated  # inside a session, 15 minutes in (or later)
        assert app.status.state.phase.value == "open"
    assert shown == ["check", "schema", "reference", "roster", "clock"]
    assert set(shown) == set(STEP_TEXT)
