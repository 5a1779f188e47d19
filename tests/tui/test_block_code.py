"""The tracking code shown large: a block font for its 32 symbols and the dash."""

from __future__ import annotations

from dataclasses import replace

import pytest
from textual.app import App, ComposeResult

from posko.core.tracking import ALPHABET, new_code
from posko.services import intake
from posko.store.db import new_session
from posko.tui.app import make_app
from posko.tui.widgets.block_code import GLYPHS, BlockCode, block_lines
from tests.tui.conftest import FLOOD, settle, sign_in, steady
from tests.tui.test_snapshots import SIZES


def test_every_symbol_of_a_tracking_code_and_the_dash_has_a_glyph() -> None:
    assert set(GLYPHS) == set(ALPHABET) | {"-"}
    for symbol, rows in GLYPHS.items():
        assert len(rows) == 5 and len({len(row) for row in rows}) == 1, symbol
    # No two glyphs alike: each symbol reads as itself.
    assert len({rows for rows in GLYPHS.values()}) == len(GLYPHS)


def test_a_code_is_three_rows_with_a_column_between_glyphs() -> None:
    lines = block_lines("PKB-7K3Q-X9MD")
    assert len(lines) == 3 and len({len(line) for line in lines}) == 1
    widths = [len(GLYPHS[s][0]) for s in "PKB-7K3Q-X9MD"]
    assert len(lines[0]) == sum(widths) + len(widths) - 1
    assert set("".join(lines)) <= set(" ▀▄█")
    # What a person types instead of 0 and 1 is drawn as 0 and 1; nothing else is guessed.
    assert block_lines("pkb-7k3q-x9md") == lines
    assert block_lines("O1L") == block_lines("011")
    with pytest.raises(ValueError, match="U"):
        block_lines("PKB-U000-0000")


class Specimen(App[None]):
    """Every glyph, and a tracking code as the saved screen shows it."""

    def compose(self) -> ComposeResult:
        yield BlockCode("0123456789")
        yield BlockCode("ABCDEFGHJK")
        yield BlockCode("MNPQRSTVWX")
        yield BlockCode("YZ-PKB-7K3Q-X9MD")


def test_block_font_specimen(snap_compare) -> None:
    assert snap_compare(Specimen(), terminal_size=(80, 14))


@pytest.fixture
def backend() -> str:
    return "sqlite"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_saved_screen_shows_the_code_large(
    snap_compare, runtime, tmp_path, monkeypatch, size
) -> None:
    """Saved at the desk: the code three rows tall, plain below it."""
    monkeypatch.setattr(intake, "new_code", lambda prefix: new_code(prefix, lambda _n: 7))
    # A relative slips folder, so the screen's text is the same in every run.
    monkeypatch.chdir(tmp_path)
    runtime.settings = replace(runtime.settings, language="id", output_dir="slips")

    async def save(pilot) -> None:
        await settle(pilot)
        await sign_in(pilot)
        from posko.tui import data
        from posko.tui.screens.saved import SavedScreen

        with new_session(runtime.engine) as session:
            taken = intake.take_complaint(
                session, runtime.clock, runtime.policy, officer_id="JP-AS1", data=FLOOD
            )
        pilot.app.push_screen(SavedScreen(data.Saved(taken.complaint, taken.destination_name)))
        await steady(pilot)
        assert pilot.app.screen.query_one("#saved-code", BlockCode).code == taken.complaint.code

    assert snap_compare(
        make_app(runtime, draft_path=tmp_path / "draft.json"), terminal_size=size, run_before=save
    )
