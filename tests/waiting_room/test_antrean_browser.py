"""`/antrean` and the ticket's phone page in a real headless Chromium, served by `posko serve`."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from posko.services import queue
from posko.store.db import new_session
from tests.handoff.test_status_page_browser import CHROMIUM, _chromium
from tests.outbox.helpers import free_port, serving
from tests.waiting_room.test_board import issue

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="needs Debian's chromium"),
]


def test_chromium_shows_numbers_and_desks_only(db, runtime, tmp_path: Path) -> None:
    from posko.services import intake

    issue(runtime, 3)
    issue(runtime, 1, priority=True)
    with new_session(runtime.engine) as session:
        for officer in ("JP-AS1", "JB-AS1"):
            queue.call_next(session, runtime.clock, runtime.policy, officer_id=officer)
        # A complaint taken for number 1's neighbour: its reporter must never show.
        intake.take_complaint(
            session,
            runtime.clock,
            runtime.policy,
            officer_id="JB-AS1",
            data={
                "reporter": {"name": "Sri Wahyuni", "phone": "081234567890"},
                "category": "banjir",
                "description": "Saluran air tersumbat",
                "location": {"kota": "31.71"},
            },
            queue_number=1,
        )
    port = free_port()
    with serving(db.url, runtime.clock.now().isoformat(), port):
        board = f"http://127.0.0.1:{port}/antrean"
        dom = _chromium(tmp_path, "--dump-dom", board)
        assert '<meta http-equiv="refresh" content="2">' in dom and "<script" not in dom
        assert "MEJA JP" in dom and "MEJA JB" in dom and "BUKA" in dom
        assert "4 → Meja JP (prioritas)" in dom  # the priority lane was called first
        assert "1 → Meja JB" in dom
        assert "Sri Wahyuni" not in dom and "0812" not in dom and "PKB-" not in dom
        shots = Path(os.environ.get("ANTREAN_SCREENSHOTS", tmp_path))
        shot = shots / "antrean.png"
        _chromium(
            tmp_path, "--window-size=1280,720", "--hide-scrollbars", f"--screenshot={shot}", board
        )
        assert shot.stat().st_size > 10_000

        phone = f"http://127.0.0.1:{port}/antrean/2026-12-01/3"
        dom = _chromium(tmp_path, "--dump-dom", phone)
        assert "Nomor Anda" in dom and "1 orang di depan Anda." in dom  # number 2
        shot = shots / "antrean-ponsel.png"
        _chromium(
            tmp_path, "--window-size=412,900", "--hide-scrollbars", f"--screenshot={shot}", phone
        )
        assert shot.stat().st_size > 10_000
        missing = _chromium(
            tmp_path, "--dump-dom", f"http://127.0.0.1:{port}/antrean/2026-12-01/99"
        )
        assert "tidak ditemukan" in missing
