"""The board on a TV: a call at any desk, from another process, shows within 2 s."""

from __future__ import annotations

import os
import subprocess
import sys
import time

from textual.pilot import Pilot

from posko.services import queue
from posko.store.db import new_session
from posko.tui.board import BigNumber, BoardApp, make_board

from .helpers import NOW

DEADLINE = 2.0  # seconds from a call's commit to the board showing it


def issue(runtime, count: int, *, priority: bool = False) -> None:  # type: ignore[no-untyped-def]
    with new_session(runtime.engine) as session:
        for _ in range(count):
            queue.take_number(session, runtime.clock, runtime.policy, priority=priority)


def shown(app: BoardApp, desk: str) -> str | None:
    """The number the desk's panel shows (None: the panel is not there yet)."""
    numbers = app.query(f"#desk-{desk} BigNumber").results(BigNumber)
    return next((number.number for number in numbers), None)


async def until(pilot: Pilot, check, timeout: float = 5.0) -> float:  # type: ignore[no-untyped-def]
    """Seconds until `check()` holds (the board polls in a worker meanwhile)."""
    start = time.monotonic()
    while not check():
        assert time.monotonic() - start < timeout, "the board did not change"
        await pilot.pause(0.02)
    return time.monotonic() - start


def _call_from_another_process(db, officer: str) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("POSKO_")}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "posko",
            "--db",
            db.url,
            "--now",
            NOW,
            "queue",
            "call",
            "--officer",
            officer,
        ],
        env={**env, "POSKO_PIN": "123456"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr


async def test_calls_from_two_processes_reach_the_board_within_two_seconds(db, runtime) -> None:
    issue(runtime, 2)
    issue(runtime, 1, priority=True)
    board = make_board(runtime)
    async with board.run_test(size=(80, 24)) as pilot:
        await until(pilot, lambda: shown(board, "JP") == shown(board, "JU") == "-")

        _call_from_another_process(db, "JU-AS1")
        waited = await until(pilot, lambda: shown(board, "JU") == "3")  # priority first
        assert waited < DEADLINE
        _call_from_another_process(db, "JP-AS1")
        waited = await until(pilot, lambda: shown(board, "JP") == "1")
        assert waited < DEADLINE
        assert board.query_one("#desk-JP").has_class("flash")

        # Re-announced from another desk process: highlighted again, at its new desk.
        board.query_one("#desk-JU").remove_class("flash")
        with new_session(runtime.engine) as session:
            queue.recall(session, runtime.clock, runtime.policy, officer_id="JU-AS1", number=3)
        waited = await until(pilot, lambda: board.query_one("#desk-JU").has_class("flash"))
        assert waited < DEADLINE
        assert board.board is not None and board.board.waiting == 1
