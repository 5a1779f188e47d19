"""What the waiting room sees on the TV, at 80x24 and 160x45.

The board does not depend on the database backend: SQLite only; the clock
is fixed at 08:15 WIB in the fixtures' session.
"""

from __future__ import annotations

import pytest

from posko.services import queue
from posko.store.db import new_session
from posko.tui.board import make_board
from tests.waiting_room.test_board import issue, shown, until

SIZES = [(80, 24), (160, 45)]


@pytest.fixture
def backend() -> str:
    return "sqlite"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_board(snap_compare, runtime, size) -> None:
    issue(runtime, 11)
    issue(runtime, 1, priority=True)  # 12: two digits, as most of a morning's numbers
    with new_session(runtime.engine) as session:
        for officer in ("JP-AS1", "JU-AS1", "JS-AS1"):
            queue.call_next(session, runtime.clock, runtime.policy, officer_id=officer)
    board = make_board(runtime, poll_seconds=0.05)

    async def recall(pilot) -> None:  # type: ignore[no-untyped-def]
        await until(pilot, lambda: shown(board, "JP") == "12")
        with new_session(runtime.engine) as session:
            queue.recall(session, runtime.clock, runtime.policy, officer_id="JU-AS1", number=1)
        await until(pilot, lambda: board.query_one("#desk-JU").has_class("flash"))
        await pilot.pause()

    assert snap_compare(board, terminal_size=size, run_before=recall)
