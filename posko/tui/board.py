"""`posko board`: the waiting room's TV, full screen, in Indonesian.

Which number is called to which desk, in digits as large as the screen
allows, the last calls, how many wait, and whether the posko is open. A call
made at any desk, in any process, shows within a second: a worker polls the
board's fingerprint (see services/board.py for why polling) and reloads the
board only when it changes. A number called again flashes again.
"""

from __future__ import annotations

import time
from typing import ClassVar

from rich.text import Text
from textual import on, work
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

from posko import board_text as t
from posko.runtime import Runtime
from posko.services.board import Board
from posko.tui.widgets.block_code import GLYPHS

POLL_SECONDS = 0.5  # a call shows within this, plus one query
RELOAD_SECONDS = 15  # the session's state (opening, closing) changes without a call
FLASH_SECONDS = 12  # a new or repeated call stands out this long


def big_lines(number: str, scale: int, dot_width: int) -> list[str]:
    """The number in the kiosk's block font, each dot `dot_width` cells wide, `scale` tall."""
    glyphs = [GLYPHS[ch] for ch in number if ch in GLYPHS]
    rows = []
    for row in range(5):
        dots = ".".join(glyph[row] for glyph in glyphs)  # one dot between digits
        line = "".join(("█" if dot == "#" else " ") * dot_width for dot in dots)
        rows.extend([line.rstrip()] * scale)
    return rows


def dots_across(number: str) -> int:
    glyphs = [GLYPHS[ch] for ch in number if ch in GLYPHS]
    return sum(len(glyph[0]) for glyph in glyphs) + max(0, len(glyphs) - 1)


class BigNumber(Widget):
    """A number in the kiosk's block font, as large as the widget's size allows."""

    DEFAULT_CSS = "BigNumber { height: 1fr; content-align: center middle; }"

    def __init__(self, number: str = "-", **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.number = number

    def show(self, number: str) -> None:
        self.number = number
        self.refresh()

    def render(self) -> Text:
        width, height = self.size
        dots = dots_across(self.number)
        for scale in range(max(1, height // 5), 0, -1):
            # Square dots (two cells wide) when they fit, else narrow ones: a
            # three-digit number still shows large on an 80-column board.
            for dot_width in (2 * scale, scale):
                if dots * dot_width <= width:
                    lines = big_lines(self.number, scale, dot_width)
                    widest = max(len(line) for line in lines)
                    text = "\n".join(line.ljust(widest) for line in lines)
                    # Never bold: terminals draw bold block characters with gaps.
                    return Text(text, style="not bold", justify="center")
        return Text(self.number, justify="center")  # too narrow for the font: plain digits


class DeskPanel(Vertical):
    def __init__(self, desk: str) -> None:
        super().__init__(id=f"desk-{desk}", classes="desk")
        self.desk = desk
        self._unflash: Timer | None = None

    def flash(self) -> None:
        """Stand out for FLASH_SECONDS from now, however often it is called."""
        if self._unflash is not None:
            self._unflash.stop()
        self.add_class("flash")
        self._unflash = self.set_timer(FLASH_SECONDS, lambda: self.remove_class("flash"))

    def compose(self) -> ComposeResult:
        yield Static(t.desk_label(self.desk).upper(), classes="desk-name")
        yield BigNumber("-", classes="desk-number")
        yield Static("", classes="desk-lane")


class Loaded(Message):
    def __init__(self, board: Board, fingerprint: tuple[object, ...]) -> None:
        super().__init__()
        self.board = board
        self.fingerprint = fingerprint


class Unreachable(Message):
    pass


class BoardApp(App[None]):
    TITLE = "Antrean"
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    Screen { background: #0b2545; color: white; layout: vertical; }
    #top { height: 1; background: white; color: #0b2545; text-style: bold; }
    #site { width: 1fr; padding: 0 1; }
    #clock { width: auto; padding: 0 1; }
    #state { height: 3; content-align: center middle; text-style: bold; background: #13315c; }
    #state.open { background: #1e7b34; }
    #state.closed { background: #8a1c1c; }
    #desks { height: 1fr; }
    .desk { width: 1fr; border: heavy #8da9c4; padding: 0; }
    .desk.flash { background: #f4d35e; color: black; border: heavy white; }
    .desk-name { text-align: center; text-style: bold; height: 1; }
    .desk-lane { text-align: center; text-style: bold; height: 1; }
    #bottom { height: 10; }
    #recent { width: 2fr; height: 100%; border: round #8da9c4; padding: 0 1; }
    #waiting { width: 1fr; border: round #8da9c4; }
    #none { width: 1fr; height: 1fr; content-align: center middle; }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
    ]

    def __init__(self, runtime: Runtime, *, poll_seconds: float = POLL_SECONDS) -> None:
        super().__init__()
        self.runtime = runtime
        self.poll_seconds = poll_seconds
        self.board: Board | None = None
        self._fingerprint: tuple[object, ...] | None = None
        self._loaded_at = 0.0
        self._seen: dict[str, tuple[int, int]] = {}  # desk -> (number, calls) shown

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Static("", id="site")
            yield Static("", id="clock")
        yield Static("", id="state")
        yield Horizontal(id="desks")
        with Horizontal(id="bottom"):
            yield Static("", id="recent")
            with Vertical(id="waiting"):
                yield Static(t.WAITING.upper(), classes="desk-name")
                yield BigNumber("0", id="waiting-count")
                yield Static("", id="waiting-lane", classes="desk-lane")

    def on_mount(self) -> None:
        self.query_one("#recent").border_title = t.RECENT
        self.poll()
        self.set_interval(self.poll_seconds, self.poll)

    @work(thread=True, exclusive=True, group="board")
    def poll(self) -> None:
        from posko.services import board as service

        rt = self.runtime
        try:
            with rt.session() as session:
                sid = self.board.session_id if self.board else None
                current = service.fingerprint(session, sid)
                stale = time.monotonic() - self._loaded_at > RELOAD_SECONDS
                if self.board is None or stale or current != self._fingerprint:
                    shown = service.board(session, rt.clock, rt.policy)
                    mark = service.fingerprint(session, shown.session_id)
                    self.post_message(Loaded(shown, mark))
        except Exception:  # the board must outlive a database restart
            self.post_message(Unreachable())

    @on(Unreachable)
    def unreachable(self) -> None:
        self.query_one("#clock", Static).update("tidak terhubung ke basis data")
        self._loaded_at = 0.0  # reload all once the database answers again

    @on(Loaded)
    async def loaded(self, message: Loaded) -> None:
        board = self.board = message.board
        self._fingerprint, self._loaded_at = message.fingerprint, time.monotonic()
        site = board.site_name + ("  · LATIHAN" if board.training else "")
        self.query_one("#site", Static).update(site)
        self.query_one("#clock", Static).update(t.clock_text(board.now))
        word, sentence = t.state_text(board)
        state = self.query_one("#state", Static)
        state.update(f"{word} · {sentence}")
        state.set_class(board.phase in ("open", "grace"), "open")
        state.set_class(board.phase == "after", "closed")
        await self._show_desks(board)
        recent = "\n".join(t.call_text(call) for call in board.recent) or "Belum ada panggilan"
        self.query_one("#recent", Static).update(recent)
        self.query_one("#waiting-count", BigNumber).show(str(board.waiting))
        lane = f"{board.waiting_priority} prioritas" if board.waiting_priority else ""
        self.query_one("#waiting-lane", Static).update(lane)

    async def _show_desks(self, board: Board) -> None:
        row = self.query_one("#desks", Horizontal)
        if tuple(panel.desk for panel in row.query(DeskPanel)) != board.desks:
            await row.remove_children()
            await row.mount_all([DeskPanel(desk) for desk in board.desks])  # composed when done
            if not board.desks:
                await row.mount(Static("Tidak ada layanan hari ini", id="none"))
        for panel in row.query(DeskPanel):
            call = board.serving.get(panel.desk)
            panel.query_one(BigNumber).show(str(call.number) if call else "-")
            panel.query_one(".desk-lane", Static).update(
                "PRIORITAS" if call and call.priority else ""
            )
            key = (call.number, call.calls) if call else (0, 0)
            # A desk first seen shows its number quietly; a change since flashes.
            seen = self._seen.get(panel.desk)
            if call is not None and seen is not None and seen != key:
                panel.flash()
            self._seen[panel.desk] = key


def make_board(runtime: Runtime, *, poll_seconds: float = POLL_SECONDS) -> BoardApp:
    """The one way to build the board: `posko board` and the tests use it."""
    return BoardApp(runtime, poll_seconds=poll_seconds)
